"""``Finding.evolve`` is ``dataclasses.replace`` (the scan's hot path uses it)."""

from __future__ import annotations

import dataclasses

import pytest

from orchestrator.model import Finding, Location, ScoreFactor, Severity


def finding() -> Finding:
    return Finding(rule_id="missing-rows-dropped", bias_pattern="DP01", stage="preparation", message="m",
                   path="prep.py", start_line=3, end_line=3, snippet="df.dropna()", severity=Severity.LOW,
                   score=3.0, score_factors=(), confidence="HIGH", fingerprint="fp",
                   occurrences=(Location("prep.py", 3, 3),), found_by=("semgrep:missing-rows-dropped",))


def test_evolve_equals_replace_and_leaves_the_original_alone():
    old = finding()
    factors = (ScoreFactor("base", 3.0, "rule severity"),)
    changes = {"score": 6.5, "severity": Severity.MEDIUM, "score_factors": factors, "frameworks": ("pandas",)}
    new = old.evolve(**changes)
    assert new == dataclasses.replace(old, **changes) and hash(new) == hash(dataclasses.replace(old, **changes))
    assert type(new) is Finding and new.to_dict()["severity"] == "medium"
    assert old.score == 3.0 and old.frameworks == ()
    with pytest.raises(dataclasses.FrozenInstanceError):
        new.score = 1.0  # still frozen


def test_evolve_refuses_a_field_finding_has_not():
    with pytest.raises(TypeError, match="scroe"):
        finding().evolve(scroe=1.0)
