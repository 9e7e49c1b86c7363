"""Read an outcomes table in chunks into counts per (facet..., stratum..., label, prediction) cell.

Only the counts are kept: each chunk (a CSV block or a Parquet row batch of about
``MeasureConfig.chunk_rows`` rows) is grouped with Arrow's hash aggregation and merged into
the running table of counts, so a 10-million-row file needs memory for one chunk plus the
cells, never for the whole table. Every metric and every bootstrap resample is computed from
the cells. The cells come out sorted by their keys, so the result (and a seeded bootstrap)
does not depend on the chunk size.
"""

from __future__ import annotations

import codecs
import difflib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from orchestrator.measure.config import MISSING, MeasureConfig, MeasureError

Y, YHAT, N = "__y", "__yhat", "__n"
_MERGE_EVERY = 16
_TRUE = {"true", "yes"}
_FALSE = {"false", "no"}


@dataclass(frozen=True)
class Counts:
    """The cells: one row per key combination present, with the number of rows in it."""

    cells: pd.DataFrame  # facet and group columns (str), Y (bool), YHAT (bool, optional), N (int)
    source: str
    rows_read: int
    dropped: dict[str, int]
    positive: str
    label_values: tuple[str, ...]

    @property
    def rows_used(self) -> int:
        return int(self.cells[N].sum())


# --------------------------------------------------------------------------- sources

def _suggest(name: str, names: list[str]) -> str:
    close = difflib.get_close_matches(name, names, n=3, cutoff=0.5)
    if close:
        return "; did you mean " + " or ".join(repr(c) for c in close) + "?"
    return f"; columns: {', '.join(names[:12])}{', ...' if len(names) > 12 else ''}"


def _check_columns(wanted: list[str], names: list[str], source: str) -> None:
    for column in wanted:
        if column not in names:
            raise MeasureError(f"no column {column!r} in {source}{_suggest(column, names)}")


def _sniff(path: Path) -> str:
    """``"parquet"`` or ``"csv"``, from the file's bytes and name; anything else is refused."""
    if not path.exists():
        raise MeasureError(f"{path}: no such file")
    if path.is_dir():
        raise MeasureError(f"{path}: is a directory, not a CSV or Parquet file")
    with path.open("rb") as handle:
        head = handle.read(65536)
    name = path.name.lower()
    if head[:4] == b"PAR1":
        return "parquet"
    if head[:2] == b"\x1f\x8b" and re.search(r"\.(csv|tsv|txt)\.gz$", name):
        return "csv"
    if name.endswith((".parquet", ".pq")):
        raise MeasureError(f"{path}: not a Parquet file (no PAR1 header)")
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
        text = b"\0" not in head
    except UnicodeDecodeError:
        text = False
    if not text or path.suffix.lower() not in ("", ".csv", ".tsv", ".txt"):
        raise MeasureError(f"{path}: not a CSV or Parquet file")
    if not head.strip():
        raise MeasureError(f"{path}: empty file")
    return "csv"


def _delimiter(path: Path) -> str:
    import gzip

    opener = gzip.open if path.name.lower().endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8", errors="replace") as handle:
        first = handle.readline()
    counts = {sep: first.count(sep) for sep in (",", "\t", ";", "|")}
    return max(counts, key=counts.get) if max(counts.values()) else ","


def _csv_batches(path: Path, columns: list[str], config: MeasureConfig) -> Iterator[pa.RecordBatch]:
    import pyarrow.csv as pcsv

    parse = pcsv.ParseOptions(delimiter=_delimiter(path))
    block = max(1 << 16, min(config.chunk_rows * 32, 1 << 26))  # about chunk_rows rows of ~32 bytes
    try:
        names = pcsv.open_csv(path, read_options=pcsv.ReadOptions(block_size=1 << 16),
                              parse_options=parse).schema.names
    except (pa.ArrowInvalid, OSError) as exc:
        raise MeasureError(f"{path}: not a readable CSV file ({str(exc).splitlines()[0]})") from None
    _check_columns(columns, names, str(path))
    convert = pcsv.ConvertOptions(include_columns=columns, strings_can_be_null=True,
                                  column_types={c: pa.string() for c in columns})
    reader = pcsv.open_csv(path, read_options=pcsv.ReadOptions(block_size=block),
                           parse_options=parse, convert_options=convert)
    while True:
        try:
            batch = reader.read_next_batch()
        except StopIteration:
            return
        except pa.ArrowInvalid as exc:
            raise MeasureError(f"{path}: not a readable CSV file ({str(exc).splitlines()[0]})") from None
        yield batch


def _parquet_batches(path: Path, columns: list[str], config: MeasureConfig) -> Iterator[pa.RecordBatch]:
    import pyarrow.parquet as pq

    try:
        handle = pq.ParquetFile(path)
    except (pa.ArrowInvalid, OSError) as exc:
        raise MeasureError(f"{path}: not a readable Parquet file ({str(exc).splitlines()[0]})") from None
    _check_columns(columns, handle.schema_arrow.names, str(path))
    yield from handle.iter_batches(batch_size=config.chunk_rows, columns=columns)


