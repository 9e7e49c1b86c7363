"""`fairlint scan --measure` and `fairlint gate` with a measure: section, end to end through the
CLI, on a tiny admissions project and the 1973 Berkeley table; the HTML report's Measured view
in a real headless Chromium."""

from __future__ import annotations

import html
import json
import re
import shutil
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from measure_data import berkeley_frame
from orchestrator.cli.main import main
from orchestrator.rules import resources

pytestmark = pytest.mark.slow

ADMIT = '''import pandas as pd
from fairlearn.metrics import demographic_parity_difference
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score
from sklearn.model_selection import train_test_split

df = pd.read_csv("admissions.csv")
rates = df.groupby("department")["admitted"].mean()
train, test = train_test_split(df, test_size=0.2, stratify=df["department"])
model = LogisticRegression().fit(train[["sex", "score"]], train["admitted"])
pred = model.predict(test[["sex", "score"]])
print(accuracy_score(test["admitted"], pred))
gap = demographic_parity_difference(test["admitted"], pred, sensitive_features=test["sex"])
'''


CACHE: list[str] = []  # the module's scans share one result cache (set by the project fixture)


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("measure-link")
    CACHE[:] = ["--cache-dir", str(base / "cache")]
    root = base / "admissions"
    root.mkdir()
    (root / "admit.py").write_text(ADMIT)
    berkeley_frame().to_csv(root / "berkeley.csv", index=False)
    return root


@pytest.fixture(scope="module")
def measured_json(project) -> dict:
    res = run("scan", str(project), *CACHE, "--format", "json", "--measure", str(project / "berkeley.csv"),
              "--facet", "sex", "--label", "admitted", "--group", "department")
    assert res.exit_code == 0, res.output
    return json.loads(res.output)


def _by_pattern(data: dict, pattern: str) -> dict:
    return next(f for f in data["findings"] if f["bias_pattern"] == pattern)


def test_scan_measure_attaches_the_figures_and_links_the_findings(measured_json):
    schema = json.loads(resources.schema_file("scan-result.schema.json").read_text())
    jsonschema.validate(measured_json, schema)
    measured = measured_json["measured"]
    assert measured["source"].endswith("berkeley.csv") and measured["rows_used"] == 4526
    assert {(r["facet"], r["value"], r["group"]) for r in measured["reversals"]} == {
        ("sex", "F", "department"), ("sex", "M", "department")}
    women = next(c for c in measured["comparisons"] if c["value"] == "F")
    cond = women["conditional"][0]
    assert cond["marginal"]["value"] > 0 > cond["conditional"]["value"]  # DD and CDDL of opposite signs
    # EV04 (marginal disparity without strata) and DP12 (sex as a model input) bear on the facet.
    for pattern in ("EV04", "DP12"):
        assert measured["findings"][_by_pattern(measured_json, pattern)["fingerprint"]] == ["sex"]
    assert set(measured["findings"]) <= {f["fingerprint"] for f in measured_json["findings"]}


def test_scan_suggests_the_facets_and_strata_the_code_uses(project):
    res = run("scan", str(project), *CACHE, "--format", "json")
    data = json.loads(res.output)
    assert "measured" not in data
    assert data["suggest_measure"] == {"facets": ["sex"], "groups": ["department"],
                                       "command": "fairlint measure DATA --label LABEL --facet sex --group department"}
    text = run("scan", str(project), *CACHE).output
    assert "to confirm: fairlint measure DATA --label LABEL --facet sex --group department" in text


def test_scan_text_shows_the_reversal(project):
    res = run("scan", str(project), *CACHE, "--measure", str(project / "berkeley.csv"),
              "--facet", "sex=F", "--label", "admitted", "--group", "department")
    assert res.exit_code == 0
    assert re.search(r"sex = F: DD \+0\.144 -> CDDL\[department\] -0\.019: reversal \(Simpson's paradox\)",
                     res.output), res.output
    assert "to confirm:" not in res.output


@pytest.mark.parametrize("args, message", [
    (["--facet", "sex"], "need --measure DATA"),
    (["--measure", "missing.csv", "--facet", "sex", "--label", "admitted"], "not found"),
    (["--measure", "{csv}", "--facet", "gender", "--label", "admitted"], "gender"),
])
def test_scan_measure_input_errors_exit_2(project, args, message):
    args = [a.replace("{csv}", str(project / "berkeley.csv")) for a in args]
    res = CliRunner().invoke(main, ["scan", str(project), *CACHE, *args])
    assert res.exit_code == 2
    assert message in res.output


# --------------------------------------------------------------------------- the gate

def _gate_project(tmp_path: Path, project: Path, section: str) -> Path:
    root = tmp_path / "gated"
    shutil.copytree(project, root)
    (root / ".fairlint.yml").write_text("fail-on: never\nmeasure:\n" + section)
    return root


