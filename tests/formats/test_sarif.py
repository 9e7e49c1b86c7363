"""SARIF 2.1.0: valid against the OASIS schema, and shaped for GitHub code scanning."""

from __future__ import annotations

import json
import sys
from dataclasses import replace
from pathlib import Path

import jsonschema
import pytest

sys.path.insert(0, str(Path(__file__).parent))
import scan_factories as sf  # noqa: E402

from orchestrator.formats import get_formatter  # noqa: E402
from orchestrator.formats.sarif import FINGERPRINT_KEY  # noqa: E402


@pytest.fixture(scope="module")
def sarif_schema(shared_dir):
    return json.loads((shared_dir / "schemas" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))


def render(result):
    return json.loads(get_formatter("sarif").render(result))


@pytest.fixture(scope="module")
def log():
    return render(sf.sample_result())


def results_by_rule(log):
    return {r["ruleId"]: r for r in log["runs"][0]["results"]}


@pytest.mark.parametrize("make", [sf.sample_result, sf.empty_result], ids=["sample", "empty"])
def test_valid_against_the_sarif_schema(make, sarif_schema):
    jsonschema.Draft4Validator(sarif_schema).validate(render(make()))


def test_schema_check_can_fail(sarif_schema, log):
    broken = json.loads(json.dumps(log))
    broken["runs"][0]["results"][0]["level"] = "critical"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft4Validator(sarif_schema).validate(broken)


def test_golden(data_regression):
    # Rules of the pack change as the pack grows: the golden log uses rule ids outside it, so
    # rule descriptions come from the findings themselves (and from the synthetic rules).
    result = sf.sample_result()
    renamed = tuple(f if f.repository_level else replace(f, rule_id=f"golden-{f.rule_id}")
                    for f in result.findings)
    data_regression.check(render(replace(result, findings=renamed)))


def test_levels_follow_severity(log):
    levels = {rule: r["level"] for rule, r in results_by_rule(log).items()}
    assert levels == {"aggregate-only-evaluation": "error", "protected-attribute-as-feature": "error",
                      "missing-rows-dropped": "warning", "model-pruning": "note",
                      "group-threshold-postprocessor": "note"}


def test_locations_are_relative_to_srcroot(log):
    run = log["runs"][0]
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == "file:///project/"
    for result in run["results"]:
        artifact = result["locations"][0]["physicalLocation"]["artifactLocation"]
        assert artifact["uriBaseId"] == "%SRCROOT%" and not artifact["uri"].startswith("/")
    region = results_by_rule(log)["missing-rows-dropped"]["locations"][0]["physicalLocation"]["region"]
    assert region == {"startLine": 5, "endLine": 5, "startColumn": 1, "endColumn": 17,
                      "snippet": {"text": "df = df.dropna()"}}


def test_fingerprints_related_locations_and_code_flows(log):
    by_rule = results_by_rule(log)
    dropna = by_rule["missing-rows-dropped"]
    assert dropna["partialFingerprints"] == {FINGERPRINT_KEY: "a1b2c3"}
    (related,) = dropna["relatedLocations"]
    assert related["physicalLocation"]["artifactLocation"]["uri"] == "vendor/lib/prep.py"
    flow = by_rule["protected-attribute-as-feature"]["codeFlows"][0]["threadFlows"][0]["locations"]
    assert [s["location"]["physicalLocation"]["region"]["startLine"] for s in flow] == [12, 20]
    assert "codeFlows" not in dropna and "relatedLocations" not in by_rule["model-pruning"]


def test_rules_carry_tags_precision_severity_and_help(log):
    rules = {r["id"]: r for r in log["runs"][0]["tool"]["driver"]["rules"]}
    assert sorted(rules) == sorted(results_by_rule(log))
    for result in log["runs"][0]["results"]:
        assert log["runs"][0]["tool"]["driver"]["rules"][result["ruleIndex"]]["id"] == result["ruleId"]
    dropna = rules["missing-rows-dropped"]
    assert dropna["properties"]["tags"] == ["fairness", "DP01", "preparation"]
    assert dropna["properties"]["precision"] == "very-high"  # HIGH confidence, H-class rule
    assert dropna["properties"]["problem.severity"] == "warning"
    assert "doi.org/10.1145/3468264.3468536" in dropna["help"]["markdown"]
    assert "References" in dropna["help"]["text"]
    # The rule's own section of docs/rules.md (issue 22), not a paper: the paper is in the help.
    assert dropna["helpUri"].endswith("/docs/rules.md#missing-rows-dropped")
    repo = rules["aggregate-only-evaluation"]
    assert repo["properties"]["precision"] == "low" and repo["properties"]["tags"][1] == "EV01"
    assert "security-severity" not in json.dumps(log)


def test_score_factors_and_notebook_cell_in_properties(log):
    by_rule = results_by_rule(log)
    props = by_rule["missing-rows-dropped"]["properties"]
    assert props["score"] == 5.5 and props["scoreFactors"][0]["name"] == "likelihood-x-impact"
    cell = by_rule["model-pruning"]["locations"][0]["properties"]["notebookCell"]
    assert cell == {"index": 1, "line": 3, "id": "c0ffee"}


def test_skipped_files_and_errors_are_notifications():
    result = replace(sf.sample_result(), errors=("semgrep timed out",))
    invocation = render(result)["runs"][0]["invocations"][0]
    assert invocation["executionSuccessful"] is False
    texts = [n["message"]["text"] for n in invocation["toolExecutionNotifications"]]
    assert texts == ["skipped data/huge.py: too large (3000000 bytes)", "semgrep timed out"]


def test_paths_are_uri_encoded():
    result = replace(sf.sample_result(), findings=(sf.finding(path="my dir/prep#1.py"),))
    uri = render(result)["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert uri == "my%20dir/prep%231.py"
