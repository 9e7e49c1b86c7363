"""orchestrator.study.run / study_report / study_triage: rows, copies counted once, resume after
SIGKILL, local vs dask, failures recorded, triage precision.

Most tests use ``study_fakes.grep_scan`` (a deterministic stand-in for the scan pipeline) so
they exercise the study's machinery quickly; ``test_real_scan_end_to_end`` runs the real pipeline.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from orchestrator.config import ScanConfig
from orchestrator.rules import pack as rulepack
from orchestrator.study import corpus
from orchestrator.study import report as study_report
from orchestrator.study import run as study
from orchestrator.study import triage as study_triage

TESTS = Path(__file__).parent
sys.path.insert(0, str(TESTS))
from tests.study.study_fakes import (  # noqa: E402
    CLEAN,
    KERAS,
    PRUNE,
    TRAIN,
    entry,
    grep_scan,
    make_repo,
    write_manifest,
)


@pytest.fixture(autouse=True)
def stable_pack(monkeypatch):
    """Other work may edit rules while tests run; resume tests need one pack hash throughout."""
    value = rulepack.pack_hash()
    monkeypatch.setattr(rulepack, "pack_hash", lambda root=None: value)
    return value


@pytest.fixture()
def small_corpus(tmp_path):
    """Four repositories: an upstream, its fork (identical train.py), a Keras repo, a control;
    plus one repository that cannot be fetched."""
    up_url, up_commit = make_repo(tmp_path, "acme/faces", {"train.py": TRAIN, "compress.py": PRUNE})
    fork_url, fork_commit = make_repo(tmp_path, "zed/faces-fork", {"train.py": TRAIN, "extra.py": "x.dropna()\n"})
    keras_url, keras_commit = make_repo(tmp_path, "bank/credit", {"model.py": KERAS})
    ctrl_url, ctrl_commit = make_repo(tmp_path, "digits/mnist", {"mnist.py": CLEAN, "vendor/train.py": TRAIN})
    entries = [
        entry("acme/faces", up_url, up_commit),
        entry("zed/faces-fork", fork_url, fork_commit),
        entry("bank/credit", keras_url, keras_commit, frameworks=("tensorflow", "keras"), domain="credit"),
        entry("digits/mnist", ctrl_url, ctrl_commit, people=False, domain="digits"),
        entry("gone/missing", (tmp_path / "bare" / "nothing.git").as_uri(), "c" * 40),
    ]
    return write_manifest(tmp_path / "manifest.yaml", entries)


def _cfg(tmp_path, manifest, out="out", **kw):
    return study.StudyConfig(manifest, tmp_path / "cache", tmp_path / out, **kw)


def _frame(out: Path) -> pd.DataFrame:
    return pd.read_parquet(out / "findings.parquet")


def test_study_writes_every_output(tmp_path, small_corpus, stable_pack):
    res = study.run_study(_cfg(tmp_path, small_corpus, jobs=2), scanner=grep_scan)
    out = tmp_path / "out"
    names = {p.name for p in res.files}
    for stem in ("prevalence_by_pattern_framework", "severity_distribution", "patterns_by_stage"):
        assert {f"{stem}.png", f"{stem}.svg"} <= names
        assert (out / f"{stem}.png").read_bytes()[:4] == b"\x89PNG"
    assert {"findings.parquet", "repos.csv", "prevalence.csv", "study.md"} <= names
    df = _frame(out)
    for col in ("repo", "commit", "path", "rule_id", "bias_pattern", "stage", "start_line", "severity", "score",
                "fingerprint", "framework_pytorch", "framework_tensorflow", "framework_keras", "copies", "counted"):
        assert col in df.columns
    faces = df[df["repo"] == "acme/faces"].sort_values("start_line")
    assert list(faces[["path", "rule_id", "start_line"]].itertuples(index=False, name=None)) == [
        ("compress.py", "model-pruning", 3), ("train.py", "missing-rows-dropped", 5)]
    assert faces["framework_pytorch"].all() and not faces["framework_keras"].any()
    md = (out / "study.md").read_text()
    assert stable_pack in md
    assert corpus.load_manifest(small_corpus).sha256 in md
    assert "0.0-fake" in md  # the semgrep version the scans reported
    assert "gone/missing" in md


def test_identical_files_count_once_with_a_copies_column(tmp_path, small_corpus):
    study.run_study(_cfg(tmp_path, small_corpus), scanner=grep_scan)
    df = _frame(tmp_path / "out")
    copies = df[(df["path"].str.endswith("train.py")) & (df["rule_id"] == "missing-rows-dropped")]
    assert sorted(copies["repo"]) == ["acme/faces", "digits/mnist", "zed/faces-fork"]
    assert set(copies["copies"]) == {3}
    assert list(copies.sort_values("repo")["counted"]) == [True, False, False]  # first by repository name
    own = df[(df["repo"] == "zed/faces-fork") & (df["path"] == "extra.py")]
    assert list(own["copies"]) == [1] and list(own["counted"]) == [True]

    prev = pd.read_csv(tmp_path / "out" / "prevalence.csv")
    dp01 = prev[(prev["group_kind"] == "all") & (prev["bias_pattern"] == "DP01")].iloc[0]
    # faces (counted train.py), fork (its own extra.py), credit; the control only holds a copy
    assert (dp01["repos_in_group"], dp01["repos_with_pattern"], dp01["repos_with_pattern_incl_copies"]) == (4, 3, 4)
    ctrl = prev[(prev["group_kind"] == "people_data") & (prev["group"] == "control") & (prev["bias_pattern"] == "DP01")]
    assert ctrl.iloc[0]["share"] == 0.0
    keras = prev[(prev["group_kind"] == "framework") & (prev["group"] == "keras") & (prev["bias_pattern"] == "DP01")]
    assert keras.iloc[0]["share"] == 1.0


def test_failures_are_recorded_and_the_rest_go_on(tmp_path, small_corpus):
    broken_url, broken_commit = make_repo(tmp_path, "acme/crash", {"SCAN_FAILS": "", "a.py": TRAIN})
    m = corpus.load_manifest(small_corpus)
    entries = [entry(r.name, r.url, r.commit, frameworks=r.frameworks, people=r.people_data, domain=r.domain)
               for r in m.repos] + [entry("acme/crash", broken_url, broken_commit)]
    manifest = write_manifest(tmp_path / "m2.yaml", entries)
    res = study.run_study(_cfg(tmp_path, manifest), scanner=grep_scan)
    status = {o.name: o.status for o in res.outcomes}
    assert status["gone/missing"] == "fetch_failed" and status["acme/crash"] == "scan_failed"
    assert status["acme/faces"] == "ok"
    repos = pd.read_csv(tmp_path / "out" / "repos.csv")
    crash = repos[repos["repo"] == "acme/crash"].iloc[0]
    assert crash["status"] == "scan_failed" and "crashed on purpose" in crash["error"]
    assert repos[repos["repo"] == "bank/credit"].iloc[0]["detected_frameworks"] == "tensorflow,keras"
    # failures are retried on the next run; finished repositories are reused
    again = study.run_study(_cfg(tmp_path, manifest), scanner=grep_scan)
    assert set(again.computed) == {"gone/missing", "acme/crash"}
    assert set(again.reused) == {"acme/faces", "zed/faces-fork", "bank/credit", "digits/mnist"}


def test_a_changed_rule_pack_or_commit_invalidates_parts(tmp_path, small_corpus):
    cfg = _cfg(tmp_path, small_corpus)
    study.run_study(cfg, scanner=grep_scan)
    spec = corpus.load_manifest(small_corpus).repos[0]
    assert study.read_part(cfg.out, spec, rulepack.pack_hash()) is not None
    assert study.read_part(cfg.out, spec, "another-pack") is None
    moved = corpus.RepoSpec(spec.name, spec.url, "f" * 40, spec.frameworks, spec.domain, spec.people_data,
                            spec.license, spec.why)
    assert study.read_part(cfg.out, moved, rulepack.pack_hash()) is None


_KILL_SCRIPT = """
import sys
sys.path.insert(0, {tests!r})
from pathlib import Path
from tests.study.study_fakes import grep_scan
from orchestrator.rules import pack as rulepack
from orchestrator.study.run import StudyConfig, run_study
rulepack.pack_hash = lambda root=None: {pack!r}
run_study(StudyConfig(Path({manifest!r}), Path({cache!r}), Path({out!r}), jobs=1), scanner=grep_scan)
"""


def test_sigkill_and_resume_gives_exactly_the_uninterrupted_rows(tmp_path, small_corpus):
    reference = study.run_study(_cfg(tmp_path, small_corpus, out="ref"), scanner=grep_scan)
    out = tmp_path / "killed"
    script = _KILL_SCRIPT.format(tests=str(TESTS), manifest=str(small_corpus), cache=str(tmp_path / "cache"),
                                 out=str(out), pack=rulepack.pack_hash())
    env = dict(os.environ, FAIRLINT_FAKE_SCAN_DELAY="1.5")
    child = subprocess.Popen([sys.executable, "-c", script], env=env)
    parts = out / "parts"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not any(parts.rglob("*.json")) and child.poll() is None:
        time.sleep(0.05)
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    finished = sorted(p for p in parts.rglob("*.json"))
    assert 1 <= len(finished) < 4, "the study must be killed between repositories"
    assert not (out / "findings.parquet").exists()

    resumed = study.run_study(_cfg(tmp_path, small_corpus, out="killed"), scanner=grep_scan)
    assert len(resumed.reused) == len(finished)
    assert set(resumed.reused).isdisjoint(resumed.computed)
    pd.testing.assert_frame_equal(_frame(out), _frame(tmp_path / "ref"))
    for name in ("repos.csv", "prevalence.csv"):
        assert (out / name).read_text() == (tmp_path / "ref" / name).read_text()
    assert len(reference.outcomes) == len(resumed.outcomes)


@pytest.mark.slow
def test_dask_executor_gives_the_same_rows_as_local(tmp_path, small_corpus, monkeypatch):
    # workers are separate processes: they import the stand-in scanner through PYTHONPATH
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(TESTS), os.environ.get("PYTHONPATH", "")]))
    study.run_study(_cfg(tmp_path, small_corpus, out="local"), scanner=grep_scan)
    res = study.run_study(_cfg(tmp_path, small_corpus, out="dask", executor="dask", jobs=2), scanner=grep_scan)
    assert {o.status for o in res.outcomes} == {"ok", "fetch_failed"}
    pd.testing.assert_frame_equal(_frame(tmp_path / "dask"), _frame(tmp_path / "local"))
    assert (tmp_path / "dask" / "prevalence.csv").read_text() == (tmp_path / "local" / "prevalence.csv").read_text()


def test_unknown_executor_and_bad_manifest_are_refused(tmp_path, small_corpus):
    with pytest.raises(ValueError, match="unknown executor"):
        study.run_study(_cfg(tmp_path, small_corpus, executor="spark"), scanner=grep_scan)
    bad = write_manifest(tmp_path / "bad.yaml", [entry("../evil", "https://github.com/a/b", "a" * 40)])
    with pytest.raises(corpus.ManifestError, match="safe owner/repo"):
        study.run_study(_cfg(tmp_path, bad), scanner=grep_scan)


def test_empty_findings_still_write_tables_and_plots(tmp_path):
    url, commit = make_repo(tmp_path, "digits/clean", {"a.py": CLEAN})
    manifest = write_manifest(tmp_path / "m.yaml", [entry("digits/clean", url, commit, people=False)])
    res = study.run_study(_cfg(tmp_path, manifest), scanner=grep_scan)
    assert res.outcomes[0].status == "ok"
    assert len(_frame(tmp_path / "out")) == 0
    assert (tmp_path / "out" / "patterns_by_stage.svg").exists()


def test_detect_frameworks_reads_imports_only(tmp_path):
    (tmp_path / "a.py").write_text("from tensorflow import keras\nimport torch.nn as nn\n# import jax\n")
    (tmp_path / "b.py").write_text("text = 'import sklearn'\n")
    assert study.detect_frameworks(tmp_path) == ("pytorch", "tensorflow", "keras")


# ---------------------------------------------------------------- triage
def _findings():
    return pd.DataFrame({"fingerprint": ["f1", "f2", "f3", "f4", "f1"],
                         "rule_id": ["r-a", "r-a", "r-a", "r-b", "r-a"],
                         "bias_pattern": ["DP01", "DP01", "DP01", "CM01", "DP01"],
                         "repo": ["x/a", "x/a", "x/b", "x/b", "y/c"], "path": ["p"] * 5, "start_line": [1, 2, 3, 4, 1],
                         "counted": [True, True, True, True, False]})


def test_triage_precision_per_rule(tmp_path):
    labels = tmp_path / "labels.csv"
    labels.write_text("fingerprint,label,note\nf1,tp,\nf2,fp,wrong\nf3,true,\nf4,no,\nzz,tp,\nf9,,\n")
    res = study_triage.precision(_findings(), study_triage.load_labels(labels))
    a = res.precision.set_index("rule_id").loc["r-a"]
    assert (a["labelled"], a["true_positives"], a["false_positives"], a["findings"]) == (3, 2, 1, 3)
    assert a["precision"] == pytest.approx(0.6667, abs=1e-4)
    assert 0 < a["ci95_low"] < a["precision"] < a["ci95_high"] < 1
    b = res.precision.set_index("rule_id").loc["r-b"]
    assert (b["precision"], b["ci95_low"]) == (0.0, 0.0)
    assert res.unknown == ("zz",)


def test_triage_labels_yaml_and_errors(tmp_path):
    y = tmp_path / "l.yaml"
    y.write_text("f1: true\nf2: false\n")
    assert study_triage.load_labels(y) == {"f1": True, "f2": False}
    bad = tmp_path / "bad.csv"
    bad.write_text("fingerprint,label\nf1,maybe\n")
    with pytest.raises(study_triage.LabelError, match=r"bad.csv:2: label 'maybe'"):
        study_triage.load_labels(bad)
    (tmp_path / "nocol.csv").write_text("fp,verdict\n")
    with pytest.raises(study_triage.LabelError, match="'fingerprint' and 'label'"):
        study_triage.load_labels(tmp_path / "nocol.csv")


def test_sample_is_reproducible_and_counted_only():
    s1 = study_triage.sample(_findings(), per_rule=2, seed=3)
    s2 = study_triage.sample(_findings(), per_rule=2, seed=3)
    pd.testing.assert_frame_equal(s1, s2)
    assert list(s1.columns[:2]) == ["fingerprint", "label"]
    assert s1.groupby("rule_id").size().to_dict() == {"r-a": 2, "r-b": 1}
    assert set(s1["label"]) == {""}


def test_wilson_interval_matches_a_known_value():
    lo, hi = study_triage.wilson(8, 10)
    assert (lo, hi) == (pytest.approx(0.4902, abs=1e-3), pytest.approx(0.9433, abs=1e-3))


# ---------------------------------------------------------------- the real pipeline
@pytest.mark.slow
def test_real_scan_end_to_end(tmp_path):
    pytest.importorskip("orchestrator.pipeline.scan", reason="the scan pipeline is not built yet")
    url, commit = make_repo(tmp_path, "acme/faces", {"train.py": TRAIN})
    fork_url, fork_commit = make_repo(tmp_path, "zed/fork", {"train.py": TRAIN, "README.md": "a fork\n"})
    manifest = write_manifest(tmp_path / "m.yaml", [entry("acme/faces", url, commit), entry("zed/fork", fork_url, fork_commit)])
    cfg = study.StudyConfig(manifest, tmp_path / "cache", tmp_path / "out",
                            scan=ScanConfig(jobs=1, cache_dir=tmp_path / "scan-cache"))
    res = study.run_study(cfg)
    assert [o.status for o in res.outcomes] == ["ok", "ok"], [o.error for o in res.outcomes]
    df = _frame(tmp_path / "out")
    dp01 = df[df["bias_pattern"] == "DP01"]
    assert sorted(dp01["repo"]) == ["acme/faces", "zed/fork"]
    assert set(dp01["copies"]) == {2} and dp01["counted"].sum() == 1
    assert res.outcomes[0].semgrep  # the version goes into the methods
