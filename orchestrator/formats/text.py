"""Text for terminals and CI logs, laid out like ruff's: one block per finding, most severe first.

::

    credit/prepare.py:12:19: HIGH DP03 label-encoding-of-nominal-feature
       |
    12 | df["race_code"] = LabelEncoder().fit_transform(df["race"])
       |                   ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
       = `LabelEncoder` turns a nominal feature into ordered integers.

    Found 12 findings (1 critical, 3 high, 6 medium, 2 low, 0 info) in 4 of 30 files scanned.

The header is clickable in terminals and editors (``path:line:col``, relative to the current
folder when the CLI says so). The message is wrapped to the terminal width; its first sentence
is shown, the rest (evidence, the other places) under ``--verbose``. Control and bidirectional
characters from the scanned files are shown escaped. ``--format concise`` prints one line per
finding (:class:`ConciseFormatter`).
"""

from __future__ import annotations

import textwrap
from collections import defaultdict

from orchestrator.escape import printable
from orchestrator.formats.interface import Formatter
from orchestrator.formats.notebook_lines import NotebookLines
from orchestrator.model import Finding, ScanResult, Severity

LEVELS = tuple(sorted(Severity, key=lambda s: -s.rank))  # critical .. info
#: ANSI styles per severity (bold red .. dim), and for the location and the gutter.
_STYLE = {Severity.CRITICAL: "1;31", Severity.HIGH: "31", Severity.MEDIUM: "33", Severity.LOW: "34",
          Severity.INFO: "2"}
_BOLD, _DIM = "1", "2"
#: Places listed under a finding besides its own (the rest counted).
MAX_PLACES = 3

def sort_key(f: Finding) -> tuple:
    return (-f.severity.rank, -f.score, f.path, f.cell.index if f.cell else -1, f.start_line,
            f.start_col, f.rule_id)


def first_sentence(message: str) -> tuple[str, str]:
    """(first sentence, the rest) of a message; periods inside backticks or parentheses
    (``torch.nn``, "e.g.") do not end it."""
    text = " ".join(message.split())
    depth, quoted = 0, False
    for i, ch in enumerate(text):
        if ch == "`":
            quoted = not quoted
        elif not quoted and ch in "([":
            depth += 1
        elif not quoted and ch in ")]":
            depth = max(depth - 1, 0)
        elif (ch == "." and not quoted and depth == 0 and text[i + 1:i + 2] == " "
              and text[i + 2:i + 3][:1].isupper()):
            return text[:i + 1], text[i + 2:]
    return text, ""


def shown(result: ScanResult, show_info: bool) -> list[Finding]:
    """The findings a reading format lists, most severe first: ``info`` ones only with
    ``--show-info`` (they are there for the record: JSON and SARIF keep them)."""
    return sorted((f for f in result.findings if show_info or f.severity is not Severity.INFO),
                  key=sort_key)


def summary(result: ScanResult, show_info: bool = True) -> str:
    """``Found N findings (..by severity..) in F of S files scanned; ...``: F counts every file
    a finding stands in (copies too), S every file read. Without ``show_info`` the info
    findings are counted apart, as hidden."""
    counts: dict[Severity, int] = defaultdict(int)
    for f in result.findings:
        counts[f.severity] += 1
    listed = shown(result, show_info)
    with_findings = len({loc.path for f in listed for loc in f.occurrences} | {f.path for f in listed})
    hide = not show_info and counts[Severity.INFO] > 0
    levels = ", ".join(f"{counts[s]} {s.value}" + (" hidden: --show-info lists them"
                                                    if hide and s is Severity.INFO else "")
                       for s in LEVELS)
    extras = [f"{len(result.skipped)} skipped", _plural(len(result.suppressions), "suppression"),
              _plural(len(result.errors), "error")]
    return (f"Found {_plural(len(listed), 'finding')} ({levels}) in {with_findings} of "
            f"{_plural(result.files_scanned, 'file')} scanned; {', '.join(extras)}.")


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


