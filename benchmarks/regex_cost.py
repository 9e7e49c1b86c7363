"""What a prefilter regex costs Semgrep: one-rule runs, one per regex shape.

    python benchmarks/regex_cost.py [--work DIR] [--limit N]

Each run is ``semgrep -j 1 --time`` with a single rule ``$F(...)`` whose ``metavariable-regex``
on ``$F`` has the shape under test and matches nothing in PyTorch. Semgrep turns that regex into
a file prefilter (``orchestrator.rules.prefilter.metavariable_regex_search``) and searches every file
for it, finds nothing and parses no file, so the time ``--time`` attributes to no parse and no
match is the search. The absent literal is the floor (reading the files). A benchmark, not a
test: figures vary by a few hundredths of a second between runs.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import bench_scan
import common
import yaml

from orchestrator.rules.vocabulary import Vocabulary  # noqa: E402

NAMES = "accuracy_zqx|balanced_accuracy_zqx|f1_zqx|precision_zqx|recall_zqx|roc_auc_zqx"  # absent from PyTorch
SHAPES = [
    ("an absent literal", "zqx_absent_name", "literal"),
    ("plain alternation `^(?:names)$`", f"^(?:{NAMES})$", "regex"),
    ("one scan `(?s).*?\\b(?:names)$`", f"(?s).*?\\b(?:{NAMES})$", "regex"),
    ("vocabulary prefilter regex (protected)", Vocabulary.default().prefilter_regex("protected"), "regex"),
    ("old name list `^(?:[\\w.]*\\.)?(?:names)$`", f"^(?:[\\w.]*\\.)?(?:{NAMES})$", "regex"),
]


def rule(regex: str, kind: str) -> dict:
    if kind == "literal":
        body = {"pattern": f"{regex}(...)"}
    else:
        body = {"patterns": [{"pattern": "$F(...)"}, {"metavariable-regex": {"metavariable": "$F", "regex": regex}}]}
    return {"rules": [{"id": "shape", "languages": ["python"], "severity": "INFO", "message": "x", **body}]}


def unattributed(time_json: Path) -> tuple[float, float]:
    """(seconds outside parse and match, share of files the rule was selected on)."""
    data = json.loads(time_json.read_text())["time"]
    targets = data["targets"]
    run = sum(t["run_time"] for t in targets)
    attributed = sum(sum(t["parse_times"]) + sum(t["match_times"]) for t in targets)
    return run - attributed, data["prefiltering"].get("rules_selected_ratio", 0.0)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--work", help="Working folder (default: $TMPDIR/fairlint-bench).")
    ap.add_argument("--limit", type=int, default=300, help="The first N PyTorch files (default 300).")
    ap.add_argument("--json", dest="json_out", help="Also write the figures to this JSON file.")
    args = ap.parse_args(argv)

    src, files, listed, runs = common.first_files(args.work, args.limit, "runs-regex-cost")
    print(f"{len(files)} PyTorch files, {common.total_bytes(files) / 1e6:.1f} MB, semgrep -j 1", flush=True)
    figures = {}
    for i, (label, regex, kind) in enumerate(SHAPES):
        cfg = runs / f"shape-{i}.yaml"
        cfg.write_text(yaml.safe_dump(rule(regex, kind)))
        out = runs / f"shape-{i}.json"
        common.timed(label, bench_scan.semgrep_argv(cfg, listed, 1, "--time"), stdout_path=out, cwd=str(src))
        seconds, selected = unattributed(out)
        figures[label] = {"seconds": seconds, "selected": selected}
    lines = list(common.machine().items())
    lines += [(label, f"{f['seconds']:.2f} s outside parse and match, rule selected on {f['selected']:.0%} of files")
              for label, f in figures.items()]
    common.report("prefilter regex cost (PyTorch sources)", lines, Path(args.json_out) if args.json_out else None,
                  {"machine": common.machine(), "files": len(files), "shapes": figures})


if __name__ == "__main__":
    sys.exit(main())
