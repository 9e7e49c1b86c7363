"""Scan configuration: one frozen object the CLI, the gate, the study and the API share."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from orchestrator.vocabulary import Vocabulary


@dataclass(frozen=True)
class ScanConfig:
    """How to scan.

    ``only_paths``: when set, scan just these files (relative to the root, '/'-separated);
    the gate's ``--diff-base`` uses it. ``cache_dir``: the content-addressed result cache
    (None = the user cache dir; ``use_cache=False`` turns it off).
    """

    engines: tuple[str, ...] = ("semgrep",)
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
        base = Vocabulary.default()
        if not self.protected_attrs and not self.proxy_attrs:
            return base
        return base.extended(self.protected_attrs, self.proxy_attrs)
