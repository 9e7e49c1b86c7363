"""Typed, frozen results: what engines report, what the pipeline makes of it.

The pipeline reads like the data flow:
engines -> :class:`Match` -> normalise -> suppress -> dedup -> :class:`Finding` -> score ->
baseline/gate -> formats. Everything here is immutable; stages build new objects.

JSON output is ``ScanResult.to_dict()``, validated by ``orchestrator/schemas/scan-result.schema.json``.
"""

from __future__ import annotations

import enum
from dataclasses import asdict, dataclass, field
from typing import Any


class Severity(str, enum.Enum):
    CRITICAL = "critical"
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"
    INFO = "info"

    @property
    def rank(self) -> int:
        """Higher is more severe: info=0 ... critical=4."""
        return _SEVERITY_RANK[self]

    @classmethod
    def parse(cls, value: str) -> "Severity":
        try:
            return cls(str(value).lower())
        except ValueError:
            choices = ", ".join(s.value for s in cls)
            raise ValueError(f"unknown severity {value!r}; expected one of {choices}") from None


_SEVERITY_RANK = {Severity.INFO: 0, Severity.LOW: 1, Severity.MEDIUM: 2, Severity.HIGH: 3,
                  Severity.CRITICAL: 4}


@dataclass(frozen=True)
class CellRef:
    """Where a notebook finding stands: the code cell's index (0-based, over all cells),
    its id when the notebook has one, and the 1-based line inside the cell."""

    index: int
    line: int
    id: str | None = None


@dataclass(frozen=True)
class Location:
    """One place a finding stands. ``path`` is relative to the scanned root, '/'-separated."""

    path: str
    start_line: int
    end_line: int
    start_col: int = 1
    end_col: int = 1
    cell: CellRef | None = None


@dataclass(frozen=True)
class Match:
    """One raw result of one engine's rule at one place, before dedup and scoring.

    ``metadata`` is the rule's metadata (bias-pattern, stage, confidence, ...).
    ``evidence`` is set for evidence rules (rules/evidence): input to repository-level
    reasoning, never reported alone.
    """

    engine: str
    rule_id: str
    location: Location
    message: str
    snippet: str
    metadata: dict[str, Any] = field(hash=False, compare=False)
    start_offset: int = 0
    end_offset: int = 0
    evidence: str | None = None
    code_flow: tuple[Location, ...] = ()

    @property
    def bias_pattern(self) -> str:
        return self.metadata.get("bias-pattern", "")


@dataclass(frozen=True)
class ScoreFactor:
    """One term of the severity model: ``name``, its signed contribution, and why."""

    name: str
    value: float
    reason: str


@dataclass(frozen=True)
class Suppression:
    """An inline ``# fairlint: ignore[ID] reason: ...`` (or ``# nosemgrep``) and what it hid."""

    path: str
    line: int
    ids: tuple[str, ...]
    reason: str
    kind: str = "fairlint"  # or "nosemgrep"
    suppressed: tuple[str, ...] = ()  # fingerprints it suppressed
    problem: str | None = None  # "missing reason", "unknown id X", "suppresses nothing"


@dataclass(frozen=True)
class Finding:
    """One reported finding after dedup and scoring.

    ``occurrences`` lists every place the same finding stands (the primary location first):
    vendored copies, forks, notebook checkpoints are one finding. ``found_by`` lists every
    engine:rule that reported it. ``fingerprint`` leaves out line numbers.
    """

    rule_id: str
    bias_pattern: str
    stage: str
    message: str
    path: str
    start_line: int
    end_line: int
    snippet: str
    severity: Severity
    score: float
    score_factors: tuple[ScoreFactor, ...]
    confidence: str
    fingerprint: str
    occurrences: tuple[Location, ...]
    found_by: tuple[str, ...]
    start_col: int = 1
    end_col: int = 1
    cell: CellRef | None = None
    pattern_name: str = ""
    technology: tuple[str, ...] = ()  # what the rule covers (from its metadata)
    frameworks: tuple[str, ...] = ()  # what the finding's file imports (pytorch, keras, ...)
    references: tuple[str, ...] = ()
    evidence: tuple[str, ...] = ()  # for repository-level findings: what led to it
    repository_level: bool = False
    code_flow: tuple[Location, ...] = ()  # source -> sink steps when an engine reports a flow

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["severity"] = self.severity.value
        return d

    def evolve(self, **changes: Any) -> "Finding":
        """``dataclasses.replace(self, **changes)`` without calling ``__init__`` (every scan does it
        twice per finding; a history walk, per commit). The same object: ``__init__`` only
        sets the fields (no ``__post_init__``, no default factory), so a copy of them is one."""
        unknown = changes.keys() - _FINDING_FIELDS
        if unknown:
            raise TypeError(f"Finding has no field(s) {sorted(unknown)}")
        new = object.__new__(type(self))
        new.__dict__.update(self.__dict__)
        new.__dict__.update(changes)
        return new


_FINDING_FIELDS = frozenset(Finding.__dataclass_fields__)


@dataclass(frozen=True)
class Skipped:
    """A file (or the whole target) the scan could not read, and why."""

    path: str
    reason: str
    detail: str = ""


@dataclass(frozen=True)
class ToolInfo:
    fairlint: str
    rule_pack: str  # pack hash
    semgrep: str | None = None
    codeql: str | None = None
    engines: tuple[str, ...] = ("semgrep",)


@dataclass(frozen=True)
class ScanResult:
    root: str
    findings: tuple[Finding, ...]
    skipped: tuple[Skipped, ...]
    tool: ToolInfo
    files_scanned: int = 0
    suppressions: tuple[Suppression, ...] = ()
    errors: tuple[str, ...] = ()
    duration_s: float = 0.0
    config: str = "default"  # the configuration file used ("default": none found, "isolated")
    notes: tuple[str, ...] = ()  # what the reader must know about the scan's scope
    # ``fairlint scan --measure`` / the gate's ``measure:`` section: the measured figures as plain
    # data (orchestrator.measure.link.measured_block), and the facets and strata the code suggests
    # measuring. Left out of the JSON when None.
    measured: dict[str, Any] | None = field(default=None, compare=False)
    suggest_measure: dict[str, Any] | None = field(default=None, compare=False)
    # ``fairlint scan --history``: fingerprint -> first-seen commit, date, author, age in days
    # (orchestrator.history.ages). Left out of the JSON when None.
    history: dict[str, Any] | None = field(default=None, compare=False)

    def to_dict(self) -> dict[str, Any]:
        return {
            "version": 1,
            **self._measure_dict(),
            "root": self.root,
            "tool": asdict(self.tool),
            "files_scanned": self.files_scanned,
            "duration_s": round(self.duration_s, 3),
            "findings": [f.to_dict() for f in self.findings],
            "skipped": [asdict(s) for s in self.skipped],
            "suppressions": [asdict(s) for s in self.suppressions],
            "errors": list(self.errors),
            "config": self.config,
            "notes": list(self.notes),
        }

    def _measure_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if self.measured is not None:
            out["measured"] = self.measured
        if self.suggest_measure is not None:
            out["suggest_measure"] = self.suggest_measure
        if self.history is not None:
            out["history"] = self.history
        return out
