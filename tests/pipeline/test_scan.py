"""``orchestrator.scan`` end to end on a crafted tree: notebooks, copies, suppressions, bad input.

One scan of the tree is shared by the tests (semgrep start-up is the expensive part); the golden
file keeps what the pipeline decides (which findings, where, found by what, skipped, suppressed)
and leaves out rule messages and scores (owned by the rules and the severity model).
"""

from __future__ import annotations

import json
import os
from dataclasses import replace
from pathlib import Path

import pytest

import orchestrator
from orchestrator.config import ScanConfig
from orchestrator.model import CellRef, ScanResult
from orchestrator.pipeline import scan as pipeline

PREP = """import pandas as pd
from sklearn.model_selection import train_test_split

df = pd.read_csv("applicants.csv")
# fairlint: ignore[DP01] reason: rows without an id are test fixtures
df = df.dropna()
audit = df.dropna()  # fairlint: ignore[missing-rows-dropped]
also = df.dropna()  # fairlint: ignore[DP01, no-such-rule] reason: reviewed in #12
# fairlint: ignore[DP11] reason: nothing here to suppress
kept = df.dropna()
kept = df.dropna()
"""
MARKER = "import pathlib\npathlib.Path(__file__).with_name('executed.marker').write_text('ran')\n"
HELPER = "def clean(frame):\n    return frame.dropna()\n"


def notebook(*sources: str) -> str:
    cells = [{"cell_type": "markdown", "source": "# notes", "metadata": {}}]
    cells += [{"cell_type": "code", "id": f"c{i}", "source": s, "metadata": {}, "outputs": [],
               "execution_count": None} for i, s in enumerate(sources)]
    return json.dumps({"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": cells})


def build_tree(root: Path) -> None:
    files = {
        "prep.py": PREP,
        "lib/helpers.py": HELPER,
        "vendor/fork/helpers.py": HELPER,
        "a_vendor_first/third_party/helpers.py": HELPER,  # sorts first, but is vendored
        "nb/explore.ipynb": notebook("%matplotlib inline\nimport pandas as pd\n!ls",
                                     "%%time\ndf = pd.read_csv('a.csv')\ndf = df.dropna()"),
        "nb/.ipynb_checkpoints/explore-checkpoint.ipynb": notebook("df = df.dropna()"),
        "nb/broken.ipynb": '{"cells": [',
        "nb/typo.ipynb": notebook("import pandas as pd", "%time x = 1\ndef f(:\n    pass", "df = df.dropna()"),
        "bad/syntax.py": "x = df.dropna()\ndef broken(:\n    pass\n",
        "bad/binary.py": b"df.dropna()\n\x00\x00",
        "bad/latin.py": b"name = 'Jos\xe9'\ndf.dropna()\n",
        "bad/huge.py": "df.dropna()\n" + "# padding\n" * 500,
        "odd/-rf.py": "df.dropna()\n",
        "odd/new\nline.py": "y = df.dropna()\n",
        "odd/<script>alert(1)</script>.py": "z = df.dropna()\n",
        "node_modules/pkg/x.py": "df.dropna()\n",
        # Would leave a marker if anything imported or ran them.
        "setup.py": MARKER,
        "conftest.py": MARKER,
        "sitecustomize.py": MARKER,
    }
    for rel, data in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data if isinstance(data, bytes) else data.encode())
    outside = root.parent / "outside.py"
    outside.write_text("df.dropna()\n")
    os.symlink(outside, root / "odd" / "outside-link.py")
    os.symlink(root / "prep.py", root / "odd" / "prep-link.py")


# No result cache: module-scoped scans run before the per-test private cache is set up.
CONFIG = ScanConfig(jobs=1, max_file_bytes=4000, use_cache=False)


