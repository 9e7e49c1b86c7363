"""Does a rewritten rule still find everything at the end of a ~1.9 MB file?

Rewrites for Semgrep's prefilter can lose matches silently on big files: a regex gate over the
whole file (``(?s)\\A(?=...).*``) or a lazy scan hits PCRE's match limit around 1 MB, the
prefilter then says "skip", and the findings at the end of the file are gone while
``semgrep --test`` on the small test file still passes. This check appends the rule's test
files to ~1.9 MB of real PyTorch code (files that name no vocabulary term, so the first term
is at the end) and compares the matches of two versions of the rule: the working tree's and
a git revision's (default HEAD).

    python benchmarks/big_file_check.py rules/semgrep/dataset/high-stakes-tabular-benchmark.yaml [--against REV]

Exit status 1 when the versions disagree on any file.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import common

from orchestrator import proc  # noqa: E402
from orchestrator.rules import prefilter
from orchestrator.rules.vocabulary import Vocabulary  # noqa: E402

BASE_BYTES = 1_850_000
MAX_TARGET_BYTES = 2_000_000  # fairlint's default


def base_text(work: Path) -> str:
    cached = work / "big-base.py"
    if cached.exists():
        return cached.read_text(encoding="utf-8")
    vocab = Vocabulary.default()
    # The vocabulary's prefilter regexes, evaluated the way Semgrep's prefilter evaluates them.
    terms = [["Pred", ["Regexp", vocab.prefilter_regex(k)]] for k in ("protected", "proxy")]
    # Semgrep's Python parser rejects some 3.10+ syntax; keep files it parses whole.
    unsupported = re.compile(r"(?m)^\s*(?:match|case|type)\s+\S.*$")
    chunks, size = [], 0
    for path in common.python_files(common.torch_sources(work)):
        text = path.read_text(encoding="utf-8", errors="replace")
        try:
            compile(text, str(path), "exec")
        except (SyntaxError, ValueError):
            continue
        if any(prefilter.selects(t, text) for t in terms) or unsupported.search(text):
            continue
        chunks.append(text)
        size += len(text)
        if size >= BASE_BYTES:
            break
    text = "\n".join(chunks) + "\n"
    cached.write_text(text, encoding="utf-8")
    return text


def matches(rule: Path, target: Path) -> tuple[list[tuple[str, int, int]], list[str]]:
    result = proc.run([common.tool("semgrep"), "--metrics=off", "--config", str(rule), "--json",
                       "--max-target-bytes", str(MAX_TARGET_BYTES * 2), "--timeout", "300",
                       "--no-git-ignore", target.name], cwd=str(target.parent), timeout=1800, ok_codes=(0, 1, 2))
    data = json.loads(result.stdout)
    found = sorted((r["check_id"].rsplit(".", 1)[-1], r["start"]["line"], r["end"]["line"]) for r in data["results"])
    return found, [e.get("message", "")[:200] for e in data.get("errors", [])]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("rule", help="The rule file (its test files beside it are the probes).")
    ap.add_argument("--against", default="HEAD", help="The git revision to compare with (default HEAD).")
    ap.add_argument("--work", help="Working folder (default: $TMPDIR/fairlint-bench).")
    args = ap.parse_args(argv)

    rule = Path(args.rule).resolve()
    rel = rule.relative_to(common.REPO)
    work = common.workdir(args.work)
    tmp = Path(tempfile.mkdtemp(dir=work, prefix="bigcheck-"))
    old = tmp / "old.yaml"
    shown = subprocess.run(["git", "show", f"{args.against}:{rel.as_posix()}"], cwd=common.REPO,
                           capture_output=True, text=True)
    if shown.returncode != 0:
        sys.exit(f"{rel} is not in {args.against}: {shown.stderr.strip()}")
    old.write_text(shown.stdout, encoding="utf-8")
    base = base_text(work)
    probes = sorted(rule.parent.glob(rule.stem + ".py")) + sorted(rule.parent.glob(rule.stem + ".*.py"))
    if not probes:
        sys.exit(f"no test file beside {rel}")
    bad = 0
    for probe in probes:
        for label, text in (("small", probe.read_text(encoding="utf-8")),
                            ("big", base + probe.read_text(encoding="utf-8"))):
            target = tmp / label / probe.name
            target.parent.mkdir(exist_ok=True)
            target.write_text(text, encoding="utf-8")
            new_found, new_err = matches(rule, target)
            old_found, old_err = matches(old, target)
            same = new_found == old_found
            bad += not same
            print(f"{'ok  ' if same else 'DIFF'} {probe.name} ({label}, {len(text) / 1e6:.2f} MB): "
                  f"{args.against} {len(old_found)} matches, working tree {len(new_found)}")
            if not same:
                print(f"     only in {args.against}: {sorted(set(old_found) - set(new_found))[:10]}")
                print(f"     only in working tree: {sorted(set(new_found) - set(old_found))[:10]}")
            for err in sorted(set(old_err + new_err)):
                print(f"     semgrep: {err}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
