"""`fairlint scan` in a terminal (issue 22, problems 3 and 5): standard input, the severity
filter, quiet output, paths from the current folder, and a single file inside a repository
saying plainly that repository-level findings were left out."""

from __future__ import annotations

import subprocess

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


@pytest.fixture()
def project(tmp_path, monkeypatch):
    monkeypatch.setenv("FAIRLINT_CACHE_DIR", str(tmp_path / "cache"))
    root = tmp_path / "proj"
    (root / "src").mkdir(parents=True)
    (root / "src" / "prep.py").write_text(PREP)
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    monkeypatch.chdir(root)
    return root


def scan(*args, stdin=None):
    return CliRunner(env={"NO_COLOR": "1", "COLUMNS": "100"}).invoke(main, ["scan", *args], input=stdin)


def test_stdin_with_a_file_name(project):
    result = scan("-", "--stdin-filename", "src/other.py", "--format", "concise", stdin=PREP)
    assert result.exit_code == 0, result.output
    assert "src/other.py:6:6: HIGH DP01 missing-rows-dropped" in result.output


def test_single_file_leaves_repository_findings_out_and_says_so(project):
    whole = scan(".", "--format", "concise").output
    assert "EV01 aggregate-only-evaluation" in whole
    one = scan("src/prep.py", "--format", "concise").output
    assert "EV01 aggregate-only-evaluation" not in one
    assert "note: repository-level findings" in one and "were left out: only one file was scanned" in one
    assert one.splitlines()[0].startswith("src/prep.py:")  # relative to the current folder


def test_min_severity_and_quiet(project):
    everything = scan(".", "--quiet", "--format", "concise").output.splitlines()
    assert any(" CRITICAL " in line for line in everything) and any(" HIGH " in line for line in everything)
    assert not any(line.startswith("Found") for line in everything)
    critical = scan(".", "--min-severity", "critical", "--quiet", "--format", "concise").output.splitlines()
    assert critical and all(" CRITICAL " in line for line in critical) and len(critical) < len(everything)
