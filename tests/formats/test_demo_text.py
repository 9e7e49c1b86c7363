"""The demo's terminal output at 100 columns (issue 22, problem 3): a golden file, and no line
wider than the terminal. The demo is copied out of the repository so the scan is of a project
of its own (no note about the surrounding repository) and paths read ``demo/...`` from the
current folder."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from orchestrator.cli.main import main

pytestmark = pytest.mark.slow
DEMO = Path(__file__).resolve().parents[2] / "demo"


def test_demo_text_at_100_columns(tmp_path, monkeypatch, file_regression):
    shutil.copytree(DEMO, tmp_path / "demo")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("FAIRLINT_CACHE_DIR", str(tmp_path / "cache"))
    env = {"COLUMNS": "100", "NO_COLOR": "1", "FORCE_COLOR": ""}
    result = CliRunner(env=env).invoke(main, ["scan", "demo"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert max(len(line) for line in lines) <= 100
    assert lines[0].startswith("demo/") and ":" in lines[0]
    assert "\x1b[" not in result.output
    file_regression.check(result.output, extension=".txt")
