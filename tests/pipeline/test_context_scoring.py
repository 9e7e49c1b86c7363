"""Risk scaled to context (docs/scoring.md, "Context that makes a finding informational"):
each cap with the near miss that keeps the finding above info."""

from __future__ import annotations

from pathlib import Path

import pytest

from orchestrator.model import Finding, Location, Match, Severity
from orchestrator.pipeline import scoring
from orchestrator.pipeline.scoring import score_findings


def make(pattern: str, path: str, line: int = 3, snippet: str = "x", rule: str = "") -> Finding:
    rule = rule or f"t-{pattern.lower()}"
    return Finding(rule_id=rule, bias_pattern=pattern, stage="", message="m", path=path,
                   start_line=line, end_line=line, snippet=snippet, severity=Severity.INFO, score=0.0,
                   score_factors=(), confidence="HIGH", fingerprint=f"fp-{rule}-{path}-{line}",
                   occurrences=(Location(path, line, line),), found_by=(f"semgrep:{rule}",))


def meta_of(f: Finding) -> Match:
    meta = {"bias-pattern": f.bias_pattern, "likelihood": "HIGH", "impact": "HIGH",
            "confidence": "HIGH", "detect-class": "H"}
    return Match("semgrep", f.rule_id, Location(f.path, f.start_line, f.start_line), "m", f.snippet, meta)


def ev(kind: str, path: str, line: int, snippet: str) -> Match:
    return Match("semgrep", f"evidence-{kind}", Location(path, line, line), "e", snippet,
                 {"evidence": kind}, evidence=kind)


def cap_of(f: Finding) -> str | None:
    names = [x.name for x in f.score_factors]
    for name in ("no-people-data", "module-without-people-data", "format-demo", "evaluated-per-group",
                 "test-code", "uncalled-code"):
        if name in names:
            return name
    return None


def scored(findings, evidence, sources=None, root: Path = Path(".")):
    return score_findings(findings, [meta_of(f) for f in findings] + list(evidence), root, sources)


FACES = ev("people-data", "data.py", 2, "pd.read_csv('faces.csv')['gender']")
TRAIN = "from data import load\nmodel = fit(load())\n"


def test_no_people_data_in_the_repository_makes_every_finding_info():
    dp01 = make("DP01", "train.py")
    (f,) = scored([dp01], [])
    assert f.severity is Severity.INFO and cap_of(f) == "no-people-data"
    (g,) = scored([dp01], [FACES])
    assert g.severity is not Severity.INFO and cap_of(g) is None


@pytest.mark.parametrize("pattern", sorted(scoring.PEOPLE_DEPENDENT))
def test_a_people_dependent_construct_is_info_in_a_module_people_data_never_reaches(pattern):
    sources = {"train.py": TRAIN, "data.py": "def load():\n    pass\n",
               "mnist_demo.py": "import torch\n", "helpers.py": ""}
    here = make(pattern, "mnist_demo.py")
    there = make(pattern, "train.py")
    a, b = scored([here, there], [FACES], sources)
    assert a.severity is Severity.INFO and cap_of(a) == "module-without-people-data"
    assert cap_of(b) is None  # train.py imports data.py, where the people data is


def test_a_construct_outside_the_list_keeps_its_level_in_a_module_without_people_data():
    sources = {"data.py": "", "other.py": ""}
    (f,) = scored([make("DP01", "other.py")], [FACES], sources)
    assert cap_of(f) is None and f.severity is not Severity.INFO


def test_without_the_code_index_the_whole_repository_is_the_module():
    (f,) = scored([make("CM01", "other.py")], [FACES], None)
    assert cap_of(f) is None


def test_a_finding_is_never_its_own_people_data():
    backbone = make("TR05", "model.py", 4, "models.resnet50(pretrained=True)  # faces")
    own = ev("people-data", "model.py", 4, "faces")
    (f,) = scored([backbone], [own], {"model.py": ""})
    assert f.severity is Severity.INFO
    assert cap_of(f) == "module-without-people-data"


