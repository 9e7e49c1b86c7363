"""Study tables, plots and triage files are written atomically (issue 19 C2, B2): a failed write
leaves the earlier file whole, and a symlink at the destination is replaced, never followed."""

from __future__ import annotations

import errno
import os

import pandas as pd
import pytest
from click.testing import CliRunner

from orchestrator import safeio
from orchestrator.cli.main import main
from orchestrator.rules import pack as rulepack
from orchestrator.study import report as study_report
from orchestrator.study import run as study
from tests.study.study_fakes import PRUNE, TRAIN, grep_scan, make_repo, write_manifest


def _run(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


@pytest.fixture()
def study_out(tmp_path, monkeypatch):
    """A finished study's --out folder, and what write_report needs to write it again."""
    monkeypatch.setattr(study, "_default_scan", grep_scan)
    pack = rulepack.pack_hash()
    monkeypatch.setattr(rulepack, "pack_hash", lambda root=None: pack)
    url, commit = make_repo(tmp_path, "acme/faces", {"train.py": TRAIN, "c.py": PRUNE})
    manifest = write_manifest(tmp_path / "m.yaml", [{"name": "acme/faces", "url": url, "commit": commit}])
    out = tmp_path / "out"
    res = _run("study", "--manifest", manifest, "--cache", tmp_path / "cache", "--out", out, "--no-progress")
    assert res.exit_code == 0, res.stderr
    return out, manifest


def _no_space(*args, **kwargs):
    target = args[1] if len(args) > 1 else kwargs.get("path_or_buf") or kwargs.get("fname")
    with open(target, "wb") as fh:  # half a file, then the disk is full
        fh.write(b"rule_id,bias")
    raise OSError(errno.ENOSPC, "No space left on device")


def test_a_full_disk_leaves_the_tables_and_plots_whole(study_out, monkeypatch, tmp_path):
    out, manifest = study_out
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    assert {"repos.csv", "prevalence.csv", "findings.parquet", "study.md"} <= set(before)
    import matplotlib.figure

    monkeypatch.setattr(matplotlib.figure.Figure, "savefig", _no_space)
    plots = [p for p in before if p.endswith(".png")]
    assert plots
    with pytest.raises(safeio.OutputError, match="no space left on device"):
        study_report._save(matplotlib.figure.Figure(), out, plots[0][:-4])
    monkeypatch.setattr(pd.DataFrame, "to_csv", _no_space)
    res = _run("study", "--manifest", manifest, "--cache", tmp_path / "cache", "--out", out, "--no-progress")
    assert res.exit_code == 2 and "no space left on device" in res.stderr
    after = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    assert after == before  # nothing truncated, no temporary file left


def test_plots_and_tables_replace_a_symlink_instead_of_writing_through_it(study_out, tmp_path):
    out, manifest = study_out
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    for name in ("repos.csv", "study.md", next(p.name for p in out.iterdir() if p.suffix == ".png")):
        (out / name).unlink()
        (out / name).symlink_to(victim)
    res = _run("study", "--manifest", manifest, "--cache", tmp_path / "cache", "--out", out, "--no-progress")
    assert res.exit_code == 0, res.stderr
    assert victim.read_text() == "precious"
    assert not any((out / n).is_symlink() for n in os.listdir(out))


def test_sample_and_triage_write_atomically_and_never_through_a_symlink(study_out, tmp_path, monkeypatch):
    out, _ = study_out
    victim = tmp_path / "victim.csv"
    victim.write_text("precious")
    template = tmp_path / "sample.csv"
    template.symlink_to(victim)
    assert _run("study", "sample", "--findings", out, "-o", template).exit_code == 0
    assert victim.read_text() == "precious" and not template.is_symlink()
    labels = pd.read_csv(template)
    labels["label"] = "tp"
    labels.to_csv(template, index=False)

    precision = tmp_path / "precision.csv"
    assert _run("study", "triage", "--findings", out, "--labels", template, "-o", precision).exit_code == 0
    written = precision.read_bytes()
    monkeypatch.setattr(pd.DataFrame, "to_csv", _no_space)
    for args in (["triage", "--findings", out, "--labels", template, "-o", precision],
                 ["sample", "--findings", out, "-o", template]):
        before = {p: p.read_bytes() for p in (precision, template)}
        res = CliRunner().invoke(main, ["study", *map(str, args)])
        assert res.exit_code == 2 and "no space left on device" in res.stderr, res.output
        assert {p: p.read_bytes() for p in (precision, template)} == before
    assert precision.read_bytes() == written
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")) == []
