"""A content-addressed result cache: scan each file content once, ever.

An entry is keyed by the SHA-256 of a file's content (the digest :mod:`discovery` computes) and a
*context* key: everything else that decides the engine's results for that content. For Semgrep
the context is the rendered rule pack (so the vocabulary and ``--protected-attr`` extensions are
in it), which rule kinds ran, the Semgrep version, the options that change results (per-file
timeout, max target bytes, engine options) and the source of the engine adapter that turns
Semgrep's JSON into matches. Change any of them and every lookup misses; nothing is ever
invalidated by hand. Semgrep's open-source analysis is intra-file, so a content's results do not
depend on the other files of the scan; CodeQL's whole-program analysis does, so CodeQL is never
cached.

What is stored per content is the engine's per-file result: its matches and skipped entries,
with the display path taken out (one content can stand at many paths, in many repositories).
A content whose scan timed out or failed is never stored (it is scanned again next time); a
partial parse is stored (it is deterministic).

Storage is one SQLite database in WAL mode (``results-v1.sqlite3`` under the user cache folder
or ``--cache-dir``), safe for concurrent processes (dask workers) and threads: every operation
opens its own short connection with a busy timeout. The database is bounded in size (least
recently used entries go first) and ``fairlint cache clear`` empties it. A damaged database is
moved aside and rebuilt with a :class:`CacheWarning`; any other cache problem only costs a
rescan, never a failed scan.
"""

from __future__ import annotations

import contextlib
import hashlib
import inspect
import json
import os
import sqlite3
import sys
import tempfile
import threading
import time
import warnings
import zlib
from dataclasses import asdict, dataclass, fields, replace
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Iterator, Mapping, Sequence, TypeVar

from orchestrator import __version__, safeio
from orchestrator.engines.interface import Engine, EngineRequest, EngineResult, Target
from orchestrator.model import CellRef, Location, Match, Skipped
from orchestrator.pipeline.memo import LRU
from orchestrator.rules import pack as rulepack
from orchestrator.rules.vocabulary import Vocabulary

DB_NAME = "results-v1.sqlite3"
FORMAT = 1  # bump when the stored payload changes shape
DEFAULT_MAX_BYTES = 1 << 30  # 1 GiB of payloads
#: Engines whose results for a file depend on that file's content only.
PER_FILE_ENGINES = frozenset({"semgrep"})
#: Engines whose results depend on the whole repository (a flow crosses modules): stored per
#: set of contents, so a re-scan of an unchanged tree neither writes nor parses anything.
REPOSITORY_ENGINES = frozenset({"flow"})
#: Skipped reasons of a deterministic outcome (stored); any other skipped entry is not stored.
_STORABLE_SKIPS = ("could not parse",)
_BUSY_TIMEOUT_S = 60.0
_USED_GRANULARITY_S = 3600  # last-used times are refreshed at most once an hour
_PATH = "\0"  # stands for the display path inside stored texts (no scanned text holds NUL)
_CHUNK = 500  # digests per SQL statement (SQLite's parameter limit is 32766; stay small)

T = TypeVar("T")


#: In-process memos (bounded: a long-running LSP server reads many trees), each keyed by the
#: database file and everything its value depends on; :func:`_forget` empties them.
#: Decoded payloads by (database, context, digest), held as (payload, estimated bytes: decoded
#: objects weigh about three times their JSON): a payload is a pure function of its key
#: (content-addressed), so a hit equals a read; a write of the key drops it.
PAYLOAD_MEMO_ENTRIES = 50_000
PAYLOAD_MEMO_BYTES = 64 << 20
PAYLOADS: LRU = LRU(PAYLOAD_MEMO_ENTRIES, PAYLOAD_MEMO_BYTES, size=lambda key, value: value[1])
#: Meta values by (database, key).
METAS: LRU = LRU(1_000)
#: Stored results made objects again, as (matches, skipped), by (database, context, digest and
#: display path, or part key and ""): a history walk restores the same 300 files' matches, and
#: the same parts', every commit. About half a kilobyte a match.
RESTORED: LRU = LRU(50_000, 64 << 20, size=lambda key, value: 200 + 500 * len(value[0]))


