"""The gate's policy: ``.fairlint.yml`` at the scanned root (or ``--policy FILE``).

Validated by ``orchestrator/schemas/policy.schema.json``; unknown keys and bad values are
errors that name the key (the gate exits 2), never silently ignored.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from orchestrator.config import glob_match
from orchestrator.model import Finding, Severity
from orchestrator.rules import resources

POLICY_FILE = ".fairlint.yml"
_CONFIDENCE_RANK = {"LOW": 0, "MEDIUM": 1, "HIGH": 2}
#: ``fail-on: never`` reports but never fails (rank above every severity).
_NEVER = 99


class PolicyError(ValueError):
    """The policy file is unreadable or invalid; the message says where and why."""


def _fail_rank(value: str) -> int:
    return _NEVER if value == "never" else Severity.parse(value).rank


@dataclass(frozen=True)
class PathOverride:
    paths: tuple[str, ...]
    fail_on: int | None = None
    min_confidence: int | None = None
    disable: tuple[str, ...] = ()

    def applies_to(self, path: str) -> bool:
        return any(glob_match(path, pattern) for pattern in self.paths)


@dataclass(frozen=True)
class Policy:
    fail_on: int = Severity.HIGH.rank
    min_confidence: int = 0
    disable: tuple[str, ...] = ()
    enable: tuple[str, ...] = ()
    overrides: tuple[PathOverride, ...] = ()
    protected_attrs: tuple[str, ...] = ()
    proxy_attrs: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    source: str = "default"
    #: The ``measure:`` section as written (see orchestrator.measure.link.MeasureSpec.from_section).
    measure: dict[str, Any] | None = None

    # ------------------------------------------------------------ loading
    @classmethod
    def load(cls, path: Path) -> "Policy":
        try:
            data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
        except OSError as exc:
            raise PolicyError(f"cannot read policy {path}: {exc.strerror or exc}") from exc
        except yaml.YAMLError as exc:
            raise PolicyError(f"policy {path} is not valid YAML: {exc}") from exc
        return cls.from_dict(data if data is not None else {}, source=str(path))

    @classmethod
    def discover(cls, root: Path, explicit: Path | None = None) -> "Policy":
        """``explicit`` if given, else ``root/.fairlint.yml`` if present, else the default."""
        if explicit is not None:
            return cls.load(explicit)
        candidate = Path(root) / POLICY_FILE
        return cls.load(candidate) if candidate.is_file() else cls()

    @classmethod
    def from_dict(cls, data: Any, source: str = "<dict>") -> "Policy":
        _validate(data, source)
        conf = lambda v: None if v is None else _CONFIDENCE_RANK[v.upper()]  # noqa: E731
        overrides = tuple(
            PathOverride(
                paths=tuple(o["paths"]),
                fail_on=_fail_rank(o["fail-on"]) if "fail-on" in o else None,
                min_confidence=conf(o.get("min-confidence")),
                disable=tuple(o.get("disable", ())),
            )
            for o in data.get("overrides", ())
        )
        return cls(
            fail_on=_fail_rank(data.get("fail-on", "high")),
            min_confidence=conf(data.get("min-confidence", "LOW")),
            disable=tuple(data.get("disable", ())),
            enable=tuple(data.get("enable", ())),
            overrides=overrides,
            protected_attrs=tuple(data.get("protected-attributes", ())),
            proxy_attrs=tuple(data.get("proxy-attributes", ())),
            exclude=tuple(data.get("exclude", ())),
            source=source,
            measure=dict(data["measure"]) if data.get("measure") else None,
        )

    # ------------------------------------------------------------ decisions
    def _override_for(self, path: str) -> PathOverride | None:
        for override in self.overrides:  # the first matching override wins
            if override.applies_to(path):
                return override
        return None

    def counts(self, finding: Finding) -> bool:
        """Whether the finding is in scope at all (enabled, not disabled, confident enough)."""
        ids = {finding.rule_id, finding.bias_pattern}
        override = self._override_for(finding.path)
        disabled = set(self.disable) | set(override.disable if override else ())
        if ids & disabled:
            return False
        if self.enable and not ids & set(self.enable):
            return False
        floor = self.min_confidence
        if override and override.min_confidence is not None:
            floor = override.min_confidence
        return _CONFIDENCE_RANK.get(finding.confidence.upper(), 0) >= floor

    def fails(self, finding: Finding) -> bool:
        """Whether an in-scope finding is at or above the failing level for its path."""
        override = self._override_for(finding.path)
        threshold = override.fail_on if override and override.fail_on is not None else self.fail_on
        return finding.severity.rank >= threshold


def _validate(data: Any, source: str) -> None:
    import jsonschema  # here, not at the top: `fairlint scan` imports this module (globs) and never validates

    schema = json.loads(resources.schema_file("policy.schema.json").read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema)
    errors = sorted(validator.iter_errors(data), key=lambda e: list(e.absolute_path))
    if not errors:
        return
    lines = []
    for err in errors:
        where = "/".join(str(p) for p in err.absolute_path) or "(top level)"
        if err.validator == "additionalProperties":
            extra = sorted(set(err.instance) - set(err.schema.get("properties", {})))
            lines.append(f"{where}: unknown key(s) {', '.join(map(repr, extra))}")
        else:
            lines.append(f"{where}: {err.message}")
    raise PolicyError(f"invalid policy {source}:\n  " + "\n  ".join(lines))
