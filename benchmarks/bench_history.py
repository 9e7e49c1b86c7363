"""`fairlint history` over 100 commits against one cold `fairlint scan` of HEAD (issue 24's target:
at most 3x).

Builds a git repository of ``--files`` generated Python files (deep-learning data preparation,
training and evaluation code with bias-prone patterns: ``dropna``, ``LabelEncoder``, unstratified
splits, ``pd.cut`` on age, protected attributes as features, pruning, ...), then ``--commits``
commits that each edit a few files (a constant changed, a line added, now and then a pattern
added or removed, a file added or deleted). Seeded: the same arguments build the same repository.

Then, each as a fresh process with an empty result cache of its own:

- ``cold scan``: ``fairlint scan`` of the work tree at HEAD;
- ``history``: ``fairlint history`` of all commits (empty state folder);

once per engine set (``--engines``; by default the default engines, Semgrep and flow, then Semgrep
alone: the flow engine's whole-repository analysis is not cached per file and runs per commit).

    python benchmarks/bench_history.py [--files 300] [--commits 100] [--engines semgrep,flow semgrep]
                                       [--repeat N] [--work DIR] [--json FILE]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import subprocess
from pathlib import Path

import common

PATTERNS = [
    "clean = frame.dropna()\n",
    "frame['{col}'] = LabelEncoder().fit_transform(frame['{col}'])\n",
    "x_train, x_test = train_test_split(frame, test_size=0.{n})\n",
    "frame['age_band'] = pd.cut(frame['age'], bins={n})\n",
    "features = frame[['income', 'gender', 'hours_{n}']]\nmodel.fit(features, frame['label'])\n",
    "prune.l1_unstructured(model.fc{n}, name='weight', amount=0.{n})\n",
    "print('accuracy', accuracy_score(y_true, y_pred_{n}))\n",
]
HEADER = ("import numpy as np\nimport pandas as pd\nimport torch\nimport torch.nn.utils.prune as prune\n"
          "from sklearn.metrics import accuracy_score\nfrom sklearn.model_selection import train_test_split\n"
          "from sklearn.preprocessing import LabelEncoder\n\n")
BODY = '''

def step_{i}_{k}(batch, scale={n}):
    """Normalise one batch ({k})."""
    mean = batch.mean(dim=0)
    std = batch.std(dim=0) + 1e-{n}
    out = (batch - mean) / std
    for _ in range({n}):
        out = torch.relu(out * scale)
    return out
'''


def source(rng: random.Random, i: int) -> str:
    """One generated module: a header, helper functions, and two or three patterns."""
    parts = [HEADER, f"frame = pd.read_csv('data_{i}.csv')\nmodel = torch.nn.Linear({i % 7 + 2}, 2)\n"]
    for k in range(rng.randint(3, 8)):
        parts.append(BODY.format(i=i, k=k, n=rng.randint(2, 9)))
    for pattern in rng.sample(PATTERNS, rng.randint(1, 3)):
        parts.append(pattern.format(col=rng.choice(["job", "city", "team"]), n=rng.randint(1, 9)))
    return "".join(parts)


def git(repo: Path, *args: str, n: int = 0) -> None:
    stamp = f"{1_700_000_000 + n * 3600} +0000"
    env = dict(os.environ, GIT_AUTHOR_NAME="Bench", GIT_AUTHOR_EMAIL="bench@example.org",
               GIT_COMMITTER_NAME="Bench", GIT_COMMITTER_EMAIL="bench@example.org",
               GIT_AUTHOR_DATE=stamp, GIT_COMMITTER_DATE=stamp, GIT_CONFIG_GLOBAL=os.devnull,
               GIT_CONFIG_NOSYSTEM="1")
    subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True, timeout=600)


def build(repo: Path, files: int, commits: int, seed: int = 24) -> None:
    """The repository: commit 1 holds ``files`` modules, each later commit edits a few."""
    rng = random.Random(seed)
    if repo.exists():
        shutil.rmtree(repo)
    repo.mkdir(parents=True)
    git(repo, "init", "-q", "-b", "main")
    names = []
    for i in range(files):
        name = f"pkg{i % 12}/module_{i}.py"
        (repo / name).parent.mkdir(exist_ok=True)
        (repo / name).write_text(source(rng, i))
        names.append(name)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "commit 1", n=1)
    for n in range(2, commits + 1):
        for name in rng.sample(names, rng.randint(1, 4)):
            edit(rng, repo / name, n)
        if n % 10 == 0:  # a new module now and then, an old one deleted
            new = f"pkg{n % 12}/added_{n}.py"
            (repo / new).write_text(source(rng, 10_000 + n))
            names.append(new)
            gone = names.pop(rng.randrange(len(names) - 1))
            (repo / gone).unlink()
        git(repo, "add", "-A")
        git(repo, "commit", "-q", "-m", f"commit {n}", n=n)
        if n % 25 == 0:
            git(repo, "tag", f"v0.{n // 25}")


def edit(rng: random.Random, path: Path, n: int) -> None:
    text = path.read_text()
    choice = rng.random()
    if choice < 0.5:
        text += f"\nSETTING_{n} = {rng.randint(0, 999)}\n"
    elif choice < 0.8:
        text += PATTERNS[rng.randrange(len(PATTERNS))].format(col="city", n=n % 9 + 1)
    else:
        lines = text.splitlines(keepends=True)
        pattern_lines = [k for k, line in enumerate(lines) if "dropna" in line or "LabelEncoder()" in line]
        if pattern_lines:
            del lines[rng.choice(pattern_lines)]
        text = "".join(lines) + f"\n# revised in commit {n}\n"
    path.write_text(text)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=300)
    parser.add_argument("--commits", type=int, default=100)
    parser.add_argument("--work", help="work folder (default: $TMPDIR/fairlint-bench)")
    parser.add_argument("--json", help="write the figures here")
    parser.add_argument("--engines", nargs="+", default=["semgrep,flow", "semgrep"],
                        help="engine sets to compare (each: a cold scan and a history)")
    parser.add_argument("--repeat", type=int, default=1,
                        help="pairs per engine set, one after the other (the figures are their medians: "
                             "a shared machine's load swings single runs)")
    args = parser.parse_args(argv)
    work = common.workdir(args.work) / "history"
    repo = work / "repo"
    print(f"building {repo}: {args.files} files, {args.commits} commits", flush=True)
    build(repo, args.files, args.commits)
    figures: dict = {"files": args.files, "machine": common.machine(), "runs": {}}
    lines = [("repository", f"{args.files} files, {args.commits} commits")]
    for engines in args.engines:
        pairs = [pair(work / "runs" / engines.replace(",", "+"), repo, engines) for _ in range(max(1, args.repeat))]
        figures["runs"][engines] = r = median_pair(pairs)
        if len(pairs) > 1:
            lines.append((f"[{engines}] CPU ratio of each pair", ", ".join(f"{p['cpu_ratio']:.2f}x" for p in pairs)))
        lines += [(f"[{engines}] cold scan of HEAD", f"{r['cold_scan_s']:.1f} s"),
                  (f"[{engines}] history, all commits", f"{r['history_s']:.1f} s"),
                  (f"[{engines}] ratio (target <= 3x)", f"{r['ratio']:.2f}x"),
                  (f"[{engines}] CPU seconds, cold / history", f"{r['cold_scan_cpu_s']:.1f} / {r['history_cpu_s']:.1f} "
                                                               f"({r['cpu_ratio']:.2f}x)"),
                  (f"[{engines}] findings at HEAD", f"{r['findings_at_head']} (history's newest commit: "
                                                    f"{r['history_at_head']}); {r['history_findings']} over the history")]
    common.report("fairlint history vs one cold scan", lines, Path(args.json) if args.json else None, figures)


def median_pair(pairs: list[dict]) -> dict:
    """One pair's figures: the median of each timing over ``pairs`` (ratios of the medians), and
    every pair's own figures under ``pairs``."""
    import statistics

    out = dict(pairs[0])
    for key in ("cold_scan_s", "history_s", "cold_scan_cpu_s", "history_cpu_s"):
        out[key] = round(statistics.median(p[key] for p in pairs), 2)
    out["ratio"] = round(common.ratio(out["history_s"], out["cold_scan_s"]), 2)
    out["cpu_ratio"] = round(common.ratio(out["history_cpu_s"], out["cold_scan_cpu_s"]), 2)
    out["pairs"] = pairs
    return out


