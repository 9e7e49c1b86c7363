"""orchestrator.measure.link without a scan: finding links, suggestions, the gate's limits and
the measure: section of a policy."""

from __future__ import annotations

import types
from pathlib import Path

import pytest

from orchestrator.gate.policy import Policy, PolicyError
from orchestrator.measure import MeasureConfig, MeasureError, measure
from orchestrator.measure import link
from orchestrator.model import Finding, Location, ScanResult, Severity, ToolInfo
from orchestrator.rules.vocabulary import Vocabulary

VOCAB = Vocabulary.default()


def finding(pattern: str, snippet: str, fingerprint: str, path: str = "admit.py", line: int = 3) -> Finding:
    return Finding(rule_id=f"rule-{pattern.lower()}", bias_pattern=pattern, stage="evaluation", message="m",
                   path=path, start_line=line, end_line=line, snippet=snippet, severity=Severity.MEDIUM,
                   score=5.0, score_factors=(), confidence="MEDIUM", fingerprint=fingerprint,
                   occurrences=(Location(path, line, line),), found_by=("semgrep:x",))


def result(root: Path | str, *findings: Finding) -> ScanResult:
    return ScanResult(root=str(root), findings=tuple(findings), skipped=(), tool=ToolInfo("0", "hash"))


# --------------------------------------------------------------------------- links

def test_findings_link_to_the_facets_they_name_and_ev_patterns_to_all():
    findings = [
        finding("DP12", 'model.fit(df[["applicant_sex", "score"]], y)', "dp12-sex"),
        finding("DP03", 'LabelEncoder().fit_transform(df["race"])', "dp03-race"),
        finding("EV04", "gap = demographic_parity_difference(y, p, sensitive_features=grp)", "ev04-none"),
        finding("EV01", 'accuracy_score(y, p)  # df["race"]', "ev01-race"),
        finding("DP01", "df.dropna()", "dp01"),
    ]
    links = link.linked_findings(findings, ["sex", "department"], VOCAB)
    # applicant_sex shares the protected term "sex"; race is not measured; EV04 names nothing,
    # so it bears on every measured facet; EV01 names race only, still an EV pattern.
    assert links == {"dp12-sex": ["sex"], "ev04-none": ["sex", "department"], "ev01-race": ["sex", "department"]}


def test_engine_attributes_take_precedence_over_the_snippet():
    flow = types.SimpleNamespace(fingerprint="flow", bias_pattern="DP12", snippet='fit(df[["race"]], y)',
                                 metadata={"attributes": ["gender"]})
    assert link.finding_attributes(flow, VOCAB) == ("gender",)
    assert link.linked_findings([flow], ["gender"], VOCAB) == {"flow": ["gender"]}
    assert link.linked_findings([flow], ["race"], VOCAB) == {}


# --------------------------------------------------------------------------- suggestions

SOURCE = '''import pandas as pd
df = pd.read_csv("admissions.csv")
rates = df.groupby(["department", "sex"])["admitted"].mean()
table = df.pivot_table(index="region", columns="year", values="admitted")
women = df[df["sex"] == "F"]
train, test = train_test_split(df, stratify=df["cohort"])
gap = demographic_parity_difference(test["admitted"], pred, sensitive_features=test["ethnicity_code"])
'''


def test_suggest_reads_facets_and_strata_from_the_files_with_findings(tmp_path):
    (tmp_path / "admit.py").write_text(SOURCE)
    (tmp_path / "other.py").write_text('df.groupby("postcode_area")\n')  # no finding here: not read
    found = result(tmp_path, finding("EV04", 'demographic_parity_difference(..., sensitive_features=test["sex"])',
                                     "ev04", line=7))
    suggestion = link.suggest(found, VOCAB)
    # sex: the finding's snippet; ethnicity_code: sensitive_features=; the strata are the grouped
    # and stratified columns that are not protected (sex is left out of them, "F" is a value).
    assert suggestion["facets"] == ["sex", "ethnicity_code"]
    assert suggestion["groups"] == ["department", "region", "year", "cohort"]
    assert suggestion["command"] == ("fairlint measure DATA --label LABEL --facet sex --facet ethnicity_code "
                                     "--group department --group region --group year --group cohort")


