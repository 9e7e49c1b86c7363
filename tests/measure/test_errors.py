"""Every bad input listed in issue 23 gives one line on stderr, `fairlint: error: ...`, and exit 2."""

from __future__ import annotations

import re

import pandas as pd
import pytest


def _table(tmp_path, name="data.csv", **columns) -> str:
    frame = pd.DataFrame(columns or {"sex": ["F", "M", "F", "M"], "dept": ["A", "A", "B", "B"],
                                     "admitted": [1, 0, 1, 1], "score": [0.2, 0.9, 0.5, 1.0]})
    path = tmp_path / name
    if name.endswith(".parquet"):
        frame.to_parquet(path)
    else:
        frame.to_csv(path, index=False)
    return str(path)


def _error(result) -> str:
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("fairlint: error: ")
    assert result.stdout == ""
    return lines[0]


@pytest.mark.parametrize("option, wrong, suggestion", [
    ("--facet", "sx", "'sex'"), ("--label", "admited", "'admitted'"), ("--group", "depts", "'dept'"),
    ("--prediction", "scores", "'score'")])
def test_misspelled_column_suggests_the_nearest(run_measure, tmp_path, option, wrong, suggestion):
    args = {"--facet": "sex", "--label": "admitted"}
    args[option] = wrong
    flat = [x for pair in args.items() for x in pair]
    line = _error(run_measure(_table(tmp_path), *flat))
    assert f"no column '{wrong}'" in line and f"did you mean {suggestion}?" in line


def test_unrelated_column_name_lists_the_columns(run_measure, tmp_path):
    line = _error(run_measure(_table(tmp_path), "--facet", "zzz", "--label", "admitted"))
    assert "no column 'zzz'" in line and "columns: sex, dept, admitted, score" in line


def test_label_with_three_values_needs_positive(run_measure, tmp_path):
    path = _table(tmp_path, sex=["F", "M", "F"], grade=["a", "b", "c"])
    line = _error(run_measure(path, "--facet", "sex", "--label", "grade"))
    assert "label 'grade' has more than two values ('a', 'b', 'c')" in line and "--positive" in line
    ok = run_measure(path, "--facet", "sex", "--label", "grade", "--positive", "a", "--min-group-size", "1")
    assert ok.exit_code == 0, ok.output


def test_two_text_values_need_positive_too(run_measure, tmp_path):
    path = _table(tmp_path, sex=["F", "M"], outcome=["hired", "rejected"])
    assert "say which is the favourable outcome" in _error(run_measure(path, "--facet", "sex", "--label", "outcome"))


def test_positive_that_is_not_a_label_value(run_measure, tmp_path):
    line = _error(run_measure(_table(tmp_path), "--facet", "sex", "--label", "admitted", "--positive", "yes"))
    assert "--positive 'yes' is not a value of label 'admitted' (values: '0', '1')" in line


def test_empty_facet_group(run_measure, tmp_path):
    line = _error(run_measure(_table(tmp_path), "--facet", "sex=X", "--label", "admitted"))
    assert "empty facet group: no rows with sex = 'X' (values: 'F', 'M')" in line


def test_facet_with_one_value_has_no_group_to_compare_with(run_measure, tmp_path):
    path = _table(tmp_path, sex=["F", "F"], admitted=[0, 1])
    assert "facet 'sex' has only one value ('F')" in _error(run_measure(path, "--facet", "sex", "--label", "admitted"))


def test_missing_facet_values_need_a_choice(run_measure, tmp_path):
    path = _table(tmp_path, sex=["F", None, "M", None, "M"], admitted=[1, 0, 1, 1, 0])
    line = _error(run_measure(path, "--facet", "sex", "--label", "admitted"))
    assert "facet 'sex' has 2 missing values" in line and "--facet-nan group" in line and "--facet-nan drop" in line


def test_missing_facet_values_as_a_group_or_dropped_with_a_count(run_measure, tmp_path):
    import json

    path = _table(tmp_path, sex=["F", None, "M", None, "M"], admitted=[1, 0, 1, 1, 0])
    common = ["--facet", "sex", "--label", "admitted", "--min-group-size", "1", "--format", "json"]
    grouped = json.loads(run_measure(path, *common, "--facet-nan", "group").stdout)
    assert [r["value"] for r in grouped["group_tables"][0]["rows"]] == ["F", "M", "(missing)"]
    assert grouped["rows_used"] == 5 and grouped["dropped"] == {}
    dropped = json.loads(run_measure(path, *common, "--facet-nan", "drop").stdout)
    assert dropped["rows_used"] == 3 and dropped["dropped"] == {"missing facet value": 2}


def test_non_numeric_prediction(run_measure, tmp_path):
    path = _table(tmp_path, sex=["F", "M"], admitted=[1, 0], decision=["yes", "no"])
    line = _error(run_measure(path, "--facet", "sex", "--label", "admitted", "--prediction", "decision"))
    assert re.search(r"prediction column 'decision' is not numeric: '(yes|no)' is not a number", line)


def test_prediction_outside_the_unit_interval(run_measure, tmp_path):
    path = _table(tmp_path, sex=["F", "M"], admitted=[1, 0], decision=[0, 3])
    line = _error(run_measure(path, "--facet", "sex", "--label", "admitted", "--prediction", "decision"))
    assert "has values outside [0, 1] (such as 3)" in line


def test_parquet_prediction_of_text_type(run_measure, tmp_path):
    path = _table(tmp_path, "d.parquet", sex=["F", "M"], admitted=[1, 0], decision=["high", "low"])
    assert "is not numeric" in _error(run_measure(path, "--facet", "sex", "--label", "admitted",
                                                  "--prediction", "decision"))


@pytest.mark.parametrize("name, content, words", [
    ("image.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "not a CSV or Parquet file"),
    ("data.json", b'{"sex": ["F"]}', "not a CSV or Parquet file"),
    ("data.parquet", b"sex,admitted\nF,1\n", "not a Parquet file"),
    ("empty.csv", b"", "empty file"),
])
def test_not_csv_or_parquet(run_measure, tmp_path, name, content, words):
    path = tmp_path / name
    path.write_bytes(content)
    assert words in _error(run_measure(str(path), "--facet", "sex", "--label", "admitted"))


def test_missing_file_and_directory(run_measure, tmp_path):
    assert "no such file" in _error(run_measure(str(tmp_path / "nope.csv"), "--facet", "sex", "--label", "a"))
    assert "is a directory" in _error(run_measure(str(tmp_path), "--facet", "sex", "--label", "a"))


def test_facet_also_given_as_group(run_measure, tmp_path):
    line = _error(run_measure(_table(tmp_path), "--facet", "sex", "--label", "admitted", "--group", "sex"))
    assert "'sex' is both a facet and a --group column" in line
