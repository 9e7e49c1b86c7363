"""Plain text for terminals and CI logs: findings grouped by file, most severe first.

::

    src/prep.py
      HIGH      8.0  DP01  line 12     missing-rows-dropped
                     `df` is filtered by deleting every row ...

    12 findings (1 critical, 3 high, 6 medium, 2 low, 0 info) in 4 files; 30 files scanned, ...
"""

from __future__ import annotations

from collections import defaultdict

from orchestrator.formats.interface import Formatter
from orchestrator.model import Finding, ScanResult, Severity

LEVELS = tuple(sorted(Severity, key=lambda s: -s.rank))  # critical .. info


def _sort_key(f: Finding) -> tuple:
    return (-f.severity.rank, -f.score, f.start_line, f.start_col, f.rule_id)


def _where(f: Finding) -> str:
    if f.cell is not None:
        return f"cell {f.cell.index} line {f.cell.line}"
    return f"line {f.start_line}"


def _finding_lines(f: Finding) -> list[str]:
    tags = [f.rule_id]
    if f.repository_level:
        tags.append("[repository]")
    if len(f.occurrences) > 1:
        tags.append(f"(+{len(f.occurrences) - 1} more places)")
    head = (f"  {f.severity.value.upper():<8} {f.score:4.1f}  {f.bias_pattern:<4}  "
            f"{_where(f):<14} {' '.join(tags)}")
    return [head, f"{'':17}{' '.join(f.message.split())}"]


def summary(result: ScanResult) -> str:
    counts = defaultdict(int)
    for f in result.findings:
        counts[f.severity] += 1
    files = len({f.path for f in result.findings})
    levels = ", ".join(f"{counts[s]} {s.value}" for s in LEVELS)
    n = len(result.findings)
    return (f"{n} finding{'s' if n != 1 else ''} ({levels}) in {files} file{'s' if files != 1 else ''}; "
            f"{result.files_scanned} files scanned, {len(result.skipped)} skipped, "
            f"{len(result.suppressions)} suppressions, {len(result.errors)} errors")


class TextFormatter(Formatter):
    name = "text"
    extension = "txt"

    def render(self, result: ScanResult) -> str:
        by_file: dict[str, list[Finding]] = defaultdict(list)
        for f in result.findings:
            by_file[f.path].append(f)
        order = sorted(by_file, key=lambda p: (-max(f.severity.rank for f in by_file[p]),
                                               -max(f.score for f in by_file[p]), p))
        lines: list[str] = []
        for path in order:
            lines.append(path)
            for f in sorted(by_file[path], key=_sort_key):
                lines.extend(_finding_lines(f))
            lines.append("")
        lines.extend(self._problems(result))
        lines.extend(measure_lines(result))
        lines.append(summary(result))
        return "\n".join(lines) + "\n"

    @staticmethod
    def _problems(result: ScanResult) -> list[str]:
        lines = [f"skipped {s.path}: {s.reason}" + (f" ({s.detail})" if s.detail else "")
                 for s in result.skipped]
        lines += [f"suppression problem {s.path}:{s.line}: {s.problem}"
                  for s in result.suppressions if s.problem]
        lines += [f"error: {e}" for e in result.errors]
        return lines + [""] if lines else []


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
