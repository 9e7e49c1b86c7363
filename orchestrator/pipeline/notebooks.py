"""Jupyter notebooks as Python: extract the code cells into one script and map lines back.

The script keeps every code cell's lines in order, one blank separator line between cells, so a
match's line in the script maps to (cell, line in cell). IPython syntax that is not Python
(``%magic``, ``%%cell magic``, ``!shell``, ``x = !cmd``, ``obj?``) is replaced line for line by a
``pass`` placeholder at the same indentation, so parsing never breaks and lines never shift;
``%time``/``%timeit``/``%prun`` keep the statement they time (the magic becomes ``pass;``
padded to its width, so columns stay). Cells of non-Python cell magics (``%%bash``, ``%%writefile``, ...) become placeholders.

Nothing is executed: the notebook is read as JSON.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from orchestrator.model import CellRef


class NotebookError(ValueError):
    """The notebook cannot be read (invalid JSON, not nbformat, not Python)."""


class NotPython(NotebookError):
    """A well-formed notebook in another language (R, Julia): not analysed, not broken."""

    def __init__(self, language: str) -> None:
        super().__init__(f"not a Python notebook (language: {language})")
        self.language = language


@dataclass(frozen=True)
class LineOrigin:
    """Where one line of the extracted script came from."""

    cell_index: int  # index over all cells (0-based)
    line: int  # 1-based line inside the cell
    cell_id: str | None = None


@dataclass(frozen=True)
class ExtractedNotebook:
    """The script and, for each of its lines (index = script line - 1), the cell line it shows;
    separator lines map to None."""

    source: str
    origins: tuple[LineOrigin | None, ...]
    code_cells: int = 0

    def cell_ref(self, script_line: int) -> CellRef | None:
        origin = self.origin(script_line)
        if origin is None:
            return None
        return CellRef(origin.cell_index, origin.line, origin.cell_id)

    def origin(self, script_line: int) -> LineOrigin | None:
        if 1 <= script_line <= len(self.origins):
            return self.origins[script_line - 1]
        return None

    def map_range(self, start_line: int, end_line: int) -> tuple[CellRef, int, int] | None:
        """(cell, start line in cell, end line in cell) for a script range; the end is clamped
        to the start's cell. None when the start is not on a cell line."""
        start = self.origin(start_line)
        if start is None:
            return None
        end_in_cell = start.line
        for line in range(start_line, end_line + 1):
            origin = self.origin(line)
            if origin is None or origin.cell_index != start.cell_index:
                break
            end_in_cell = origin.line
        return CellRef(start.cell_index, start.line, start.cell_id), start.line, end_in_cell


# Cell magics whose body is Python (the first line is dropped, the body kept).
_PYTHON_CELL_MAGICS = {"time", "timeit", "capture", "prun", "debug", "python", "python3", "memit"}
# Line magics followed by a Python statement that should stay analysable.
_TIMING_MAGIC = re.compile(r"^(?P<indent>\s*)(?P<magic>%(?:time|timeit|prun)\b(?:\s+-\S+(?:\s+\d+)?)*\s+)(?P<code>\S.*)$")
_MAGIC_OR_SHELL = re.compile(r"^(?P<indent>\s*)(?:%|!)")
_ASSIGN_FROM_MAGIC = re.compile(r"^(?P<indent>\s*)(?P<lhs>[A-Za-z_][\w.]*(?:\s*,\s*[A-Za-z_][\w.]*)*)\s*=\s*[%!]")
_HELP = re.compile(r"^(?P<indent>\s*)(?:\?\??[\w.]+|[\w.]+\?\??)\s*$")


