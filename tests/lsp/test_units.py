"""The server's pure parts: settings, message splitting, the stratify fix's call finding, the
mirror of buffers, and the command's message when the extra is missing."""

from __future__ import annotations

import importlib.util

import pytest
from click.testing import CliRunner

from orchestrator.lsp import missing_dependency
from orchestrator.lsp.settings import Settings
from orchestrator.model import Severity

pytest.importorskip("pygls", reason="the 'lsp' extra is not installed")
from orchestrator.lsp import actions, convert  # noqa: E402
from orchestrator.lsp.project import buffer_loaded, notebook_json  # noqa: E402


def test_settings_from_the_client_section():
    s = Settings.from_client({"fairlint": {"policyFile": "ci/policy.yml", "protectedAttributes": ["caste", " tribe "],
                                           "proxyAttributes": "zip_code, surname", "minimumSeverity": "Medium",
                                           "engines": ["Semgrep", "codeql"], "debounceMs": 80}})
    assert s.protected_attrs == ("caste", "tribe") and s.proxy_attrs == ("zip_code", "surname")
    assert s.minimum_severity is Severity.MEDIUM and s.engines == ("semgrep", "codeql") and s.debounce_ms == 80
    assert not s.problems


def test_bad_settings_fall_back_and_say_why(tmp_path):
    s = Settings.from_client({"minimumSeverity": "loud", "debounceMs": -5, "protectedAttributes": [3]})
    assert s.minimum_severity is Severity.INFO and s.debounce_ms == 200 and s.protected_attrs == ()
    assert sorted(p.split(":")[0] for p in s.problems) == ["debounceMs", "minimumSeverity", "protectedAttributes"]
    assert Settings.from_client({"policyFile": "p.yml"}).policy_path(tmp_path) == tmp_path / "p.yml"
    assert Settings().policy_path(tmp_path) is None


@pytest.mark.parametrize("message, first, rest", [
    ("`df` is dropped. Missingness is not random (e.g. Income). Impute instead.",
     "`df` is dropped.", "Missingness is not random (e.g. Income). Impute instead."),
    ("Uses e.g. SMOTE here. Resample per group.", "Uses e.g. SMOTE here.", "Resample per group."),
    ("One sentence only", "One sentence only", ""),
    ("Ends.\n  `x` starts the next.", "Ends.", "`x` starts the next."),
])
def test_split_message(message, first, rest):
    assert convert.split_message(message) == (first, rest)


@pytest.mark.parametrize("source, line, expected", [
    ("a, b = train_test_split(X, y, test_size=0.2)\n", 0, (0, 43, True, "y")),
    ("a, b = train_test_split(\n    X, y,\n)\n", 0, (2, 0, False, "y")),
    ("a, b = sk.train_test_split(frame)\n", 0, (0, 32, True, None)),
    ("# é\nparts = train_test_split(X, y[\"é\"])\n", 1, (1, 34, True, 'y["é"]')),
])
def test_find_split_call(source, line, expected):
    call = actions.find_split_call(source, line)
    assert (call.line, call.character, call.needs_comma, call.labels) == expected


@pytest.mark.parametrize("source, line", [
    ("a, b = train_test_split(X, y, stratify=y)\n", 0),  # already stratified
    ("a, b = train_test_split(*args)\n", 0),  # may carry it
    ("a, b = train_test_split(X, y)\n", 3),  # not on that line
    ("a, b = train_test_split(X, y\n", 0),  # does not parse
    ("a, b = random_split(ds, [8, 2])\n", 0),  # not local: no fix
])
def test_no_split_fix(source, line):
    assert actions.find_split_call(source, line) is None


def test_buffers_and_notebooks_share_the_pipeline_identity(tmp_path):
    text = "import pandas as pd\ndf = pd.read_csv('a.csv').dropna()\n"
    loaded = buffer_loaded(tmp_path, "a.py", "python", text)
    from orchestrator.pipeline import discovery

    (tmp_path / "a.py").write_text(text, encoding="utf-8")
    on_disk = discovery.load(discovery.SourceFile(tmp_path / "a.py", "a.py", "python", len(text)))
    assert loaded.digest == on_disk.digest  # an unchanged buffer is a cache hit
    nb = buffer_loaded(tmp_path, "n.ipynb", "notebook", notebook_json([("markdown", "# t"), ("code", "x = 1\ny = 2")]))
    assert nb.text == "x = 1\ny = 2\n" and nb.notebook.cell_ref(2).index == 1 and nb.notebook.cell_ref(2).line == 2


def test_missing_extra_is_named(monkeypatch):
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "pygls" else real(name, *a))
    assert "pip install -e '.[lsp]'" in missing_dependency()
    from orchestrator.cli.main import main

    result = CliRunner().invoke(main, ["lsp"])  # the group names the extra before importing the command
    assert result.exit_code == 2 and "pip install -e '.[lsp]'" in result.output and "pygls" in result.output
    from orchestrator.cli.lsp import lsp_cmd

    result = CliRunner().invoke(lsp_cmd, [])  # and so does the command itself
    assert result.exit_code == 2 and "pygls is not installed" in result.output


def test_every_rule_has_its_documentation_anchor(repo_root):
    from orchestrator.pipeline.reasoning import REPOSITORY_RULES
    from orchestrator.rules import pack

    catalogue = (repo_root / "docs" / "rules.md").read_text(encoding="utf-8")
    ids = set(pack.rule_ids()) | set(REPOSITORY_RULES)
    assert ids and all(f'<a id="{rule_id}"></a>' in catalogue for rule_id in ids)
    assert convert.docs_href("unstratified-split").endswith("docs/rules.md#unstratified-split")
    assert convert.docs_href("x", "https://example.org/rules.html") == "https://example.org/rules.html#x"


