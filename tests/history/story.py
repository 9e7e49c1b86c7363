"""A small git repository with a known story, built with plain git in a test's folder.

Commit numbers count from 1 (the root commit). The story:

- 5: ``prep.py`` gets ``clean = df.dropna()`` (missing-rows-dropped, DP01);
- 12: that line is suppressed with a reason;
- 20: the same pattern comes back in ``other.py``;
- 25: ``other.py`` is deleted;
- tags ``v0.1`` on commit 10 and ``v0.2`` on commit 22; 32 commits in all.

Every other commit edits ``version.py`` only, so the scans after the first cost nothing.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

COMMITS = 32
INTRODUCED, SUPPRESSED, REINTRODUCED, DELETED = 5, 12, 20, 25
TAGS = {10: "v0.1", 22: "v0.2"}
SUPPRESSION_REASON = "rows with gaps are test fixtures, never training data"

PREP = 'import pandas as pd\n\ndf = pd.read_csv("sales.csv")\n'
DROP = "clean = df.dropna()\n"
SUPPRESS = f"# fairlint: ignore[DP01] reason: {SUPPRESSION_REASON}\n"
OTHER = 'import pandas as pd\n\nframe = pd.read_csv("stock.csv")\nclean = frame.dropna()\n'

ENV = {"GIT_AUTHOR_NAME": "Ada", "GIT_AUTHOR_EMAIL": "ada@example.org",
       "GIT_COMMITTER_NAME": "Ada", "GIT_COMMITTER_EMAIL": "ada@example.org",
       "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull}


def git(repo: Path, *args: str, date: int | None = None) -> str:
    env = dict(os.environ, **ENV)
    if date is not None:
        stamp = f"{1_700_000_000 + date * 86_400} +0000"
        env.update(GIT_AUTHOR_DATE=stamp, GIT_COMMITTER_DATE=stamp)
    done = subprocess.run(["git", *args], cwd=repo, env=env, capture_output=True, text=True, check=True)
    return done.stdout


def commit(repo: Path, n: int, message: str) -> None:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message, date=n)
    if n in TAGS:
        git(repo, "tag", TAGS[n])


def build(repo: Path, commits: int = COMMITS) -> list[str]:
    """Build the story in ``repo``; returns the commit ids, oldest first."""
    repo.mkdir(parents=True)
    git(repo, "init", "-q", "-b", "main")
    for n in range(1, commits + 1):
        (repo / "version.py").write_text(f"VERSION = {n}\n")
        if n == 1:
            (repo / "prep.py").write_text(PREP)
        if n == INTRODUCED:
            (repo / "prep.py").write_text(PREP + DROP)
        if n == SUPPRESSED:
            (repo / "prep.py").write_text(PREP + SUPPRESS + DROP)
        if n == REINTRODUCED:
            (repo / "other.py").write_text(OTHER)
        if n == DELETED:
            (repo / "other.py").unlink()
        commit(repo, n, f"commit {n}")
    return git(repo, "rev-list", "--reverse", "HEAD").split()
