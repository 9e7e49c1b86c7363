"""Per-rule matching time from a ``semgrep --time --json`` output: which rules cost the most,
and on how many files each one ran (a rule the literal prefilter cannot skip runs on all).

    python benchmarks/rule_times.py PACK_TIME.json [--top N]
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class RuleTime:
    rule: str
    seconds: float
    share: float  # of all rules' matching time
    files_run: float  # fraction of targets the rule was matched on (not skipped by the prefilter)


def rule_times(time_json: Path, top: int = 12) -> list[RuleTime]:
    data = json.loads(Path(time_json).read_text())["time"]
    rules = [(r if isinstance(r, str) else r.get("id", "?")).rsplit(".", 1)[-1] for r in data["rules"]]
    totals = [0.0] * len(rules)
    ran = [0] * len(rules)
    targets = data["targets"]
    for target in targets:
        for i, t in enumerate(target.get("match_times") or []):
            totals[i] += t
            ran[i] += t > 0
    grand = sum(totals) or 1.0
    out = [RuleTime(rule, t, t / grand, n / max(1, len(targets))) for rule, t, n in zip(rules, totals, ran)]
    return sorted(out, key=lambda r: -r.seconds)[:top]


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("time_json")
    ap.add_argument("--top", type=int, default=20)
    args = ap.parse_args(argv)
    for r in rule_times(Path(args.time_json), args.top):
        print(f"{r.seconds:8.1f} s  {r.share:5.1%}  ran on {r.files_run:5.1%} of files  {r.rule}")


if __name__ == "__main__":
    sys.exit(main())