def cpu_timed(label: str, argv: list[str]) -> tuple[common.Timed, float]:
    """:func:`common.timed`, plus the CPU seconds (user + system) of the whole process tree:
    on a shared machine wall times swing with the other jobs' load, CPU time much less."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    timed = common.timed(label, argv)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    print(f"  {label}: {cpu:.1f} CPU s", flush=True)
    return timed, cpu


def pair(runs: Path, repo: Path, engines: str) -> dict:
    """A cold scan of HEAD and a history of every commit, each with an empty cache of its own."""
    if runs.exists():
        shutil.rmtree(runs)
    runs.mkdir(parents=True)
    fairlint = common.fairlint({})
    cold, cold_cpu = cpu_timed(f"cold scan of HEAD ({engines})", fairlint + [
        "scan", str(repo), "--engine", engines, "--cache-dir", str(runs / "cache-scan"),
        "--format", "json", "--output", str(runs / "scan.json")])
    walk, walk_cpu = cpu_timed(f"history ({engines})", fairlint + [
        "history", str(repo), "--engine", engines, "--cache-dir", str(runs / "cache-history"),
        "--state", str(runs / "state"), "--format", "json", "--output", str(runs / "history.json")])
    data = json.loads((runs / "history.json").read_text())
    head = json.loads((runs / "scan.json").read_text())
    return {"commits": len(data["commits"]), "cold_scan_s": round(cold.seconds, 2),
            "history_s": round(walk.seconds, 2), "ratio": round(common.ratio(walk.seconds, cold.seconds), 2),
            "cold_scan_cpu_s": round(cold_cpu, 2), "history_cpu_s": round(walk_cpu, 2),
            "cpu_ratio": round(common.ratio(walk_cpu, cold_cpu), 2),
            "findings_at_head": len(head["findings"]), "history_at_head": data["commits"][-1]["total"],
            "history_findings": len(data["findings"])}


if __name__ == "__main__":
    main()
