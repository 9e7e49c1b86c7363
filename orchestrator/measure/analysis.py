"""``measure``: an outcomes table in, Clarify's bias metrics, per-group tables and the Simpson check out."""

from __future__ import annotations

import itertools
import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd

from orchestrator.measure import simpson, stats
from orchestrator.measure.config import MISSING, MeasureConfig, MeasureError
from orchestrator.measure.reader import N, Y, YHAT, Counts, read_counts
from orchestrator.measure.result import (Comparison, Conditional, Estimate, GroupRow, GroupTable,
                                         MeasureResult, Stratum)

INTERSECTION = " & "


@dataclass(frozen=True)
class _Facet:
    name: str
    values: pd.Series  # one value per cell
    wanted: tuple[str, ...]


def _order(values) -> list[str]:
    """Facet values in a readable order: numbers by value, then text, the missing group last."""
    def key(v: str):
        try:
            return (v == MISSING, 0, float(v), v)
        except ValueError:
            return (v == MISSING, 1, 0.0, v)
    return sorted(values, key=key)


def _facets(cells: pd.DataFrame, config: MeasureConfig) -> list[_Facet]:
    chosen: dict[str, set[str] | None] = {}
    for column, value in config.facet_specs:
        if value is None:
            chosen[column] = None
        elif column not in chosen or chosen[column] is not None:
            chosen.setdefault(column, set()).add(value)
    facets = []
    for column, picked in chosen.items():
        present = _order(cells.loc[cells[N] > 0, column].unique())
        if picked is not None:
            for value in sorted(picked):
                if value not in present:
                    raise MeasureError(f"empty facet group: no rows with {column} = {value!r} "
                                       f"(values: {', '.join(repr(v) for v in present[:8])})")
        if len(present) < 2:
            raise MeasureError(f"facet {column!r} has only one value ({present[0]!r}): "
                               f"the group to compare it with is empty")
        facets.append(_Facet(column, cells[column], tuple(present if picked is None else _order(picked))))
    if config.intersections:
        for (c1, p1), (c2, p2) in itertools.combinations(chosen.items(), 2):
            values = cells[c1] + INTERSECTION + cells[c2]
            present = _order(values[cells[N] > 0].unique())
            wanted = [v for v in present if (p1 is None or v.split(INTERSECTION)[0] in p1)
                      and (p2 is None or v.split(INTERSECTION)[1] in p2)]
            facets.append(_Facet(f"{c1}{INTERSECTION}{c2}", values, tuple(wanted)))
    return facets


def _group_table(facet: _Facet, cells: pd.DataFrame, config: MeasureConfig) -> GroupTable:
    """Per-value counts and rates; the prediction metrics come from Fairlearn's MetricFrame."""
    n = cells.groupby(facet.values, sort=False)[N].sum()
    positives = (cells[N] * cells[Y]).groupby(facet.values, sort=False).sum()
    total = int(cells[N].sum())
    frame = None
    if YHAT in cells:
        frame = _metric_frame(facet.values, cells)
    rows = []
    for value in _order(n.index):
        size = int(n[value])
        small = size < config.min_group_size
        row = {"label_rate": None if small else positives[value] / size}
        if frame is not None and not small:
            row.update({k: (None if pd.isna(frame.loc[value, k]) else float(frame.loc[value, k]))
                        for k in ("selection_rate", "accuracy", "fpr", "fnr")})
        rows.append(GroupRow(value=value, n=size, share=size / total, too_small=small, **row))
    return GroupTable(facet.name, tuple(rows))


def _metric_frame(values: pd.Series, cells: pd.DataFrame) -> pd.DataFrame:
    try:
        from fairlearn.metrics import (MetricFrame, false_negative_rate, false_positive_rate,
                                       selection_rate)
        from sklearn.metrics import accuracy_score
    except ImportError:
        raise MeasureError("per-group prediction metrics need Fairlearn: pip install 'fairlint[measure]'") from None
    metrics = {"selection_rate": selection_rate, "accuracy": accuracy_score,
               "fpr": false_positive_rate, "fnr": false_negative_rate}
    weights = cells[N].to_numpy(np.float64)
    y_true, y_pred = cells[Y].to_numpy(int), cells[YHAT].to_numpy(int)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        frame = MetricFrame(metrics=metrics, y_true=y_true, y_pred=y_pred, sensitive_features=values.to_numpy(),
                            sample_params={k: {"sample_weight": weights} for k in metrics}).by_group
    # Rates with an empty denominator are undefined, not 0 (Fairlearn returns 0 for them).
    for key, outcome in (("fpr", False), ("fnr", True)):
        has = (pd.Series(weights * (y_true == outcome)).groupby(values.to_numpy()).sum() > 0)
        frame.loc[~has.reindex(frame.index, fill_value=False), key] = np.nan
    return frame


