"""orchestrator.study.stats and the report's plots: intervals against scipy, Fisher's test, the
seeded bootstrap, distinct stage colours, and the heatmap's small cells."""

from __future__ import annotations

import math

import pytest

from orchestrator.study import report, stats


@pytest.mark.parametrize("k,n", [(0, 4), (2, 4), (4, 4), (8, 10), (37, 52), (1, 1)])
def test_wilson_matches_scipy(k, n):
    from scipy.stats import binomtest

    ci = binomtest(k, n).proportion_ci(confidence_level=0.95, method="wilson")
    assert stats.wilson(k, n) == (pytest.approx(ci.low, abs=1e-4), pytest.approx(ci.high, abs=1e-4))
    assert stats.wilson(0, 0) == (0.0, 1.0)


def test_fisher_and_bh():
    odds, p = stats.fisher(8, 10, 1, 10)
    assert odds == pytest.approx(36.0) and p == pytest.approx(0.005477, abs=1e-5)
    assert math.isnan(stats.fisher(1, 3, 0, 0)[0]) and stats.fisher(1, 3, 0, 0)[1] == 1.0
    assert stats.benjamini_hochberg([0.01, 0.04, 0.5]) == pytest.approx([0.03, 0.06, 0.5])


def test_rate_bootstrap_is_seeded_and_brackets_the_difference():
    a = ([1, 2, 0, 5], [100, 200, 50, 300])
    b = ([0, 0, 1], [1000, 2000, 500])
    first = stats.rate_difference_ci(*a, *b)
    assert first == stats.rate_difference_ci(*a, *b)
    diff = stats.rate(*a) - stats.rate(*b)
    assert first[0] <= diff <= first[1]
    assert stats.rate_difference_ci([0, 0], [10, 10], [0, 0], [5, 5]) == (0.0, 0.0)
    assert all(math.isnan(v) for v in stats.rate_difference_ci([1], [10], [0, 1], [5, 5]))


def test_stage_colours_are_distinct_for_every_pattern():
    from orchestrator.rules import taxonomy

    by_stage = {}
    for p in taxonomy.PATTERNS.values():
        by_stage.setdefault(p.stage, []).append(p.id)
    colours = report.stage_colours(by_stage)
    assert len(colours) == len(taxonomy.PATTERNS)
    assert len({tuple(round(c, 3) for c in v) for v in colours.values()}) == len(colours)


def test_heatmap_greys_small_cells_and_axes_follow_the_data(tmp_path):
    import pandas as pd

    rows = []
    for group, kind, n, k in (("all", "all", 12, 4), ("pytorch", "framework", 11, 4), ("keras", "framework", 1, 1)):
        rows.append({"group_kind": kind, "group": group, "bias_pattern": "DP01", "stage": "preparation",
                     "repos_in_group": n, "repos_with_pattern": k, "share": k / n, "ci95_low": 0.1,
                     "ci95_high": 0.37 if group != "keras" else 1.0})
    prev = pd.DataFrame(rows)
    plt = report._plt()
    captured = {}
    original = plt.Figure.savefig

    def keep(fig, *a, **k):
        captured.setdefault(fig.axes[0].get_title(), fig)
        return original(fig, *a, **k)

    plt.Figure.savefig = keep
    try:
        report.plot_heatmap(prev, tmp_path)
        report.plot_prevalence(prev[prev["group"] != "keras"], tmp_path)
    finally:
        plt.Figure.savefig = original
    heat = next(f for t, f in captured.items() if t.startswith("Prevalence by group"))
    texts = [t.get_text() for t in heat.axes[0].texts]
    assert "1/1\n(small n)" in texts and "4/11\n36%" in texts
    greys = [p for p in heat.axes[0].patches if p.get_facecolor()[:3] == pytest.approx((0.851, 0.851, 0.851), abs=1e-2)]
    assert len(greys) == 1
    bars = captured["Prevalence by pattern and framework"]
    assert bars.axes[0].get_xlim()[1] == pytest.approx(0.37 * 1.1)