def _forget() -> None:
    """Drop every in-process memo of a database's contents (it was cleared or rebuilt)."""
    PAYLOADS.clear()
    METAS.clear()
    RESTORED.clear()


class CacheWarning(RuntimeWarning):
    """The cache could not be used as asked (damaged, locked, unwritable); the scan goes on."""


class CacheError(OSError):
    """``cache info`` / ``cache clear`` could not do their job; the message says why."""


def default_dir() -> Path:
    """The user cache folder (``~/.cache/fairlint`` on Linux; ``FAIRLINT_CACHE_DIR`` overrides)."""
    override = os.environ.get("FAIRLINT_CACHE_DIR")
    if override:
        return Path(override)
    import platformdirs

    return Path(platformdirs.user_cache_dir("fairlint", appauthor=False))


@dataclass(frozen=True)
class CacheStats:
    path: Path
    entries: int
    contexts: int
    payload_bytes: int
    file_bytes: int


# ---------------------------------------------------------------- storage
class ResultCache:
    """Payloads (JSON-able values) by (context, content digest) in one SQLite file."""

    def __init__(self, directory: str | os.PathLike, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
        self.directory = Path(directory)
        self.path = self.directory / DB_NAME
        self.max_bytes = max_bytes
        self.disabled = False
        # The schema (and WAL mode) is set up once per object, by one thread at a time: two
        # threads of a scan creating a fresh database together got "database is locked" at
        # once (switching to WAL does not wait on the busy timeout), and a skipped cache read.
        self._schema_lock = threading.Lock()
        self._schema_ready = False

    # ------------------------------------------------------------ public
    def get_many(self, context: str, digests: Sequence[str]) -> dict[str, Any]:
        """The stored payload of each digest that has one (misses are absent).

        Payloads read before in this process come from :data:`PAYLOADS` (decoded once; a
        history walk reads the same 300 payloads per commit). Callers must not change them."""
        if self.disabled:
            return {}
        unique = list(dict.fromkeys(digests))
        where = str(self.path)
        found: dict[str, Any] = {}
        todo = []
        for d in unique:
            held = PAYLOADS.get((where, context, d))
            if held is None:
                todo.append(d)
            else:
                found[d] = held[0]

        def read(db: sqlite3.Connection) -> dict[str, Any]:
            read_now: dict[str, Any] = {}
            for chunk in _chunks(todo):
                marks = ",".join("?" * len(chunk))
                rows = db.execute(f"SELECT digest, payload FROM results WHERE context = ? "
                                  f"AND digest IN ({marks})", (context, *chunk)).fetchall()
                for d, p in rows:
                    text = zlib.decompress(p)
                    read_now[d] = json.loads(text)
                    PAYLOADS.put((where, context, d), (read_now[d], 3 * len(text) + 300))
            _touch(db, context, list(read_now))
            return read_now

        if todo:
            found.update(self._attempt("read", read, {}))
        return found

    def put_many(self, context: str, items: Mapping[str, Any]) -> None:
        """Store payloads (replacing older ones), then trim the database to ``max_bytes``."""
        if not items:
            return
        now = int(time.time())
        rows = []
        for digest, value in items.items():
            blob = zlib.compress(json.dumps(value, separators=(",", ":")).encode(), 1)
            rows.append((context, digest, blob, len(blob), now))

        where = str(self.path)
        for digest in items:  # the stored value replaces any decoded one
            PAYLOADS.pop((where, context, digest))

        def write(db: sqlite3.Connection) -> None:
            with db:
                db.executemany("INSERT OR REPLACE INTO results (context, digest, payload, size, used) "
                               "VALUES (?, ?, ?, ?, ?)", rows)
            _trim(db, self.max_bytes)

        self._attempt("write", write, None)

    def get_meta(self, key: str) -> str | None:
        """A stored meta value (keys name everything their value depends on: the ones read
        before in this process come from :data:`METAS`)."""
        held = None if self.disabled else METAS.get((str(self.path), key))
        if held is not None:
            return held

        def read(db: sqlite3.Connection) -> str | None:
            row = db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
            return row[0] if row else None

        value = self._attempt("read", read, None)
        if value is not None:
            METAS.put((str(self.path), key), value)
        return value

    def set_meta(self, key: str, value: str) -> None:
        METAS.pop((str(self.path), key))
        def write(db: sqlite3.Connection) -> None:
            with db:
                db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, value))

        self._attempt("write", write, None)

    def stats(self) -> CacheStats:
        """What the cache holds, read without writing (a read-only cache is fine). Raises
        :class:`CacheError` when it cannot be read."""
        entries = contexts = size = 0
        if self.path.exists():
            try:
                db = sqlite3.connect(f"{self.path.resolve().as_uri()}?mode=ro", uri=True,
                                     timeout=_BUSY_TIMEOUT_S)
                try:
                    entries, contexts, size = db.execute(
                        "SELECT COUNT(*), COUNT(DISTINCT context), COALESCE(SUM(size), 0) FROM results").fetchone()
                finally:
                    db.close()
            except sqlite3.Error as exc:
                raise CacheError(f"cannot read the cache {self.path}: {exc}") from None
        files = sum(p.stat().st_size for p in self._files() if p.exists())
        return CacheStats(self.path, entries, contexts, size, files)

    def clear(self) -> int:
        """Delete the database (and its WAL files); returns the bytes freed. Raises
        :class:`CacheError` when a file cannot be deleted (a read-only folder)."""
        self._schema_ready = False
        _forget()
        freed = 0
        for p in self._files():
            try:
                size = p.stat().st_size
                p.unlink()
            except FileNotFoundError:
                continue
            except OSError as exc:
                raise CacheError(f"cannot clear the cache {self.path}: {exc.strerror or exc}") from None
            freed += size
        return freed

    # ------------------------------------------------------------ internals
    def _files(self) -> list[Path]:
        return [self.path, Path(f"{self.path}-wal"), Path(f"{self.path}-shm")]

    @contextlib.contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        self.directory.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(self.path, timeout=_BUSY_TIMEOUT_S)
        try:
            db.execute("PRAGMA synchronous=NORMAL")  # a setting of each connection
            if not self._schema_ready:
                with self._schema_lock:
                    if not self._schema_ready:
                        _ensure_schema(db)
                        self._schema_ready = True
            yield db
        finally:
            db.close()

    def _attempt(self, what: str, action: Callable[[sqlite3.Connection], T], default: T) -> T:
        """``action`` on a fresh connection; a cache problem becomes a warning and ``default``:
        a damaged file is moved aside and rebuilt, a locked one skipped, an unusable folder
        turns the cache off for this object."""
        if self.disabled:
            return default
        try:
            with self._connect() as db:
                return action(db)
        except (sqlite3.DatabaseError, zlib.error, ValueError, KeyError) as exc:
            if damaged(exc):
                self._rebuild(exc)
            else:  # locked, busy, read-only, a full disk: the cache is fine, this use is skipped
                warnings.warn(f"fairlint cache {what} skipped ({_reason(exc)}); files are scanned again",
                              CacheWarning, stacklevel=3)
        except OSError as exc:
            self.disabled = True
            warnings.warn(f"fairlint cache at {self.directory} is not usable ({exc.strerror or exc}); "
                          "scanning without it", CacheWarning, stacklevel=3)
        return default

    def _rebuild(self, exc: BaseException) -> None:
        """Move a damaged database aside (never over an earlier copy) and start a new one."""
        self._schema_ready = False
        _forget()
        try:
            aside = safeio.move_aside(self.path).name
        except OSError as move_error:
            self.disabled = True
            warnings.warn(f"fairlint cache {self.path} is damaged ({_reason(exc)}) and cannot be moved "
                          f"aside ({move_error.strerror or move_error}); scanning without it",
                          CacheWarning, stacklevel=4)
            return
        warnings.warn(f"fairlint cache {self.path} was damaged ({_reason(exc)}); "
                      f"moved aside to {aside} and rebuilt", CacheWarning, stacklevel=4)
        for p in self._files()[1:]:
            with contextlib.suppress(OSError):
                p.unlink()


