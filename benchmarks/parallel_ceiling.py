"""How much faster two cores make Semgrep on this machine: the ceiling of target 6.

    python benchmarks/parallel_ceiling.py [--work DIR] [--files-per-half N]

``fairlint study --executor dask`` on 2 workers can at best be as much faster than 1 worker
as two Semgrep processes on two halves of the work are faster than one process on all of it.
This script measures that, on two halves of equal bytes of PyTorch's sources, with the pack
``fairlint scan`` renders:

- one ``semgrep -j 1`` on both halves, one ``semgrep -j 2`` on both halves, and two
  ``semgrep -j 1`` at once, one half each;
- the same one-versus-two comparison for a pure-Python arithmetic loop, which shares nothing
  between the cores but the cores themselves.

The loop's ratio says what the cores can do; Semgrep's ratio says what they do for Semgrep
(which also shares the memory bus and the last-level cache). A benchmark, not a test.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

import bench_corpus
import bench_scan
import common

SPIN = "s = 0\nfor i in range(40_000_000):\n    s += i * i\n"


def wall(label: str, argvs: list[list[str]], cwd: str | None = None) -> float:
    """Start every command at once (offline environment) and time until the last one ends."""
    started = time.perf_counter()
    children = [subprocess.Popen([str(a) for a in argv], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                 stderr=subprocess.DEVNULL, cwd=cwd, env=common.proc.offline_env(None))
                for argv in argvs]
    codes = [c.wait(timeout=3600) for c in children]
    seconds = time.perf_counter() - started
    bad = [c for c in codes if c not in (0, 1)]
    print(f"  {label}: {seconds:.1f} s" + (f" (exit codes {codes})" if bad else ""), flush=True)
    return seconds


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--work", help="Working folder (default: $TMPDIR/fairlint-bench).")
    ap.add_argument("--files-per-half", type=int, default=600)
    ap.add_argument("--json", dest="json_out", help="Also write the figures to this JSON file.")
    args = ap.parse_args(argv)

    work = common.workdir(args.work)
    src = common.torch_sources(work)
    runs = work / "runs-parallel"
    runs.mkdir(parents=True, exist_ok=True)
    env = common.snapshot(runs)
    pack = bench_scan.render_pack(env, runs / "pack")
    halves = bench_corpus.balanced_groups(common.python_files(src), 2, args.files_per_half)
    listed = [[str(p.relative_to(src)) for p in half] for half in halves]
    sizes = [common.total_bytes(h) for h in halves]
    print(f"two halves of {args.files_per_half} PyTorch files, {sizes[0] / 1e6:.2f} and {sizes[1] / 1e6:.2f} MB",
          flush=True)

    def semgrep(files: list[str], jobs: int) -> list[str]:
        return bench_scan.semgrep_argv(pack, files, jobs)

    t = {
        "one_j1": wall("one semgrep -j 1, both halves", [semgrep(listed[0] + listed[1], 1)], cwd=str(src)),
        "one_j2": wall("one semgrep -j 2, both halves", [semgrep(listed[0] + listed[1], 2)], cwd=str(src)),
        "two_j1": wall("two semgrep -j 1 at once, a half each", [semgrep(listed[0], 1), semgrep(listed[1], 1)],
                       cwd=str(src)),
        "spin_one": wall("one arithmetic loop", [[sys.executable, "-c", SPIN]]),
        "spin_two": wall("two arithmetic loops at once", [[sys.executable, "-c", SPIN]] * 2),
    }
    ratios = {
        "semgrep_two_processes": common.ratio(t["one_j1"], t["two_j1"]),
        "semgrep_j2": common.ratio(t["one_j1"], t["one_j2"]),
        "loop": common.ratio(2 * t["spin_one"], t["spin_two"]),
    }
    lines = list(common.machine().items())
    lines += [("files", f"2 x {args.files_per_half} ({sum(sizes) / 1e6:.1f} MB)")]
    lines += [(k, f"{v:.1f} s") for k, v in t.items()]
    lines += [
        ("semgrep, 2 processes vs 1", f"{ratios['semgrep_two_processes']:.2f}x faster"),
        ("semgrep, -j 2 vs -j 1", f"{ratios['semgrep_j2']:.2f}x faster"),
        ("arithmetic loop, 2 at once vs 1 after the other", f"{ratios['loop']:.2f}x faster"),
        ("6 ceiling", "dask with 2 workers cannot beat the Semgrep ratio above (target >= 1.8x)"),
    ]
    common.report("parallel ceiling (PyTorch sources)", lines, Path(args.json_out) if args.json_out else None,
                  {"machine": common.machine(), "files_per_half": args.files_per_half, "bytes": sizes,
                   "seconds": t, "ratios": ratios})


if __name__ == "__main__":
    sys.exit(main())
