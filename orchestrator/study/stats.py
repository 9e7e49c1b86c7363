"""The study's statistics: Wilson intervals, Fisher's exact test, a bootstrap of rates per 1,000
lines, and Benjamini-Hochberg adjusted p-values, all through scipy (the ``study`` extra).

Every function is deterministic: the bootstrap draws from a seeded generator, so a resumed
study writes the same numbers as an uninterrupted one.
"""

from __future__ import annotations

import math
from typing import Sequence

Z95 = 1.959963984540054
BOOTSTRAP_RESAMPLES = 2000
BOOTSTRAP_SEED = 0


def wilson(k: int, n: int, z: float = Z95) -> tuple[float, float]:
    """Wilson score 95% interval of the share ``k/n``, rounded to 4 places; (0, 1) when ``n`` is
    0. (The closed form; a test checks it against scipy's ``binomtest(...).proportion_ci``.)"""
    if n <= 0:
        return (0.0, 1.0)
    p = k / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    return (round(max(0.0, centre - half), 4), round(min(1.0, centre + half), 4))


def fisher(k1: int, n1: int, k2: int, n2: int) -> tuple[float, float]:
    """(odds ratio, two-sided p) of Fisher's exact test on [[k1, n1-k1], [k2, n2-k2]].

    The odds ratio is the sample one (inf when a cell is 0 on the denominator side, nan when
    both groups are all-or-nothing in the same way); p is 1 when a group is empty."""
    if n1 <= 0 or n2 <= 0:
        return (math.nan, 1.0)
    from scipy.stats import fisher_exact

    res = fisher_exact([[k1, n1 - k1], [k2, n2 - k2]], alternative="two-sided")
    return (float(res.statistic), min(1.0, float(res.pvalue)))


def benjamini_hochberg(pvalues: Sequence[float]) -> list[float]:
    """Benjamini-Hochberg adjusted p-values (scipy.stats.false_discovery_control)."""
    if not pvalues:
        return []
    from scipy.stats import false_discovery_control

    return [float(p) for p in false_discovery_control(list(pvalues), method="bh")]


def rate(counts: Sequence[float], lines: Sequence[float]) -> float:
    """Findings per 1,000 lines over a group (pooled: total findings / total lines)."""
    total = float(sum(lines))
    return 1000.0 * float(sum(counts)) / total if total > 0 else 0.0


def rate_difference_ci(counts_a: Sequence[float], lines_a: Sequence[float], counts_b: Sequence[float],
                       lines_b: Sequence[float]) -> tuple[float, float]:
    """95% percentile bootstrap interval of rate(a) - rate(b), resampling repositories within
    each group (``BOOTSTRAP_RESAMPLES`` draws, seed ``BOOTSTRAP_SEED``). (nan, nan) when a group
    has fewer than two repositories (nothing to resample); a degenerate sample (no findings
    anywhere) gives (0, 0)."""
    import numpy as np

    if len(counts_a) < 2 or len(counts_b) < 2:
        return (math.nan, math.nan)
    if sum(counts_a) == 0 and sum(counts_b) == 0:
        return (0.0, 0.0)
    from scipy.stats import bootstrap

    ca, la = np.asarray(counts_a, float), np.asarray(lines_a, float)
    cb, lb = np.asarray(counts_b, float), np.asarray(lines_b, float)

    def statistic(ia, ib, axis=-1):
        ia, ib = ia.astype(int), ib.astype(int)
        with np.errstate(divide="ignore", invalid="ignore"):
            ra = np.where(la[ia].sum(axis) > 0, 1000.0 * ca[ia].sum(axis) / la[ia].sum(axis), 0.0)
            rb = np.where(lb[ib].sum(axis) > 0, 1000.0 * cb[ib].sum(axis) / lb[ib].sum(axis), 0.0)
        return ra - rb

    res = bootstrap((np.arange(len(ca)), np.arange(len(cb))), statistic, n_resamples=BOOTSTRAP_RESAMPLES,
                    vectorized=True, paired=False, method="percentile", confidence_level=0.95,
                    rng=np.random.default_rng(BOOTSTRAP_SEED))
    low, high = float(res.confidence_interval.low), float(res.confidence_interval.high)
    return (round(low, 4), round(high, 4))