def _touch(db: sqlite3.Connection, context: str, digests: list[str]) -> None:
    """Refresh last-used times (for trimming), at most once per granule per entry."""
    now = int(time.time())
    stale = now - _USED_GRANULARITY_S
    with contextlib.suppress(sqlite3.OperationalError):  # a busy database only delays it
        with db:
            for chunk in _chunks(digests):
                marks = ",".join("?" * len(chunk))
                db.execute(f"UPDATE results SET used = ? WHERE context = ? AND used < ? "
                           f"AND digest IN ({marks})", (now, context, stale, *chunk))


def _trim(db: sqlite3.Connection, max_bytes: int) -> None:
    """Drop least recently used entries until the payloads take 80 % of ``max_bytes``."""
    (total,) = db.execute("SELECT COALESCE(SUM(size), 0) FROM results").fetchone()
    if total <= max_bytes:
        return
    goal = int(max_bytes * 0.8)
    drop, freed = [], 0
    for rowid, size in db.execute("SELECT rowid, size FROM results ORDER BY used, rowid").fetchall():
        if total - freed <= goal:
            break
        drop.append((rowid,))
        freed += size
    with db:
        db.executemany("DELETE FROM results WHERE rowid = ?", drop)
    with contextlib.suppress(sqlite3.OperationalError):
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def _ensure_schema(db: sqlite3.Connection) -> None:
    if db.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
        db.execute("PRAGMA journal_mode=WAL")
    with db:
        db.execute("CREATE TABLE IF NOT EXISTS results (context TEXT NOT NULL, digest TEXT NOT NULL, "
                   "payload BLOB NOT NULL, size INTEGER NOT NULL, used INTEGER NOT NULL, "
                   "PRIMARY KEY (context, digest))")
        db.execute("CREATE INDEX IF NOT EXISTS results_used ON results (used)")
        db.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")


