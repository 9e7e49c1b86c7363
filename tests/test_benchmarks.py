"""The benchmark scripts' own arithmetic (they are run by hand, never timed in CI): target 2's
median of alternated floor/pack runs, and what the summary prints and writes."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
import bench_scan  # noqa: E402
import common  # noqa: E402


@pytest.fixture(autouse=True)
def no_machine_probe(monkeypatch):
    # The machine description starts Semgrep for its version: seconds the arithmetic does not need.
    monkeypatch.setattr(common, "machine", lambda: {"cores": "2"})


def test_repeated_floor_and_pack_runs_alternate_and_report_medians(tmp_path, monkeypatch, capsys):
    seconds = iter([30.0, 29.0, 34.0, 33.0, 28.0, 30.0])  # floor, pack, floor, pack, floor, pack
    order = []

    def timed(label, argv, **kwargs):
        order.append("pack" if "--time" in argv else "floor")
        return common.Timed(label, next(seconds), 700.0, 0)

    monkeypatch.setattr(common, "timed", timed)
    t: dict = {}
    bench_scan.semgrep_runs(t, ["floor", "pack"], tmp_path, tmp_path, ["a.py"], 2, tmp_path / "floor.yaml",
                            tmp_path / "pack.json", tmp_path, repeat=3)
    assert order == ["floor", "pack"] * 3
    assert (t["floor"].seconds, t["pack"].seconds) == (30.0, 30.0)
    assert t["pairs"] == [(30.0, 29.0), (34.0, 33.0), (28.0, 30.0)]

    out = tmp_path / "figures.json"
    bench_scan.summarise(t, tmp_path, [], 2, str(out))
    printed = capsys.readouterr().out
    assert "1.00x (target <= 1.3x) (median runs)" in printed
    assert "30.0 s, 29.0 s, 0.97x; 34.0 s, 33.0 s, 0.97x; 28.0 s, 30.0 s, 1.07x" in printed
    data = json.loads(out.read_text())
    assert data["ratios"]["2_pack_vs_floor"] == pytest.approx(1.0)
    assert data["floor_pack_pairs"] == [[30.0, 29.0], [34.0, 33.0], [28.0, 30.0]]


def test_one_run_each_reports_no_pairs(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(common, "timed", lambda label, argv, **kw: common.Timed(label, 10.0, 1.0, 0))
    t: dict = {}
    bench_scan.semgrep_runs(t, ["floor", "pack"], tmp_path, tmp_path, [], 1, tmp_path, tmp_path, tmp_path)
    bench_scan.summarise(t, tmp_path, [], 1, None)
    printed = capsys.readouterr().out
    assert "1.00x (target <= 1.3x)" in printed and "median" not in printed and "each pair" not in printed


def test_repeated_history_pairs_report_the_medians_of_each_timing(tmp_path, monkeypatch, capsys):
    import bench_history

    runs = iter([(10.0, 14.0, 30.0, 35.0), (9.0, 13.0, 40.0, 45.0), (11.0, 15.0, 33.0, 36.0)])

    def fake_pair(folder, repo, engines):
        cold, cold_cpu, hist, hist_cpu = next(runs)
        return {"commits": 3, "cold_scan_s": cold, "history_s": hist, "ratio": round(hist / cold, 2),
                "cold_scan_cpu_s": cold_cpu, "history_cpu_s": hist_cpu, "cpu_ratio": round(hist_cpu / cold_cpu, 2),
                "findings_at_head": 1, "history_at_head": 1, "history_findings": 2}

    monkeypatch.setattr(bench_history, "build", lambda repo, files, commits: None)
    monkeypatch.setattr(bench_history, "pair", fake_pair)
    out = tmp_path / "history.json"
    bench_history.main(["--work", str(tmp_path), "--engines", "semgrep", "--repeat", "3", "--json", str(out)])
    figures = json.loads(out.read_text())["runs"]["semgrep"]
    assert (figures["cold_scan_s"], figures["history_s"], figures["cold_scan_cpu_s"], figures["history_cpu_s"]) == \
        (10.0, 33.0, 14.0, 36.0)
    assert figures["ratio"] == 3.3 and figures["cpu_ratio"] == round(36 / 14, 2)
    assert [p["cpu_ratio"] for p in figures["pairs"]] == [2.5, 3.46, 2.4]
    assert "CPU ratio of each pair" in capsys.readouterr().out
