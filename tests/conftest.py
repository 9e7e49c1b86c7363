"""Shared fixtures: repository paths, the offline semgrep runner, the shared/ data folder."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from orchestrator import proc

REPO = Path(__file__).resolve().parents[1]
# shared/ sits beside the checkout (../shared) on developer machines and in CI.
SHARED = Path(os.environ.get("FAIRLINT_SHARED", REPO.parent / "shared"))


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return REPO


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not SHARED.is_dir():
        pytest.skip(f"shared data folder not found at {SHARED}")
    return SHARED


@pytest.fixture(scope="session")
def semgrep_bin() -> str:
    path = proc.which("semgrep")
    if not path:
        pytest.fail("semgrep is not installed: pip install -e '.[test]'")
    return path


@pytest.fixture(autouse=True)
def _private_result_cache(tmp_path_factory, monkeypatch) -> None:
    """Every test scans with its own empty result cache, never the user's."""
    monkeypatch.setenv("FAIRLINT_CACHE_DIR", str(tmp_path_factory.mktemp("fairlint-cache")))
