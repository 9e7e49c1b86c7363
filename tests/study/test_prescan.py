"""Priming the result cache for many trees in one batched Semgrep pass (studies)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from orchestrator import proc
from orchestrator.config import ScanConfig
from orchestrator.pipeline.scan import scan
from orchestrator.study import prescan


@pytest.fixture
def semgrep_scans(monkeypatch) -> list[list[str]]:
    """Every ``semgrep scan`` command line started (the calls still run)."""
    calls: list[list[str]] = []
    real = proc.run

    def counting(argv, **kw):
        if "semgrep" in os.path.basename(str(argv[0])) and "scan" in argv:
            calls.append([str(a) for a in argv])
        return real(argv, **kw)

    monkeypatch.setattr(proc, "run", counting)
    return calls


def _targets(calls: list[list[str]]) -> int:
    return sum(a.endswith(".py") and os.path.isabs(a) for argv in calls for a in argv)


def _one_pass(calls: list[list[str]], jobs: int) -> bool:
    """The unique contents went to Semgrep once: one run per job, each ``-j 1`` on its shard."""
    return len(calls) == jobs and all(argv[argv.index("-j") + 1] == "1" for argv in calls)


def _comparable(result) -> dict:
    d = result.to_dict()
    d.pop("duration_s")
    return d


@pytest.fixture
def trees(tmp_path: Path, repo_root: Path) -> list[Path]:
    """An original, and a fork sharing all but one file with it."""
    example = (repo_root / "rules/semgrep/preparation/missing-rows-dropped.py").read_text()
    original = tmp_path / "original"
    (original / "pkg").mkdir(parents=True)
    (original / "train.py").write_text(example)
    (original / "pkg" / "data.py").write_text("import pandas as pd\n\ndf = pd.read_csv('a.csv').dropna()\n")
    (original / "pkg" / "same.py").write_text(example)  # a copy inside the tree
    fork = tmp_path / "fork"
    shutil.copytree(original, fork)
    (fork / "pkg" / "data.py").write_text("import pandas as pd\n\ndf = pd.read_csv('b.csv').dropna()\n")
    return [original, fork]


def test_prime_scans_each_unique_content_once_then_scans_start_no_semgrep(trees, tmp_path, semgrep_scans) -> None:
    config = ScanConfig(jobs=1, cache_dir=tmp_path / "cache")
    primed = prescan.prime(trees, config, jobs=2)
    assert (primed.files, primed.contents, primed.scanned) == (6, 3, 3)
    assert _one_pass(semgrep_scans, jobs=2) and _targets(semgrep_scans) == 3
    semgrep_scans.clear()
    warm = [scan(t, config) for t in trees]
    assert semgrep_scans == []
    assert prescan.prime(trees, config).scanned == 0
    plain = [scan(t, ScanConfig(jobs=1, use_cache=False)) for t in trees]
    assert [_comparable(r) for r in warm] == [_comparable(r) for r in plain]
    assert plain[0].findings


def test_prime_also_checks_python_syntax_for_the_tree_scans(trees, tmp_path, monkeypatch) -> None:
    from orchestrator.pipeline import scan as pipeline

    (trees[0] / "broken.py").write_text("def f(:\n    pass\n")
    config = ScanConfig(jobs=1, cache_dir=tmp_path / "cache")
    prescan.prime(trees, config, jobs=1)
    checked: list[int] = []
    monkeypatch.setattr(pipeline, "syntax_errors", lambda texts: checked.append(len(texts)) or {})
    result = scan(trees[0], config)
    assert checked == []  # every answer came from the cache the prime pass filled
    assert [(s.path, s.reason) for s in result.skipped] == [("broken.py", "syntax error (analysed partially)")]


def test_a_failed_syntax_check_is_an_error_of_the_prime_pass_not_a_crash(trees, tmp_path, monkeypatch) -> None:
    from orchestrator.pipeline import scan as pipeline

    def broken(texts, store=None):
        raise OSError("disk full")

    monkeypatch.setattr(pipeline, "syntax_problems", broken)
    primed = prescan.prime(trees, ScanConfig(jobs=1, cache_dir=tmp_path / "cache"), jobs=1)
    assert primed.scanned == 3 and primed.errors == ("syntax check of the corpus: OSError: disk full",)


def test_prime_without_cache_does_nothing(trees, semgrep_scans) -> None:
    assert prescan.prime(trees, ScanConfig(use_cache=False)).scanned == 0
    assert semgrep_scans == []


def test_study_scans_the_corpus_in_one_semgrep_run(trees, tmp_path, semgrep_scans) -> None:
    from orchestrator.study import run as study
    from tests.study.study_fakes import entry, make_repo, write_manifest

    entries = []
    for tree in trees:
        files = {str(p.relative_to(tree)): p.read_text() for p in sorted(tree.rglob("*.py"))}
        url, commit = make_repo(tmp_path / "git", f"bench/{tree.name}", files)
        entries.append(entry(f"bench/{tree.name}", url, commit))
    manifest = write_manifest(tmp_path / "manifest.yaml", entries)
    cfg = study.StudyConfig(manifest, tmp_path / "checkouts", tmp_path / "out", jobs=2,
                            scan=ScanConfig(jobs=1, cache_dir=tmp_path / "cache"))
    result = study.run_study(cfg)
    assert [o.status for o in result.outcomes] == ["ok", "ok"]
    assert _one_pass(semgrep_scans, jobs=2) and _targets(semgrep_scans) == 3
    assert sum(len(o.rows) for o in result.outcomes) > 0
