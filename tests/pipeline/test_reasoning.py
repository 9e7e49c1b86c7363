"""Repository-level reasoning: which evidence makes which L-class finding, and what sanitizes it."""

from __future__ import annotations

import re

import pytest
import yaml

from orchestrator.model import CellRef, Location, Match
from orchestrator.pipeline import reasoning
from orchestrator.pipeline.reasoning import REPOSITORY_RULES, repository_findings
from orchestrator.rules import pack as rulepack
from orchestrator.rules import resources
from orchestrator.rules.taxonomy import PATTERNS
from orchestrator.rules.vocabulary import Vocabulary

V = Vocabulary.default()


def ev(kind: str, path: str, line: int, snippet: str) -> Match:
    return Match(engine="semgrep", rule_id=f"evidence-{kind}", location=Location(path, line, line),
                 message=f"evidence {kind}", snippet=snippet, metadata={"evidence": kind},
                 evidence=kind)


def finding(rule_id: str, pattern: str, path: str, line: int, snippet: str, **meta) -> Match:
    return Match(engine="semgrep", rule_id=rule_id, location=Location(path, line, line),
                 message="finding", snippet=snippet, metadata={"bias-pattern": pattern, **meta})


PEOPLE = ev("people-data", "prep.py", 4, 'sex = df["sex"]')
AGG = ev("aggregate-metric", "train.py", 30, "acc = accuracy_score(y_test, y_pred)")
AGG_PEOPLE_FILE = ev("aggregate-metric", "prep.py", 50, "model.evaluate(X_test, y_test)")
PER_GROUP = ev("per-group-metric", "eval.py", 8, "MetricFrame(metrics=accuracy_score, ...)")
LIBRARY = ev("fairness-library-used", "eval.py", 1, "from fairlearn.metrics import MetricFrame")
DROP = ev("protected-column-dropped", "prep.py", 10, 'X = df.drop(columns=["sex", "race"])')
SPLIT = ev("data-split", "prep.py", 20, "train_test_split(X, y, test_size=0.2)")
UNSTRAT = ev("unstratified-split", "prep.py", 20, "train_test_split(X, y, test_size=0.2)")


def ids(matches):
    return [m.rule_id for m in matches]


# --------------------------------------------------------------------------- EV01

def test_aggregate_only_evaluation_fires_with_people_data_and_no_group_metric():
    out = repository_findings([AGG, PEOPLE], V)
    assert ids(out) == ["aggregate-only-evaluation"]
    m = out[0]
    assert m.engine == "fairlint" and m.location == AGG.location
    assert "train.py:30" in m.message and "prep.py:4" in m.message and "'sex'" in m.message
    assert m.metadata["bias-pattern"] == "EV01" and m.metadata["confidence"] == "LOW"
    assert m.metadata["stage"] == "evaluation"
    assert m.metadata["evidence-locations"] == ["aggregate-metric train.py:30",
                                                "people-data prep.py:4"]


def test_aggregate_only_evaluation_anchors_in_the_file_with_people_data():
    out = repository_findings([AGG, AGG_PEOPLE_FILE, PEOPLE], V)
    assert [m.location for m in out] == [AGG_PEOPLE_FILE.location]


@pytest.mark.parametrize("sanitizer", [
    PER_GROUP,
    LIBRARY,
    ev("stratified-analysis", "eval.py", 3, 'df.groupby(["dept", "sex"])["y"].mean()'),
    # A finding of another rule that calls a sanitizer symbol of the vocabulary.
    finding("single-fairness-metric", "EV02", "eval.py", 9,
            "demographic_parity_difference(y, p, sensitive_features=s)"),
], ids=["per-group-metric", "fairness-library", "stratified", "sanitizer-symbol-in-finding"])
def test_group_evaluation_sanitizes_l_class_findings(sanitizer):
    evidence = [AGG, PEOPLE, DROP, UNSTRAT, SPLIT,
                ev("reweighting", "train.py", 12, "model.fit(X, y, class_weight=w)"),
                ev("aggregate-model-selection", "train.py", 40, "EarlyStopping(monitor='val_loss')")]
    assert len(repository_findings(evidence, V)) >= 5
    assert repository_findings(evidence + [sanitizer], V) == []


def test_import_of_a_module_outside_the_sanitizer_vocabulary_is_not_a_sanitizer():
    not_fairness = ev("fairness-library-used", "eval.py", 1, "import fairlearnings")
    assert ids(repository_findings([AGG, PEOPLE, not_fairness], V)) == ["aggregate-only-evaluation"]


