"""The history's state: one SQLite file, one transaction per commit.

A commit's rows (the commit, the findings present in it, the fingerprints suppressions hid in
it, the files it holds) are written together or not at all, so a walk killed at any moment
resumes with exactly the rows an uninterrupted walk writes: the commits already stored are
skipped, the others are scanned. Rows are keyed by commit id, not by position, so walks of
different ranges share them.

Rows depend on the scan's configuration (rule pack, engines, vocabulary extensions, limits):
the state remembers a key of it and starts again empty when the key changes.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Sequence

from orchestrator import __version__
from orchestrator.config import ScanConfig
from orchestrator.history.repo import Commit
from orchestrator.model import ScanResult, Skipped

DB_NAME = "history-v1.sqlite3"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS commits (
    oid TEXT PRIMARY KEY, parents TEXT NOT NULL, author TEXT NOT NULL, email TEXT NOT NULL,
    date TEXT NOT NULL, subject TEXT NOT NULL, status TEXT NOT NULL, reason TEXT NOT NULL,
    files INTEGER NOT NULL, paths BLOB NOT NULL, skipped TEXT NOT NULL, config TEXT NOT NULL,
    tree TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS commits_tree ON commits (tree);
CREATE TABLE IF NOT EXISTS findings (
    oid TEXT NOT NULL, fingerprint TEXT NOT NULL, rule_id TEXT NOT NULL, bias_pattern TEXT NOT NULL,
    stage TEXT NOT NULL, severity TEXT NOT NULL, score REAL NOT NULL, path TEXT NOT NULL,
    line INTEGER NOT NULL, message TEXT NOT NULL, repository_level INTEGER NOT NULL,
    PRIMARY KEY (oid, fingerprint));
CREATE TABLE IF NOT EXISTS suppressed (
    oid TEXT NOT NULL, fingerprint TEXT NOT NULL, path TEXT NOT NULL, line INTEGER NOT NULL,
    reason TEXT NOT NULL, PRIMARY KEY (oid, fingerprint));
"""

#: The tables and their orders, as :meth:`HistoryStore.dump` lists them (tests compare dumps).
TABLES = {"commits": "oid", "findings": "oid, fingerprint", "suppressed": "oid, fingerprint"}


@dataclass(frozen=True)
class StoredFinding:
    fingerprint: str
    rule_id: str
    bias_pattern: str
    stage: str
    severity: str
    score: float
    path: str
    line: int
    message: str
    repository_level: bool


@dataclass(frozen=True)
class StoredCommit:
    commit: Commit
    status: str  # "scanned" or "skipped"
    reason: str  # why it was skipped
    files: int
    paths: frozenset[str]
    skipped: tuple[Skipped, ...]
    findings: tuple[StoredFinding, ...]
    suppressed: dict[str, tuple[str, int, str]]  # fingerprint -> (path, line, reason)
    config: str = ""  # the commit's configuration files, as "path=blob" pairs


#: Sub-packages whose code does not decide a commit's rows (the state's key leaves them out).
_NOT_DECIDING = frozenset({"cli", "formats", "lsp", "measure", "study"})


