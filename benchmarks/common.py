"""Shared helpers of the benchmark scripts: inputs, timed runs with peak memory, the machine.

Benchmarks are scripts, not tests: they print figures and ratios, they never fail a build.
Every external command runs with fairlint's offline environment (no semgrep version check,
no metrics) and a hard timeout.
"""

from __future__ import annotations

import glob
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from orchestrator import proc  # noqa: E402

TORCH_VERSION = "2.13.0"
WHEEL_GLOBS = ("/opt/wheels/torch-2.13.0+cpu-*.whl", "/opt/wheels/torch-2.13.0-*.whl")
VENV_BIN = Path(sys.executable).parent


def tool(name: str) -> str:
    """A tool next to this Python (the venv's semgrep / fairlint), else on PATH."""
    found = proc.which(name)
    if not found:
        sys.exit(f"{name} not found: install fairlint (pip install -e .) in this Python's environment")
    return found


# ---------------------------------------------------------------- inputs
def torch_wheel(work: Path) -> Path:
    """The PyTorch wheel: the machine image's copy, else ``pip download`` (no dependencies)."""
    for pattern in WHEEL_GLOBS:
        hits = sorted(glob.glob(pattern))
        if hits:
            return Path(hits[0])
    dest = work / "wheel"
    hits = sorted(dest.glob(f"torch-{TORCH_VERSION}*.whl"))
    if not hits:
        dest.mkdir(parents=True, exist_ok=True)
        subprocess.run([sys.executable, "-m", "pip", "download", f"torch=={TORCH_VERSION}", "--no-deps",
                        "--only-binary", ":all:", "-d", str(dest)], check=True, timeout=3600)
        hits = sorted(dest.glob(f"torch-{TORCH_VERSION}*.whl"))
    return hits[0]


def torch_sources(work: Path) -> Path:
    """The wheel's ``torch/`` Python files, unpacked once under ``work/torch-src`` (never imported)."""
    dest = work / "torch-src"
    marker = dest / ".complete"
    if marker.exists():
        return dest
    shutil.rmtree(dest, ignore_errors=True)
    with zipfile.ZipFile(torch_wheel(work)) as z:
        for name in z.namelist():
            if name.startswith("torch/") and name.endswith(".py") and ".." not in name.split("/"):
                z.extract(name, dest)
    marker.write_text("ok\n")
    return dest


def python_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*.py") if p.is_file())


def total_bytes(paths: Sequence[Path]) -> int:
    return sum(p.stat().st_size for p in paths)


