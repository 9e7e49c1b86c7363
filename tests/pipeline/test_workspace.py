"""Stale ``fairlint-scan-*`` workspaces (left by a killed scan) go at the next start; a live
scan's workspace, another user's folder and a symlink are never touched (issue 19)."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest

from orchestrator.pipeline import workspace

pytestmark = pytest.mark.skipif(workspace.fcntl is None, reason="no flock on this platform")


def _killed_scan(base) -> str:
    """A child process that opens a workspace and is killed with SIGKILL inside it."""
    code = ("import os, sys; from orchestrator.pipeline import workspace\n"
            f"with workspace.scan_workspace({str(base)!r}) as w:\n"
            "    print(w, flush=True); os.kill(os.getpid(), 9)\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == -9
    return done.stdout.strip()


def test_a_killed_scans_workspace_is_removed_at_the_next_start(tmp_path):
    stale = _killed_scan(tmp_path)
    assert os.path.isdir(stale)
    with workspace.scan_workspace(tmp_path) as live:
        assert not os.path.exists(stale)
        assert workspace.remove_stale(tmp_path) == []  # the live one stays
        assert os.path.isdir(live)


def test_only_this_users_real_folders_are_touched(tmp_path):
    target = tmp_path / "elsewhere"
    target.mkdir()
    (tmp_path / (workspace.PREFIX + "link")).symlink_to(target)
    fresh = tmp_path / (workspace.PREFIX + "fresh")
    fresh.mkdir()  # no lock yet, just created: a scan starting
    old = tmp_path / (workspace.PREFIX + "old")
    old.mkdir()
    os.utime(old, (time.time() - 3600, time.time() - 3600))
    assert workspace.remove_stale(tmp_path) == [old]
    assert target.is_dir() and fresh.is_dir()
