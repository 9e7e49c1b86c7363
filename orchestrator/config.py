"""Scan configuration: one frozen object the CLI, the gate, the study and the API share."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the vocabulary lives in the rule pack, one layer up: imported when used
    from orchestrator.rules.vocabulary import Vocabulary


@dataclass(frozen=True)
class ScanConfig:
    """How to scan.

    ``only_paths``: when set, scan just these files (relative to the root, '/'-separated);
    the gate's ``--diff-base`` uses it. ``cache_dir``: the content-addressed result cache
    (None = the user cache dir; ``use_cache=False`` turns it off).
    """

    engines: tuple[str, ...] = ("semgrep", "flow")
    jobs: int = 0  # 0 = match the machine's cores
    protected_attrs: tuple[str, ...] = ()
    proxy_attrs: tuple[str, ...] = ()
    timeout_per_file: int = 30
    max_file_bytes: int = 2_000_000
    only_paths: tuple[str, ...] | None = None
    exclude: tuple[str, ...] = ()
    cache_dir: Path | None = None
    use_cache: bool = True
    progress: bool = False
    extra: dict = field(default_factory=dict, hash=False, compare=False)

    def vocabulary(self) -> Vocabulary:
        from orchestrator.rules.vocabulary import Vocabulary

        base = Vocabulary.default()
        if not self.protected_attrs and not self.proxy_attrs:
            return base
        return base.extended(self.protected_attrs, self.proxy_attrs)


def glob_match(path: str, pattern: str) -> bool:
    """Git-style globs: ``*`` stays inside one folder, ``**`` crosses folders, a trailing
    ``/`` means everything below that folder; a pattern also matches any parent folder."""
    if pattern.endswith("/"):
        pattern += "**"
    regex = _glob_regex(pattern)
    parts = path.split("/")
    return any(regex.fullmatch("/".join(parts[:i])) for i in range(len(parts), 0, -1))


def rebase_glob(pattern: str, prefix: tuple[str, ...]) -> str | None:
    """``pattern`` (relative to a folder) as a pattern relative to its sub-folder ``prefix``;
    None when it can match nothing below it, ``**`` when it covers all of it."""
    trailing = pattern.endswith("/")
    segs = [s for s in pattern.rstrip("/").split("/") if s]
    for part in prefix:
        if not segs:
            return "**"  # the pattern names a folder above: everything below it matches
        if segs[0] == "**":
            break  # it matches at any depth, below the prefix too
        if not _glob_regex(segs[0]).fullmatch(part):
            return None
        segs = segs[1:]
    if not segs:
        return "**"
    return "/".join(segs) + ("/" if trailing else "")


@lru_cache(maxsize=256)
def _glob_regex(pattern: str) -> re.Pattern[str]:
    out, i = [], 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif pattern.startswith("**", i):
            out.append(".*")
            i += 2
        elif pattern[i] == "*":
            out.append("[^/]*")
            i += 1
        elif pattern[i] == "?":
            out.append("[^/]")
            i += 1
        else:
            out.append(re.escape(pattern[i]))
            i += 1
    return re.compile("".join(out))
