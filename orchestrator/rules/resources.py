"""Where the shipped data lives: the rule pack (package ``fairlint_rules``) and schemas."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from pathlib import Path


@lru_cache(maxsize=None)
def rules_root() -> Path:
    """The installed rule pack directory (``rules/`` in a checkout)."""
    return Path(str(resources.files("fairlint_rules")))


def semgrep_rules_dir() -> Path:
    return rules_root() / "semgrep"


def evidence_rules_dir() -> Path:
    return rules_root() / "evidence"


def codeql_dir() -> Path:
    return rules_root() / "codeql"


def vocabulary_file() -> Path:
    return rules_root() / "vocabulary.yaml"


def rule_schema_file() -> Path:
    return rules_root() / "schema" / "semgrep-rule-metadata.schema.json"


def schema_file(name: str) -> Path:
    """A JSON Schema shipped with the orchestrator (``orchestrator/schemas/<name>``)."""
    return Path(str(resources.files("orchestrator") / "schemas" / name))
