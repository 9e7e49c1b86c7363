"""Marker-file traps: every command that reads a tree runs against a hostile repository and
nothing in it runs (git hooks, fsmonitor, filter/textconv/merge drivers, external diff, pager,
gpg, setup.py, conftest.py, sitecustomize/usercustomize, .pth files, notebook ``!``/``%%bash``
cells). See docs/security.md."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest
from click.testing import CliRunner

from orchestrator.cli.main import main
from tests.study.study_fakes import entry, write_manifest


def fairlint(*args: str):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def test_the_traps_are_live(hostile, tmp_path):
    """Plain git in the hostile tree springs its traps (so the tests below can fail)."""
    copy = tmp_path / "copy"
    shutil.copytree(hostile.root, copy, symlinks=True)
    subprocess.run(["git", "-c", "core.fsmonitor=false", "diff", "HEAD", "--stat"], cwd=copy,
                   capture_output=True, env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path),
                                             "GIT_CONFIG_NOSYSTEM": "1"})
    sprung = hostile.sprung()
    for name in sprung:
        (hostile.marks / name).unlink()
    assert "filter-clean" in sprung or "filter-process" in sprung


def test_scan_runs_nothing(hostile, tmp_path):
    out = tmp_path / "r.json"
    res = fairlint("scan", hostile.root, "--format", "json", "-o", out)
    assert res.exit_code == 0, res.output
    assert json.loads(out.read_text())["findings"], "the scan found nothing: the test proves nothing"
    assert hostile.sprung() == []


@pytest.mark.parametrize("extra", [[], ["--diff-base", "HEAD"], ["--diff-base", "main"]])
def test_gate_runs_nothing(hostile, extra):
    res = fairlint("gate", hostile.root, *extra)
    assert res.exit_code in (0, 1), res.output
    assert "model.py" in res.output or "passed" in res.output
    assert hostile.sprung() == []


def test_gate_diff_base_sees_the_change_without_running_the_filter(hostile):
    from orchestrator.gate.gate import changed_files

    assert "model.py" in changed_files(hostile.root, "HEAD")
    assert hostile.sprung() == []


def test_baseline_runs_nothing(hostile, tmp_path):
    out = tmp_path / "baseline.json"
    res = fairlint("baseline", hostile.root, "-o", out)
    assert res.exit_code == 0, res.output
    assert json.loads(out.read_text())
    assert hostile.sprung() == []


def test_corpus_fetch_runs_nothing(hostile, hostile_global_config, tmp_path):
    manifest = write_manifest(tmp_path / "m.yaml", [entry("acme/hostile", hostile.url, hostile.commit)])
    res = fairlint("corpus", "fetch", "--manifest", manifest, "--cache", tmp_path / "cache", "--no-progress")
    assert res.exit_code == 0, res.output
    assert "1 fetched" in res.output
    assert (tmp_path / "cache" / "repos" / "acme" / "hostile" / "setup.py").exists()
    assert hostile.sprung() == []


@pytest.mark.slow
def test_study_runs_nothing(hostile, hostile_global_config, tmp_path):
    manifest = write_manifest(tmp_path / "m.yaml", [entry("acme/hostile", hostile.url, hostile.commit)])
    res = fairlint("study", "--manifest", manifest, "--cache", tmp_path / "cache", "--out", tmp_path / "out",
                   "--no-progress", "--jobs", "1")
    assert res.exit_code == 0, res.output
    assert "1/1 repositories scanned" in res.output
    assert hostile.sprung() == []


def test_corpus_fetch_with_a_relative_cache(hostile, tmp_path, monkeypatch):
    manifest = write_manifest(tmp_path / "m.yaml", [entry("acme/hostile", hostile.url, hostile.commit)])
    monkeypatch.chdir(tmp_path)
    res = fairlint("corpus", "fetch", "--manifest", "m.yaml", "--cache", "rel-cache", "--no-progress")
    assert res.exit_code == 0, res.output
    assert "1 fetched" in res.output and (tmp_path / "rel-cache" / "repos" / "acme" / "hostile" / "model.py").exists()


def test_corpus_fetch_exits_1_when_a_repository_fails(tmp_path):
    manifest = write_manifest(tmp_path / "m.yaml", [entry("acme/gone", (tmp_path / "nope.git").as_uri(), "0" * 40)])
    res = fairlint("corpus", "fetch", "--manifest", manifest, "--cache", tmp_path / "c", "--no-progress")
    assert res.exit_code == 1 and "failed: acme/gone" in res.output
