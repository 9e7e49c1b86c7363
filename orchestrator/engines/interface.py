"""The engine interface: something that turns files into :class:`~orchestrator.model.Match` es."""

from __future__ import annotations

import abc
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Sequence

from orchestrator.model import Match, Skipped
from orchestrator.rules.vocabulary import Vocabulary


@dataclass(frozen=True)
class Target:
    """A file to scan. ``scan_path`` is what the engine reads (for a notebook: the extracted
    Python); ``display_path`` is the path relative to the scanned root, '/'-separated."""

    scan_path: Path
    display_path: str


@dataclass(frozen=True)
class EngineRequest:
    root: Path
    targets: Sequence[Target]
    vocabulary: Vocabulary
    jobs: int = 1
    timeout_per_file: int = 30
    max_file_bytes: int = 2_000_000
    include_evidence: bool = True
    options: dict = field(default_factory=dict)
    #: Called with (files done, files in this run) as an engine finishes batches of targets
    #: (first with 0): the CLI's progress bar. Not part of what decides the results.
    on_progress: Callable[[int, int], None] | None = field(default=None, compare=False, repr=False)


#: The skip reason of a file whose results are missing because the engine failed on its batch
#: (semgrep-core killed, a crash): the scan is incomplete (exit 2), never "clean".
RESULTS_MISSING = "results missing: the analysis engine failed"


@dataclass(frozen=True)
class EngineResult:
    matches: tuple[Match, ...]
    skipped: tuple[Skipped, ...] = ()
    errors: tuple[str, ...] = ()
    version: str | None = None


class Engine(abc.ABC):
    """An analysis engine (Semgrep, CodeQL). Implementations never execute scanned code."""

    name: str

    @abc.abstractmethod
    def available(self) -> bool:
        """Whether the engine's tool is installed."""

    @abc.abstractmethod
    def version(self) -> str | None:
        """The tool's version string, or None when missing."""

    @abc.abstractmethod
    def run(self, request: EngineRequest) -> EngineResult:
        """Analyse the request's targets; per-file problems go into ``skipped``, not exceptions."""
