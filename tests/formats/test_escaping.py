"""F1/F2 (issue 19): text from scanned files cannot drive a terminal or a spreadsheet."""

from __future__ import annotations

import csv
import io
import sys
from dataclasses import replace
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
import scan_factories as sf  # noqa: E402

from orchestrator.escape import csv_cell, printable  # noqa: E402
from orchestrator.formats import get_formatter  # noqa: E402

HOSTILE = ("\x1b]0;owned\x07"            # OSC: window title, ended by BEL
           "\x1b]52;c;Y3VybCBldmls\x07"  # OSC 52: clipboard
           "\x1b]8;;http://evil\x1b\\"   # OSC 8: hyperlink
           "\x1b[2J\r\u202eexe.txt\u2066\x9b")


@pytest.mark.parametrize("raw, shown", [
    ("\x1b[31m", "\\x1b[31m"), ("\x07", "\\x07"), ("a\rb", "a\\x0db"), ("\u202egnp.exe", "\\u202egnp.exe"),
    ("\u2066x\u2069", "\\u2066x\\u2069"), ("\x9b", "\\x9b"), ("\ud800", "\\ud800"), ("tab\tok\n", "tab\tok\n"),
    ("é ü 中", "é ü 中"),
])
def test_printable(raw, shown):
    assert printable(raw) == shown


def _hostile_result():
    result = sf.sample_result()
    f = replace(result.findings[0], path=f"=2+5+cmd|x!A0{HOSTILE}.py", message=f"uses {HOSTILE}",
                snippet=f"x = '{HOSTILE}'")
    return replace(result, findings=(f, *result.findings[1:]))


@pytest.mark.parametrize("fmt", ["csv", "text"])
def test_no_control_or_bidi_character_reaches_the_output(fmt):
    out = get_formatter(fmt).render(_hostile_result())
    for ch in ("\x1b", "\x07", "\r", "\u202e", "\u2066", "\x9b"):
        assert ch not in out


def test_csv_cells_are_not_formulas():
    rows = list(csv.DictReader(io.StringIO(get_formatter("csv").render(_hostile_result()))))
    assert rows[0]["path"].startswith("'=2+5+cmd|x!A0")
    for value in ("=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1"):
        assert csv_cell(value).startswith("'")
    assert csv_cell(-1) == -1 and csv_cell("a=1") == "a=1"