def test_no_people_data_no_repository_findings():
    assert repository_findings([AGG, UNSTRAT,
                                ev("aggregate-model-selection", "t.py", 1, "EarlyStopping()")], V) == []


def test_protected_name_in_a_finding_rule_counts_as_people_data():
    dp12 = finding("protected-attribute-as-feature", "DP12", "model.py", 7,
                   'features = df[["age", "hours"]]', vocabulary=["protected"])
    noise = finding("some-rule", "DP03", "model.py", 9, "encoder.fit(page)", vocabulary=["protected"])
    assert ids(repository_findings([AGG, noise], V)) == []
    assert ids(repository_findings([AGG, dp12], V)) == ["aggregate-only-evaluation"]


# --------------------------------------------------------------------------- DP13 / DP15

def test_unawareness_names_the_dropped_attributes_and_proxies():
    proxy = ev("people-data", "prep.py", 12, 'rel = df["relationship"]')
    out = [m for m in repository_findings([DROP, proxy], V) if m.metadata["bias-pattern"] == "DP13"]
    assert len(out) == 1
    assert out[0].location == DROP.location
    assert "'race', 'sex'" in out[0].message and "'relationship'" in out[0].message


def test_unawareness_one_finding_per_file():
    other = ev("protected-column-dropped", "b.py", 3, 'del df["age"]')
    second = ev("protected-column-dropped", "prep.py", 15, 'df.pop("gender")')
    out = [m for m in repository_findings([DROP, other, second], V) if m.rule_id == "fairness-through-unawareness"]
    assert [m.location.path for m in out] == ["b.py", "prep.py"]
    assert "prep.py:15" in out[1].message


def test_attribute_dropped_then_split_is_dp15():
    out = repository_findings([DROP, SPLIT], V)
    dp15 = [m for m in out if m.rule_id == "protected-attribute-discarded-before-split"]
    assert len(dp15) == 1
    assert dp15[0].location == DROP.location
    assert "prep.py:20" in dp15[0].message and dp15[0].metadata["bias-pattern"] == "DP15"


@pytest.mark.parametrize("extra", [
    ev("protected-attribute-kept", "prep.py", 8, 'groups = df.pop("sex")'),
    ev("data-split", "prep.py", 5, "train_test_split(df)"),  # replaces SPLIT: before the drop
    ev("data-split", "other.py", 40, "train_test_split(X, y)"),  # another file
], ids=["kept-aside", "split-first", "other-file"])
def test_dp15_needs_a_later_split_in_the_same_file_and_nothing_kept(extra):
    evidence = [DROP, extra] if extra.evidence == "data-split" else [DROP, SPLIT, extra]
    out = repository_findings(evidence, V)
    assert "protected-attribute-discarded-before-split" not in ids(out)
    assert "fairness-through-unawareness" in ids(out)


# --------------------------------------------------------------------------- DP16

IMBALANCE = ev("class-imbalance-noted", "prep.py", 6, 'df["income"].value_counts()')
WEIGHTS = ev("reweighting", "train.py", 12, "model.fit(X, y, class_weight=w)")


def test_documented_imbalance_without_reweighting():
    out = repository_findings([IMBALANCE, PEOPLE], V)
    assert ids(out) == ["reweighting-absent-under-imbalance"]
    assert out[0].location == IMBALANCE.location and "prep.py:6" in out[0].message


def test_label_only_reweighting_is_group_blind():
    assert ids(repository_findings([IMBALANCE, WEIGHTS, PEOPLE], V)) == ["group-blind-reweighting"]


def test_resampling_answers_the_imbalance_it_is_no_absent_reweighting():
    resample = ev("resampling", "prep.py", 9, "upsampled = resample(minority, replace=True)")
    assert repository_findings([IMBALANCE, PEOPLE, resample], V) == []
    dp09 = finding("group-blind-resampling", "DP09", "prep.py", 9, "SMOTE().fit_resample(X, y)")
    assert "reweighting-absent-under-imbalance" not in ids(repository_findings([IMBALANCE, PEOPLE, dp09], V))
    # resampling says nothing about label-only loss weights
    assert ids(repository_findings([IMBALANCE, WEIGHTS, PEOPLE, resample], V)) == ["group-blind-reweighting"]


