"""Seeded bootstrap intervals: reproducible, seed-dependent, around the point estimate."""

from __future__ import annotations

from orchestrator.measure import MeasureConfig, measure


def _conditional(frame, **options):
    result = measure(frame, MeasureConfig(facets=("sex=F",), label="admitted", groups=("department",), **options))
    return result.comparisons[0], result.comparisons[0].conditionals[0]


def test_same_seed_same_intervals(berkeley):
    first, cond1 = _conditional(berkeley, bootstrap=300, seed=11)
    again, cond2 = _conditional(berkeley, bootstrap=300, seed=11)
    other, cond3 = _conditional(berkeley, bootstrap=300, seed=12)
    assert first.to_dict() == again.to_dict()
    assert (cond1.cdd.low, cond1.cdd.high) == (cond2.cdd.low, cond2.cdd.high)
    assert (cond1.cdd.low, cond1.cdd.high) != (cond3.cdd.low, cond3.cdd.high)


def test_intervals_surround_the_estimates(berkeley):
    comp, cond = _conditional(berkeley, bootstrap=400, seed=3)
    for estimate in (comp.label_metrics["DD"], comp.label_metrics["DPL"], cond.cdd):
        assert estimate.low < estimate.value < estimate.high
    # DD is clearly positive; the reversed CDD is small and its interval covers 0, which the words say.
    assert comp.label_metrics["DD"].low > 0.1
    assert cond.cdd.low < 0 < cond.cdd.high
    assert "includes 0, so its sign is not established" in cond.check.explanation


def test_no_bootstrap_no_intervals(berkeley):
    comp, cond = _conditional(berkeley)
    assert comp.label_metrics["DD"].low is None and cond.cdd.low is None
    assert "ci" not in comp.to_dict()["label_metrics"]["DD"]
