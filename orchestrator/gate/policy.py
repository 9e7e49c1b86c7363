"""The gate's policy: ``.fairlint.yml`` at the scanned root (or ``--policy FILE``).

Validated by ``orchestrator/schemas/policy.schema.json``; unknown keys and bad values are
errors that name the key (the gate exits 2), never silently ignored.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from orchestrator import safeio, settings
from orchestrator.config import ScanConfig, glob_match, rebase_glob
from orchestrator.model import Finding, ScanResult, Severity
from orchestrator.rules import resources

POLICY_FILE = settings.CONFIG_NAMES[0]
_CONFIDENCE_RANK = {"LOW": 0, "MEDIUM": 1, "HIGH": 2}
#: ``fail-on: never`` reports but never fails (rank above every severity).
_NEVER = 99


class PolicyError(settings.ConfigError):
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
            return cls.from_config(settings.load(path))
        except settings.ConfigError as exc:
            raise PolicyError(str(exc)) from None

    @classmethod
    def discover(cls, root: Path, explicit: Path | None = None, isolated: bool = False) -> "Policy":
        """The policy for scanning ``root`` (a folder or file): ``explicit`` if given, none when
        ``isolated``, else the configuration found at or above it (:mod:`orchestrator.settings`),
        its paths made relative to ``root``'s folder."""
        try:
            project = settings.resolve(Path(root), explicit, isolated)
        except settings.ConfigError as exc:
            raise PolicyError(str(exc)) from None
        folder = Path(root) if Path(root).is_dir() else Path(root).parent
        return cls.from_config(project).rebased(settings.relative_prefix(project.root, folder))

    @classmethod
    def from_config(cls, project: settings.ProjectConfig) -> "Policy":
        if not project.data:
            return cls(source=project.source)
        try:
            return cls.from_dict(project.data, source=project.source)
        except settings.ConfigError as exc:
            raise PolicyError(str(exc)) from None

    def rebased(self, prefix: tuple[str, ...]) -> "Policy":
        """This policy for a scan rooted ``prefix`` folders below the configuration's folder:
        ``exclude`` and override globs rewritten, those that cannot match below it dropped."""
        if not prefix:
            return self

        def globs(patterns: tuple[str, ...]) -> tuple[str, ...]:
            return tuple(g for g in (rebase_glob(p, prefix) for p in patterns) if g is not None)

        overrides = tuple(replace(o, paths=globs(o.paths)) for o in self.overrides)
        return replace(self, exclude=globs(self.exclude), overrides=tuple(o for o in overrides if o.paths))

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

    # ------------------------------------------------------------ applying it
    def scan_config(self, config: ScanConfig) -> ScanConfig:
        """``config`` with this policy's extra vocabulary and exclusions added."""
        return replace(config, protected_attrs=config.protected_attrs + self.protected_attrs,
                       proxy_attrs=config.proxy_attrs + self.proxy_attrs,
                       exclude=config.exclude + self.exclude)

    def scoped(self, result: ScanResult) -> ScanResult:
        """``result`` with only the findings this policy counts, naming the policy's source."""
        return replace(result, findings=tuple(f for f in result.findings if self.counts(f)),
                       config=self.source)

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
    import jsonschema  # here, not at the top: only a configuration file's contents need it

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
            lines.append(safeio.short(f"{where}: unknown key(s) {', '.join(map(repr, extra))}", 200))
        else:
            lines.append(safeio.short(f"{where}: {err.message}", 200))  # never the whole document
    raise PolicyError(f"invalid policy {source}:\n  " + "\n  ".join(lines))
