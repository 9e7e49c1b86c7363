"""What each rule's file prefilter costs Semgrep, and what it lets through: one-rule runs.

    python benchmarks/prefilter_cost.py [--work DIR] [--limit N] [--top N] [--json FILE]

Runs ``semgrep -j 1 --time`` once per rule of the rendered pack, on the same PyTorch files,
and prints per rule the seconds ``--time`` attributes to no parse and no match, the parse and
match seconds of the files it selected, and the share of files selected. The first figure is the
rule's prefilter formula evaluated on every file (literal by literal, regex by regex) plus, on
the files it selects, work Semgrep reports under no rule: a bare ``$F(...)`` branch walking every
call shows there, so a rule that selects few files but costs seconds has such a branch. A
benchmark, not a test; the prefilter seconds move by a few hundredths between runs.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import bench_scan
import common
import yaml

from orchestrator.rules import pack as rulepack  # noqa: E402 (common puts the repo on sys.path)
from orchestrator.rules.vocabulary import Vocabulary  # noqa: E402


def rule_cost(time_json: Path) -> dict[str, float]:
    data = json.loads(time_json.read_text())["time"]
    targets = data["targets"]
    parse = sum(sum(t["parse_times"]) for t in targets)
    match = sum(sum(t["match_times"]) for t in targets)
    return {"prefilter": sum(t["run_time"] for t in targets) - parse - match,
            "selected": data["prefiltering"].get("rules_selected_ratio", 0.0), "parse": parse, "match": match}


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--work", help="Working folder (default: $TMPDIR/fairlint-bench).")
    ap.add_argument("--limit", type=int, default=600, help="The first N PyTorch files (default 600).")
    ap.add_argument("--top", type=int, default=20, help="Print the N rules with the dearest prefilters.")
    ap.add_argument("--json", dest="json_out", help="Also write the figures to this JSON file.")
    args = ap.parse_args(argv)

    src, files, listed, runs = common.first_files(args.work, args.limit, "runs-prefilter-cost")
    pack = rulepack.render_pack(Vocabulary.default(), dest=runs / "pack")
    rules = json.loads(pack.read_text())["rules"]
    print(f"{len(files)} PyTorch files, {common.total_bytes(files) / 1e6:.1f} MB, {len(rules)} rules, "
          "semgrep -j 1", flush=True)
    figures = {}
    for rule in rules:
        rid = rule["id"]
        cfg = runs / f"{rid}.yaml"
        cfg.write_text(yaml.safe_dump({"rules": [rule]}))
        out = runs / f"{rid}.json"
        common.timed(rid, bench_scan.semgrep_argv(cfg, listed, 1, "--time"), stdout_path=out, cwd=str(src))
        figures[rid] = rule_cost(out)
    rows = sorted(figures.items(), key=lambda kv: -kv[1]["prefilter"])
    total = sum(f["prefilter"] for f in figures.values())
    lines = list(common.machine().items()) + [("all rules, outside parse and match", f"{total:.2f} s")]
    lines += [(rid, f"outside parse and match {f['prefilter']:.2f} s, selects {f['selected']:.1%} of files "
                    f"(parse {f['parse']:.2f} s, match {f['match']:.2f} s)") for rid, f in rows[: args.top]]
    common.report("prefilter cost per rule (PyTorch sources)", lines,
                  Path(args.json_out) if args.json_out else None,
                  {"machine": common.machine(), "files": len(files), "rules": figures})


if __name__ == "__main__":
    sys.exit(main())