def test_suggest_reads_notebook_cells_and_skips_unparsable_files(tmp_path):
    import json

    cells = [{"cell_type": "code", "source": ["%matplotlib inline\n", 'df.groupby("department").mean()\n']},
             {"cell_type": "markdown", "source": ['df.groupby("not_code")']}]
    (tmp_path / "nb.ipynb").write_text(json.dumps({"cells": cells, "nbformat": 4}))
    (tmp_path / "broken.py").write_text('df.groupby("region"\n')
    found = result(tmp_path, finding("DP12", 'fit(df[["sex"]], y)', "a", path="nb.ipynb"),
                   finding("DP12", 'fit(df[["race"]], y)', "b", path="broken.py"))
    suggestion = link.suggest(found, VOCAB)
    assert suggestion["facets"] == ["sex", "race"]
    assert suggestion["groups"] == ["department"]


def test_no_suggestion_without_protected_attributes(tmp_path):
    (tmp_path / "admit.py").write_text('df.groupby("department")\n')
    assert link.suggest(result(tmp_path, finding("DP01", "df.dropna()", "a")), VOCAB) is None


def test_suggest_never_reads_outside_the_root(tmp_path):
    outside = tmp_path / "outside.py"
    outside.write_text('df.groupby("leaked")\n')
    (tmp_path / "root").mkdir()
    found = result(tmp_path / "root", finding("DP12", 'fit(df[["sex"]], y)', "a", path="../outside.py"))
    assert link.suggest(found, VOCAB)["groups"] == []


# --------------------------------------------------------------------------- limits

@pytest.fixture(scope="module")
def berkeley_measured():
    from measure_data import berkeley_frame

    return measure(berkeley_frame(), MeasureConfig(facets=("sex=F",), label="admitted", groups=("department",)))


def test_limits_fail_on_the_figures_beyond_them(berkeley_measured):
    # Berkeley, women: DD +0.144 (aggregate), CDDL[department] -0.019, DI 0.682 (test_berkeley.py
    # checks these against the hand computation).
    spec = link.MeasureSpec(data=Path("t.csv"), facets=("sex=F",), label="admitted", groups=("department",),
                            max_abs_cdd=0.01, max_abs_dd=0.2, min_di=0.8)
    check = link.check_limits(berkeley_measured, spec)
    assert [(v.limit, v.subject, v.metric) for v in check.violations] == [
        ("max-abs-cdd", "sex = F", "CDDL[department]"), ("min-di", "sex = F", "DI")]
    assert check.judged == 3
    assert "below min-di 0.8" in check.violations[1].text

    relaxed = link.check_limits(berkeley_measured, link.MeasureSpec(
        data=Path("t.csv"), facets=("sex=F",), label="admitted", groups=("department",), max_abs_cdd=0.05, min_di=0.6))
    assert relaxed.violations == () and relaxed.judged == 2


def test_limits_read_predictions_when_a_prediction_column_is_given():
    spec = link.MeasureSpec(data=Path("t.csv"), facets=("sex",), label="y", prediction="p", groups=("g",))
    assert spec.outcomes() == ("prediction",)
    assert link.MeasureSpec(data=Path("t.csv"), facets=("sex",), label="y").outcomes() == ("label",)
    assert link.MeasureSpec(data=Path("t.csv"), facets=("sex",), label="y", prediction="p",
                            outcome="both").outcomes() == ("label", "prediction")


@pytest.mark.parametrize("spec, message", [
    (link.MeasureSpec(data=Path("t.csv"), facets=("sex",), label="y", max_abs_cdd=0.05), "needs at least one stratum"),
    (link.MeasureSpec(data=Path("t.csv"), facets=("sex",), label="y", outcome="prediction"), "needs a prediction"),
    (link.MeasureSpec(data=Path("t.csv"), facets=("sex",)), "give the label column"),
    (link.MeasureSpec(data=Path("t.csv"), label="y"), "give at least one facet"),
])
def test_incomplete_specs_are_refused_in_one_line(spec, message):
    with pytest.raises(MeasureError, match=message):
        spec.config()


