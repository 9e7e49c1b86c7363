"""The vocabulary is the one source of truth: rules embed exactly the regexes it generates."""

from __future__ import annotations

import re

import pytest
import yaml

from orchestrator import rulepack
from orchestrator.vocabulary import Vocabulary

V = Vocabulary.default()


@pytest.mark.parametrize("text", ["age", "user_age", "userAge", '"Age"', "AGE_2", "sex", "gender_id",
                                  "maritalStatus", "marital-status", '"native-country"', "dateOfBirth",
                                  '"Male"', "Pale_Skin", "race", "ethnicity"])
def test_protected_terms_match_whole_parts(text):
    assert V.matches("protected", text)


@pytest.mark.parametrize("text", ["page", "average", "agent", "storage", "stage", "usage", "image",
                                  "message", "trace", "racetrack", "grace", "sussex", "female_ratio_x"[:0] or "Maleness",
                                  "essex", "raceway", "engender", "language"])
def test_near_misses_do_not_match(text):
    assert not V.matches("protected", text)


@pytest.mark.parametrize("text", ["zip", "zipCode", "zip_code", "postcode", '"postal code"', "surname",
                                  "first_name", "language", "relationship", "native_language"])
def test_proxy_terms(text):
    assert V.matches("proxy", text)


@pytest.mark.parametrize("text", ["zipper", "unzip_file", "addresses_x"[:0] or "ip_addressing", "title"])
def test_proxy_near_misses(text):
    assert not V.matches("proxy", text)


def test_extension_adds_terms_without_editing_rules():
    ext = V.extended(protected=["tribe"], proxy=["school_district"])
    assert ext.matches("protected", "tribe_id") and not V.matches("protected", "tribe_id")
    assert ext.matches("proxy", "schoolDistrict")
    assert ext.matches("protected", "gender")  # defaults kept


def test_find_terms_names_the_vocabulary_word():
    assert V.find_terms("protected", "applicant_maritalStatus") == ["marital status"]


def test_python_and_semgrep_regex_agree_on_anchor():
    # Semgrep anchors metavariable-regex at the start, like re.match; the lazy prefix handles it.
    assert V.semgrep_regex("protected").startswith("(?s).*?")


@pytest.mark.parametrize("path", rulepack.rule_files(), ids=lambda p: p.stem)
def test_rule_vocabulary_regexes_are_current(path):
    text = path.read_text(encoding="utf-8")
    meta = yaml.safe_load(text)["rules"][0]["metadata"]
    declared = set(meta.get("vocabulary") or [])
    generated = {k: V.semgrep_regex(k) for k in ("protected", "proxy")}
    for regex in rulepack.vocabulary_regexes_in(text):
        if not regex.startswith("(?s).*?"):
            continue
        kinds = [k for k, g in generated.items() if g == regex]
        assert kinds, f"a vocabulary-style regex in {path.name} is stale: run `fairlint rules sync`"
        assert set(kinds) <= declared, f"{path.name} uses {kinds} regexes but declares {sorted(declared)}"
    # No hand-written vocabulary words in regexes outside the generated ones.
    for regex in re.findall(r"regex:\s*(.+)", text):
        if "(?s).*?" in regex:
            continue
        for word in ("gender", "ethnicity", "marital", "zipcode"):
            assert word not in regex.lower(), f"{path.name} hand-codes {word!r}; use the vocabulary regex"


def test_sync_is_idempotent(tmp_path):
    import shutil
    from orchestrator import resources
    root = tmp_path / "rules"
    shutil.copytree(resources.rules_root(), root, ignore=shutil.ignore_patterns("*.pyc", "__pycache__", "codeql"))
    assert rulepack.sync_vocabulary(root) == []
