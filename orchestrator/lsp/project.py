"""One workspace folder as the Language Server sees it: files on disk, buffers in the editor.

An analysis is the scan pipeline's stages (:mod:`orchestrator.pipeline.scan`) over the whole
folder with the open buffers' contents in place of the files on disk. Every content goes
through the content-addressed result cache, held in memory in front of the on-disk cache: after
the folder's first analysis, an edit sends only the edited content to an engine, and the rest
of the analysis (suppressions, repository-level reasoning, dedup, scoring) runs over cached
per-file results. Files on disk are read once and again only when they change (size, mtime).

Buffers are never executed: their text is written to a private mirror folder (content-hash
file names, owner-only permissions) for the engines to read, like the pipeline's workspace.
"""

from __future__ import annotations

import json
import os
import resource
import threading
import time
import warnings
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Mapping, Sequence

from orchestrator import __version__
from orchestrator.config import ScanConfig, glob_match
from orchestrator.engines import EngineRequest
from orchestrator.gate.policy import Policy, PolicyError
from orchestrator.lsp.engine import EditorSemgrep
from orchestrator.lsp.settings import Settings
from orchestrator.model import Finding, ScanResult, Skipped, ToolInfo
from orchestrator.pipeline import cache, discovery, notebooks, scoring
from orchestrator.pipeline import scan as pipeline
from orchestrator.rules import pack

#: Engine options of the server's runs: Semgrep's OCaml command line (``--experimental``)
#: starts in 0.3 s instead of 1.9 s and gives the same results on the pack (see
#: benchmarks/README.md, "Editor latency").
ENGINE_OPTIONS = {"osemgrep": True}
#: Entries the in-memory layer keeps before it starts over (each is one file's matches).
MEMORY_ENTRIES = 50_000


class MemoryCache(cache.ResultCache):
    """The result cache with a dictionary in front: a warm re-analysis of the folder reads no
    database. With ``persist=False`` only the dictionary is used."""

    def __init__(self, directory: str | os.PathLike, persist: bool = True) -> None:
        super().__init__(directory)
        self.disabled = not persist
        self._memory: dict[tuple[str, str], Any] = {}
        self._meta: dict[str, str] = {}
        self._guard = threading.Lock()

    def get_many(self, context: str, digests: Sequence[str]) -> dict[str, Any]:
        with self._guard:
            found = {d: self._memory[(context, d)] for d in digests if (context, d) in self._memory}
        missing = [d for d in dict.fromkeys(digests) if d not in found]
        if missing:
            loaded = super().get_many(context, missing)
            self._remember(context, loaded)
            found.update(loaded)
        return found

    def put_many(self, context: str, items: Mapping[str, Any]) -> None:
        self._remember(context, items)
        super().put_many(context, items)

    def get_meta(self, key: str) -> str | None:
        if key not in self._meta:
            value = super().get_meta(key)
            if value is None:
                return None
            self._meta[key] = value
        return self._meta[key]

    def set_meta(self, key: str, value: str) -> None:
        self._meta[key] = value
        super().set_meta(key, value)

    def _remember(self, context: str, items: Mapping[str, Any]) -> None:
        with self._guard:
            if len(self._memory) + len(items) > MEMORY_ENTRIES:
                self._memory.clear()
            self._memory.update(((context, d), v) for d, v in items.items())


@dataclass(frozen=True)
class Analysis:
    """One analysis of the folder: the scan result (findings the policy and the minimum
    severity keep), the policy it was judged by, and what went wrong on the way."""

    result: ScanResult
    policy: Policy
    hidden: int  # findings left out by the policy or the minimum severity
    problems: tuple[str, ...] = ()
    duration_s: float = 0.0
    engines_run: tuple[str, ...] = ()
    engine_read: tuple[str, ...] = ()  # the files whose contents an engine analysed (cache misses)
    child_cpu_s: float = 0.0  # CPU time (user + system) of the processes the analysis ran (Semgrep)


def buffer_loaded(root: Path, rel: str, kind: str, text: str) -> discovery.Loaded:
    """A buffer's text as the pipeline's loaded file (a notebook's text is its JSON)."""
    raw = text.encode("utf-8", "surrogateescape")
    source = discovery.SourceFile(root / rel, rel, kind, len(raw))
    if kind == "notebook":
        nb = notebooks.extract(raw)
        return discovery.Loaded(source, nb.source, discovery.content_digest(kind, raw, nb.source), nb)
    return discovery.Loaded(source, text, discovery.content_digest(kind, raw, text), None)