# --------------------------------------------------------------------------- the measure: section

def test_policy_measure_section_resolves_data_next_to_the_file(tmp_path):
    config = tmp_path / ".fairlint.yml"
    config.write_text("measure:\n  data: out/table.csv\n  facets: [sex]\n  label: admitted\n"
                      "  groups: [department]\n  max-abs-cdd: 0.05\n  positive: 1\n")
    policy = Policy.load(config)
    spec = link.resolve_spec(policy.measure, policy.source)
    assert spec.data == tmp_path / "out" / "table.csv"
    assert (spec.facets, spec.groups, spec.positive, spec.limits) == (("sex",), ("department",), "1",
                                                                      {"max-abs-cdd": 0.05})
    # Command-line options replace the section's own; a table named there is relative to the cwd.
    override = link.resolve_spec(policy.measure, policy.source, data="other.csv", groups=("region",))
    assert (override.data, override.groups, override.facets) == (Path("other.csv"), ("region",), ("sex",))


def test_policy_measure_section_is_validated(tmp_path):
    config = tmp_path / ".fairlint.yml"
    config.write_text("measure:\n  data: t.csv\n  max-abs-cd: 0.05\n")
    with pytest.raises(PolicyError, match="max-abs-cd"):
        Policy.load(config)


def test_options_without_a_table_are_refused():
    with pytest.raises(MeasureError, match="need --measure DATA"):
        link.resolve_spec(None, "default", facets=("sex",))
    assert link.resolve_spec(None, "default") is None


# --------------------------------------------------------------------------- the gate, without a scan

@pytest.mark.parametrize("section, message", [
    ({"facets": ["sex"], "label": "admitted", "max-abs-dd": 0.1}, "give data:"),
    ({"data": "berkeley.csv", "facets": ["sex"], "label": "admitted", "max-abs-cdd": 0.1}, "needs at least one stratum"),
    ({"data": "absent.csv", "facets": ["sex"], "label": "admitted", "max-abs-dd": 0.1}, "not found"),
])
def test_gate_measure_errors_are_policy_errors(tmp_path, section, message):
    from orchestrator.gate.gate import evaluate, measure_gate

    (tmp_path / ".fairlint.yml").write_text("")
    policy = Policy.from_dict({"measure": section}, source=str(tmp_path / ".fairlint.yml"))
    with pytest.raises(PolicyError, match=message):
        measure_gate(evaluate(result(tmp_path), policy))


def test_gate_without_a_measure_section_is_unchanged(tmp_path):
    from orchestrator.gate.gate import evaluate, measure_gate

    outcome = evaluate(result(tmp_path), Policy())
    assert measure_gate(outcome) is outcome and outcome.exit_code == 0


def test_gate_measured_violation_fails_the_gate(tmp_path):
    from measure_data import berkeley_frame
    from orchestrator.gate.gate import evaluate, measure_gate, render

    berkeley_frame().to_csv(tmp_path / "berkeley.csv", index=False)
    policy = Policy.from_dict({"measure": {"data": "berkeley.csv", "facets": ["sex=F"], "label": "admitted",
                                           "groups": ["department"], "max-abs-dd": 0.1}},
                              source=str(tmp_path / ".fairlint.yml"))
    ev04 = finding("EV04", "demographic_parity_difference(y, p, sensitive_features=s)", "ev04")
    outcome = measure_gate(evaluate(result(tmp_path, ev04), policy))
    assert outcome.exit_code == 1 and outcome.failing == ()
    assert outcome.result.measured["findings"] == {"ev04": ["sex"]}
    assert "FAIL measured sex = F: DD +0.144, |value| above max-abs-dd 0.1" in render(outcome, "text")