def test_a_benchmark_loaded_in_a_format_demo_is_info_but_not_as_a_real_task():
    sources = {"examples/read_formats.py": "", "credit/train.py": "from credit import prep\n",
               "credit/prep.py": ""}
    demo = make("DS02", "examples/read_formats.py", 2, "pd.read_csv('adult.csv')")
    task = make("DS02", "credit/prep.py", 2, "pd.read_csv('adult.csv')")
    loads = [ev("high-stakes-dataset", f.path, 2, f.snippet) for f in (demo, task)]
    used = ev("protected-attribute-kept", "credit/train.py", 5, "X = df[['sex', 'age']]")
    a, b = scored([demo, task], loads + [used], sources)
    assert cap_of(a) == "format-demo"
    assert cap_of(b) is None and b.severity is not Severity.INFO


@pytest.mark.parametrize("pattern", ["DS01", "DS02", "TR04", "TR05", "DP11"])
def test_a_dataset_or_model_choice_is_info_where_the_repository_evaluates_per_group(pattern):
    f = make(pattern, "train.py")
    metric = ev("per-group-metric", "eval.py", 9, "MetricFrame(metrics=accuracy_score, sensitive_features=g)")
    (a,) = scored([f], [FACES, metric])
    assert cap_of(a) == "evaluated-per-group" and "eval.py:9" in a.score_factors[-1].reason
    (b,) = scored([f], [FACES])
    assert cap_of(b) is None


def test_per_group_evaluation_of_another_attribute_does_not_answer():
    split = make("DP11", "train.py", 3, "train_test_split(X, df['race'])")
    by_sex = ev("per-group-metric", "eval.py", 9, "df.groupby('sex').apply(accuracy)")
    by_race = ev("per-group-metric", "eval.py", 9, "df.groupby('race').apply(accuracy)")
    (a,) = scored([split], [FACES, by_sex])
    (b,) = scored([split], [FACES, by_race])
    assert cap_of(a) is None and cap_of(b) == "evaluated-per-group"


def test_other_patterns_are_not_answered_by_per_group_evaluation():
    f = make("DP01", "train.py")
    metric = ev("per-group-metric", "eval.py", 9, "MetricFrame(...)")
    (a,) = scored([f], [FACES, metric])
    assert cap_of(a) is None


def test_ev04_is_answered_only_by_a_stratified_analysis():
    ev04 = make("EV04", "eval.py", 5, "rate_a - rate_b", rule="marginal-disparity-without-strata")
    ev04 = Finding(**{**ev04.__dict__, "repository_level": True})
    group_metric = ev("per-group-metric", "eval.py", 9, "MetricFrame(...)")
    strata = ev("stratified-analysis", "eval.py", 12, "MetricFrame(control_features=dept)")
    (a,) = scored([ev04], [FACES, group_metric])
    (b,) = scored([ev04], [FACES, strata])
    assert cap_of(a) is None and cap_of(b) == "evaluated-per-group"


@pytest.mark.parametrize("path, info", [("tests/test_prep.py", True), ("pkg/prep_test.py", True),
                                        ("conftest.py", True), ("pkg/latest.py", False),
                                        ("contest/prep.py", False)])
def test_test_code_is_info(path, info):
    (f,) = scored([make("DP01", path)], [FACES])
    assert (cap_of(f) == "test-code") is info


def test_code_nothing_calls_is_info(tmp_path):
    lib = "def dead(df):\n    return df.dropna()\n\n\ndef live(df):\n    return df.dropna()\n"
    sources = {"lib.py": lib, "run.py": "from lib import live\nlive(frame)\n", "data.py": ""}
    dead, live = make("DP01", "lib.py", 2), make("DP01", "lib.py", 6)
    a, b = scored([dead, live], [FACES], sources, tmp_path)
    assert cap_of(a) == "uncalled-code" and "`dead`" in a.score_factors[-1].reason
    assert cap_of(b) is None


def test_every_level_names_the_factor_that_set_it():
    findings = [make("DP01", "tests/test_a.py"), make("DP01", "train.py")]
    for f in scored(findings, [FACES]):
        assert f.score == pytest.approx(min(10.0, max(0.0, sum(x.value for x in f.score_factors))), abs=0.05)
        if f.severity is Severity.INFO:
            assert f.score_factors[-1].value < 0 and f.score_factors[-1].reason
