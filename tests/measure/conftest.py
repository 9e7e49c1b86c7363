"""Fixtures for `fairlint measure`: the 1973 Berkeley admissions table and a CLI runner."""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

sys.path.insert(0, str(Path(__file__).parent))
from measure_data import berkeley_frame  # noqa: E402


@pytest.fixture
def berkeley() -> pd.DataFrame:
    return berkeley_frame()


@pytest.fixture
def berkeley_csv(tmp_path) -> str:
    path = tmp_path / "berkeley.csv"
    berkeley_frame().to_csv(path, index=False)
    return str(path)


@pytest.fixture
def run_measure():
    """Run `fairlint measure ARGS` through the top-level command group; returns the click Result."""
    from orchestrator.cli.main import main

    def run(*args: str):
        return CliRunner().invoke(main, ["measure", *args], catch_exceptions=False)

    return run
