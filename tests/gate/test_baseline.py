from __future__ import annotations

import pytest
from factories import finding

from orchestrator.gate.baseline import Baseline, BaselineError


def test_round_trip(tmp_path):
    b = Baseline.from_findings([finding(), finding(fingerprint="x"), finding(fingerprint="x")])
    path = tmp_path / "b.json"
    path.write_text(b.to_json())
    assert Baseline.load(path) == b
    assert {e.fingerprint: e.count for e in b.entries} == {"fp-missing-rows-dropped-src/prep.py": 1, "x": 2}


def test_one_old_finding_does_not_hide_two_new_ones():
    b = Baseline.from_findings([finding(fingerprint="same")])
    cmp = b.compare([finding(fingerprint="same", line=3), finding(fingerprint="same", line=9)])
    assert cmp.absorbed == 1 and len(cmp.new) == 1 and cmp.fixed == ()


def test_fixed_findings_are_listed_with_counts():
    b = Baseline.from_findings([finding(fingerprint="a"), finding(fingerprint="a"), finding(fingerprint="b")])
    cmp = b.compare([finding(fingerprint="a")])
    assert cmp.absorbed == 1
    assert sorted((e.fingerprint, e.count) for e in cmp.fixed) == [("a", 1), ("b", 1)]


@pytest.mark.parametrize("text", ["not json", "{}", '{"fairlint-baseline": 1, "findings": [{"x": 1}]}'])
def test_bad_baselines_are_errors(tmp_path, text):
    path = tmp_path / "b.json"
    path.write_text(text)
    with pytest.raises(BaselineError):
        Baseline.load(path)


def _entry(**over):
    e = {"fingerprint": "abc", "count": 1, "rule_id": "r", "bias_pattern": "DP01", "path": "a.py"}
    e.update(over)
    return e


@pytest.mark.parametrize("entry, reason", [
    (_entry(count="3"), "count must be an integer, not str"),
    (_entry(count=None), "count must be an integer, not NoneType"),
    (_entry(count=True), "count must be an integer, not bool"),
    (_entry(count=-5), "count must not be negative"),
    (_entry(count=1.5), "count must be an integer, not float"),
    (_entry(fingerprint=5), "fingerprint must be a string, not int"),
    (_entry(fingerprint=""), "fingerprint is empty"),
    ("just a string", "is not an object"),
    ({"fingerprint": "a"}, "missing count"),
])
def test_entry_types_are_checked(tmp_path, entry, reason):
    import json

    path = tmp_path / "b.json"
    path.write_text(json.dumps({"fairlint-baseline": 1, "findings": [entry]}))
    with pytest.raises(BaselineError, match=reason):
        Baseline.load(path)


def test_deep_nesting_and_huge_numbers_are_short_errors(tmp_path):
    path = tmp_path / "b.json"
    path.write_text('{"fairlint-baseline": 1, "findings": ' + "[" * 100_000 + "]" * 100_000 + "}")
    with pytest.raises(BaselineError, match="nested too deeply"):
        Baseline.load(path)
    path.write_text('{"fairlint-baseline": 1, "findings": [' + "9" * 5000 + "]}")
    with pytest.raises(BaselineError) as info:
        Baseline.load(path)
    assert len(str(info.value)) < 400


def test_a_baseline_in_the_tree_that_links_outside_is_not_read(tmp_path):
    secret = tmp_path / "secret.json"
    secret.write_text('{"password": "hunter2"}')
    tree = tmp_path / "tree"
    tree.mkdir()
    (tree / "b.json").symlink_to(secret)
    with pytest.raises(BaselineError, match="outside the scanned tree") as info:
        Baseline.load(tree / "b.json", root=tree)
    assert "hunter2" not in str(info.value)


def test_write_replaces_a_symlink_instead_of_following_it(tmp_path):
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me")
    link = tmp_path / "b.json"
    link.symlink_to(victim)
    Baseline.from_findings([finding()]).write(link)
    assert victim.read_text() == "keep me"
    assert not link.is_symlink() and Baseline.load(link).entries
