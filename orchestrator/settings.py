"""The project configuration, found the way ruff finds its own.

``.fairlint.yml`` (or ``.fairlint.yaml``), else a ``pyproject.toml`` with a ``[tool.fairlint]``
table, in the scanned folder or the nearest folder above it; the search stops at the repository
root (the nearest folder holding ``.git``, as git finds it) or, outside a repository, at the file
system root. ``--config FILE`` names the file instead, ``--isolated`` uses none. Every command
(scan, gate, baseline, the reports) goes through :func:`resolve`, so they all see one
configuration.

Files from the scanned tree are read by :func:`read_project_file` only (configuration and
baselines), so that reading can be hardened in one place.

This module finds and parses; what the keys mean is :mod:`orchestrator.gate.policy`'s business
(validation, thresholds, per-path overrides).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from orchestrator import safeio

CONFIG_NAMES = (".fairlint.yml", ".fairlint.yaml")
PYPROJECT = "pyproject.toml"
#: The baseline the gate uses when none is named (at the configuration's or repository's root).
BASELINE_NAME = ".fairlint-baseline.json"


class ConfigError(ValueError):
    """A configuration file is unreadable or invalid; the message names the file and why."""


@dataclass(frozen=True)
class ProjectConfig:
    """The configuration in force: its raw mapping, the file it came from and the folder its
    relative paths (``exclude``, ``overrides``) are relative to."""

    data: dict[str, Any] = field(default_factory=dict)
    path: Path | None = None
    root: Path | None = None
    isolated: bool = False

    @property
    def source(self) -> str:
        """What reports name: the file (``pyproject.toml [tool.fairlint]`` for a table), or
        ``default`` / ``isolated`` when no file is used."""
        if self.path is None:
            return "isolated" if self.isolated else "default"
        return f"{self.path} [tool.fairlint]" if self.path.name == PYPROJECT else str(self.path)


def read_project_file(path: Path, found: bool = False) -> str:
    """The text of a configuration or baseline file (the one place such files are read):
    at most :data:`safeio.CONFIG_MAX_BYTES`; one ``found`` in a scanned tree must be a regular
    file in its folder (a symlink out of it is refused)."""
    try:
        return safeio.read_tree_text(path, limit=safeio.CONFIG_MAX_BYTES, what="configuration",
                                     root=Path(path).parent if found else None)
    except safeio.InputError as exc:
        raise ConfigError(str(exc)) from None


def parse(path: Path, text: str) -> dict[str, Any]:
    """The fairlint mapping in a configuration file's text (YAML, or pyproject's table)."""
    if Path(path).name == PYPROJECT:
        table = _toml(path, text).get("tool", {}).get("fairlint", {})
        if not isinstance(table, dict):
            raise ConfigError(f"{path}: [tool.fairlint] is not a table")
        return table
    try:
        data = safeio.load_yaml(text, f"policy {path}")
    except safeio.InputError as exc:
        raise ConfigError(str(exc)) from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ConfigError(f"invalid policy {path}:\n  (top level): {safeio.short(repr(data), 80)} is not of type 'object'")
    return data


def _toml(path: Path, text: str) -> dict[str, Any]:
    try:
        import tomllib
    except ImportError:  # Python 3.10
        try:
            import tomli as tomllib  # type: ignore[no-redef]
        except ImportError:
            raise ConfigError(f"reading {path} needs Python 3.11 or the tomli package") from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path} is not valid TOML: {exc}") from None


def has_fairlint_table(pyproject: Path) -> bool:
    """Whether a pyproject.toml has a ``[tool.fairlint]`` table (others are passed over)."""
    try:
        text = read_project_file(pyproject, found=True)
    except ConfigError:
        return False
    if "fairlint" not in text:
        return False
    return "fairlint" in _toml(pyproject, text).get("tool", {})


def repository_root(path: Path) -> Path | None:
    """The nearest folder at or above ``path`` holding ``.git`` (a folder, or a file for
    worktrees and submodules), as git finds the top level; None outside a repository."""
    here = Path(os.path.abspath(path))
    if not here.is_dir():
        here = here.parent
    for folder in (here, *here.parents):
        if (folder / ".git").exists():
            return folder
    return None


def find_config(start: Path) -> Path | None:
    """The configuration file for ``start`` (a file or folder): the nearest folder at or above
    it with ``.fairlint.yml`` / ``.fairlint.yaml`` / a pyproject ``[tool.fairlint]``, searching
    no higher than the repository root."""
    here = Path(os.path.abspath(start))
    if not here.is_dir():
        here = here.parent
    top = repository_root(here)
    for folder in (here, *here.parents):
        for name in CONFIG_NAMES:
            if (folder / name).is_file():
                return folder / name
        if (folder / PYPROJECT).is_file() and has_fairlint_table(folder / PYPROJECT):
            return folder / PYPROJECT
        if folder == top:
            return None
    return None


def load(path: Path, found: bool = False) -> ProjectConfig:
    """One configuration file, parsed (not yet validated); ``found`` in the scanned tree."""
    path = Path(os.path.abspath(path))
    return ProjectConfig(parse(path, read_project_file(path, found)), path, path.parent)


def resolve(start: Path, explicit: Path | None = None, isolated: bool = False) -> ProjectConfig:
    """The configuration for scanning ``start``: ``explicit`` (``--config``) if given, none with
    ``isolated``, else the one :func:`find_config` finds, else the defaults."""
    if explicit is not None:
        return load(explicit)
    if isolated:
        return ProjectConfig(isolated=True)
    found = find_config(start)
    return load(found, found=True) if found else ProjectConfig()


def relative_prefix(config_root: Path | None, scan_root: Path) -> tuple[str, ...]:
    """The scanned root's folders below the configuration's root (``()`` when they are the same
    folder or the scanned root is not below it)."""
    if config_root is None:
        return ()
    try:
        rel = Path(os.path.abspath(scan_root)).relative_to(Path(os.path.abspath(config_root)))
    except ValueError:
        return ()
    return tuple(p for p in rel.parts if p not in ("", "."))
