"""Releases (issue 22, problem 4): one version in pyproject, the package and the CHANGELOG; the
documented tags use it; and `pip install` from a git URL at a tag gives a working fairlint
without the study extras (slow: a fresh virtual environment)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import venv
from pathlib import Path

import pytest

import orchestrator

tomllib = pytest.importorskip("tomllib")
REPO = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((REPO / "pyproject.toml").read_text())
VERSION = PYPROJECT["project"]["version"]
PACKAGE_PATHS = ("pyproject.toml", "README.md", "LICENSE", "orchestrator", "rules")


def test_one_version_everywhere():
    assert orchestrator.__version__ == VERSION
    newest = re.search(r"^## (\d+\.\d+\.\d+)", (REPO / "CHANGELOG.md").read_text(), re.M)
    assert newest and newest.group(1) == VERSION
    for doc in ("docs/ci.md", "CHANGELOG.md", "README.md"):
        tags = set(re.findall(r"@v(\d+\.\d+\.\d+)|rev: v(\d+\.\d+\.\d+)", (REPO / doc).read_text()))
        assert {t for pair in tags for t in pair if t} == {VERSION}, doc


def _section(text: str, heading: str) -> str:
    start = text.index(heading)
    end = text.find("\n## ", start + len(heading))
    return text[start:end if end >= 0 else None]


def test_readme_quick_start_and_ci_match_the_extras_and_tags():
    readme = (REPO / "README.md").read_text()
    quick = _section(readme, "## Quick start")
    # The core install scans; the test extra is for development, as pyproject.toml's extras say.
    assert re.search(r"pip install -e \. && fairlint scan demo", quick), quick
    assert "pip install -e '.[test]' && python -m pytest" in quick
    for extra in ("study", "measure", "lsp"):
        assert f".[{extra}]" in quick
    # Not on PyPI: from a clone (-e '.[x]') or a git URL ("fairlint[x] @ git+...").
    assert not re.search(r"pip install ['\"]?fairlint(\[[a-z,]*\])?(?! @)['\"`\s]", readme)
    ci = _section(readme, "## Use in CI")
    assert "on: [push, pull_request]" in ci and "fetch-depth: 0" in ci
    # origin/<base_ref> only on pull requests: base_ref is empty on push events.
    assert "github.event_name == 'pull_request'" in ci and '"origin/${{ github.base_ref }}"' not in ci
    assert f"rev: v{VERSION}" in ci and f"@v{VERSION}" in ci


def test_core_dependencies_leave_out_the_heavy_ones():
    core = " ".join(PYPROJECT["project"]["dependencies"]).lower()
    for heavy in ("pandas", "pyarrow", "matplotlib", "dask"):
        assert heavy not in core
    extras = PYPROJECT["project"]["optional-dependencies"]
    assert {"study", "measure", "lsp", "test"} <= set(extras)
    assert any("fairlint[study,measure,lsp]" in d for d in extras["test"])


@pytest.mark.slow
def test_pip_install_from_a_git_url_at_a_tag(tmp_path):
    source = tmp_path / "src"
    listed = subprocess.run(["git", "ls-files", "-co", "--exclude-standard", "-z", "--", *PACKAGE_PATHS],
                            cwd=REPO, check=True, capture_output=True, text=True).stdout
    for rel in filter(None, listed.split("\0")):
        if (REPO / rel).is_file() and "__pycache__" not in rel:
            (source / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(REPO / rel, source / rel)
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@t", "-c", "commit.gpgsign=false"]
    for args in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-qm", "release"], ["tag", f"v{VERSION}"]):
        subprocess.run([*git, *args], cwd=source, check=True, capture_output=True)
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    done = subprocess.run([str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check",
                           f"git+{source.as_uri()}@v{VERSION}#egg=fairlint"], capture_output=True, text=True,
                          timeout=1200)
    assert done.returncode == 0, done.stderr[-2000:]
    demo = tmp_path / "demo.py"
    demo.write_text("import pandas as pd\ndf = pd.read_csv('a.csv')\ndf = df.dropna()\n")
    env = {**os.environ, "SEMGREP_ENABLE_VERSION_CHECK": "0", "FAIRLINT_CACHE_DIR": str(tmp_path / "cache")}
    fairlint = str(env_dir / "bin" / "fairlint")
    # --show-info: one file with no people data in it makes its finding `info`, hidden by default
    scan = subprocess.run([fairlint, "scan", str(demo), "--format", "concise", "--show-info"], capture_output=True, text=True,
                          env=env, timeout=600)
    assert scan.returncode == 0 and "DP01 missing-rows-dropped" in scan.stdout, scan.stdout + scan.stderr
    version = subprocess.run([fairlint, "--version"], capture_output=True, text=True)
    assert VERSION in version.stdout
    heavy = subprocess.run([str(python), "-c", "import importlib.util as u; "
                            "print([m for m in ('pandas','pyarrow','matplotlib','dask') if u.find_spec(m)])"],
                           capture_output=True, text=True)
    assert heavy.stdout.strip() == "[]"
    study = subprocess.run([fairlint, "study", "run", "x"], capture_output=True, text=True, env=env)
    assert study.returncode == 2 and "fairlint[study]" in study.stderr
