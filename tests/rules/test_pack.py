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


def test_a_scan_in_another_thread_ends_its_own_block_only(tmp_path):
    root = fake_pack(tmp_path)
    inside, leave = threading.Event(), threading.Event()

    def scan():
        with rulepack.fixed():
            rulepack.rule_ids(root)
            inside.set()
            leave.wait(10)

    worker = threading.Thread(target=scan)
    worker.start()
    inside.wait(10)
    with rulepack.fixed():
        leave.set()
        worker.join(10)
        (root / "semgrep" / "dp" / "late-rule.yaml").write_text("rules: []\n")
        assert rulepack.rule_ids(root) == {"first-rule"}  # this block is still open
    assert "late-rule" in rulepack.rule_ids(root)