class _Analysis:
    """The masks over the cells and the statistic evaluated once and on each bootstrap replicate."""

    def __init__(self, counts: Counts, config: MeasureConfig) -> None:
        self.config = config
        cells = counts.cells
        self.cells = cells
        self.n = cells[N].to_numpy(np.float64)
        self.y = cells[Y].to_numpy(bool)
        self.yhat = cells[YHAT].to_numpy(bool) if YHAT in cells else None
        self.facets = _facets(cells, config)
        self.subjects = [(f, v, (f.values == v).to_numpy()) for f in self.facets for v in f.wanted]
        self.strata = {}
        for group in config.groups:
            codes, labels = pd.factorize(cells[group], sort=False)
            order = _order(labels)
            remap = np.array([order.index(lab) for lab in labels])
            onehot = np.zeros((len(cells), len(order)))
            onehot[np.arange(len(cells)), remap[codes]] = 1.0
            self.strata[group] = (order, onehot)

    def judged(self, d: np.ndarray) -> tuple[int, int, bool]:
        n_d = int(self.n @ d)
        n_a = int(self.n.sum()) - n_d
        return n_d, n_a, min(n_d, n_a) < self.config.min_group_size

    def statistic(self, c: np.ndarray) -> dict:
        out = {}
        for i, (_, _, d) in enumerate(self.subjects):
            if self.judged(d)[2]:
                continue
            out.update({(i, k): v for k, v in stats.label_metrics(c, d, self.y).items()})
            if self.yhat is not None:
                out.update({(i, "pred", k): v for k, v in stats.prediction_metrics(c, d, self.y, self.yhat).items()})
            for group, (_, onehot) in self.strata.items():
                out[(i, "CDDL", group)] = stats.conditional_demographic_disparity(c, d, self.y, onehot)
                if self.yhat is not None:
                    out[(i, "CDDPL", group)] = stats.conditional_demographic_disparity(c, d, self.yhat, onehot)
        return out


def _strata(analysis: _Analysis, d: np.ndarray, outcome: np.ndarray, group: str) -> tuple[Stratum, ...]:
    order, onehot = analysis.strata[group]
    per = stats.strata(analysis.n, d, outcome, onehot)
    total = analysis.n.sum()
    rows = []
    for i, value in enumerate(order):
        n_i, nd_i = int(per["n"][i]), int(per["nd"][i])
        small = min(nd_i, n_i - nd_i) < analysis.config.min_group_size
        dd = None if small or not np.isfinite(per["dd"][i]) else float(per["dd"][i])
        contribution = None if not np.isfinite(per["dd"][i]) else float(n_i * per["dd"][i] / total)
        rows.append(Stratum(value=value, n=n_i, n_d=nd_i, positive_rate=per["n1"][i] / n_i if n_i else None,
                            share_d=nd_i / n_i if n_i else None, dd=dd, contribution=contribution,
                            too_small=small))
    return tuple(rows)


def _comparison(analysis: _Analysis, index: int, facet: _Facet, value: str, d: np.ndarray,
                point: dict, intervals: dict) -> Comparison:
    config = analysis.config
    n_d, n_a, small = analysis.judged(d)
    if small:
        note = f"too small to judge (n_d = {n_d}, n_a = {n_a}; minimum {config.min_group_size})"
        empty = Estimate(None, note=note)
        label = {k: empty for k in ("CI", "DPL", "DI", "DD")}
        pred = {k: empty for k in ("DPPL", "DI", "AD", "RD", "FPRD", "FNRD", "DDPL")} if analysis.yhat is not None else {}
        return Comparison(facet.name, value, n_d, n_a, True, label, pred)

    def est(key):
        return Estimate.of(point[key], intervals.get(key))

    label = {k: est((index, k)) for k in ("CI", "DPL", "DI", "DD")}
    pred = {}
    if analysis.yhat is not None:
        pred = {k: est((index, "pred", k)) for k in ("DPPL", "DI", "AD", "RD", "FPRD", "FNRD", "DDPL")}
    conditionals = []
    subject = f"{facet.name} = {value}"
    total = analysis.n.sum()
    for group in config.groups:
        for outcome, mask, metric, marginal in (("label", analysis.y, "CDDL", label["DD"]),
                                                ("prediction", analysis.yhat, "CDDPL", pred.get("DDPL"))):
            if mask is None:
                continue
            strata = _strata(analysis, d, mask, group)
            cdd = est((index, metric, group))
            check = simpson.check(subject, facet.name, group, outcome, marginal, cdd, strata,
                                  share_d=n_d / total, rate=float(analysis.n @ mask) / total,
                                  vanish_fraction=config.vanish_fraction, amplify_factor=config.amplify_factor)
            conditionals.append(Conditional(group, outcome, marginal, cdd, strata, check))
    return Comparison(facet.name, value, n_d, n_a, False, label, pred, tuple(conditionals))


def measure(source, config: MeasureConfig) -> MeasureResult:
    """Measure ``source`` (a CSV or Parquet path, a pandas DataFrame or an Arrow table)."""
    counts = source if isinstance(source, Counts) else read_counts(source, config)
    analysis = _Analysis(counts, config)
    point = {k: float(v) for k, v in analysis.statistic(analysis.n).items()}
    intervals = {}
    if config.bootstrap:
        intervals = stats.bootstrap(analysis.n, analysis.statistic, config.bootstrap, config.seed, config.confidence)
    comparisons = tuple(_comparison(analysis, i, f, v, d, point, intervals)
                        for i, (f, v, d) in enumerate(analysis.subjects))
    tables = tuple(_group_table(f, counts.cells, config) for f in analysis.facets)
    return MeasureResult(source=counts.source, config=config, rows_read=counts.rows_read,
                         rows_used=counts.rows_used, dropped=counts.dropped, positive=counts.positive,
                         label_values=counts.label_values, group_tables=tables, comparisons=comparisons)