def extract(raw: bytes | str) -> ExtractedNotebook:
    """Extract the code cells of a notebook (its JSON text) into a Python script."""
    nb = _load(raw)
    cells = _cells(nb)
    lines: list[str] = []
    origins: list[LineOrigin | None] = []
    code_cells = 0
    for index, cell in enumerate(cells):
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        code_cells += 1
        cell_id = cell.get("id") if isinstance(cell.get("id"), str) else None
        cell_lines = _source_lines(cell)
        if lines:
            lines.append("")
            origins.append(None)
        for number, text in enumerate(_neutralise(cell_lines), start=1):
            lines.append(text)
            origins.append(LineOrigin(index, number, cell_id))
    source = "\n".join(lines) + ("\n" if lines else "")
    lone = _LONE_SURROGATE.search(source)
    if lone:  # "\ud800" in the JSON: no engine, cache or report can carry it
        raise NotebookError(f"a cell holds a lone surrogate (U+{ord(lone.group()):04X}), not valid text")
    return ExtractedNotebook(source, tuple(origins), code_cells)


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def _load(raw: bytes | str) -> dict[str, Any]:
    try:
        text = raw.decode("utf-8") if isinstance(raw, bytes) else raw
        nb = json.loads(text)
    except UnicodeDecodeError as exc:
        raise NotebookError(f"not valid UTF-8: {exc.reason} at byte {exc.start}") from None
    except json.JSONDecodeError as exc:
        raise NotebookError(f"invalid notebook JSON: {exc.msg} at line {exc.lineno}") from None
    except RecursionError:
        raise NotebookError("invalid notebook: JSON nested too deeply") from None
    except ValueError as exc:  # e.g. a 5,000-digit integer (Python's int conversion limit)
        raise NotebookError(f"invalid notebook JSON: {' '.join(str(exc).split())[:120]}") from None
    if not isinstance(nb, dict):
        raise NotebookError("invalid notebook: the top level is not an object")
    language = _language(nb)
    if language and language != "python":
        raise NotPython(language)
    return nb


def _language(nb: dict[str, Any]) -> str:
    meta = nb.get("metadata") if isinstance(nb.get("metadata"), dict) else {}
    for key in ("language_info", "kernelspec"):
        section = meta.get(key)
        if isinstance(section, dict):
            value = section.get("name" if key == "language_info" else "language")
            if isinstance(value, str) and value:
                return value.lower()
    return ""


def _cells(nb: dict[str, Any]) -> list[Any]:
    if isinstance(nb.get("cells"), list):  # nbformat 4
        return nb["cells"]
    worksheets = nb.get("worksheets")  # nbformat 3
    if isinstance(worksheets, list):
        cells: list[Any] = []
        for ws in worksheets:
            ws_cells = ws.get("cells") if isinstance(ws, dict) else None
            if not isinstance(ws_cells, list):
                raise NotebookError("invalid notebook: a worksheet's 'cells' is not a list")
            for cell in ws_cells:
                if isinstance(cell, dict) and "input" in cell and "source" not in cell:
                    cell = {**cell, "source": cell["input"]}
                cells.append(cell)
        return cells
    raise NotebookError("invalid notebook: no 'cells' list")


def _source_lines(cell: dict[str, Any]) -> list[str]:
    source = cell.get("source", "")
    if isinstance(source, list):
        source = "".join(s for s in source if isinstance(s, str))
    if not isinstance(source, str):
        raise NotebookError("invalid notebook: a cell's source is neither text nor a list of text")
    return source.replace("\r\n", "\n").replace("\r", "\n").split("\n") if source else []


def _placeholder(line: str) -> str:
    indent = re.match(r"\s*", line).group(0)
    return f"{indent}pass"


def _neutralise(cell_lines: list[str]) -> list[str]:
    """The cell's lines with IPython syntax replaced, same count, same indentation."""
    if cell_lines and cell_lines[0].lstrip().startswith("%%"):
        magic = cell_lines[0].strip()[2:].split()[0] if cell_lines[0].strip()[2:] else ""
        first = _placeholder(cell_lines[0])
        if magic in _PYTHON_CELL_MAGICS:
            return [first] + _neutralise(cell_lines[1:])
        return [first] + ["" for _ in cell_lines[1:]]  # a non-Python body: blank lines
    out: list[str] = []
    continued_from: str | None = None  # the magic line a backslash continues
    state = _Open()
    for line in cell_lines:
        if continued_from is not None:
            out.append(_placeholder(continued_from))
            if not line.rstrip().endswith("\\"):
                continued_from = None
            continue
        # Only a line that starts a statement can be IPython syntax: "% x)" inside an open
        # bracket is Python's modulo, a "!" line inside a string is text.
        new = _neutralise_line(line) if state.at_statement_start else line
        if new != line and line.rstrip().endswith("\\"):
            continued_from = line
        state = state.after(new)
        out.append(new)
    return out


