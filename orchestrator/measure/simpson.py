"""Simpson's paradox check: compare the marginal disparity (DD) with the conditional one (CDD).

* **reversal**: DD and CDD have opposite signs (the 1973 Berkeley admissions);
* **vanishing**: same sign, |CDD| below ``vanish_fraction`` of |DD|;
* **amplification**: same sign, |CDD| at least ``amplify_factor`` times |DD|;
* **consistent**: otherwise; **negligible**: both below 0.01; **undetermined**: either undefined.

The explanation says in plain words what that means for whoever decides, and names the strata
that drive it: ``driving`` are the strata whose part of the CDD (n_i * DD_i / n) points the way
the CDD does, largest first; ``composition`` are the strata where facet d is over-represented
and the favourable rate is on the side that produces the aggregate disparity (low when DD > 0).
"""

from __future__ import annotations

from orchestrator.measure.result import Estimate, SimpsonCheck, Stratum

NEGLIGIBLE = 0.01


def classify(dd: float | None, cdd: float | None, vanish_fraction: float, amplify_factor: float) -> str:
    if dd is None or cdd is None:
        return "undetermined"
    if max(abs(dd), abs(cdd)) < NEGLIGIBLE:
        return "negligible"
    if dd * cdd < 0:
        return "reversal"
    if dd == 0:
        return "amplification"
    ratio = abs(cdd) / abs(dd)
    if ratio < vanish_fraction:
        return "vanishing"
    if ratio >= amplify_factor:
        return "amplification"
    return "consistent"


def _names(strata: list[Stratum]) -> str:
    return ", ".join(s.value for s in strata) or "none large enough to judge"


def _driving(strata: tuple[Stratum, ...], cdd: float) -> list[Stratum]:
    same = [s for s in strata if not s.too_small and s.contribution is not None and s.contribution * cdd > 0]
    return sorted(same, key=lambda s: -abs(s.contribution))[:3]


def _composition(strata: tuple[Stratum, ...], dd: float, share_d: float, rate: float) -> list[Stratum]:
    chosen = [s for s in strata if s.share_d is not None and s.positive_rate is not None and s.n_d
              and s.share_d > share_d and (s.positive_rate < rate if dd > 0 else s.positive_rate > rate)]
    return sorted(chosen, key=lambda s: -s.n_d)


def check(subject: str, facet: str, group: str, outcome: str, dd: Estimate, cdd: Estimate,
          strata: tuple[Stratum, ...], share_d: float, rate: float, vanish_fraction: float,
          amplify_factor: float) -> SimpsonCheck:
    """Classify and explain DD against CDD for facet d (``subject``) and one stratum column."""
    kind = classify(dd.value, cdd.value, vanish_fraction, amplify_factor)
    metric, marginal = ("CDDL", "DD") if outcome == "label" else ("CDDPL", "DDPL")
    outcomes = "favourable labels" if outcome == "label" else "favourable predictions"
    if kind == "undetermined":
        why = dd.note if dd.value is None else cdd.note
        return SimpsonCheck(kind, f"{marginal} or {metric} of {subject} within {group} is undefined ({why}).")
    d, c = dd.value, cdd.value
    figures = f"{marginal} {d:+.3f}, {metric} {c:+.3f}"
    if kind == "negligible":
        return SimpsonCheck(kind, f"No disparity for {subject} in aggregate or within {group} ({figures}; "
                                  f"both below {NEGLIGIBLE}).")
    driving = _driving(strata, c)
    composition = _composition(strata, d, share_d, rate)
    low_high = "low" if d > 0 else "high"
    spread = (f"{subject} is concentrated in {group} values with {low_high} rates of {outcomes} "
              f"({_names(composition)})")
    uncertain = ""
    if cdd.low is not None and cdd.low <= 0 <= cdd.high:
        uncertain = (f" The bootstrap interval of {metric} [{cdd.low:+.3f}, {cdd.high:+.3f}] includes 0, "
                     f"so its sign is not established.")
    if kind == "reversal":
        if d > 0:
            text = (f"Reversal: in aggregate {subject} is disadvantaged ({figures}), but compared within the "
                    f"same {group} the sign flips: within {group}, {subject} fares as well or better. The "
                    f"aggregate gap comes from where {subject} is: {spread}. For a decision-maker: the "
                    f"aggregate figure alone points at unequal outcomes within a {group} that the strata do "
                    f"not show; ask why {subject} ends up in those {group} values, and whether {group} is a "
                    f"legitimate basis for the outcome or a proxy for {facet}.")
        else:
            text = (f"Reversal: in aggregate {subject} looks favoured ({figures}), but compared within the "
                    f"same {group} the sign flips: within {group}, {subject} is disadvantaged. The aggregate "
                    f"hides it because {spread}. For a decision-maker: the aggregate figure would clear a "
                    f"disadvantage that exists within {group}; look first at {_names(driving)}.")
    elif kind == "vanishing":
        ratio = abs(c) / abs(d)
        text = (f"Vanishing: the aggregate disparity of {subject} ({figures}) mostly disappears within {group} "
                f"(|{metric}| is {ratio:.0%} of |{marginal}|, below the stated {vanish_fraction:.0%}). It comes "
                f"from how {subject} is spread over {group}: {spread}. For a decision-maker: the gap lies "
                f"in who ends up in which {group}, not in outcomes within a {group}; judge whether that "
                f"distribution, and {group} as a basis for the outcome, is acceptable.")
    elif kind == "amplification":
        ratio = abs(c) / abs(d) if d else float("inf")
        text = (f"Amplification: within {group} the disparity of {subject} is larger than in aggregate "
                f"({figures}; |{metric}| is {ratio:.1f} times |{marginal}|, at or above the stated "
                f"{amplify_factor:.1f}). The aggregate figure understates it. For a decision-maker: rely on "
                f"the within-{group} figure; the strata that drive it are {_names(driving)}.")
    else:
        text = (f"Consistent: the disparity of {subject} is about the same within {group} as in aggregate "
                f"({figures}); conditioning on {group} does not explain it. The strata that carry most of "
                f"it are {_names(driving)}.")
    return SimpsonCheck(kind, text + uncertain, tuple(s.value for s in driving),
                        tuple(s.value for s in composition))
