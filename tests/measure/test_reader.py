"""Chunked reading: counts per cell, never the whole table; CSV and Parquet agree."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from orchestrator.measure import MeasureConfig, measure
from orchestrator.measure import reader
from orchestrator.measure.reader import N, read_counts

sys.path.insert(0, str(Path(__file__).parent))
from measure_data import synthetic  # noqa: E402

CONFIG = MeasureConfig(facets=("sex", "race"), label="label", prediction="score", groups=("region",),
                       chunk_rows=2_000)


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("reader")
    table = synthetic(60_000, seed=7)
    table.to_csv(folder / "t.csv", index=False)
    table.to_parquet(folder / "t.parquet", row_group_size=5_000)
    return table, folder


def test_only_chunks_and_cells_are_held(files, monkeypatch):
    table, folder = files
    seen, parts = [], []
    add = reader._Counter.add

    def spy(self, batch):
        seen.append(batch.num_rows)
        add(self, batch)
        parts.append(len(self.parts))

    monkeypatch.setattr(reader._Counter, "add", spy)
    counts = read_counts(folder / "t.parquet", CONFIG)
    assert len(seen) == 30 and max(seen) == 2_000  # 60k rows as 30 batches of 2k
    assert max(parts) < reader._MERGE_EVERY  # partial counts are merged as they come
    # 2 sexes x 3 races x 4 regions x label x prediction: at most 96 cells for 60k rows.
    assert len(counts.cells) <= 96 and counts.cells[N].sum() == len(table)
    seen.clear()
    read_counts(folder / "t.csv", CONFIG)
    assert len(seen) > 10 and max(seen) < 10_000


def test_csv_parquet_and_frame_give_one_result(files):
    table, folder = files
    results = [measure(source, CONFIG).to_dict() for source in (folder / "t.csv", folder / "t.parquet", table)]
    for r in results:
        r.pop("source")
    assert results[0] == results[1] == results[2]


def test_numeric_and_categorical_facets_with_nan_in_parquet(tmp_path):
    frame = pd.DataFrame({"age": pd.Series([30.0, np.nan, 40.0, 30.0], dtype="float64"),
                          "sex": pd.Categorical(["F", "M", "F", "M"]), "y": [True, False, True, False]})
    frame.to_parquet(tmp_path / "t.parquet")
    counts = read_counts(tmp_path / "t.parquet", MeasureConfig(facets=("age", "sex"), label="y", facet_nan="group"))
    assert sorted(counts.cells["age"].unique()) == ["(missing)", "30", "40"]
    assert counts.positive == "true" and counts.rows_used == 4


def test_missing_labels_and_predictions_are_dropped_and_counted(tmp_path):
    (tmp_path / "t.csv").write_text("sex,y,p\nF,1,0.2\nM,,0.4\nF,0,\nM,1,NA\nF,1,1\n")
    counts = read_counts(tmp_path / "t.csv", MeasureConfig(facets=("sex",), label="y", prediction="p"))
    assert counts.rows_read == 5 and counts.rows_used == 2
    assert counts.dropped == {"missing label": 1, "missing prediction": 2}


def test_semicolon_separated_and_gzipped_csv(tmp_path):
    import gzip

    with gzip.open(tmp_path / "t.csv.gz", "wt") as handle:
        handle.write("sex;y\nF;yes\nM;no\nM;yes\n")
    counts = read_counts(tmp_path / "t.csv.gz", MeasureConfig(facets=("sex",), label="y"))
    assert counts.positive == "yes" and counts.rows_used == 3


@pytest.mark.parametrize("values, positive, expected", [
    ({"0", "1"}, None, "1"), ({"0.0", "1.0"}, None, "1.0"), ({"True", "False"}, None, "True"),
    ({"no", "yes"}, None, "yes"), ({"a", "b", "c"}, "b", "b"), ({"1", "2", "3"}, "3.0", "3.0")])
def test_favourable_label(values, positive, expected):
    assert reader.resolve_positive(values, "y", positive) == expected
