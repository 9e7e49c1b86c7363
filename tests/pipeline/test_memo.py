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
