"""What other commands take from a history: each finding's age (``fairlint scan --history``)
and the findings first seen after a ref (``fairlint gate --new-since``)."""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path
from typing import Any

from orchestrator.config import ScanConfig
from orchestrator.history import timeline
from orchestrator.history.formats import ages
from orchestrator.history.repo import HistoryError, Repository, Selection
from orchestrator.history.store import DB_NAME, HistoryStore
from orchestrator.model import ScanResult

#: ``--history auto``: the state ``fairlint history`` keeps for the scanned repository by default.
AUTO = "auto"


def ages_for(path: str | os.PathLike, state: str | os.PathLike) -> dict[str, dict[str, Any]]:
    """First-seen commit, date, author and age in days of every finding the history state holds,
    along the first-parent history of ``path``'s HEAD (commits the state lacks are left out).
    ``state`` is a state folder or ``auto``. HistoryError when there is no usable state."""
    from orchestrator.history.walk import default_state_dir

    repo = Repository(path if Path(path).is_dir() else Path(path).parent)
    folder = default_state_dir(repo) if str(state) == AUTO else Path(state)
    if not (folder / DB_NAME).is_file():
        raise HistoryError(f"no history state in {folder}: run `fairlint history` first")
    store = HistoryStore(folder)
    oids = [c.oid for c in repo.commits(Selection(), whole=False)]  # a shallow CI clone: what it has
    stored = store.load(oids)
    line = timeline.build([stored[o] for o in oids if o in stored])
    return ages(line)


def with_ages(result: ScanResult, path: str | os.PathLike, state: str | os.PathLike) -> ScanResult:
    """``result`` with ``history``: for each of its findings the history knows, fingerprint ->
    first_seen_commit, first_seen_date, first_seen_author, age_days, status."""
    found = ages_for(path, state)
    return replace(result, history={f.fingerprint: dict(found[f.fingerprint])
                                    for f in result.findings if f.fingerprint in found})


def fingerprints_at(path: str | os.PathLike, ref: str, config: ScanConfig | None = None) -> set[str]:
    """The fingerprints of the findings in the tree of commit ``ref`` (scanned from blobs)."""
    from orchestrator.history.walk import scan_commit

    result, _ = scan_commit(path, ref, replace(config or ScanConfig(), only_paths=None))
    return {f.fingerprint for f in result.findings}


def new_since(result: ScanResult, path: str | os.PathLike, ref: str, config: ScanConfig | None = None) -> ScanResult:
    """``result`` with only the findings first seen after ``ref``: not in ``ref``'s tree."""
    known = fingerprints_at(path, ref, config)
    return replace(result, findings=tuple(f for f in result.findings if f.fingerprint not in known))


def gate_new_since(outcome, path: str | os.PathLike, ref: str, config: ScanConfig | None = None):
    """A gate outcome (:class:`orchestrator.gate.gate.GateOutcome`) that fails only on findings
    first seen after ``ref``: those in ``ref``'s tree no longer fail nor count below the level."""
    known = fingerprints_at(path, ref, config)

    def new(findings):
        return tuple(f for f in findings if f.fingerprint not in known)

    return replace(outcome, result=replace(outcome.result, findings=new(outcome.result.findings)),
                   failing=new(outcome.failing), below_threshold=new(outcome.below_threshold))
