"""`fairlint corpus ...` and `fairlint study ...` through click's runner."""

from __future__ import annotations

import pandas as pd
import pytest
from click.testing import CliRunner

from orchestrator.cli.main import main
from orchestrator.rules import pack as rulepack
from orchestrator.study import corpus
from orchestrator.study import run as study
from tests.study.study_fakes import (  # noqa: E402
    CLEAN,
    PRUNE,
    TRAIN,
    entry,
    grep_scan,
    make_repo,
    write_manifest,
)


@pytest.fixture()
def manifest(tmp_path):
    a_url, a_commit = make_repo(tmp_path, "acme/faces", {"train.py": TRAIN, "c.py": PRUNE})
    b_url, b_commit = make_repo(tmp_path, "digits/mnist", {"mnist.py": CLEAN})
    return write_manifest(tmp_path / "manifest.yaml", [
        entry("acme/faces", a_url, a_commit),
        entry("digits/mnist", b_url, b_commit, people=False, domain="digits"),
        entry("gone/missing", (tmp_path / "none.git").as_uri(), "c" * 40),
    ])


def _run(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def test_corpus_fetch_is_idempotent_and_reports_failures(tmp_path, manifest):
    cache = tmp_path / "cache"
    first = _run("corpus", "fetch", "--manifest", manifest, "--cache", cache, "--no-progress")
    assert first.exit_code == 1  # a repository failed (issue 19: never 0 then)
    assert "2 fetched, 0 cached, 1 failed" in first.stdout
    assert "failed: gone/missing" in first.stderr
    second = _run("corpus", "fetch", "--manifest", manifest, "--cache", cache, "--no-progress")
    assert "0 fetched, 2 cached, 1 failed" in second.stdout
    assert (cache / "repos" / "acme" / "faces" / "train.py").exists()


def test_corpus_validate_prints_composition_and_refuses_bad_manifests(tmp_path, repo_root):
    ok = _run("corpus", "validate", "--manifest", repo_root / "corpus" / "manifest.yaml")
    assert ok.exit_code == 0 and "pytorch:" in ok.stdout and "controls:" in ok.stdout
    bad = write_manifest(tmp_path / "bad.yaml", [entry("acme/x", "https://github.com/acme/x", "1234")])
    res = _run("corpus", "validate", "--manifest", bad)
    assert res.exit_code == 2 and "commit '1234' is not a full 40-hex commit SHA" in res.stderr
    evil = write_manifest(tmp_path / "evil.yaml", [entry("acme/../../etc", "https://github.com/acme/x", "a" * 40)])
    res = _run("corpus", "fetch", "--manifest", evil, "--cache", tmp_path / "c")
    assert res.exit_code == 2 and "safe owner/repo name" in res.stderr


def test_study_runs_as_written_then_triage_and_sample(tmp_path, manifest, monkeypatch):
    monkeypatch.setattr(study, "_default_scan", grep_scan)
    pack = rulepack.pack_hash()  # other work may edit rules meanwhile; reuse needs one hash
    monkeypatch.setattr(rulepack, "pack_hash", lambda root=None: pack)
    out = tmp_path / "out"
    res = _run("study", "--manifest", manifest, "--cache", tmp_path / "cache", "--out", out, "--no-progress")
    assert res.exit_code == 1, res.stderr  # a repository failed: the outputs are written all the same
    assert "2/3 repositories scanned (0 reused)" in res.stdout
    assert "fetch_failed: gone/missing" in res.stderr and "1 repositories failed" in res.stderr
    assert (out / "findings.parquet").exists() and (out / "study.md").exists()
    assert "gone/missing | fetch_failed" in (out / "study.md").read_text()
    again = _run("study", "--manifest", manifest, "--cache", tmp_path / "cache", "--out", out, "--no-progress")
    assert "(2 reused)" in again.stdout

    template = tmp_path / "sample.csv"
    assert _run("study", "sample", "--findings", out, "--per-rule", "5", "-o", template).exit_code == 0
    sample = pd.read_csv(template)
    assert set(sample["rule_id"]) == {"missing-rows-dropped", "model-pruning"}
    sample["label"] = ["tp" if r == "model-pruning" else "fp" for r in sample["rule_id"]]
    sample.to_csv(template, index=False)
    tri = _run("study", "triage", "--findings", out / "findings.parquet", "--labels", template)
    assert tri.exit_code == 0
    table = pd.read_csv(pd.io.common.StringIO(tri.stdout)).set_index("rule_id")
    assert table.loc["model-pruning", "precision"] == 1.0
    assert table.loc["missing-rows-dropped", "precision"] == 0.0


def test_study_exits_0_when_every_repository_is_scanned(tmp_path, monkeypatch):
    monkeypatch.setattr(study, "_default_scan", grep_scan)
    url, commit = make_repo(tmp_path, "acme/faces", {"train.py": TRAIN})
    m = write_manifest(tmp_path / "m.yaml", [{"name": "acme/faces", "url": url, "commit": commit}])
    res = _run("study", "--manifest", m, "--cache", tmp_path / "cache", "--out", tmp_path / "out", "--no-progress")
    assert res.exit_code == 0, res.stderr
    assert "1/1 repositories scanned" in res.stdout


def test_corpus_init_writes_a_manifest_pinned_to_head(tmp_path):
    a_url, a_commit = make_repo(tmp_path, "acme/faces", {"train.py": TRAIN})
    b_url, b_commit = make_repo(tmp_path, "digits/mnist", {"mnist.py": CLEAN})
    out = tmp_path / "starter.yaml"
    bare_b = a_url.removeprefix("file://").replace("acme__faces", "digits__mnist")  # a local path, not a URL
    res = _run("corpus", "init", a_url, bare_b, "-o", out)
    assert res.exit_code == 0, res.stderr
    m = corpus.load_manifest(out)
    assert [(r.name, r.commit) for r in m.repos] == [("bare/acme__faces", a_commit), ("bare/digits__mnist", b_commit)]
    assert m.repos[1].url == b_url
    again = _run("corpus", "init", a_url, "-o", out)
    assert again.exit_code == 2 and "exists" in again.stderr
    bad = _run("corpus", "init", a_url, (tmp_path / "nothing.git").as_uri(), "-o", out, "--force")
    assert bad.exit_code == 1 and "failed: file://" in bad.stderr
    assert [r.name for r in corpus.load_manifest(out).repos] == ["bare/acme__faces"]


def test_study_needs_its_options(tmp_path):
    res = _run("study")
    assert res.exit_code == 2 and "--manifest, --cache and --out are required" in res.stderr
    res = _run("study", "--manifest", tmp_path / "nope.yaml", "--cache", tmp_path / "c", "--out", tmp_path / "o")
    assert res.exit_code == 2 and "cannot read manifest" in res.stderr
