"""The study on a dask cluster of separate worker processes vs the local executor (issue 26).

    python benchmarks/bench_study_distributed.py [--repos 40] [--forks 10] [--workers 2] [--work DIR]

Generates ``--repos`` small local git repositories (served by file:// URLs; a few PyTorch and
Keras training scripts each, written here from templates, never taken from a real project),
``--forks`` of which are forks of others (the same files plus one of their own), and a manifest.
Then it times, each as a fresh ``fairlint study`` process with its own empty cache:

- the local executor (``--jobs N``);
- the dask executor against an external scheduler (``--scheduler ADDR``): a
  ``dask.distributed.LocalCluster`` of ``N`` single-threaded worker processes started here
  before the clock starts, listening on 127.0.0.1 only, its workers warmed by one import (as a
  running cluster's would be).

It prints both times, the ratio (dask / local; the target is <= 1.2) and whether both studies
wrote the same findings. A benchmark, not a test: it never fails on a slow machine.
"""

from __future__ import annotations

import argparse
import random
import shutil
import subprocess
import sys
import time
from pathlib import Path

import yaml

import common

TEMPLATES = {
    "train_{i}.py": ("import torch\nimport pandas as pd\nfrom sklearn.model_selection import train_test_split\n\n"
                     "df = pd.read_csv('{data}.csv')\ndf = df.dropna()\n"
                     "X = df[['{col}', 'income', 'score_{i}']]\ny = df['label']\n"
                     "X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.{n})\n"
                     "model = torch.nn.Linear({n}, 1)\nopt = torch.optim.Adam(model.parameters(), lr=1e-{n})\n"
                     "for epoch in range({n}0):\n    loss = ((model(torch.randn(8, {n})) - 1) ** 2).mean()\n"
                     "    loss.backward()\n    opt.step()\nprint('accuracy', (model(torch.randn(8, {n})) > 0).float().mean())\n"),
    "compress_{i}.py": ("import torch\nimport torch.nn.utils.prune as prune\n\nnet = torch.nn.Linear({n}, {n})\n"
                        "prune.l1_unstructured(net, 'weight', amount=0.{n})\n"
                        "q = torch.quantization.quantize_dynamic(net, {{torch.nn.Linear}}, dtype=torch.qint8)\n"),
    "keras_{i}.py": ("from tensorflow import keras\nimport pandas as pd\n\nframe = pd.read_csv('{data}.csv')\n"
                     "frame = frame[frame['{col}'].notna()]\n"
                     "model = keras.Sequential([keras.layers.Dense({n}, activation='relu'), keras.layers.Dense(1)])\n"
                     "model.compile(optimizer='adam', loss='mse', metrics=['accuracy'])\n"
                     "model.fit(frame.values, frame['label'], epochs={n}, validation_split=0.2)\n"),
    "utils_{i}.py": ("import numpy as np\n\n\ndef normalise(x):\n    return (x - np.mean(x)) / (np.std(x) + 1e-{n})\n\n\n"
                     "def batches(xs, size={n}):\n    for start in range(0, len(xs), size):\n"
                     "        yield xs[start:start + size]\n"),
}
COLUMNS = ("age", "gender", "zip_code", "race", "height", "pixel")
DATA = ("adult", "celeba", "mnist", "credit", "weather", "compas")


def build(work: Path, repos: int, forks: int) -> Path:
    sys.path.insert(0, str(common.REPO))
    from tests.study.study_fakes import make_repo

    rng = random.Random(26)
    entries, originals = [], []
    for r in range(repos - forks):
        files = {}
        for t, (name, text) in enumerate(TEMPLATES.items()):
            if rng.random() < 0.8 or t == 0:
                files[name.format(i=r)] = text.format(i=r, n=rng.randint(2, 9), col=rng.choice(COLUMNS),
                                                      data=rng.choice(DATA))
        url, commit = make_repo(work, f"gen/repo{r:02d}", files)
        originals.append(files)
        entries.append({"name": f"gen/repo{r:02d}", "url": url, "commit": commit})
    for f in range(forks):
        files = dict(originals[f % len(originals)])
        files[f"fork_{f}.py"] = TEMPLATES["utils_{i}.py"].format(i=f, n=f % 7 + 2)
        url, commit = make_repo(work, f"fork/repo{f:02d}", files)
        entries.append({"name": f"fork/repo{f:02d}", "url": url, "commit": commit})
    manifest = work / "manifest.yaml"
    manifest.write_text(yaml.safe_dump({"version": 1, "repos": entries}, sort_keys=False), encoding="utf-8")
    return manifest


def timed_study(manifest: Path, cache: Path, out: Path, jobs: int, *extra: str) -> float:
    argv = [common.tool("fairlint"), "study", "--manifest", str(manifest), "--cache", str(cache), "--out", str(out),
            "--jobs", str(jobs), "--no-progress", *extra]
    start = time.monotonic()
    done = subprocess.run(argv, capture_output=True, text=True, timeout=3600, env=common.proc.offline_env())
    elapsed = time.monotonic() - start
    if done.returncode != 0:
        sys.exit(f"fairlint study failed ({done.returncode}): {done.stderr[-2000:]}")
    return elapsed


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repos", type=int, default=40)
    ap.add_argument("--forks", type=int, default=10)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--work", type=Path, default=Path(common.tempfile.gettempdir()) / "fairlint-bench-dist")
    args = ap.parse_args()
    if args.work.exists():
        shutil.rmtree(args.work)
    args.work.mkdir(parents=True)
    manifest = build(args.work, args.repos, args.forks)
    print(f"corpus: {args.repos} repositories ({args.forks} forks), workers/jobs: {args.workers}")

    local = timed_study(manifest, args.work / "cache-local", args.work / "out-local", args.workers)
    print(f"local executor: {local:.1f} s")

    from distributed import Client, LocalCluster

    with LocalCluster(n_workers=args.workers, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address=None) as cluster, Client(cluster) as client:
        client.run(lambda: __import__("orchestrator.study.distributed"))  # a running cluster is warm
        dask = timed_study(manifest, args.work / "cache-dask", args.work / "out-dask", args.workers,
                           "--executor", "dask", "--scheduler", cluster.scheduler_address)
    print(f"dask executor (external scheduler, {args.workers} worker processes): {dask:.1f} s")
    print(f"ratio dask/local: {dask / local:.2f} (target <= 1.2)")

    import pandas as pd

    same = pd.read_parquet(args.work / "out-local" / "findings.parquet").equals(
        pd.read_parquet(args.work / "out-dask" / "findings.parquet"))
    print(f"same findings: {same}")


if __name__ == "__main__":
    main()