@pytest.fixture(scope="module")
def tree(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("pipeline") / "repo"
    root.mkdir()
    build_tree(root)
    return root


@pytest.fixture(scope="module")
def result(tree) -> ScanResult:
    return orchestrator.scan(tree, CONFIG)


def summary(result: ScanResult, tree: Path) -> dict:
    """What the pipeline decides, without rule messages, scores and machine details."""
    return {
        "files_scanned": result.files_scanned,
        "findings": [{
            "rule": f.rule_id, "path": f.path, "lines": [f.start_line, f.end_line],
            "cell": [f.cell.index, f.cell.line, f.cell.id] if f.cell else None,
            "found_by": list(f.found_by), "occurrences": [o.path for o in f.occurrences],
            "fingerprint": f.fingerprint[:16], "repository_level": f.repository_level,
        } for f in result.findings],
        "skipped": [[s.path, s.reason, s.detail.replace(str(tree.parent), "<tmp>")] for s in result.skipped],
        "suppressions": [[s.path, s.line, list(s.ids), s.reason, s.kind, s.problem,
                          [fp[:16] for fp in s.suppressed]] for s in result.suppressions],
        "errors": list(result.errors),
    }


def test_golden(tree, result, data_regression):
    data_regression.check(summary(result, tree))


def test_result_validates_against_the_schema(result):
    jsonschema = pytest.importorskip("jsonschema")
    from orchestrator.rules import resources

    schema_path = resources.schema_file("scan-result.schema.json")
    if not schema_path.exists():
        pytest.skip("scan-result schema not shipped yet")
    jsonschema.validate(json.loads(json.dumps(result.to_dict())), json.loads(schema_path.read_text()))


def paths(result: ScanResult) -> set[str]:
    return {o.path for f in result.findings for o in f.occurrences}


def test_notebook_findings_name_their_cell(result):
    (f,) = [f for f in result.findings if f.path == "nb/explore.ipynb"]
    assert f.cell.line == f.start_line
    assert (f.rule_id, f.start_line, f.cell) == ("missing-rows-dropped", 3, CellRef(2, 3, "c1"))
    assert f.snippet == "df = df.dropna()"


def test_checkpoints_and_excluded_folders_are_not_findings(result):
    assert not any(".ipynb_checkpoints" in p or "node_modules" in p for p in paths(result))


def test_copies_are_one_finding_with_all_occurrences(result):
    (f,) = [f for f in result.findings if "helpers.py" in f.path]
    assert [o.path for o in f.occurrences] == [
        "lib/helpers.py", "a_vendor_first/third_party/helpers.py", "vendor/fork/helpers.py"]


def test_symlinks(result):
    assert "odd/prep-link.py" not in paths(result)
    skipped = {s.path: s.reason for s in result.skipped}
    assert skipped["odd/outside-link.py"] == "symlink pointing outside the scanned root (not followed)"


def test_bad_input_is_skipped_and_the_rest_completes(result):
    skipped = {s.path: s.reason for s in result.skipped}
    assert skipped["bad/binary.py"] == "binary file (contains NUL bytes)"
    assert skipped["bad/latin.py"] == "undecodable text"
    assert skipped["bad/huge.py"] == "file too large"
    assert skipped["nb/broken.ipynb"] == "broken notebook"
    assert skipped["bad/syntax.py"] == "syntax error (analysed partially)"
    typo = next(s for s in result.skipped if s.path == "nb/typo.ipynb")
    assert (typo.reason, typo.detail.split(":")[0]) == ("syntax error (analysed partially)", "cell 2, line 2")
    assert "nb/typo.ipynb" in paths(result)
    assert "bad/syntax.py" in paths(result)  # what could be parsed is still analysed
    assert {"odd/-rf.py", "odd/new\\nline.py", "odd/<script>alert(1)</script>.py"} <= paths(result)


def test_suppressions(result):
    by_line = {s.line: s for s in result.suppressions if s.path == "prep.py"}
    assert by_line[5].suppressed and by_line[5].problem is None
    assert by_line[7].problem == "missing reason" and not by_line[7].suppressed
    assert by_line[8].problem == "unknown id no-such-rule" and by_line[8].suppressed
    assert by_line[9].problem == "suppresses nothing"
    lines = sorted(f.start_line for f in result.findings if f.path == "prep.py" and f.rule_id == "missing-rows-dropped")
    assert lines == [7, 10, 11]
    hidden = {fp for s in result.suppressions for fp in s.suppressed}
    assert not hidden & {f.fingerprint for f in result.findings}


def test_fingerprints_survive_unrelated_line_moves(result, tmp_path):
    shifted = tmp_path / "prep.py"
    shifted.write_text('"""Module docstring added later."""\n\nimport os\n' + PREP)
    again = orchestrator.scan(shifted, CONFIG)
    before = sorted(f.fingerprint for f in result.findings if f.path == "prep.py")
    after = sorted(f.fingerprint for f in again.findings if f.path == "prep.py")
    assert before == after and len(before) >= 3
    assert {f.start_line for f in again.findings} != {f.start_line for f in result.findings if f.path == "prep.py"}


def test_tool_info(result):
    assert result.tool.engines == ("semgrep", "flow")  # the flow engine runs by default (issue 20)
    assert result.tool.semgrep and result.tool.fairlint == orchestrator.__version__
    assert len(result.tool.rule_pack) == 64


def test_empty_tree(tmp_path):
    empty = orchestrator.scan(tmp_path, CONFIG)
    assert (empty.files_scanned, empty.findings, empty.skipped, empty.errors) == (0, (), (), ())


def test_scan_errors(tmp_path, monkeypatch):
    with pytest.raises(pipeline.ScanError, match="path does not exist"):
        orchestrator.scan(tmp_path / "missing", CONFIG)
    with pytest.raises(pipeline.ScanError, match="unknown engine"):
        orchestrator.scan(tmp_path, replace(CONFIG, engines=("grep",)))
    from orchestrator import proc

    monkeypatch.setattr(proc, "which", lambda tool: None)
    with pytest.raises(pipeline.ScanError, match="'semgrep' is not available"):
        orchestrator.scan(tmp_path, CONFIG)


def test_nothing_from_the_tree_is_executed(tree, result):
    # setup.py, conftest.py and sitecustomize.py were scanned, and would leave a marker if run.
    assert not {"setup.py", "conftest.py", "sitecustomize.py"} & {s.path for s in result.skipped}
    assert not (tree / "executed.marker").exists()


def test_engine_problems_in_notebooks_name_the_cell():
    from orchestrator.model import Skipped
    from orchestrator.pipeline import discovery, notebooks

    nb = notebooks.extract(notebook("a = 1", "b = 2\nc = ("))
    content = pipeline.Content("d", discovery.Loaded(discovery.SourceFile(Path("n"), "n.ipynb", "notebook", 0),
                                                      nb.source, "d", nb), Path("n"), ("n.ipynb",))
    ws = pipeline.Workspace((content,), (), {"n.ipynb": content})
    skipped = pipeline.in_cells([Skipped("n.ipynb", "semgrep could not parse", "line 4: `(` was unexpected"),
                                 Skipped("n.ipynb", "other", "no line here")], ws)
    assert [s.detail for s in skipped] == ["cell 2, line 2: `(` was unexpected", "no line here"]


def test_progress_display_only_when_asked(capsys):
    with pipeline.progress_display(False) as show:
        show("quiet")
    assert capsys.readouterr().err == ""
    with pipeline.progress_display(True) as show:  # rich draws on stderr; must not fail
        show("reading 3 files")


def test_the_workspace_writes_a_content_only_when_an_engine_reads_it(tmp_path):
    src = tmp_path / "src"
    (src / "pkg").mkdir(parents=True)
    (src / "a.py").write_text("x = 1\n")
    (src / "pkg" / "copy.py").write_text("x = 1\n")
    (src / "b.py").write_text("y = 2\n")
    from orchestrator.pipeline import discovery

    work = tmp_path / "work"
    ws = pipeline.prepare(discovery.discover(src), work)
    assert len(ws.contents) == 2 and list(work.iterdir()) == []  # a cached re-scan writes nothing
    first = [t for t in ws.targets if t.display_path == "a.py"]
    ws.write(first)
    ws.write(first)
    assert [p.name for p in work.iterdir()] == [first[0].scan_path.name]
    assert first[0].scan_path.read_text() == "x = 1\n"


@pytest.mark.parametrize("mode", ["in-process", "child-process", "no-child-processes"])
def test_syntax_errors_are_found_in_a_child_process_or_here(tmp_path, monkeypatch, mode):
    src = tmp_path / "src"
    src.mkdir()
    (src / "ok.py").write_text("x = 1\n")
    (src / "broken.py").write_text("def f(:\n    pass\n")
    from orchestrator.pipeline import discovery

    if mode != "in-process":
        monkeypatch.setattr(pipeline, "SYNTAX_PROCESS_BYTES", 0)
    if mode == "no-child-processes":
        def refuse(*args, **kwargs):
            raise pipeline.proc.ToolError("python is not installed or not on PATH")
        monkeypatch.setattr(pipeline.proc, "run", refuse)
    elif mode == "child-process":
        real, children = pipeline.proc.run, []
        monkeypatch.setattr(pipeline.proc, "run", lambda argv, **kw: children.append(argv) or real(argv, **kw))
    ws = pipeline.prepare(discovery.discover(src), tmp_path / "work")
    skipped = pipeline.syntax_skips(ws)
    assert [(s.path, s.reason) for s in skipped] == [("broken.py", "syntax error (analysed partially)")]
    assert skipped[0].detail.startswith("line 1: ")
    if mode == "child-process":
        assert [argv[1:3] for argv in children] == [["-m", "orchestrator.pipeline.discovery"]]


def test_the_syntax_check_child_keeps_undecodable_bytes(tmp_path):
    # Contents decoded with surrogateescape hold lone surrogates: they survive the JSON batch.
    texts = {"a": "x = '\udcff'\n", "b": "def f(:\n"}
    assert pipeline.syntax_errors_apart(texts) == pipeline.syntax_errors(texts)
