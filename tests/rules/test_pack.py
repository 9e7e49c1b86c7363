"""The pack's listing and hash are read once per scan (``pack.fixed``), and anew after it."""

from __future__ import annotations

import threading

from orchestrator.rules import pack as rulepack


def fake_pack(root):
    (root / "semgrep" / "dp").mkdir(parents=True)
    (root / "evidence").mkdir()
    (root / "semgrep" / "dp" / "first-rule.yaml").write_text("rules: []\n")
    (root / "vocabulary.yaml").write_text("protected: [age]\n")
    return root


def test_within_a_scan_the_pack_is_read_once_and_anew_after_it(tmp_path):
    root = fake_pack(tmp_path)
    before = rulepack.pack_hash(root)
    with rulepack.fixed():
        assert rulepack.rule_ids(root) == {"first-rule"}
        (root / "semgrep" / "dp" / "second-rule.yaml").write_text("rules: []\n")
        with rulepack.fixed():  # nested: still the pack the scan started with
            assert rulepack.rule_ids(root) == {"first-rule"}
            assert rulepack.pack_hash(root) == before
        assert rulepack.rule_ids(root) == {"first-rule"}
    assert rulepack.rule_ids(root) == {"first-rule", "second-rule"}
    assert rulepack.pack_hash(root) != before


def test_outside_a_scan_every_call_reads_the_files(tmp_path):
    root = fake_pack(tmp_path)
    before = rulepack.pack_hash(root)
    (root / "vocabulary.yaml").write_text("protected: [age, sex]\n")
    assert rulepack.pack_hash(root) != before
    listed = rulepack.rule_files(root)
    listed.append(root / "not-a-rule.yaml")  # callers get their own list
    assert rulepack.rule_files(root) == [root / "semgrep" / "dp" / "first-rule.yaml", ]


def test_a_scan_in_another_thread_has_its_own_memo_and_its_pool_shares_it(tmp_path):
    """Concurrent scans (a study's threads, the language server's) never see each other's pack;
    the threads a scan starts with ``in_this_scan`` see the scan's."""
    from concurrent.futures import ThreadPoolExecutor

    root = fake_pack(tmp_path)
    inside, leave = threading.Event(), threading.Event()
    seen = {}

    def other_scan():
        with rulepack.fixed():
            seen["before"] = rulepack.rule_ids(root)
            inside.set()
            leave.wait(10)
            seen["after"] = rulepack.rule_ids(root)  # its own pack, whatever was added since

    worker = threading.Thread(target=other_scan)
    worker.start()
    inside.wait(10)
    (root / "semgrep" / "dp" / "late-rule.yaml").write_text("rules: []\n")
    with rulepack.fixed():
        assert rulepack.rule_ids(root) == {"first-rule", "late-rule"}  # not the other scan's listing
        (root / "semgrep" / "dp" / "later-rule.yaml").write_text("rules: []\n")
        with ThreadPoolExecutor(max_workers=2) as pool:
            in_pool = list(pool.map(rulepack.in_this_scan(lambda _: rulepack.rule_ids(root)), range(2)))
            bare = pool.submit(rulepack.rule_ids, root).result()
        assert in_pool == [{"first-rule", "late-rule"}] * 2  # the scan's memo went along
        assert "later-rule" in bare  # a thread started without it reads the files
    leave.set()
    worker.join(10)
    assert seen == {"before": {"first-rule"}, "after": {"first-rule"}}
