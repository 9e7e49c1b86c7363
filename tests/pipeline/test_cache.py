"""The content-addressed result cache: storage, keys, invalidation, damage, concurrency.

Engine-level tests use a counting stand-in engine (no semgrep start-up); the pipeline tests at
the end run the real Semgrep engine on two small files.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import shutil
import sqlite3
import time
import warnings
import zlib
from dataclasses import replace
from pathlib import Path

import pytest

from orchestrator.engines.interface import Engine, EngineRequest, EngineResult, Target
from orchestrator.model import CellRef, Location, Match, Skipped
from orchestrator.pipeline import cache
from orchestrator.rules import resources
from orchestrator.rules.vocabulary import Vocabulary


# ---------------------------------------------------------------- a counting engine
class CountingEngine(Engine):
    """Reports one match per line containing ``dropna`` and problems on marked lines;
    remembers which display paths each run scanned."""

    name = "semgrep"

    def __init__(self, binary: str | None = None, version: str = "1.0.0") -> None:
        self._binary = binary
        self._version = version
        self.runs: list[list[str]] = []
        self.version_calls = 0
        self.run_error: str | None = None

    def available(self) -> bool:
        return True

    def version(self) -> str | None:
        self.version_calls += 1
        return self._version

    def run(self, request: EngineRequest) -> EngineResult:
        self.runs.append(sorted(t.display_path for t in request.targets))
        matches, skipped = [], []
        for t in request.targets:
            text = t.scan_path.read_text()
            for n, line in enumerate(text.splitlines(), 1):
                if "dropna" in line:
                    loc = Location(t.display_path, n, n, 1, len(line) + 1)
                    flow = (Location(t.display_path, max(1, n - 1), n),)
                    matches.append(Match("semgrep", "missing-rows-dropped", loc, "rows dropped", line,
                                         {"bias-pattern": "DP01", "confidence": "HIGH"}, 3, 9, None, flow))
                if "TIMEOUT" in line:
                    skipped.append(Skipped(t.display_path, "semgrep timed out on the file (analysed partially)"))
                if "PARSE" in line:
                    skipped.append(Skipped(t.display_path, "semgrep could not parse part of the file (analysed partially)",
                                           f"{t.display_path}:{n}: syntax error"))
        errors = (self.run_error,) if self.run_error else ()
        return EngineResult(tuple(matches), tuple(skipped), errors, self._version)


def make_request(tmp_path: Path, files: dict[str, str], **kw) -> tuple[EngineRequest, dict[str, str]]:
    """Targets under content-hash names, like the pipeline's workspace; (request, path -> digest)."""
    import hashlib

    work = tmp_path / "ws"
    work.mkdir(exist_ok=True)
    targets, digests = [], {}
    for rel, text in files.items():
        digest = hashlib.sha256(b"python\0" + text.encode()).hexdigest()
        scan_path = work / f"{digest}.py"
        scan_path.write_text(text)
        targets.append(Target(scan_path, rel))
        digests[rel] = digest
    return EngineRequest(tmp_path, targets, kw.pop("vocabulary", Vocabulary.default()), **kw), digests


def ordered(result: EngineResult) -> tuple[list, list, tuple]:
    key = lambda m: (m.location.path, m.location.start_line, m.rule_id)  # noqa: E731
    return (sorted(result.matches, key=key), sorted(result.skipped, key=lambda s: (s.path, s.reason)),
            result.errors)


FILES = {"a.py": "df = df.dropna()\n", "b.py": "x = 1\ny = x.dropna(axis=1)\n", "c.py": "print('clean')\n"}


@pytest.fixture
def store(tmp_path: Path) -> cache.ResultCache:
    return cache.ResultCache(tmp_path / "cache")


# ---------------------------------------------------------------- storage
def test_put_get_roundtrip_by_context(store: cache.ResultCache) -> None:
    store.put_many("ctx", {"d1": {"x": [1, 2]}, "d2": {"x": []}})
    assert store.get_many("ctx", ["d1", "d2", "d3"]) == {"d1": {"x": [1, 2]}, "d2": {"x": []}}
    assert store.get_many("other", ["d1"]) == {}
    stats = store.stats()
    assert (stats.entries, stats.contexts) == (2, 1)
    with sqlite3.connect(store.path) as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_clear_empties(store: cache.ResultCache) -> None:
    store.put_many("ctx", {"d1": 1})
    assert store.clear() > 0
    assert store.get_many("ctx", ["d1"]) == {}


