"""What the flow engine costs: ``fairlint scan`` of PyTorch's sources with and without it.

    python benchmarks/bench_flow.py [--work DIR] [--repeat N] [--jobs N] [--json FILE]

Side by side on the same files, each a fresh process, alternating N times (the machine's load
moves between runs): a cold scan with Semgrep alone (``--engine semgrep``, the product before
the flow engine) and a cold scan with the default engines (Semgrep and flow), then a warm re-scan
with the default engines. Prints the medians, every pair's ratio, the issue's targets (cold with
flow <= 1.15x cold without; warm <= 0.05x cold) and the peak memory of each process tree
(target < 1.5 GB). A benchmark, not a test: it never fails on a slow machine.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
from pathlib import Path

import common


def scan(env, src: Path, cache: Path, out: Path, engines: str | None, jobs: int, label: str):
    argv = [*common.fairlint(env), "scan", str(src), "--format", "json", "--output", str(out),
            "--cache-dir", str(cache), "--jobs", str(jobs)]
    if engines:
        argv += ["--engine", engines]
    return common.timed(label, argv, env=env)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--work", help="folder for the PyTorch sources and results (default: a temp dir)")
    ap.add_argument("--repeat", type=int, default=2)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    work = common.workdir(args.work)
    src = common.torch_sources(work)
    env = common.snapshot(work)
    plain, flow, warm, peaks, plain_peaks = [], [], [], [], []
    for i in range(args.repeat):
        with tempfile.TemporaryDirectory() as a, tempfile.TemporaryDirectory() as b:
            p = scan(env, src, Path(a), work / f"semgrep-{i}.json", "semgrep", args.jobs, f"cold, semgrep alone #{i + 1}")
            f = scan(env, src, Path(b), work / f"flow-{i}.json", None, args.jobs, f"cold, semgrep + flow #{i + 1}")
            w = scan(env, src, Path(b), work / f"warm-{i}.json", None, args.jobs, f"warm, semgrep + flow #{i + 1}")
        plain.append(p.seconds)
        flow.append(f.seconds)
        warm.append(w.seconds)
        peaks.append(f.peak_rss_mb)
        plain_peaks.append(p.peak_rss_mb)
    pairs = [common.ratio(f, p) for f, p in zip(flow, plain)]
    cold_ratio = common.ratio(statistics.median(flow), statistics.median(plain))
    warm_ratio = common.ratio(statistics.median(warm), statistics.median(flow))
    lines = [
        ("files", str(len(common.python_files(src)))),
        ("cold, semgrep alone (median)", f"{statistics.median(plain):.1f} s"),
        ("cold, semgrep + flow (median)", f"{statistics.median(flow):.1f} s"),
        ("warm, semgrep + flow (median)", f"{statistics.median(warm):.2f} s"),
        ("cold with flow / without", f"{cold_ratio:.2f}x (pairs: {', '.join(f'{r:.2f}' for r in pairs)}; target <= 1.15x)"),
        ("warm / cold", f"{warm_ratio:.3f}x (target <= 0.05x)"),
        ("peak memory, cold with flow", f"{max(peaks):.0f} MB (target < 1536 MB)"),
        ("peak memory, cold semgrep alone", f"{max(plain_peaks):.0f} MB"),
    ]
    common.report("flow engine cost on PyTorch sources", lines, args.json,
                  {"plain": plain, "flow": flow, "warm": warm, "peak_mb": peaks, "plain_peak_mb": plain_peaks, "cold_ratio": cold_ratio,
                   "warm_ratio": warm_ratio})


if __name__ == "__main__":
    main()
