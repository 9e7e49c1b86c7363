"""A command whose extra is missing says which extra to install (exit 2), instead of a traceback
(issue 22, problem 9: the core installs without pandas, pyarrow, matplotlib or dask)."""

from __future__ import annotations

import importlib.util

import pytest
from click.testing import CliRunner

import orchestrator
from orchestrator.cli import main as cli_main


@pytest.mark.parametrize("command, extra, module", [("study", "study", "pandas"), ("measure", "measure", "fairlearn"),
                                                    ("lsp", "lsp", "pygls")])
def test_missing_extra_is_named(monkeypatch, command, extra, module):
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == module else real(name, *a))
    result = CliRunner().invoke(cli_main.main, [command, "x"])
    assert result.exit_code == 2
    # Installable as written: fairlint is not on PyPI, so a clone or a git URL at this version's tag.
    assert f"pip install -e '.[{extra}]'" in result.output and module in result.output
    assert f"'fairlint[{extra}] @ git+https://github.com/fairlint/fairlint@v{orchestrator.__version__}'" in result.output
    assert f"pip install 'fairlint[{extra}]'" not in result.output
    assert CliRunner().invoke(cli_main.main, [command, "--help"]).exit_code == 0


def test_installed_extras_pass_through():
    assert cli_main.missing_extra("study") is None and cli_main.missing_extra("scan") is None