def snapshot(work: Path) -> dict[str, str]:
    """A frozen copy of the orchestrator and the rule pack, and the environment that runs it.

    Runs of one benchmark must see the same rules: a checkout being edited (or the rules
    being synced) between the cold and the warm scan would make every cache lookup miss."""
    snap = work / "snapshot"
    shutil.rmtree(snap, ignore_errors=True)
    shutil.copytree(REPO / "orchestrator", snap / "orchestrator",
                    ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(REPO / "rules", snap / "fairlint_rules",
                    ignore=shutil.ignore_patterns("__pycache__", "codeql"))
    return {"PYTHONPATH": str(snap)}


def fairlint(env: dict[str, str]) -> list[str]:  # noqa: ARG001 (env documents the pairing)
    """The ``fairlint`` command of a :func:`snapshot` (run with its environment)."""
    return [sys.executable, "-m", "orchestrator.cli.main"]


# ---------------------------------------------------------------- timed runs
@dataclass(frozen=True)
class Timed:
    label: str
    seconds: float
    peak_rss_mb: float
    returncode: int


def _tree_rss_bytes(root_pid: int) -> int:
    """Resident memory of a process and all its descendants (Linux /proc)."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    page = os.sysconf("SC_PAGE_SIZE")
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as fh:
                fields = fh.read().rsplit(b")", 1)[1].split()
            with open(f"/proc/{entry}/statm", "rb") as fh:
                rss[int(entry)] = int(fh.read().split()[1]) * page
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(int(fields[1]), []).append(int(entry))
    total, todo = 0, [root_pid]
    while todo:
        pid = todo.pop()
        total += rss.get(pid, 0)
        todo.extend(children.get(pid, ()))
    return total


def timed(label: str, argv: Sequence[str], *, timeout: float = 3600, cwd: str | None = None,
          env: dict[str, str] | None = None, stdout_path: Path | None = None) -> Timed:
    """Run ``argv`` (offline environment), sampling the process tree's memory every 0.2 s."""
    out = open(stdout_path, "wb") if stdout_path else subprocess.DEVNULL
    started = time.perf_counter()
    child = subprocess.Popen([str(a) for a in argv], stdin=subprocess.DEVNULL, stdout=out,
                             stderr=subprocess.PIPE, cwd=cwd, env=proc.offline_env(env))
    peak = 0
    stop = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not stop.is_set():
            peak = max(peak, _tree_rss_bytes(child.pid))
            stop.wait(0.2)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    try:
        _, stderr = child.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        child.kill()
        child.communicate()
        raise SystemExit(f"{label}: timed out after {timeout:.0f} s")
    finally:
        stop.set()
        sampler.join()
        if stdout_path:
            out.close()
    seconds = time.perf_counter() - started
    if child.returncode not in (0, 1):
        tail = stderr.decode("utf-8", "replace").strip().splitlines()[-5:]
        print(f"  ! {label} exited with {child.returncode}: {' | '.join(tail)}", flush=True)
    result = Timed(label, seconds, peak / 2**20, child.returncode)
    print(f"  {label}: {seconds:.1f} s, peak {result.peak_rss_mb:.0f} MB", flush=True)
    return result


# ---------------------------------------------------------------- reporting
def machine() -> dict[str, str]:
    cpu = platform.processor() or ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        mem = next(line.split()[1] for line in Path("/proc/meminfo").read_text().splitlines()
                   if line.startswith("MemTotal"))
        mem_gb = f"{int(mem) / 2**20:.1f} GB"
    except (OSError, StopIteration):
        mem_gb = "?"
    return {
        "cpu": cpu, "cores": str(os.cpu_count()), "memory": mem_gb,
        "load_average_1_5_15": " ".join(f"{x:.2f}" for x in os.getloadavg()),
        "os": platform.platform(), "python": platform.python_version(),
        "semgrep": semgrep_version(),
    }


def semgrep_version() -> str:
    done = proc.run([tool("semgrep"), "--version", "--disable-version-check"], timeout=300)
    return done.stdout.strip().splitlines()[-1]


def ratio(a: float, b: float) -> float:
    return a / b if b else float("inf")


def report(title: str, lines: list[tuple[str, str]], results_file: Path | None, data: dict) -> None:
    width = max(len(k) for k, _ in lines)
    print(f"\n== {title}")
    for key, value in lines:
        print(f"{key.ljust(width)}  {value}")
    if results_file:
        results_file.parent.mkdir(parents=True, exist_ok=True)
        results_file.write_text(json.dumps(data, indent=2, default=str) + "\n")
        print(f"(figures written to {results_file})")


def workdir(arg: str | None) -> Path:
    path = Path(arg) if arg else Path(tempfile.gettempdir()) / "fairlint-bench"
    path.mkdir(parents=True, exist_ok=True)
    return path.resolve()


def first_files(work_arg: str | None, limit: int, runs_name: str) -> tuple[Path, list[Path], list[str], Path]:
    """The PyTorch sources' folder, its first ``limit`` files (paths, and names relative to the
    folder for a Semgrep run from it) and a fresh runs folder ``runs_name`` under the work dir."""
    work = workdir(work_arg)
    src = torch_sources(work)
    files = python_files(src)[:limit]
    runs = work / runs_name
    runs.mkdir(parents=True, exist_ok=True)
    return src, files, [str(p.relative_to(src)) for p in files], runs