def code_hash() -> str:
    """SHA-256 of the package's sources that decide a commit's rows (pipeline, engines, rules,
    the history's walk ...): rows made by other code are not reused, even under one version."""
    package = Path(__file__).resolve().parents[1]
    digest = hashlib.sha256()
    for path in sorted(package.rglob("*.py")):
        rel = path.relative_to(package)
        if rel.parts[0] in _NOT_DECIDING or "__pycache__" in rel.parts:
            continue
        digest.update(rel.as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def context_key(config: ScanConfig) -> str:
    """What decides a commit's rows besides its tree."""
    from orchestrator.rules import pack

    parts = {"fairlint": __version__, "code": code_hash(), "pack": pack.pack_hash(), "engines": list(config.engines),
             "protected": list(config.protected_attrs), "proxy": list(config.proxy_attrs),
             "timeout": config.timeout_per_file, "max_bytes": config.max_file_bytes,
             "exclude": list(config.exclude)}
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()


class HistoryStore:
    """The state folder's database. Every method opens its own short connection."""

    def __init__(self, directory: str | os.PathLike) -> None:
        self.directory = Path(directory)
        self.path = self.directory / DB_NAME

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=60, isolation_level=None)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")
        return db

    def open(self, context: str, repository: str) -> bool:
        """Create or check the database; rows of another context are dropped (True when so)."""
        self.directory.mkdir(parents=True, exist_ok=True)
        db = self._connect()
        try:
            db.executescript(_SCHEMA)
            known = db.execute("SELECT value FROM meta WHERE key = 'context'").fetchone()
            dropped = known is not None and known[0] != context
            with _transaction(db):
                if dropped:
                    for table in TABLES:
                        db.execute(f"DELETE FROM {table}")
                db.execute("INSERT OR REPLACE INTO meta VALUES ('context', ?)", (context,))
                db.execute("INSERT OR REPLACE INTO meta VALUES ('repository', ?)", (repository,))
            return dropped
        finally:
            db.close()

    def done(self, oids: Iterable[str]) -> set[str]:
        wanted = list(oids)
        db = self._connect()
        try:
            found: set[str] = set()
            for i in range(0, len(wanted), 500):
                chunk = wanted[i:i + 500]
                marks = ",".join("?" * len(chunk))
                found.update(r[0] for r in db.execute(f"SELECT oid FROM commits WHERE oid IN ({marks})", chunk))
            return found
        finally:
            db.close()

    def put_scanned(self, commit: Commit, result: ScanResult, paths: Sequence[str],
                    skipped: Sequence[Skipped], config: str = "", tree: str = "") -> None:
        findings = [(commit.oid, f.fingerprint, f.rule_id, f.bias_pattern, f.stage, f.severity.value,
                     round(f.score, 3), f.path, f.start_line, " ".join(f.message.split()),
                     int(f.repository_level)) for f in result.findings]
        hidden = {}
        for s in result.suppressions:
            for fp in s.suppressed:
                hidden.setdefault(fp, (commit.oid, fp, s.path, s.line, s.reason))
        all_skipped = list(skipped) + list(result.skipped)
        self._put(commit, "scanned", "", result.files_scanned, paths, all_skipped, findings, list(hidden.values()),
                  config, tree)

    def copy_scanned(self, commit: Commit, tree: str) -> bool:
        """Store ``commit`` with the rows of a stored commit whose scanned files (paths and
        contents, configuration included) are the same ``tree`` key; False when none is stored.
        A scan of the same files gives the same rows: commits that touch no scanned file (docs,
        data, CI) cost nothing."""
        db = self._connect()
        try:
            with _transaction(db):
                row = db.execute("SELECT oid, reason, files, paths, skipped, config FROM commits "
                                 "WHERE tree = ? AND status = 'scanned' ORDER BY oid LIMIT 1", (tree,)).fetchone()
                if row is None:
                    return False
                source = row[0]
                db.execute("INSERT OR REPLACE INTO commits VALUES (?,?,?,?,?,?,'scanned',?,?,?,?,?,?)",
                           (commit.oid, " ".join(commit.parents), commit.author, commit.email, commit.date,
                            commit.subject, *row[1:], tree))
                for table in ("findings", "suppressed"):
                    db.execute(f"DELETE FROM {table} WHERE oid = ?", (commit.oid,))
                    columns = [r[1] for r in db.execute(f"PRAGMA table_info({table})")][1:]
                    listed = ", ".join(columns)
                    db.execute(f"INSERT INTO {table} (oid, {listed}) SELECT ?, {listed} FROM {table} WHERE oid = ?",
                               (commit.oid, source))
            return True
        finally:
            db.close()

    def put_skipped(self, commit: Commit, reason: str) -> None:
        self._put(commit, "skipped", reason, 0, (), (), [], [])

    def _put(self, commit: Commit, status: str, reason: str, files: int, paths: Sequence[str],
             skipped: Sequence[Skipped], findings: list, hidden: list, config: str = "", tree: str = "") -> None:
        blob = zlib.compress(json.dumps(sorted(paths)).encode("utf-8", "surrogateescape"), 6)
        skipped_text = json.dumps([[s.path, s.reason, s.detail] for s in skipped])
        db = self._connect()
        try:
            with _transaction(db):
                db.execute("INSERT OR REPLACE INTO commits VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                           (commit.oid, " ".join(commit.parents), commit.author, commit.email, commit.date,
                            commit.subject, status, reason, files, blob, skipped_text, config, tree))
                db.execute("DELETE FROM findings WHERE oid = ?", (commit.oid,))
                db.execute("DELETE FROM suppressed WHERE oid = ?", (commit.oid,))
                db.executemany("INSERT OR REPLACE INTO findings VALUES (?,?,?,?,?,?,?,?,?,?,?)", findings)
                db.executemany("INSERT OR REPLACE INTO suppressed VALUES (?,?,?,?,?)", hidden)
        finally:
            db.close()

    def load(self, oids: Sequence[str]) -> dict[str, StoredCommit]:
        """The stored rows of each of ``oids`` that has them."""
        db = self._connect()
        try:
            out = {}
            for oid in oids:
                row = db.execute("SELECT * FROM commits WHERE oid = ?", (oid,)).fetchone()
                if row is None:
                    continue
                findings = tuple(StoredFinding(*r[1:10], bool(r[10])) for r in db.execute(
                    "SELECT * FROM findings WHERE oid = ? ORDER BY fingerprint", (oid,)))
                hidden = {r[0]: (r[1], r[2], r[3]) for r in db.execute(
                    "SELECT fingerprint, path, line, reason FROM suppressed WHERE oid = ?", (oid,))}
                out[oid] = _stored(row, findings, hidden)
            return out
        finally:
            db.close()

    def dump(self) -> dict[str, list[tuple]]:
        """Every row of every table, in a stable order."""
        db = self._connect()
        try:
            return {t: db.execute(f"SELECT * FROM {t} ORDER BY {order}").fetchall() for t, order in TABLES.items()}
        finally:
            db.close()


def _stored(row: tuple, findings: tuple[StoredFinding, ...], hidden: dict) -> StoredCommit:
    oid, parents, author, email, date, subject, status, reason, files, paths, skipped, config, _tree = row
    commit = Commit(oid, tuple(parents.split()), author, email, date, subject)
    names = json.loads(zlib.decompress(paths).decode("utf-8", "surrogateescape"))
    return StoredCommit(commit, status, reason, files, frozenset(names),
                        tuple(Skipped(*s) for s in json.loads(skipped)), findings, hidden, config)


class _transaction:
    """BEGIN IMMEDIATE ... COMMIT (ROLLBACK on error) on an autocommit connection."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    def __enter__(self) -> sqlite3.Connection:
        self.db.execute("BEGIN IMMEDIATE")
        return self.db

    def __exit__(self, kind, value, tb) -> None:
        self.db.execute("COMMIT" if kind is None else "ROLLBACK")