@dataclass(frozen=True)
class _Open:
    """What is still open after a line: brackets, a triple-quoted string, a backslash."""

    depth: int = 0
    triple: str | None = None
    backslash: bool = False

    @property
    def at_statement_start(self) -> bool:
        return self.depth == 0 and self.triple is None and not self.backslash

    def after(self, line: str) -> "_Open":
        depth, triple, i = self.depth, self.triple, 0
        quote: str | None = None  # an open single-line string
        while i < len(line):
            ch = line[i]
            if triple:
                if line.startswith(triple, i):
                    triple, i = None, i + 3
                    continue
                i += 2 if ch == "\\" else 1
            elif quote:
                if ch == "\\":
                    i += 2
                    continue
                if ch == quote:
                    quote = None
                i += 1
            elif ch == "#":
                break
            elif line.startswith(('"""', "'''"), i):
                triple, i = line[i:i + 3], i + 3
            elif ch in "\"'":
                quote, i = ch, i + 1
            else:
                depth += 1 if ch in "([{" else -1 if ch in ")]}" else 0
                i += 1
        backslash = not triple and line.rstrip().endswith("\\") and not line.lstrip().startswith("#")
        return _Open(max(depth, 0), triple, backslash)


def _neutralise_line(line: str) -> str:
    timing = _TIMING_MAGIC.match(line)
    if timing:
        # "pass;" padded to the magic's width: indentation and columns stay as in the cell.
        return timing.group("indent") + "pass;".ljust(len(timing.group("magic"))) + timing.group("code")
    assign = _ASSIGN_FROM_MAGIC.match(line)
    if assign:
        return f"{assign.group('indent')}{assign.group('lhs')} = None"
    if _MAGIC_OR_SHELL.match(line) or _HELP.match(line):
        return _placeholder(line)
    return line


# ------------------------------------------------------------------ lines in the .ipynb file
_JSON_TOKEN = re.compile(r'"(?:[^"\\\n]|\\.)*"|[{}\[\]:,]|[^\s{}\[\]:,"]+')


def file_lines(raw: str) -> dict[int, list[tuple[int, str]]]:
    """For each cell (index over all cells, as :class:`LineOrigin` counts them), each source
    line's text and the 1-based line of the notebook file that holds it: what GitHub code
    scanning and editors show for a ``.ipynb``. Empty when the text is not a notebook's JSON."""
    tokens = [(m.group(), raw.count("\n", 0, m.start()) + 1) for m in _JSON_TOKEN.finditer(raw)]
    try:
        value, end = _json_value(tokens, 0, ())
    except (IndexError, ValueError):
        return {}
    if end != len(tokens) or not isinstance(value, dict):
        return {}
    cells = value.get("cells")
    if not isinstance(cells, list):
        cells = [c for ws in value.get("worksheets") or [] if isinstance(ws, dict)
                 for c in (ws.get("cells") or [])]
    out: dict[int, list[tuple[int, str]]] = {}
    for index, cell in enumerate(cells):
        if not isinstance(cell, dict):
            continue
        source = cell.get("source", cell.get("input"))
        parts = source if isinstance(source, list) else [source]
        lines: list[tuple[int, str]] = []
        for part in parts:
            if isinstance(part, tuple):  # (decoded text, file line)
                text, line = part
                pieces = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
                lines.extend((line, piece) for piece in (pieces[:-1] if text.endswith("\n") else pieces))
        out[index] = lines
    return out


def _json_value(tokens: list[tuple[str, int]], i: int, path: tuple) -> tuple[Any, int]:
    """A tiny JSON reader that keeps each string's file line: strings under a cell's ``source``
    become ``(text, line)``."""
    token, line = tokens[i]
    if token == "{":
        out: dict[str, Any] = {}
        i += 1
        while tokens[i][0] != "}":
            key = json.loads(tokens[i][0])
            if tokens[i + 1][0] != ":":
                raise ValueError("expected ':'")
            out[key], i = _json_value(tokens, i + 2, path + (key,))
            if tokens[i][0] == ",":
                i += 1
        return out, i + 1
    if token == "[":
        items: list[Any] = []
        i += 1
        while tokens[i][0] != "]":
            item, i = _json_value(tokens, i, path + (len(items),))
            items.append(item)
            if tokens[i][0] == ",":
                i += 1
        return items, i + 1
    value = json.loads(token)
    if isinstance(value, str) and any(p in ("source", "input") for p in path[-2:]):
        return (value, line), i + 1
    return value, i + 1
