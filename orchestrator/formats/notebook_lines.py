"""A notebook finding's line in the ``.ipynb`` file itself.

Findings in notebooks carry the cell and the line inside it; GitHub code scanning, workflow
annotations and GitLab place results on the raw JSON file's lines. The notebook is read again
from the scanned root (a regular file inside it, at most :data:`MAX_BYTES`) and the cell line
mapped to the JSON line that holds it (:func:`orchestrator.pipeline.notebooks.file_lines`).
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from orchestrator.escape import real_path
from orchestrator.model import Finding
from orchestrator.pipeline.notebooks import file_lines

MAX_BYTES = 50_000_000


class NotebookLines:
    """Maps notebook findings of one scan result (rooted at ``root``) to file lines."""

    def __init__(self, root: str | os.PathLike) -> None:
        self._root = Path(root)
        self._maps: dict[str, dict[int, list[tuple[int, str]]]] = {}

    def file_line(self, f: Finding) -> int | None:
        """The ``.ipynb`` line of ``f``'s first line; None when the file cannot be read again
        or has changed (the caller then leaves the line out rather than guess)."""
        if f.cell is None:
            return f.start_line
        found = self._source_line(f)
        return found[0] if found else None

    def cell_text(self, f: Finding) -> str | None:
        """The cell's own text of ``f``'s first line (magics as written), if readable."""
        found = self._source_line(f) if f.cell is not None else None
        return found[1] if found else None

    def _source_line(self, f: Finding) -> tuple[int, str] | None:
        cells = self._maps.get(f.path)
        if cells is None:
            cells = self._maps[f.path] = file_lines(self._read(f.path))
        lines = cells.get(f.cell.index, [])
        return lines[f.cell.line - 1] if 1 <= f.cell.line <= len(lines) else None

    def _read(self, rel: str) -> str:
        base = self._root.resolve()
        path = (base / real_path(rel)).resolve()
        try:
            path.relative_to(base)
            st = os.stat(path)
        except (OSError, ValueError):
            return ""
        if not stat.S_ISREG(st.st_mode) or st.st_size > MAX_BYTES:
            return ""
        try:
            return path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return ""
