"""Cache faults (issue 19 C3, D4): only a real integrity failure moves the database aside, a move
never overwrites an earlier copy, a full disk is not damage, and ``cache info``/``cache clear``
work (or fail cleanly) on a cache they cannot write."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from orchestrator.cli.main import main
from orchestrator.pipeline import cache


@pytest.fixture()
def store(tmp_path) -> cache.ResultCache:
    return cache.ResultCache(tmp_path / "c")


def _damage(store: cache.ResultCache) -> None:
    store.path.write_bytes(b"this is not a database" * 100)
    for p in (Path(f"{store.path}-wal"), Path(f"{store.path}-shm")):
        p.unlink(missing_ok=True)


def test_a_second_damage_never_overwrites_the_first_copy(store):
    store.put_many("ctx", {"d1": 1})
    _damage(store)
    with pytest.warns(cache.CacheWarning, match="moved aside to results-v1.sqlite3.damaged"):
        store.get_many("ctx", ["d1"])
    store.put_many("ctx", {"d1": 2})
    _damage(store)
    with pytest.warns(cache.CacheWarning, match=r"moved aside to results-v1.sqlite3.damaged.1"):
        store.get_many("ctx", ["d1"])
    assert sorted(p.name for p in store.directory.iterdir() if "damaged" in p.name) == [
        "results-v1.sqlite3.damaged", "results-v1.sqlite3.damaged.1"]


def test_a_full_disk_is_not_damage(store, monkeypatch):
    """SQLite's own SQLITE_FULL (a page limit stands in for the disk): the valid cache stays."""
    store.put_many("ctx", {"d1": 1})
    real_connect = sqlite3.connect

    def tiny(*args, **kwargs):
        db = real_connect(*args, **kwargs)
        pages = db.execute("PRAGMA page_count").fetchone()[0]
        db.execute(f"PRAGMA max_page_count = {pages}")
        return db

    monkeypatch.setattr(sqlite3, "connect", tiny)
    with pytest.warns(cache.CacheWarning, match="write skipped .*full"):
        store.put_many("ctx", {f"x{i}": os.urandom(4000).hex() for i in range(50)})  # incompressible
    monkeypatch.undo()
    assert not list(store.directory.glob("*.damaged*"))
    assert store.get_many("ctx", ["d1"]) == {"d1": 1}


@pytest.mark.parametrize("exc, is_damage", [
    (sqlite3.DatabaseError("database disk image is malformed"), True),
    (sqlite3.DatabaseError("file is not a database"), True),
    (sqlite3.OperationalError("database or disk is full"), False),
    (sqlite3.OperationalError("database is locked"), False),
    (sqlite3.OperationalError("attempt to write a readonly database"), False),
    (sqlite3.OperationalError("disk I/O error"), False),
])
def test_only_integrity_failures_are_damage(exc, is_damage):
    assert cache.damaged(exc) is is_damage


def test_cache_info_reads_a_cache_it_cannot_write(tmp_path, monkeypatch):
    store = cache.ResultCache(tmp_path / "c")
    store.put_many("ctx", {"d1": 1, "d2": 2})

    def no_writes(self):
        raise sqlite3.OperationalError("attempt to write a readonly database")

    monkeypatch.setattr(cache.ResultCache, "_connect", no_writes)
    res = CliRunner().invoke(main, ["cache", "info", "--cache-dir", str(tmp_path / "c")])
    assert res.exit_code == 0, res.output
    assert "entries: 2" in res.output


def test_cache_clear_on_a_read_only_folder_is_a_clean_error(tmp_path, monkeypatch):
    store = cache.ResultCache(tmp_path / "c")
    store.put_many("ctx", {"d1": 1})

    def refuse(self, missing_ok=False):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "unlink", refuse)
    res = CliRunner().invoke(main, ["cache", "clear", "--cache-dir", str(tmp_path / "c")])
    assert res.exit_code == 2
    assert "cannot clear the cache" in res.output and "Permission denied" in res.output
    assert "Traceback" not in res.output


def test_a_cache_warning_is_one_plain_line(tmp_path):
    (tmp_path / "t").mkdir()
    (tmp_path / "t" / "a.py").write_text("x = 1\n")
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    res = CliRunner().invoke(main, ["scan", str(tmp_path / "t"), "--engine", "flow",
                                    "--cache-dir", str(blocker / "cache")])
    assert res.exit_code == 0, res.output
    lines = [l for l in res.output.splitlines() if "cache" in l]
    assert lines and all(l.startswith("fairlint: warning: fairlint cache at") for l in lines), lines
    assert "CacheWarning" not in res.output and "warnings.warn" not in res.output
