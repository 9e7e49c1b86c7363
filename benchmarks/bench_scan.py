"""Scan benchmark on PyTorch's own Python sources: targets 1, 2, 3 and 5 of the performance issue.

    python benchmarks/bench_scan.py [--work DIR] [--jobs N] [--limit N] [--json FILE]
                                    [--runs floor,pack,...] [--repeat N]

Runs, side by side on the same files and jobs (each a fresh process, the cache cold where it
says so):

- semgrep's parse floor: one rule without literals (``$X == $X``), so no file can be skipped;
- the whole fairlint rule pack (rendered as ``fairlint scan`` runs it), with ``--time``: the
  per-rule matching times say which rules cost the most;
- raw ``semgrep --config rules/semgrep``;
- ``fairlint scan`` with an empty cache (cold), again with nothing changed (warm), and after
  changing one file;

(``--repeat N`` runs the floor and the pack N times each, alternating, and reports their medians
and every pair's ratio: the floor alone moves 10-20 % between runs on a shared machine), and
prints the ratios of the issue's targets with absolute times, peak memory of each process tree
and the machine description. A benchmark, not a test: it never fails on a slow machine.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import time
from pathlib import Path

import common
from rule_times import rule_times

FLOOR_RULE = """rules:
- id: parse-floor
  languages: [python]
  severity: INFO
  message: no literal, so semgrep's prefilter cannot skip a file and every file is parsed
  pattern: $X == $X
