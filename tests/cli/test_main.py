"""The `fairlint` group: subcommands from other modules are imported only when used."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from click.testing import CliRunner

from orchestrator.cli import main as cli


@pytest.mark.parametrize("name", sorted(cli.LAZY_COMMANDS))
def test_every_lazy_command_resolves_and_has_help(name):
    result = CliRunner().invoke(cli.main, [name, "--help"])
    assert result.exit_code == 0, result.output
    assert cli.main.get_command(None, name).name == name


def test_the_group_lists_every_command():
    result = CliRunner().invoke(cli.main, ["--help"])
    assert result.exit_code == 0
    listed = {line.split()[0] for line in result.output.split("Commands:")[1].splitlines() if line.strip()}
    assert listed == {*cli.LAZY_COMMANDS, "rules"}


def test_an_unknown_command_is_a_usage_error():
    result = CliRunner().invoke(cli.main, ["scna"])
    assert result.exit_code == 2 and "No such command" in result.output


def test_scan_does_not_import_the_gate_or_the_study(tmp_path):
    # A fresh interpreter and a real (cached, Semgrep-free) scan: what `fairlint scan` loads is
    # part of every warm re-scan's time.
    (tmp_path / "proj").mkdir()
    (tmp_path / "proj" / "a.py").write_text("x = 1\n")
    code = ("import sys, json; from orchestrator.cli.main import main\n"
            "try:\n    main(sys.argv[1:])\nexcept SystemExit:\n    pass\n"
            "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in ('jsonschema', 'orchestrator'))))")
    argv = ["scan", str(tmp_path / "proj"), "--format", "json", "--output", str(tmp_path / "out.json"),
            "--cache-dir", str(tmp_path / "cache"), "--jobs", "1"]
    done = subprocess.run([sys.executable, "-c", code, *argv], capture_output=True, text=True, timeout=600,
                          check=True)
    loaded = set(json.loads(done.stdout.strip().splitlines()[-1]))
    assert json.loads((tmp_path / "out.json").read_text())["findings"] == []
    assert "orchestrator.cli.scan" in loaded and "orchestrator.pipeline.scan" in loaded
    assert not loaded & {"jsonschema", "orchestrator.cli.gate", "orchestrator.gate.gate", "orchestrator.cli.study",
                         "orchestrator.study.run"}