def _frame_batches(frame, columns: list[str], config: MeasureConfig) -> Iterator[pa.RecordBatch]:
    names = [str(c) for c in frame.columns]
    _check_columns(columns, names, "the table")
    if isinstance(frame, pa.Table):
        table = frame.select(columns)
    else:
        table = pa.Table.from_pandas(frame[columns], preserve_index=False)
    yield from table.to_batches(max_chunksize=config.chunk_rows)


def batches(source, columns: list[str], config: MeasureConfig) -> tuple[str, Iterator[pa.RecordBatch]]:
    """The source's name and its record batches (only ``columns``), checked for missing columns."""
    if isinstance(source, (pd.DataFrame, pa.Table)):
        return "the table", _frame_batches(source, columns, config)
    path = Path(source)
    kind = _sniff(path)
    read = _parquet_batches if kind == "parquet" else _csv_batches
    return str(path), read(path, columns, config)


# --------------------------------------------------------------------------- columns

def _as_key(array) -> pa.Array:
    """A column as strings with nulls for missing values (float NaN included)."""
    if isinstance(array, pa.ChunkedArray):
        array = array.combine_chunks()
    if pa.types.is_dictionary(array.type):
        array = array.dictionary_decode()
    if pa.types.is_floating(array.type):
        array = pc.if_else(pc.is_nan(array), pa.scalar(None, array.type), array)
    if not pa.types.is_string(array.type):
        array = pc.cast(array, pa.string())
    return pc.utf8_trim_whitespace(array)


def _as_score(array, column: str) -> pa.Array:
    """A prediction column as float64 in [0, 1] with nulls for missing values."""
    if isinstance(array, pa.ChunkedArray):
        array = array.combine_chunks()
    if pa.types.is_dictionary(array.type):
        array = array.dictionary_decode()
    kind = array.type
    if pa.types.is_string(kind) or pa.types.is_large_string(kind):
        try:
            array = pc.cast(pc.utf8_trim_whitespace(array), pa.float64())
        except pa.ArrowInvalid as exc:
            match = re.search(r"string: '([^']*)'", str(exc))
            value = f": {match.group(1)!r} is not a number" if match else ""
            raise MeasureError(f"prediction column {column!r} is not numeric{value}; "
                               f"give 0/1 decisions or scores in [0, 1]") from None
    elif pa.types.is_integer(kind) or pa.types.is_floating(kind) or pa.types.is_boolean(kind):
        array = pc.cast(array, pa.float64())
    else:
        raise MeasureError(f"prediction column {column!r} is not numeric ({kind}); "
                           f"give 0/1 decisions or scores in [0, 1]")
    array = pc.if_else(pc.is_nan(array), pa.scalar(None, pa.float64()), array)
    low, high = pc.min_max(array).values()
    for bound in (low.as_py(), high.as_py()):
        if bound is not None and not 0.0 <= bound <= 1.0:
            raise MeasureError(f"prediction column {column!r} has values outside [0, 1] (such as {bound:g}); "
                               f"give 0/1 decisions or scores in [0, 1]")
    return array


def label_matches(value: str, positive: str) -> bool:
    """Whether a label value is the favourable one: same text, same number or same truth value."""
    if value == positive:
        return True
    if value.lower() in _TRUE | _FALSE and positive.lower() in _TRUE | _FALSE:
        return (value.lower() in _TRUE) == (positive.lower() in _TRUE)
    try:
        return float(value) == float(positive)
    except ValueError:
        return False


def resolve_positive(values: set[str], label: str, positive: str | None) -> str:
    """The favourable label value: ``positive`` when given, else 1 or true for a 0/1 or boolean label."""
    shown = ", ".join(repr(v) for v in sorted(values)[:6]) + (", ..." if len(values) > 6 else "")
    if positive is not None:
        if not any(label_matches(v, positive) for v in values):
            raise MeasureError(f"--positive {positive!r} is not a value of label {label!r} (values: {shown})")
        return positive
    if len(values) > 2:
        raise MeasureError(f"label {label!r} has more than two values ({shown}); "
                           f"say which is the favourable outcome with --positive VALUE")
    lowered = {v.lower() for v in values}
    if lowered <= _TRUE | _FALSE and len(lowered & _TRUE) <= 1:
        return next((v for v in values if v.lower() in _TRUE), "true")
    try:
        numbers = {float(v) for v in values}
    except ValueError:
        numbers = set()
    if numbers and numbers <= {0.0, 1.0}:
        return next((v for v in values if float(v) == 1.0), "1")
    raise MeasureError(f"label {label!r} has the values {shown}; "
                       f"say which is the favourable outcome with --positive VALUE")


# --------------------------------------------------------------------------- counting

