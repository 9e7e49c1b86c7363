"""One bad repository never stops a study (issue 19 D2), in the prime pass too: a file that
crashes the loader, hostile files and a repository whose scan blows up leave the study
complete, the bad files listed with their reasons and the bad repository listed as failed."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from orchestrator.config import ScanConfig
from orchestrator.pipeline import discovery
from orchestrator.rules import pack as rulepack
from orchestrator.study import prescan
from orchestrator.study import run as study
from tests.study.study_fakes import CLEAN, TRAIN, make_repo, write_manifest

DEEP_NOTEBOOK = '{"cells":' + "[" * 1000 + "]" * 1000 + ',"nbformat":4,"nbformat_minor":5,"metadata":{}}'
UTF7 = "# coding: utf-7\nx = '+2AA-'\n"  # decodes to a lone surrogate
TRAP = "trap.py"  # stands for a file the loader did not foresee: load() raises on it


def _config(tmp_path: Path, manifest: Path) -> study.StudyConfig:
    scan = ScanConfig(jobs=1, progress=False, cache_dir=tmp_path / "cache" / "scan-cache")
    return study.StudyConfig(manifest, tmp_path / "cache", tmp_path / "out", "local", None, 1, 50 * 2**20, scan)


def _corpus(tmp_path: Path) -> Path:
    good_url, good_commit = make_repo(tmp_path, "acme/good", {"train.py": TRAIN})
    bad_url, bad_commit = make_repo(tmp_path, "acme/hostile", {
        "train.py": TRAIN.replace("celeba", "adult"), "deep.ipynb": DEEP_NOTEBOOK, "utf7.py": UTF7, TRAP: TRAIN})
    other_url, other_commit = make_repo(tmp_path, "acme/other", {"mnist.py": CLEAN})
    return write_manifest(tmp_path / "m.yaml", [
        {"name": "acme/good", "url": good_url, "commit": good_commit},
        {"name": "acme/hostile", "url": bad_url, "commit": bad_commit},
        {"name": "acme/other", "url": other_url, "commit": other_commit}])


def _crashing_loader(monkeypatch) -> list[str]:
    real, calls = discovery.load, []

    def load(f, *args, **kwargs):
        if f.path.name == TRAP:
            calls.append(f.rel)
            raise RuntimeError("loader bug")
        return real(f, *args, **kwargs)

    monkeypatch.setattr(discovery, "load", load)
    return calls


def test_a_file_that_crashes_the_loader_never_stops_the_study(tmp_path, monkeypatch):
    pack = rulepack.pack_hash()
    monkeypatch.setattr(rulepack, "pack_hash", lambda root=None: pack)
    primed = []
    real_prime = prescan.prime_study
    monkeypatch.setattr(prescan, "prime_study", lambda *a, **k: primed.append(real_prime(*a, **k)) or primed[-1])
    calls = _crashing_loader(monkeypatch)

    result = study.run_study(_config(tmp_path, _corpus(tmp_path)))  # the real scan, with its prime pass

    assert primed and primed[0].roots == 3 and calls  # the prime pass ran and met the bad file
    status = {o.name: o.status for o in result.outcomes}
    assert status == {"acme/good": "ok", "acme/hostile": "ok", "acme/other": "ok"}
    repos = pd.read_csv(tmp_path / "out" / "repos.csv").set_index("repo")
    reasons = repos.loc["acme/hostile", "skip_reasons"]
    assert "unreadable file" in reasons and "undecodable text" in reasons and "broken notebook" in reasons
    assert repos.loc["acme/hostile", "skipped_files"] == 3
    findings = pd.read_parquet(tmp_path / "out" / "findings.parquet")
    by_repo = set(zip(findings["repo"], findings["rule_id"]))
    assert ("acme/good", "missing-rows-dropped") in by_repo and ("acme/hostile", "missing-rows-dropped") in by_repo
    assert "acme/hostile" in (tmp_path / "out" / "study.md").read_text()


def test_a_repository_whose_study_step_crashes_is_listed_as_failed(tmp_path, monkeypatch):
    pack = rulepack.pack_hash()
    monkeypatch.setattr(rulepack, "pack_hash", lambda root=None: pack)
    real_loc = study.lines_of_code

    def lines_of_code(root, config):
        if (Path(root) / "utf7.py").exists():
            raise RecursionError("maximum recursion depth exceeded")
        return real_loc(root, config)

    monkeypatch.setattr(study, "lines_of_code", lines_of_code)
    monkeypatch.setattr(prescan, "_unique_targets", lambda *a: (_ for _ in ()).throw(MemoryError()))

    result = study.run_study(_config(tmp_path, _corpus(tmp_path)))

    status = {o.name: (o.status, o.error) for o in result.outcomes}
    assert status["acme/good"] == ("ok", "") and status["acme/other"][0] == "ok"
    assert status["acme/hostile"] == ("scan_failed", "RecursionError: maximum recursion depth exceeded")
    assert "acme/hostile | scan_failed" in (tmp_path / "out" / "study.md").read_text()
