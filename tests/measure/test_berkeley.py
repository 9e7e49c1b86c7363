"""Issue 23's acceptance test: the 1973 Berkeley admissions table, measured with `--group department`.

Every expected figure is computed by hand below from SageMaker Clarify's definitions (facet d =
women, facet a = men, favourable outcome = admitted).
"""

from __future__ import annotations

import json

import pytest

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from measure_data import BERKELEY_MEN, BERKELEY_WOMEN  # noqa: E402

# ---- hand computation -------------------------------------------------------------------------
# Women: 1835 applicants, 557 admitted, 1278 rejected. Men: 2691 applicants, 1198 admitted, 1493 rejected.
N_D, N_D1 = 108 + 25 + 593 + 375 + 393 + 341, 89 + 17 + 202 + 131 + 94 + 24
N_A, N_A1 = 825 + 560 + 325 + 417 + 191 + 373, 512 + 353 + 120 + 138 + 53 + 22
N = N_D + N_A                                       # 4526 applicants
N1 = N_D1 + N_A1                                    # 1755 admitted (n(1))
N0 = N - N1                                         # 2771 rejected (n(0))
CI = (N_A - N_D) / N                                # (2691 - 1835) / 4526 = +0.1891
DPL = N_A1 / N_A - N_D1 / N_D                       # 0.4452 - 0.3035 = +0.1417
DI = (N_D1 / N_D) / (N_A1 / N_A)                    # 0.3035 / 0.4452 = 0.6818
DD = (N_D - N_D1) / N0 - N_D1 / N1                  # 1278/2771 - 557/1755 = 0.4612 - 0.3174 = +0.1438


def stratum_dd(department: str) -> float:
    """DD_i within one department: women's share of its rejected minus their share of its admitted."""
    (wa, wadm), (ma, madm) = BERKELEY_WOMEN[department], BERKELEY_MEN[department]
    return (wa - wadm) / ((wa - wadm) + (ma - madm)) - wadm / (wadm + madm)


SIZES = {k: BERKELEY_WOMEN[k][0] + BERKELEY_MEN[k][0] for k in "ABCDEF"}  # n_i: A 933, ..., F 714
# A: 19/332 - 89/601 = -0.0909   B: 8/215 - 17/370 = -0.0087   C: 391/596 - 202/322 = +0.0287
# D: 244/523 - 131/269 = -0.0204  E: 299/437 - 94/147 = +0.0448  F: 317/667 - 24/46 = -0.0472
CDD = sum(SIZES[k] * stratum_dd(k) for k in "ABCDEF") / N   # = -0.0193


def test_hand_computation_is_what_the_issue_expects():
    assert (N, N1, N0) == (4526, 1755, 2771)
    assert DD == pytest.approx(0.1438, abs=1e-4)
    assert CDD == pytest.approx(-0.0193, abs=1e-4)


def _women(data: dict) -> dict:
    return next(c for c in data["comparisons"] if c["facet"] == "sex" and c["value"] == "F")


def test_measure_reports_the_reversal(run_measure, berkeley_csv):
    result = run_measure(berkeley_csv, "--facet", "sex", "--label", "admitted", "--group", "department",
                         "--format", "json")
    assert result.exit_code == 0, result.output
    women = _women(json.loads(result.stdout))
    metrics = women["label_metrics"]
    assert (women["n_d"], women["n_a"]) == (N_D, N_A)
    assert metrics["CI"]["value"] == pytest.approx(CI, abs=1e-6)
    assert metrics["DPL"]["value"] == pytest.approx(DPL, abs=1e-6)
    assert metrics["DI"]["value"] == pytest.approx(DI, abs=1e-6)
    assert metrics["DD"]["value"] == pytest.approx(DD, abs=1e-6)
    assert metrics["DD"]["value"] > 0  # disadvantages women in aggregate
    (cond,) = women["conditional"]
    assert cond["group"] == "department" and cond["metric"] == "CDDL"
    assert cond["conditional"]["value"] == pytest.approx(CDD, abs=1e-6)
    assert cond["conditional"]["value"] < 0  # the opposite sign
    assert cond["simpson"]["kind"] == "reversal"
    strata = {s["value"]: s for s in cond["strata"]}
    for department in "ACDEF":
        assert strata[department]["dd"] == pytest.approx(stratum_dd(department), abs=1e-6)
        assert strata[department]["n"] == SIZES[department]
    # 25 women applied to B: below the default minimum of 30, too small to judge on its own ...
    assert strata["B"]["too_small"] and strata["B"]["dd"] is None
    # ... but its applicants still weigh in the CDD (n_i DD_i / n):
    assert strata["B"]["contribution"] == pytest.approx(SIZES["B"] * stratum_dd("B") / N, abs=1e-6)
    # Department A (women admitted at 82% against men's 62%) drives the reversal; women applied
    # mostly to the departments with low admission rates.
    assert cond["simpson"]["driving_strata"][0] == "A"
    assert set(cond["simpson"]["composition_strata"]) == {"C", "D", "E", "F"}


def test_the_reversal_in_words(run_measure, berkeley_csv):
    result = run_measure(berkeley_csv, "--facet", "sex=F", "--label", "admitted", "--group", "department")
    assert result.exit_code == 0, result.output
    text = " ".join(result.stdout.split())
    assert "conditioned on department: DD +0.144 -> CDDL -0.019 [reversal]" in text
    assert ("Reversal: in aggregate sex = F is disadvantaged (DD +0.144, CDDL -0.019), but compared within "
            "the same department the sign flips") in text
    assert "concentrated in department values with low rates of favourable labels (C, E, D, F)" in text
    assert "1 reversal(s) (Simpson's paradox)" in text
    assert "this model is biased" not in text


def test_public_api(berkeley):
    import orchestrator

    config = orchestrator.MeasureConfig(facets=("sex=F",), label="admitted", groups=("department",))
    first = orchestrator.measure(berkeley, config)  # the lazy function (or the callable module)
    import orchestrator.measure.analysis  # noqa: F401  rebinds orchestrator.measure to the sub-package

    again = orchestrator.measure(berkeley, config)
    assert isinstance(first, orchestrator.MeasureResult)
    assert first.to_dict() == again.to_dict()
    assert first.comparisons[0].label_metrics["DD"].value == pytest.approx(DD)
