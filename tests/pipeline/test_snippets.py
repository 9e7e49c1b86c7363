"""Snippets: whole lines by line numbers (as engines count them), text by byte offsets."""

from __future__ import annotations

from orchestrator.pipeline import snippets


def test_lines_snippet_counts_lines_like_engines():
    text = "a = 1\r\nb = '\x0c'\nc = 3\n"  # CRLF and a form feed inside a line
    assert snippets.lines_snippet(text, 2, 3) == "b = '\x0c'\nc = 3"
    assert snippets.lines_snippet(text, 3, 1) == "c = 3"  # an end before the start: one line


def test_long_snippets_are_cut():
    text = "\n".join(f"x{i} = {i}" for i in range(30))
    out = snippets.lines_snippet(text, 1, 30, max_lines=3)
    assert out.split("\n") == ["x0 = 0", "x1 = 1", "x2 = 2", "... (27 more lines)"]


def test_offsets_snippet_is_bytes_based():
    data = "name = 'José'; df.dropna()".encode()
    start = data.index(b"df")
    assert snippets.offsets_snippet(data, start, start + len(b"df.dropna()")) == "df.dropna()"


def test_normalise_ignores_whitespace_only():
    assert snippets.normalise("  df =\n\tdf.dropna( )  ") == "df = df.dropna( )"


def test_normalise_drops_python_comments():
    assert snippets.normalise("df = df.dropna()  # TODO impute") == "df = df.dropna()"
    assert snippets.normalise("    x = f(a,  # first\n          b)  # second") == "x = f(a, b)"
    # A line cut from inside a block, and a snippet ending inside an open bracket, still tokenize.
    assert snippets.normalise("        if x:\n    y = 1  # q") == "if x: y = 1"
    assert snippets.normalise("fit(X.dropna(), y,  # c") == "fit(X.dropna(), y,"


def test_normalise_keeps_hashes_that_are_not_comments():
    assert snippets.normalise("s = '#x'  # c") == "s = '#x'"
    assert snippets.normalise("'''\n  # inside a string\n'''") == "''' # inside a string '''"


def test_normalise_falls_back_to_whitespace_when_tokenizing_fails():
    assert snippets.normalise("!pip install x  # c") == "!pip install x # c"  # notebook shell line
    assert snippets.normalise("s = 'open  # x") == "s = 'open # x"
    assert snippets.without_comments("a\0b # c") is None
