"""The history's outputs: text, JSON, CSV (two tables), and the HTML report with a Trend view.

Formatters return text; the CLI decides where it goes. CSV is two tables: one row per walked
commit (:data:`COMMIT_COLUMNS`) and one per finding (:data:`FINDING_COLUMNS`); columns are only
ever appended.
"""

from __future__ import annotations

import csv
import datetime as dt
import enum
import io
import json
from collections import Counter
from typing import Any, Mapping

from orchestrator.escape import csv_cell, printable
from orchestrator.history.timeline import SEVERITY_ORDER, CommitPoint, FindingLife, Timeline
from orchestrator.model import ScanResult
from orchestrator.rules.taxonomy import PATTERNS


class HistoryFormat(str, enum.Enum):
    TEXT = "text"
    JSON = "json"
    CSV = "csv"
    HTML = "html"


COMMIT_COLUMNS = ("seq", "commit", "date", "author", "subject", "tags", "status", "reason", "files",
                  "total", *SEVERITY_ORDER, "introduced", "fixed", "by_stage", "by_pattern")
FINDING_COLUMNS = ("fingerprint", "rule_id", "bias_pattern", "stage", "severity", "path", "line",
                   "status", "first_seen_commit", "first_seen_date", "first_seen_author",
                   "last_seen_commit", "fixed_commit", "fixed_date", "fixed_reason", "fixed_detail",
                   "reintroduced", "message")


# ------------------------------------------------------------------ JSON
def to_dict(line: Timeline) -> dict[str, Any]:
    return {"version": 1, "repository": line.repository, "selection": line.selection,
            "commits": [_commit_dict(p) for p in line.commits],
            "findings": [_finding_dict(f) for f in line.findings]}


def _commit_dict(p: CommitPoint) -> dict[str, Any]:
    c = p.commit
    return {"seq": p.seq, "commit": c.oid, "parents": list(c.parents), "author": c.author,
            "email": c.email, "date": c.date, "subject": c.subject, "tags": list(p.tags),
            "status": p.status, "reason": p.reason, "files": p.files, "total": p.total,
            "by_severity": p.by_severity, "by_stage": p.by_stage, "by_pattern": p.by_pattern,
            "introduced": list(p.introduced),
            "fixed": [{"fingerprint": x.fingerprint, "reason": x.reason, "detail": x.detail} for x in p.fixed]}


def _finding_dict(f: FindingLife) -> dict[str, Any]:
    last = f.last
    fixed = None
    if f.fixed_at:
        fixed = {"commit": f.fixed_at.oid, "date": f.fixed_at.date, "author": f.fixed_at.author,
                 "reason": f.fixed_reason, "detail": f.fixed_detail}
    return {"fingerprint": f.fingerprint, "rule_id": last.rule_id, "bias_pattern": last.bias_pattern,
            "stage": last.stage, "severity": last.severity, "score": last.score, "path": last.path,
            "line": last.line, "message": last.message, "repository_level": last.repository_level,
            "status": f.status,
            "first_seen": {"commit": f.first_seen.oid, "date": f.first_seen.date, "author": f.first_seen.author},
            "last_seen": f.last_seen.oid, "fixed": fixed, "reintroduced": f.reintroduced}


