"""SageMaker Clarify's bias metrics, computed from cell counts.

Notation as in Clarify's documentation: facet *d* (the group examined) and facet *a* (the
rest); ``n_d(1)`` members of *d* with the favourable outcome, ``n_d(0)`` with the other;
``n(0) = n_a(0) + n_d(0)``; ``q_d = n_d(1) / n_d``.

* CI  = (n_a - n_d) / (n_a + n_d)
* DPL = q_a - q_d                                   (labels; DPPL on predictions)
* DI  = q_d / q_a                                   (labels and predictions)
* DD  = n_d(0) / n(0) - n_d(1) / n(1)               (DDPL on predictions)
* CDD = (1 / n) * sum_i n_i * DD_i over strata i     (CDDL on labels, CDDPL on predictions)
* AD  = ACC_a - ACC_d,  RD = recall_a - recall_d
* FPR difference = FPR_d - FPR_a, FNR difference = FNR_d - FNR_a (not Clarify metrics)

Every function takes counts ``c`` of shape ``(K,)`` (one table) or ``(B, K)`` (B bootstrap
replicates) and boolean masks of shape ``(K,)`` over the K cells, and returns floats or
arrays of shape ``(B,)``. Undefined values (a zero denominator) come out as NaN.
"""

from __future__ import annotations

import numpy as np


def _s(c: np.ndarray, mask: np.ndarray) -> np.ndarray:
    return c @ mask.astype(np.float64)


def _div(num, den):
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.divide(num, den)


def demographic_disparity(c, d, outcome):
    """DD_d = n_d(0)/n(0) - n_d(1)/n(1): share of unfavourable outcomes minus share of favourable ones."""
    nd1, n1 = _s(c, d & outcome), _s(c, outcome)
    nd0, n0 = _s(c, d & ~outcome), _s(c, ~outcome)
    return _div(nd0, n0) - _div(nd1, n1)


def label_metrics(c, d, y) -> dict[str, np.ndarray]:
    """Pre-training metrics on the observed labels: CI, DPL, DI, DD."""
    a = ~d
    nd, na = _s(c, d), _s(c, a)
    qd, qa = _div(_s(c, d & y), nd), _div(_s(c, a & y), na)
    return {"CI": _div(na - nd, na + nd), "DPL": qa - qd, "DI": _div(qd, qa),
            "DD": demographic_disparity(c, d, y)}


def _rates(c, m, y, p) -> dict[str, np.ndarray]:
    tp, fp = _s(c, m & y & p), _s(c, m & ~y & p)
    fn, tn = _s(c, m & y & ~p), _s(c, m & ~y & ~p)
    n = tp + fp + fn + tn
    return {"q": _div(tp + fp, n), "acc": _div(tp + tn, n), "recall": _div(tp, tp + fn),
            "fpr": _div(fp, fp + tn), "fnr": _div(fn, fn + tp)}


def prediction_metrics(c, d, y, p) -> dict[str, np.ndarray]:
    """Post-training metrics: DPPL, DI, AD, RD, FPR and FNR differences, DDPL."""
    rd, ra = _rates(c, d, y, p), _rates(c, ~d, y, p)
    return {"DPPL": ra["q"] - rd["q"], "DI": _div(rd["q"], ra["q"]), "AD": ra["acc"] - rd["acc"],
            "RD": ra["recall"] - rd["recall"], "FPRD": rd["fpr"] - ra["fpr"],
            "FNRD": rd["fnr"] - ra["fnr"], "DDPL": demographic_disparity(c, d, p)}


def strata(c, d, outcome, onehot: np.ndarray) -> dict[str, np.ndarray]:
    """Per-stratum counts (last axis: strata) for the conditional disparity."""
    def per(mask):
        return c @ (onehot * mask[:, None])

    n, nd = c @ onehot, per(d)
    n1, nd1 = per(outcome), per(d & outcome)
    n0, nd0 = n - n1, nd - nd1
    return {"n": n, "nd": nd, "n1": n1, "nd1": nd1, "dd": _div(nd0, n0) - _div(nd1, n1)}


def conditional_demographic_disparity(c, d, outcome, onehot: np.ndarray):
    """CDD = sum_i n_i DD_i / sum_i n_i over the strata whose DD_i is defined.

    A stratum with only favourable or only unfavourable outcomes has no DD_i (0/0); it is
    left out of both sums (Clarify's formula assumes every DD_i exists).
    """
    per = strata(c, d, outcome, onehot)
    defined = np.isfinite(per["dd"])
    weights = np.where(defined, per["n"], 0.0)
    return _div(np.sum(weights * np.where(defined, per["dd"], 0.0), axis=-1), np.sum(weights, axis=-1))


def bootstrap(counts: np.ndarray, statistic, replicates: int, seed: int, confidence: float,
              budget: int = 4_000_000) -> dict:
    """Percentile intervals of ``statistic(c) -> {key: value}`` over seeded resamples.

    Resampling rows with replacement is drawing the cell counts from a multinomial with the
    observed cell shares, which is what is done here (B replicates at a time, within a budget
    of B * K numbers). An interval is given only when at least half the replicates define it.
    """
    rng = np.random.default_rng(seed)
    total = int(counts.sum())
    shares = counts / total
    step = max(1, min(replicates, budget // max(1, counts.size)))
    collected: dict = {}
    done = 0
    while done < replicates:
        size = min(step, replicates - done)
        draws = rng.multinomial(total, shares, size=size).astype(np.float64)
        for key, values in statistic(draws).items():
            collected.setdefault(key, []).append(np.asarray(values, dtype=np.float64))
        done += size
    tail = (1.0 - confidence) / 2.0 * 100.0
    intervals = {}
    for key, parts in collected.items():
        values = np.concatenate(parts)
        values = values[np.isfinite(values)]
        if values.size * 2 >= replicates:
            low, high = np.percentile(values, [tail, 100.0 - tail])
            intervals[key] = (float(low), float(high))
    return intervals
