"""From stored commits to a timeline: per commit its counts and what came and went, per finding
(by its line-free fingerprint) where it first appeared and where and why it disappeared.

A finding disappears at the first walked commit that no longer reports it, for one of three
reasons, checked in this order:

- ``suppressed``: a suppression hid it there (the suppression's reason is kept);
- ``file removed``: its file is not in that commit's tree;
- ``configuration changed``: the commit changed the project's configuration file
  (``.fairlint.yml``, ``pyproject.toml``: a rule disabled, a path excluded);
- ``code changed``: anything else (the flagged code was edited or deleted, the repository-level
  evidence changed).

A finding that comes back later is ``open`` again (``reintroduced`` counts how often). Skipped
commits (tree unreadable) are listed but neither add nor remove anything.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Mapping, Sequence

from orchestrator.history.repo import Commit
from orchestrator.history.store import StoredCommit, StoredFinding

SUPPRESSED, FILE_REMOVED, CONFIGURATION, CODE_CHANGED = ("suppressed", "file removed", "configuration changed",
                                                          "code changed")
SEVERITY_ORDER = ("critical", "high", "medium", "low", "info")


@dataclass(frozen=True)
class Fixed:
    fingerprint: str
    reason: str
    detail: str = ""  # the suppression's reason


@dataclass(frozen=True)
class CommitPoint:
    """One walked commit."""

    seq: int  # 1 = the oldest walked commit
    commit: Commit
    tags: tuple[str, ...]
    status: str
    reason: str
    files: int
    total: int
    by_severity: dict[str, int]
    by_stage: dict[str, int]
    by_pattern: dict[str, int]
    introduced: tuple[str, ...]
    fixed: tuple[Fixed, ...]


@dataclass(frozen=True)
class FindingLife:
    """One fingerprint over the walk; ``last`` is how it looked the last time it was seen."""

    fingerprint: str
    last: StoredFinding
    first_seen: Commit
    last_seen: Commit
    fixed_at: Commit | None = None
    fixed_reason: str = ""
    fixed_detail: str = ""
    reintroduced: int = 0

    @property
    def status(self) -> str:
        return "fixed" if self.fixed_at else "open"


@dataclass(frozen=True)
class Timeline:
    commits: tuple[CommitPoint, ...]
    findings: tuple[FindingLife, ...]
    repository: str = ""
    selection: str = ""
    meta: dict = field(default_factory=dict, hash=False, compare=False)

    @property
    def newest(self) -> CommitPoint | None:
        return self.commits[-1] if self.commits else None


def build(stored: Sequence[StoredCommit], tags: Mapping[str, Sequence[str]] | None = None,
          repository: str = "", selection: str = "") -> Timeline:
    """The timeline of ``stored`` (oldest first)."""
    tags = tags or {}
    lives: dict[str, dict] = {}
    present: dict[str, StoredFinding] = {}
    config = None
    points = []
    for seq, sc in enumerate(stored, start=1):
        if sc.status != "scanned":
            points.append(_point(seq, sc, tags, (), (), []))
            continue
        now = {f.fingerprint: f for f in sc.findings}
        introduced = tuple(sorted(fp for fp in now if fp not in present))
        reconfigured = config is not None and sc.config != config
        fixed = tuple(_fixed(fp, present[fp], sc, reconfigured) for fp in sorted(present) if fp not in now)
        config = sc.config
        for fp in introduced:
            life = lives.get(fp)
            if life is None:
                lives[fp] = {"first_seen": sc.commit, "reintroduced": 0}
            else:
                life["reintroduced"] += 1
                life.pop("fixed", None)
        for fx in fixed:
            lives[fx.fingerprint]["fixed"] = (sc.commit, fx)
        for fp, f in now.items():
            lives[fp].update(last=f, last_seen=sc.commit)
        present = now
        points.append(_point(seq, sc, tags, introduced, fixed, list(now.values())))
    findings = tuple(_life(fp, v) for fp, v in lives.items())
    findings = tuple(sorted(findings, key=lambda f: (f.first_seen.date, f.last.path, f.last.line, f.fingerprint)))
    return Timeline(tuple(points), findings, repository, selection)


def _fixed(fp: str, f: StoredFinding, sc: StoredCommit, reconfigured: bool) -> Fixed:
    if fp in sc.suppressed:
        return Fixed(fp, SUPPRESSED, sc.suppressed[fp][2])
    if not f.repository_level and f.path not in sc.paths:
        return Fixed(fp, FILE_REMOVED)
    if reconfigured:
        return Fixed(fp, CONFIGURATION)
    return Fixed(fp, CODE_CHANGED)


def _point(seq: int, sc: StoredCommit, tags: Mapping[str, Sequence[str]], introduced: tuple,
           fixed: tuple, findings: list[StoredFinding]) -> CommitPoint:
    sev = Counter(f.severity for f in findings)
    return CommitPoint(
        seq=seq, commit=sc.commit, tags=tuple(tags.get(sc.commit.oid, ())), status=sc.status,
        reason=sc.reason, files=sc.files, total=len(findings),
        by_severity={s: sev.get(s, 0) for s in SEVERITY_ORDER},
        by_stage=dict(sorted(Counter(f.stage for f in findings).items())),
        by_pattern=dict(sorted(Counter(f.bias_pattern for f in findings).items())),
        introduced=introduced, fixed=fixed)


def _life(fp: str, v: dict) -> FindingLife:
    fixed_at, fx = v.get("fixed", (None, None))
    return FindingLife(fp, v["last"], v["first_seen"], v["last_seen"], fixed_at,
                       fx.reason if fx else "", fx.detail if fx else "", v["reintroduced"])