#: SQLite result codes that mean the file itself is damaged (everything else, a full disk
#: (SQLITE_FULL), a lock, a read-only file or an I/O error, leaves it alone).
_DAMAGE_CODES = {"SQLITE_CORRUPT", "SQLITE_NOTADB", "SQLITE_CORRUPT_INDEX", "SQLITE_CORRUPT_SEQUENCE",
                 "SQLITE_CORRUPT_VTAB"}


def damaged(exc: BaseException) -> bool:
    """Whether ``exc`` is a real integrity failure of the cache (then, and only then, the
    database is moved aside): SQLite's corrupt / not-a-database codes, or a stored payload
    that does not decode."""
    if isinstance(exc, (zlib.error, ValueError, KeyError)):
        return True
    name = getattr(exc, "sqlite_errorname", None)
    if name:
        return name in _DAMAGE_CODES
    text = str(exc).lower()
    return any(word in text for word in ("malformed", "not a database", "corrupt"))


def _reason(exc: BaseException) -> str:
    return " ".join(str(exc).split())[:200] or type(exc).__name__


def _chunks(items: Sequence[T], size: int = _CHUNK) -> Iterator[Sequence[T]]:
    for i in range(0, len(items), size):
        yield items[i:i + size]


def open_cache(cache_dir: str | os.PathLike | None, enabled: bool = True) -> ResultCache | None:
    """The cache a scan uses: ``cache_dir`` or the user cache folder; None when turned off."""
    if not enabled:
        return None
    return ResultCache(Path(cache_dir) if cache_dir else default_dir())


def memoize(store: ResultCache | None, context: str, digests: Sequence[str],
            compute: Callable[[list[str]], Mapping[str, T]]) -> dict[str, T]:
    """``compute(missing)`` for the digests ``store`` does not hold yet; everything else from it."""
    if store is None:
        return dict(compute(list(dict.fromkeys(digests))))
    found = store.get_many(context, digests)
    missing = [d for d in dict.fromkeys(digests) if d not in found]
    if missing:
        fresh = dict(compute(missing))
        store.put_many(context, fresh)
        found.update(fresh)
    return found


