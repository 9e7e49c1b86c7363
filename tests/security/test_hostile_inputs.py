"""Hostile configuration, policy, baseline and manifest files (issue 19 B1, D3): refused with a
short error and exit 2; never read outside the tree, never echoed, never expanded."""

from __future__ import annotations

import os
import time

import pytest
from click.testing import CliRunner

from orchestrator.cli.main import main

SECRET = "root:x:0:0:TOP-SECRET-LINE:/root:/bin/bash"
BOMB = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{c}: &{c} [*{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}]\n"
    for p, c in zip("abcdefghi", "bcdefghij")) + "fail-on: *j\n"


def fairlint(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


@pytest.fixture()
def tree(tmp_path):
    root = tmp_path / "tree"
    root.mkdir()
    (root / "a.py").write_text("x = 1\n")
    return root


@pytest.mark.parametrize("command", ["scan", "gate", "baseline"])
def test_a_config_symlinked_out_of_the_tree_is_not_read(tree, tmp_path, command):
    secret = tmp_path / "passwd"
    secret.write_text(SECRET + "\n")
    (tree / ".fairlint.yml").symlink_to(secret)
    extra = ["-o", tmp_path / "b.json"] if command == "baseline" else []
    res = fairlint(command, tree, *extra)
    assert res.exit_code == 2, res.output
    assert "outside the scanned tree" in res.output
    assert "TOP-SECRET" not in res.output


def test_a_huge_config_is_refused_without_reading_it(tree):
    big = tree / ".fairlint.yml"
    with open(big, "wb") as fh:
        fh.truncate(3 * 2**30)  # sparse: 3 GB that costs nothing on disk
    start = time.monotonic()
    res = fairlint("gate", tree)
    assert res.exit_code == 2, res.output
    assert "too large" in res.output and time.monotonic() - start < 10


@pytest.mark.parametrize("text, reason", [
    (BOMB, "aliases"),
    ("fail-on:\n" + "".join("  " * i + "-\n" for i in range(1, 300)), "nested"),
    ("[" * 50_000 + "]" * 50_000, "nested"),
    ("exclude: [" + ", ".join(["'" + "x" * 100 + "'"] * 9000) + "]\n" + "fail-on: 5\n", "fail-on"),
])
def test_yaml_bombs_and_deep_nesting_in_a_policy_are_short_errors(tree, text, reason):
    (tree / ".fairlint.yml").write_text(text)
    start = time.monotonic()
    res = fairlint("gate", tree)
    assert res.exit_code == 2, res.output
    assert reason in res.output
    assert len(res.output) < 2000 and time.monotonic() - start < 10


@pytest.mark.parametrize("text, reason", [(BOMB, "aliases"), ("[" * 50_000, "nested")])
def test_yaml_bombs_in_a_manifest_are_short_errors(tmp_path, text, reason):
    manifest = tmp_path / "m.yaml"
    manifest.write_text(text)
    res = fairlint("corpus", "validate", "--manifest", manifest)
    assert res.exit_code == 2, res.output
    assert reason in res.output and len(res.output) < 1000


@pytest.mark.parametrize("count", ['"3"', "null", "-5"])
def test_bad_baseline_counts_are_exit_2(tree, tmp_path, count):
    baseline = tmp_path / "b.json"
    baseline.write_text('{"fairlint-baseline": 1, "findings": [{"fingerprint": "f", "count": %s, '
                        '"rule_id": "r", "bias_pattern": "DP01", "path": "a.py"}]}' % count)
    res = fairlint("gate", tree, "--baseline", baseline)
    assert res.exit_code == 2, res.output
    assert "count must" in res.output


def test_a_fifo_named_as_config_does_not_hang(tree, tmp_path):
    fifo = tmp_path / "policy.yml"
    os.mkfifo(fifo)
    res = fairlint("gate", tree, "--policy", fifo)
    assert res.exit_code == 2 and "not a regular file" in res.output
