from __future__ import annotations

import pytest
from factories import finding  # noqa: E402  (tests/gate on sys.path via conftest)

from orchestrator.gate.policy import Policy, PolicyError
from orchestrator.model import Severity


def test_default_policy_fails_on_high():
    p = Policy()
    assert p.fails(finding(severity=Severity.HIGH))
    assert not p.fails(finding(severity=Severity.MEDIUM))


def test_fail_on_and_min_confidence():
    p = Policy.from_dict({"fail-on": "medium", "min-confidence": "MEDIUM"})
    assert p.fails(finding(severity=Severity.MEDIUM))
    assert not p.counts(finding(confidence="LOW"))
    assert p.counts(finding(confidence="HIGH"))


def test_disable_and_enable_take_rule_or_pattern_ids():
    assert not Policy.from_dict({"disable": ["DP01"]}).counts(finding())
    assert not Policy.from_dict({"disable": ["missing-rows-dropped"]}).counts(finding())
    only_dl = Policy.from_dict({"enable": ["DL01"]})
    assert not only_dl.counts(finding())
    assert only_dl.counts(finding(rule="protected-attribute-in-decision-logic", pattern="DL01"))


def test_path_overrides_lower_the_level_for_tests():
    p = Policy.from_dict({"fail-on": "medium",
                          "overrides": [{"paths": ["tests/", "examples/**"], "fail-on": "critical"},
                                        {"paths": ["legacy/*.py"], "disable": ["DP01"]}]})
    assert p.fails(finding(path="src/a.py", severity=Severity.HIGH))
    assert not p.fails(finding(path="tests/unit/a.py", severity=Severity.HIGH))
    assert not p.fails(finding(path="examples/deep/x.py", severity=Severity.HIGH))
    assert not p.counts(finding(path="legacy/old.py"))
    assert p.counts(finding(path="legacy/sub/old.py"))


def test_fail_on_never_reports_without_failing():
    assert not Policy.from_dict({"fail-on": "never"}).fails(finding(severity=Severity.CRITICAL))


@pytest.mark.parametrize("data, needle", [
    ({"fail_on": "high"}, "unknown key(s) 'fail_on'"),
    ({"fail-on": "hgh"}, "fail-on: 'hgh' is not one of"),
    ({"min-confidence": 3}, "min-confidence"),
    ({"disable": ["DP1"]}, "disable/0"),
    ({"overrides": [{"fail-on": "low"}]}, "'paths' is a required property"),
    ({"overrides": [{"paths": ["a/"], "colour": 1}]}, "overrides/0: unknown key(s) 'colour'"),
    (["fail-on"], "(top level)"),
])
def test_bad_policies_name_the_key(data, needle):
    with pytest.raises(PolicyError) as err:
        Policy.from_dict(data, source=".fairlint.yml")
    assert needle in str(err.value)
    assert ".fairlint.yml" in str(err.value)


def test_load_reports_yaml_errors(tmp_path):
    bad = tmp_path / ".fairlint.yml"
    bad.write_text("fail-on: [high\n")
    with pytest.raises(PolicyError, match="not valid YAML"):
        Policy.discover(tmp_path)


def test_discover_defaults_without_a_file(tmp_path):
    assert Policy.discover(tmp_path) == Policy()


def test_extra_vocabulary_from_policy(tmp_path):
    (tmp_path / ".fairlint.yml").write_text("protected-attributes: [caste, tribe]\nproxy-attributes: [school district]\n")
    p = Policy.discover(tmp_path)
    assert p.protected_attrs == ("caste", "tribe") and p.proxy_attrs == ("school district",)
