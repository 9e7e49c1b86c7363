"""Per-group figures against Fairlearn's MetricFrame on a seeded table of row-level data.

`measure` counts rows into cells (reading the CSV in many small chunks here) and weighs the
cells; Fairlearn sees every row. The two must agree to the last digit.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest
from fairlearn.metrics import (MetricFrame, demographic_parity_difference, false_negative_rate,
                               false_positive_rate, selection_rate)
from sklearn.metrics import accuracy_score, recall_score

from orchestrator.measure import MeasureConfig, measure

sys.path.insert(0, str(Path(__file__).parent))
from measure_data import synthetic  # noqa: E402

ROWS = 20_000


@pytest.fixture(scope="module")
def table():
    return synthetic(ROWS, seed=2024)


@pytest.fixture(scope="module")
def result(table, tmp_path_factory):
    path = tmp_path_factory.mktemp("crosscheck") / "outcomes.csv"
    table.to_csv(path, index=False)
    config = MeasureConfig(facets=("sex", "race"), label="label", prediction="score", groups=("region",),
                           chunk_rows=700)  # about 30 CSV blocks, merged on the way
    return measure(path, config)


def test_group_tables_match_metric_frame(table, result):
    y, yhat = table["label"], (table["score"] >= 0.5).astype(int)
    metrics = {"selection_rate": selection_rate, "accuracy": accuracy_score, "fpr": false_positive_rate,
               "fnr": false_negative_rate, "base_rate": lambda t, p: float(np.mean(t))}
    for facet in ("sex", "race"):
        frame = MetricFrame(metrics=metrics, y_true=y, y_pred=yhat, sensitive_features=table[facet])
        ours = next(t for t in result.group_tables if t.facet == facet)
        assert [r.value for r in ours.rows] == sorted(frame.by_group.index)
        for row in ours.rows:
            theirs = frame.by_group.loc[row.value]
            assert row.n == int((table[facet] == row.value).sum())
            assert row.selection_rate == pytest.approx(theirs["selection_rate"], abs=1e-12)
            assert row.accuracy == pytest.approx(theirs["accuracy"], abs=1e-12)
            assert row.fpr == pytest.approx(theirs["fpr"], abs=1e-12)
            assert row.fnr == pytest.approx(theirs["fnr"], abs=1e-12)
            assert row.label_rate == pytest.approx(theirs["base_rate"], abs=1e-12)


def test_differences_match_fairlearn(table, result):
    y, yhat = table["label"], (table["score"] >= 0.5).astype(int)
    female = next(c for c in result.comparisons if c.subject == "sex = female")
    # With two groups, Fairlearn's demographic parity difference is |DPPL|.
    dpd = demographic_parity_difference(y, yhat, sensitive_features=table["sex"])
    assert abs(female.prediction_metrics["DPPL"].value) == pytest.approx(dpd, abs=1e-12)
    recall = MetricFrame(metrics=recall_score, y_true=y, y_pred=yhat, sensitive_features=table["sex"]).by_group
    assert female.prediction_metrics["RD"].value == pytest.approx(recall["male"] - recall["female"], abs=1e-12)
    accuracy = MetricFrame(metrics=accuracy_score, y_true=y, y_pred=yhat, sensitive_features=table["sex"]).by_group
    assert female.prediction_metrics["AD"].value == pytest.approx(accuracy["male"] - accuracy["female"], abs=1e-12)


def test_value_against_the_rest_for_a_three_valued_facet(table, result):
    race_c = next(c for c in result.comparisons if c.subject == "race = c")
    yhat = table["score"] >= 0.5
    d, a = table["race"] == "c", table["race"] != "c"
    assert race_c.n_d == d.sum() and race_c.n_a == a.sum()
    assert race_c.prediction_metrics["DPPL"].value == pytest.approx(yhat[a].mean() - yhat[d].mean(), abs=1e-12)
    fpr = lambda m: (yhat & (table["label"] == 0) & m).sum() / ((table["label"] == 0) & m).sum()  # noqa: E731
    assert race_c.prediction_metrics["FPRD"].value == pytest.approx(fpr(d) - fpr(a), abs=1e-12)


def test_intersections_of_two_facets(table, result):
    subjects = {c.subject for c in result.comparisons if c.facet == "sex & race"}
    assert subjects == {f"sex & race = {s} & {r}" for s in ("female", "male") for r in "abc"}
    both = next(c for c in result.comparisons if c.subject == "sex & race = female & c")
    assert both.n_d == ((table["sex"] == "female") & (table["race"] == "c")).sum()


def test_chunk_size_does_not_change_the_result(table, result):
    whole = measure(table, MeasureConfig(facets=("sex", "race"), label="label", prediction="score",
                                         groups=("region",)))
    assert whole.to_dict()["comparisons"] == result.to_dict()["comparisons"]
    assert whole.rows_used == result.rows_used == ROWS