def render_json(line: Timeline) -> str:
    return json.dumps(to_dict(line), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


# ------------------------------------------------------------------ CSV
def render_csv(line: Timeline) -> tuple[str, str]:
    """(the per-commit table, the per-finding table)."""
    commits = [[p.seq, p.commit.oid, p.commit.date, p.commit.author, p.commit.subject, "; ".join(p.tags),
                p.status, p.reason, p.files, p.total, *(p.by_severity[s] for s in SEVERITY_ORDER),
                "; ".join(p.introduced), "; ".join(f"{x.fingerprint}={x.reason}" for x in p.fixed),
                _pairs(p.by_stage), _pairs(p.by_pattern)] for p in line.commits]
    findings = []
    for f in line.findings:
        fixed = f.fixed_at
        findings.append([f.fingerprint, f.last.rule_id, f.last.bias_pattern, f.last.stage, f.last.severity,
                         f.last.path, f.last.line, f.status, f.first_seen.oid, f.first_seen.date,
                         f.first_seen.author, f.last_seen.oid, fixed.oid if fixed else "",
                         fixed.date if fixed else "", f.fixed_reason, f.fixed_detail, f.reintroduced,
                         f.last.message])
    return _table(COMMIT_COLUMNS, commits), _table(FINDING_COLUMNS, findings)


def _pairs(counts: Mapping[str, int]) -> str:
    return "; ".join(f"{k}={v}" for k, v in counts.items())


def _table(columns: tuple[str, ...], rows: list[list[Any]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows([csv_cell(v) for v in row] for row in rows)  # no formulas, no terminal escapes
    return out.getvalue()


# ------------------------------------------------------------------ text
def render_text(line: Timeline, regressions: int = 10) -> str:
    """Per pattern: findings at the start, introduced, fixed, open now; then the newest
    regressions and the skipped commits. Text from the repository (names, paths, reasons) is
    shown with control and bidirectional characters escaped."""
    return printable(_text(line, regressions))


def _text(line: Timeline, regressions: int) -> str:
    points = [p for p in line.commits if p.status == "scanned"]
    skipped = [p for p in line.commits if p.status != "scanned"]
    start = set(points[0].introduced) if points else set()
    newest = line.newest
    lines = [f"fairlint history of {line.repository} ({line.selection}): {len(line.commits)} commit(s) walked, "
             f"{len(skipped)} skipped" + (f"; newest {newest.commit.oid[:12]} {newest.commit.date[:10]}" if newest else "")]
    rows = _pattern_rows(line, start)
    if rows:
        head = ("pattern", "at start", "introduced", "fixed", "open now")
        width = max(len(head[0]), *(len(r[0]) for r in rows))
        lines.append("")
        lines.append(f"{head[0]:<{width}}  " + "  ".join(f"{h:>10}" for h in head[1:]))
        for r in rows:
            lines.append(f"{r[0]:<{width}}  " + "  ".join(f"{v:>10}" for v in r[1:]))
    else:
        lines.append("No findings in any walked commit.")
    events = _regressions(points[1:], line)[:regressions]
    if events:
        lines += ["", "Newest regressions (first seen or back again, newest first):"]
        for p, f in events:
            where = f"{f.last.path}:{f.last.line}"
            state = "open" if f.status == "open" else f"fixed at {f.fixed_at.oid[:12]} ({f.fixed_reason})"
            lines.append(f"  {p.commit.oid[:12]} {p.commit.date[:10]} {p.commit.author}  "
                         f"{f.last.bias_pattern} {f.last.rule_id} {where}  [{state}]")
    if skipped:
        lines += ["", "Skipped commits:"]
        lines += [f"  {p.commit.oid[:12]} {p.reason}" for p in skipped]
    return "\n".join(lines) + "\n"


def _pattern_rows(line: Timeline, start: set[str]) -> list[tuple[str, int, int, int, int]]:
    at_start, introduced, fixed, open_now = Counter(), Counter(), Counter(), Counter()
    patterns = {f.fingerprint: f.last.bias_pattern for f in line.findings}
    for f in line.findings:
        (at_start if f.fingerprint in start else introduced)[f.last.bias_pattern] += 1
        if f.status == "open":
            open_now[f.last.bias_pattern] += 1
    for p in line.commits:
        for x in p.fixed:
            fixed[patterns[x.fingerprint]] += 1
    keys = sorted(set(at_start) | set(introduced) | set(fixed) | set(open_now))
    return [(_label(k), at_start[k], introduced[k], fixed[k], open_now[k]) for k in keys]


def _label(pattern: str) -> str:
    known = PATTERNS.get(pattern)
    label = f"{pattern} {known.name}" if known else (pattern or "(none)")
    return label if len(label) <= 48 else label[:47] + "…"


def _regressions(points: list[CommitPoint], line: Timeline) -> list[tuple[CommitPoint, FindingLife]]:
    lives = {f.fingerprint: f for f in line.findings}
    return [(p, lives[fp]) for p in reversed(points) for fp in p.introduced]


# ------------------------------------------------------------------ HTML
def ages(line: Timeline) -> dict[str, dict[str, Any]]:
    """Per fingerprint: where it was first seen, and its age in days at the newest walked commit."""
    newest = line.newest.commit.date if line.newest else ""
    out = {}
    for f in line.findings:
        out[f.fingerprint] = {"first_seen_commit": f.first_seen.oid, "first_seen_date": f.first_seen.date,
                              "first_seen_author": f.first_seen.author,
                              "age_days": _days(f.first_seen.date, newest), "status": f.status}
    return out


def _days(since: str, until: str) -> int | None:
    try:
        return max(0, (dt.datetime.fromisoformat(until) - dt.datetime.fromisoformat(since)).days)
    except ValueError:
        return None


def trend_payload(line: Timeline) -> dict[str, Any]:
    """What the report's Trend view reads (see report.js ``trendView``)."""
    index = {f.fingerprint: i for i, f in enumerate(line.findings)}
    commits = [{"oid": p.commit.oid, "date": p.commit.date, "author": p.commit.author,
                "subject": p.commit.subject, "tags": list(p.tags), "status": p.status, "reason": p.reason,
                "total": p.total, "sev": [p.by_severity[s] for s in reversed(SEVERITY_ORDER)],  # by rank
                "stage": p.by_stage, "pattern": p.by_pattern,
                "in": [index[fp] for fp in p.introduced],
                "out": [[index[x.fingerprint], x.reason, x.detail] for x in p.fixed]} for p in line.commits]
    findings = [{"fp": f.fingerprint, "rule": f.last.rule_id, "pattern": f.last.bias_pattern,
                 "stage": f.last.stage, "sev": SEVERITY_ORDER[::-1].index(f.last.severity)
                 if f.last.severity in SEVERITY_ORDER else 0, "path": f.last.path, "line": f.last.line,
                 "msg": f.last.message, "first": f.first_seen.oid, "status": f.status} for f in line.findings]
    return {"repository": line.repository, "selection": line.selection, "commits": commits, "findings": findings}


def render_html(line: Timeline, head: ScanResult, sources: Mapping[str, str] | None = None) -> str:
    """The scan report of the newest commit (``head``) with the Trend view and each finding's
    first-seen commit."""
    from dataclasses import replace

    from orchestrator.formats.html import HtmlFormatter

    scanned = [p for p in line.commits if p.status == "scanned"]
    if scanned:  # the report's root names the repository and commit, not the private snapshot folder
        head = replace(head, root=f"{line.repository} @ {scanned[-1].commit.oid[:12]}")
    return HtmlFormatter(sources, history={"trend": trend_payload(line), "ages": ages(line)}).render(head)


def render(line: Timeline, fmt: str | HistoryFormat, head: ScanResult | None = None,
           sources: Mapping[str, str] | None = None) -> str | tuple[str, str]:
    fmt = HistoryFormat(getattr(fmt, "value", fmt))
    if fmt is HistoryFormat.JSON:
        return render_json(line)
    if fmt is HistoryFormat.CSV:
        return render_csv(line)
    if fmt is HistoryFormat.HTML:
        if head is None:
            raise ValueError("the HTML history report needs the newest commit's scan result")
        return render_html(line, head, sources)
    return render_text(line)
