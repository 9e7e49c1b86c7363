"""Corpus benchmark: copies cost their unique bytes (target 4), dask scales (target 6).

    python benchmarks/bench_corpus.py [--work DIR] [--repos N] [--files-per-repo N]

Builds, from PyTorch's own Python sources, ``N`` local git repositories of equal size (served by
file:// URLs, as a study fetches them) and one fork of each (a full copy with one file
edited), so that half of the forked corpus's files are copies. Then it times, each with an
empty result cache:

- ``fairlint study`` (local executor, one repository at a time) over the unique repositories
  and over the corpus with forks: the second should cost about its unique bytes, not its total;
- ``fairlint scan`` of a folder holding every repository and fork (one process, copies
  scanned once);
- ``fairlint study --executor dask`` over the unique repositories with 1 worker and with 2.

A benchmark, not a test: it prints figures and never fails on a slow machine.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

import common

GIT_ENV = {"GIT_AUTHOR_NAME": "bench", "GIT_AUTHOR_EMAIL": "bench@example.org",
           "GIT_COMMITTER_NAME": "bench", "GIT_COMMITTER_EMAIL": "bench@example.org",
           "GIT_CONFIG_GLOBAL": os.devnull, "GIT_AUTHOR_DATE": "2024-01-01T00:00:00Z",
           "GIT_COMMITTER_DATE": "2024-01-01T00:00:00Z"}


def git(args: list[str], cwd: Path) -> str:
    done = subprocess.run(["git", *args], cwd=cwd, env={**os.environ, **GIT_ENV}, check=True,
                          capture_output=True, timeout=600)
    return done.stdout.decode().strip()


def balanced_groups(files: list[Path], groups: int, per_group: int) -> list[list[Path]]:
    """``groups`` disjoint sets of ``per_group`` files with (nearly) equal total bytes."""
    by_size = sorted(files, key=lambda p: p.stat().st_size)
    start = max(0, len(by_size) // 2 - groups * per_group // 2)  # typical files around the median
    chosen = sorted(by_size[start:start + groups * per_group], key=lambda p: -p.stat().st_size)
    out: list[list[Path]] = [[] for _ in range(groups)]
    sizes = [0] * groups
    for p in chosen:  # largest first, into the lightest group that still has room
        i = min((i for i in range(groups) if len(out[i]) < per_group), key=lambda i: sizes[i])
        out[i].append(p)
        sizes[i] += p.stat().st_size
    return out


def make_repo(base: Path, name: str, src: Path, files: list[Path], edit: str | None = None) -> tuple[str, str]:
    """A bare repository holding ``files`` (paths kept relative to ``src``); (file:// URL, commit)."""
    work = base / "work" / name
    shutil.rmtree(work, ignore_errors=True)
    for p in files:
        dest = work / p.relative_to(src)
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(p, dest)
    if edit:
        first = work / files[0].relative_to(src)
        first.write_text(first.read_text(encoding="utf-8", errors="replace") + f"\n# {edit}\n", encoding="utf-8")
    git(["init", "-q", "-b", "main"], work)
    git(["add", "-A"], work)
    git(["commit", "-q", "-m", "snapshot"], work)
    commit = git(["rev-parse", "HEAD"], work)
    bare = base / "bare" / f"{name}.git"
    shutil.rmtree(bare, ignore_errors=True)
    bare.parent.mkdir(parents=True, exist_ok=True)
    git(["clone", "-q", "--bare", str(work), str(bare)], base)
    return bare.resolve().as_uri(), commit


def manifest(path: Path, repos: list[tuple[str, str, str]]) -> Path:
    entries = [{"name": f"bench/{name}", "url": url, "commit": commit, "frameworks": ["pytorch"],
                "domain": "benchmark", "people_data": False, "license": "BSD-3-Clause",
                "why": "benchmark corpus made from PyTorch sources"} for name, url, commit in repos]
    path.write_text(yaml.safe_dump({"version": 1, "repos": entries}, sort_keys=False))
    return path


def study(env: dict[str, str], label: str, man: Path, cache: Path, out: Path, executor: str,
          jobs: int) -> common.Timed:
    """One study run with an empty scan cache (the checkouts are fetched beforehand)."""
    shutil.rmtree(cache / "scan-cache", ignore_errors=True)
    shutil.rmtree(out, ignore_errors=True)
    return common.timed(label, [*common.fairlint(env), "study", "--manifest", str(man), "--cache", str(cache),
                                "--out", str(out), "--executor", executor, "--jobs", str(jobs), "--no-progress"],
                        env=env)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--work", help="Working folder (default: $TMPDIR/fairlint-bench).")
    ap.add_argument("--repos", type=int, default=4, help="Unique repositories (each gets a fork).")
    ap.add_argument("--files-per-repo", type=int, default=80)
    ap.add_argument("--json", dest="json_out", help="Also write the figures to this JSON file.")
    args = ap.parse_args(argv)

    work = common.workdir(args.work)
    src = common.torch_sources(work)
    base = work / "corpus"
    shutil.rmtree(base, ignore_errors=True)
    env = common.snapshot(base)
    groups = balanced_groups(common.python_files(src), args.repos, args.files_per_repo)
    uniques, forks = [], []
    for i, files in enumerate(groups):
        uniques.append((f"repo{i}", *make_repo(base, f"repo{i}", src, files)))
        forks.append((f"repo{i}-fork", *make_repo(base, f"repo{i}-fork", src, files, edit=f"fork {i}")))
    sizes = [common.total_bytes(g) for g in groups]
    unique_man = manifest(base / "unique.yaml", uniques)
    forked_man = manifest(base / "forked.yaml", uniques + forks)  # forks after their originals
    checkouts = base / "checkouts"
    fetch = [*common.fairlint(env), "corpus", "fetch", "--manifest", str(forked_man), "--cache", str(checkouts),
             "--no-progress"]
    common.timed("fetch (not part of any ratio)", fetch, env=env)
    print(f"{args.repos} repositories of {args.files_per_repo} files, "
          f"{min(sizes) / 1e6:.2f}-{max(sizes) / 1e6:.2f} MB each, and a fork of each", flush=True)

    t = {}
    t["unique"] = study(env, "study, unique repositories (local, 1 at a time)", unique_man, checkouts,
                        base / "out-unique", "local", 1)
    t["forked"] = study(env, "study, with forks (local, 1 at a time)", forked_man, checkouts,
                        base / "out-forked", "local", 1)
    folder = base / "all"
    shutil.rmtree(folder, ignore_errors=True)
    shutil.copytree(checkouts, folder, ignore=shutil.ignore_patterns(".git", "scan-cache", "tmp", "*.json"))
    t["folder"] = common.timed("fairlint scan of every repository and fork in one folder",
                               [*common.fairlint(env), "scan", str(folder), "--format", "json",
                                "--output", str(base / "all.json"), "--no-cache"], env=env)
    t["dask1"] = study(env, "study --executor dask, 1 worker", unique_man, checkouts, base / "out-dask1", "dask", 1)
    t["dask2"] = study(env, "study --executor dask, 2 workers", unique_man, checkouts, base / "out-dask2", "dask", 2)

    total_forked = 2 * sum(sizes)
    unique_forked = sum(sizes) + args.repos * 20  # each fork adds one edited file's few bytes
    r4 = common.ratio(t["forked"].seconds, t["unique"].seconds)
    r6 = common.ratio(t["dask1"].seconds, t["dask2"].seconds)
    lines = list(common.machine().items())
    lines += [(x.label, f"{x.seconds:.1f} s, peak {x.peak_rss_mb:.0f} MB") for x in t.values()]
    lines += [
        ("4 forked / unique corpus time", f"{r4:.2f}x (total bytes {common.ratio(total_forked, sum(sizes)):.2f}x, "
                                          f"unique bytes ~{common.ratio(unique_forked, sum(sizes)):.2f}x)"),
        ("6 dask 2 workers speed-up", f"{r6:.2f}x (target >= 1.8x)"),
    ]
    data = {"machine": common.machine(), "repos": args.repos, "files_per_repo": args.files_per_repo,
            "repo_bytes": sizes, "runs": {k: vars(v) for k, v in t.items()},
            "ratios": {"4_forked_vs_unique": r4, "6_dask2_speedup": r6}}
    common.report("fairlint corpus benchmark (PyTorch sources, forks)", lines,
                  Path(args.json_out) if args.json_out else None, data)


if __name__ == "__main__":
    sys.exit(main())
