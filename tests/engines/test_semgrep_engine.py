"""The Semgrep engine: one run, evidence kept apart, snippets from offsets, errors per file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from orchestrator import proc
from orchestrator.engines import EngineRequest, Target, UnknownEngine, engine_names, get_engine
from orchestrator.engines import semgrep as sg
from orchestrator.vocabulary import Vocabulary

SOURCE = """import pandas as pd
df = pd.read_csv("people.csv")
sex = df["sex"]
clean = df.dropna()
"""
BROKEN = "df = df.dropna()\ndef broken(:\n    pass\n"


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    work = tmp_path_factory.mktemp("semgrep-engine")
    (work / "one.py").write_text(SOURCE)
    (work / "two.py").write_text(BROKEN)
    targets = [Target(work / "one.py", "-rf/<script>\nname.py"), Target(work / "two.py", "pkg/two.py")]
    engine = get_engine("semgrep")
    request = EngineRequest(work, targets, Vocabulary.default(), jobs=1)
    return engine, engine.run(request)


def test_registry():
    assert engine_names() == ("semgrep", "codeql")
    assert isinstance(get_engine("semgrep"), sg.SemgrepEngine)
    with pytest.raises(UnknownEngine, match="unknown engine 'grep'"):
        get_engine("grep")


def test_findings_are_mapped_to_display_paths_with_snippets(run):
    _, result = run
    found = {(m.location.path, m.rule_id, m.location.start_line, m.snippet) for m in result.matches
             if m.evidence is None}
    assert ("-rf/<script>\nname.py", "missing-rows-dropped", 4, "clean = df.dropna()") in found
    assert ("pkg/two.py", "missing-rows-dropped", 1, "df = df.dropna()") in found


def test_evidence_rules_run_in_the_same_pass_and_are_marked(run):
    _, result = run
    evidence = {(m.rule_id, m.evidence, m.location.start_line) for m in result.matches if m.evidence}
    assert ("evidence-people-data-column", "people-data", 3) in evidence
    assert all(m.metadata.get("evidence") == m.evidence for m in result.matches)


def test_offsets_point_at_the_match(run):
    _, result = run
    m = next(m for m in result.matches
             if m.rule_id == "missing-rows-dropped" and m.location.path.endswith("name.py"))
    assert SOURCE.encode()[m.start_offset:m.end_offset] == b"df.dropna()"


def test_version_and_no_errors(run):
    engine, result = run
    assert result.version == engine.version() and result.version[0].isdigit()
    assert result.errors == ()


def test_command_line():
    request = EngineRequest(Path("."), [], Vocabulary.default(), jobs=3, timeout_per_file=7,
                            max_file_bytes=99)
    argv = sg.command("semgrep", Path("/p/pack.json"), request, ["-rf.py"])
    for flag in ("--json", "--no-rewrite-rule-ids", "--metrics=off", "--disable-nosem", "--no-git-ignore"):
        assert flag in argv
    assert argv[argv.index("--timeout") + 1] == "7"
    assert argv[argv.index("--max-target-bytes") + 1] == "396"  # room for re-encoded copies
    assert argv[argv.index("-j") + 1] == "3"
    assert argv[-1].startswith("/") and argv[-1].endswith("/-rf.py")  # never read as an option


def test_batches_respect_the_argument_budget():
    targets = [Target(Path(f"/w/{i:03d}.py"), str(i)) for i in range(10)]
    batches = list(sg.batches(targets, budget=30))
    assert [len(b) for b in batches] == [3, 3, 3, 1]
    assert [t for b in batches for t in b] == targets


def test_parse_errors_skip_the_file_and_rule_errors_are_reported():
    t = Target(Path("/w/x.py"), "dir/x.py")
    data = {"results": [], "errors": [
        {"type": ["PartialParsing", []], "path": "/w/x.py", "spans": [{"start": {"line": 2}}],
         "message": "Syntax error at line /w/x.py:2:\n `" + "x" * 300 + "` was unexpected"},
        {"type": "Timeout", "path": "/w/x.py", "message": "again"},
        {"type": "Rule parse error", "message": "bad rule  x", "level": "warn"},
    ]}
    matches, skipped, errors = sg.parse_output(sg.SemgrepOutput(data, {"/w/x.py": t}))
    assert matches == []
    assert [(s.path, s.reason, s.detail) for s in skipped] == [
        ("dir/x.py", "semgrep could not parse part of the file (analysed partially)",
         "line 2: `" + "x" * 196 + "...")]  # cut to MAX_DETAIL characters
    assert errors == ["semgrep Rule parse error: bad rule x"]


def test_error_detail_without_a_line_names_the_display_path():
    item = {"path": "/w/x.py"}
    assert sg.error_detail(item, "Timeout on /w/x.py", "pkg/x.py") == "Timeout on pkg/x.py"


def test_failure_message_names_rule_problems():
    done = proc.Completed(("semgrep",), 7, "", "tail line")
    data = {"errors": [{"level": "error", "long_msg": "Invalid rule schema"}]}
    assert sg.failure_message(done, data) == "semgrep exited with 7: Invalid rule schema"
    assert sg.failure_message(done, None) == "semgrep exited with 7: tail line"


def test_missing_semgrep_is_a_tool_error(monkeypatch):
    monkeypatch.setattr(proc, "which", lambda tool: None)
    engine = sg.SemgrepEngine()
    assert not engine.available() and engine.version() is None
    with pytest.raises(proc.ToolError, match="semgrep is not installed"):
        engine.run(EngineRequest(Path("."), [Target(Path("x.py"), "x.py")], Vocabulary.default()))
