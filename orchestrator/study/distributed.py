"""The study on a ``dask.distributed`` cluster: the workers fetch and scan, the driver plans and
assembles.

Three rounds of tasks, all on the workers (the driver never reads a checkout):

1. per repository, :func:`fetch_and_list`: fetch the commit into the shared cache and list the
   contents a scan reads (digest, path, size);
2. the driver deduplicates the contents over the corpus and packs them into one batch per worker
   thread, balanced by bytes (:func:`plan_batches`); each batch is one :func:`prime_batch` task:
   one Semgrep run over unique contents that fills the shared result cache (as the local
   executor's prime pass does);
3. per repository, :func:`orchestrator.study.run.study_repo`: the scan, which finds every
   content in the cache and starts no Semgrep; its rows come back to the driver, which writes
   the parts and the report.

Workers need fairlint installed (with the ``study`` extra) and the cache folder (``--cache``) at
the same path: checkouts and the result cache are shared through it. Workers never execute,
import or install code from the scanned repositories: they read files and run Semgrep on them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable, Sequence

from orchestrator import proc
from orchestrator.config import ScanConfig
from orchestrator.study import corpus, prescan
from orchestrator.study.corpus import FetchResult, RepoSpec

Listing = list[tuple[str, str, str, str, int]]  # (digest, path, display path, kind, size)


def _track(cache: str) -> None:
    proc.ensure_tracked(Path(cache) / "run")


def fetch_and_list(spec: RepoSpec, cache: str, size_cap: int, scan: ScanConfig) -> tuple[FetchResult, Listing]:
    """Worker task: fetch ``spec`` (when missing) and list what a scan of it reads."""
    _track(cache)
    fetched = corpus.fetch_repo(spec, Path(cache), size_cap)
    if not fetched.ok or not fetched.path:
        return fetched, []
    return fetched, prescan.list_contents(Path(fetched.path), scan)


def plan_batches(listings: Sequence[Listing], batches: int) -> list[list[tuple[str, str, str, int]]]:
    """Every unique content once (its first place in manifest order), packed into at most
    ``batches`` batches of about equal bytes (largest first into the lightest batch)."""
    first: dict[str, tuple[str, str, str, int]] = {}
    for listing in listings:
        for digest, path, rel, kind, size in listing:
            first.setdefault(digest, (path, rel, kind, int(size)))
    bins: list[list[tuple[str, str, str, int]]] = [[] for _ in range(max(1, batches))]
    loads = [0] * len(bins)
    for digest in sorted(first, key=lambda d: (-first[d][3], d)):
        i = loads.index(min(loads))
        bins[i].append(first[digest])
        loads[i] += max(1, first[digest][3])
    return [b for b in bins if b]


def prime_batch(files: Sequence[tuple[str, str, str, int]], scan: ScanConfig, cache: str) -> prescan.Primed:
    """Worker task: analyse one batch of unique contents into the shared result cache."""
    _track(cache)
    return prescan.prime_files(files, scan, jobs=1)


def study_repo_task(spec: RepoSpec, cache: str, size_cap: int, scan: ScanConfig, scanner: Any = None):
    from orchestrator.study import run as study

    _track(cache)
    return study.study_repo(spec, Path(cache), size_cap, scan, scanner)


def run(client, todo: Sequence[RepoSpec], cache: Path, size_cap: int, scan: ScanConfig,
        persist: Callable[[Any], None], scanner: Any = None) -> dict[str, Any]:
    """The three rounds on ``client``'s cluster; returns what each round did (for the log)."""
    from distributed import as_completed

    cache_s = str(Path(cache).resolve())
    info: dict[str, Any] = {"repos": len(todo)}
    if scanner is None and scan.use_cache:
        listed = client.gather([client.submit(fetch_and_list, s, cache_s, size_cap, scan, pure=False,
                                              key=f"fairlint-list-{s.name}-{s.commit}") for s in todo])
        threads = max(1, sum(client.nthreads().values()))
        batches = plan_batches([listing for _, listing in listed], threads)
        primed = client.gather([client.submit(prime_batch, b, scan, cache_s, pure=False,
                                              key=f"fairlint-prime-{i}-{len(b)}") for i, b in enumerate(batches)])
        info.update(batches=len(batches), contents=sum(p.contents for p in primed),
                    scanned=sum(p.scanned for p in primed), errors=[e for p in primed for e in p.errors])
    futures = [client.submit(study_repo_task, s, cache_s, size_cap, scan, scanner, pure=False,
                             key=f"fairlint-study-{s.name}-{s.commit}") for s in todo]
    try:
        for fut in as_completed(futures):
            persist(fut.result())
    except BaseException:
        client.cancel(futures)
        raise
    return info