class _Counter:
    """Turns record batches into merged cell counts, keeping tallies of what it dropped."""

    def __init__(self, config: MeasureConfig) -> None:
        self.config = config
        self.facets = list(config.facet_columns)
        self.keys = self.facets + list(config.groups) + [Y] + ([YHAT] if config.prediction else [])
        self.parts: list[pa.Table] = []
        self.rows_read = 0
        self.dropped: dict[str, int] = {}
        self.facet_missing: dict[str, int] = {}
        self.labels: set[str] = set()

    def _drop(self, reason: str, count: int) -> None:
        if count:
            self.dropped[reason] = self.dropped.get(reason, 0) + count

    def add(self, batch: pa.RecordBatch) -> None:
        config = self.config
        self.rows_read += batch.num_rows
        columns: dict[str, pa.Array] = {}
        keep = pa.array(np.ones(batch.num_rows, dtype=bool))
        for facet in self.facets:
            values = _as_key(batch.column(facet))
            missing = values.null_count
            if missing and config.facet_nan == "drop":
                keep = pc.and_(keep, pc.is_valid(values))
            elif missing and config.facet_nan == "error":
                self.facet_missing[facet] = self.facet_missing.get(facet, 0) + missing
            columns[facet] = values.fill_null(MISSING) if config.facet_nan == "group" else values
        for group in config.groups:
            columns[group] = _as_key(batch.column(group)).fill_null(MISSING)
        label = _as_key(batch.column(config.label))
        label_ok = pc.is_valid(label)
        if config.prediction:
            score = _as_score(batch.column(config.prediction), config.prediction)
            prediction_ok = pc.is_valid(score)
            columns[YHAT] = pc.greater_equal(score.fill_null(0.0), config.threshold)
        else:
            prediction_ok = keep
        facet_ok = keep
        self._drop("missing facet value", batch.num_rows - pc.sum(facet_ok).as_py() if batch.num_rows else 0)
        self._drop("missing label", pc.sum(pc.and_(facet_ok, pc.invert(label_ok))).as_py() or 0)
        self._drop("missing prediction",
                   pc.sum(pc.and_(pc.and_(facet_ok, label_ok), pc.invert(prediction_ok))).as_py() or 0)
        keep = pc.and_(pc.and_(facet_ok, label_ok), prediction_ok)
        self.labels.update(v for v in pc.unique(label.filter(label_ok)).to_pylist())
        if config.positive is not None:
            favourable = [v for v in pc.unique(label.filter(label_ok)).to_pylist()
                          if label_matches(v, config.positive)]
            columns[Y] = pc.is_in(label, value_set=pa.array(favourable, pa.string())).fill_null(False)
        else:
            if len(self.labels) > 2:
                resolve_positive(self.labels, config.label, None)  # raises: too many values
            columns[Y] = label
        table = pa.table({k: columns[k] for k in self.keys}).filter(keep)
        self.parts.append(table.group_by(self.keys, use_threads=False).aggregate([([], "count_all")])
                          .rename_columns(self.keys + [N]))
        if len(self.parts) >= _MERGE_EVERY:
            self.parts = [self._merge()]

    def _merge(self) -> pa.Table:
        merged = pa.concat_tables(self.parts).group_by(self.keys, use_threads=False).aggregate([(N, "sum")])
        return merged.rename_columns(self.keys + [N])

    def finish(self, source: str) -> Counts:
        config = self.config
        for facet, missing in self.facet_missing.items():
            raise MeasureError(f"facet {facet!r} has {missing} missing values: keep them as a group of their own "
                               f"(--facet-nan group) or drop them (--facet-nan drop)")
        if not self.labels:
            raise MeasureError(f"no rows to measure in {source}" + _dropped_words(self.dropped))
        positive = resolve_positive(self.labels, config.label, config.positive)
        cells = self._merge().to_pandas()
        if config.positive is None:
            cells[Y] = [label_matches(v, positive) for v in cells[Y]]
            cells = cells.groupby(self.keys, sort=False, dropna=False, as_index=False)[N].sum()
        cells[N] = cells[N].astype("int64")
        cells = cells.sort_values(self.keys, kind="stable").reset_index(drop=True)
        if cells.empty or not cells[N].sum():
            raise MeasureError(f"no rows to measure in {source}" + _dropped_words(self.dropped))
        return Counts(cells=cells, source=source, rows_read=self.rows_read, dropped=dict(self.dropped),
                      positive=positive, label_values=tuple(sorted(self.labels)))


def _dropped_words(dropped: dict[str, int]) -> str:
    return f" ({', '.join(f'{n} dropped: {why}' for why, n in dropped.items())})" if dropped else ""


def read_counts(source, config: MeasureConfig) -> Counts:
    """Count the rows of ``source`` (a CSV or Parquet path, a DataFrame or an Arrow table) per cell."""
    facets = list(config.facet_columns)
    for column in config.groups:
        if column in facets:
            raise MeasureError(f"{column!r} is both a facet and a --group column")
    for role, column in (("label", config.label), ("prediction", config.prediction)):
        if column is not None and (column in facets or column in config.groups):
            raise MeasureError(f"the {role} column {column!r} is also a facet or --group column")
    columns = list(dict.fromkeys(facets + list(config.groups) + [config.label]
                                 + ([config.prediction] if config.prediction else [])))
    name, stream = batches(source, columns, config)
    counter = _Counter(config)
    for batch in stream:
        counter.add(batch)
    return counter.finish(name)
