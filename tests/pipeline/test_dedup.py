"""Fingerprints without line numbers; one finding per site; copies as occurrences."""

from __future__ import annotations

from orchestrator.model import CellRef, Location, Match, Severity
from orchestrator.pipeline import dedup

META = {"bias-pattern": "DP01", "stage": "preparation", "confidence": "HIGH",
        "pattern-name": "Rows with missing values deleted", "technology": ["pandas"],
        "references": ["ref"]}


def m(line, snippet="df = df.dropna()", rule="missing-rows-dropped", path="a.py", engine="semgrep",
      meta=None, end=None, cell=None):
    return Match(engine, rule, Location(path, line, end or line, 5, 16, cell), "msg", snippet,
                 dict(META if meta is None else meta))


def test_fingerprints_ignore_line_numbers():
    before = dedup.fingerprints([m(3), m(10, "x.dropna()")])
    after = dedup.fingerprints([m(40), m(55, "x.dropna()")])  # unrelated lines inserted above
    assert before == after
    assert len(set(before)) == 2


def test_fingerprints_ignore_indentation_but_not_edits_rules_or_paths():
    base = dedup.fingerprints([m(3)])[0]
    assert dedup.fingerprints([m(3, "    df = df.dropna()  ")])[0] == base
    assert dedup.fingerprints([m(3, "df = df.dropna(how='any')")])[0] != base
    assert dedup.fingerprints([m(3, rule="other")])[0] != base
    assert dedup.fingerprints([m(3, path="b.py")])[0] != base


def test_identical_snippets_get_occurrence_indices_in_file_order():
    fps = dedup.fingerprints([m(20), m(5)])
    assert fps[1] == dedup.fingerprint("missing-rows-dropped", "a.py", "df = df.dropna()", 0)
    assert fps[0] == dedup.fingerprint("missing-rows-dropped", "a.py", "df = df.dropna()", 1)
    # Removing the first one renumbers the second: a baseline sees one fixed, one unchanged.
    assert dedup.fingerprints([m(20)]) == [fps[1]]


def test_one_site_several_rules_and_engines_is_one_finding():
    matches = [
        m(7, engine="codeql", rule="py/missing-rows-dropped"),
        m(7, rule="missing-rows-dropped"),
        m(7, rule="nan-mask", meta={**META, "confidence": "MEDIUM"}, end=8),
        m(7, rule="unstratified-split", meta={**META, "bias-pattern": "DP11"}),  # another pattern
        m(30),  # same rule, another site
    ]
    findings = dedup.dedup(matches, dedup.fingerprints(matches))
    assert [(f.rule_id, f.start_line) for f in findings] == [
        ("missing-rows-dropped", 7), ("unstratified-split", 7), ("missing-rows-dropped", 30)]
    first = findings[0]
    assert first.found_by == ("codeql:py/missing-rows-dropped", "semgrep:missing-rows-dropped",
                              "semgrep:nan-mask")
    assert first.fingerprint == dedup.fingerprints(matches)[1]  # semgrep speaks for the site
    assert (first.severity, first.score, first.score_factors) == (Severity.INFO, 0.0, ())
    assert (first.confidence, first.pattern_name, first.technology) == (
        "HIGH", "Rows with missing values deleted", ("pandas",))


def test_cells_are_separate_sites():
    matches = [m(1, cell=CellRef(0, 1)), m(1, cell=CellRef(2, 1))]
    findings = dedup.dedup(matches, dedup.fingerprints(matches))
    assert [f.cell.index for f in findings] == [0, 2]


def test_copies_become_occurrences():
    matches = [m(4, path="src/clean.py")]
    findings = dedup.dedup(matches, dedup.fingerprints(matches),
                           {"src/clean.py": ("vendor/a/clean.py", "vendor/b/clean.py")})
    (f,) = findings
    assert [o.path for o in f.occurrences] == ["src/clean.py", "vendor/a/clean.py", "vendor/b/clean.py"]
    assert {(o.start_line, o.start_col) for o in f.occurrences} == {(4, 5)}


def test_repository_level_matches():
    meta = {"bias-pattern": "EV01", "confidence": "LOW", "repository-level": True,
            "evidence-locations": ["a.py:3", "b.py:9"]}
    (f,) = dedup.dedup([m(3, rule="aggregate-only-evaluation", engine="fairlint", meta=meta)], ["fp"])
    assert f.repository_level and f.evidence == ("a.py:3", "b.py:9") and f.stage == "evaluation"


def test_fingerprints_ignore_comments_in_py_files_and_notebook_cells():
    cell = CellRef(index=3, line=2, id="clean")
    for kw in ({}, {"path": "nb.ipynb", "cell": cell}):
        base = dedup.fingerprints([m(3, **kw)])[0]
        assert dedup.fingerprints([m(3, "df = df.dropna()  # TODO impute", **kw)])[0] == base
        assert dedup.fingerprints([m(3, "df = df.dropna() # fairlint-ok?", **kw)])[0] == base
        assert dedup.fingerprints([m(3, "df = df.dropna(axis=1)  # TODO impute", **kw)])[0] != base
