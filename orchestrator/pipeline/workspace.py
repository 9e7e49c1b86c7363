"""The scan's private workspace (``fairlint-scan-*`` in the temporary folder), and the removal of
ones a killed scan left behind.

A live workspace holds an exclusive lock on its ``.lock`` file for as long as its scan runs; at
the next start, every ``fairlint-scan-*`` folder of this user whose lock can be taken (its scan
is gone) is removed. A folder without a lock file is removed once it is over a minute old (a
scan between creating its folder and locking it is younger than that).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import stat
import tempfile
import time
from pathlib import Path
from typing import Iterator

try:
    import fcntl
except ImportError:  # Windows: no stale-workspace cleanup (TemporaryDirectory still cleans up)
    fcntl = None  # type: ignore[assignment]

PREFIX = "fairlint-scan-"
LOCK = ".lock"
UNLOCKED_GRACE_S = 60.0


def _gone(folder: Path) -> bool:
    """Whether ``folder``'s scan is no longer running (its lock can be taken)."""
    lock = folder / LOCK
    try:
        fd = os.open(lock, os.O_RDWR | getattr(os, "O_NOFOLLOW", 0))
    except FileNotFoundError:
        try:
            return time.time() - folder.lstat().st_mtime > UNLOCKED_GRACE_S
        except OSError:
            return False
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False  # a live scan holds it
    finally:
        os.close(fd)
    return True


def remove_stale(base: str | os.PathLike[str] | None = None) -> list[Path]:
    """Remove this user's ``fairlint-scan-*`` folders whose scan was killed; returns them."""
    if fcntl is None:
        return []
    removed = []
    for folder in Path(base or tempfile.gettempdir()).glob(PREFIX + "*"):
        try:
            st = folder.lstat()
        except OSError:
            continue
        if not stat.S_ISDIR(st.st_mode) or st.st_uid != os.getuid():
            continue  # never a symlink, never another user's
        if _gone(folder):
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
    return removed


@contextlib.contextmanager
def scan_workspace(base: str | os.PathLike[str] | None = None) -> Iterator[str]:
    """A fresh workspace folder, locked while in use; stale ones are removed first."""
    with contextlib.suppress(OSError):
        remove_stale(base)
    with tempfile.TemporaryDirectory(prefix=PREFIX, dir=base) as work:
        fd = os.open(os.path.join(work, LOCK), os.O_CREAT | os.O_RDWR, 0o600)
        try:
            if fcntl is not None:
                fcntl.flock(fd, fcntl.LOCK_EX)
            yield work
        finally:
            os.close(fd)
