"""Ctrl-C exits 130 (issue 19): never 1, which the gate uses for "findings"."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from orchestrator.cli.main import EXIT_INTERRUPTED, main


@pytest.mark.parametrize("command", [["scan"], ["gate"], ["baseline", "-o", "b.json"]])
def test_ctrl_c_exits_130(tmp_path, monkeypatch, command):
    import orchestrator.pipeline.scan as pipeline_scan

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(pipeline_scan, "scan", interrupted)
    (tmp_path / "a.py").write_text("x = 1\n")
    monkeypatch.chdir(tmp_path)
    res = CliRunner().invoke(main, [command[0], str(tmp_path), *command[1:]])
    assert res.exit_code == EXIT_INTERRUPTED == 130, res.output
    assert "interrupted" in res.output
