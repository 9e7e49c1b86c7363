"""Shared fixtures: repository paths, the offline semgrep runner, the shared/ data folder."""

from __future__ import annotations

import os
import shutil
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


#: Headless Chromium with nothing reaching the network (the report's browser tests).
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def chromium() -> str | None:
    """Debian's chromium binary, or None."""
    for candidate in (shutil.which("chromium"), "/usr/bin/chromium", shutil.which("chromium-browser")):
        if candidate and Path(candidate).exists():
            return candidate
    return None


@pytest.fixture(scope="module")
def browser():
    """A real headless Chromium driven by Playwright; skipped only without a chromium binary
    (``.ci/run`` installs one)."""
    executable = chromium()
    if executable is None:
        pytest.skip("no chromium binary found (install Debian's chromium; .ci/run does)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    with sync_api.sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield b
        b.close()
