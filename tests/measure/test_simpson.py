"""The Simpson check's other outcomes (vanishing, amplification, consistent) and small groups."""

from __future__ import annotations

import pandas as pd
import pytest

from orchestrator.measure import MeasureConfig, measure
from orchestrator.measure.simpson import classify


def _table(cells) -> pd.DataFrame:
    """cells: (facet, stratum, favourable, unfavourable) -> one row per person."""
    rows = []
    for facet, stratum, good, bad in cells:
        rows += [(facet, stratum, 1)] * good + [(facet, stratum, 0)] * bad
    return pd.DataFrame(rows, columns=["g", "s", "y"])


def _check(cells):
    result = measure(_table(cells), MeasureConfig(facets=("g=d",), label="y", groups=("s",)))
    return result.comparisons[0].conditionals[0]


def test_vanishing_when_outcomes_are_equal_within_strata():
    # Within each stratum d and a have the same rate; d applies mostly where the rate is low.
    cond = _check([("d", "hard", 20, 180), ("a", "hard", 5, 45), ("d", "easy", 40, 10), ("a", "easy", 160, 40)])
    assert cond.dd.value > 0.3 and cond.cdd.value == pytest.approx(0.0, abs=1e-12)
    assert cond.check.kind == "vanishing"
    assert cond.check.composition == ("hard",)
    assert "who ends up in which s" in cond.check.explanation


def test_amplification_when_d_is_concentrated_where_rates_are_high():
    # d is 10 points behind a in both strata but applies mostly where the rate is high.
    cond = _check([("d", "hi", 80, 20), ("a", "hi", 90, 10), ("d", "lo", 20, 80), ("a", "lo", 80, 120)])
    assert cond.check.kind == "amplification", cond.check.explanation
    assert cond.cdd.value >= 1.5 * cond.dd.value > 0
    assert "The aggregate figure understates it" in cond.check.explanation


def test_reversal_that_hides_a_disadvantage():
    cond = _check([("d", "hi", 80, 20), ("a", "hi", 90, 10), ("d", "lo", 20, 80), ("a", "lo", 50, 150)])
    assert cond.dd.value < 0 < cond.cdd.value and cond.check.kind == "reversal"
    assert "looks favoured" in cond.check.explanation and "within s, g = d is disadvantaged" in cond.check.explanation
    assert cond.check.composition == ("hi",)


def test_consistent_when_strata_do_not_explain_it():
    cond = _check([("d", "x", 30, 70), ("a", "x", 60, 40), ("d", "y", 30, 70), ("a", "y", 60, 40)])
    assert cond.check.kind == "consistent"
    assert cond.cdd.value == pytest.approx(cond.dd.value)


@pytest.mark.parametrize("dd, cdd, kind", [
    (0.14, -0.02, "reversal"), (-0.1, 0.05, "reversal"), (0.2, 0.01, "vanishing"), (0.1, 0.2, "amplification"),
    (0.1, 0.12, "consistent"), (0.005, -0.004, "negligible"), (None, 0.1, "undetermined")])
def test_classify(dd, cdd, kind):
    assert classify(dd, cdd, vanish_fraction=0.2, amplify_factor=1.5) == kind


def test_small_groups_are_too_small_to_judge_not_numbers():
    frame = _table([("d", "x", 3, 4), ("a", "x", 60, 40), ("a", "y", 50, 50)])
    result = measure(frame, MeasureConfig(facets=("g",), label="y", groups=("s",)))
    d = next(c for c in result.comparisons if c.value == "d")
    assert d.too_small and d.conditionals == ()
    assert all(e.value is None and e.note.startswith("too small to judge") for e in d.label_metrics.values())
    row = next(r for r in result.group_tables[0].rows if r.value == "d")
    assert row.too_small and row.label_rate is None and row.n == 7
    assert measure(frame, MeasureConfig(facets=("g",), label="y", min_group_size=5)).comparisons[0].too_small is False
