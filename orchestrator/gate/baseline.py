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

from orchestrator import safeio
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

    def write(self, path: Path) -> None:
        """Write the baseline atomically: a full disk or a kill leaves the old one intact."""
        safeio.atomic_write(path, self.to_json())

    @classmethod
    def load(cls, path: Path, root: Path | None = None) -> "Baseline":
        """Read a baseline; ``root``: it was found in this scanned tree (then it must be a regular
        file inside it). Raises :class:`BaselineError` with a short reason."""
        try:
            text = safeio.read_tree_text(path, limit=safeio.BASELINE_MAX_BYTES, root=root, what="baseline")
            data = safeio.load_json(text, f"baseline {path}")
        except safeio.InputError as exc:
            raise BaselineError(str(exc)) from None
        if not isinstance(data, dict) or data.get("fairlint-baseline") != FORMAT_VERSION:
            raise BaselineError(f"{path} is not a fairlint baseline (version {FORMAT_VERSION})")
        entries = data.get("findings")
        if not isinstance(entries, list):
            raise BaselineError(f"baseline {path}: 'findings' must be a list")
        return cls(tuple(_entry(e, path, i) for i, e in enumerate(entries)))

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


_FIELDS = {"fingerprint": str, "count": int, "rule_id": str, "bias_pattern": str, "path": str}


def _entry(raw: object, path: Path, index: int) -> BaselineEntry:
    """One entry, its types checked: a string fingerprint, a non-negative integer count."""
    where = f"baseline {path}: findings[{index}]"
    if not isinstance(raw, dict):
        raise BaselineError(f"{where} is not an object")
    missing = [k for k in _FIELDS if k not in raw]
    unknown = sorted(set(raw) - set(_FIELDS))
    if missing or unknown:
        raise BaselineError(f"{where} is malformed: " + "; ".join(
            ([f"missing {', '.join(missing)}"] if missing else [])
            + ([f"unknown key(s) {', '.join(safeio.short(k, 40) for k in unknown)}"] if unknown else [])))
    for key, kind in _FIELDS.items():
        value = raw[key]
        if not isinstance(value, kind) or isinstance(value, bool):
            raise BaselineError(f"{where}.{key} must be {'an integer' if kind is int else 'a string'}, "
                                f"not {type(value).__name__}")
    if raw["count"] < 0:
        raise BaselineError(f"{where}.count must not be negative ({raw['count']})")
    if not raw["fingerprint"]:
        raise BaselineError(f"{where}.fingerprint is empty")
    return BaselineEntry(**raw)


@dataclass(frozen=True)
class BaselineComparison:
    new: tuple[Finding, ...]
    absorbed: int
    fixed: tuple[BaselineEntry, ...]  # baselined findings no longer present (count = how many)
