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

from orchestrator import prefilter, proc, resources, rulepack
from orchestrator.taxonomy import PATTERNS

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
# prefilter (orchestrator.prefilter.metavariable_regex_search models how). What it searches for
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
