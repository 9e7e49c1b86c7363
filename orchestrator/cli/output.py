"""What the scan and gate commands share about their terminal: layout options, colour, standard
input as a file, and the severity filter.

Colour follows the usual conventions: ``FORCE_COLOR`` (non-empty) turns it on, ``NO_COLOR``
(non-empty) off, otherwise it is on when the report goes to a terminal.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sys
import tempfile
from dataclasses import replace
from pathlib import Path
from typing import IO, Iterator

import click

from orchestrator.formats import RenderOptions
from orchestrator.model import ScanResult, Severity

#: Wrapping width when the report does not go to a terminal (CI logs, files).
DEFAULT_WIDTH = 100
STDIN = "-"


def colour_wanted(stream: IO | None) -> bool:
    if os.environ.get("FORCE_COLOR"):
        return True
    if os.environ.get("NO_COLOR") or stream is None:
        return False
    return bool(getattr(stream, "isatty", lambda: False)())


def render_options(output: Path | None, quiet: bool = False, verbose: bool = False,
                   show_info: bool = False) -> RenderOptions:
    """Layout for a report written to ``output`` (None: standard output); ``show_info`` lists
    info findings in the reading formats (text, concise, github)."""
    stream = sys.stdout if output is None else None
    on_terminal = stream is not None and bool(getattr(stream, "isatty", lambda: False)())
    width = shutil.get_terminal_size((DEFAULT_WIDTH, 24)).columns if on_terminal else \
        int(os.environ.get("COLUMNS") or DEFAULT_WIDTH) if os.environ.get("COLUMNS", "").isdigit() \
        else DEFAULT_WIDTH
    return RenderOptions(width=max(width, 40), color=colour_wanted(stream), verbose=verbose,
                         quiet=quiet, cwd=Path.cwd(), show_info=show_info)


def severity_choice() -> click.Choice:
    return click.Choice([s.value for s in Severity], case_sensitive=False)


def at_least(result: ScanResult, level: str | None) -> ScanResult:
    """``result`` with the findings at or above ``level`` only (``--min-severity``)."""
    if not level:
        return result
    floor = Severity.parse(level).rank
    return replace(result, findings=tuple(f for f in result.findings if f.severity.rank >= floor))


@contextlib.contextmanager
def stdin_target(path: Path, stdin_filename: str | None) -> Iterator[tuple[Path, Path]]:
    """``(what to scan, where it stands)``: for ``-``, standard input written to a private
    folder under the name ``--stdin-filename`` gives (``stdin.py`` without one), standing at
    that name; any other path stands for itself."""
    if str(path) != STDIN:
        if stdin_filename:
            raise click.UsageError("--stdin-filename is only for PATH '-' (standard input)")
        yield path, path
        return
    shown = Path(stdin_filename or "stdin.py")
    if shown.suffix not in (".py", ".ipynb"):
        raise click.UsageError(f"--stdin-filename {shown}: fairlint scans .py and .ipynb files")
    data = click.get_binary_stream("stdin").read()
    with tempfile.TemporaryDirectory(prefix="fairlint-stdin-") as tmp:
        target = Path(tmp) / shown.name
        target.write_bytes(data)
        yield target, shown


def relocated(result: ScanResult, target: Path, shown: Path) -> ScanResult:
    """A result of scanning standard input as if the file stood at ``shown``."""
    if target == shown:
        return result
    root = os.path.abspath(shown.parent)
    return replace(result, root=root, notes=tuple(n.replace(str(target.parent), root) for n in result.notes))
