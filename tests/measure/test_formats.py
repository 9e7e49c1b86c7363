"""The measure result as text, JSON (golden files), HTML and SARIF; every format is wired."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from orchestrator.measure import MeasureConfig, measure
from orchestrator.measure.formats import MeasureFormat, render

sys.path.insert(0, str(Path(__file__).parent))
from measure_data import berkeley_frame, synthetic  # noqa: E402


@pytest.fixture(scope="module")
def berkeley_result():
    return measure(berkeley_frame(), MeasureConfig(facets=("sex=F",), label="admitted", groups=("department",),
                                                   bootstrap=200, seed=5))


@pytest.fixture(scope="module")
def model_result():
    frame = synthetic(3_000, seed=11)
    return measure(frame, MeasureConfig(facets=("sex",), label="label", prediction="score", groups=("region",),
                                        bootstrap=50, seed=1))


def test_text_golden(berkeley_result, model_result, file_regression):
    file_regression.check(render(berkeley_result, "text") + "\n" + render(model_result, "text"),
                          extension=".txt")


def test_json_golden(berkeley_result, data_regression):
    data = json.loads(render(berkeley_result, "json"))
    assert data["tool"]["name"] == "fairlint"
    data["tool"]["version"] = "X"
    data_regression.check(data)


def test_json_with_predictions_has_every_post_training_metric(model_result):
    data = json.loads(render(model_result, "json"))
    comp = data["comparisons"][0]
    assert set(comp["prediction_metrics"]) == {"DPPL", "DI", "AD", "RD", "FPRD", "FNRD", "DDPL"}
    assert [c["metric"] for c in comp["conditional"]] == ["CDDL", "CDDPL"]
    assert all(len(m["ci"]) == 2 for m in comp["prediction_metrics"].values())


def test_html_measured_view(berkeley_result):
    page = render(berkeley_result, "html")
    assert page.startswith("<!DOCTYPE html>") and "<h2>Measured</h2>" in page
    assert '<div class="reversal"><b>Simpson\'s paradox</b>: sex = F within department (labels)</div>' in page
    assert page.count('class="bar') >= 2 + 5  # per-group bars and stratum DD bars
    assert "too small to judge" in page  # women in department B
    assert "http" not in page.replace("https://json.schemastore", "")  # self-contained


def test_html_escapes_values():
    frame = berkeley_frame()
    frame["sex"] = frame["sex"].map({"F": "<b>F</b>", "M": "M"})
    page = render(measure(frame, MeasureConfig(facets=("sex",), label="admitted")), "html")
    assert "<b>F</b>" not in page and "&lt;b&gt;F&lt;/b&gt;" in page


def test_sarif(berkeley_result, shared_dir):
    import jsonschema

    log = json.loads(render(berkeley_result, "sarif"))
    schema = json.loads((shared_dir / "schemas" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    jsonschema.Draft4Validator(schema).validate(log)
    results = log["runs"][0]["results"]
    rules = [r["ruleId"] for r in results]
    assert "measure-simpson-reversal" in rules
    flagged = {r["properties"]["metric"] for r in results if r["ruleId"] == "measure-disparity"}
    assert flagged == {"DPL", "DI", "DD"}  # |0.142|, 0.682 < 0.8, |0.144|; CDDL -0.019 is within 0.1
    assert all("bias-prone, needs review" in r["message"]["text"] for r in results if r["ruleId"] == "measure-disparity")
    fingerprints = [r["partialFingerprints"]["fairlint-measure/v1"] for r in results]
    assert len(set(fingerprints)) == len(fingerprints)


@pytest.mark.parametrize("fmt", list(MeasureFormat))
def test_every_format_renders(fmt, model_result):
    text = render(model_result, fmt)
    assert text.endswith("\n") and "sex = female" in text


def test_cli_writes_the_output_file(run_measure, berkeley_csv, tmp_path):
    out = tmp_path / "report.html"
    result = run_measure(berkeley_csv, "--facet", "sex", "--label", "admitted", "--group", "department",
                         "--format", "html", "--output", str(out))
    assert result.exit_code == 0 and result.stdout == ""
    assert "Measured" in out.read_text(encoding="utf-8")
