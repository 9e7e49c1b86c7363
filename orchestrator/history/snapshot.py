"""One commit's files in a private folder, updated commit to commit.

The folder holds only what a scan reads (Python files, notebooks, the configuration files at the
walked root), written from blobs. Going to the next commit writes the paths whose blob changed
and deletes the ones that are gone, so a walk costs what the commits change, not what the trees
hold. Paths a tree should never hold (``..``, ``.git``, absolute, NUL) are refused and listed
as skipped; files are created with ``O_NOFOLLOW`` in folders this module made itself.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from orchestrator.history.repo import Entry, Repository
from orchestrator.model import Skipped

#: Blobs above this many bytes are not written (the scan would skip them as too large anyway).
MAX_BLOB_BYTES = 50_000_000


@dataclass(frozen=True)
class Update:
    written: int
    removed: int
    skipped: tuple[Skipped, ...]


class Snapshot:
    """The files of the last commit :meth:`update` was given, under ``root``."""

    def __init__(self, root: Path, repo: Repository, max_blob_bytes: int = MAX_BLOB_BYTES) -> None:
        self.root = root
        self.repo = repo
        self.max_blob_bytes = max_blob_bytes
        self.current: dict[str, str] = {}  # path -> blob id
        root.mkdir(parents=True, exist_ok=True)

    def update(self, entries: Sequence[Entry]) -> Update:
        """Make the folder hold ``entries``. GitError (and an emptied folder) when a blob cannot
        be read: the next update then starts from nothing."""
        skipped = []
        target: dict[str, Entry] = {}
        for e in entries:
            problem = unsafe(e.path)
            if problem:
                skipped.append(Skipped(e.path, "path refused in the history walk", problem))
            elif e.size > self.max_blob_bytes:
                skipped.append(Skipped(e.path, "file too large", f"{e.size} bytes"))
            else:
                target[e.path] = e
        gone = [p for p in self.current if p not in target]
        for path in gone:
            self._remove(path)
        changed = [e for p, e in target.items() if self.current.get(p) != e.oid]
        try:
            blobs = self.repo.blobs(e.oid for e in changed)
        except Exception:
            self.reset()
            raise
        for e in changed:
            self._write(e.path, blobs[e.oid])
            self.current[e.path] = e.oid
        return Update(len(changed), len(gone), tuple(skipped))

    def reset(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)
        self.root.mkdir(parents=True, exist_ok=True)
        self.current = {}

    def _remove(self, path: str) -> None:
        self.current.pop(path, None)
        try:
            os.unlink(self.root / path)
        except FileNotFoundError:
            pass

    def _write(self, path: str, data: bytes) -> None:
        file = self.root / path
        file.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0), 0o600)
        with os.fdopen(fd, "wb") as out:
            out.write(data)


def unsafe(path: str) -> str | None:
    """Why ``path`` (from a tree) must not be written, or None."""
    if not path or "\0" in path or path.startswith("/"):
        return "empty, absolute or NUL in the name"
    for part in path.split("/"):
        if part in ("", ".", "..") or part.lower() == ".git":
            return f"path component {part!r}"
    return None
