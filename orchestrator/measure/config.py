"""What to measure: :class:`MeasureConfig`, and :class:`MeasureError` for bad input.

Every :class:`MeasureError` message is one line that names the column or value at fault; the
CLI prints it as ``fairlint: error: ...`` and exits 2.
"""

from __future__ import annotations

from dataclasses import dataclass


class MeasureError(ValueError):
    """Input that cannot be measured (missing column, ambiguous label, ...): one line, exit 2."""


#: How rows with a missing facet value are handled: refused (the default, so nobody is
#: dropped silently), kept as a group of their own, or dropped and counted.
FACET_NAN_CHOICES = ("error", "group", "drop")

#: The value shown for a missing facet or stratum value kept as a group of its own.
MISSING = "(missing)"


@dataclass(frozen=True)
class MeasureConfig:
    """The columns to read and the thresholds that turn numbers into judgements.

    ``facets`` are protected columns; ``COL=VALUE`` names the disadvantaged value ``d`` to
    compare with the rest (otherwise every value is compared with the rest, and with two or
    more facets every pair is also intersected). ``groups`` are the strata columns that CDD
    conditions on. ``positive`` is the favourable label value (needed when the label has more
    than two values or two values other than 0/1 or true/false). Predictions are numbers in
    [0, 1]: decisions (0/1) or scores cut at ``threshold``.
    """

    facets: tuple[str, ...]
    label: str
    prediction: str | None = None
    positive: str | None = None
    groups: tuple[str, ...] = ()
    threshold: float = 0.5
    facet_nan: str = "error"
    min_group_size: int = 30
    bootstrap: int = 0
    seed: int = 0
    confidence: float = 0.95
    #: |CDD| below this fraction of |DD| (same sign) is a *vanishing* of the disparity.
    vanish_fraction: float = 0.2
    #: |CDD| at or above this multiple of |DD| (same sign) is an *amplification*.
    amplify_factor: float = 1.5
    #: Differences (DPL, DD, CDD, ...) beyond this magnitude are flagged in reports and SARIF.
    max_abs_difference: float = 0.1
    #: Disparate impact below this ratio is flagged (the four-fifths rule).
    min_di: float = 0.8
    intersections: bool = True
    chunk_rows: int = 1 << 20

    def __post_init__(self) -> None:
        object.__setattr__(self, "facets", tuple(self.facets))
        object.__setattr__(self, "groups", tuple(self.groups))
        if not self.facets:
            raise MeasureError("give at least one --facet column")
        if self.facet_nan not in FACET_NAN_CHOICES:
            raise MeasureError(f"facet_nan must be one of {', '.join(FACET_NAN_CHOICES)}, not {self.facet_nan!r}")
        if not 0.0 <= self.threshold <= 1.0:
            raise MeasureError(f"threshold {self.threshold} is outside [0, 1]")
        if self.min_group_size < 1:
            raise MeasureError(f"min_group_size must be at least 1, not {self.min_group_size}")
        if self.bootstrap < 0:
            raise MeasureError(f"bootstrap must be 0 (off) or a number of resamples, not {self.bootstrap}")
        if not 0.5 < self.confidence < 1.0:
            raise MeasureError(f"confidence {self.confidence} is outside (0.5, 1)")

    @property
    def facet_specs(self) -> tuple[tuple[str, str | None], ...]:
        """``(column, value or None)`` for each ``--facet COL`` or ``--facet COL=VALUE``."""
        specs = []
        for spec in self.facets:
            column, sep, value = spec.partition("=")
            specs.append((column.strip(), value.strip() if sep else None))
        return tuple(specs)

    @property
    def facet_columns(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(column for column, _ in self.facet_specs))

    def to_dict(self) -> dict:
        return {"facets": list(self.facets), "label": self.label, "prediction": self.prediction,
                "positive": self.positive, "groups": list(self.groups), "threshold": self.threshold,
                "facet_nan": self.facet_nan, "min_group_size": self.min_group_size,
                "bootstrap": self.bootstrap, "seed": self.seed, "confidence": self.confidence,
                "vanish_fraction": self.vanish_fraction, "amplify_factor": self.amplify_factor,
                "max_abs_difference": self.max_abs_difference, "min_di": self.min_di}
