"""The wheel carries the whole package and the rule pack (an installed fairlint needs no checkout)."""

from __future__ import annotations

import fnmatch
from pathlib import Path

import pytest

from orchestrator.rules import resources

tomllib = pytest.importorskip("tomllib")  # Python 3.11+

REPO = Path(__file__).resolve().parents[1]
CONFIG = tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["setuptools"]


def test_every_orchestrator_subpackage_is_listed():
    found = {".".join(p.parent.relative_to(REPO).parts) for p in (REPO / "orchestrator").rglob("__init__.py")}
    assert found <= set(CONFIG["packages"]), found - set(CONFIG["packages"])


def _shipped(rel: str) -> bool:
    patterns = CONFIG["package-data"]["fairlint_rules"]
    return any(fnmatch.fnmatch(rel, p) or fnmatch.fnmatch(rel, p.replace("**/", "")) for p in patterns)


def test_every_rule_pack_file_is_package_data():
    rules = REPO / "rules"
    missing = [str(p.relative_to(rules)) for p in rules.rglob("*")
               if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc"
               and not _shipped(str(p.relative_to(rules)))]
    assert missing == []


def test_installed_rules_are_found_without_a_checkout_path():
    assert (resources.semgrep_rules_dir() / "preparation" / "missing-rows-dropped.yaml").is_file()
    assert resources.vocabulary_file().is_file() and resources.rule_schema_file().is_file()
