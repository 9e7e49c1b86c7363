"""The pre-commit hooks end to end (issue 22, problem 1): real ``pre-commit`` installs fairlint
from a local repository at a tag, as a user's ``.pre-commit-config.yaml`` names it, and runs each
hook on a consumer repository.

The fairlint repository is this working tree's package files committed into a temporary git
repository and tagged (what a release tag holds). pre-commit's environment is built once for
the module (``PRE_COMMIT_HOME`` in a temporary folder); it installs fairlint's core
dependencies from the package index, so the module is slow and marked so.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(shutil.which("pre-commit") is None and
                                 not (Path(os.sys.executable).parent / "pre-commit").exists(),
                                 reason="pre-commit is not installed (it is in the test extra)")]

PROJECT = Path(__file__).resolve().parents[1]
#: What the package needs (pyproject's packages and package data); nothing else is copied.
PACKAGE_PATHS = ("pyproject.toml", "README.md", "LICENSE", ".pre-commit-hooks.yaml", "orchestrator", "rules")
TAG = "v0.0.1-test"

BAD = """import pandas as pd

df = pd.read_csv("adult.csv")
df = df.dropna()
"""
CLEAN = "def page_size(storage):\n    return storage.average\n"


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@t", "-c", "commit.gpgsign=false",
                           *args], cwd=repo, check=True, capture_output=True, text=True).stdout


def pre_commit_binary() -> str:
    local = Path(os.sys.executable).parent / "pre-commit"
    return str(local) if local.exists() else shutil.which("pre-commit")


@pytest.fixture(scope="module")
def hooks_repo(tmp_path_factory) -> Path:
    """This tree's package files in a fresh git repository, tagged."""
    repo = tmp_path_factory.mktemp("fairlint-src")
    listed = subprocess.run(["git", "ls-files", "-co", "--exclude-standard", "-z", "--", *PACKAGE_PATHS],
                            cwd=PROJECT, check=True, capture_output=True, text=True).stdout
    for rel in filter(None, listed.split("\0")):
        source = PROJECT / rel
        if source.is_file() and "__pycache__" not in source.parts:
            (repo / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, repo / rel)
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "release")
    git(repo, "tag", TAG)
    return repo


@pytest.fixture(scope="module")
def env(tmp_path_factory) -> dict[str, str]:
    home = tmp_path_factory.mktemp("pre-commit-home")
    out = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "PRE_COMMIT"))}
    out.update(PRE_COMMIT_HOME=str(home), SEMGREP_ENABLE_VERSION_CHECK="0", FAIRLINT_CACHE_DIR=str(home / "cache"),
               PIP_DISABLE_PIP_VERSION_CHECK="1")
    return out


@pytest.fixture()
def consumer(tmp_path, hooks_repo) -> Path:
    repo = tmp_path / "consumer"
    (repo / "src").mkdir(parents=True)
    (repo / "src" / "prep.py").write_text(BAD)
    (repo / "src" / "util.py").write_text(CLEAN)
    (repo / ".fairlint.yml").write_text("fail-on: medium\n")
    (repo / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {hooks_repo.as_uri()}\n    rev: {TAG}\n    hooks:\n"
        "      - id: fairlint-gate\n      - id: fairlint-scan\n")
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "init")
    return repo


def run(repo: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    # --verbose: pre-commit shows a hook's output even when it passes (what "fixed" lines need).
    return subprocess.run([pre_commit_binary(), "run", "--verbose", *args], cwd=repo, env=env, capture_output=True,
                          text=True, timeout=1500)


def test_gate_hook_checks_everything_under_all_files(consumer, env):
    """Before: `gate --diff-base HEAD .` with everything committed checked nothing and passed."""
    done = run(consumer, env, "fairlint-gate", "--all-files")
    assert done.returncode == 1, done.stdout + done.stderr
    assert "FAIL src/prep.py:4 [DP01 missing-rows-dropped]" in done.stdout
    assert "note: repository-level findings" not in done.stdout  # every file: the whole picture


def test_gate_hook_gates_the_staged_files_only_and_uses_the_baseline(consumer, env):
    (consumer / "scratch.py").write_text(BAD)  # untracked, not part of the commit
    (consumer / "src" / "util.py").write_text(CLEAN + "\n\ndef other():\n    return 1\n")
    git(consumer, "add", "src/util.py")
    done = run(consumer, env, "fairlint-gate")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "fairlint gate passed" in done.stdout
    assert "scratch.py" not in done.stdout and "src/prep.py" not in done.stdout

    # The team's baseline is used without being named; nothing of unscanned files is "fixed".
    git(consumer, "commit", "-qm", "util")
    (consumer / "src" / "prep.py").write_text(BAD + "\n")
    git(consumer, "add", "src/prep.py")
    assert run(consumer, env, "fairlint-gate").returncode == 1
    baseline = subprocess.run(
        [str(next(Path(env["PRE_COMMIT_HOME"]).glob("repo*/py_env-*/bin/fairlint"))), "baseline"],
        cwd=consumer, env=env, capture_output=True, text=True)
    assert baseline.returncode == 0, baseline.stderr
    git(consumer, "add", ".fairlint-baseline.json")
    (consumer / "src" / "util.py").write_text(CLEAN)
    git(consumer, "add", "src/util.py")
    done = run(consumer, env, "fairlint-gate")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "fairlint gate passed" in done.stdout and "fixed" not in done.stdout
    done = run(consumer, env, "fairlint-gate", "--files", "src/prep.py")
    assert done.returncode == 0 and "absorbed by the baseline" in done.stdout, done.stdout


def test_scan_hook_reports_without_failing(consumer, env):
    done = run(consumer, env, "fairlint-scan", "--all-files")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "src/prep.py:4 [DP01 missing-rows-dropped]" in done.stdout
