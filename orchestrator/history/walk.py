"""Walk a repository's commits: scan each tree from blobs, store each commit's rows, build the
timeline.

1. Select the commits (first-parent, oldest first) and list their trees (``ls-tree``).
2. Prime the result cache with every file content of the commits not stored yet, in one batched
   Semgrep pass (:func:`orchestrator.study.prescan.prime`): the per-commit scans then analyse
   nothing, they only redo the repository-level reasoning, dedup and scoring from cached
   per-file results.
3. Per commit: bring the private snapshot folder to its tree (only changed paths are written),
   run :func:`orchestrator.pipeline.scan.scan` on it, store its rows in one transaction.

A commit whose tree or blobs cannot be read, or whose scan fails, is stored as skipped with the
reason and the walk goes on. A killed walk resumes from the commits it has not stored.
"""

from __future__ import annotations

import hashlib
import os
import signal
import sys
import tempfile
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable, Sequence

from orchestrator import git, proc
from orchestrator.config import ScanConfig
from orchestrator.engines.flow import keep_parsed_files
from orchestrator.history import timeline
from orchestrator.history.repo import CONFIG_NAMES, SCANNED_SUFFIXES, Commit, Entry, HistoryError, Repository, Selection
from orchestrator.history.snapshot import Snapshot
from orchestrator.history.store import HistoryStore, context_key
from orchestrator.model import ScanResult

#: Seconds to wait after each stored commit (tests use it to kill a walk part-way, for real).
DELAY_ENV = "FAIRLINT_HISTORY_COMMIT_DELAY"


@dataclass(frozen=True)
class HistoryOptions:
    selection: Selection = field(default_factory=Selection)
    scan: ScanConfig = field(default_factory=ScanConfig)
    state_dir: Path | None = None


@dataclass(frozen=True)
class WalkOutcome:
    timeline: timeline.Timeline
    state_dir: Path
    scanned: int  # commits scanned by this run (the others came from the state)
    primed: int  # contents the prime pass analysed
    reset: bool  # the state held rows of another configuration and started again


def default_state_dir(repo: Repository) -> Path:
    """``<cache>/history/<key>``: one state per repository folder (the cache folder is
    ``~/.cache/fairlint`` on Linux, ``FAIRLINT_CACHE_DIR`` overrides it)."""
    from orchestrator.pipeline import cache

    key = hashlib.sha256(f"{repo.git_dir}\0{repo.prefix}".encode("utf-8", "surrogateescape")).hexdigest()[:16]
    return cache.default_dir() / "history" / key


def walk(path: str | os.PathLike, options: HistoryOptions | None = None,
         progress: Callable[[str], None] | None = None) -> WalkOutcome:
    """Walk the selected commits of the repository holding ``path``. HistoryError (exit 2) when
    it cannot start: not a repository, unknown ref, empty range, shallow history."""
    options = options or HistoryOptions()
    say = progress or (lambda text: None)
    keep_parsed_files()  # commit after commit scans the same contents: parse each once
    repo = Repository(path)
    commits = repo.commits(options.selection)
    config = replace(options.scan, progress=False)
    _check_engines(config)
    state = HistoryStore(options.state_dir or default_state_dir(repo))
    reset = state.open(context_key(config), str(repo.folder))
    todo = [c for c in commits if c.oid not in state.done(c.oid for c in commits)]
    say(f"{len(commits)} commit(s), {len(todo)} to scan")
    trees = _trees(repo, todo)
    primed = prime(repo, trees, config) if todo else 0
    chunks = _chunks(todo[1:], workers(config, len(todo) - 1))
    if len(chunks) > 1:
        # The first commit here: its scan analyses every part and warms the memos (parsed
        # files, summaries, decoded payloads), which the forked processes inherit; each of
        # them then analyses only what changed since.
        scan_commits(repo, state, todo[:1], trees, config, say)
        say(f"scanning {len(todo) - 1} more commit(s) in {len(chunks)} processes")
        _in_processes(repo, state, chunks, trees, config)
    rest = [c for c in todo if c.oid not in state.done(c.oid for c in todo)]  # all, or what a worker left
    scan_commits(repo, state, rest, trees, config, say)
    stored = state.load([c.oid for c in commits])
    line = timeline.build([stored[c.oid] for c in commits], repo.tags(), str(repo.folder),
                          _describe(options.selection))
    return WalkOutcome(line, state.directory, len(todo), primed, reset)


