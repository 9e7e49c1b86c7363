"""Inline suppressions: parsing, where they apply, what gets recorded."""

from __future__ import annotations

from orchestrator.model import CellRef, Location, Match
from orchestrator.pipeline import suppress

KNOWN = {"missing-rows-dropped", "unstratified-split", "DP01", "DP11"}


def match(line, rule="missing-rows-dropped", pattern="DP01", path="a.py", engine="semgrep", cell=None):
    return Match(engine, rule, Location(path, line, line, 1, 5, cell), "m", "s", {"bias-pattern": pattern})


def plain(path, text):
    return suppress.FileDirectives(path, tuple(suppress.parse(text)), lambda l: (None, l), lambda l: l)


def run(text, matches, path="a.py"):
    files = {path: plain(path, text)}
    return suppress.apply(matches, [f"fp{i}" for i in range(len(matches))], files, KNOWN)


def test_parse_forms():
    text = (
        "x = 1  # fairlint: ignore[DP01] reason: imputation happens upstream\n"
        "# fairlint: ignore[DP01, unstratified-split]  reason:  two ids\n"
        "# FAIRLINT: IGNORE[DP01]\n"
        "# fairlint: ignore\n"
        "y = '# fairlint: ignore[DP01] reason: in a string, not a comment'\n"
        "z = 2  # nosemgrep: missing-rows-dropped\n"
        "# nosemgrep\n"
    )
    got = [(d.line, d.ids, d.reason, d.kind, d.problem, d.own_line) for d in suppress.parse(text)]
    assert got == [
        (1, ("DP01",), "imputation happens upstream", "fairlint", None, False),
        (2, ("DP01", "unstratified-split"), "two ids", "fairlint", None, True),
        (3, ("DP01",), "", "fairlint", "missing reason", True),
        (4, (), "", "fairlint", "missing ids", True),
        (6, ("missing-rows-dropped",), "", "nosemgrep", None, False),
        (7, (), "", "nosemgrep", None, True),
    ]


def test_parse_survives_untokenizable_text():
    text = 'x = """unterminated\n# fairlint: ignore[DP01] reason: still seen\n'
    (d,) = suppress.parse(text)
    assert (d.line, d.ids, d.reason) == (2, ("DP01",), "still seen")


def test_same_line_and_comment_line_before():
    text = ("df.dropna()  # fairlint: ignore[DP01] reason: fine here\n"
            "# fairlint: ignore[missing-rows-dropped] reason: by rule id\n"
            "df.dropna()\n"
            "df.dropna()\n")
    applied = run(text, [match(1), match(3), match(4)])
    assert [m.location.start_line for m in applied.kept] == [4]
    assert applied.kept_fingerprints == ("fp2",)
    assert [(s.line, s.suppressed, s.problem) for s in applied.suppressions] == [
        (1, ("fp0",), None), (2, ("fp1",), None)]


def test_a_directive_after_code_does_not_cover_the_next_line():
    applied = run("x = 1  # fairlint: ignore[DP01] reason: r\ndf.dropna()\n", [match(2)])
    assert len(applied.kept) == 1
    assert applied.suppressions[0].problem == "suppresses nothing"


def test_missing_reason_does_not_suppress_and_is_recorded():
    applied = run("df.dropna()  # fairlint: ignore[DP01]\n", [match(1)])
    assert len(applied.kept) == 1
    (s,) = applied.suppressions
    assert (s.problem, s.suppressed, s.ids) == ("missing reason", (), ("DP01",))


def test_unknown_ids_and_useless_directives():
    text = ("df.dropna()  # fairlint: ignore[DP01, no-such-rule] reason: r\n"
            "# fairlint: ignore[DP11] reason: nothing below\n"
            "x = 1\n")
    applied = run(text, [match(1)])
    assert applied.kept == ()
    assert [(s.line, s.problem) for s in applied.suppressions] == [
        (1, "unknown id no-such-rule"), (2, "suppresses nothing")]


def test_other_rules_are_not_suppressed():
    applied = run("split()  # fairlint: ignore[DP01] reason: r\n",
                  [match(1, rule="unstratified-split", pattern="DP11")])
    assert len(applied.kept) == 1


def test_nosemgrep_hides_semgrep_matches_and_is_recorded_only_when_used():
    text = ("df.dropna()  # nosemgrep\n"
            "df.dropna()  # nosemgrep: unstratified-split\n"
            "x = 1  # nosemgrep: some-security-rule\n"
            "df.dropna()  # nosemgrep\n")
    applied = run(text, [match(1), match(2), match(4, engine="codeql")])
    assert [m.location.start_line for m in applied.kept] == [2, 4]
    assert [(s.line, s.kind, s.suppressed, s.problem) for s in applied.suppressions] == [
        (1, "nosemgrep", ("fp0",), None)]


def test_notebook_cells_are_respected():
    # script lines 1-2 are cell 0, 3 is the separator, 4 is cell 1 line 1
    keys = {1: (0, 1), 2: (0, 2), 4: (1, 1)}
    text = "x = 1\n# fairlint: ignore[DP01] reason: cell end\n\ndf.dropna()\n"
    files = {"n.ipynb": suppress.FileDirectives("n.ipynb", tuple(suppress.parse(text)),
                                                keys.get, lambda l: keys[l][1])}
    m = match(1, path="n.ipynb", cell=CellRef(1, 1))
    applied = suppress.apply([m], ["fp"], files, KNOWN)
    assert len(applied.kept) == 1  # the directive ends cell 0; it does not reach into cell 1
    assert applied.suppressions[0].line == 2
