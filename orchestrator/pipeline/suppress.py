"""Inline suppressions: ``# fairlint: ignore[ID, ...] reason: <text>`` and ``# nosemgrep``.

A directive applies to a finding that starts or ends on its line; a directive alone on its
line also applies to a finding that starts on the next line. ``ID`` is a rule id (``missing-rows-dropped``) or a pattern id (``DP01``).

- Without a reason the directive is recorded with the problem ``"missing reason"`` (the gate
  fails on it) and suppresses nothing.
- Unknown ids and directives that suppress nothing are recorded with a problem (warnings).
- ``# nosemgrep`` / ``# nosemgrep: rule-id`` (Semgrep's own syntax) hides Semgrep matches; it
  is recorded when it hid a fairlint finding (other tools' ``nosemgrep`` comments are not ours
  to report).

Every directive that matters goes into ``ScanResult.suppressions``.
"""

from __future__ import annotations

import io
import re
import tokenize
from dataclasses import dataclass, replace
from typing import Callable, Collection, Hashable, Iterable, Mapping, Sequence

from orchestrator.model import Match, Suppression

MISSING_REASON = "missing reason"
MISSING_IDS = "missing ids"
SUPPRESSES_NOTHING = "suppresses nothing"

_FAIRLINT = re.compile(r"fairlint\s*:\s*ignore\b(?P<rest>.*)$", re.I)
_FAIRLINT_REST = re.compile(r"^\s*\[(?P<ids>[^\]]*)\]\s*(?:,?\s*reason\s*[:=]\s*(?P<reason>.*))?$", re.I)
_NOSEM = re.compile(r"\bnosem(?:grep)?\b(?:\s*:\s*(?P<ids>[\w.\-]+(?:\s*,\s*[\w.\-]+)*))?", re.I)


@dataclass(frozen=True)
class Directive:
    """One suppression comment at ``line`` of the scanned text."""

    line: int
    ids: tuple[str, ...]
    reason: str
    kind: str = "fairlint"  # or "nosemgrep"
    problem: str | None = None
    own_line: bool = False  # the comment stands alone: it also covers the next line

    @property
    def effective(self) -> bool:
        return self.problem not in (MISSING_REASON, MISSING_IDS)


def parse(text: str) -> list[Directive]:
    """Every suppression directive in a Python text's comments."""
    lowered = text.lower()
    if "fairlint" not in lowered and "nosem" not in lowered:
        return []  # most files: skip tokenizing
    out = []
    for line, comment, own_line in _comments(text):
        directive = parse_comment(comment, line)
        if directive:
            out.append(replace(directive, own_line=own_line))
    return out


def parse_comment(comment: str, line: int) -> Directive | None:
    body = comment.lstrip("#").strip()
    m = _FAIRLINT.search(body)
    if m:
        rest = _FAIRLINT_REST.match(m.group("rest"))
        if not rest:
            return Directive(line, (), "", "fairlint", MISSING_IDS)
        ids = _split_ids(rest.group("ids"))
        reason = (rest.group("reason") or "").strip()
        problem = MISSING_IDS if not ids else (MISSING_REASON if not reason else None)
        return Directive(line, ids, reason, "fairlint", problem)
    m = _NOSEM.search(body)
    if m:
        return Directive(line, _split_ids(m.group("ids") or ""), "", "nosemgrep")
    return None


def _split_ids(text: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(i.strip() for i in text.split(",") if i.strip()))


def _comments(text: str) -> Iterable[tuple[int, str, bool]]:
    """(line, comment text, alone on its line) triples: real comment tokens, or a line scan
    when tokenizing fails."""
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(text).readline))
        return [(t.start[0], t.string, not t.line[:t.start[1]].strip())
                for t in tokens if t.type == tokenize.COMMENT]
    except (tokenize.TokenError, SyntaxError, IndentationError):
        out = []
        for number, line in enumerate(text.splitlines(), start=1):
            idx = line.find("#")
            if idx >= 0 and ("fairlint" in line[idx:].lower() or "nosem" in line[idx:].lower()):
                out.append((number, line[idx:], not line[:idx].strip()))
        return out


# ------------------------------------------------------------------ applying
Key = Hashable  # (cell index or None, line): where a directive or a match stands


@dataclass(frozen=True)
class FileDirectives:
    """A file's directives and how a scanned-text line maps to a displayed (cell, line) key."""

    path: str
    directives: tuple[Directive, ...]
    key_of_line: Callable[[int], Key | None]
    display_line: Callable[[int], int]


def covers(file: FileDirectives, d: Directive, match: Match) -> bool:
    """Whether directive ``d`` stands where it applies to ``match``."""
    loc = match.location
    cell = loc.cell.index if loc.cell else None
    if file.key_of_line(d.line) in {(cell, loc.start_line), (cell, loc.end_line)}:
        return True
    return d.own_line and file.key_of_line(d.line + 1) == (cell, loc.start_line)


@dataclass(frozen=True)
class Applied:
    """The matches left after suppression (with their fingerprints) and the directives recorded."""

    kept: tuple[Match, ...]
    kept_fingerprints: tuple[str, ...]
    suppressions: tuple[Suppression, ...]


def apply(matches: Sequence[Match], fingerprints: Sequence[str],
          files: Mapping[str, FileDirectives], known_ids: Collection[str]) -> Applied:
    """Drop suppressed matches; keep the rest and record every directive worth recording.

    ``fingerprints[i]`` is the fingerprint of ``matches[i]``; ``files`` maps display paths to
    their directives.
    """
    hits: dict[tuple[str, int], list[str]] = {}
    kept, kept_fps = [], []
    for match, fp in zip(matches, fingerprints):
        file = files.get(match.location.path)
        hit = _suppressing(match, file) if file else None
        if hit is None:
            kept.append(match)
            kept_fps.append(fp)
        else:
            hits.setdefault((file.path, hit), []).append(fp)
    records = []
    for file in files.values():
        for index, d in enumerate(file.directives):
            suppressed = tuple(dict.fromkeys(hits.get((file.path, index), ())))
            record = _record(file, d, suppressed, known_ids)
            if record:
                records.append(record)
    records.sort(key=lambda s: (s.path, s.line, s.kind))
    return Applied(tuple(kept), tuple(kept_fps), tuple(records))


def _suppressing(match: Match, file: FileDirectives) -> int | None:
    for index, d in enumerate(file.directives):
        if not d.effective or not covers(file, d, match):
            continue
        if d.kind == "nosemgrep":
            if match.engine == "semgrep" and (not d.ids or match.rule_id in d.ids):
                return index
        elif match.rule_id in d.ids or (match.bias_pattern and match.bias_pattern in d.ids):
            return index
    return None


def _record(file: FileDirectives, d: Directive, suppressed: tuple[str, ...],
            known_ids: Collection[str]) -> Suppression | None:
    if d.kind == "nosemgrep" and not suppressed:
        return None
    problem = d.problem
    if problem is None and d.kind == "fairlint":
        problems = [f"unknown id {i}" for i in d.ids if i not in known_ids]
        if not suppressed:
            problems.append(SUPPRESSES_NOTHING)
        problem = "; ".join(problems) or None
    return Suppression(file.path, file.display_line(d.line), d.ids, d.reason, d.kind, suppressed, problem)