def test_size_bound_drops_least_recently_used(tmp_path: Path) -> None:
    store = cache.ResultCache(tmp_path / "c", max_bytes=4000)
    payload = {"blob": os.urandom(600).hex()}  # incompressible: ~650 bytes stored
    store.put_many("ctx", {"old": payload})
    with sqlite3.connect(store.path) as db:
        db.execute("UPDATE results SET used = 0")
    store.put_many("ctx", {f"d{i}": payload for i in range(8)})
    assert store.stats().payload_bytes <= 4000
    assert "old" not in store.get_many("ctx", ["old"])
    assert store.get_many("ctx", ["d7"])


def test_damaged_database_is_rebuilt_with_a_warning(store: cache.ResultCache) -> None:
    store.put_many("ctx", {"d1": 1})
    store.path.write_bytes(b"this is not a database" * 100)
    for p in (Path(f"{store.path}-wal"), Path(f"{store.path}-shm")):
        p.unlink(missing_ok=True)
    with pytest.warns(cache.CacheWarning, match="damaged"):
        assert store.get_many("ctx", ["d1"]) == {}
    assert store.path.with_name(store.path.name + ".damaged").exists()
    store.put_many("ctx", {"d1": 2})
    assert store.get_many("ctx", ["d1"]) == {"d1": 2}


def test_unusable_folder_turns_the_cache_off(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    store = cache.ResultCache(blocker / "cache")
    with pytest.warns(cache.CacheWarning, match="not usable"):
        assert store.get_many("ctx", ["d"]) == {}
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        store.put_many("ctx", {"d": 1})  # silently off now


def _writer(directory: str, worker: int) -> None:
    store = cache.ResultCache(directory)
    for batch in range(5):
        store.put_many("ctx", {f"w{worker}-{batch}-{i}": [worker, batch, i] for i in range(40)})
        store.get_many("ctx", [f"w{worker}-{batch}-{i}" for i in range(40)])


def test_concurrent_processes_share_one_database(tmp_path: Path) -> None:
    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=_writer, args=(str(tmp_path / "c"), w)) for w in range(4)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
    assert [p.exitcode for p in procs] == [0, 0, 0, 0]
    store = cache.ResultCache(tmp_path / "c")
    assert store.stats().entries == 4 * 5 * 40
    assert store.get_many("ctx", ["w3-4-39"]) == {"w3-4-39": [3, 4, 39]}


def test_memoize_computes_only_misses(store: cache.ResultCache) -> None:
    asked = []

    def compute(digests):
        asked.append(list(digests))
        return {d: d.upper() for d in digests}

    assert cache.memoize(store, "ctx", ["a", "b"], compute) == {"a": "A", "b": "B"}
    assert cache.memoize(store, "ctx", ["a", "b", "c"], compute) == {"a": "A", "b": "B", "c": "C"}
    assert asked == [["a", "b"], ["c"]]
    assert cache.memoize(None, "ctx", ["a"], compute) == {"a": "A"}


# ---------------------------------------------------------------- engine runs
def test_warm_run_scans_nothing_and_equals_the_uncached_result(tmp_path: Path, store) -> None:
    engine = CountingEngine()
    request, digests = make_request(tmp_path, FILES)
    plain = engine.run(request)
    cold = cache.run_engine(engine, request, digests, store)
    warm = cache.run_engine(engine, request, digests, store)
    assert engine.runs == [["a.py", "b.py", "c.py"]] * 2  # the plain run and the cold one
    assert ordered(plain) == ordered(cold) == ordered(warm)
    assert warm.version == "1.0.0"


def test_one_changed_file_rescans_that_file_only(tmp_path: Path, store) -> None:
    engine = CountingEngine()
    request, digests = make_request(tmp_path, FILES)
    cache.run_engine(engine, request, digests, store)
    request2, digests2 = make_request(tmp_path, {**FILES, "b.py": "y = z.dropna()\nw = 2\n"})
    result = cache.run_engine(engine, request2, digests2, store)
    assert engine.runs[-1] == ["b.py"]
    assert ordered(result) == ordered(engine.run(request2))


