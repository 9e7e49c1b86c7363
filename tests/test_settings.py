"""One configuration for every command, found the way ruff finds its own (issue 22, problem 2):
``.fairlint.yml`` or ``pyproject.toml [tool.fairlint]`` at or above the scanned path; ``--config``
overrides, ``--isolated`` ignores; scan, gate, baseline and the reports all apply it."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from orchestrator import settings
from orchestrator.cli.main import main
from orchestrator.config import glob_match, rebase_glob

PREP = """import pandas as pd

df = pd.read_csv("adult.csv")
df = df.dropna()
df["g"] = pd.cut(df["tribe"], bins=3)
"""


@pytest.fixture(autouse=True)
def private_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("FAIRLINT_CACHE_DIR", str(tmp_path / "cache"))


@pytest.fixture()
def project(tmp_path):
    root = tmp_path / "proj"
    (root / "src" / "legacy").mkdir(parents=True)
    (root / "src" / "prep.py").write_text(PREP)
    (root / "src" / "legacy" / "old.py").write_text("# kept for the old reports\n" + PREP)
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    return root


def scan_json(*args) -> dict:
    result = CliRunner().invoke(main, ["scan", *map(str, args), "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def rules_at(data: dict) -> set[tuple[str, str]]:
    return {(f["path"], f["bias_pattern"]) for f in data["findings"]}


def test_find_config_walks_up_and_stops_at_the_repository(project, tmp_path):
    (tmp_path / ".fairlint.yml").write_text("disable: [DP01]\n")  # above the repository: not used
    assert settings.find_config(project / "src" / "prep.py") is None
    (project / "pyproject.toml").write_text("[project]\nname = 'x'\n")  # no [tool.fairlint]: passed over
    assert settings.find_config(project / "src") is None
    (project / "pyproject.toml").write_text("[tool.fairlint]\ndisable = ['DP01']\n")
    assert settings.find_config(project / "src" / "legacy") == project / "pyproject.toml"
    (project / "src" / ".fairlint.yml").write_text("disable: [DP04]\n")
    assert settings.find_config(project / "src" / "legacy" / "old.py") == project / "src" / ".fairlint.yml"
    loaded = settings.resolve(project / "src")
    assert loaded.data == {"disable": ["DP04"]} and loaded.root == project / "src"
    assert settings.resolve(project / "src", isolated=True).source == "isolated"


def test_rebase_glob():
    assert rebase_glob("src/legacy/", ("src",)) == "legacy/"
    assert rebase_glob("src/*/old.py", ("src", "legacy")) == "old.py"
    assert rebase_glob("docs/", ("src",)) is None
    assert rebase_glob("src/", ("src", "legacy")) == "**"
    assert rebase_glob("**/old.py", ("src",)) == "**/old.py"
    assert glob_match("legacy/old.py", rebase_glob("src/legacy/", ("src",)))


def test_scan_applies_disable_vocabulary_and_overrides(project):
    before = rules_at(scan_json(project))
    assert ("src/prep.py", "DP01") in before
    assert not any(p == "DP04" for _, p in before)  # 'tribe' is not in the default vocabulary
    (project / ".fairlint.yml").write_text(
        "disable: [DP01]\nprotected-attributes: [tribe]\n"
        "overrides:\n  - paths: [src/legacy/]\n    disable: [DP04]\n")
    data = scan_json(project)
    after = rules_at(data)
    assert not any(p == "DP01" for _, p in after)
    assert ("src/prep.py", "DP04") in after and ("src/legacy/old.py", "DP04") not in after
    assert data["config"] == str(project / ".fairlint.yml")
    # Scanning a sub-folder finds the same file above it, with its paths made relative.
    sub = scan_json(project / "src")
    assert ("prep.py", "DP04") in rules_at(sub) and ("legacy/old.py", "DP04") not in rules_at(sub)
    # --isolated ignores it; --config names another.
    assert ("src/prep.py", "DP01") in rules_at(scan_json(project, "--isolated"))
    other = project.parent / "other.yml"
    other.write_text("disable: [DP04, DP01, DS02]\nprotected-attributes: [tribe]\n")
    data = scan_json(project, "--config", other)
    assert rules_at(data) == set() and data["config"] == str(other)


def test_pyproject_table_and_html_names_the_config(project, tmp_path):
    (project / "pyproject.toml").write_text("[tool.fairlint]\ndisable = ['DP01']\n")
    data = scan_json(project / "src" / "prep.py")
    assert not any(p == "DP01" for _, p in rules_at(data))
    assert data["config"] == f"{project / 'pyproject.toml'} [tool.fairlint]"
    out = tmp_path / "r.html"
    result = CliRunner().invoke(main, ["scan", str(project), "--format", "html", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert f"{project / 'pyproject.toml'} [tool.fairlint]" in out.read_text()


def test_gate_and_baseline_use_the_same_config(project):
    (project / "src" / ".fairlint.yml").write_text("fail-on: info\ndisable: [DP01]\n")
    gate = CliRunner().invoke(main, ["gate", str(project / "src"), "--format", "json"])
    data = json.loads(gate.output)
    assert data["config"] == str(project / "src" / ".fairlint.yml")
    assert not any(f["bias_pattern"] == "DP01" for f in data["findings"])
    result = CliRunner().invoke(main, ["baseline", str(project / "src")])
    assert result.exit_code == 0, result.output
    entries = json.loads((project / "src" / settings.BASELINE_NAME).read_text())["findings"]
    assert entries and not any(e["bias_pattern"] == "DP01" for e in entries)


def test_bad_config_is_exit_2_for_scan_too(project):
    (project / ".fairlint.yml").write_text("disable: DP01\n")
    result = CliRunner().invoke(main, ["scan", str(project)])
    assert result.exit_code == 2 and "disable" in result.output
    (project / ".fairlint.yml").unlink()
    (project / "pyproject.toml").write_text("[tool.fairlint\n")
    result = CliRunner().invoke(main, ["scan", str(project)])
    assert result.exit_code == 2 and "not valid TOML" in result.output
