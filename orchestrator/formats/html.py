"""The graphical report: one self-contained, offline HTML file (inline CSS/JS, no network).

Two entry points share one page: :class:`HtmlFormatter` renders a :class:`ScanResult`
(``fairlint scan PATH --format html``) and :func:`render_study_html` renders a
:class:`StudyData` (the study's report). The page reads all of its data from one
``<script type="application/json">`` element and builds the DOM with ``textContent``, so
nothing that comes from a scanned repository (file names, code, messages) is ever parsed as
HTML. A Content-Security-Policy meta tag allows only the page's own inline blocks (by
SHA-256 hash, computed at render time) and ``data:`` images.

The embedded data is compact for 10,000 findings: every string sits once in a string table
and rows refer to it by index; source context lines are read from ``root/path`` (never
outside root) and share that table, so vendored copies cost nothing extra.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Mapping, Sequence

import jinja2
from markupsafe import Markup

from orchestrator.formats.interface import Formatter
from orchestrator.model import (
    CellRef,
    Finding,
    Location,
    ScanResult,
    Severity,
    Suppression,
)
from orchestrator.rules import taxonomy
from orchestrator.rules.pack import STAGE_ORDER

CONTEXT_LINES = 3          # lines shown before and after the matched lines
MAX_MATCH_LINES = 40       # a longer match is cut in the code view
MAX_LINE_CHARS = 400       # longer source lines are cut
MAX_SOURCE_BYTES = 5_000_000
MAX_SNIPPET_CHARS = 4_000

# The columns of one embedded finding row; the page reads the names from the data.
ROW_COLUMNS = ("sev", "score", "rule", "pattern", "stage", "path", "line", "end", "msg", "fw",
               "repo", "group", "conf", "fp", "cell")

_SEVERITIES = tuple(s.value for s in sorted(Severity, key=lambda s: s.rank))  # info .. critical


# --------------------------------------------------------------------------- study input

@dataclass(frozen=True)
class StudyData:
    """What the study's HTML report shows. Rows are plain mappings (from the study tables).

    ``findings``: one per finding, keys ``repo``, ``path``, ``rule_id``, ``bias_pattern``,
    ``stage``, ``severity``, ``score``, ``fingerprint``, ``frameworks`` (list or
    comma-separated string); optional ``line``, ``end_line``, ``message``, ``group``
    (people-data or control), ``confidence``, ``snippet``, ``cell`` (index).
    ``repositories``: one per repository, any columns (``repo`` first is best); shown as a
    sortable table. ``prevalence``: keys ``pattern``, ``share`` (0..1) and ``framework``
    and/or ``group``; optional ``count`` and ``total``.
    ``meta``: key -> value (date, rule pack, counts ...) shown in the header and overview.
    Values may be pandas/numpy scalars or NaN (read as empty).
    ``min_cell_n``: prevalence cells over fewer repositories than this (``total``) are greyed
    out and show ``count/total`` instead of a share, as in the PNG heatmap (0: none).
    """

    findings: Sequence[Mapping[str, Any]] = ()
    repositories: Sequence[Mapping[str, Any]] = ()
    prevalence: Sequence[Mapping[str, Any]] = ()
    title: str = "fairlint study"
    meta: Mapping[str, Any] = field(default_factory=dict, hash=False)
    min_cell_n: int = 0

    def __post_init__(self) -> None:
        for name in ("findings", "repositories", "prevalence"):
            object.__setattr__(self, name, tuple(getattr(self, name)))
        for row in self.prevalence:
            if "pattern" not in row or "share" not in row:
                raise ValueError(f"prevalence row needs 'pattern' and 'share': {dict(row)!r}")


# --------------------------------------------------------------------------- formatter

class HtmlFormatter(Formatter):
    """Render a scan result as the self-contained HTML report."""

    name = "html"
    extension = "html"

    def __init__(self, sources: Mapping[str, str] | None = None,
                 history: Mapping[str, Any] | None = None) -> None:
        """``sources`` maps a finding path to its text; without it, text is read from root.
        ``history`` (from :mod:`orchestrator.history`): ``ages`` (fingerprint -> first seen)
        and optionally ``trend`` (the Trend view's commits and findings)."""
        self._sources = sources
        self._history = history

    def render(self, result: ScanResult) -> str:
        reader = _SourceReader(Path(result.root), self._sources)
        payload = _scan_payload(result, reader)
        payload.update(_history_block(self._history or ({"ages": result.history} if result.history else None)))
        payload.update(_measured_block(result))
        return _render_page(payload, title="fairlint report")


# --------------------------------------------------------------------------- history (issue 24)

def _history_block(history: Mapping[str, Any] | None) -> dict[str, Any]:
    """The Trend view's data (``trend``) and each finding's first-seen commit (``ages``), as
    plain JSON; the page builds its DOM from them with ``textContent`` like everything else."""
    if not history:
        return {}
    out: dict[str, Any] = {}
    if history.get("ages"):
        out["ages"] = _plain_tree(history["ages"])
    if history.get("trend"):
        out["trend"] = _plain_tree(history["trend"])
    return out


def _plain_tree(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {str(k): _plain_tree(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain_tree(v) for v in value]
    return _plain(value)


# --------------------------------------------------------------------------- measured (issue 23)

def _measured_block(result: ScanResult) -> dict[str, Any]:
    """The Measured view's data: ``ScanResult.measured`` (plain data from ``fairlint scan
    --measure``) as JSON-safe values; the page builds it with ``textContent`` like everything else."""
    if not result.measured:
        return {}
    return {"measured": _plain_tree(result.measured)}


def render_study_html(study: StudyData) -> str:
    """Render the study's report (prevalence heatmaps, repositories, findings)."""
    return _render_page(_study_payload(study), title=study.title)


# --------------------------------------------------------------------------- payloads

class _Strings:
    """A string table: every distinct string once, referred to by index."""

    def __init__(self) -> None:
        self._index: dict[str, int] = {}
        self.items: list[str] = []

    def __call__(self, value: Any) -> int:
        text = "" if value is None else str(value)
        idx = self._index.get(text)
        if idx is None:
            idx = self._index[text] = len(self.items)
            self.items.append(text)
        return idx


def _scan_payload(result: ScanResult, reader: "_SourceReader") -> dict[str, Any]:
    s = _Strings()
    rows, details = [], []
    for f in result.findings:
        rows.append(_scan_row(f, s))
        details.append(_scan_detail(f, s, reader))
    return {
        "kind": "scan",
        "meta": {"root": result.root, "files_scanned": result.files_scanned,
                 "duration_s": round(result.duration_s, 2), "fairlint": result.tool.fairlint,
                 "rule_pack": result.tool.rule_pack, "semgrep": result.tool.semgrep,
                 "codeql": result.tool.codeql, "engines": list(result.tool.engines),
                 "config": result.config, "notes": list(result.notes)},
        **_common(s, rows, details),
        "skipped": [[sk.path, sk.reason, sk.detail] for sk in result.skipped],
        "suppressions": [_suppression(sp) for sp in result.suppressions],
        "errors": list(result.errors),
    }


def _common(s: _Strings, rows: list, details: list) -> dict[str, Any]:
    return {"severities": list(_SEVERITIES), "stages": list(STAGE_ORDER),
            "patterns": {p.id: p.name for p in taxonomy.PATTERNS.values()},
            "cols": list(ROW_COLUMNS), "rows": rows, "details": details, "s": s.items}


def _scan_row(f: Finding, s: _Strings) -> list[Any]:
    return [f.severity.rank, round(f.score, 2), s(f.rule_id), s(f.bias_pattern), s(f.stage),
            s(f.path), f.start_line, f.end_line, s(f.message), [s(t) for t in f.frameworks],
            -1, -1, s(f.confidence), s(f.fingerprint), f.cell.index if f.cell else -1]


def _scan_detail(f: Finding, s: _Strings, reader: "_SourceReader") -> dict[str, Any]:
    d: dict[str, Any] = {
        "snip": s(_cut(f.snippet, MAX_SNIPPET_CHARS)),
        "factors": [[s(x.name), round(x.value, 3), s(x.reason)] for x in f.score_factors],
        "occ": [_location(loc, s) for loc in f.occurrences],
        "refs": [s(r) for r in f.references],
        "by": [s(b) for b in f.found_by],
        "col": [f.start_col, f.end_col],
    }
    if f.pattern_name:
        d["pname"] = s(f.pattern_name)
    if f.cell:
        d["cell"] = _cell(f.cell, s)
    if f.evidence:
        d["ev"] = [s(e) for e in f.evidence]
    if f.code_flow:
        d["flow"] = [_location(loc, s) for loc in f.code_flow]
    if f.repository_level:
        d["repo_level"] = 1
    ctx = reader.context(f)
    if ctx:
        first, lines = ctx
        d["ctx"] = [first, [s(line) for line in lines]]
    return d


def _location(loc: Location, s: _Strings) -> list[Any]:
    out = [s(loc.path), loc.start_line, loc.end_line]
    if loc.cell:
        out.append(_cell(loc.cell, s))
    return out


def _cell(cell: CellRef, s: _Strings) -> list[Any]:
    return [cell.index, cell.line, s(cell.id) if cell.id else -1]


def _suppression(sp: Suppression) -> list[Any]:
    return [sp.path, sp.line, list(sp.ids), sp.reason, sp.kind, len(sp.suppressed), sp.problem or ""]


def _study_payload(study: StudyData) -> dict[str, Any]:
    s = _Strings()
    rows, details = [], []
    for r in study.findings:
        rows.append(_study_row(r, s))
        details.append(_study_detail(r, s))
    return {
        "kind": "study", "title": study.title,
        "meta": {str(k): _plain(v) for k, v in study.meta.items()},
        **_common(s, rows, details),
        "repos": _table(study.repositories),
        "prevalence": [_prevalence_row(row, study.min_cell_n) for row in study.prevalence],
        "min_cell_n": study.min_cell_n,
    }


def _prevalence_row(row: Mapping[str, Any], min_cell_n: int) -> dict[str, Any]:
    """A prevalence cell as plain data; ``small`` when it stands on fewer than ``min_cell_n``
    repositories (an unknown ``total`` is never small)."""
    out = {str(k): _plain(v) for k, v in row.items()}
    total = _number(row.get("total")) if _text(row.get("total")) else None
    out["small"] = total is not None and total < min_cell_n
    return out


def _study_row(r: Mapping[str, Any], s: _Strings) -> list[Any]:
    def text(key: str) -> int:
        return s(_text(r.get(key)))

    sev = Severity.parse(_text(r.get("severity")) or "info")
    line = _int(r.get("line", r.get("start_line", 0)))
    group, cell = _text(r.get("group")), r.get("cell")
    return [sev.rank, round(_number(r.get("score")), 2), text("rule_id"), text("bias_pattern"), text("stage"),
            text("path"), line, _int(r.get("end_line", line)) or line, text("message"),
            [s(x) for x in _frameworks(r.get("frameworks"))], text("repo"), s(group) if group else -1,
            text("confidence"), text("fingerprint"), _int(cell, -1) if _text(cell) else -1]


def _study_detail(r: Mapping[str, Any], s: _Strings) -> dict[str, Any]:
    d: dict[str, Any] = {"snip": s(_cut(_text(r.get("snippet")), MAX_SNIPPET_CHARS))}
    if _text(r.get("pattern_name")):
        d["pname"] = s(_text(r["pattern_name"]))
    refs = r.get("references")
    if isinstance(refs, (list, tuple)) and refs:
        d["refs"] = [s(x) for x in refs]
    return d


def _text(value: Any) -> str:
    """A table cell as text: None and NaN are empty."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    return str(value)


def _number(value: Any) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return 0.0
    return number if number == number else 0.0


def _frameworks(value: Any) -> list[str]:
    if value is None or (isinstance(value, float) and value != value):
        return []
    if isinstance(value, str):
        return [v.strip() for v in value.split(",") if v.strip()]
    return [str(v) for v in value]


def _table(rows: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    columns: list[str] = []
    for row in rows:
        columns.extend(k for k in map(str, row) if k not in columns)
    return {"columns": columns, "rows": [[_plain(row.get(c)) for c in columns] for row in rows]}


def _plain(value: Any) -> Any:
    """A JSON-safe scalar or list (NaN -> None; numpy scalars and the rest -> str)."""
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        return None if value != value or value in (float("inf"), float("-inf")) else round(value, 4)
    if isinstance(value, (list, tuple, set, frozenset)):
        return [_plain(v) for v in value]
    if hasattr(value, "item"):  # numpy / pandas scalars
        return _plain(value.item())
    return str(value)


def _int(value: Any, default: int = 0) -> int:
    try:
        return int(value)
    except (TypeError, ValueError, OverflowError):
        return default


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit] + " …"


# --------------------------------------------------------------------------- source context

class _SourceReader:
    """Reads context lines for findings: from ``sources`` when given, else from root/path.

    Paths that leave root (``..``, absolute, symlinks out) and unreadable files give no
    context (the page then shows the snippet only). Notebook findings read their cell.
    """

    def __init__(self, root: Path, sources: Mapping[str, str] | None = None) -> None:
        self._root = root
        self._sources = sources
        self._cache: dict[str, list[str] | None] = {}
        self._cells: dict[tuple[str, int], list[str] | None] = {}

    def context(self, f: Finding) -> tuple[int, list[str]] | None:
        if f.cell is not None:
            lines = self._cell_lines(f.path, f.cell.index)
            start = f.cell.line
        else:
            lines = self._lines(f.path)
            start = f.start_line
        if not lines or start < 1 or start > len(lines):
            return None
        end = min(max(start, start + f.end_line - f.start_line), start + MAX_MATCH_LINES - 1)
        first = max(1, start - CONTEXT_LINES)
        last = min(len(lines), end + CONTEXT_LINES)
        return first, [_cut(line, MAX_LINE_CHARS) for line in lines[first - 1:last]]

    def _lines(self, path: str) -> list[str] | None:
        if path not in self._cache:
            text = self._text(path)
            self._cache[path] = None if text is None else text.splitlines()
        return self._cache[path]

    def _text(self, path: str) -> str | None:
        if self._sources is not None:
            return self._sources.get(path)
        file = _inside(self._root, path)
        if file is None:
            return None
        try:
            if file.stat().st_size > MAX_SOURCE_BYTES:
                return None
            return file.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return None

    def _cell_lines(self, path: str, index: int) -> list[str] | None:
        key = (path, index)
        if key not in self._cells:
            self._cells[key] = _notebook_cell(self._text(path), index)
        return self._cells[key]


def _inside(root: Path, path: str) -> Path | None:
    """``root/path`` resolved, or None when it is not a regular file inside root."""
    if not path or "\x00" in path:
        return None
    try:
        base = root.resolve()
        file = (base / path).resolve()
    except (OSError, RuntimeError, ValueError):
        return None
    if file == base or base not in file.parents or not file.is_file():
        return None
    return file


def _notebook_cell(text: str | None, index: int) -> list[str] | None:
    """The source lines of cell ``index`` (over all cells) of a notebook's JSON text."""
    if not text:
        return None
    try:
        cells = json.loads(text).get("cells", [])
        source = cells[index].get("source", "")
    except (ValueError, AttributeError, IndexError, TypeError):
        return None
    if isinstance(source, list):
        source = "".join(str(part) for part in source)
    return str(source).splitlines()


# --------------------------------------------------------------------------- page

_TEMPLATES = jinja2.Environment(
    loader=jinja2.PackageLoader("orchestrator.formats", "templates"),
    autoescape=True,
    keep_trailing_newline=True,
)

_JSON_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028",
                 "\u2029": "\\u2029"}
_JSON_ESCAPE_RE = re.compile("[<>&\u2028\u2029]")


def json_for_script(data: Any) -> str:
    """JSON that is inert inside ``<script type="application/json">``: no ``<``, ``>``, ``&``
    or line separators appear literally (they are \\u escapes), so ``</script>`` and
    ``<!--`` cannot end or change the element."""
    text = json.dumps(data, ensure_ascii=True, separators=(",", ":"), allow_nan=False)
    return _JSON_ESCAPE_RE.sub(lambda m: _JSON_ESCAPES[m.group(0)], text)


def csp_hash(block: str) -> str:
    digest = hashlib.sha256(block.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


@lru_cache(maxsize=None)
def _asset(name: str) -> str:
    source, _, _ = _TEMPLATES.loader.get_source(_TEMPLATES, name)  # type: ignore[union-attr]
    return source


def _render_page(payload: dict[str, Any], title: str) -> str:
    css, js = _asset("report.css"), _asset("report.js")
    csp = "; ".join((
        "default-src 'none'", f"script-src {csp_hash(js)}", f"style-src {csp_hash(css)}",
        "img-src data:", "font-src 'none'", "connect-src 'none'", "base-uri 'none'",
        "form-action 'none'", "object-src 'none'",
    ))
    page = _TEMPLATES.get_template("report.html.j2")
    return page.render(title=title, csp=csp, css=Markup(css), js=Markup(js),
                       data=Markup(json_for_script(payload)))