def test_only_the_targets_an_engine_reads_are_materialised(tmp_path: Path, store) -> None:
    engine = CountingEngine()
    request, digests = make_request(tmp_path, FILES)
    asked: list[list[str]] = []
    cache.run_engine(engine, request, digests, store, lambda ts: asked.append(sorted(t.display_path for t in ts)))
    cache.run_engine(engine, request, digests, store, lambda ts: asked.append(sorted(t.display_path for t in ts)))
    request2, digests2 = make_request(tmp_path, {**FILES, "b.py": "y = z.dropna()\nw = 2\n"})
    cache.run_engine(engine, request2, digests2, store, lambda ts: asked.append(sorted(t.display_path for t in ts)))
    cache.run_engine(engine, request2, digests2, None, lambda ts: asked.append(sorted(t.display_path for t in ts)))
    assert asked == [sorted(FILES), [], ["b.py"], sorted(FILES)]


def test_same_content_at_another_path_is_restored_there(tmp_path: Path, store) -> None:
    engine = CountingEngine()
    request, digests = make_request(tmp_path, {"a.py": "df.dropna()\nPARSE\n"})
    cache.run_engine(engine, request, digests, store)
    moved, moved_digests = make_request(tmp_path, {"vendor/copy.py": "df.dropna()\nPARSE\n"})
    result = cache.run_engine(engine, moved, moved_digests, store)
    assert len(engine.runs) == 1
    assert {m.location.path for m in result.matches} == {"vendor/copy.py"}
    assert result.matches[0].code_flow[0].path == "vendor/copy.py"
    assert result.skipped == (Skipped("vendor/copy.py", engine.run(moved).skipped[0].reason,
                                      "vendor/copy.py:2: syntax error"),)


def test_timed_out_files_and_failed_runs_are_not_stored(tmp_path: Path, store) -> None:
    engine = CountingEngine()
    request, digests = make_request(tmp_path, {**FILES, "slow.py": "TIMEOUT\n", "partial.py": "PARSE\n"})
    cache.run_engine(engine, request, digests, store)
    cache.run_engine(engine, request, digests, store)
    assert engine.runs[-1] == ["slow.py"]  # the partial parse was stored, the timeout not

    engine2 = CountingEngine(version="2.0.0")
    engine2.run_error = "semgrep Fatal error: out of memory"
    cache.run_engine(engine2, request, digests, store)
    engine2.run_error = None
    cache.run_engine(engine2, request, digests, store)
    assert len(engine2.runs[-1]) == len(request.targets)


