"""The in-process memos of per-content work never answer for another content, database or
vocabulary, and stay bounded."""

from __future__ import annotations

from orchestrator.pipeline import cache, memo, reasoning, usage
from orchestrator.rules.vocabulary import Vocabulary


def test_lru_is_bounded_by_entries_and_bytes():
    lru = memo.LRU(3, 100, size=lambda key, value: len(value))
    for k in "abcd":
        lru.put(k, "x" * 10)
    assert len(lru) == 3 and lru.get("a") is None and lru.get("d") == "x" * 10
    lru.put("big", "y" * 90)  # 90 + 3 x 10 > 100: the oldest go
    assert lru.nbytes <= 100 and lru.get("big") == "y" * 90
    lru.put("huge", "z" * 101)  # above the cap on its own: never held
    assert lru.get("huge") is None


def test_payloads_are_per_database_and_follow_writes(tmp_path):
    one, two = cache.ResultCache(tmp_path / "one"), cache.ResultCache(tmp_path / "two")
    one.put_many("ctx", {"d1": {"v": 1}})
    two.put_many("ctx", {"d1": {"v": 2}})
    assert one.get_many("ctx", ["d1"]) == {"d1": {"v": 1}}
    assert two.get_many("ctx", ["d1"]) == {"d1": {"v": 2}}  # same context and digest, another file
    assert one.get_many("other", ["d1"]) == {}  # another context
    one.put_many("ctx", {"d1": {"v": 3}})  # a write replaces the decoded value too
    assert one.get_many("ctx", ["d1"]) == {"d1": {"v": 3}}
    one.clear()
    assert one.get_many("ctx", ["d1"]) == {}


def test_a_second_read_comes_from_memory(tmp_path):
    store = cache.ResultCache(tmp_path)
    store.put_many("ctx", {"d": {"v": 1}})
    first = store.get_many("ctx", ["d"])["d"]
    assert store.get_many("ctx", ["d"])["d"] is first


def test_meta_values_follow_writes(tmp_path):
    store = cache.ResultCache(tmp_path)
    store.set_meta("k", "a")
    assert store.get_meta("k") == "a"
    store.set_meta("k", "b")
    assert store.get_meta("k") == "b"
    assert cache.ResultCache(tmp_path / "else").get_meta("k") is None


def test_usage_facts_follow_the_text():
    before = "def used():\n    return 1\n\n\ndef dead():\n    return 2\n"
    after = "import os\n\n\ndef other():\n    return 1\n\n\ndef dead():\n    return dead\n"
    assert usage.CodeIndex({"m.py": before}).uncalled([("m.py", 6)]) == {("m.py", 6): "dead"}
    assert usage.CodeIndex({"m.py": after}).uncalled([("m.py", 6)]) == {}  # `other`, at another line
    assert usage.CodeIndex({"m.py": after}).uncalled([("m.py", 9)]) == {}  # `dead` names itself
    assert usage.imported_names("pkg/a.py", "from . import b\n") == {"pkg", "pkg.b"}
    assert usage.imported_names("other/a.py", "from . import b\n") == {"other", "other.b"}


def test_protected_terms_follow_the_vocabulary():
    base = Vocabulary.default()
    wider = base.extended(protected=["zodiac_sign"])
    assert reasoning.protected_terms("df['zodiac_sign']", base) == []
    assert reasoning.protected_terms("df['zodiac_sign']", wider) == ["zodiac sign"]
    assert reasoning.protected_terms("df['zodiac_sign']", base) == []


def test_restored_results_are_made_once_per_path_and_go_with_a_cleared_cache(tmp_path, monkeypatch):
    """A history walk restores the same files' stored matches every commit: they are made into
    objects once per (content, path); the same content at another path is its own entry, and
    clearing the cache drops them."""
    import hashlib

    from orchestrator.engines.interface import Engine, EngineRequest, EngineResult, Target
    from orchestrator.model import Location, Match

    class Dropna(Engine):
        name = "semgrep"
        runs = 0

        def available(self):
            return True

        def version(self):
            return "1.0"

        def run(self, request):
            Dropna.runs += 1
            return EngineResult(tuple(Match("semgrep", "missing-rows-dropped", Location(t.display_path, 1, 1, 1, 9),
                                            "rows dropped", "df.dropna()", {"bias-pattern": "DP01"}, 0, 11)
                                      for t in request.targets), (), (), "1.0")

    def request(rel):
        text = "df.dropna()\n"
        digest = hashlib.sha256(text.encode()).hexdigest()
        path = tmp_path / f"{digest}.py"
        path.write_text(text)
        return EngineRequest(tmp_path, [Target(path, rel)], Vocabulary.default()), {rel: digest}

    made = []
    real = cache.restore
    monkeypatch.setattr(cache, "restore", lambda payload, path: made.append(path) or real(payload, path))
    store = cache.ResultCache(tmp_path / "cache")
    engine = Dropna()
    first = cache.run_engine(engine, *request("a.py"), store)
    assert Dropna.runs == 1 and made == []  # fresh from the engine
    again = [cache.run_engine(engine, *request("a.py"), store) for _ in range(3)]
    assert made == ["a.py"] and all(r.matches == first.matches for r in again)
    moved = cache.run_engine(engine, *request("lib/b.py"), store)
    assert made == ["a.py", "lib/b.py"] and moved.matches[0].location.path == "lib/b.py"
    store.clear()
    cache.run_engine(engine, *request("a.py"), store)
    assert Dropna.runs == 2  # nothing was left to restore
