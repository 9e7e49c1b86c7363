"""Notebook extraction: code cells in order, IPython syntax neutralised line for line, lines mapped back."""

from __future__ import annotations

import ast
import json

import pytest

from orchestrator.model import CellRef
from orchestrator.pipeline import notebooks


def nb(*cells, language="python", nbformat=4):
    return json.dumps({"nbformat": nbformat, "nbformat_minor": 5, "cells": list(cells),
                       "metadata": {"kernelspec": {"language": language, "name": "k"}}})


def code(source, cell_id=None):
    cell = {"cell_type": "code", "metadata": {}, "outputs": [], "source": source}
    if cell_id:
        cell["id"] = cell_id
    return cell


def markdown(text):
    return {"cell_type": "markdown", "metadata": {}, "source": text}


MAGICS = nb(
    markdown("# title"),
    code(["%matplotlib inline\n", "!pip install x\n", "import pandas as pd"], "setup"),
    code(["%%time\n", "df = pd.read_csv('a.csv')\n", "files = !ls\n", "df.head?\n", "df = df.dropna()"], "clean"),
    code("if True:\n    %time df = df.dropna()\n    !echo hi \\\n      continued\nx = 1", "nested"),
    code(["%%bash\n", "echo $HOME\n", "rm -rf /tmp/x"], "shell"),
    code(["%%writefile helper.py\n", "def f(:\n"], "written"),
)


def script_line(ex: notebooks.ExtractedNotebook, needle: str) -> int:
    return next(i for i, line in enumerate(ex.source.split("\n"), 1) if needle in line)


def test_magics_do_not_break_parsing():
    ex = notebooks.extract(MAGICS)
    ast.parse(ex.source)  # raises on any leftover IPython syntax
    assert "%" not in ex.source and "!" not in ex.source and "rm -rf" not in ex.source


def test_lines_map_back_to_cells_despite_magics():
    ex = notebooks.extract(MAGICS)
    # cell 2 (index over all cells, markdown included), line 5 of the cell
    assert ex.cell_ref(script_line(ex, "df = df.dropna()")) == CellRef(2, 5, "clean")
    assert ex.cell_ref(script_line(ex, "import pandas")) == CellRef(1, 3, "setup")
    assert ex.cell_ref(script_line(ex, "x = 1")) == CellRef(3, 5, "nested")


def test_timing_magic_keeps_the_statement_and_its_columns():
    ex = notebooks.extract(MAGICS)
    line = ex.source.split("\n")[script_line(ex, "pass; ") - 1]
    assert line == "    pass; df = df.dropna()"
    assert line.index("df") == "    %time df = df.dropna()".index("df")


def test_assignment_from_shell_keeps_the_name():
    ex = notebooks.extract(MAGICS)
    assert "files = None" in ex.source


def test_line_count_is_kept_per_cell():
    ex = notebooks.extract(MAGICS)
    code_lines = [3, 5, 5, 3, 3]  # a source ending in "\n" has an empty last line
    assert len(ex.origins) == sum(code_lines) + len(code_lines) - 1  # one separator between cells
    assert ex.code_cells == 5


def test_map_range_clamps_to_the_start_cell():
    ex = notebooks.extract(nb(code("a = 1\nb = 2"), code("c = 3")))
    cell, start, end = ex.map_range(1, 4)
    assert (cell.index, start, end) == (0, 1, 2)
    assert ex.map_range(3, 3) is None  # the separator line


def test_nbformat3_and_string_sources():
    doc = json.dumps({"nbformat": 3, "worksheets": [{"cells": [
        {"cell_type": "code", "input": ["import os\n", "x = os.sep"]}]}]})
    ex = notebooks.extract(doc)
    assert ex.source == "import os\nx = os.sep\n"
    assert ex.cell_ref(2) == CellRef(0, 2, None)


@pytest.mark.parametrize("raw, reason", [
    ("{not json", "invalid notebook JSON"),
    ("[1, 2]", "top level is not an object"),
    ('{"metadata": {}}', "no 'cells' list"),
    (nb(code("x <- 1"), language="R"), "not a Python notebook"),
    (b"\xff\xfe{}", "not valid UTF-8"),
    ('{"cells": [{"cell_type": "code", "source": 5}]}', "neither text"),
])
def test_broken_notebooks_raise_with_a_reason(raw, reason):
    with pytest.raises(notebooks.NotebookError, match=reason):
        notebooks.extract(raw)


def test_percent_and_bang_inside_python_are_left_alone():
    source = ('msg = ("%s rows"\n'
              '       % n)\n'
              'ok = (a\n'
              '      != b)\n'
              'doc = """\n'
              '!not a shell line\n'
              '%not a magic\n'
              '"""\n'
              'total = a + \\\n'
              '    b\n'
              's = "(" # ( unbalanced in a string and a comment\n'
              '!ls')
    ex = notebooks.extract(nb(code(source)))
    lines = ex.source.split("\n")
    assert lines[:10] == source.split("\n")[:10]
    assert lines[11] == "pass"  # a real shell line after all that
    ast.parse(ex.source)


def test_empty_notebook():
    ex = notebooks.extract(nb(markdown("only text")))
    assert ex.source == "" and ex.code_cells == 0