def test_reweighting_needs_an_attribute_to_be_group_blind():
    tweets = ev("people-data", "prep.py", 4, 'tweets = df["tweet"].values')
    assert repository_findings([IMBALANCE, WEIGHTS, tweets], V) == []
    assert repository_findings([IMBALANCE, tweets], V) == []
    adult = ev("high-stakes-dataset", "prep.py", 2, 'df = pd.read_csv("adult.data")')
    assert ids(repository_findings([IMBALANCE, WEIGHTS, tweets, adult], V)) == ["group-blind-reweighting"]


def test_group_aware_reweighting_sanitizes_dp16():
    rw = ev("group-reweighting", "train.py", 3, "Reweighing(unprivileged_groups=[{'sex': 0}])")
    assert repository_findings([IMBALANCE, WEIGHTS, PEOPLE, rw], V) == []


# --------------------------------------------------------------------------- DS06

def test_an_arrest_label_is_one_proxy_target_finding_per_repository():
    first = ev("proxy-target", "data.py", 51, 'df["label"] = df.apply(lambda r: r["two_year_recid"] == 0)')
    second = ev("proxy-target", "load.py", 9, 'StandardDataset(df, label_name="two_year_recid")')
    out = repository_findings([second, first], V)
    assert ids(out) == ["proxy-target-label"]
    assert out[0].location == first.location and out[0].metadata["bias-pattern"] == "DS06"
    assert "data.py:51" in out[0].message and "load.py:9" in out[0].message
    # a per-group metric does not answer a biased label
    assert ids(repository_findings([first, PER_GROUP, LIBRARY], V)) == ["proxy-target-label"]


def test_no_proxy_target_no_ds06():
    assert "proxy-target-label" not in ids(repository_findings([AGG, PEOPLE, DROP], V))


# --------------------------------------------------------------------------- EV04

MARGINAL = ev("marginal-disparity", "eval.py", 12, "demographic_parity_difference(y, p, sensitive_features=s)")


def test_marginal_disparity_without_strata_survives_group_metrics():
    out = repository_findings([MARGINAL, PER_GROUP, PEOPLE], V)
    assert ids(out) == ["marginal-disparity-without-strata"]
    assert "conditional demographic disparity" in out[0].message


def test_stratified_analysis_answers_marginal_disparity():
    strata = ev("stratified-analysis", "eval.py", 20, "MetricFrame(..., control_features=dept)")
    assert repository_findings([MARGINAL, strata], V) == []


# --------------------------------------------------------------------------- DP11 / TR02 risk

def test_risk_side_of_dp11_and_tr02():
    select = ev("aggregate-model-selection", "train.py", 40, "EarlyStopping(monitor='val_accuracy')")
    out = repository_findings([UNSTRAT, select, PEOPLE], V)
    assert ids(out) == ["unstratified-split-without-group-evaluation",
                        "aggregate-model-selection-without-group-evaluation"]
    assert {m.metadata["bias-pattern"] for m in out} == {"DP11", "TR02"}


def test_risk_is_one_finding_per_construct_site():
    other = ev("unstratified-split", "train.py", 7, "random_split(ds, [8, 2])")
    twice = finding("unstratified-split", "DP11", "prep.py", 20, "train_test_split(X, y)")
    out = repository_findings([UNSTRAT, twice, other, PEOPLE], V)
    assert [(m.location.path, m.location.start_line) for m in out] == [("prep.py", 20), ("train.py", 7)]


def test_construct_findings_count_as_risk_evidence():
    split = finding("unstratified-split", "DP11", "prep.py", 22, "train_test_split(X, y)")
    out = repository_findings([split, PEOPLE], V)
    assert ids(out) == ["unstratified-split-without-group-evaluation"]
    assert out[0].location == split.location


# --------------------------------------------------------------------------- contracts

def test_output_is_deterministic_and_sorted():
    evidence = [AGG, PEOPLE, DROP, SPLIT, UNSTRAT, IMBALANCE, MARGINAL]
    a = repository_findings(evidence, V)
    b = repository_findings(list(reversed(evidence)), V)
    assert [(m.rule_id, m.location, m.message) for m in a] == [(m.rule_id, m.location, m.message) for m in b]
    keys = [(m.location.path, m.location.start_line) for m in a]
    assert keys == sorted(keys)


@pytest.mark.parametrize("rule", REPOSITORY_RULES.values(), ids=lambda r: r.id)
def test_repository_rules_metadata(rule):
    meta = rule.metadata(["x a.py:1"])
    assert PATTERNS[rule.bias_pattern].repository_level, "only L-class (or L-risk) patterns"
    assert meta["confidence"] == "LOW" and meta["detect-class"] == "L"
    assert meta["stage"] == PATTERNS[rule.bias_pattern].stage
    assert {meta["likelihood"], meta["impact"]} <= {"HIGH", "MEDIUM", "LOW"}
    assert meta["references"] and all(re.search(r"https://", r) for r in meta["references"])
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", rule.id)