def _finding(**kw):
    from orchestrator.model import CellRef, Finding, Location, ScoreFactor

    base = dict(rule_id="protected-attribute-as-model-input", bias_pattern="DP12", stage="preparation",
                message="`sex` is a model input. Models use it directly (bias-prone, needs group-wise evaluation). "
                        "Keep it out of the features.",
                path="a.py", start_line=3, end_line=3, snippet="fit(X)", severity=Severity.MEDIUM, score=5.5,
                score_factors=(ScoreFactor("confidence", 0.5, "rule confidence HIGH"),), confidence="MEDIUM",
                fingerprint="f" * 64, occurrences=(Location("a.py", 3, 3, 5, 11), Location("vendor/a.py", 3, 3, 5, 11)),
                found_by=("codeql:protected-attribute-as-model-input",), start_col=5, end_col=11,
                code_flow=(Location("b.py", 10, 10, 1, 4), Location("n.ipynb", 2, 2, 1, 3, CellRef(4, 2))),
                evidence=("people-data b.py:7", "aggregate-metric n.ipynb cell 4:2", "reweighting +3 more"))
    base.update(kw)
    return Finding(**base)


def test_diagnostics_carry_severity_links_flow_evidence_and_every_copy():
    from lsprotocol import types as lsp

    from orchestrator.gate.policy import Policy

    def place(path, cell, sl, sc, el, ec):
        if path.endswith(".ipynb"):
            return convert.Place(f"cell://{path}/{cell}", lsp.Range(lsp.Position(sl - 1, 0), lsp.Position(sl, 0)))
        return convert.Place(f"file:///w/{path}", lsp.Range(lsp.Position(sl - 1, sc - 1), lsp.Position(el - 1, ec - 1)))

    shown = convert.finding_diagnostics(_finding(), Policy(), place, "https://docs.example/rules")
    assert [s.uri for s in shown] == ["file:///w/a.py", "file:///w/vendor/a.py"]
    d = shown[0].diagnostic
    assert d.severity == lsp.DiagnosticSeverity.Warning and d.code == "protected-attribute-as-model-input"
    assert d.code_description.href == "https://docs.example/rules#protected-attribute-as-model-input"
    assert d.message == "`sex` is a model input. [DP12, medium]"
    assert d.range == lsp.Range(lsp.Position(2, 4), lsp.Position(2, 10))
    assert [(r.message, r.location.uri, r.location.range.start.line) for r in d.related_information] == [
        ("code flow step 1", "file:///w/b.py", 9), ("code flow step 2", "cell://n.ipynb/4", 1),
        ("evidence: people-data", "file:///w/b.py", 6), ("evidence: aggregate-metric", "cell://n.ipynb/4", 1)]
    assert d.data["fingerprint"] == "f" * 64
    severities = {level: convert.severity(_finding(severity=level), Policy()) for level in Severity}
    assert severities == {Severity.CRITICAL: lsp.DiagnosticSeverity.Error, Severity.HIGH: lsp.DiagnosticSeverity.Error,
                          Severity.MEDIUM: lsp.DiagnosticSeverity.Warning, Severity.LOW: lsp.DiagnosticSeverity.Information,
                          Severity.INFO: lsp.DiagnosticSeverity.Hint}
    assert convert.severity(_finding(severity=Severity.HIGH), Policy(fail_on=Severity.CRITICAL.rank)) \
        == lsp.DiagnosticSeverity.Warning
    hover = convert.hover_markdown(_finding())
    assert "Models use it directly" in hover and "| confidence | +0.5 | rule confidence HIGH |" in hover
    assert "- people-data b.py:7" in hover and "`codeql:protected-attribute-as-model-input`" not in hover  # one engine


def test_buffers_go_to_a_private_mirror_and_only_current_contents_stay(tmp_path):
    import stat

    from orchestrator.lsp.project import Project

    root = tmp_path / "ws"
    root.mkdir()
    (root / "a.py").write_text("import pandas as pd\ndf = pd.read_csv('a.csv')\n", encoding="utf-8")
    project = Project(root, Settings(cache_dir=str(tmp_path / "cache")), tmp_path / "mirror")
    assert stat.S_IMODE((tmp_path / "mirror").stat().st_mode) == 0o700
    project.set_buffer("a.py", "python", "import pandas as pd\ndf = pd.read_csv('a.csv').dropna()\n")
    first = project.analyse(all_engines=False)
    assert first.engine_read == ("a.py",) and [f.rule_id for f in first.result.findings] == ["missing-rows-dropped"]
    second_text = "import pandas as pd\ndf = pd.read_csv('a.csv').fillna(0)\n"
    project.set_buffer("a.py", "python", second_text)
    second = project.analyse(all_engines=False)
    assert second.engine_read == ("a.py",) and not second.result.findings
    mirrored = sorted(p.name for p in (tmp_path / "mirror").glob("*.py"))
    assert mirrored == [f"{buffer_loaded(root, 'a.py', 'python', second_text).digest}.py"]  # the current one only
    assert "dropna" not in (root / "a.py").read_text(encoding="utf-8")  # the file itself is never written
    project.drop_buffer("a.py")
    third = project.analyse(all_engines=False)
    assert third.engine_read == ("a.py",) and not third.result.findings  # the disk content, analysed once
    assert project.analyse(all_engines=False).engine_read == ()  # and cached from then on
