"""The gate end to end: real git repositories in a temporary folder, the real CLI."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from orchestrator.cli.main import main
from orchestrator.model import Severity

PREP = """import pandas as pd
from sklearn.preprocessing import LabelEncoder

df = pd.read_csv("adult.csv")
df = df.dropna()
df["race_code"] = LabelEncoder().fit_transform(df["race"])
"""


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@t", "-c", "commit.gpgsign=false",
                           *args], cwd=repo, check=True, capture_output=True, text=True).stdout


@pytest.fixture()
def repo(tmp_path):
    root = tmp_path / "proj"
    (root / "src").mkdir(parents=True)
    (root / "src" / "prep.py").write_text(PREP)
    (root / "src" / "util.py").write_text("def page_size(storage):\n    return storage.average\n")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "init")
    return root


def gate(*args: str):
    result = CliRunner().invoke(main, ["gate", *map(str, args)])
    return result.exit_code, result.output


def scan_json(root: Path) -> dict:
    result = CliRunner().invoke(main, ["scan", str(root), "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def write_policy(root: Path, text: str) -> None:
    (root / ".fairlint.yml").write_text(text)


def test_thresholds_decide_the_exit_code(repo):
    levels = [Severity(f["severity"]) for f in scan_json(repo)["findings"]]
    top = max(levels, key=lambda s: s.rank)
    above = next((s for s in Severity if s.rank == top.rank + 1), None)
    write_policy(repo, f"fail-on: {top.value}\n")
    code, out = gate(repo)
    assert code == 1
    assert "FAIL src/prep.py:" in out and "DP01" in out
    write_policy(repo, f"fail-on: {above.value if above else 'never'}\n")
    code, out = gate(repo)
    assert code == 0, out
    assert "fairlint gate passed" in out


def test_disable_by_pattern_and_path_override(repo):
    write_policy(repo, "fail-on: info\ndisable: [DP01, DP03]\n")
    code, out = gate(repo)
    assert "DP01" not in out.split("fairlint gate")[0]
    write_policy(repo, "fail-on: info\noverrides:\n  - paths: [src/]\n    fail-on: never\n")
    code, out = gate(repo)
    assert code == 0, out


def test_baseline_round_trip_line_shift_and_new_finding(repo, tmp_path):
    write_policy(repo, "fail-on: info\n")
    baseline = tmp_path / "baseline.json"
    result = CliRunner().invoke(main, ["baseline", str(repo), "--output", str(baseline)])
    assert result.exit_code == 0, result.output
    assert json.loads(baseline.read_text())["findings"]
    assert gate(repo, "--baseline", baseline)[0] == 0

    # Unrelated edits move every line: nothing resurfaces.
    prep = repo / "src" / "prep.py"
    prep.write_text("# header\n\n\n" + PREP.replace("import pandas as pd", "import pandas as pd\nimport os"))
    code, out = gate(repo, "--baseline", baseline)
    assert code == 0, out
    assert "absorbed by the baseline" in out

    # A second, identical deletion is new: one baselined finding hides only one.
    prep.write_text(prep.read_text() + "df = df.dropna()\n")
    code, out = gate(repo, "--baseline", baseline)
    assert code == 1
    assert out.count("FAIL ") == 1 and "DP01" in out

    # Fixing the code reports the baselined findings as gone.
    prep.write_text(PREP.replace("df = df.dropna()", "df = df.fillna(0)"))
    code, out = gate(repo, "--baseline", baseline)
    assert code == 0, out
    assert "fixed src/prep.py [DP01 missing-rows-dropped] x1: baselined finding is gone" in out


def test_suppression_with_and_without_reason(repo):
    write_policy(repo, "fail-on: info\ndisable: [DP03, DS02]\n")
    prep = repo / "src" / "prep.py"
    prep.write_text(PREP.replace("df = df.dropna()",
                                 "df = df.dropna()  # fairlint: ignore[DP01] reason: sensor rows, no people"))
    code, out = gate(repo)
    assert "DP01" not in out.split("fairlint gate")[0], out
    assert "1 suppression(s) applied" in out

    prep.write_text(PREP.replace("df = df.dropna()", "# fairlint: ignore[DP01]\ndf = df.dropna()"))
    code, out = gate(repo)
    assert code == 1
    assert "has no reason" in out

    result = CliRunner().invoke(main, ["gate", str(repo), "--format", "json"])
    data = json.loads(result.output)
    assert data["gate"]["suppression_errors"] and any(s["problem"] == "missing reason" for s in data["suppressions"])


@pytest.mark.parametrize("policy, needle", [
    ("fail-on: hgh\n", "fail-on"),
    ("fail_on: high\n", "unknown key(s) 'fail_on'"),
    ("overrides:\n  - fail-on: low\n", "paths"),
    ("fail-on: [\n", "not valid YAML"),
])
def test_bad_policy_is_exit_2_naming_the_key(repo, policy, needle):
    write_policy(repo, policy)
    code, out = gate(repo)
    assert code == 2
    assert needle in out


def test_missing_path_and_bad_baseline_are_exit_2(repo, tmp_path):
    assert gate(tmp_path / "nope")[0] == 2
    bad = tmp_path / "b.json"
    bad.write_text("{}")
    code, out = gate(repo, "--baseline", bad)
    assert code == 2 and "not a fairlint baseline" in out


def test_diff_base_scans_only_changed_and_untracked_files(repo):
    write_policy(repo, "fail-on: info\n")
    (repo / "src" / "new_model.py").write_text("import torch\nx = torch.randn(3)\nx = x[~torch.isnan(x)]\n")
    (repo / "src" / "util.py").write_text("import pandas as pd\nframe = pd.DataFrame().dropna()\n")
    code, out = gate(repo, "--diff-base", "HEAD", "--format", "json")
    data = json.loads(out)
    paths = {f["path"] for f in data["findings"]}
    assert paths == {"src/new_model.py", "src/util.py"}, paths
    assert code == 1 and data["gate"]["diff_base"] == "HEAD"
    assert gate(repo, "--diff-base", "no-such-ref")[0] == 2


def test_sarif_output_is_valid_and_uploadable(repo, tmp_path, shared_dir):
    write_policy(repo, "fail-on: info\n")
    out = tmp_path / "gate.sarif"
    code, log = gate(repo, "--format", "sarif", "--output", out)
    assert code == 1
    assert "FAIL src/prep.py" in log  # the CI log still names the failing findings
    sarif = json.loads(out.read_text())
    schema = json.loads((shared_dir / "schemas" / "sarif-schema-2.1.0.json").read_text())
    jsonschema.validate(sarif, schema)
    results = sarif["runs"][0]["results"]
    assert results and all(r["partialFingerprints"] for r in results)
