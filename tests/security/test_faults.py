"""Faults: an engine that dies, a full disk, outputs at symlinks. Each ends in a clear error and
the right exit code, never in a "clean" verdict or a damaged output."""

from __future__ import annotations

import errno
import json

import pytest
from click.testing import CliRunner

from orchestrator import proc, safeio
from orchestrator.cli.main import main
from orchestrator.engines.interface import RESULTS_MISSING

KILLED_CORE = {"results": [], "errors": [{
    "code": 2, "level": "error", "type": "SemgrepCoreError",
    "message": "Semgrep exceeded system resources. This may be caused by 1. Stack overflow. 2. Out of memory."}],
    "paths": {"scanned": []}}


def fairlint(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


@pytest.fixture()
def tree(tmp_path):
    root = tmp_path / "tree"
    root.mkdir()
    (root / "a.py").write_text("import pandas as pd\ndf = pd.read_csv('adult.csv').dropna()\n")
    (root / "b.py").write_text("x = 1\n")
    return root


def _fake_semgrep(tmp_path, monkeypatch, body: str) -> None:
    """A ``semgrep`` that behaves as the real one does when its core is killed."""
    fake = tmp_path / "bin" / "semgrep"
    fake.parent.mkdir()
    fake.write_text("#!/bin/sh\nif [ \"$1\" = --version ]; then echo 1.187.0; exit 0; fi\n" + body)
    fake.chmod(0o755)
    real = proc.which
    monkeypatch.setattr(proc, "which", lambda tool: str(fake) if tool == "semgrep" else real(tool))


@pytest.mark.parametrize("body", [
    f"cat <<'EOF'\n{json.dumps(KILLED_CORE)}\nEOF\nexit 2\n",   # semgrep-core killed
    "kill -9 $$\n",                                            # semgrep itself killed
])
def test_engine_death_is_exit_2_with_an_incomplete_report(tree, tmp_path, monkeypatch, body):
    _fake_semgrep(tmp_path, monkeypatch, body)
    out = tmp_path / "r.json"
    res = fairlint("scan", tree, "--engine", "semgrep", "--format", "json", "-o", out)
    assert res.exit_code == 2, res.output
    report = json.loads(out.read_text())
    assert any(e.startswith("incomplete scan") for e in report["errors"])
    assert sorted(s["path"] for s in report["skipped"] if s["reason"] == RESULTS_MISSING) == ["a.py", "b.py"]

    gate = fairlint("gate", tree)
    assert gate.exit_code == 2, gate.output
    assert "INCOMPLETE" in gate.output and "passed" not in gate.output


def test_a_failed_run_is_not_cached_as_clean(tree, tmp_path, monkeypatch):
    _fake_semgrep(tmp_path, monkeypatch, f"cat <<'EOF'\n{json.dumps(KILLED_CORE)}\nEOF\nexit 2\n")
    cache = tmp_path / "cache"
    assert fairlint("scan", tree, "--engine", "semgrep", "--cache-dir", cache).exit_code == 2
    monkeypatch.undo()
    out = tmp_path / "r.json"
    res = fairlint("scan", tree, "--engine", "semgrep", "--cache-dir", cache, "--format", "json", "-o", out)
    assert res.exit_code == 0, res.output
    assert json.loads(out.read_text())["findings"]


@pytest.mark.parametrize("command", [["scan", "--format", "json", "-o"], ["baseline", "-o"],
                                     ["gate", "--format", "sarif", "-o"]])
def test_outputs_never_write_through_a_symlink(tree, tmp_path, command):
    victim = tmp_path / "outside.txt"
    victim.write_text("precious")
    link = tree / "fairlint.sarif"
    link.symlink_to(victim)
    res = fairlint(command[0], tree, *command[1:], link)
    assert res.exit_code in (0, 1), res.output
    assert victim.read_text() == "precious"
    assert not link.is_symlink() and link.stat().st_size > 0


def test_a_full_disk_leaves_the_old_baseline_whole(tree, tmp_path, monkeypatch):
    out = tmp_path / "baseline.json"
    assert fairlint("baseline", tree, "-o", out).exit_code == 0
    before = out.read_bytes()
    import builtins
    real_open = builtins.open

    class Full:
        def __init__(self, fh):
            self.fh = fh

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.fh.close()

        def write(self, data):
            self.fh.write(data[: len(data) // 2])
            raise OSError(errno.ENOSPC, "No space left on device")

    def opener(path, mode="r", *a, **k):
        fh = real_open(path, mode, *a, **k)
        return Full(fh) if "w" in mode and str(path).endswith(".tmp") else fh

    monkeypatch.setattr(builtins, "open", opener)
    res = fairlint("baseline", tree, "-o", out)
    monkeypatch.undo()
    assert res.exit_code == 2
    assert "no space left on device" in res.output
    assert out.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_atomic_write_keeps_the_destination_on_failure(tmp_path):
    dest = tmp_path / "report.json"
    dest.write_text("old")
    with pytest.raises(RuntimeError):
        with safeio.atomic_path(dest) as tmp:
            tmp.write_text("half")
            raise RuntimeError("killed")
    assert dest.read_text() == "old" and sorted(p.name for p in tmp_path.iterdir()) == ["report.json"]
    safeio.atomic_write(dest, "new")
    assert dest.read_text() == "new" and oct(dest.stat().st_mode & 0o777) != "0o600"


def test_move_aside_never_overwrites(tmp_path):
    for n in range(3):
        (tmp_path / "db").write_text(f"copy {n}")
        safeio.move_aside(tmp_path / "db")
    assert sorted(p.read_text() for p in tmp_path.iterdir()) == ["copy 0", "copy 1", "copy 2"]
    assert not (tmp_path / "db").exists()
