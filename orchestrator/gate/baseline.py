"""Baselines: accepted findings, by fingerprint and count, so the gate fails only on new ones.

Fingerprints leave out line numbers (see :mod:`orchestrator.pipeline.dedup`), so line shifts and
unrelated edits do not resurface baselined findings. Counts matter: one old finding must not
hide two new ones with the same fingerprint.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Sequence

from orchestrator.model import Finding

FORMAT_VERSION = 1


class BaselineError(ValueError):
    """The baseline file is unreadable or not a fairlint baseline."""


@dataclass(frozen=True)
class BaselineEntry:
    fingerprint: str
    count: int
    rule_id: str
    bias_pattern: str
    path: str


@dataclass(frozen=True)
class Baseline:
    entries: tuple[BaselineEntry, ...]

    @classmethod
    def from_findings(cls, findings: Iterable[Finding]) -> "Baseline":
        counts: Counter[str] = Counter()
        first: dict[str, Finding] = {}
        for f in findings:
            counts[f.fingerprint] += 1
            first.setdefault(f.fingerprint, f)
        return cls(tuple(
            BaselineEntry(fp, counts[fp], first[fp].rule_id, first[fp].bias_pattern, first[fp].path)
            for fp in sorted(counts)
        ))

    def to_json(self) -> str:
        return json.dumps({
            "fairlint-baseline": FORMAT_VERSION,
            "findings": [e.__dict__ for e in self.entries],
        }, indent=2, sort_keys=True) + "\n"

    @classmethod
    def load(cls, path: Path) -> "Baseline":
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
        except OSError as exc:
            raise BaselineError(f"cannot read baseline {path}: {exc.strerror or exc}") from exc
        except json.JSONDecodeError as exc:
            raise BaselineError(f"baseline {path} is not JSON: {exc}") from exc
        if not isinstance(data, dict) or data.get("fairlint-baseline") != FORMAT_VERSION:
            raise BaselineError(f"{path} is not a fairlint baseline (version {FORMAT_VERSION})")
        try:
            return cls(tuple(BaselineEntry(**e) for e in data["findings"]))
        except (KeyError, TypeError) as exc:
            raise BaselineError(f"baseline {path} has a malformed entry: {exc}") from exc

    def compare(self, findings: Sequence[Finding]) -> "BaselineComparison":
        budget = Counter({e.fingerprint: e.count for e in self.entries})
        new, absorbed = [], 0
        for f in findings:
            if budget[f.fingerprint] > 0:
                budget[f.fingerprint] -= 1
                absorbed += 1
            else:
                new.append(f)
        fixed = tuple(
            BaselineEntry(e.fingerprint, budget[e.fingerprint], e.rule_id, e.bias_pattern, e.path)
            for e in self.entries if budget[e.fingerprint] > 0
        )
        return BaselineComparison(tuple(new), absorbed, fixed)


@dataclass(frozen=True)
class BaselineComparison:
    new: tuple[Finding, ...]
    absorbed: int
    fixed: tuple[BaselineEntry, ...]  # baselined findings no longer present (count = how many)
