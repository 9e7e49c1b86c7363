"""CSV output: documented, stable columns; one row per finding; readable by pandas."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).parent))
import scan_factories as sf  # noqa: E402

from orchestrator.formats import csv as csv_format  # noqa: E402
from orchestrator.formats import get_formatter  # noqa: E402


def read(result):
    return pd.read_csv(io.StringIO(get_formatter("csv").render(result)), keep_default_na=False)


def test_columns_are_the_documented_stable_order():
    frame = read(sf.sample_result())
    assert tuple(frame.columns) == csv_format.COLUMNS
    documented = " ".join(csv_format.__doc__.split())
    assert ", ".join(csv_format.COLUMNS) in documented


def test_one_row_per_finding_in_result_order():
    result = sf.sample_result()
    frame = read(result)
    assert list(frame["fingerprint"].astype(str)) == [f.fingerprint for f in result.findings]
    assert list(frame["severity"]) == [f.severity.value for f in result.findings]


def test_values():
    frame = read(sf.sample_result()).set_index("rule_id")
    dropna = frame.loc["missing-rows-dropped"]
    assert dropna["occurrences"] == 2 and dropna["cell_index"] == "" and dropna["start_line"] == 5
    assert dropna["score_factors"] == "likelihood-x-impact=+4.5; confidence=+0.5; people-data=+0.5"
    notebook = frame.loc["model-pruning"]
    assert (notebook["cell_index"], notebook["cell_line"]) == ("1", "3")
    flow = frame.loc["protected-attribute-as-feature"]
    assert flow["found_by"] == "semgrep:protected-attribute-as-feature; codeql:py/fairlint/protected-feature"
    repo = frame.loc["aggregate-only-evaluation"]
    assert bool(repo["repository_level"]) and "people-data src/prep.py:4" in repo["evidence"]


def test_empty_result_has_the_header_only():
    text = get_formatter("csv").render(sf.empty_result())
    assert text == ",".join(csv_format.COLUMNS) + "\n"


def test_docs_list_the_columns(repo_root):
    docs = " ".join((repo_root / "docs" / "formats.md").read_text(encoding="utf-8").split())
    assert ", ".join(csv_format.COLUMNS) in docs
