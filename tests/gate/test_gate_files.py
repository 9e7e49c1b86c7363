"""The gate of named files, as the pre-commit hook runs it (issue 22, problem 1): exactly the
files passed, tracked ones only, the repository's baseline, "fixed" only for scanned files, and
every tracked file (``--all-files``) gating the repository-level findings too."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from orchestrator.cli.main import main

PREP = """import pandas as pd
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score

df = pd.read_csv("adult.csv")
df = df.dropna()
X = df[["age", "sex", "hours"]]
clf = LogisticRegression().fit(X, df["income"])
print(accuracy_score(df["income"], clf.predict(X)))
"""
CLEAN = "def page_size(storage):\n    return storage.average\n"


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@t", "-c", "commit.gpgsign=false",
                           *args], cwd=repo, check=True, capture_output=True, text=True).stdout


@pytest.fixture()
def repo(tmp_path, monkeypatch):
    monkeypatch.setenv("FAIRLINT_CACHE_DIR", str(tmp_path / "cache"))
    root = tmp_path / "proj"
    (root / "src").mkdir(parents=True)
    (root / "src" / "prep.py").write_text(PREP)
    (root / "src" / "util.py").write_text(CLEAN)
    (root / ".fairlint.yml").write_text("fail-on: medium\n")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "init")
    monkeypatch.chdir(root)
    return root


def gate(*args: str):
    result = CliRunner().invoke(main, ["gate", *map(str, args)])
    return result.exit_code, result.output


def test_only_the_files_passed_are_gated(repo):
    code, out = gate("src/util.py")
    assert code == 0, out
    assert "src/prep.py" not in out
    code, out = gate("src/prep.py", "src/util.py")
    assert code == 1 and "FAIL src/prep.py:6 [DP01" in out


def test_untracked_files_are_not_gated(repo):
    (repo / "scratch.py").write_text(PREP)  # a file the commit does not contain
    code, out = gate("scratch.py", "src/util.py")
    assert code == 0, out
    assert "scratch.py" not in out


def test_all_files_brings_the_repository_level_findings_back(repo):
    code, out = gate("src/prep.py")
    assert "note: repository-level findings" in out and "[EV01" not in out
    code, out = gate("src/prep.py", "src/util.py")  # every tracked file: what --all-files passes
    assert "note: repository-level findings" not in out
    assert "[EV01 aggregate-only-evaluation]" in out


def test_the_repository_baseline_is_used_and_fixed_only_for_scanned_files(repo):
    result = CliRunner().invoke(main, ["baseline"])
    assert result.exit_code == 0, result.output
    baseline = json.loads((repo / ".fairlint-baseline.json").read_text())
    assert {e["path"] for e in baseline["findings"]} == {"src/prep.py"}
    git(repo, "add", ".fairlint-baseline.json")
    code, out = gate("src/util.py")  # prep.py was not looked at: nothing of it is "fixed"
    assert code == 0, out
    assert "fixed" not in out and "0 baselined gone" in out
    code, out = gate("src/prep.py")
    assert code == 0, out
    assert "absorbed by the baseline" in out and "fixed" not in out
    (repo / "src" / "prep.py").write_text(PREP.replace("df = df.dropna()", "df = df.fillna(0)"))
    code, out = gate("src/prep.py")
    assert code == 0 and "fixed src/prep.py [DP01 missing-rows-dropped] x1" in out
    code, out = gate("--no-baseline", "src/prep.py")
    assert code == 1


def test_a_folder_and_files_together_are_a_usage_error(repo):
    code, out = gate("src", "src/prep.py")
    assert code == 2 and "not both" in out


def test_report_only_never_fails(repo):
    code, out = gate("--report-only", "src/prep.py")
    assert code == 0 and "FAIL src/prep.py" in out
