"""The rule pack's own checks: semgrep --test, metadata schema, ids, coverage, messages.

Lints run first and are cheap; the semgrep --test runs are the expensive part.
"""

from __future__ import annotations

import json
import re
from collections import Counter

import jsonschema
import pytest
import yaml

from orchestrator import proc
from orchestrator.rules import pack as rulepack
from orchestrator.rules import prefilter, resources
from orchestrator.rules.taxonomy import PATTERNS

FINDING_FILES = rulepack.rule_files(kinds=("finding",))
EVIDENCE_FILES = rulepack.rule_files(kinds=("evidence",))
ALL_FILES = FINDING_FILES + EVIDENCE_FILES


def _ids(paths):
    return [p.stem for p in paths]


@pytest.fixture(scope="module")
def schema():
    return json.loads(resources.rule_schema_file().read_text())


@pytest.mark.parametrize("path", ALL_FILES, ids=_ids(ALL_FILES))
def test_rule_file_matches_schema(path, schema):
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    jsonschema.validate(doc, schema)


@pytest.mark.parametrize("path", ALL_FILES, ids=_ids(ALL_FILES))
def test_rule_file_layout(path):
    """File name = rule id; folder = stage; stage agrees with the pattern id; target beside it."""
    rule = yaml.safe_load(path.read_text(encoding="utf-8"))["rules"][0]
    meta = rule["metadata"]
    assert rule["id"] == path.stem
    assert path.parent.name == meta["stage"]
    assert meta["bias-pattern"] in PATTERNS, f"{meta['bias-pattern']} is not in the taxonomy"
    assert PATTERNS[meta["bias-pattern"]].stage == meta["stage"]
    target = path.with_suffix(".py")
    assert target.exists(), f"no semgrep --test target {target.name} beside the rule"
    text = target.read_text(encoding="utf-8")
    assert re.search(rf"#\s*ruleid:.*\b{re.escape(rule['id'])}\b", text), "no true-positive case"
    assert re.search(rf"#\s*ok:.*\b{re.escape(rule['id'])}\b", text), "no near-miss (# ok:) case"


@pytest.mark.parametrize("path", FINDING_FILES, ids=_ids(FINDING_FILES))
def test_finding_message_shape(path):
    """What was found (a metavariable names the symbol), why it is bias-prone, what to do."""
    rule = yaml.safe_load(path.read_text(encoding="utf-8"))["rules"][0]
    msg = rule["message"]
    assert "$" in msg, "the message should name the matched symbol through a metavariable"
    assert re.search(r"bias-prone|group-wise|review", msg, re.I), "say why it is bias-prone"
    assert not re.search(r"\b(is|are) (biased|illegal)\b", msg, re.I), "findings are 'bias-prone', never 'biased'/'illegal'"
    assert "evidence" not in rule["metadata"], "evidence rules belong in rules/evidence"


@pytest.mark.parametrize("path", EVIDENCE_FILES, ids=_ids(EVIDENCE_FILES))
def test_evidence_rules_are_marked(path):
    rule = yaml.safe_load(path.read_text(encoding="utf-8"))["rules"][0]
    assert rule["metadata"].get("evidence"), "evidence rules carry metadata.evidence (their kind)"
    assert rule["severity"] == "INFO"


# Semgrep turns a metavariable-regex on an identifier-position metavariable into a file
# prefilter (orchestrator.rules.prefilter.metavariable_regex_search models how). What it searches for
# must not open with an optional or repeated run of identifier characters followed by more:
# PCRE then starts a match attempt at nearly every byte of a file that has no match (80-140 ns
# a byte, against 20-30 for the single `(?s).*?` scan; benchmarks/regex_cost.py). A lone run
# (`\w+`) matches at once. docs/writing-rules.md, "What the prefilter costs".
_SLOW_PREFILTER_START = re.compile(r"(?:\(\?[a-z]+\))?(?:\(\?:)*(?:\[[^\]]*\\w[^\]]*\]|\\w)[*+?{]")


def _slow_prefilter(form: str | None) -> bool:
    m = _SLOW_PREFILTER_START.match(form or "")
    return bool(m) and m.end() < len(form)


def _metavariable_regexes(node):
    if isinstance(node, dict):
        if "metavariable-regex" in node:
            yield node["metavariable-regex"]["regex"]
        for v in node.values():
            yield from _metavariable_regexes(v)
    elif isinstance(node, list):
        for v in node:
            yield from _metavariable_regexes(v)


@pytest.mark.parametrize(("regex", "form", "slow"), [
    (r"^(?:[\w.]*\.)?(?:accuracy_score|f1_score)$", r"(?:[\w.]*\.)?(?:accuracy_score|f1_score)", True),
    (r"^[\w.]*?(?:\b|_)(?i:face)\w*$", r"[\w.]*?(?:\b|_)(?i:face)\w*", True),
    (r"(?s).*?\b(?:accuracy_score|f1_score)$", r"(?s).*?\b(?:accuracy_score|f1_score)", False),
    (r"^(?!\s)(?:[\w.]*\.)?(?:accuracy_score)$", None, False),
    (r"^(?:fit|partial_fit)$", "(?:fit|partial_fit)", False),
    (r"(?i)(?:.*[^a-z])?(?:adult)", None, False),
    (r"^\w+$", r"\w+", False),
])
def test_prefilter_form_model(regex, form, slow):
    assert prefilter.metavariable_regex_search(regex) == form
    assert _slow_prefilter(form) is slow


