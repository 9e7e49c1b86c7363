"""`fairlint scan` through the command line: options, formats, exit codes, one real subprocess."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from orchestrator import proc
from orchestrator.cli import scan as cli_scan
from orchestrator.cli.main import main
from orchestrator.formats import OutputFormat
from orchestrator.model import (
    Finding,
    Location,
    ScanResult,
    Severity,
    Skipped,
    ToolInfo,
)

BINNING = 'import pandas as pd\ndf = pd.read_csv("x.csv")\ndf["g"] = pd.cut(df["tribe"], bins=3)\n'


@pytest.fixture(scope="module")
def tree(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("cli") / "proj"
    root.mkdir()
    (root / "prep.py").write_text(BINNING + "clean = df.dropna()\n")
    return root


@pytest.fixture(scope="module")
def json_run(tree, tmp_path_factory):
    out = tmp_path_factory.mktemp("out") / "sub" / "report.json"
    result = CliRunner().invoke(main, [
        "scan", str(tree), "--format", "json", "--output", str(out), "--jobs", "1",
        "--protected-attr", "tribe", "--proxy-attr", "postcode", "--engine", "semgrep", "--no-cache"])
    return result, out


def test_json_report_written_to_file(json_run):
    result, out = json_run
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text())
    rules = {(f["rule_id"], f["start_line"]) for f in data["findings"]}
    assert ("missing-rows-dropped", 4) in rules
    assert "report written to" in result.output  # the summary goes to stderr (mixed here)


def normalised_report(text: str, root: Path) -> str:
    """The JSON report without what changes between machines and runs."""
    data = json.loads(text)
    assert data["root"] == str(root.resolve())
    data["root"] = "<root>"
    data["duration_s"] = 0
    data["tool"].update(fairlint="<version>", semgrep="<version>", rule_pack="<hash>")
    return json.dumps(data, indent=2, sort_keys=True) + "\n"


def test_json_report_golden(json_run, tree, file_regression):
    _, out = json_run
    file_regression.check(normalised_report(out.read_text(), tree), extension=".json")


def test_protected_attr_option_extends_the_vocabulary(json_run):
    _, out = json_run
    rules = {(f["rule_id"], f["start_line"]) for f in json.loads(out.read_text())["findings"]}
    assert ("protected-attribute-binned", 3) in rules  # 'tribe' is not in the default vocabulary


def canned() -> ScanResult:
    loc = Location("a.py", 3, 3, 1, 9)
    finding = Finding("missing-rows-dropped", "DP01", "preparation", "`df` drops rows", "a.py", 3, 3,
                      "df.dropna()", Severity.HIGH, 7.5, (), "HIGH", "f" * 64, (loc,),
                      ("semgrep:missing-rows-dropped",))
    return ScanResult("/r", (finding,), (Skipped("b.py", "binary file (contains NUL bytes)"),),
                      ToolInfo("0.1.0", "0" * 64, "1.0"), files_scanned=2)


@pytest.mark.parametrize("fmt", [f.value for f in OutputFormat])
def test_every_format_is_wired(fmt, tmp_path, monkeypatch):
    seen = {}

    def fake_scan(path, config):
        seen["config"] = config
        return canned()

    monkeypatch.setattr("orchestrator.pipeline.scan.scan", fake_scan)
    result = CliRunner().invoke(main, ["scan", str(tmp_path), "--format", fmt,
                                       "--engine", "semgrep,codeql", "--engine", "semgrep"])
    assert result.exit_code == 0, result.output
    assert "missing-rows-dropped" in result.output or "DP01" in result.output
    assert seen["config"].engines == ("semgrep", "codeql")
    assert seen["config"].progress is False  # not a terminal


def test_missing_path_is_exit_2(tmp_path):
    result = CliRunner().invoke(main, ["scan", str(tmp_path / "nope")])
    assert result.exit_code == 2
    assert "path does not exist" in result.output


def test_unknown_engine_is_exit_2(tmp_path):
    result = CliRunner().invoke(main, ["scan", str(tmp_path), "--engine", "grep"])
    assert result.exit_code == 2
    assert "unknown engine 'grep'" in result.output


def test_missing_semgrep_is_exit_2(tmp_path, monkeypatch):
    monkeypatch.setattr(proc, "which", lambda tool: None)
    result = CliRunner().invoke(main, ["scan", str(tmp_path)])
    assert result.exit_code == 2
    assert "'semgrep' is not available" in result.output


def test_bad_option_is_exit_2(tmp_path):
    assert CliRunner().invoke(main, ["scan", str(tmp_path), "--format", "xml"]).exit_code == 2
    assert CliRunner().invoke(main, ["scan", str(tmp_path), "--jobs", "-1"]).exit_code == 2


class _Stream:
    def __init__(self, tty: bool) -> None:
        self.tty = tty

    def isatty(self) -> bool:
        return self.tty


def test_progress_only_on_a_terminal_outside_ci(monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.setenv("TERM", "xterm")
    assert cli_scan.progress_wanted(_Stream(True)) is True
    assert cli_scan.progress_wanted(_Stream(False)) is False
    monkeypatch.setenv("CI", "true")
    assert cli_scan.progress_wanted(_Stream(True)) is False


def test_split_engines():
    assert cli_scan.split_engines(()) == ("semgrep", "flow")  # the flow engine is on by default (issue 20)
    assert cli_scan.split_engines(("semgrep, CodeQL", "semgrep")) == ("semgrep", "codeql")


def test_real_subprocess(tree):
    """The installed console script, piped (no progress output), text report on stdout."""
    exe = Path(sys.executable).parent / "fairlint"
    argv = [str(exe)] if exe.exists() else [sys.executable, "-m", "orchestrator.cli.main"]
    done = proc.run(argv + ["scan", str(tree), "--jobs", "1", "--no-cache", "--show-info"], timeout=600,
                    env={"CI": "1"})
    assert done.returncode == 0
    # No people data in the tree (tribe is not a default term): info, listed with --show-info.
    assert "INFO DP01 missing-rows-dropped" in done.stdout
    assert "prep.py" in done.stdout
    assert "\x1b[" not in done.stdout + done.stderr  # no live progress or colours in logs


def test_the_scan_command_asks_for_progress_only_on_a_terminal(tmp_path, monkeypatch):
    import orchestrator.pipeline.scan as pipeline
    from orchestrator.model import ScanResult, ToolInfo

    (tmp_path / "a.py").write_text("x = 1\n")
    asked: list[bool] = []

    def fake_scan(path, config):
        asked.append(config.progress)
        return ScanResult(str(tmp_path), (), (), ToolInfo("0", "h"), files_scanned=1)

    monkeypatch.setattr(pipeline, "scan", fake_scan)
    for tty, args, wanted in ((True, [], True), (True, ["--quiet"], False), (False, [], False)):
        monkeypatch.setattr(cli_scan, "progress_wanted", lambda stream=None, tty=tty: tty)
        result = CliRunner().invoke(main, ["scan", str(tmp_path), *args])
        assert result.exit_code == 0, result.output
        assert asked[-1] is wanted, (tty, args)
