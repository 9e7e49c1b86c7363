"""The severity model (docs/scoring.md): factors, levels, and golden scores on fixed findings."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from orchestrator.model import CellRef, Finding, Location, Match, Severity
from orchestrator.pipeline import scoring
from orchestrator.pipeline.scoring import level_for, score_findings


def make(rule_id: str, pattern: str, path: str, line: int = 10, confidence: str = "HIGH",
         cell: CellRef | None = None, repository_level: bool = False) -> Finding:
    return Finding(rule_id=rule_id, bias_pattern=pattern, stage="preparation", message="m",
                   path=path, start_line=line, end_line=line, snippet="x", severity=Severity.INFO,
                   score=0.0, score_factors=(), confidence=confidence, fingerprint=f"fp-{rule_id}-{path}",
                   occurrences=(Location(path, line, line),), found_by=(f"semgrep:{rule_id}",), cell=cell,
                   repository_level=repository_level)


def match_of(f: Finding, likelihood: str, impact: str, detect: str) -> Match:
    meta = {"bias-pattern": f.bias_pattern, "likelihood": likelihood, "impact": impact,
            "confidence": f.confidence, "detect-class": detect}
    return Match("semgrep", f.rule_id, Location(f.path, f.start_line, f.start_line), "m", "x", meta)


def ev(kind: str, path: str, line: int, snippet: str) -> Match:
    return Match("semgrep", f"evidence-{kind}", Location(path, line, line), "e", snippet,
                 {"evidence": kind}, evidence=kind)


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "__init__.py").write_text("")
    (tmp_path / "pkg" / "prep.py").write_text("")
    (tmp_path / "scripts").mkdir()
    (tmp_path / "scripts" / "run.py").write_text("")
    return tmp_path


PEOPLE = ev("people-data", "pkg/prep.py", 3, 'df["sex"]')
ADULT = ev("high-stakes-dataset", "pkg/prep.py", 1, 'pd.read_csv("adult.csv")')
SANITIZER = ev("per-group-metric", "pkg/eval.py", 5, "MetricFrame(...)")


def _scenario_people():
    dp01 = make("t-dp01", "DP01", "pkg/prep.py", 12)
    dp11 = make("t-dp11", "DP11", "pkg/prep.py", 20)
    dp01_test = make("t-dp01", "DP01", "tests/test_prep.py", 5)
    dp03_nb = make("t-dp03", "DP03", "notebooks/explore.ipynb", 4, cell=CellRef(2, 4))
    dp12 = make("t-dp12", "DP12", "scripts/run.py", 8, confidence="MEDIUM")
    ev01 = make("aggregate-only-evaluation", "EV01", "scripts/run.py", 30, confidence="LOW",
                repository_level=True)
    tr05 = make("t-tr05", "TR05", "examples/finetune.py", 2)
    dl02 = make("t-dl02", "DL02", "scripts/run.py", 40)
    findings = [dp01, dp11, dp01_test, dp03_nb, dp12, ev01, tr05, dl02]
    matches = [match_of(dp01, "MEDIUM", "MEDIUM", "H"), match_of(dp11, "MEDIUM", "MEDIUM", "H"),
               match_of(dp03_nb, "HIGH", "MEDIUM", "H"), match_of(dp12, "HIGH", "HIGH", "M"),
               match_of(tr05, "MEDIUM", "MEDIUM", "H"), match_of(dl02, "LOW", "MEDIUM", "H"),
               PEOPLE, ADULT]
    return findings, matches


def _scenario_sanitized():
    dp12 = make("t-dp12", "DP12", "scripts/run.py", 8, confidence="MEDIUM")
    dp01 = make("t-dp01", "DP01", "pkg/prep.py", 12)
    tr05 = make("t-tr05", "TR05", "pkg/prep.py", 2)
    findings = [dp12, dp01, tr05]
    matches = [match_of(dp12, "HIGH", "HIGH", "M"), match_of(dp01, "MEDIUM", "MEDIUM", "H"),
               match_of(tr05, "MEDIUM", "MEDIUM", "H"), SANITIZER]
    return findings, matches


def _golden(scored):
    return [{"rule_id": f.rule_id, "path": f.path, "score": f.score, "severity": f.severity.value,
             "factors": [{"name": x.name, "value": x.value, "reason": x.reason} for x in f.score_factors]}
            for f in scored]


@pytest.mark.parametrize("scenario", [_scenario_people, _scenario_sanitized],
                         ids=["people-data-adult", "sanitized-no-people-data"])
def test_golden_scores(scenario, project, data_regression):
    findings, matches = scenario()
    data_regression.check(_golden(score_findings(findings, matches, project)))


def test_scores_are_the_clamped_sum_of_the_factors(project):
    findings, matches = _scenario_people()
    for f in score_findings(findings, matches, project):
        total = sum(x.value for x in f.score_factors)
        assert f.score == round(min(10.0, max(0.0, total)) + 1e-9, 1)
        assert f.severity == level_for(f.score)
        assert all(x.reason for x in f.score_factors)


def test_order_is_kept_and_scoring_is_deterministic(project):
    findings, matches = _scenario_people()
    a = score_findings(findings, matches, project)
    b = score_findings(findings, list(reversed(matches)), project)
    assert [f.fingerprint for f in a] == [f.fingerprint for f in findings]
    assert a == b


@pytest.mark.parametrize("score, level", [(10.0, "critical"), (9.0, "critical"), (8.9, "high"),
                                          (7.0, "high"), (6.9, "medium"), (4.0, "medium"),
                                          (3.9, "low"), (2.0, "low"), (1.9, "info"), (0.0, "info")])
def test_level_thresholds(score, level):
    assert level_for(score).value == level


def _score(findings, matches, root, index=0):
    return score_findings(findings, matches, root)[index]


def test_test_code_is_info_and_library_code_is_not(project):
    lib = make("t-dp01", "DP01", "pkg/prep.py")
    test = replace(lib, path="tests/test_prep.py")
    m = match_of(lib, "MEDIUM", "MEDIUM", "H")
    a, b = score_findings([lib, test], [m, PEOPLE], project)
    assert {x.name for x in a.score_factors} >= {"library-code"} and a.severity != Severity.INFO
    assert b.severity == Severity.INFO and b.score_factors[-1].name == "test-code"


def test_sanitizers_lower_m_class_more_than_h_class_and_not_l_class(project):
    m_class = make("t-dp12", "DP12", "scripts/run.py")
    h_class = make("t-dp01", "DP01", "scripts/run.py", 20)
    base = [match_of(m_class, "HIGH", "HIGH", "M"), match_of(h_class, "HIGH", "HIGH", "H"), PEOPLE]
    before = score_findings([m_class, h_class], base, project)
    after = score_findings([m_class, h_class], base + [SANITIZER], project)
    assert before[0].score - after[0].score == pytest.approx(1.5)
    assert before[1].score - after[1].score == pytest.approx(0.5)
    ev04 = make("marginal-disparity-without-strata", "EV04", "pkg/eval.py", confidence="LOW",
                repository_level=True)
    assert "sanitizers" not in {x.name for x in _score([ev04], [SANITIZER], project).score_factors}


def test_high_stakes_dataset_in_the_same_file_counts_more(project):
    here = make("t-dp01", "DP01", "pkg/prep.py")
    there = replace(here, path="scripts/run.py")
    m = match_of(here, "MEDIUM", "MEDIUM", "H")
    a, b = score_findings([here, there], [m, ADULT], project)
    fa = {x.name: x.value for x in a.score_factors}
    fb = {x.name: x.value for x in b.score_factors}
    assert fa["high-stakes-dataset"] == scoring.HIGH_STAKES_SAME_FILE
    assert fb["high-stakes-dataset"] == scoring.HIGH_STAKES_REPO < scoring.HIGH_STAKES_SAME_FILE


def test_corroboration_counts_other_stages_and_is_capped(project):
    same_stage = [make("t-dp01", "DP01", "scripts/run.py", 1), make("t-dp03", "DP03", "scripts/run.py", 2)]
    alone = _score(same_stage, [PEOPLE], project)
    assert "corroboration" not in {x.name for x in alone.score_factors}
    pipeline = same_stage + [make(f"t-{p}", p, "scripts/run.py", i) for i, p in enumerate(
        ["DS02", "TR03", "EV02", "DL01"], start=3)]
    f = _score(pipeline, [PEOPLE], project)
    (corr,) = [x for x in f.score_factors if x.name == "corroboration"]
    assert corr.value == scoring.CORROBORATION_CAP and "dataset (DS02, line 3)" in corr.reason
    assert "DP03" not in corr.reason


def test_info_patterns_are_capped_unless_people_data_for_tr05(project):
    tr05 = make("t-tr05", "TR05", "scripts/run.py")
    m = match_of(tr05, "HIGH", "HIGH", "H")
    assert _score([tr05], [m], project).severity == Severity.INFO
    assert _score([tr05], [m, ADULT], project).severity != Severity.INFO
    dl02 = make("t-dl02", "DL02", "scripts/run.py")
    assert _score([dl02], [match_of(dl02, "HIGH", "HIGH", "H"), ADULT], project).severity == Severity.INFO


def test_unknown_rule_defaults_to_medium(project):
    f = make("codeql-something", "DP99", "scripts/run.py", confidence="")
    scored = _score([f], [], project)
    assert scored.score_factors[0].value == scoring.MATRIX[("MEDIUM", "MEDIUM")]


def test_repository_rules_take_their_metadata_from_the_reasoning(project):
    ev01 = make("aggregate-only-evaluation", "EV01", "scripts/run.py", confidence="LOW",
                repository_level=True)
    base = _score([ev01], [PEOPLE], project).score_factors[0]
    assert base.value == scoring.MATRIX[("HIGH", "HIGH")]


@pytest.mark.parametrize("path, kind", [("tests/test_a.py", "test"), ("src/a_test.py", "test"),
                                        ("conftest.py", "test"), ("docs/demo.py", "example"),
                                        ("examples/train.py", "example"), ("src/latest/a.py", "code"),
                                        ("contest.py", "code")])
def test_code_context(path, kind):
    assert scoring.code_context(path) == kind


def test_a_construct_merged_with_its_repository_risk_is_raised_and_not_capped(project):
    split = replace(make("t-dp11", "DP11", "scripts/run.py"),
                    found_by=("fairlint:unstratified-split-without-group-evaluation", "semgrep:t-dp11"))
    alone = make("t-dp11", "DP11", "scripts/run.py")
    m = match_of(alone, "LOW", "MEDIUM", "H")
    risky, plain = score_findings([split, alone], [m, PEOPLE], project)
    factors = {x.name: x for x in risky.score_factors}
    assert factors["repository-risk"].value == scoring.REPOSITORY_RISK
    assert "unstratified-split-without-group-evaluation" in factors["repository-risk"].reason
    assert risky.score - plain.score == pytest.approx(scoring.REPOSITORY_RISK)


def test_the_dataset_load_itself_does_not_count_as_a_high_stakes_context(project):
    load = make("t-ds02", "DS02", "pkg/prep.py", line=1)
    other = make("t-dp01", "DP01", "pkg/prep.py", line=12)
    a, b = score_findings([load, other], [ADULT], project)
    assert "high-stakes-dataset" not in {x.name for x in a.score_factors}
    assert "high-stakes-dataset" in {x.name for x in b.score_factors}
