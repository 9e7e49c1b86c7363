"""The editor's settings (section ``fairlint``) and what they mean for a scan.

Editors send them as ``initializationOptions``, in ``workspace/didChangeConfiguration`` or
through ``workspace/configuration`` (section ``fairlint``); the keys are the VS Code extension's
settings without the ``fairlint.`` prefix. Unknown keys are ignored, bad values fall back to the
default and are reported once (:attr:`Settings.problems`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

from orchestrator.model import Severity

#: The settings the server reads (key -> what it is), mirrored by editors/vscode/package.json.
KEYS = {
    "policyFile": "policy file (default: the workspace's .fairlint.yml)",
    "protectedAttributes": "extra protected-attribute names",
    "proxyAttributes": "extra proxy-feature names",
    "minimumSeverity": "lowest severity shown (info, low, medium, high, critical)",
    "engines": "engines to run (semgrep; codeql on open and save only)",
    "cacheDir": "result cache folder (default: the user cache folder)",
    "debounceMs": "quiet time after a change before the document is analysed",
    "docsUrl": "where the rule documentation is (the rule id is appended as #anchor)",
}


@dataclass(frozen=True)
class Settings:
    policy_file: str | None = None
    protected_attrs: tuple[str, ...] = ()
    proxy_attrs: tuple[str, ...] = ()
    minimum_severity: Severity = Severity.INFO
    engines: tuple[str, ...] = ("semgrep",)
    cache_dir: str | None = None
    debounce_ms: int = 200
    docs_url: str | None = None
    problems: tuple[str, ...] = field(default=(), compare=False)

    @classmethod
    def from_client(cls, data: Mapping[str, Any] | None) -> "Settings":
        """Settings from the client's ``fairlint`` section (a nested ``{"fairlint": {...}}`` works too)."""
        data = dict(data or {})
        if isinstance(data.get("fairlint"), Mapping):
            data = dict(data["fairlint"])
        problems: list[str] = []

        def names(key: str) -> tuple[str, ...]:
            value = data.get(key) or ()
            if isinstance(value, str):
                value = [v for v in value.replace(",", " ").split()]
            if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
                problems.append(f"{key}: expected a list of names")
                return ()
            return tuple(v.strip() for v in value if v.strip())

        severity = Severity.INFO
        if data.get("minimumSeverity"):
            try:
                severity = Severity.parse(data["minimumSeverity"])
            except ValueError as exc:
                problems.append(f"minimumSeverity: {exc}")
        debounce = data.get("debounceMs", 200)
        if not isinstance(debounce, int) or isinstance(debounce, bool) or not 0 <= debounce <= 10_000:
            problems.append("debounceMs: expected milliseconds between 0 and 10000")
            debounce = 200
        engines = tuple(n.lower() for n in names("engines")) or ("semgrep",)
        text = lambda key: str(data[key]).strip() or None if data.get(key) else None  # noqa: E731
        return cls(policy_file=text("policyFile"), protected_attrs=names("protectedAttributes"),
                   proxy_attrs=names("proxyAttributes"), minimum_severity=severity, engines=engines,
                   cache_dir=text("cacheDir"), debounce_ms=debounce, docs_url=text("docsUrl"),
                   problems=tuple(problems))

    def policy_path(self, root: Path) -> Path | None:
        """The explicit policy file (relative paths are under the workspace folder), or None."""
        if not self.policy_file:
            return None
        path = Path(self.policy_file).expanduser()
        return path if path.is_absolute() else root / path