def test_repository_rule_ids_do_not_collide_with_the_pack():
    assert set(REPOSITORY_RULES) & {r.id for r in rulepack.load_rules()} == set()


def test_every_l_class_pattern_has_a_repository_rule_or_is_documented_out_of_reach():
    decided = {r.bias_pattern for r in REPOSITORY_RULES.values()}
    # TR09 (spurious correlations) needs semantics we do not have; DS06 covers the arrest and
    # recidivism labels only (a cost label for a need model is not told from a price model).
    assert {p.id for p in PATTERNS.values() if p.repository_level} - decided == {"TR09"}


# --------------------------------------------------------------------------- the evidence rules

EVIDENCE_RULES = {r.id: r for r in rulepack.load_rules(kinds=("evidence",))}


def _regexes(rule_id):
    text = (resources.evidence_rules_dir()).rglob(f"{rule_id}.yaml")
    path = next(text)
    return rulepack.vocabulary_regexes_in(path.read_text(encoding="utf-8"))


def test_evidence_rules_produce_every_kind_the_reasoning_reads():
    kinds = {r.metadata["evidence"] for r in EVIDENCE_RULES.values()}
    assert kinds == set(reasoning.EVIDENCE_KINDS)


@pytest.mark.parametrize("symbol", V.sanitizer_symbols)
def test_per_group_rule_covers_every_sanitizer_symbol(symbol):
    regexes = _regexes("evidence-per-group-metric")
    assert any(re.match(r, symbol) and re.match(r, f"fairlearn.metrics.{symbol}")
               for r in regexes if r.startswith("^"))


@pytest.mark.parametrize("module", V.sanitizer_modules)
def test_library_rule_covers_every_sanitizer_module(module):
    regexes = _regexes("evidence-fairness-library")
    (regex,) = [r for r in regexes if r.startswith("^")]  # the exact one; the other is its prefilter companion
    assert re.match(regex, module) and re.match(regex, f"{module}.sub")
    assert not re.match(regex, f"{module}x")
    assert all(re.match(r, f"{module}.sub") for r in regexes)


def test_evidence_rules_are_info_and_marked():
    for rule in EVIDENCE_RULES.values():
        assert rule.severity == "INFO" and "evidence" in rule.metadata["subcategory"]
        assert yaml.safe_dump(rule.metadata)  # plain data


def test_evidence_at_one_place_is_listed_once_with_all_its_terms():
    same_line = ev("high-stakes-dataset", "prep.py", 4, 'pd.read_csv("adult.csv")')
    text = reasoning.listing([PEOPLE, same_line, DROP], "people data", V)
    assert text == "people data at prep.py:4 ('sex'), prep.py:10 ('sex', 'race')"


def test_dp15_orders_notebook_evidence_by_cell_then_line():
    def at(kind, cell, line, snippet):
        m = ev(kind, "nb.ipynb", line, snippet)
        return Match(m.engine, m.rule_id, Location("nb.ipynb", line, line, cell=CellRef(cell, line)),
                     m.message, m.snippet, m.metadata, evidence=kind)
    drop = at("protected-column-dropped", 3, 5, 'X = df.drop(columns=["sex"])')
    later_cell = at("data-split", 4, 1, "train_test_split(X, y)")
    earlier_cell = at("data-split", 1, 9, "train_test_split(X, y)")
    (dp15,) = [m for m in repository_findings([drop, later_cell], V)
               if m.rule_id == "protected-attribute-discarded-before-split"]
    assert "nb.ipynb cell 4:1" in dp15.message and "nb.ipynb cell 3:5" in dp15.message
    assert "protected-attribute-discarded-before-split" not in ids(repository_findings([drop, earlier_cell], V))


def test_evidence_list_is_capped_per_kind():
    aggregates = [ev("aggregate-metric", "train.py", i, "accuracy_score(y, p)") for i in range(1, 15)]
    (m,) = repository_findings(aggregates + [PEOPLE], V)
    lines = m.metadata["evidence-locations"]
    assert lines[:2] == ["aggregate-metric train.py:1", "aggregate-metric train.py:2"]
    assert "aggregate-metric +4 more" in lines and lines[-1] == "people-data prep.py:4"
    assert "(+11 more)" in m.message