@pytest.mark.parametrize("change", ["version", "vocabulary", "timeout", "max_bytes", "options", "evidence"])
def test_context_changes_invalidate(tmp_path: Path, store, change: str) -> None:
    engine = CountingEngine()
    request, digests = make_request(tmp_path, FILES)
    cache.run_engine(engine, request, digests, store)
    if change == "version":
        engine._version = "1.0.1"
    elif change == "vocabulary":
        request = replace(request, vocabulary=Vocabulary.default().extended(["zorbish"], []))
    elif change == "timeout":
        request = replace(request, timeout_per_file=request.timeout_per_file + 1)
    elif change == "max_bytes":
        request = replace(request, max_file_bytes=request.max_file_bytes // 2)
    elif change == "options":
        request = replace(request, options={"timeout": 99})
    else:
        request = replace(request, include_evidence=False)
    cache.run_engine(engine, request, digests, store)
    assert engine.runs == [sorted(FILES)] * 2


def test_changed_rule_pack_invalidates(tmp_path: Path, store, monkeypatch) -> None:
    rules = tmp_path / "rules"
    shutil.copytree(resources.rules_root(), rules, ignore=shutil.ignore_patterns("codeql"))
    monkeypatch.setattr(resources, "rules_root", lambda: rules)
    engine = CountingEngine()
    request, digests = make_request(tmp_path, FILES)
    cache.run_engine(engine, request, digests, store)
    cache.run_engine(engine, request, digests, store)
    assert len(engine.runs) == 1
    rule = rules / "semgrep" / "preparation" / "missing-rows-dropped.yaml"
    rule.write_text(rule.read_text().replace("message:", "message: Changed.", 1))
    cache.run_engine(engine, request, digests, store)
    assert len(engine.runs) == 2


def test_engines_with_whole_program_analysis_are_not_cached(tmp_path: Path, store) -> None:
    engine = CountingEngine()
    engine.name = "codeql"
    request, digests = make_request(tmp_path, FILES)
    cache.run_engine(engine, request, digests, store)
    cache.run_engine(engine, request, digests, store)
    assert len(engine.runs) == 2
    assert store.stats().entries == 0


def test_no_store_runs_the_engine(tmp_path: Path) -> None:
    engine = CountingEngine()
    request, digests = make_request(tmp_path, FILES)
    cache.run_engine(engine, request, digests, None)
    cache.run_engine(engine, request, digests, None)
    assert len(engine.runs) == 2


def test_tool_version_remembered_per_binary(tmp_path: Path, store) -> None:
    binary = tmp_path / "semgrep"
    binary.write_text("#!/bin/sh\n")
    engine = CountingEngine(binary=str(binary))
    assert cache.tool_version(engine, store) == "1.0.0"
    assert cache.tool_version(CountingEngine(binary=str(binary), version="x"), store) == "1.0.0"
    assert engine.version_calls == 1
    binary.write_text("#!/bin/sh\n# upgraded\n")
    os.utime(binary, ns=(time.time_ns() + 10**9,) * 2)
    upgraded = CountingEngine(binary=str(binary), version="1.1.0")
    assert cache.tool_version(upgraded, store) == "1.1.0"


def test_notebook_cells_survive_the_roundtrip() -> None:
    loc = Location("nb.ipynb", 3, 4, 2, 5, CellRef(1, 2, "abc"))
    m = Match("semgrep", "r", loc, "msg", "code", {"k": [1]}, 1, 2, "ev", (loc,))
    digests = {"nb.ipynb": "d"}
    payloads = cache.storable(EngineResult((m,)), digests)
    (restored,), _ = cache.restore(payloads["d"], "other.ipynb")
    assert restored == replace(m, location=replace(loc, path="other.ipynb"),
                               code_flow=(replace(loc, path="other.ipynb"),))
    assert restored.metadata == m.metadata and restored.evidence == "ev"


def test_default_dir_follows_the_environment(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setenv("FAIRLINT_CACHE_DIR", str(tmp_path / "x"))
    assert cache.default_dir() == tmp_path / "x"
    assert cache.open_cache(None).directory == tmp_path / "x"
    assert cache.open_cache(tmp_path / "y").directory == tmp_path / "y"
    assert cache.open_cache(None, enabled=False) is None


# ---------------------------------------------------------------- the pipeline with real semgrep
@pytest.fixture
def project(tmp_path: Path, repo_root: Path) -> Path:
    example = (repo_root / "rules/semgrep/preparation/missing-rows-dropped.py").read_text()
    root = tmp_path / "project"
    (root / "vendor").mkdir(parents=True)
    (root / "train.py").write_text(example)
    (root / "vendor" / "train_copy.py").write_text(example)
    (root / "util.py").write_text("import pandas as pd\n\ndf = pd.read_csv('x.csv').dropna()\n")
    (root / "clean.py").write_text("def add(a, b):\n    return a + b\n")
    return root


@pytest.fixture
def semgrep_calls(monkeypatch) -> list[list[str]]:
    """Every semgrep command line the scan starts (the calls still run)."""
    from orchestrator import proc

    calls: list[list[str]] = []
    real = proc.run

    def counting(argv, **kw):
        if "semgrep" in os.path.basename(str(argv[0])):
            calls.append([str(a) for a in argv])
        return real(argv, **kw)

    monkeypatch.setattr(proc, "run", counting)
    return calls


def _scanned(calls: list[list[str]]) -> int:
    return sum(a.endswith(".py") and os.path.isabs(a) for argv in calls for a in argv)


def _comparable(result) -> dict:
    d = result.to_dict()
    d.pop("duration_s")
    return d


def test_warm_rescan_runs_no_semgrep_and_matches_uncached(project: Path, tmp_path: Path, semgrep_calls) -> None:
    from orchestrator.config import ScanConfig
    from orchestrator.pipeline.scan import scan

    config = ScanConfig(jobs=1, cache_dir=tmp_path / "c")
    uncached = scan(project, ScanConfig(jobs=1, use_cache=False))
    cold = scan(project, config)
    assert _scanned(semgrep_calls) == 2 * 3  # three unique contents, twice
    semgrep_calls.clear()
    warm = scan(project, config)
    assert semgrep_calls == []
    assert uncached.findings  # the example file has findings
    assert _comparable(uncached) == _comparable(cold) == _comparable(warm)
    assert warm.tool.semgrep == uncached.tool.semgrep


def test_one_changed_file_rescans_only_it_and_vocabulary_invalidates(project: Path, tmp_path: Path,
                                                                      semgrep_calls) -> None:
    from orchestrator.config import ScanConfig
    from orchestrator.pipeline.scan import scan

    config = ScanConfig(jobs=1, cache_dir=tmp_path / "c")
    scan(project, config)
    (project / "util.py").write_text("import pandas as pd\n\ndf = pd.read_csv('y.csv').dropna()\n")
    semgrep_calls.clear()
    changed = scan(project, config)
    assert _scanned(semgrep_calls) == 1
    assert _comparable(changed) == _comparable(scan(project, ScanConfig(jobs=1, use_cache=False)))
    semgrep_calls.clear()
    scan(project, replace(config, protected_attrs=("zorbish",)))
    assert _scanned(semgrep_calls) == 3


def test_cli_cache_dir_no_cache_and_clear(project: Path, tmp_path: Path) -> None:
    from click.testing import CliRunner

    from orchestrator.cli.main import main

    runner = CliRunner()
    used, unused = tmp_path / "used", tmp_path / "unused"
    done = runner.invoke(main, ["scan", str(project), "--format", "json", "-o", str(tmp_path / "a.json"),
                                "--cache-dir", str(used), "-j", "1"])
    assert done.exit_code == 0, done.output
    assert cache.ResultCache(used).stats().entries >= 3
    done = runner.invoke(main, ["scan", str(project), "--format", "json", "-o", str(tmp_path / "b.json"),
                                "--cache-dir", str(unused), "--no-cache", "-j", "1"])
    assert done.exit_code == 0, done.output
    assert not (unused / cache.DB_NAME).exists()
    info = runner.invoke(main, ["cache", "info", "--cache-dir", str(used)])
    assert "entries: " in info.output and "entries: 0 " not in info.output
    assert runner.invoke(main, ["cache", "clear", "--cache-dir", str(used)]).exit_code == 0
    assert cache.ResultCache(used).stats().entries == 0


def test_the_rendered_pack_hash_is_remembered_per_vocabulary(store, monkeypatch) -> None:
    default = Vocabulary.default()
    extended = default.extended(protected=["zodiac sign"])
    expected = {v: cache.rendered_pack_hash(v, ("finding", "evidence")) for v in (default, extended)}
    assert expected[default] != expected[extended]
    renders = []
    real = cache._rendered_pack_hash.__wrapped__
    monkeypatch.setattr(cache, "_rendered_pack_hash", lambda *a: renders.append(a[1]) or real(*a))
    for _ in range(2):
        for v in (default, extended):
            assert cache.rendered_pack_hash(v, ("finding", "evidence"), store) == expected[v]
    assert renders == [default, extended]  # each rendered once, then read from the store
    assert cache.rendered_pack_hash(default, ("finding",), store) != expected[default]


def test_threads_opening_a_fresh_cache_together_do_not_lock_each_other_out(tmp_path) -> None:
    # A scan's syntax-check thread and its main thread open the same new database at once. Before
    # the schema lock, about one fresh database in twenty gave a reader "database is locked" at
    # once (a skipped read, a warning): 200 tries all but surely hit it.
    import threading
    import warnings as w

    caught: list = []
    for n in range(200):
        store = cache.ResultCache(tmp_path / f"fresh{n}")
        start = threading.Barrier(4)

        def use(i: int, store=store, start=start) -> None:
            start.wait()
            with w.catch_warnings(record=True) as got:
                w.simplefilter("always")
                if i % 2:
                    store.get_meta("version")
                else:
                    store.put_many(f"ctx{i}", {"d": {"n": i}})
            caught.extend(str(x.message) for x in got)

        threads = [threading.Thread(target=use, args=(i,)) for i in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert caught == []


def test_a_cleared_cache_is_set_up_again(store) -> None:
    store.put_many("ctx", {"d": 1})
    store.clear()
    store.put_many("ctx", {"d": 2})
    assert store.get_many("ctx", ["d"]) == {"d": 2}


# ---------------------------------------------------------------- whole-repository engines
@pytest.fixture
def keep_parsed(monkeypatch):
    """Parsed files kept between runs, as `fairlint history` and the language server keep them
    (where the flow engine cuts a repository into parts); nothing parsed yet."""
    from orchestrator.engines import flow

    monkeypatch.setattr(flow, "_KEEP", [flow.MEMO_TEXT_BYTES])
    monkeypatch.setattr(flow, "_FACTS", [])


def test_repository_engine_results_are_stored_per_set_of_contents(tmp_path: Path, store, keep_parsed) -> None:
    """The flow engine's results are stored per set of contents: an unchanged tree is answered
    from the store without materialising anything. A changed file is read (a content read before
    in this process is not, where parsed files are kept: history and the language server), and
    only the parts of the analysis that hold it run again."""
    from orchestrator.engines.flow import FlowEngine

    files = {"prep.py": "import pandas as pd\ndf = pd.read_csv('p.csv')\ndf['sex'] = df['sex'].map({'F': 0, 'M': 1})\n",
             "other.py": "x = 1\n"}
    engine = FlowEngine()
    request, digests = make_request(tmp_path, files)
    asked: list[list[str]] = []

    def materialise(ts):
        asked.append(sorted(t.display_path for t in ts))

    cold = cache.run_engine(engine, request, digests, store, materialise)
    warm = cache.run_engine(engine, request, digests, store, materialise)
    assert ordered(cold) == ordered(warm) == ordered(engine.run(request))
    assert [m.rule_id for m in warm.matches] == ["gender-binarised"]
    assert asked == [sorted(files)]  # the warm run read nothing
    request2, digests2 = make_request(tmp_path, {**files, "other.py": "y = 2\n"})
    changed = cache.run_engine(engine, request2, digests2, store, materialise)
    assert asked[-1] == ["other.py"]
    assert ordered(changed) == ordered(engine.run(request2))


def test_a_tree_analysed_in_parts_is_answered_from_its_parts_without_planning(tmp_path: Path, store,
                                                                              keep_parsed, monkeypatch) -> None:
    """Where parsed files are kept (history, the language server) a tree of several parts is
    stored as the list of its parts' keys: a later run over the same tree (a restarted server,
    a scan after a history walk) reads and parses nothing. A part the cache no longer holds
    makes it plan again, and only that part is analysed."""
    from orchestrator.engines import flow
    from orchestrator.engines.flow import FlowEngine

    files = {"a.py": "import pandas as pd\ndf = pd.read_csv('p.csv')\ndf['sex'] = df['sex'].map({'F': 0, 'M': 1})\n",
             "b.py": "import pandas as pd\nt = pd.read_csv('t.csv')\nt['gender'] = t['gender'].map({'f': 0, 'm': 1})\n"}
    engine = FlowEngine()
    request, digests = make_request(tmp_path, files)
    asked: list[list[str]] = []

    def materialise(ts):
        asked.append(sorted(t.display_path for t in ts))

    cold = cache.run_engine(engine, request, digests, store, materialise)
    assert len(engine.plan(request, digests).parts) == 2
    parts_run = []
    monkeypatch.setattr(FlowEngine, "run_part", lambda self, plan, part: parts_run.append(part) or
                        flow.PartResult((), ()))
    monkeypatch.setattr(flow, "_FACTS", [])  # a new process: nothing parsed in memory
    cache.RESTORED.clear()
    cache.PAYLOADS.clear()
    planned = []
    real_plan = FlowEngine.plan
    monkeypatch.setattr(FlowEngine, "plan", lambda self, *a, **k: planned.append(1) or real_plan(self, *a, **k))
    warm = cache.run_engine(engine, request, digests, store, materialise)
    assert ordered(warm) == ordered(cold) and [m.rule_id for m in warm.matches] == ["gender-binarised"] * 2
    assert asked == [["a.py", "b.py"]] and planned == [] and parts_run == []
    # the cache trimmed one part: plan again, analyse that part alone
    with sqlite3.connect(store.path) as db:
        manifest = [json.loads(zlib.decompress(p)) for (p,) in db.execute("SELECT payload FROM results")]
        part_keys = next(m["parts"] for m in manifest if "parts" in m)
        db.execute("DELETE FROM results WHERE digest = ?", (part_keys[0],))
    cache.RESTORED.clear()
    cache.PAYLOADS.clear()
    cache.run_engine(engine, request, digests, store, materialise)
    assert planned == [1] and len(parts_run) == 1
