"""Scan benchmark on PyTorch's own Python sources: targets 1, 2, 3 and 5 of the performance issue.

    python benchmarks/bench_scan.py [--work DIR] [--jobs N] [--limit N] [--json FILE]

Runs, side by side on the same files and jobs (each a fresh process, the cache cold where it
says so):

- semgrep's parse floor: one rule without literals (``$X == $X``), so no file can be skipped;
- the whole fairlint rule pack (rendered as ``fairlint scan`` runs it), with ``--time``: the
  per-rule matching times say which rules cost the most;
- raw ``semgrep --config rules/semgrep``;
- ``fairlint scan`` with an empty cache (cold), again with nothing changed (warm), and after
  changing one file;

and prints the ratios of the issue's targets with absolute times, peak memory of each process
tree and the machine description. A benchmark, not a test: it never fails on a slow machine.
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

FLOOR_RULE = """rules:
- id: parse-floor
  languages: [python]
  severity: INFO
  message: no literal, so semgrep's prefilter cannot skip a file and every file is parsed
  pattern: $X == $X
"""
TARGETS = {1: 1.05, 2: 1.3, 3: 0.05, 5: 1536.0}


def semgrep_argv(config: Path | str, files_list: list[str], jobs: int, *extra: str) -> list[str]:
    """Raw semgrep as fairlint runs it: explicit targets (run it from their folder: semgrep starts
    one semgrep-core process per explicit target outside its working directory), fairlint's
    timeout and max target bytes."""
    return [common.tool("semgrep"), "scan", "--config", str(config), "--json", "--quiet", "--metrics=off",
            "--disable-version-check", "--no-git-ignore", "--timeout", "30", "--max-target-bytes",
            "2000000", "-j", str(jobs), *extra, *files_list]


def fairlint_argv(src: Path, cache_dir: Path, jobs: int, out: Path) -> list[str]:
    return [common.tool("fairlint"), "scan", str(src), "--format", "json", "--output", str(out),
            "--cache-dir", str(cache_dir), "--jobs", str(jobs)]


def rule_times(time_json: Path, top: int = 12) -> list[tuple[str, float, float]]:
    """(rule id, seconds matching over all files, share of the total) for the slowest rules."""
    data = json.loads(time_json.read_text())["time"]
    rules = [(r if isinstance(r, str) else r.get("id", "?")).rsplit(".", 1)[-1] for r in data["rules"]]
    totals = [0.0] * len(rules)
    for target in data["targets"]:
        for i, t in enumerate(target.get("match_times") or []):
            totals[i] += t
    grand = sum(totals) or 1.0
    ranked = sorted(zip(rules, totals), key=lambda x: -x[1])[:top]
    return [(rule, t, t / grand) for rule, t in ranked]


def scanned_count(result_json: Path) -> int:
    try:
        return len(json.loads(result_json.read_text()).get("paths", {}).get("scanned", []))
    except (OSError, ValueError):
        return -1


def cache_entries(cache_dir: Path) -> int:
    from orchestrator import cache

    return cache.ResultCache(cache_dir).stats().entries


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--work", help="Working folder (default: $TMPDIR/fairlint-bench).")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="semgrep -j (default: cores).")
    ap.add_argument("--limit", type=int, default=0, help="Only the first N files (a quick try).")
    ap.add_argument("--json", dest="json_out", help="Also write the figures to this JSON file.")
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
    runs = work / "runs"
    shutil.rmtree(runs, ignore_errors=True)
    runs.mkdir()
    print(f"{len(files)} Python files, {common.total_bytes(files) / 1e6:.1f} MB, from {src}; -j {args.jobs}",
          flush=True)

    from orchestrator import rulepack, resources
    from orchestrator.vocabulary import Vocabulary

    floor_cfg = runs / "floor.yaml"
    floor_cfg.write_text(FLOOR_RULE)
    pack_cfg = rulepack.render_pack(Vocabulary.default(), dest=runs / "pack")
    jobs = args.jobs
    t = {}
    t["floor"] = common.timed("semgrep parse floor (1 rule, no literal)",
                              semgrep_argv(floor_cfg, listed, jobs), stdout_path=runs / "floor.json", cwd=str(src))
    t["pack"] = common.timed("semgrep, whole fairlint pack (+ --time)",
                             semgrep_argv(pack_cfg, listed, jobs, "--time"), stdout_path=runs / "pack.json", cwd=str(src))
    t["raw"] = common.timed("semgrep --config rules/semgrep",
                            semgrep_argv(resources.semgrep_rules_dir(), listed, jobs), stdout_path=runs / "raw.json", cwd=str(src))
    cache_dir = runs / "cache"
    t["cold"] = common.timed("fairlint scan, cold cache",
                             fairlint_argv(src, cache_dir, jobs, runs / "cold.json"))
    entries = cache_entries(cache_dir)
    t["warm"] = common.timed("fairlint scan, nothing changed",
                             fairlint_argv(src, cache_dir, jobs, runs / "warm.json"))
    changed = files[len(files) // 2]
    original = changed.read_bytes()
    try:
        changed.write_bytes(original + f"\n# benchmark edit {time.time()}\n".encode())
        t["one"] = common.timed("fairlint scan, one file changed",
                                fairlint_argv(src, cache_dir, jobs, runs / "one.json"))
    finally:
        changed.write_bytes(original)
    rescanned = cache_entries(cache_dir) - entries

    same = _findings(runs / "cold.json") == _findings(runs / "warm.json")
    slow = rule_times(runs / "pack.json")
    pref = json.loads((runs / "pack.json").read_text())["time"].get("prefiltering", {})
    r1 = common.ratio(t["cold"].seconds, t["raw"].seconds)
    r2 = common.ratio(t["pack"].seconds, t["floor"].seconds)
    r3 = common.ratio(t["warm"].seconds, t["cold"].seconds)
    lines = [(k, v) for k, v in common.machine().items()]
    lines += [("files", f"{len(files)} ({common.total_bytes(files) / 1e6:.1f} MB); semgrep scanned "
                        f"{scanned_count(runs / 'raw.json')}")]
    lines += [(x.label, f"{x.seconds:.1f} s, peak {x.peak_rss_mb:.0f} MB") for x in t.values()]
    lines += [
        ("1 cold fairlint / raw semgrep", f"{r1:.2f}x (target <= {TARGETS[1]}x)"),
        ("2 whole pack / parse floor", f"{r2:.2f}x (target <= {TARGETS[2]}x)"),
        ("3 warm re-scan / cold", f"{r3:.3f}x (target <= {TARGETS[3]}x); identical findings: {same}"),
        ("3 one changed file", f"{t['one'].seconds:.1f} s, {rescanned} content(s) scanned again (want 1)"),
        ("5 peak memory, cold fairlint", f"{t['cold'].peak_rss_mb:.0f} MB (target <= {TARGETS[5]:.0f} MB)"),
        ("pack prefilter", f"rules with a file prefilter {pref.get('rules_with_file_prefilters_ratio', 0):.0%}, "
                           f"rules selected per file {pref.get('rules_selected_ratio', 0):.0%}"),
    ]
    lines += [(f"slow rule {i + 1}", f"{rule}: {sec:.1f} s matching ({share:.0%})")
              for i, (rule, sec, share) in enumerate(slow)]
    data = {"machine": common.machine(), "files": len(files), "bytes": common.total_bytes(files),
            "jobs": jobs, "runs": {k: vars(v) for k, v in t.items()},
            "ratios": {"1_cold_vs_raw": r1, "2_pack_vs_floor": r2, "3_warm_vs_cold": r3},
            "one_changed_rescanned": rescanned, "identical": same, "slow_rules": slow,
            "prefiltering": pref}
    common.report("fairlint scan benchmark (PyTorch sources)", lines,
                  Path(args.json_out) if args.json_out else None, data)


def _findings(path: Path) -> list:
    try:
        data = json.loads(path.read_text())
    except (OSError, ValueError):
        return [None]
    return sorted((f["fingerprint"], f["path"], f["start_line"]) for f in data.get("findings", []))


if __name__ == "__main__":
    sys.exit(main())