# ---------------------------------------------------------------- context keys
def context_key(**parts: Any) -> str:
    """A stable hash of the named parts (JSON-able values)."""
    text = json.dumps({"format": FORMAT, **parts}, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


@lru_cache(maxsize=64)
def source_hash(path: str) -> str:
    """SHA-256 of a module's source file: results made by changed code are not reused."""
    with open(path, "rb") as fh:
        return hashlib.sha256(fh.read()).hexdigest()


def rendered_pack_hash(vocab: Vocabulary, kinds: Sequence[str], store: ResultCache | None = None) -> str:
    """SHA-256 of the Semgrep config :func:`rulepack.render_pack` writes for ``vocab``.

    With a ``store``, remembered under what decides the rendering (the rule and vocabulary
    files, the vocabulary's terms, the rendering code): rendering parses every rule file, a
    sixth of a warm re-scan's time."""
    pack = rulepack.pack_hash()
    key = None
    if store is not None:
        from orchestrator.rules import vocabulary

        terms = [getattr(vocab, f.name) for f in fields(vocab) if f.compare]  # not where it was read from
        inputs = [pack, terms, list(kinds), source_hash(rulepack.__file__), source_hash(vocabulary.__file__)]
        key = "rendered-pack:" + hashlib.sha256(json.dumps(inputs).encode()).hexdigest()
        known = store.get_meta(key)
        if known:
            return known
    value = _rendered_pack_hash(pack, vocab, tuple(kinds))
    if key is not None:
        store.set_meta(key, value)
    return value


@lru_cache(maxsize=16)
def _rendered_pack_hash(pack: str, vocab: Vocabulary, kinds: tuple[str, ...]) -> str:
    del pack  # part of the memo's key: rules edited in this process render again
    with tempfile.TemporaryDirectory(prefix="fairlint-pack-") as tmp:
        config = rulepack.render_pack(vocab, kinds=kinds, dest=Path(tmp))
        return hashlib.sha256(config.read_bytes()).hexdigest()


def engine_context(engine: Engine, request: EngineRequest, version: str | None,
                   store: ResultCache | None = None) -> str:
    """Everything besides a file's content that decides ``engine``'s results for it."""
    kinds = ("finding", "evidence") if request.include_evidence else ("finding",)
    return context_key(
        kind="engine", engine=engine.name, version=version, binary=_binary_identity(engine),
        fairlint=__version__,
        adapter=source_hash(inspect.getfile(type(engine))),
        pack=rendered_pack_hash(request.vocabulary, kinds, store), kinds=kinds,
        timeout=request.timeout_per_file, max_bytes=request.max_file_bytes,
        options=request.options)


def syntax_context() -> str:
    """Context of :func:`discovery.syntax_error` results: this Python's parser and that code."""
    from orchestrator.pipeline import discovery

    return context_key(kind="python-syntax", python=sys.version, code=source_hash(discovery.__file__))


# ---------------------------------------------------------------- tool versions
def tool_version(engine: Engine, store: ResultCache | None) -> str | None:
    """``engine.version()``, remembered per binary (path, size, mtime): starting Semgrep only to
    ask its version costs seconds, more than a whole warm scan. An engine without a known
    binary is asked every time."""
    identity = _binary_identity(engine)
    if store is None or not identity:
        return engine.version()
    key = f"version:{engine.name}:{identity}"
    known = store.get_meta(key)
    if known:
        return known
    version = engine.version()
    if version:
        store.set_meta(key, version)
    return version


def _binary_identity(engine: Engine) -> str | None:
    """The engine's executable as (real path, size, mtime): another build is another context."""
    binary = getattr(engine, "_binary", None)
    if not binary:
        return None
    try:
        st = os.stat(binary)
    except OSError:
        return None
    return f"{os.path.realpath(binary)}:{st.st_size}:{st.st_mtime_ns}"


# ---------------------------------------------------------------- engine runs
def run_engine(engine: Engine, request: EngineRequest, digests: Mapping[str, str],
               store: ResultCache | None,
               materialise: Callable[[Sequence[Target]], None] | None = None) -> EngineResult:
    """``engine.run(request)`` reusing stored per-content results; only misses are scanned.

    ``digests`` maps each target's display path to its content digest. Results are identical
    to an uncached run: stored matches and skipped entries are put back at the target's path.
    ``materialise``, when given, is called with the targets the engine will read, before it runs.
    """
    prepare = materialise or (lambda targets: None)
    if store is not None and engine.name in REPOSITORY_ENGINES:
        return run_repository_engine(engine, request, digests, store, prepare)
    if store is None or engine.name not in PER_FILE_ENGINES:
        prepare(request.targets)
        return engine.run(request)
    version = tool_version(engine, store)
    context = engine_context(engine, request, version, store)
    by_digest = {digests[t.display_path]: t for t in request.targets}
    where = str(store.path)
    known = {}
    for digest, target in by_digest.items():
        held = RESTORED.get((where, context, digest, target.display_path))
        if held is not None:
            known[digest] = held
    stored = store.get_many(context, [d for d in by_digest if d not in known])
    misses = [t for d, t in by_digest.items() if d not in stored and d not in known]
    prepare(misses)
    fresh = engine.run(replace(request, targets=misses)) if misses else EngineResult((), version=version)
    store.put_many(context, storable(fresh, {t.display_path: digests[t.display_path] for t in misses}))
    matches, skipped = list(fresh.matches), list(fresh.skipped)
    for digest, target in by_digest.items():
        if digest in known:
            m, s = known[digest]
        elif digest in stored:
            m, s = restore(stored[digest], target.display_path)
            RESTORED.put((where, context, digest, target.display_path), (tuple(m), tuple(s)))
        else:
            continue
        matches += m
        skipped += s
    return EngineResult(tuple(matches), tuple(skipped), fresh.errors, fresh.version or version)


def run_repository_engine(engine: Engine, request: EngineRequest, digests: Mapping[str, str],
                          store: ResultCache, prepare: Callable[[Sequence[Target]], None]) -> EngineResult:
    """A whole-repository engine's result, stored under the set of (path, content) pairs it read
    and the engine's own code (every module of its package).

    An engine that cuts its work into independent parts (``plan`` / ``run_part``, the flow
    engine) has each part's result stored too, under what that part read: a tree that differs
    from a stored one in a few files analyses only the parts holding them (a history walk's
    next commit)."""
    version = engine.version()
    package = Path(inspect.getfile(type(engine))).parent
    context = engine_context(engine, request, version, store)
    code = sorted(source_hash(str(p)) for p in package.glob("*.py"))
    key = context_key(kind="repository", context=context, code=code,
                      contents=sorted((t.display_path, digests.get(t.display_path, "")) for t in request.targets))
    stored = store.get_many(context, [key]).get(key)
    if stored is not None and "parts" not in stored:
        return _result_in(stored, version)
    if stored is not None:  # a tree analysed in parts: its parts' results, if all are still stored
        found = _parts_in(engine, store, context, stored["parts"])
        if found is not None:
            return engine.assemble([Skipped(**s) for s in stored["skipped"]], found)
    planner = getattr(engine, "plan", None)
    if planner is None or any(t.display_path not in digests for t in request.targets):
        prepare(request.targets)
        fresh = engine.run(request)
        whole = {"matches": [_full_match_out(m) for m in fresh.matches], "skipped": [asdict(s) for s in fresh.skipped]}
    else:
        plan = planner(request, digests, prepare)
        keys = {part: context_key(kind="repository-part", context=context, code=code, part=part.key)
                for part in plan.parts}
        held = _parts_in(engine, store, context, list(keys.values()), partial=True)
        done, new = {}, {}
        for part, part_key in keys.items():
            if part_key in held:
                done[part] = held[part_key]
            else:
                done[part] = engine.run_part(plan, part)
                new[part_key] = {"matches": [_full_match_out(m) for m in done[part].matches],
                                 "skipped": [asdict(s) for s in done[part].partial]}
        store.put_many(context, new)
        fresh = plan.result(done)
        # The tree's entry: with several parts, the list of their keys (a history walk stores one
        # per commit, and every match again per commit would cost a tenth of its time).
        whole = ({"matches": [_full_match_out(m) for m in fresh.matches], "skipped": [asdict(s) for s in fresh.skipped]}
                 if len(plan.parts) <= 1 else {"parts": list(keys.values()), "skipped": [asdict(s) for s in plan.skipped]})
    if not fresh.errors:
        store.put_many(context, {key: whole})
    return fresh


def _parts_in(engine: Engine, store: ResultCache, context: str, part_keys: Sequence[str],
              partial: bool = False) -> dict[str, Any] | None:
    """The stored result of each part key (from :data:`RESTORED` first). Without ``partial``,
    None unless every part is stored (the cache may have trimmed some)."""
    where = str(store.path)
    restored = {k: r for k in part_keys if (r := RESTORED.get((where, context, k, ""))) is not None}
    for part_key, payload in store.get_many(context, [k for k in part_keys if k not in restored]).items():
        restored[part_key] = (tuple(_full_match_in(m) for m in payload["matches"]),
                              tuple(Skipped(**s) for s in payload["skipped"]))
        RESTORED.put((where, context, part_key, ""), restored[part_key])
    found = {k: engine.part_result(*r) for k, r in restored.items()}
    if not partial and len(found) < len(set(part_keys)):
        return None
    return found


def _result_in(stored: Mapping[str, Any], version: str | None) -> EngineResult:
    return EngineResult(tuple(_full_match_in(m) for m in stored["matches"]),
                        tuple(Skipped(**s) for s in stored["skipped"]), (), version)


def _full_match_out(m: Match) -> dict[str, Any]:
    d = _match_out(m)
    d["location"] = asdict(m.location)
    d["code_flow"] = [asdict(c) for c in m.code_flow]
    return d


def _full_match_in(d: Mapping[str, Any]) -> Match:
    def loc(x: Mapping[str, Any]) -> Location:
        return _location_in(x, x["path"])

    return Match(d["engine"], d["rule_id"], loc(d["location"]), d["message"], d["snippet"], d["metadata"],
                 d["start_offset"], d["end_offset"], d["evidence"], tuple(loc(c) for c in d["code_flow"]))


def storable(result: EngineResult, digests: Mapping[str, str]) -> dict[str, dict[str, Any]]:
    """Per content digest, the payload to store for a fresh run (files with problems left out).

    A run with errors not tied to a file (a crashed batch, a rule problem) stores nothing."""
    if result.errors:
        return {}
    payloads = {d: {"matches": [], "skipped": []} for d in digests.values()}
    bad: set[str] = set()
    for s in result.skipped:
        digest = digests.get(s.path)
        if digest is None:
            continue
        if not any(word in s.reason for word in _STORABLE_SKIPS):
            bad.add(digest)
        payloads[digest]["skipped"].append(_skipped_out(s))
    for m in result.matches:
        digest = digests.get(m.location.path)
        if digest is None:
            continue
        payloads[digest]["matches"].append(_match_out(m))
    return {d: p for d, p in payloads.items() if d not in bad}


def restore(payload: Mapping[str, Any], path: str) -> tuple[list[Match], list[Skipped]]:
    """Stored matches and skipped entries, standing at ``path``."""
    matches = [_match_in(m, path) for m in payload["matches"]]
    skipped = [Skipped(path, s["reason"].replace(_PATH, path), s["detail"].replace(_PATH, path))
               for s in payload["skipped"]]
    return matches, skipped


def _skipped_out(s: Skipped) -> dict[str, str]:
    return {"reason": s.reason.replace(s.path, _PATH), "detail": s.detail.replace(s.path, _PATH)}


def _location_out(loc: Location) -> dict[str, Any]:
    d = asdict(loc)
    del d["path"]
    return d


def _location_in(d: Mapping[str, Any], path: str) -> Location:
    cell = CellRef(**d["cell"]) if d.get("cell") else None
    return Location(path, d["start_line"], d["end_line"], d["start_col"], d["end_col"], cell)


def _match_out(m: Match) -> dict[str, Any]:
    return {"engine": m.engine, "rule_id": m.rule_id, "location": _location_out(m.location),
            "message": m.message, "snippet": m.snippet,
            "metadata": m.metadata, "start_offset": m.start_offset, "end_offset": m.end_offset,
            "evidence": m.evidence, "code_flow": [_location_out(c) for c in m.code_flow]}


def _match_in(d: Mapping[str, Any], path: str) -> Match:
    return Match(d["engine"], d["rule_id"], _location_in(d["location"], path),
                 d["message"], d["snippet"], d["metadata"], d["start_offset"],
                 d["end_offset"], d["evidence"], tuple(_location_in(c, path) for c in d["code_flow"]))
