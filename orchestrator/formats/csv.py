"""CSV: one row per finding, for spreadsheets and pandas.

Columns, in this order (stable; new columns are only ever appended):

``severity, score, bias_pattern, pattern_name, stage, rule_id, path, start_line, end_line,
start_col, end_col, cell_index, cell_line, message, confidence, repository_level,
occurrences, found_by, fingerprint, score_factors, evidence, references``

Lists are joined with ``"; "``; ``occurrences`` counts the places the finding stands;
``score_factors`` reads ``name=+value``; ``cell_*`` are empty outside notebooks. Text cells are
escaped (:func:`orchestrator.escape.csv_cell`): control and bidirectional characters shown as
``\\x1b``/``\\u202e``, and a cell starting with ``= + - @`` TAB or CR prefixed with ``'``.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from orchestrator.escape import csv_cell
from orchestrator.formats.interface import Formatter
from orchestrator.model import Finding, ScanResult

COLUMNS = ("severity", "score", "bias_pattern", "pattern_name", "stage", "rule_id", "path",
           "start_line", "end_line", "start_col", "end_col", "cell_index", "cell_line", "message",
           "confidence", "repository_level", "occurrences", "found_by", "fingerprint",
           "score_factors", "evidence", "references")


def row(f: Finding) -> dict[str, Any]:
    """One finding's cells, each escaped (control and bidi characters, formula prefixes)."""
    return {key: csv_cell(value) for key, value in _raw_row(f).items()}


def _raw_row(f: Finding) -> dict[str, Any]:
    return {
        "severity": f.severity.value, "score": f.score, "bias_pattern": f.bias_pattern,
        "pattern_name": f.pattern_name, "stage": f.stage, "rule_id": f.rule_id, "path": f.path,
        "start_line": f.start_line, "end_line": f.end_line, "start_col": f.start_col,
        "end_col": f.end_col, "cell_index": f.cell.index if f.cell else None,
        "cell_line": f.cell.line if f.cell else None, "message": " ".join(f.message.split()),
        "confidence": f.confidence, "repository_level": f.repository_level,
        "occurrences": len(f.occurrences), "found_by": "; ".join(f.found_by),
        "fingerprint": f.fingerprint,
        "score_factors": "; ".join(f"{x.name}={x.value:+g}" for x in f.score_factors),
        "evidence": "; ".join(f.evidence), "references": "; ".join(f.references),
    }


class CsvFormatter(Formatter):
    name = "csv"
    extension = "csv"

    def render(self, result: ScanResult) -> str:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(COLUMNS)
        for f in result.findings:
            values = row(f)
            writer.writerow(["" if values[c] is None else values[c] for c in COLUMNS])
        return out.getvalue()
