"""The CodeQL engine without a CodeQL CLI: SARIF reading, staging, pack rendering, the
missing-tool error, and the command lines (against a fake `codeql` that only copies a SARIF file)."""

from __future__ import annotations

import json
import os
import stat
import sys
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from orchestrator import proc
from orchestrator.engines import codeql
from orchestrator.engines.codeql import CodeQLEngine, PathMap, read_sarif, stage_targets
from orchestrator.engines.interface import EngineRequest, Target
from orchestrator.model import Location
from orchestrator.rules.vocabulary import Vocabulary

DATA = Path(__file__).parent / "data"
PROJECT = DATA / "codeql_project"
SARIF = DATA / "codeql-results.sarif"


def _targets() -> list[Target]:
    return [Target(PROJECT / name, f"src/{name}") for name in ("features.py", "train.py")]


def _paths() -> PathMap:
    return PathMap({t.scan_path.name: t for t in _targets()})


def _matches():
    matches, errors = read_sarif(json.loads(SARIF.read_text(encoding="utf-8")), _paths())
    assert errors == []
    return matches


def test_fixture_is_valid_sarif(shared_dir):
    schema = json.loads((shared_dir / "schemas" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    jsonschema.validate(json.loads(SARIF.read_text(encoding="utf-8")), schema)


def test_rule_ids_map_back_to_the_semgrep_ids():
    assert [m.rule_id for m in _matches()] == [
        "protected-attribute-as-model-input",
        "protected-attribute-in-decision-logic",
        "differentially-private-training",
        "differentially-private-training",
    ]


def test_metadata_comes_from_the_sarif_rule_properties():
    dp12, dl01, tr01, _ = _matches()
    assert dp12.bias_pattern == "DP12" and dp12.metadata["stage"] == "preparation"
    assert dp12.metadata["confidence"] == "MEDIUM"  # precision medium
    assert dl01.metadata["confidence"] == "HIGH" and dl01.metadata["stage"] == "decision"
    assert tr01.metadata["technology"] == ["pytorch", "opacus", "tensorflow", "tensorflow-privacy"]
    assert dp12.metadata["codeql-kind"] == "path-problem" and tr01.metadata["codeql-kind"] == "problem"
    assert all(m.engine == "codeql" for m in (dp12, dl01, tr01))


def test_unstated_keys_come_from_the_semgrep_rule_of_the_same_id():
    from orchestrator.rules import pack as rulepack

    semgrep = rulepack.rules_by_id()["differentially-private-training"].metadata
    tr01 = _matches()[2]
    assert tr01.metadata["likelihood"] == semgrep["likelihood"]
    assert tr01.metadata["references"] == semgrep["references"]
    assert tr01.metadata["confidence"] == "HIGH" and tr01.metadata["codeql-kind"] == "problem"


def test_bias_pattern_falls_back_to_the_tag():
    rule = {"id": "py/fairlint/model-pruning",
            "properties": {"tags": ["fairness", "external/fairlint/CM01"], "precision": "high"}}
    meta = codeql.rule_metadata(rule)
    assert meta["bias-pattern"] == "CM01" and meta["stage"] == "compression" and meta["detect-class"] == "H"


def test_primary_location_snippet_and_offsets():
    dp12 = _matches()[0]
    assert dp12.location == Location("src/train.py", 9, 9, 30, 31)
    data = (PROJECT / "train.py").read_bytes()
    assert data[dp12.start_offset:dp12.end_offset] == b"X"  # byte offsets, like Semgrep's
    assert dp12.snippet == '    LogisticRegression().fit(X, df["label"])'  # whole lines, like Semgrep's
    make_private = _matches()[3]
    assert make_private.snippet.strip().startswith("return engine.make_private(")
    assert make_private.location.start_line == 22


def test_offsets_count_bytes_and_code_points():
    text = "x = 'é'\ny = fit(X)\n"
    start, end = codeql._offsets(text, Location("a.py", 2, 2, 9, 10))
    assert text.encode("utf-8")[start:end] == b"X"
    start, end = codeql._offsets(text, Location("a.py", 1, 1, 7, 8))  # the quote after é
    assert text.encode("utf-8")[start:end] == b"'"


def test_message_links_become_plain_text():
    assert _matches()[0].message == "The protected attribute sex reaches this model input (`fit`)."


def test_code_flow_runs_from_source_to_sink_across_files():
    flow = _matches()[0].code_flow
    assert flow[0] == Location("src/features.py", 1, 1, 23, 28)  # the "sex" literal
    assert flow[-1] == _matches()[0].location
    assert [loc.path for loc in flow].count("src/features.py") == 5
    assert _matches()[2].code_flow == ()  # a problem query has no flow


def test_results_outside_the_targets_are_errors_not_matches():
    doc = json.loads(SARIF.read_text(encoding="utf-8"))
    only_train = PathMap({"train.py": _targets()[1]})
    matches, errors = read_sarif(doc, only_train)
    # The DP12 result's primary location is in train.py; its flow steps in features.py are dropped.
    assert [m.rule_id for m in matches][0] == "protected-attribute-as-model-input"
    assert all(loc.path == "src/train.py" for loc in matches[0].code_flow)
    doc["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] = "vendor/x.py"
    matches, errors = read_sarif(doc, _paths())
    assert len(matches) == 3 and "vendor/x.py" in errors[0]


def test_unknown_rule_is_an_error():
    doc = json.loads(SARIF.read_text(encoding="utf-8"))
    doc["runs"][0]["results"][0]["ruleId"] = "py/fairlint/no-such-rule"
    doc["runs"][0]["results"][0]["rule"]["id"] = "py/fairlint/no-such-rule"
    _, errors = read_sarif(doc, _paths())
    assert errors == ["codeql: result without a known rule: 'py/fairlint/no-such-rule'"]


def test_rule_index_resolves_within_its_tool_component():
    doc = json.loads(SARIF.read_text(encoding="utf-8"))
    result = doc["runs"][0]["results"][1]
    del result["ruleId"], result["rule"]["id"]
    matches, _ = read_sarif(doc, _paths())
    assert matches[1].rule_id == "protected-attribute-in-decision-logic"


def test_staging_names_files_by_display_path(tmp_path):
    nb_py = tmp_path / "extracted.py"
    nb_py.write_text("x = 1\n", encoding="utf-8")
    big = tmp_path / "big.py"
    big.write_text("#" * 2000, encoding="utf-8")
    targets = _targets() + [Target(nb_py, "notebooks/a.ipynb"), Target(big, "big.py")]
    paths, skipped = stage_targets(targets, tmp_path / "src", max_bytes=1000)
    assert sorted(paths.by_uri) == ["notebooks/a.ipynb.py", "src/features.py", "src/train.py"]
    assert (tmp_path / "src" / "notebooks" / "a.ipynb.py").read_text(encoding="utf-8") == "x = 1\n"
    assert [(s.path, s.reason) for s in skipped] == [("big.py", "too large")]


def test_default_vocabulary_uses_the_installed_pack():
    assert codeql.pack_for(Vocabulary.default()) == codeql.resources.codeql_dir()


def test_extended_vocabulary_renders_a_pack_copy(tmp_path):
    vocab = Vocabulary.default().extended(protected=["tribe"])
    pack = codeql.pack_for(vocab, tmp_path)
    qll = (pack / codeql.VOCABULARY_QLL).read_text(encoding="utf-8")
    assert "tribe" in qll and qll == codeql.render_vocabulary_qll(vocab)
    assert (pack / "queries" / "qlpack.yml").is_file() and not (pack / "test").exists()
    assert "tribe" not in (codeql.resources.codeql_dir() / codeql.VOCABULARY_QLL).read_text(encoding="utf-8")


# ----------------------------------------------------------------- the CLI is missing
def _request(tmp_path: Path) -> EngineRequest:
    return EngineRequest(root=PROJECT, targets=_targets(), vocabulary=Vocabulary.default())


def test_missing_cli_is_a_clear_tool_error(monkeypatch, tmp_path):
    monkeypatch.setattr(proc, "which", lambda tool: None)
    engine = CodeQLEngine()
    assert not engine.available() and engine.version() is None
    with pytest.raises(proc.ToolError, match="CodeQL CLI .*not on PATH"):
        engine.run(_request(tmp_path))


def test_cli_exits_2_when_codeql_was_asked_for_but_is_missing(monkeypatch):
    monkeypatch.setattr(proc, "which", lambda tool: None if tool == "codeql" else _real_which(tool))
    monkeypatch.setenv("PATH", "/nonexistent")
    from orchestrator.cli.main import main

    result = CliRunner().invoke(main, ["scan", "--engine", "semgrep,codeql", str(PROJECT)])
    assert result.exit_code == 2, result.output
    assert "codeql" in result.output.lower() and "usage:" not in result.output.lower()


_real_which = proc.which


# ----------------------------------------------------------------- command lines (fake CLI)
FAKE_CODEQL = """#!{python}
import json, shutil, sys
from pathlib import Path
log = Path({log!r})
with log.open("a") as f:
    f.write(json.dumps(sys.argv[1:]) + "\\n")
args = sys.argv[1:]
if args[:1] == ["version"]:
    print("2.19.3")
elif args[:2] == ["database", "analyze"]:
    out = next(a.split("=", 1)[1] for a in args if a.startswith("--output="))
    shutil.copyfile({sarif!r}, out)
elif args[:2] == ["database", "create"]:
    src = Path(next(a.split("=", 1)[1] for a in args if a.startswith("--source-root=")))
    Path({staged!r}).write_text(json.dumps(sorted(str(p.relative_to(src)) for p in src.rglob("*.py"))))
"""


@pytest.fixture()
def fake_codeql(tmp_path):
    log, staged = tmp_path / "calls.jsonl", tmp_path / "staged.json"
    binary = tmp_path / "codeql"
    binary.write_text(FAKE_CODEQL.format(python=sys.executable, log=str(log), sarif=str(SARIF),
                                         staged=str(staged)), encoding="utf-8")
    binary.chmod(binary.stat().st_mode | stat.S_IXUSR)
    return binary, log, staged


@pytest.mark.skipif(os.name == "nt", reason="the fake CLI is a POSIX script")
def test_run_creates_a_database_analyses_and_reads_sarif(fake_codeql, tmp_path):
    binary, log, staged = fake_codeql
    engine = CodeQLEngine(binary=str(binary))
    targets = [Target(PROJECT / n, n) for n in ("features.py", "train.py")]
    result = engine.run(EngineRequest(root=PROJECT, targets=targets, vocabulary=Vocabulary.default(), jobs=2))
    assert result.version == "2.19.3" and result.errors == ()
    assert [m.rule_id for m in result.matches][:2] == ["protected-attribute-as-model-input",
                                                      "protected-attribute-in-decision-logic"]
    assert json.loads(staged.read_text()) == ["features.py", "train.py"]
    calls = [json.loads(line) for line in log.read_text().splitlines()]
    create = next(c for c in calls if c[:2] == ["database", "create"])
    analyze = next(c for c in calls if c[:2] == ["database", "analyze"])
    assert "--language=python" in create and "--threads=2" in create
    assert not any("command" in a or "build" in a for a in create)  # Python needs no build
    assert analyze[3].endswith("queries/suites/fairlint-ci.qls")
    assert "--format=sarif-latest" in analyze
    assert any(a.startswith("--additional-packs=") for a in analyze)


@pytest.mark.skipif(os.name == "nt", reason="the fake CLI is a POSIX script")
def test_run_with_no_targets_does_not_start_codeql(fake_codeql):
    binary, log, _ = fake_codeql
    result = CodeQLEngine(binary=str(binary)).run(
        EngineRequest(root=PROJECT, targets=[], vocabulary=Vocabulary.default()))
    assert result.matches == ()
    assert all(json.loads(line)[:1] == ["version"] for line in log.read_text().splitlines())


@pytest.mark.slow
@pytest.mark.skipif(os.name == "nt", reason="the fake CLI is a POSIX script")
def test_both_engines_findings_of_one_site_merge(fake_codeql, monkeypatch, tmp_path):
    """`fairlint scan --engine semgrep,codeql`: one finding per site, found by both engines."""
    binary, _, _ = fake_codeql
    monkeypatch.setenv("PATH", f"{binary.parent}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    from orchestrator.cli.main import main

    result = CliRunner().invoke(main, ["scan", "--engine", "semgrep,codeql", "--format", "json",
                                       str(PROJECT)])
    assert result.exit_code == 0, result.output
    findings = json.loads(result.output)["findings"]
    by_site = {(f["path"], f["start_line"], f["rule_id"]): f["found_by"] for f in findings}
    # Same site from both engines: one finding.
    assert by_site[("train.py", 21, "differentially-private-training")] == [
        "codeql:differentially-private-training", "semgrep:differentially-private-training"]
    assert ("train.py", 14, "protected-attribute-in-decision-logic") in by_site
    assert sorted(by_site[("train.py", 14, "protected-attribute-in-decision-logic")]) == [
        "codeql:protected-attribute-in-decision-logic", "semgrep:protected-attribute-in-decision-logic"]
    # Only CodeQL follows the feature list from features.py into train.py.
    dp12 = next(f for f in findings if f["rule_id"] == "protected-attribute-as-model-input")
    assert dp12["found_by"] == ["codeql:protected-attribute-as-model-input"]
    assert dp12["code_flow"][0]["path"] == "features.py"
