"""On what share of the PyTorch sources each rule would run: Semgrep's file prefilters, evaluated.

A rule runs only on files that pass its prefilter (literal strings and regexes Semgrep extracts
from it), and a file no rule selects is not even parsed, so this share is what decides how far
the whole pack is above Semgrep's parse floor (target 2). It takes seconds, not a scan: rule
authors run it after rewriting a rule.

    python benchmarks/prefilter_share.py [--limit N] [--config PACK] [--top N] [--work DIR]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import common

from orchestrator.rules import pack as rulepack, prefilter  # noqa: E402 (common puts the repo on sys.path)
from orchestrator.rules.vocabulary import Vocabulary  # noqa: E402


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--work", help="Working folder (default: $TMPDIR/fairlint-bench).")
    ap.add_argument("--limit", type=int, default=0, help="Only the first N files.")
    ap.add_argument("--config", help="A Semgrep config file (default: the rendered fairlint pack).")
    ap.add_argument("--top", type=int, default=0, help="Only the N rules that run on most files.")
    args = ap.parse_args(argv)

    work = common.workdir(args.work)
    files = common.python_files(common.torch_sources(work))
    if args.limit:
        files = files[:args.limit]
    config = Path(args.config) if args.config else rulepack.render_pack(Vocabulary.default(), dest=work / "prefilter")
    formulas = prefilter.rule_prefilters(config)
    texts = [p.read_text(encoding="utf-8", errors="replace") for p in files]
    shares, any_rule = prefilter.shares(formulas, texts)
    rows = sorted(shares.items(), key=lambda kv: (-kv[1], kv[0]))
    print(f"{len(files)} PyTorch files, {common.total_bytes(files) / 1e6:.1f} MB; {len(formulas)} rules")
    print(f"files any rule selects (Semgrep parses these): {any_rule:.1%}")
    print(f"rules without a prefilter (run on every file): {sum(f is None for f in formulas.values())}")
    for rule, share in rows[:args.top or None]:
        note = "  (no prefilter)" if formulas[rule] is None else ""
        print(f"{share:7.1%}  {rule}{note}")


if __name__ == "__main__":
    sys.exit(main())
