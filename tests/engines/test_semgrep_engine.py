"""The Semgrep engine: one run, evidence kept apart, snippets from offsets, errors per file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from orchestrator import proc
from orchestrator.engines import (
    EngineRequest,
    Target,
    UnknownEngine,
    engine_names,
    get_engine,
)
from orchestrator.engines import semgrep as sg
from orchestrator.rules.vocabulary import Vocabulary

SOURCE = """import pandas as pd
df = pd.read_csv("people.csv")
sex = df["sex"]
clean = df.dropna()
"""
BROKEN = "df = df.dropna()\ndef broken(:\n    pass\n"


@pytest.fixture(scope="module")
def targets(tmp_path_factory):
    work = tmp_path_factory.mktemp("semgrep-engine")
    (work / "one.py").write_text(SOURCE)
    (work / "two.py").write_text(BROKEN)
    return [Target(work / "one.py", "-rf/<script>\nname.py"), Target(work / "two.py", "pkg/two.py")]


@pytest.fixture(scope="module")
def run(targets):
    engine = get_engine("semgrep")
    request = EngineRequest(targets[0].scan_path.parent, targets, Vocabulary.default(), jobs=1)
    return engine, engine.run(request)


def test_registry():
    assert engine_names() == ("semgrep", "codeql", "flow")
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
    argv = sg.command("semgrep", Path("/p/pack.json"), request, ["-rf.py"], jobs=3)
    for flag in ("--json", "--no-rewrite-rule-ids", "--metrics=off", "--disable-nosem", "--no-git-ignore"):
        assert flag in argv
    assert argv[argv.index("--timeout") + 1] == "7"
    assert argv[argv.index("--max-target-bytes") + 1] == "396"  # room for re-encoded copies
    assert argv[argv.index("-j") + 1] == "3"
    assert argv[-1].startswith("/") and argv[-1].endswith("/-rf.py")  # never read as an option


def test_shards_balance_bytes_and_keep_the_order(tmp_path):
    sizes = [50, 10, 40, 10, 30, 20]
    targets = []
    for i, n in enumerate(sizes):
        (tmp_path / f"{i}.py").write_text("x" * n)
        targets.append(Target(tmp_path / f"{i}.py", f"{i}.py"))
    targets.append(Target(tmp_path / "gone.py", "gone.py"))  # unreadable: counts as empty
    groups = sg.shards(targets, 2)
    assert sorted(t.display_path for g in groups for t in g) == sorted(t.display_path for t in targets)
    loads = [sum(len(t.scan_path.read_text()) for t in g if t.scan_path.exists()) for g in groups]
    assert abs(loads[0] - loads[1]) <= 10
    for g in groups:
        assert g == [t for t in targets if t in g]  # each group in the given order
    assert sg.shards(targets, 1) == [targets]
    assert len(sg.shards(targets[:1], 4)) == 1


@pytest.fixture
def semgrep_calls(monkeypatch):
    """(``-j`` value, number of targets) of every Semgrep run started (the runs still happen)."""
    calls = []
    real = sg.proc.run

    def spy(argv, **kw):
        calls.append((argv[argv.index("-j") + 1], sum(a.endswith(".py") for a in argv)))
        return real(argv, **kw)

    monkeypatch.setattr(sg.proc, "run", spy)
    return calls


def test_two_jobs_run_two_single_job_semgreps_with_the_same_results(run, targets, semgrep_calls):
    engine, one_process = run
    result = engine.run(EngineRequest(targets[0].scan_path.parent, targets, Vocabulary.default(), jobs=2))
    assert semgrep_calls == [("1", 1), ("1", 1)]  # one file each, one job each

    def key(m):
        return m.location.path, m.rule_id, m.start_offset, m.end_offset

    assert sorted(map(key, result.matches)) == sorted(map(key, one_process.matches))
    assert [s.path for s in result.skipped] == [s.path for s in one_process.skipped]


def test_a_big_scan_is_cut_into_more_shards_than_jobs(run, targets, semgrep_calls, monkeypatch):
    engine, one_process = run
    monkeypatch.setattr(sg, "SHARD_MAX_BYTES", 10)  # every file is bigger: one shard each, at most
    big = targets + [sg.Target(t.scan_path, "copy/" + t.display_path) for t in targets]
    result = engine.run(EngineRequest(targets[0].scan_path.parent, big, Vocabulary.default(), jobs=2))
    assert sorted(semgrep_calls) == [("1", 1)] * 4  # 2 jobs x 2 rounds, one single-job process each
    assert len(result.matches) == 2 * len(one_process.matches)


def test_the_version_is_read_without_starting_semgrep_in_this_environment(run, tmp_path):
    engine, _ = run
    asked = sg.proc.run([engine._binary, "--version", "--disable-version-check"], timeout=60)
    assert sg.installed_version(engine._binary) == asked.stdout.strip().splitlines()[-1]
    other = tmp_path / "semgrep"
    other.write_text("#!/opt/elsewhere/bin/python3\nprint('0.1')\n")
    assert sg.installed_version(str(other)) is None  # another environment: ask it
    other.write_bytes(b"\x7fELF\x02\x01")
    assert sg.installed_version(str(other)) is None
    assert sg.installed_version(str(tmp_path / "missing")) is None


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