@pytest.mark.parametrize("path", ALL_FILES, ids=_ids(ALL_FILES))
def test_no_metavariable_regex_makes_a_slow_file_prefilter(path):
    slow = [r for r in _metavariable_regexes(yaml.safe_load(path.read_text(encoding="utf-8")))
            if _slow_prefilter(prefilter.metavariable_regex_search(r))]
    assert slow == [], ("write a cheap prefilter companion first and keep the exact regex out of the "
                        "prefilter, e.g. with a leading (?!\\s) (docs/writing-rules.md)")


def test_rule_ids_without_parsing_are_the_parsed_ids():
    assert rulepack.rule_ids() == set(rulepack.rules_by_id())


def test_rule_ids_unique():
    counts = Counter(r.id for r in rulepack.load_rules())
    assert [i for i, n in counts.items() if n > 1] == []


def test_coverage_of_taxonomy():
    findings = rulepack.load_rules(kinds=("finding",))
    covered = {r.bias_pattern for r in findings}
    evidence = {r.bias_pattern for r in rulepack.load_rules(kinds=("evidence",))}
    assert len(findings) >= 30
    assert len(covered | evidence) >= 28
    needed = {p.id for p in PATTERNS.values() if p.detect_class in "HM"}
    assert needed - covered == set(), "every H- and M-class pattern needs a finding rule"


def test_taxonomy_matches_shared_file(shared_dir):
    text = (shared_dir / "TAXONOMY.md").read_text(encoding="utf-8")
    ids = set(re.findall(r"^\| ((?:DS|DP|TR|CM|EV|DL)\d\d) \|", text, re.M))
    assert ids == set(PATTERNS)


def _semgrep_test(semgrep_bin, target, tmp_path):
    out = tmp_path / "semgrep-test.json"
    result = proc.run(
        [semgrep_bin, "--test", "--metrics=off", "--json", str(target)],
        timeout=900, ok_codes=(0, 1), stdout_path=str(out),
    )
    data = json.loads(out.read_text() or "{}")
    failures = {}
    for cfg, res in (data.get("results") or {}).items():
        for rule_id, check in (res.get("checks") or {}).items():
            if not check.get("passed"):
                failures[rule_id] = {k: v for k, v in check.items() if k != "passed"}
    errors = data.get("config_with_errors") or data.get("config_missing_tests") or []
    return result.returncode, failures, errors


@pytest.mark.parametrize("folder", ["semgrep", "evidence"])
def test_semgrep_test_passes(semgrep_bin, folder, tmp_path):
    target = resources.rules_root() / folder
    code, failures, errors = _semgrep_test(semgrep_bin, target, tmp_path)
    assert failures == {}
    assert errors == []
    assert code == 0


# A bare callee conjunct (`- pattern: $EMB(...)` beside a specific pattern in a `patterns`
# list) matches every call of each file the rule opens before the intersection drops them:
# matching time on every selected file (docs/writing-rules.md, "What a selected file costs").
# The rules below still bind their callee that way for their messages; none may add one, and
# a rule that sheds its bare conjuncts comes off the list.
_BARE_CALLEE = re.compile(r"^\$[A-Z_0-9]+\((?:\.\.\.)?\)$")
BARE_CALLEE_ALLOWED = {
    "group-threshold-postprocessor": 1, "fairness-on-single-split": 6, "single-fairness-metric": 2,
    "demographics-inferred-from-names-or-faces": 1, "protected-attribute-binned": 1,
    "aggregate-metric-model-selection": 1, "differentially-private-training": 1,
    "pretrained-speech-recognition": 1, "pretrained-vision-backbone": 2, "pretrained-word-embeddings": 3,
    "toxicity-classifier-training": 1, "evidence-high-stakes-dataset": 1,
}


def _bare_callee_conjuncts(node) -> int:
    count = 0
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "patterns" and isinstance(value, list):
                count += sum(1 for item in value if isinstance(item, dict) and isinstance(item.get("pattern"), str)
                             and _BARE_CALLEE.match(item["pattern"].strip()))
            count += _bare_callee_conjuncts(value)
    elif isinstance(node, list):
        count += sum(_bare_callee_conjuncts(item) for item in node)
    return count


def test_no_new_bare_callee_conjuncts():
    counts = {p.stem: _bare_callee_conjuncts(yaml.safe_load(p.read_text(encoding="utf-8"))) for p in ALL_FILES}
    counts = {rule: n for rule, n in counts.items() if n}
    assert counts == BARE_CALLEE_ALLOWED, (
        "bind the callee together with the arguments' shape or a literal (docs/writing-rules.md), "
        "and update BARE_CALLEE_ALLOWED when a rule sheds one")


def test_the_bare_callee_count_sees_one():
    rule = {"rules": [{"patterns": [{"pattern": "$EMB(...)"}, {"pattern-either": [
        {"pattern": "torchtext.vocab.GloVe(...)"}, {"patterns": [{"pattern": "$F()"}, {"pattern": "$F(x)"}]}]}]}]}
    assert _bare_callee_conjuncts(rule) == 2