def scan_commits(repo: Repository, state: HistoryStore, commits: Sequence[Commit],
                 trees: dict[str, list[Entry] | str], config: ScanConfig,
                 say: Callable[[str], None] = lambda text: None) -> None:
    """Scan ``commits`` in order in one private snapshot folder, storing each one's rows."""
    delay = float(os.environ.get(DELAY_ENV, "0") or 0)
    with tempfile.TemporaryDirectory(prefix="fairlint-history-") as work:
        snapshot = Snapshot(Path(work) / "tree", repo)
        for n, commit in enumerate(commits, start=1):
            say(f"commit {n}/{len(commits)} {commit.oid[:12]}")
            scan_commit_into(state, snapshot, commit, trees[commit.oid], config)
            if delay:
                time.sleep(delay)


# ------------------------------------------------------------------ parallel walks
#: Fewer commits than this per process are not worth a process of their own (each process
#: writes its first tree in full and warms its own memos).
MIN_COMMITS_PER_PROCESS = 8


def workers(config: ScanConfig, commits: int) -> int:
    """Processes for the per-commit scans: ``config.jobs`` (0: the cores), one per
    :data:`MIN_COMMITS_PER_PROCESS` commits at most; 1 where processes cannot be forked."""
    if not sys.platform.startswith("linux"):
        return 1
    wanted = config.jobs or os.cpu_count() or 1
    return max(1, min(wanted, commits // MIN_COMMITS_PER_PROCESS))


def _chunks(commits: Sequence[Commit], n: int) -> list[list[Commit]]:
    """``commits`` cut into ``n`` runs of consecutive commits (neighbours share most files)."""
    if not commits:
        return []
    size = -(-len(commits) // max(1, n))
    return [list(commits[i:i + size]) for i in range(0, len(commits), size)]


def _in_processes(repo: Repository, state: HistoryStore, chunks: list[list[Commit]],
                  trees: dict[str, list[Entry] | str], config: ScanConfig) -> None:
    """Each chunk in a forked process of its own (the per-commit scans are pure Python and hold
    the GIL). Each stores its commits itself, one transaction per commit; a process that fails
    leaves its remaining commits to the caller. Workers die with this process (a killed walk
    leaves no scan running)."""
    import multiprocessing

    context = multiprocessing.get_context("fork")
    parent = os.getpid()
    procs = [context.Process(target=_worker, args=(parent, repo, state, chunk, trees, config), daemon=True)
             for chunk in chunks]
    for p in procs:
        p.start()
    for p in procs:
        p.join()


def _worker(parent: int, repo: Repository, state: HistoryStore, chunk: list[Commit],
            trees: dict[str, list[Entry] | str], config: ScanConfig) -> None:
    _die_with(parent)
    scan_commits(repo, state, chunk, trees, config)


def _die_with(parent: int) -> None:
    """Ask Linux to kill this process when its parent dies (``PR_SET_PDEATHSIG``)."""
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)
    except (OSError, AttributeError):
        pass
    if os.getppid() != parent:  # the parent died before the request
        os._exit(1)


def _check_engines(config: ScanConfig) -> None:
    from orchestrator.pipeline.scan import resolve_engines

    resolve_engines(config.engines)  # a missing engine fails the walk once, not every commit


def _trees(repo: Repository, commits: Sequence[Commit]) -> dict[str, list[Entry] | str]:
    """Each commit's entries, or why its tree cannot be read."""
    out: dict[str, list[Entry] | str] = {}
    for c in commits:
        try:
            out[c.oid] = repo.tree(c.oid)
        except git.GitError as exc:
            out[c.oid] = f"tree cannot be read: {exc}"
    return out


def prime(repo: Repository, trees: dict[str, list[Entry] | str], config: ScanConfig) -> int:
    """Analyse every scanned content of ``trees`` the cache lacks, in one batched pass."""
    if not config.use_cache:
        return 0
    from orchestrator.study import prescan

    blobs = {e.oid: e.path for entries in trees.values() if isinstance(entries, list)
             for e in entries if e.path.lower().endswith(SCANNED_SUFFIXES)}
    with tempfile.TemporaryDirectory(prefix="fairlint-history-prime-") as work:
        folder = Path(work)
        oids = list(blobs)
        for i in range(0, len(oids), 500):
            try:
                found = repo.blobs(oids[i:i + 500])
            except git.GitError:
                found = _readable(repo, oids[i:i + 500])
            for oid, data in found.items():
                suffix = ".ipynb" if blobs[oid].lower().endswith(".ipynb") else ".py"
                (folder / f"{oid}{suffix}").write_bytes(data)
        primed = prescan.prime([folder], config)
    return primed.scanned


def _readable(repo: Repository, oids: Sequence[str]) -> dict[str, bytes]:
    """The blobs of ``oids`` that can be read, one by one (a batch with a missing one failed)."""
    found = {}
    for oid in oids:
        try:
            found.update(repo.blobs([oid]))
        except git.GitError:
            continue
    return found


def scan_commit_into(state: HistoryStore, snapshot: Snapshot, commit: Commit,
                     entries: list[Entry] | str, config: ScanConfig) -> None:
    """Scan one commit in ``snapshot`` and store its rows (or store it as skipped)."""
    from orchestrator.pipeline.scan import scan

    if isinstance(entries, str):
        state.put_skipped(commit, entries)
        return
    tree = tree_key(entries)
    if state.copy_scanned(commit, tree):
        return
    try:
        update = snapshot.update(entries)
    except git.GitError as exc:
        state.put_skipped(commit, f"blob cannot be read: {exc}")
        return
    try:
        policy = project_policy(snapshot.root)
        result = scan(snapshot.root, policy.scan_config(config) if policy else config)
    except ProjectConfigError as exc:
        state.put_skipped(commit, f"configuration cannot be used: {exc}")
        return
    except proc.ToolError as exc:
        state.put_skipped(commit, f"scan failed: {exc}")
        return
    config_files = ";".join(f"{e.path}={e.oid}" for e in entries if e.path in CONFIG_NAMES)
    state.put_scanned(commit, policy.scoped(result) if policy else result, [e.path for e in entries], update.skipped,
                      config_files, tree)


def tree_key(entries: Sequence[Entry]) -> str:
    """What decides a commit's rows: its scanned files' paths and blob ids."""
    text = "\0".join(f"{e.path}\0{e.oid}" for e in sorted(entries, key=lambda e: e.path))
    return hashlib.sha256(text.encode("utf-8", "surrogateescape")).hexdigest()


class ProjectConfigError(ValueError):
    """A commit's configuration file cannot be read or is invalid."""


def project_policy(root: Path):
    """The policy of the configuration file at ``root`` (the commit's own ``.fairlint.yml``,
    ``.fairlint.yaml`` or ``pyproject.toml [tool.fairlint]``), as ``fairlint scan`` would use
    it; None without one. Never looks above ``root`` (the private folder's parents are not the
    project's)."""
    from orchestrator import settings
    from orchestrator.gate.policy import Policy, PolicyError

    found = [root / n for n in settings.CONFIG_NAMES if (root / n).is_file()]
    pyproject = root / settings.PYPROJECT
    if not found and pyproject.is_file() and settings.has_fairlint_table(pyproject):
        found = [pyproject]
    if not found:
        return None
    try:
        return Policy.discover(root, found[0])
    except (PolicyError, settings.ConfigError) as exc:
        raise ProjectConfigError(str(exc)) from None


def scan_commit(path: str | os.PathLike, ref: str, config: ScanConfig | None = None) -> tuple[ScanResult, dict[str, str]]:
    """Scan the tree of commit ``ref`` (from blobs, in a private folder): the result and the
    text of each scanned file (for reports). HistoryError when the ref or its tree cannot be read."""
    repo = Repository(path)
    oid = repo.resolve(ref)
    config = replace(config or ScanConfig(), progress=False)
    from orchestrator.pipeline.scan import scan

    with tempfile.TemporaryDirectory(prefix="fairlint-history-") as work:
        snapshot = Snapshot(Path(work) / "tree", repo)
        try:
            snapshot.update(repo.tree(oid))
        except git.GitError as exc:
            raise HistoryError(f"the tree of {ref} cannot be read: {exc}") from None
        result = scan(snapshot.root, config)
        sources = {}
        for f in result.findings:
            file = snapshot.root / f.path
            if f.path not in sources and file.is_file():
                sources[f.path] = file.read_text(encoding="utf-8", errors="replace")
    return result, sources


def _describe(selection: Selection) -> str:
    parts = [selection.rev_range or "HEAD"]
    if selection.last:
        parts.append(f"last {selection.last}")
    if selection.since:
        parts.append(f"since {selection.since}")
    if selection.every > 1:
        parts.append(f"every {selection.every}")
    return ", ".join(parts)
