"""A repository's history read through git plumbing: commits, trees, blobs and tags.

Nothing is checked out and nothing configured in the repository runs: every call goes through
:mod:`orchestrator.git` (hooks, fsmonitor, filter and diff drivers disabled), and the commands
are plumbing that never applies a filter (``rev-list``, ``ls-tree``, ``for-each-ref``,
``cat-file --batch`` without ``--filters``/``--textconv``). A partial clone never fetches a
missing object (``GIT_NO_LAZY_FETCH``): the commit that needs it is skipped instead.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Sequence

from orchestrator import git, proc

#: What a history reads of each tree: the files a scan reads, and the configuration files.
SCANNED_SUFFIXES = (".py", ".ipynb")
CONFIG_NAMES = frozenset({".fairlint.yml", ".fairlint.yaml", "pyproject.toml"})
_REGULAR_MODES = frozenset({"100644", "100755"})
_BATCH = 500  # objects per ``cat-file --batch`` call


class HistoryError(proc.ToolError):
    """The history cannot be walked at all (not a repository, unknown ref, empty range): exit 2."""


@dataclass(frozen=True)
class Commit:
    oid: str
    parents: tuple[str, ...]
    author: str
    email: str
    date: str  # author date, strict ISO 8601
    subject: str


@dataclass(frozen=True)
class Entry:
    """One file of a tree: ``path`` relative to the walked folder ('/'-separated)."""

    path: str
    oid: str
    size: int


@dataclass(frozen=True)
class Selection:
    """Which commits to walk (first-parent): a range ``A..B`` (or one ref: its whole history),
    the last ``last`` of them, those since ``since`` (an ISO date), then every ``every``-th one
    counted back from the newest (which is always walked)."""

    rev_range: str | None = None
    last: int | None = None
    since: str | None = None
    every: int = 1


def wanted(path: str) -> bool:
    """Whether a history reads this file of a tree."""
    name = path.rsplit("/", 1)[-1]
    return name.lower().endswith(SCANNED_SUFFIXES) or (name in CONFIG_NAMES and "/" not in path)


class Repository:
    """The git repository holding ``path`` (a folder in it; files below it are walked)."""

    def __init__(self, path: str | os.PathLike) -> None:
        folder = Path(path)
        if not folder.is_dir():
            raise HistoryError(f"not a folder: {path}")
        self.folder = folder.resolve()
        try:
            out = self.git("rev-parse", "--absolute-git-dir", "--show-prefix",
                           "--is-shallow-repository").stdout.split("\n")
        except git.GitError as exc:
            raise HistoryError(f"not a git repository: {path} ({_reason(exc)})") from None
        self.git_dir, self.prefix, self.shallow = Path(out[0]), out[1], out[2].strip() == "true"

    # ------------------------------------------------------------ plumbing
    def git(self, *args: str) -> proc.Completed:
        return git.run(list(args), self.folder)

    def resolve(self, ref: str) -> str:
        try:
            return git.resolve_commit(self.folder, ref)
        except git.GitError:
            hint = (" (this is a shallow clone: the ref may lie before its first commit; "
                    "fetch more history with `git fetch --deepen N` or `--unshallow`)") if self.shallow else ""
            raise HistoryError(f"unknown ref {ref!r}{hint}") from None

    # ------------------------------------------------------------ commits
    def commits(self, selection: Selection, whole: bool = True) -> list[Commit]:
        """The selected commits, oldest first. HistoryError when none, or (``whole``) when a
        shallow clone cuts the selection short."""
        spec, base = self._range(selection.rev_range)
        args = ["rev-list", "--first-parent", "--reverse",
                "--format=%H%x00%P%x00%an%x00%ae%x00%aI%x00%s"]
        if selection.last:
            args.append(f"--max-count={selection.last}")
        if selection.since:
            args.append(f"--since={_iso_date(selection.since)}")
        out = self.git(*args, *spec, "--").stdout
        commits = [_commit(line) for line in out.split("\n") if "\0" in line]
        if not commits:
            raise HistoryError(f"empty range: no commits in {_describe(selection)}")
        if whole:
            self._check_shallow(commits, selection, base)
        step = max(1, selection.every)
        return [c for i, c in enumerate(commits) if (len(commits) - 1 - i) % step == 0]

    def _range(self, rev_range: str | None) -> tuple[list[str], str | None]:
        if not rev_range:
            return [self.resolve("HEAD")], None
        if "..." in rev_range:
            raise HistoryError(f"--rev-range takes A..B (first-parent history), not {rev_range!r}")
        if ".." not in rev_range:
            return [self.resolve(rev_range)], None
        start, _, end = rev_range.partition("..")
        base = self.resolve(start) if start else None
        head = self.resolve(end or "HEAD")
        return ([head] + ([f"^{base}"] if base else [])), base

    def _check_shallow(self, commits: Sequence[Commit], selection: Selection, base: str | None) -> None:
        if not self.shallow:
            return
        oldest = commits[0]
        if oldest.oid not in self.shallow_commits():
            return
        if selection.last and len(commits) >= selection.last:
            return
        if base is None and selection.since and oldest.date[:10] <= _iso_date(selection.since)[:10]:
            return
        raise HistoryError(
            f"shallow clone: the history before {oldest.oid[:12]} is not in this repository, and "
            f"{_describe(selection)} reaches past it; fetch it (`git fetch --unshallow`, or "
            f"`--deepen N`) or choose commits inside the fetched history (--last N)")

    def shallow_commits(self) -> set[str]:
        try:
            return set((self.git_dir / "shallow").read_text(encoding="ascii").split())
        except OSError:
            return set()

    def tags(self) -> dict[str, list[str]]:
        """Commit -> the tags on it (annotated tags peeled)."""
        out = self.git("for-each-ref", "--format=%(objectname)%00%(*objectname)%00%(refname:short)",
                       "refs/tags").stdout
        found: dict[str, list[str]] = {}
        for line in out.splitlines():
            oid, peeled, name = (line.split("\0") + ["", ""])[:3]
            found.setdefault(peeled or oid, []).append(name)
        return {k: sorted(v) for k, v in found.items()}

    # ------------------------------------------------------------ trees and blobs
    def tree(self, commit: str) -> list[Entry]:
        """The files of ``commit`` a history reads, below the walked folder. GitError when the
        tree cannot be read."""
        out = self.git("ls-tree", "-r", "-l", "-z", "--full-tree", commit).stdout
        entries = []
        for item in out.split("\0"):
            meta, _, name = item.partition("\t")
            fields = meta.split()
            if len(fields) != 4 or fields[0] not in _REGULAR_MODES or fields[1] != "blob":
                continue  # symlinks, submodules
            if not name.startswith(self.prefix):
                continue
            rel = name[len(self.prefix):]
            if wanted(rel):
                entries.append(Entry(rel, fields[2], int(fields[3]) if fields[3].isdigit() else 0))
        return sorted(entries, key=lambda e: e.path)

    def blobs(self, oids: Iterable[str]) -> dict[str, bytes]:
        """The raw bytes of each blob (no filter, no conversion). GitError when one is missing."""
        unique = list(dict.fromkeys(oids))
        found: dict[str, bytes] = {}
        for i in range(0, len(unique), _BATCH):
            found.update(cat_file_batch(self.folder, unique[i:i + _BATCH]))
        return found


# -------------------------------------------------------------------- cat-file --batch
def cat_file_batch(cwd: Path, oids: Sequence[str], timeout: float = git.TIMEOUT) -> dict[str, bytes]:
    """``git cat-file --batch`` fed ``oids`` on stdin, with :mod:`orchestrator.git`'s safety
    settings. (``orchestrator.git.run`` gives its commands no stdin; this is the one git call
    here that needs one. ``cat-file --batch`` applies no filter and runs no hook.)"""
    for oid in oids:
        if not oid or not all(ch in "0123456789abcdef" for ch in oid):
            raise git.GitError(f"not an object id: {oid!r}")
    env = {k: v for k, v in proc.offline_env().items() if k not in git.DROPPED_ENV}
    env.update({"GIT_CONFIG_NOSYSTEM": "1", "GIT_OPTIONAL_LOCKS": "0", "GIT_NO_LAZY_FETCH": "1",
                "GIT_TERMINAL_PROMPT": "0", "GIT_ALLOW_PROTOCOL": "none", "LC_ALL": "C"})
    argv = [proc.which("git") or "git"]
    for key, value in git.SAFE_CONFIG:
        argv += ["-c", f"{key}={value}"]
    argv += ["cat-file", "--batch"]
    try:
        done = subprocess.run(argv, input=("\n".join(oids) + "\n").encode("ascii"), capture_output=True,
                              cwd=str(cwd), env=env, timeout=timeout)
    except FileNotFoundError as exc:
        raise git.GitError("git is not installed or not on PATH") from exc
    except subprocess.TimeoutExpired as exc:
        raise git.GitError(f"git cat-file timed out after {timeout:.0f}s") from exc
    if done.returncode != 0:
        raise git.GitError(f"git cat-file failed (exit {done.returncode}): "
                           + done.stderr.decode("utf-8", "replace").strip()[-300:])
    return _parse_batch(done.stdout)


def _parse_batch(data: bytes) -> dict[str, bytes]:
    found: dict[str, bytes] = {}
    pos = 0
    while pos < len(data):
        end = data.index(b"\n", pos)
        header = data[pos:end].decode("ascii", "replace").split()
        if len(header) == 2 and header[1] == "missing":
            raise git.GitError(f"object {header[0]} is missing from the repository")
        if len(header) != 3:
            raise git.GitError(f"unexpected cat-file output: {data[pos:end][:80]!r}")
        size = int(header[2])
        if header[1] != "blob":
            raise git.GitError(f"object {header[0]} is a {header[1]}, not a blob")
        found[header[0]] = data[end + 1:end + 1 + size]
        pos = end + 1 + size + 1
    return found


# -------------------------------------------------------------------- helpers
def _commit(line: str) -> Commit:
    oid, parents, author, email, date, subject = (line.split("\0") + [""] * 6)[:6]
    return Commit(oid, tuple(parents.split()), author, email, date, subject)


def _iso_date(value: str) -> str:
    try:
        parsed = dt.datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        raise HistoryError(f"--since takes an ISO date such as 2024-01-31 or 2024-01-31T12:00:00, "
                           f"not {value!r}") from None
    return parsed.isoformat()


def _describe(selection: Selection) -> str:
    parts = [selection.rev_range or "the history of HEAD"]
    if selection.last:
        parts.append(f"the last {selection.last} commit(s)")
    if selection.since:
        parts.append(f"since {selection.since}")
    return ", ".join(parts)


def _reason(exc: Exception) -> str:
    text = str(exc)
    return text.split(": ", 1)[1] if ": " in text else text
