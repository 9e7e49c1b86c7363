"""The walk's own mechanics: commits that touch no scanned file are not scanned again, and the
per-commit scans split over processes give the rows one process gives."""

from __future__ import annotations

import importlib
from dataclasses import replace

import story
from orchestrator.config import ScanConfig
from orchestrator.history import HistoryOptions, Selection, walk
from orchestrator.history.store import HistoryStore
from orchestrator.pipeline import scan as pipeline

walk_module = importlib.import_module("orchestrator.history.walk")  # the package exports walk()


def test_a_commit_that_touches_no_scanned_file_reuses_the_rows(tmp_path, cache_dir, monkeypatch):
    repo = tmp_path / "repo"
    repo.mkdir()
    story.git(repo, "init", "-q", "-b", "main")
    for n, (name, text) in enumerate([("prep.py", story.PREP + story.DROP), ("README.md", "notes\n"),
                                      ("README.md", "more notes\n"), ("prep.py", story.PREP)], start=1):
        (repo / name).write_text(text)
        story.commit(repo, n, f"step {n}")
    scanned = []
    real = pipeline.scan
    monkeypatch.setattr(pipeline, "scan", lambda path, config=None: scanned.append(path) or real(path, config))
    outcome = walk(repo, HistoryOptions(scan=ScanConfig(cache_dir=cache_dir), state_dir=tmp_path / "s"))
    assert len(scanned) == 2  # commits 1 and 4; 2 and 3 hold the same .py files as 1
    points = outcome.timeline.commits
    assert [p.total for p in points] == [1, 1, 1, 0]
    assert [len(p.introduced) for p in points] == [1, 0, 0, 0]
    assert [[f.reason for f in p.fixed] for p in points] == [[], [], [], ["code changed"]]
    rows = HistoryStore(tmp_path / "s").dump()
    by_commit = {}
    for row in rows["findings"]:
        by_commit.setdefault(row[0], []).append(row[1:])
    first, second, third = (by_commit[p.commit.oid] for p in points[:3])
    assert first == second == third


def test_processes_give_the_rows_one_process_gives(story_repo, story_walk, cache_dir, tmp_path, monkeypatch):
    monkeypatch.setattr(walk_module, "MIN_COMMITS_PER_PROCESS", 4)
    config = ScanConfig(cache_dir=cache_dir)
    assert walk_module.workers(replace(config, jobs=3), 12) == 3
    last = Selection(last=12)
    outcome = walk(story_repo.repo, HistoryOptions(last, replace(config, jobs=3), tmp_path / "three"))
    assert outcome.scanned == 12
    single = walk(story_repo.repo, HistoryOptions(last, replace(config, jobs=1), tmp_path / "one"))
    assert single.scanned == 12
    wanted = set(story_repo.oids[-12:])
    reference = {t: [r for r in rows if r[0] in wanted] for t, rows in HistoryStore(story_walk.state).dump().items()}
    assert HistoryStore(tmp_path / "three").dump() == HistoryStore(tmp_path / "one").dump() == reference
    assert single.timeline == outcome.timeline
