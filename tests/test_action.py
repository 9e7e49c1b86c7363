"""The GitHub Action (action.yml) run as GitHub runs a composite action's shell steps.

No GitHub runner is needed: the `${{ inputs.* }}` expressions are rendered as the runner renders
them (inputs given or defaulted; `github.action_path` is this checkout), and each `run:` script is
executed with `bash -e` in a real git repository, `GITHUB_OUTPUT` pointing at a file, and the
`fairlint` of this environment on the PATH (what the Install step puts there). The assertions are
what a workflow relies on: the exit-code output equals the step's exit status, the SARIF file is
written, push events (no base branch) gate the whole tree with a notice, a base that is no commit
is a clear error (exit 2), and a base ref gates only the changed files.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
ACTION = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
EXPR = re.compile(r"\$\{\{\s*([^}]*?)\s*\}\}")

BIASED = "import pandas as pd\nfrom sklearn.linear_model import LogisticRegression\n" \
         "df = pd.read_csv('adult.csv')\nX = df[['age', 'sex', 'race', 'hours']]\n" \
         "LogisticRegression().fit(X, df['income'])\n"
CLEAN = "def add(a, b):\n    return a + b\n"


def step(name: str) -> dict:
    return next(s for s in ACTION["runs"]["steps"] if s.get("name") == name)


def render(script: str, inputs: dict[str, str]) -> str:
    values = {k: str(v.get("default", "")) for k, v in ACTION["inputs"].items()}
    values.update(inputs)

    def value(m: re.Match[str]) -> str:
        expr = m.group(1)
        if expr.startswith("inputs."):
            return values[expr.removeprefix("inputs.")]
        if expr == "github.action_path":
            return str(ROOT)
        raise AssertionError(f"an expression the test does not render: {expr}")
    return EXPR.sub(value, script)


def git(repo: Path, *args: str) -> str:
    env = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
    return subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@t", "-c", "core.hooksPath=/dev/null",
                           *args], cwd=repo, env=env, check=True, capture_output=True, text=True).stdout


@pytest.fixture()
def repo(tmp_path: Path) -> Path:
    r = tmp_path / "project"
    r.mkdir()
    git(r, "init", "-q", "-b", "main")
    (r / "util.py").write_text(CLEAN, encoding="utf-8")
    git(r, "add", "-A")
    git(r, "commit", "-q", "-m", "clean")
    return r


def run_gate(repo: Path, **inputs: str) -> tuple[int, str, dict[str, str]]:
    output = repo.parent / "github_output"
    output.write_text("", encoding="utf-8")
    script = render(step("Gate")["run"], inputs)
    fairlint = shutil.which("fairlint") or str(Path(sys.executable).with_name("fairlint"))
    env = {**os.environ, **step("Gate").get("env", {}), "GITHUB_OUTPUT": str(output),
           "PATH": f"{Path(fairlint).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    proc = subprocess.run(["bash", "-e", "-c", script], cwd=repo, env=env, capture_output=True, text=True,
                          timeout=600)
    outputs = dict(line.split("=", 1) for line in output.read_text(encoding="utf-8").splitlines() if "=" in line)
    return proc.returncode, proc.stdout + proc.stderr, outputs


def test_the_action_is_a_composite_that_installs_its_own_checkout():
    assert ACTION["runs"]["using"] == "composite"
    install = render(step("Install fairlint")["run"], {})
    assert f'python -m pip install "{ROOT}"' in install            # no version: this checkout (the tag)
    pinned = render(step("Install fairlint")["run"], {"version": "0.1.0"})
    assert 'python -m pip install "fairlint==0.1.0"' in pinned
    cache = next(s for s in ACTION["runs"]["steps"] if s.get("uses", "").startswith("actions/cache"))
    assert "github.action_ref" in cache["with"]["key"]               # one cache per tag
    assert ACTION["outputs"]["exit-code"]["value"] == "${{ steps.gate.outputs.exit-code }}"


def test_a_finding_fails_the_gate_and_the_output_says_so(repo):
    (repo / "train.py").write_text(BIASED, encoding="utf-8")
    code, log, outputs = run_gate(repo)
    assert code == 1, log
    assert outputs["exit-code"] == "1"
    sarif = repo / "fairlint.sarif"
    assert sarif.exists() and '"protected-attribute-as-model-input"' in sarif.read_text(encoding="utf-8")


def test_a_clean_tree_passes(repo):
    code, log, outputs = run_gate(repo, sarif="out/report.sarif")
    assert (code, outputs["exit-code"]) == (0, "0"), log
    assert (repo / "out" / "report.sarif").exists()


def test_a_push_event_has_no_base_branch_and_gates_the_whole_tree(repo):
    (repo / "train.py").write_text(BIASED, encoding="utf-8")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "model")
    code, log, outputs = run_gate(repo, **{"diff-base": "origin/"})   # origin/${{ github.base_ref }} on push
    assert "::notice title=fairlint::diff-base 'origin/' names no commit" in log
    assert (code, outputs["exit-code"]) == (1, "1"), log


def test_a_base_that_is_no_commit_is_a_clear_error(repo):
    code, log, outputs = run_gate(repo, **{"diff-base": "origin/feature"})
    assert (code, outputs["exit-code"]) == (2, "2")
    assert "::error title=fairlint::diff-base 'origin/feature' is not a commit in this checkout" in log
    assert "fetch-depth: 0" in log


def test_a_base_ref_gates_only_the_files_changed_since_it(repo):
    (repo / "old.py").write_text(BIASED, encoding="utf-8")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "old debt")
    git(repo, "branch", "base")
    (repo / "util.py").write_text(CLEAN + "\ndef sub(a, b):\n    return a - b\n", encoding="utf-8")
    git(repo, "commit", "-q", "-am", "change a clean file")
    code, log, outputs = run_gate(repo, **{"diff-base": "base"})
    assert (code, outputs["exit-code"]) == (0, "0"), log               # old.py's finding predates the base
    (repo / "new.py").write_text(BIASED, encoding="utf-8")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "new model")
    code, log, outputs = run_gate(repo, **{"diff-base": "base"})
    assert (code, outputs["exit-code"]) == (1, "1"), log