SECTION = "  data: berkeley.csv\n  facets: [sex=F]\n  label: admitted\n  groups: [department]\n"


def test_gate_fails_on_max_abs_cdd_and_min_di_and_names_the_limits(tmp_path, project):
    root = _gate_project(tmp_path, project, SECTION + "  max-abs-cdd: 0.01\n  min-di: 0.8\n")
    res = run("gate", str(root))
    assert res.exit_code == 1, res.output
    assert re.search(r"FAIL measured sex = F: CDDL\[department\] -0\.019, \|value\| above max-abs-cdd 0\.01", res.output)
    assert "FAIL measured sex = F: DI 0.682 below min-di 0.8" in res.output
    assert "2 beyond them" in res.output

    res = run("gate", str(root), "--format", "json")
    gate = json.loads(res.output)["gate"]
    assert res.exit_code == 1 and gate["passed"] is False
    assert [(f["limit"], f["metric"]) for f in gate["measured"]["failed"]] == [
        ("max-abs-cdd", "CDDL[department]"), ("min-di", "DI")]


def test_gate_passes_within_the_limits(tmp_path, project):
    root = _gate_project(tmp_path, project, SECTION + "  max-abs-cdd: 0.05\n  min-di: 0.6\n")
    res = run("gate", str(root))
    assert res.exit_code == 0, res.output
    assert "2 figure(s) held to the limits (max-abs-cdd 0.05, min-di 0.6), 0 beyond them" in res.output


def test_gate_measure_error_exits_2(tmp_path, project):
    root = _gate_project(tmp_path, project, SECTION.replace("admitted", "admited") + "  max-abs-dd: 0.1\n")
    res = CliRunner().invoke(main, ["gate", str(root)])
    assert res.exit_code == 2, res.output
    assert "admitted" in res.output  # the nearest column name suggested


# --------------------------------------------------------------------------- the HTML report

@pytest.fixture(scope="module")
def html_report(project, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("html") / "report.html"
    res = run("scan", str(project), *CACHE, "--format", "html", "-o", str(out),
              "--measure", str(project / "berkeley.csv"), "--facet", "sex", "--label", "admitted",
              "--group", "department")
    assert res.exit_code == 0, res.output
    return out


def test_html_keeps_its_csp_and_embeds_the_measured_data_inertly(html_report):
    page = html_report.read_text()
    csp = html.unescape(re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page).group(1))
    assert "default-src 'none'" in csp and "'unsafe-inline'" not in csp
    island = re.search(r'<script type="application/json" id="fairlint-data">(.*?)</script>', page, re.S).group(1)
    assert json.loads(island)["measured"]["reversals"]


@pytest.mark.browser
def test_html_measured_view_in_the_browser(html_report, browser):
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    problems: list[str] = []
    page.on("console", lambda m: m.type in ("error", "warning") and problems.append(m.text))
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.goto(html_report.as_uri())
    page.wait_for_selector("body[data-ready='1']", timeout=20_000)
    assert page.text_content("#tab-measured .count") == "2"
    page.click("#tab-measured")

    # The reversal called out, in words.
    callout = page.text_content("#measured-reversals")
    assert "Simpson's paradox: 2 reversals" in callout and "sign flips" in callout
    # Per-group bars: one bar per sex, widths in proportion to the favourable rates (30%, 45%).
    widths = page.eval_on_selector_all(".measured-groups[data-facet=sex] rect.rate.label",
                                       "els => els.map(e => +e.getAttribute('width'))")
    assert len(widths) == 2 and widths[0] < widths[1]
    assert 0.6 < widths[0] / widths[1] < 0.72  # 30.2% / 44.6%
    # DD against CDD within department: the aggregate bar right of 0, the conditional one left.
    card = ".measured-cdd[data-value=F][data-group=department]"
    assert page.get_attribute(card, "data-kind") == "reversal"
    assert page.get_attribute(f"{card} .dd.marginal rect", "class") == "bar pos"
    assert page.get_attribute(f"{card} .dd.conditional rect", "class") == "bar neg"
    assert page.locator(f"{card} .dd.stratum").count() == 6
    assert "too small to judge" in page.text_content(f"{card} .dd.stratum:nth-of-type(4)")  # B: 25 women
    # The linked findings open their detail, which points back at the measured facet.
    page.click(".measured-findings li:has-text('EV04')")
    page.wait_for_selector("#detail:not([hidden]) .measured-note")
    assert page.get_attribute("#detail .measured-note", "data-measured") == "sex"
    page.click("#detail .measured-note button")
    assert page.is_visible("#view-measured")
    assert problems == []