def notebook_json(cells: Sequence[tuple[str, str]], language: str = "python") -> str:
    """An nbformat 4 document from an editor's cells, ``(kind, text)`` in order with kind
    "code" or "markdown": cell indexes stay those of the editor's notebook."""
    doc = {"nbformat": 4, "nbformat_minor": 5,
           "metadata": {"kernelspec": {"language": language, "name": language},
                        "language_info": {"name": language}},
           "cells": [{"cell_type": kind, "metadata": {}, "source": text,
                      **({"outputs": [], "execution_count": None} if kind == "code" else {})}
                     for kind, text in cells]}
    return json.dumps(doc)


class Project:
    """A workspace folder (``walk=True``) or one loose file's folder (``walk=False``: only
    the buffers are analysed, never the folder around them)."""

    def __init__(self, root: Path, settings: Settings, work: Path, *, walk: bool = True) -> None:
        self.root = Path(root).resolve()
        self.walk = walk
        self.work = work
        self.work.mkdir(parents=True, exist_ok=True, mode=0o700)
        self._lock = threading.Lock()
        self._disk: dict[str, discovery.Loaded] = {}
        self._stats: dict[str, tuple[int, int]] = {}
        self._disk_skipped: tuple[Skipped, ...] = ()
        self._buffers: dict[str, discovery.Loaded] = {}
        self._disk_stale = True
        self.analyses = 0
        self.semgrep = EditorSemgrep(self.work)
        self.configure(settings)

    # ------------------------------------------------------------ configuration
    def configure(self, settings: Settings) -> None:
        """New settings: policy read again, the folder listed again at the next analysis."""
        self.settings = settings
        self.store = MemoryCache(settings.cache_dir or cache.default_dir())
        self.reload_policy()

    def reload_policy(self) -> None:
        try:
            self.policy = Policy.discover(self.root, self.settings.policy_path(self.root))
            self.policy_error: str | None = None
        except PolicyError as exc:
            self.policy, self.policy_error = Policy(), str(exc)
        self._disk_stale = True

    def scan_config(self) -> ScanConfig:
        return ScanConfig(engines=self.settings.engines, jobs=1,
                          protected_attrs=self.settings.protected_attrs + self.policy.protected_attrs,
                          proxy_attrs=self.settings.proxy_attrs + self.policy.proxy_attrs,
                          exclude=self.policy.exclude)

    # ------------------------------------------------------------ files
    def rel(self, path: Path) -> str | None:
        """``path`` relative to the folder ('/'-separated, as reports show it), or None outside it."""
        try:
            parts = Path(os.path.abspath(path)).relative_to(self.root).parts
        except ValueError:
            return None
        return discovery.display_path(parts) if parts else None

    def excluded(self, rel: str) -> bool:
        return any(glob_match(rel, pattern) for pattern in self.policy.exclude)

    def set_buffer(self, rel: str, kind: str, text: str) -> None:
        """The editor's text of ``rel`` (Python source, or a notebook's JSON)."""
        loaded = buffer_loaded(self.root, rel, kind, text)
        with self._lock:
            self._buffers[rel] = loaded

    def drop_buffer(self, rel: str) -> None:
        with self._lock:
            self._buffers.pop(rel, None)

    def files_changed(self) -> None:
        """Files on disk changed (a save, a watched-file event): list the folder again."""
        self._disk_stale = True

    def _refresh_disk(self, config: ScanConfig) -> None:
        """List the folder; read only files that are new or changed since the last listing."""
        if not self.walk:
            return
        found = discovery.discover(self.root, max_file_bytes=config.max_file_bytes, exclude=config.exclude)
        disk, stats, skipped = {}, {}, list(found.skipped)
        for f in found.files:
            key = _stat_key(f.path)
            known = self._disk.get(f.rel)
            if known is not None and key is not None and self._stats.get(f.rel) == key:
                disk[f.rel], stats[f.rel] = known, key
                continue
            item = discovery.load(f, config.max_file_bytes)
            if isinstance(item, discovery.Loaded):
                disk[f.rel] = item
                if key is not None:
                    stats[f.rel] = key
            else:
                skipped.append(item)
        with self._lock:
            self._disk, self._stats, self._disk_skipped = disk, stats, tuple(skipped)
            self._disk_stale = False

    def snapshot(self) -> tuple[list[discovery.Loaded], tuple[Skipped, ...]]:
        with self._lock:
            files = {**self._disk, **self._buffers}
            buffered = set(self._buffers)
            skipped = tuple(s for s in self._disk_skipped if s.path not in buffered)
        files = {rel: item for rel, item in files.items() if not self.excluded(rel)}
        return list(files.values()), skipped

    # ------------------------------------------------------------ analysis
    def analyse(self, all_engines: bool = True) -> Analysis:
        """Analyse the folder with the buffers in place. ``all_engines=False`` (while typing)
        runs only the engines whose per-file results are cached (Semgrep); CodeQL, which
        analyses the whole program, runs on open and save."""
        started = time.monotonic()
        children = _children_cpu()
        config = self.scan_config()
        problems = list(self.settings.problems)
        if self.policy_error:
            problems.append(self.policy_error)
        if self._disk_stale:
            self._refresh_disk(config)
        engines, engine_problems = self._engines(all_engines)
        problems += engine_problems
        loaded, disk_skipped = self.snapshot()
        vocab = config.vocabulary()
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", cache.CacheWarning)
            result, engine_read = self._run(loaded, disk_skipped, engines, vocab, config)
        problems += [str(w.message) for w in caught]
        self.analyses += 1
        self._prune_mirror(loaded)
        shown = [f for f in result.findings if self.shows(f)]
        return Analysis(replace(result, findings=tuple(shown)), self.policy,
                        len(result.findings) - len(shown), tuple(problems),
                        time.monotonic() - started, tuple(e.name for e in engines), engine_read,
                        _children_cpu() - children)

    def shows(self, finding: Finding) -> bool:
        return self.policy.counts(finding) and finding.severity.rank >= self.settings.minimum_severity.rank

    def _engines(self, all_engines: bool):
        names = [n for n in self.settings.engines if all_engines or n in cache.PER_FILE_ENGINES]
        problems = []
        try:
            engines = pipeline.resolve_engines(names or ["semgrep"])
        except pipeline.ScanError as exc:
            problems.append(f"{exc}; using semgrep")
            engines = pipeline.resolve_engines(["semgrep"])
        return [self.semgrep if e.name == "semgrep" else e for e in engines], problems

    def _run(self, loaded, disk_skipped, engines, vocab, config: ScanConfig) -> tuple[ScanResult, tuple[str, ...]]:
        """The pipeline's stages after discovery (see :func:`orchestrator.pipeline.scan.scan`),
        and the files an engine read (those the cache did not answer)."""
        contents = pipeline.unique_contents(loaded, self.work)
        ws = pipeline.Workspace(tuple(contents), tuple(disk_skipped), {c.rel: c for c in contents})
        request = EngineRequest(self.root, ws.targets, vocab, jobs=config.jobs,
                                timeout_per_file=config.timeout_per_file,
                                max_file_bytes=config.max_file_bytes, options=dict(ENGINE_OPTIONS))
        engine_read: list[str] = []

        def materialise(targets) -> None:
            engine_read.extend(t.display_path for t in targets)
            ws.write(targets)

        run = pipeline.run_engines(engines, request, ws.digests, self.store, materialise)
        syntax_skipped = pipeline.syntax_skips(ws, self.store)
        matches, norm_errors = pipeline.normalise(run.matches, ws)
        findings, suppressions, all_matches = pipeline.decide(matches, ws, vocab)
        findings = scoring.score_findings(findings, all_matches, self.root)
        findings = pipeline.with_frameworks(findings, ws)
        skipped = pipeline.merge_skipped(ws.skipped, pipeline.in_cells(run.skipped, ws), syntax_skipped, ws)
        tool = ToolInfo(__version__, pack.pack_hash(), run.versions.get("semgrep"),
                        run.versions.get("codeql"), tuple(e.name for e in engines))
        result = ScanResult(str(self.root), tuple(findings), skipped, tool, ws.files_scanned,
                            tuple(suppressions), run.errors + tuple(norm_errors))
        return result, tuple(dict.fromkeys(engine_read))

    def _prune_mirror(self, loaded: Sequence[discovery.Loaded]) -> None:
        """Drop mirrored buffer contents no file has any more (the mirror holds only current ones)."""
        keep = {f"{item.digest}.py" for item in loaded}  # pack-*/ and out-*/ folders stay
        try:
            names = os.listdir(self.work)
        except OSError:
            return
        for name in names:
            if name.endswith(".py") and name not in keep:
                try:
                    os.unlink(self.work / name)
                except OSError:
                    pass


def _children_cpu() -> float:
    """CPU seconds of this process's finished child processes so far (all threads' children)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _stat_key(path: Path) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_size, st.st_mtime_ns)

