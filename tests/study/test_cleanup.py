"""No Semgrep (here: a stand-in child started through orchestrator.proc) outlives a study:
SIGTERM and SIGINT kill the children; after a SIGKILL the next run reaps them from the PID file,
and a process whose command line differs from the recorded one is never touched."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from orchestrator import proc
from tests.study.study_fakes import SLEEPER_MARK, TRAIN, make_repo, write_manifest

ROOT = Path(__file__).resolve().parents[2]

_SCRIPT = """
import sys
sys.path.insert(0, {root!r})
from pathlib import Path
from tests.study.study_fakes import spawning_scan
from orchestrator.study.run import StudyConfig, run_study
try:
    run_study(StudyConfig(Path({manifest!r}), Path({cache!r}), Path({out!r}), jobs=2), scanner=spawning_scan)
except KeyboardInterrupt:
    sys.exit(130)
"""


def _alive(pid: int) -> bool:
    """Running (a zombie waiting for its reparented parent counts as gone)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"


def _gone(pids, timeout=10.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not any(_alive(p) for p in pids):
            return True
        time.sleep(0.1)
    return False


def _start(tmp_path: Path) -> tuple[subprocess.Popen, Path]:
    urls = [make_repo(tmp_path, f"acme/r{i}", {"train.py": TRAIN + f"# {i}\n"}) for i in range(2)]
    manifest = write_manifest(tmp_path / "m.yaml", [{"name": f"acme/r{i}", "url": u, "commit": c}
                                                     for i, (u, c) in enumerate(urls)])
    cache = tmp_path / "cache"
    script = _SCRIPT.format(root=str(ROOT), manifest=str(manifest), cache=str(cache), out=str(tmp_path / "out"))
    child = subprocess.Popen([sys.executable, "-c", script])
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        files = list((cache / "run").glob("*.pids")) if (cache / "run").exists() else []
        if files and len(json.loads(files[0].read_text() or "{}").get("children", [])) == 2:
            return child, cache
        time.sleep(0.05)
    child.kill()
    pytest.fail("the study never started its children")


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_a_signal_kills_every_child(tmp_path, sig):
    child, cache = _start(tmp_path)
    pids = [c["pid"] for c in json.loads(next((cache / "run").glob("*.pids")).read_text())["children"]]
    assert all(_alive(p) for p in pids)
    child.send_signal(sig)
    assert child.wait(timeout=30) == 130
    assert _gone(pids)
    assert not list((cache / "run").glob("*.pids"))


def test_after_sigkill_the_next_run_reaps_the_orphans(tmp_path):
    child, cache = _start(tmp_path)
    pids = [c["pid"] for c in json.loads(next((cache / "run").glob("*.pids")).read_text())["children"]]
    child.kill()
    child.wait()
    time.sleep(0.2)
    assert all(_alive(p) for p in pids), "own process group: they survive the SIGKILL"
    killed = proc.reap_stale(cache / "run")  # what the next study does first
    assert sorted(killed) == sorted(pids)
    assert _gone(pids)
    assert not list((cache / "run").glob("*.pids"))


def test_a_reused_pid_is_not_killed(tmp_path):
    other = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        folder = tmp_path / "run"
        folder.mkdir()
        (folder / "host-1.pids").write_text(json.dumps({
            "owner": 2 ** 22 + 7, "owner_cmdline": ["gone"],
            "children": [{"pid": other.pid, "pgid": other.pid, "argv": ["semgrep", "--config", "x"]}]}))
        assert proc.reap_stale(folder) == []
        assert other.poll() is None
        assert not (folder / "host-1.pids").exists()
    finally:
        other.kill()
        other.wait()


def test_a_live_owner_keeps_its_children(tmp_path):
    folder = tmp_path / "run"
    folder.mkdir()
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)", SLEEPER_MARK],
                               start_new_session=True)
    try:
        owner_cmd = Path(f"/proc/{os.getppid()}/cmdline").read_bytes().split(b"\0")[:-1]
        (folder / "host-2.pids").write_text(json.dumps({
            "owner": os.getppid(), "owner_cmdline": [a.decode() for a in owner_cmd],
            "children": [{"pid": sleeper.pid, "pgid": sleeper.pid,
                          "argv": [sys.executable, "-c", "import time; time.sleep(60)", SLEEPER_MARK]}]}))
        assert proc.reap_stale(folder) == []
        assert sleeper.poll() is None
    finally:
        sleeper.kill()
        sleeper.wait()
