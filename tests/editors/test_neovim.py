"""A real editor's LSP client: headless Neovim (Debian's neovim, 0.7+) runs
editors/neovim/diagnostics.lua against the demo; skipped where nvim is not installed."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

pytestmark = pytest.mark.slow


def test_neovim_shows_diagnostics_hover_and_code_actions(repo_root, tmp_path):
    nvim = shutil.which("nvim")
    if nvim is None:
        pytest.skip("Neovim is not installed (apt-get install neovim)")
    env = {**os.environ, "FAIRLINT_ROOT": "demo", "FAIRLINT_PYTHON": sys.executable, "FAIRLINT_LINE": "46",
           "FAIRLINT_CACHE_DIR": str(tmp_path / "cache"), "SEMGREP_ENABLE_VERSION_CHECK": "0"}
    done = subprocess.run([nvim, "--headless", "-u", "NONE", "-c", "luafile editors/neovim/diagnostics.lua",
                           "demo/credit/prepare.py"], cwd=repo_root, env=env, capture_output=True, text=True,
                          timeout=300)
    out = done.stdout
    assert done.returncode == 0, done.stderr[-2000:]
    assert "demo/credit/prepare.py:17:6: ERROR missing-rows-dropped: `df` is filtered by deleting every row" in out
    assert "demo/credit/prepare.py:43:5: ERROR fairness-through-unawareness" in out  # repository-level
    assert "== hover at demo/credit/prepare.py:46\n**fairlint DP11: Train/test split without stratification**" in out
    assert "- Stratify the split on y (the labels)\n" in out
    assert "- Suppress unstratified-split with a reason\n" in out
