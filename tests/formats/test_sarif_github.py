"""SARIF as GitHub code scanning shows it (issue 22, problem 6): notebook results on the
``.ipynb`` file's own lines, rule help without raw Semgrep metavariables, ``helpUri`` to the
rule's anchor in docs/rules.md on the repository named in pyproject, and Microsoft's SARIF
multitool (GitHub rule set) when node is available."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
import scan_factories as sf  # noqa: E402

from orchestrator.formats import get_formatter  # noqa: E402
from orchestrator.formats.sarif import INFORMATION_URI, explain_metavariables, sarif_rule  # noqa: E402
from orchestrator.rules import pack as rulepack  # noqa: E402

tomllib = pytest.importorskip("tomllib")
REPO = Path(__file__).resolve().parents[2]


def sarif(result) -> dict:
    return json.loads(get_formatter("sarif").render(result))


def test_notebook_result_on_the_ipynb_line(tmp_path):
    nb = {"cells": [{"cell_type": "markdown", "metadata": {}, "source": ["# analysis\n", "text"]},
                    {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None,
                     "source": ["import torch\n", "model = torch.nn.Linear(2, 1)\n",
                                "prune.l1_unstructured(model.fc, 'weight', amount=0.5)"]}],
          "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    text = json.dumps(nb, indent=1)
    (tmp_path / "notebooks").mkdir()
    (tmp_path / "notebooks" / "analysis.ipynb").write_text(text)
    line = next(i for i, raw in enumerate(text.splitlines(), 1) if "prune.l1" in raw)
    assert line > 3  # before: the region said line 3 (inside the cell), which is JSON preamble
    log = sarif(replace(sf.sample_result(), root=str(tmp_path)))
    result = next(r for r in log["runs"][0]["results"] if r["ruleId"] == "model-pruning")
    region = result["locations"][0]["physicalLocation"]["region"]
    assert region["startLine"] == region["endLine"] == line
    assert "startColumn" not in region
    assert result["locations"][0]["properties"]["notebookCell"] == {"index": 1, "line": 3, "id": "c0ffee"}


def test_help_explains_metavariables_and_links_the_rule_section():
    rules = rulepack.rules_by_id()
    with_metavariables = [rid for rid, rule in rules.items() if "$" in rule.message]
    assert with_metavariables, "the pack's messages use metavariables"
    for rule_id in with_metavariables:
        rule = sarif_rule(rule_id, sf.finding(rule_id=rule_id))
        assert "$" not in rule["help"]["text"] and "$" not in rule["help"]["markdown"], rule_id
        assert rule["helpUri"].endswith(f"/docs/rules.md#{rule_id}")
    assert explain_metavariables("`$SEL` selects `$X`.") == (
        "<sel> selects <x>. (<sel>, <x>: the code the rule matched at the alert; the alert's message names it.)")


def test_help_uri_anchors_exist_and_repository_matches_pyproject():
    urls = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["urls"]
    assert urls["Repository"] == INFORMATION_URI
    catalogue = (REPO / "docs" / "rules.md").read_text()
    missing = [rid for rid in rulepack.rules_by_id() if f'<a id="{rid}"></a>' not in catalogue]
    assert not missing


def _multitool() -> list[str] | None:
    npx = shutil.which("npx")
    return [npx, "--yes", "@microsoft/sarif-multitool"] if npx else None


def _validate(sarif_file: Path, out: Path, *kind: str) -> list[dict]:
    """The multitool's error results for ``sarif_file`` (``--rule-kind Gh``: GitHub's rule set)."""
    done = subprocess.run([*_multitool(), "validate", *kind, "--log", "ForceOverwrite", "--output", str(out),
                           str(sarif_file)], capture_output=True, text=True, timeout=600)
    if not out.exists():
        pytest.skip(f"the multitool did not run: {(done.stdout + done.stderr).strip()[-300:]}")
    report = json.loads(out.read_text())
    return [r for run in report["runs"] for r in run.get("results", []) if r.get("level") == "error"]


@pytest.mark.slow
@pytest.mark.skipif(_multitool() is None, reason="node/npx is not installed: the SARIF multitool "
                    "(@microsoft/sarif-multitool) runs on node; .ci/run installs it")
def test_sarif_multitool_github_rules(tmp_path):
    good = tmp_path / "fairlint.sarif"
    good.write_text(get_formatter("sarif").render(sf.sample_result()))
    assert _validate(good, tmp_path / "sarif.sarif") == []
    assert _validate(good, tmp_path / "gh.sarif", "--rule-kind", "Gh") == []
    # The GitHub rules do run: a result without a location and an absolute URI are refused.
    log = json.loads(good.read_text())
    del log["runs"][0]["results"][0]["locations"]
    bad = tmp_path / "bad.sarif"
    bad.write_text(json.dumps(log))
    assert _validate(bad, tmp_path / "bad-gh.sarif", "--rule-kind", "Gh")
