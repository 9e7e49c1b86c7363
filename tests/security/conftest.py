"""Hostile trees for the marker-file traps: every way a scanned tree could get code run.

Each trap, if anything ever executed it, creates a file in the ``marks`` folder (outside the
tree). The tests run every command that reads a tree against them and assert ``marks`` stays
empty. The trees are built once per session (they are read-only inputs) and are tiny.
"""

from __future__ import annotations

import json
import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest


def plain_git(args, cwd) -> str:
    """The fixture's own git: trusted set-up, not the code under test."""
    env = dict(os.environ, GIT_CONFIG_NOSYSTEM="1", GIT_CONFIG_GLOBAL=os.devnull,
               GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@e.org", GIT_COMMITTER_NAME="t",
               GIT_COMMITTER_EMAIL="t@e.org")
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, env=env,
                          text=True).stdout.strip()


def touch_cmd(marks: Path, name: str) -> str:
    return f"sh -c 'touch {marks}/{name}; cat'"


def py_touch(marks: Path, name: str) -> str:
    return f"open({str(marks / name)!r}, 'w').close()\n"


HOOKS = ("pre-commit", "post-checkout", "post-index-change", "reference-transaction", "post-merge",
         "pre-auto-gc", "fsmonitor-watchman", "post-rewrite", "pre-push")


def python_traps(root: Path, marks: Path) -> None:
    """Files Python runs when a tool imports, installs or tests the tree."""
    model = ("import pandas as pd\nimport torch\n\n"
             "df = pd.read_csv('adult.csv')\ndf = df.dropna()\n")
    (root / "model.py").write_text(model)
    (root / "setup.py").write_text(py_touch(marks, "setup.py") + "from setuptools import setup\nsetup()\n")
    (root / "conftest.py").write_text(py_touch(marks, "conftest.py"))
    (root / "sitecustomize.py").write_text(py_touch(marks, "sitecustomize"))
    (root / "usercustomize.py").write_text(py_touch(marks, "usercustomize"))
    (root / "__init__.py").write_text(py_touch(marks, "package-init"))
    (root / "evil.pth").write_text("import os; " + py_touch(marks, "pth").strip() + "\n")
    (root / "noxfile.py").write_text(py_touch(marks, "noxfile"))
    nb = {"nbformat": 4, "nbformat_minor": 5, "metadata": {"kernelspec": {"name": "python3"}},
          "cells": [
              {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None,
               "source": [f"!touch {marks}/nb-bang\n", "import pandas as pd\n",
                          "df = pd.read_csv('adult.csv').dropna()\n"]},
              {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None,
               "source": [f"%%bash\ntouch {marks}/nb-bash\n"]},
              {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None,
               "source": [f"%system touch {marks}/nb-system\n", f"%run {root}/setup.py\n"]}]}
    (root / "train.ipynb").write_text(json.dumps(nb))


def git_traps(root: Path, marks: Path) -> None:
    """A repository whose config runs a marker command from every place git can run one."""
    plain_git(["init", "-q", "-b", "main"], root)
    (root / ".gitattributes").write_text("* filter=evil diff=evil\n*.py merge=evil\n")
    plain_git(["add", "-A"], root)
    plain_git(["commit", "-q", "-m", "initial"], root)
    fsm = marks.parent / "fsmonitor.sh"
    fsm.write_text(f"#!/bin/sh\ntouch {marks}/fsmonitor\n")
    fsm.chmod(0o755)
    config = [("core.fsmonitor", str(fsm)), ("filter.evil.clean", touch_cmd(marks, "filter-clean")),
              ("filter.evil.smudge", touch_cmd(marks, "filter-smudge")),
              ("filter.evil.process", touch_cmd(marks, "filter-process")),
              ("filter.evil.required", "true"),
              ("diff.evil.textconv", touch_cmd(marks, "textconv")),
              ("diff.evil.command", touch_cmd(marks, "diff-command")),
              ("diff.external", touch_cmd(marks, "external-diff")),
              ("merge.evil.driver", touch_cmd(marks, "merge-driver")),
              ("core.pager", touch_cmd(marks, "pager")), ("log.showSignature", "true"),
              ("gpg.program", touch_cmd(marks, "gpg")), ("core.sshCommand", touch_cmd(marks, "ssh")),
              ("core.editor", touch_cmd(marks, "editor"))]
    for key, value in config:
        plain_git(["config", key, value], root)
    for hook in HOOKS:
        path = root / ".git" / "hooks" / hook
        path.write_text(f"#!/bin/sh\ntouch {marks}/hook-{hook}\n")
        path.chmod(0o755)
    # After the commit: a modified file and stat-dirty ones, so git would re-hash (clean filter).
    (root / "model.py").write_text((root / "model.py").read_text() + "df2 = df.dropna()\n")
    for name in ("setup.py", "conftest.py", "train.ipynb"):
        os.utime(root / name, (1, 1))


@dataclass(frozen=True)
class Hostile:
    root: Path      # the hostile repository (work tree)
    marks: Path     # where a sprung trap leaves its marker
    url: str        # file:// URL of a bare clone (corpus fetch, study)
    commit: str

    def sprung(self) -> list[str]:
        return sorted(p.name for p in self.marks.iterdir())


@pytest.fixture(scope="session")
def hostile(tmp_path_factory) -> Hostile:
    base = tmp_path_factory.mktemp("hostile")
    marks = base / "marks"
    marks.mkdir()
    root = base / "repo"
    root.mkdir()
    python_traps(root, marks)
    git_traps(root, marks)
    commit = plain_git(["rev-parse", "HEAD"], root)
    bare = base / "bare" / "acme__hostile.git"
    bare.parent.mkdir()
    plain_git(["clone", "-q", "--bare", str(root), str(bare)], base)
    for hook in HOOKS:  # a served repository's hooks never reach a client, but be thorough
        (bare / "hooks" / hook).write_text(f"#!/bin/sh\ntouch {marks}/bare-hook-{hook}\n")
        (bare / "hooks" / hook).chmod(0o755)
    return Hostile(root, marks, bare.resolve().as_uri(), commit)


@pytest.fixture()
def hostile_global_config(hostile, tmp_path, monkeypatch) -> Path:
    """The user's own global git config names the same drivers (git-lfs style): fetches of a
    corpus must ignore it."""
    cfg = tmp_path / "gitconfig"
    cfg.write_text(
        "[filter \"evil\"]\n"
        f"\tsmudge = {touch_cmd(hostile.marks, 'global-smudge')}\n"
        f"\tclean = {touch_cmd(hostile.marks, 'global-clean')}\n"
        f"[core]\n\thooksPath = {hostile.root / '.git' / 'hooks'}\n", encoding="utf-8")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(cfg))
    return cfg


_CACHE: list[Path] = []


@pytest.fixture(autouse=True)
def _one_result_cache(tmp_path_factory, monkeypatch):
    """These tests scan the same tiny trees again and again: share one (content-keyed) result
    cache between them instead of the private one per test."""
    if not _CACHE:
        _CACHE.append(tmp_path_factory.mktemp("security-cache"))
    monkeypatch.setenv("FAIRLINT_CACHE_DIR", str(_CACHE[0]))
