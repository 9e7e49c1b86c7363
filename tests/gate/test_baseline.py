from __future__ import annotations

import pytest
from factories import finding

from orchestrator.gate.baseline import Baseline, BaselineError


def test_round_trip(tmp_path):
    b = Baseline.from_findings([finding(), finding(fingerprint="x"), finding(fingerprint="x")])
    path = tmp_path / "b.json"
    path.write_text(b.to_json())
    assert Baseline.load(path) == b
    assert {e.fingerprint: e.count for e in b.entries} == {"fp-missing-rows-dropped-src/prep.py": 1, "x": 2}


def test_one_old_finding_does_not_hide_two_new_ones():
    b = Baseline.from_findings([finding(fingerprint="same")])
    cmp = b.compare([finding(fingerprint="same", line=3), finding(fingerprint="same", line=9)])
    assert cmp.absorbed == 1 and len(cmp.new) == 1 and cmp.fixed == ()


def test_fixed_findings_are_listed_with_counts():
    b = Baseline.from_findings([finding(fingerprint="a"), finding(fingerprint="a"), finding(fingerprint="b")])
    cmp = b.compare([finding(fingerprint="a")])
    assert cmp.absorbed == 1
    assert sorted((e.fingerprint, e.count) for e in cmp.fixed) == [("a", 1), ("b", 1)]


@pytest.mark.parametrize("text", ["not json", "{}", '{"fairlint-baseline": 1, "findings": [{"x": 1}]}'])
def test_bad_baselines_are_errors(tmp_path, text):
    path = tmp_path / "b.json"
    path.write_text(text)
    with pytest.raises(BaselineError):
        Baseline.load(path)