"""
TARGETS = {1: 1.05, 2: 1.3, 3: 0.05, 5: 1536.0}
RUNS = ("floor", "pack", "raw", "cold", "warm", "one")


def semgrep_argv(config: Path | str, files_list: list[str], jobs: int, *extra: str) -> list[str]:
    """Raw semgrep as fairlint runs it: explicit targets (run it from their folder: semgrep starts
    one semgrep-core process per explicit target outside its working directory), fairlint's
    timeout and max target bytes."""
    return [common.tool("semgrep"), "scan", "--config", str(config), "--json", "--quiet", "--metrics=off",
            "--disable-version-check", "--no-git-ignore", "--timeout", "30", "--max-target-bytes",
            "2000000", "-j", str(jobs), *extra, *files_list]


def fairlint_argv(env: dict[str, str], src: Path, cache_dir: Path, jobs: int, out: Path) -> list[str]:
    return [*common.fairlint(env), "scan", str(src), "--format", "json", "--output", str(out),
            "--cache-dir", str(cache_dir), "--jobs", str(jobs)]


def render_pack(env: dict[str, str], dest: Path) -> Path:
    """The pack as ``fairlint scan`` renders it (finding and evidence rules), from the snapshot."""
    code = ("import sys; from pathlib import Path; from orchestrator.rules import pack as rulepack; "
            "from orchestrator.rules.vocabulary import Vocabulary; "
            "print(rulepack.render_pack(Vocabulary.default(), dest=Path(sys.argv[1])))")
    done = common.proc.run([sys.executable, "-c", code, str(dest)], timeout=600, env=env)
    return Path(done.stdout.strip())


def scanned_count(result_json: Path) -> int:
    try:
        return len(json.loads(result_json.read_text()).get("paths", {}).get("scanned", []))
    except (OSError, ValueError):
        return -1


def cache_entries(cache_dir: Path) -> int:
    """File contents the cache holds results for."""
    import sqlite3

    with sqlite3.connect(cache_dir / "results-v1.sqlite3") as db:
        return db.execute("SELECT COUNT(DISTINCT digest) FROM results").fetchone()[0]


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--work", help="Working folder (default: $TMPDIR/fairlint-bench).")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="semgrep -j (default: cores).")
    ap.add_argument("--limit", type=int, default=0, help="Only the first N files (a quick try).")
    ap.add_argument("--json", dest="json_out", help="Also write the figures to this JSON file.")
    ap.add_argument("--runs", default=",".join(RUNS),
                    help=f"Comma-separated subset of the runs {','.join(RUNS)} (default: all).")
    ap.add_argument("--repeat", type=int, default=1,
                    help="Run the floor and the pack this many times each, alternating, and report "
                         "the medians (target 2 moves 10-20 %% between single runs).")
    args = ap.parse_args(argv)

    work = common.workdir(args.work)
    src = common.torch_sources(work)
    if args.limit:
        small = work / f"torch-first-{args.limit}"
        if not small.exists():
            for p in common.python_files(src)[:args.limit]:
                (small / p.relative_to(src)).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(p, small / p.relative_to(src))
        src = small
    files = common.python_files(src)
    listed = [str(p) for p in files]
    wanted = [r.strip() for r in args.runs.split(",") if r.strip() in RUNS]
    runs = work / ("runs" if len(wanted) == len(RUNS) else "runs-" + "-".join(wanted))
    shutil.rmtree(runs, ignore_errors=True)
    runs.mkdir()
    print(f"{len(files)} Python files, {common.total_bytes(files) / 1e6:.1f} MB, from {src}; -j {args.jobs}",
          flush=True)

    env = common.snapshot(runs)
    floor_cfg = runs / "floor.yaml"
    floor_cfg.write_text(FLOOR_RULE)
    pack_cfg = render_pack(env, runs / "pack")
    jobs = args.jobs
    t = {}
    semgrep_runs(t, wanted, runs, src, listed, jobs, floor_cfg, pack_cfg, Path(env["PYTHONPATH"]), args.repeat)
    if "cold" in wanted:
        fairlint_runs(t, wanted, runs, src, files, jobs, env)
    summarise(t, runs, files, jobs, args.json_out)


def semgrep_runs(t: dict, wanted: list[str], runs: Path, src: Path, listed: list[str], jobs: int,
                 floor_cfg: Path, pack_cfg: Path, snap: Path, repeat: int = 1) -> None:
    """The floor and the pack ``repeat`` times each, alternating, so that a slow spell of the
    machine weighs on both; each is reported by its median run, and every pair's ratio is kept."""
    floors, packs = [], []
    for _ in range(max(1, repeat)):
        if "floor" in wanted:
            floors.append(common.timed("semgrep parse floor (1 rule, no literal)",
                                       semgrep_argv(floor_cfg, listed, jobs),
                                       stdout_path=runs / "floor.json", cwd=str(src)))
        if "pack" in wanted:
            packs.append(common.timed("semgrep, whole fairlint pack (+ --time)",
                                      semgrep_argv(pack_cfg, listed, jobs, "--time"),
                                      stdout_path=runs / "pack.json", cwd=str(src)))
    for key, done in (("floor", floors), ("pack", packs)):
        if done:
            t[key] = sorted(done, key=lambda x: x.seconds)[(len(done) - 1) // 2]
    if floors and packs:
        t["pairs"] = [(f.seconds, p.seconds) for f, p in zip(floors, packs)]
    if "raw" in wanted:
        t["raw"] = common.timed("semgrep --config rules/semgrep",
                                semgrep_argv(snap / "fairlint_rules" / "semgrep", listed, jobs),
                                stdout_path=runs / "raw.json", cwd=str(src))


def fairlint_runs(t: dict, wanted: list[str], runs: Path, src: Path, files: list[Path], jobs: int,
                  env: dict[str, str]) -> None:
    """Cold, then (when wanted) warm and one-changed-file scans with the same cache."""
    cache_dir = runs / "cache"
    t["cold"] = common.timed("fairlint scan, cold cache",
                             fairlint_argv(env, src, cache_dir, jobs, runs / "cold.json"), env=env)
    entries = cache_entries(cache_dir)
    if "warm" not in wanted:
        return
    t["warm"] = common.timed("fairlint scan, nothing changed",
                             fairlint_argv(env, src, cache_dir, jobs, runs / "warm.json"), env=env)
    changed = files[len(files) // 2]
    original = changed.read_bytes()
    try:
        changed.write_bytes(original + f"\n# benchmark edit {time.time()}\n".encode())
        t["one"] = common.timed("fairlint scan, one file changed",
                                fairlint_argv(env, src, cache_dir, jobs, runs / "one.json"), env=env)
    finally:
        changed.write_bytes(original)
    t["rescanned"] = cache_entries(cache_dir) - entries
    t["identical"] = _findings(runs / "cold.json") == _findings(runs / "warm.json")


def summarise(t: dict, runs: Path, files: list[Path], jobs: int, json_out: str | None) -> None:
    """Print (and write) every figure the runs made; a ratio needs both of its runs."""
    rescanned, same = t.pop("rescanned", None), t.pop("identical", None)
    pairs = t.pop("pairs", [])

    def ratio(a: str, b: str) -> float | None:
        return common.ratio(t[a].seconds, t[b].seconds) if a in t and b in t else None

    r = {"1_cold_vs_raw": ratio("cold", "raw"), "2_pack_vs_floor": ratio("pack", "floor"),
         "3_warm_vs_cold": ratio("warm", "cold")}
    lines = list(common.machine().items())
    lines.append(("files", f"{len(files)} ({common.total_bytes(files) / 1e6:.1f} MB), -j {jobs}"))
    lines += [(x.label, f"{x.seconds:.1f} s, peak {x.peak_rss_mb:.0f} MB") for x in t.values()]
    if r["1_cold_vs_raw"] is not None:
        lines.append(("1 cold fairlint / raw semgrep", f"{r['1_cold_vs_raw']:.2f}x (target <= {TARGETS[1]}x)"))
    if r["2_pack_vs_floor"] is not None:
        lines.append(("2 whole pack / parse floor", f"{r['2_pack_vs_floor']:.2f}x (target <= {TARGETS[2]}x)"
                      + (" (median runs)" if len(pairs) > 1 else "")))
    if len(pairs) > 1:
        lines.append(("2 each pair (floor, pack, ratio)",
                      "; ".join(f"{f:.1f} s, {p:.1f} s, {common.ratio(p, f):.2f}x" for f, p in pairs)))
    if r["3_warm_vs_cold"] is not None:
        lines += [("3 warm re-scan / cold", f"{r['3_warm_vs_cold']:.3f}x (target <= {TARGETS[3]}x); "
                                            f"identical findings: {same}"),
                  ("3 one changed file", f"{t['one'].seconds:.1f} s, {rescanned} content(s) scanned again"),
                  ("5 peak memory, cold fairlint", f"{t['cold'].peak_rss_mb:.0f} MB (target <= {TARGETS[5]:.0f} MB)")]
    slow, pref = [], {}
    if (runs / "pack.json").exists():
        slow = rule_times(runs / "pack.json")
        pref = json.loads((runs / "pack.json").read_text())["time"].get("prefiltering", {})
        lines.append(("pack prefilter", f"rules with a file prefilter {pref.get('rules_with_file_prefilters_ratio', 0):.0%}, "
                                        f"rules selected per file {pref.get('rules_selected_ratio', 0):.0%}"))
        lines += [(f"slow rule {i + 1}", f"{x.rule}: {x.seconds:.1f} s matching ({x.share:.0%}), "
                                         f"ran on {x.files_run:.0%} of files") for i, x in enumerate(slow)]
    data = {"machine": common.machine(), "files": len(files), "bytes": common.total_bytes(files),
            "jobs": jobs, "runs": {k: vars(v) for k, v in t.items()}, "ratios": r, "floor_pack_pairs": pairs,
            "one_changed_rescanned": rescanned, "identical": same, "slow_rules": [vars(x) for x in slow],
            "prefiltering": pref}
    common.report("fairlint scan benchmark (PyTorch sources)", lines,
                  Path(json_out) if json_out else None, data)


def _findings(path: Path) -> list:
    try:
        data = json.loads(path.read_text())
    except (OSError, ValueError):
        return [None]
    return sorted((f["fingerprint"], f["path"], f["start_line"]) for f in data.get("findings", []))


if __name__ == "__main__":
    sys.exit(main())
