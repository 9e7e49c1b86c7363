"""Time and peak memory of `fairlint measure` on generated tables of 1M and 10M rows.

    python benchmarks/bench_measure.py [--rows 1000000 10000000] [--formats parquet csv]
                                       [--bootstrap 200] [--keep DIR]

Each table (two facets: sex 2 values and race 4, a stratum column region with 8 values, a 0/1
label and a score) is written in 1M-row pieces, so generating it needs little memory. Each run is
`fairlint measure` in a child process: seconds and the peak resident memory of the child (sampled
every 0.2 s, common.timed), with two facets and their intersection, CDD on region for labels and
predictions, and a seeded bootstrap. The target: under 2 GB at 10M rows.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

import numpy as np
import pyarrow as pa

sys.path.insert(0, str(Path(__file__).resolve().parent))
import common  # noqa: E402

PIECE = 1_000_000
TARGET_MB = 2048


def piece(rows: int, rng: np.random.Generator) -> pa.Table:
    sex = rng.choice(np.array(["female", "male"]), rows, p=[0.45, 0.55])
    race = rng.choice(np.array(["a", "b", "c", "d"]), rows, p=[0.6, 0.2, 0.15, 0.05])
    region = rng.integers(0, 8, rows)
    base = 0.25 + 0.1 * (sex == "male") + 0.03 * region - 0.05 * (race == "d")
    label = (rng.random(rows) < base).astype(np.int8)
    score = np.clip(base + rng.normal(0, 0.2, rows) + 0.2 * label - 0.2, 0, 1).round(4)
    return pa.table({"sex": sex, "race": race, "region": np.char.add("r", region.astype(str)),
                     "label": label, "score": score})


def generate(path: Path, rows: int, fmt: str, seed: int = 0) -> None:
    import pyarrow.csv as pcsv
    import pyarrow.parquet as pq

    rng = np.random.default_rng(seed)
    writer = None
    try:
        for start in range(0, rows, PIECE):
            table = piece(min(PIECE, rows - start), rng)
            if writer is None:
                writer = (pq.ParquetWriter(path, table.schema) if fmt == "parquet"
                          else pcsv.CSVWriter(path, table.schema))
            writer.write_table(table)
    finally:
        if writer is not None:
            writer.close()


def run(path: Path, bootstrap: int) -> common.Timed:
    argv = [sys.executable, "-m", "orchestrator.cli.main", "measure", str(path), "--facet", "sex",
            "--facet", "race", "--label", "label", "--prediction", "score", "--group", "region",
            "--bootstrap", str(bootstrap), "--seed", "1", "--format", "json", "--output", str(path) + ".json"]
    return common.timed(path.name, argv, cwd=str(common.REPO))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[1_000_000, 10_000_000])
    parser.add_argument("--formats", nargs="+", choices=["parquet", "csv"], default=["parquet", "csv"])
    parser.add_argument("--bootstrap", type=int, default=200)
    parser.add_argument("--keep", type=Path, help="Write the tables here and keep them (default: a temporary folder).")
    args = parser.parse_args(argv)
    folder = args.keep or Path(tempfile.mkdtemp(prefix="bench-measure-"))
    folder.mkdir(parents=True, exist_ok=True)
    print(f"machine: {common.machine()}")
    print(f"{'rows':>11}  {'format':8} {'file MB':>8} {'seconds':>8} {'peak MB':>8}")
    worst = 0.0
    for rows in args.rows:
        for fmt in args.formats:
            path = folder / f"outcomes-{rows}.{fmt}"
            if not path.exists():
                generate(path, rows, fmt)
            timed = run(path, args.bootstrap)
            if timed.returncode:
                print(f"{path.name}: fairlint measure exited {timed.returncode}", file=sys.stderr)
                return 1
            size = path.stat().st_size / 2**20
            print(f"{rows:>11,}  {fmt:8} {size:8.0f} {timed.seconds:8.1f} {timed.peak_rss_mb:8.0f}")
            if rows >= 10_000_000:
                worst = max(worst, timed.peak_rss_mb)
            if not args.keep:
                path.unlink()
    if worst:
        print(f"peak at 10M rows: {worst:.0f} MB ({'under' if worst < TARGET_MB else 'OVER'} the {TARGET_MB} MB target)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
