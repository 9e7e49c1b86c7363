"""What ``measure`` returns: frozen dataclasses, each with ``to_dict`` for the JSON output."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from orchestrator.measure.config import MeasureConfig

#: Every metric reported: name -> (Clarify's long name, outcome it reads, reading of its sign).
METRICS: dict[str, tuple[str, str, str]] = {
    "CI": ("class imbalance", "label", "positive: facet d has fewer rows than the rest"),
    "DPL": ("difference in proportions of labels", "label",
            "positive: facet d has a lower favourable-label rate than the rest"),
    "DI": ("disparate impact (ratio of favourable rates, d over a)", "label",
           "below 1: facet d has a lower favourable rate than the rest"),
    "DD": ("demographic disparity", "label",
           "positive: facet d's share of the unfavourable labels exceeds its share of the favourable ones"),
    "CDDL": ("conditional demographic disparity in labels", "label",
             "DD within strata, weighted by stratum size; same reading as DD"),
    "DPPL": ("difference in positive proportions in predicted labels", "prediction",
             "positive: facet d is predicted favourable less often than the rest"),
    "DI_pred": ("disparate impact of predictions (ratio of predicted favourable rates, d over a)", "prediction",
                "below 1: facet d is predicted favourable less often than the rest"),
    "AD": ("accuracy difference", "prediction", "positive: predictions are less accurate for facet d"),
    "RD": ("recall difference", "prediction", "positive: facet d's favourable cases are found less often"),
    "FPRD": ("false positive rate difference (d minus a)", "prediction",
             "positive: facet d gets more unwarranted favourable predictions"),
    "FNRD": ("false negative rate difference (d minus a)", "prediction",
             "positive: facet d's favourable cases are missed more often"),
    "DDPL": ("demographic disparity in predicted labels", "prediction", "same reading as DD, on predictions"),
    "CDDPL": ("conditional demographic disparity in predicted labels", "prediction",
              "DDPL within strata, weighted by stratum size"),
}

RATIO_METRICS = frozenset({"DI", "DI_pred"})


def _num(value: float | None) -> float | None:
    if value is None or not math.isfinite(value):
        return None
    return round(float(value), 6)


@dataclass(frozen=True)
class Estimate:
    """A figure with its bootstrap interval, or ``None`` and the reason (too small, undefined)."""

    value: float | None
    low: float | None = None
    high: float | None = None
    note: str | None = None

    @classmethod
    def of(cls, value: float, interval: tuple[float, float] | None = None, undefined: str = "") -> "Estimate":
        if value is None or not math.isfinite(value):
            return cls(None, note=f"undefined{': ' + undefined if undefined else ''}")
        low, high = interval if interval else (None, None)
        return cls(float(value), low, high)

    def to_dict(self) -> dict:
        out = {"value": _num(self.value)}
        if self.low is not None:
            out["ci"] = [_num(self.low), _num(self.high)]
        if self.note:
            out["note"] = self.note
        return out

    def text(self, digits: int = 3) -> str:
        if self.value is None:
            return self.note or "undefined"
        shown = f"{self.value:+.{digits}f}"
        if self.low is not None:
            shown += f" [{self.low:+.{digits}f}, {self.high:+.{digits}f}]"
        return shown


@dataclass(frozen=True)
class GroupRow:
    """One facet value: its size and rates (``None`` when too small to judge or undefined)."""

    value: str
    n: int
    share: float
    label_rate: float | None
    selection_rate: float | None = None
    accuracy: float | None = None
    fpr: float | None = None
    fnr: float | None = None
    too_small: bool = False

    def to_dict(self) -> dict:
        return {"value": self.value, "n": self.n, "share": _num(self.share), "too_small": self.too_small,
                "label_positive_rate": _num(self.label_rate), "predicted_positive_rate": _num(self.selection_rate),
                "accuracy": _num(self.accuracy), "false_positive_rate": _num(self.fpr),
                "false_negative_rate": _num(self.fnr)}


@dataclass(frozen=True)
class GroupTable:
    facet: str
    rows: tuple[GroupRow, ...]

    def to_dict(self) -> dict:
        return {"facet": self.facet, "rows": [r.to_dict() for r in self.rows]}


@dataclass(frozen=True)
class Stratum:
    """One value of a stratum column, seen from facet d."""

    value: str
    n: int
    n_d: int
    positive_rate: float | None
    share_d: float | None
    dd: float | None
    contribution: float | None  # n_i * DD_i / n: this stratum's part of the CDD
    too_small: bool

    def to_dict(self) -> dict:
        return {"value": self.value, "n": self.n, "n_d": self.n_d, "positive_rate": _num(self.positive_rate),
                "share_d": _num(self.share_d), "dd": _num(self.dd), "contribution": _num(self.contribution),
                "too_small": self.too_small}


@dataclass(frozen=True)
class SimpsonCheck:
    """The marginal disparity against the conditional one: a reversal, vanishing, amplification, ..."""

    kind: str  # reversal | vanishing | amplification | consistent | negligible | undetermined
    explanation: str
    driving: tuple[str, ...] = ()
    composition: tuple[str, ...] = ()

    def to_dict(self) -> dict:
        return {"kind": self.kind, "explanation": self.explanation, "driving_strata": list(self.driving),
                "composition_strata": list(self.composition)}


@dataclass(frozen=True)
class Conditional:
    """DD and CDD of one facet value, on labels or predictions, conditioned on one stratum column."""

    group: str
    outcome: str  # "label" | "prediction"
    dd: Estimate
    cdd: Estimate
    strata: tuple[Stratum, ...]
    check: SimpsonCheck

    @property
    def metric(self) -> str:
        return "CDDL" if self.outcome == "label" else "CDDPL"

    @property
    def marginal_metric(self) -> str:
        return "DD" if self.outcome == "label" else "DDPL"

    def to_dict(self) -> dict:
        return {"group": self.group, "outcome": self.outcome, "metric": self.metric,
                "marginal": {"metric": self.marginal_metric, **self.dd.to_dict()},
                "conditional": {"metric": self.metric, **self.cdd.to_dict()},
                "simpson": self.check.to_dict(), "strata": [s.to_dict() for s in self.strata]}


@dataclass(frozen=True)
class Comparison:
    """Facet d (``facet = value``) against the rest (facet a)."""

    facet: str
    value: str
    n_d: int
    n_a: int
    too_small: bool
    label_metrics: dict[str, Estimate]
    prediction_metrics: dict[str, Estimate] = field(default_factory=dict)
    conditionals: tuple[Conditional, ...] = ()

    @property
    def subject(self) -> str:
        return f"{self.facet} = {self.value}"

    def metrics(self) -> dict[str, Estimate]:
        """All marginal and conditional figures by metric name (``CDDL[group]`` for each stratum column)."""
        out = dict(self.label_metrics)
        out.update({("DI_pred" if k == "DI" else k): v for k, v in self.prediction_metrics.items()})
        for cond in self.conditionals:
            out[f"{cond.metric}[{cond.group}]"] = cond.cdd
        return out

    def to_dict(self) -> dict:
        return {"facet": self.facet, "value": self.value, "n_d": self.n_d, "n_a": self.n_a,
                "too_small": self.too_small,
                "label_metrics": {k: v.to_dict() for k, v in self.label_metrics.items()},
                "prediction_metrics": {k: v.to_dict() for k, v in self.prediction_metrics.items()},
                "conditional": [c.to_dict() for c in self.conditionals]}


@dataclass(frozen=True)
class MeasureResult:
    """Everything ``measure`` found about one outcomes table."""

    source: str
    config: MeasureConfig
    rows_read: int
    rows_used: int
    dropped: dict[str, int]
    positive: str
    label_values: tuple[str, ...]
    group_tables: tuple[GroupTable, ...]
    comparisons: tuple[Comparison, ...]

    def conditionals(self):
        """Every (comparison, conditional) pair, in report order."""
        return [(comp, cond) for comp in self.comparisons for cond in comp.conditionals]

    def reversals(self):
        return [(comp, cond) for comp, cond in self.conditionals() if cond.check.kind == "reversal"]

    def facets(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(c.facet for c in self.comparisons))

    def to_dict(self) -> dict:
        return {"source": self.source, "config": self.config.to_dict(), "rows_read": self.rows_read,
                "rows_used": self.rows_used, "dropped": dict(self.dropped),
                "label": {"column": self.config.label, "positive": self.positive,
                          "values": list(self.label_values)},
                "group_tables": [t.to_dict() for t in self.group_tables],
                "comparisons": [c.to_dict() for c in self.comparisons]}
