"""The formatter interface: a :class:`~orchestrator.model.ScanResult` in, text out.

Formatters never write files; the CLI decides where the text goes.
"""

from __future__ import annotations

import abc
import os
from dataclasses import dataclass
from pathlib import Path

from orchestrator.model import Finding, ScanResult


@dataclass(frozen=True)
class RenderOptions:
    """How terminal-facing formats lay out a report (the CLI fills it in from the terminal).

    ``cwd``: paths are shown relative to it (None: relative to the scanned root, as stored).
    ``width``: wrap prose to this many columns. ``verbose``: whole messages, evidence and every
    other place; otherwise the first sentence. ``quiet``: findings only, no summary or notes.
    ``show_info``: list ``info`` findings too; the reading formats (text, concise, github) hide
    them by default and count them in the summary. JSON, SARIF, CSV and HTML keep every finding.
    """

    width: int = 100
    color: bool = False
    verbose: bool = False
    quiet: bool = False
    cwd: Path | None = None
    show_info: bool = False


class Formatter(abc.ABC):
    """Renders a scan result in one output format (``name`` is its ``--format`` value)."""

    name: str = ""
    #: The usual file-name extension of this format, without the dot.
    extension: str = "txt"
    options: RenderOptions = RenderOptions()

    def shown_path(self, result: ScanResult, path: str) -> str:
        """``path`` (relative to the scanned root) as the reader should see it: relative to
        ``options.cwd`` when set, '/'-separated."""
        if self.options.cwd is None:
            return path
        full = os.path.join(result.root, *path.split("/"))
        return Path(os.path.relpath(full, self.options.cwd)).as_posix()

    def location(self, result: ScanResult, f: Finding) -> str:
        """``path:line:col`` (``path:cell N:line:col`` in a notebook, as ruff writes it)."""
        path = self.shown_path(result, f.path)
        if f.cell is not None:
            return f"{path}:cell {f.cell.index}:{f.cell.line}:{f.start_col}"
        return f"{path}:{f.start_line}:{f.start_col}"

    @abc.abstractmethod
    def render(self, result: ScanResult) -> str:
        """The whole report as text (ending with a newline)."""
