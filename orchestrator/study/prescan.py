"""Scan the unique contents of many trees in few Semgrep runs, filling the result cache.

A study scans repositories one by one, and every ``semgrep`` start costs seconds: on small
repositories start-up, not analysis, is the bill, and forks pay again for the files they share
with their originals. :func:`prime_study` (called by the study before its per-repository scans)
fetches the repositories, reads every file once, and hands every content the cache does not
hold yet to one Semgrep pass (``jobs`` concurrent ``semgrep -j 1`` runs on shards of equal
bytes, see :mod:`orchestrator.engines.semgrep`), and checks their Python syntax meanwhile in
a child process. The per-repository scans that follow find every content in the cache and
start no Semgrep and no parser; they still do everything else (notebooks, suppressions,
reasoning, dedup, scoring) exactly as before, so the study's results do not change.

Only engines whose results depend on one file's content alone are primed (Semgrep); nothing
is primed without a cache.
"""

from __future__ import annotations

import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Iterable, Sequence

from orchestrator.config import ScanConfig
from orchestrator.engines import EngineRequest, Target
from orchestrator.pipeline import cache, discovery
from orchestrator.study import corpus


@dataclass(frozen=True)
class Primed:
    roots: int
    files: int  # files read in all roots
    contents: int  # unique contents among them
    scanned: int  # contents the cache did not hold (analysed now)
    errors: tuple[str, ...] = ()


def prime(roots: Sequence[Path], config: ScanConfig, jobs: int = 0) -> Primed:
    """Analyse every content of ``roots`` that ``config``'s cache lacks, in batched runs.

    ``jobs`` is the Semgrep parallelism of these runs (0: the scan config's, then the cores).
    Errors are returned, never raised: the per-tree scans that follow redo what failed."""
    return prime_loaded(_loaded_in(roots, config), config, jobs, len(roots))


def prime_files(files: Sequence[tuple[str, str, str, int]], config: ScanConfig, jobs: int = 1) -> Primed:
    """:func:`prime` for listed files (path on disk, display path, kind, size), as
    :func:`list_contents` gives them: a distributed study's batch of unique contents."""
    def loaded():
        for path, rel, kind, size in files:
            item = discovery.load_safely(discovery.SourceFile(Path(path), rel, kind, int(size)))
            if isinstance(item, discovery.Loaded):
                yield item

    return prime_loaded(loaded(), config, jobs, 0)


def list_contents(root: Path, config: ScanConfig) -> list[tuple[str, str, str, str, int]]:
    """(digest, path on disk, display path, kind, size) of every file a scan of ``root`` reads."""
    return [(item.digest, str(item.file.path), item.file.rel, item.file.kind, int(item.file.size))
            for item in _loaded_in([root], config)]


def _loaded_in(roots: Iterable[Path], config: ScanConfig):
    """The loaded files of ``roots``. A tree or a file that cannot be read is left out, never
    raised: priming only saves time, and the per-repository scan that follows reports it."""
    for root in roots:
        try:
            found = discovery.discover(Path(root), max_file_bytes=config.max_file_bytes, exclude=config.exclude)
        except Exception:  # noqa: BLE001 - one bad repository never stops a study
            continue
        for f in found.files:
            item = discovery.load_safely(f)
            if isinstance(item, discovery.Loaded):
                yield item


def prime_loaded(items: Iterable[discovery.Loaded], config: ScanConfig, jobs: int, roots: int) -> Primed:
    """Analyse the loaded ``items`` whose content ``config``'s cache lacks (see :func:`prime`)."""
    from orchestrator.pipeline import scan as pipeline

    store = cache.open_cache(config.cache_dir, config.use_cache)
    engines = [e for e in pipeline.resolve_engines(config.engines) if e.name in cache.PER_FILE_ENGINES]
    if store is None or not engines:
        return Primed(roots, 0, 0, 0)
    with tempfile.TemporaryDirectory(prefix="fairlint-prime-") as work, \
            ThreadPoolExecutor(max_workers=1) as beside:
        targets, texts, files = _unique_targets(items, Path(work))
        # Python's syntax check of the same contents, in a child process while Semgrep runs:
        # the per-tree scans then find it in the cache too.
        syntax = beside.submit(pipeline.syntax_problems, texts, store)
        request = EngineRequest(Path(work), list(targets.values()), config.vocabulary(),
                                jobs=jobs or config.jobs, timeout_per_file=config.timeout_per_file,
                                max_file_bytes=config.max_file_bytes,
                                options=dict(config.extra.get("engine_options", {})))
        digests = {d: d for d in targets}
        scanned, errors = 0, []
        for engine in engines:
            context = cache.engine_context(engine, request, cache.tool_version(engine, store), store)
            missing = _missing(store, context, targets)
            if not missing:
                continue
            try:
                result = cache.run_engine(engine, replace(request, targets=missing), digests, store)
            except Exception as exc:  # noqa: BLE001 - returned: the per-tree scans analyse it again
                errors.append(f"{engine.name} over the corpus: {type(exc).__name__}: {exc}")
                continue
            scanned = max(scanned, len(missing))
            errors += result.errors
        try:
            syntax.result()
        except Exception as exc:  # noqa: BLE001 - returned, not raised: the per-tree scans check again
            errors.append(f"syntax check of the corpus: {type(exc).__name__}: {exc}")
    return Primed(roots, files, len(targets), scanned, tuple(errors))


def _missing(store: cache.ResultCache, context: str, targets: dict[str, Target]) -> list[Target]:
    held = store.get_many(context, list(targets))
    return [t for d, t in targets.items() if d not in held]


def _unique_targets(items: Iterable[discovery.Loaded],
                    work: Path) -> tuple[dict[str, Target], dict[str, str], int]:
    """Each unique content of the loaded items written once to ``work`` (named by digest), its
    text (by digest: what the engines and the syntax check read), and how many files were read."""
    targets: dict[str, Target] = {}
    texts: dict[str, str] = {}
    files = 0
    for item in items:
        files += 1
        if item.digest in targets:
            continue
        try:
            data = item.text.encode("utf-8", "surrogateescape")
        except UnicodeEncodeError:  # text no engine can read: the per-tree scan skips it with its reason
            continue
        scan_path = work / f"{item.digest}.py"
        scan_path.write_bytes(data)
        targets[item.digest] = Target(scan_path, item.digest)
        texts[item.digest] = item.text
    return targets, texts, files


def prime_study(specs: Sequence[corpus.RepoSpec], checkouts: Path, size_cap: int, config: ScanConfig,
                jobs: int) -> Primed:
    """Fetch the study's repositories (``jobs`` at a time) and prime the cache with all of them."""
    if not config.use_cache:
        return Primed(0, 0, 0, 0)
    def fetch(spec: corpus.RepoSpec) -> corpus.FetchResult:
        return corpus.fetch_repo(spec, Path(checkouts), size_cap)

    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        fetched = list(pool.map(fetch, specs))
    roots = [Path(r.path) for r in fetched if r.ok and r.path]
    return prime(roots, config, jobs=max(1, jobs))
