"""A walk killed with SIGKILL part-way resumes with exactly the rows of an uninterrupted walk."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from orchestrator.history.store import DB_NAME, HistoryStore
from orchestrator.history.walk import DELAY_ENV

import story

FAIRLINT = Path(sys.executable).parent / "fairlint"


def stored_commits(state: Path) -> int:
    try:
        db = sqlite3.connect(state / DB_NAME, timeout=5)
        try:
            return db.execute("SELECT count(*) FROM commits").fetchone()[0]
        finally:
            db.close()
    except sqlite3.Error:
        return 0  # not created yet


def walk_argv(repo: Path, state: Path, cache_dir: Path, out: Path) -> list[str]:
    return [str(FAIRLINT), "history", str(repo), "--state", str(state), "--cache-dir", str(cache_dir),
            "--format", "json", "--output", str(out)]


def test_killed_walk_resumes_with_identical_rows(story_repo, story_walk, cache_dir, tmp_path):
    state = tmp_path / "state"
    env = dict(os.environ, **{DELAY_ENV: "0.25"})
    child = subprocess.Popen(walk_argv(story_repo.repo, state, cache_dir, tmp_path / "killed.json"),
                             env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        while stored_commits(state) < 8 and time.monotonic() < deadline and child.poll() is None:
            time.sleep(0.05)
        os.kill(child.pid, signal.SIGKILL)
    finally:
        child.wait(timeout=30)
    assert child.returncode == -signal.SIGKILL
    done = stored_commits(state)
    assert 8 <= done < story.COMMITS, "the walk was not killed part-way"
    assert not (tmp_path / "killed.json").exists()

    resumed = subprocess.run(walk_argv(story_repo.repo, state, cache_dir, tmp_path / "resumed.json"),
                             capture_output=True, text=True, timeout=300)
    assert resumed.returncode == 0, resumed.stderr

    assert HistoryStore(state).dump() == HistoryStore(story_walk.state).dump()
    assert json.loads((tmp_path / "resumed.json").read_text()) == story_walk.data