class TextFormatter(Formatter):
    name = "text"
    extension = "txt"
    _notebooks: NotebookLines | None = None

    def render(self, result: ScanResult) -> str:
        self._notebooks = NotebookLines(result.root)
        lines: list[str] = []
        for f in shown(result, self.options.show_info):
            lines.extend(self.block(result, f))
            lines.append("")
        if not self.options.quiet:
            lines.extend(self.trailer(result))
        return "\n".join(lines) + "\n" if lines else ""

    # ------------------------------------------------------------ one finding
    def header(self, result: ScanResult, f: Finding) -> str:
        where = self._paint(printable(self.location(result, f)), _BOLD)
        level = self._paint(f.severity.value.upper(), _STYLE[f.severity])
        return f"{where}: {level} {f.bias_pattern} {f.rule_id}"

    def block(self, result: ScanResult, f: Finding) -> list[str]:
        lines = [self.header(result, f)]
        code = self.code(f)
        lines.extend(code)
        gutter = " " * (len(code[0]) - 1 if code else 1)  # under the line numbers' "|"
        first, rest = first_sentence(printable(f.message))
        lines.extend(self._wrap(first, f"{gutter}= "))
        more = f"{gutter}  "
        if self.options.verbose:
            if rest:
                lines.extend(self._wrap(rest, more))
            lines.extend(self._wrap(f"score {f.score:.1f}, confidence {f.confidence}, found by "
                                    f"{', '.join(f.found_by)}", more))
            for item in f.evidence:
                lines.extend(self._wrap(f"evidence: {printable(item)}", more))
        if f.repository_level:
            lines.extend(self._wrap("repository-level: decided over the whole scanned tree", more))
        lines.extend(self.places(result, f, more))
        return lines

    def code(self, f: Finding) -> list[str]:
        """The finding's first line with a caret under the matched columns (none for findings
        without source text)."""
        source = f.snippet.split("\n")[0] if f.snippet else ""
        if f.cell is not None and self._notebooks is not None:  # the cell's line as written (the snippet has magics neutralised)
            source = self._notebooks.cell_text(f) or source
        if not source.strip():
            return []
        number = str(f.cell.line if f.cell is not None else f.start_line)
        gutter = " " * len(number)
        room = max(self.options.width - len(number) - 3, 20)
        text = printable(source.expandtabs(4))
        start = max(f.start_col - 1, 0)
        start = len(printable(source[:start].expandtabs(4)))
        end = len(text) if f.end_line != f.start_line or f.end_col <= f.start_col else \
            len(printable(source[:f.end_col - 1].expandtabs(4)))
        if len(text) > room:
            text = text[:room - 1] + "…"
        start, end = min(start, len(text) - 1), min(max(end, start + 1), len(text))
        caret = " " * start + "^" * max(end - start, 1)
        bar = self._paint("|", _STYLE[f.severity])
        return [f"{gutter} {bar}", f"{number} {bar} {text}",
                f"{gutter} {bar} {self._paint(caret, _STYLE[f.severity])}"]

    def places(self, result: ScanResult, f: Finding, indent: str) -> list[str]:
        others = [loc for loc in f.occurrences[1:]]
        if not others:
            return []
        limit = len(others) if self.options.verbose else MAX_PLACES
        shown = [f"{printable(self.shown_path(result, loc.path))}:{loc.start_line}" for loc in others[:limit]]
        more = len(others) - len(shown)
        text = "also at " + ", ".join(shown) + (f" and {more} more" if more else "")
        return self._wrap(text, indent)

    # ------------------------------------------------------------ the end
    def trailer(self, result: ScanResult) -> list[str]:
        lines: list[str] = []
        for s in result.skipped:
            detail = f" ({printable(s.detail)})" if s.detail else ""
            lines.extend(self._wrap(f"skipped {printable(self.shown_path(result, s.path))}: {s.reason}{detail}", ""))
        for s in result.suppressions:
            if s.problem:
                lines.extend(self._wrap(f"suppression problem {printable(self.shown_path(result, s.path))}:"
                                        f"{s.line}: {printable(s.problem)}", ""))
        lines.extend(l for e in result.errors for l in self._wrap(f"error: {printable(e)}", ""))
        lines.extend(l for n in result.notes for l in self._wrap(f"note: {printable(n)}", ""))
        lines.extend(l for m in measure_lines(result) for l in self._wrap(printable(m), ""))
        if lines:
            lines.append("")
        lines.extend(self._wrap(summary(result, self.options.show_info), ""))
        return lines

    # ------------------------------------------------------------ helpers
    def _wrap(self, text: str, indent: str) -> list[str]:
        rest = " " * len(indent)
        return textwrap.wrap(text, width=max(self.options.width, 40), initial_indent=indent,
                             subsequent_indent=rest, break_on_hyphens=False) or [indent.rstrip()]

    def _paint(self, text: str, style: str) -> str:
        return f"\x1b[{style}m{text}\x1b[0m" if self.options.color else text


class ConciseFormatter(TextFormatter):
    """``path:line:col: SEVERITY ID rule-id first sentence``, one line per finding."""

    name = "concise"

    def render(self, result: ScanResult) -> str:
        lines = [f"{self.header(result, f)} {first_sentence(printable(f.message))[0]}"
                 for f in shown(result, self.options.show_info)]
        if not self.options.quiet:
            lines.extend(f"note: {printable(n)}" for n in result.notes)
            lines.append(summary(result, self.options.show_info))
        return "\n".join(lines) + "\n" if lines else ""


# ------------------------------------------------------------ measured figures (fairlint scan --measure)
def _figure(estimate: dict) -> str:
    value = estimate.get("value")
    return estimate.get("note", "undefined") if value is None else f"{value:+.3f}"


def measure_lines(result: ScanResult) -> list[str]:
    """What ``ScanResult.measured`` shows (each conditional DD -> CDD and its kind, the findings
    linked), or the suggested ``fairlint measure`` command when nothing was measured."""
    measured = result.measured
    if not measured:
        suggestion = result.suggest_measure
        return [f"to confirm: {suggestion['command']}"] if suggestion else []
    lines = [f"measured {measured['source']}: {measured['rows_used']} rows, label {measured['label']['column']!r}"]
    for comp in measured["comparisons"]:
        subject = f"{comp['facet']} = {comp['value']}"
        if comp["too_small"]:
            lines.append(f"  {subject}: too small to judge")
            continue
        if not comp["conditional"]:
            dd = comp["label_metrics"].get("DD", {})
            lines.append(f"  {subject}: DD {_figure(dd)}")
        for cond in comp["conditional"]:
            kind = cond["simpson"]["kind"]
            flag = " (Simpson's paradox)" if kind == "reversal" else ""
            lines.append(f"  {subject}: {cond['marginal']['metric']} {_figure(cond['marginal'])} -> "
                         f"{cond['metric']}[{cond['group']}] {_figure(cond['conditional'])}: {kind}{flag}")
    linked = measured.get("findings", {})
    if linked:
        facets = sorted({c for cols in linked.values() for c in cols})
        lines.append(f"  {len(linked)} finding(s) bear on the measured facets ({', '.join(facets)})")
    return lines
