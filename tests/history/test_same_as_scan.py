"""A history's rows for each commit are the rows a fresh ``fairlint scan`` of that commit's tree
gives, with the flow engine on: the walk reuses per-file results, the flow engine's per-part
results and its per-content memo from commit to commit, and none of that may change a finding.

The story changes what crosses modules: a loader's columns decide a model-input finding in
another file, a second definition makes a call ambiguous, mutual recursion, files added and
deleted."""

from __future__ import annotations

import subprocess
from dataclasses import replace
from pathlib import Path

import story
from orchestrator.config import ScanConfig
from orchestrator.engines import flow
from orchestrator.history import HistoryOptions, walk
from orchestrator.history.store import HistoryStore
from orchestrator.pipeline import cache
from orchestrator.pipeline.scan import scan

DATA = '''import pandas as pd


def load(path):
    df = pd.read_csv(path)
    return df[["age", "{col}", "income"]], df["label"]
'''
TRAIN = '''from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split

from data import load

X, y = load("adult.csv")
X_train, X_test, y_train, y_test = train_test_split(X, y)
LogisticRegression().fit(X_train, y_train)
print(helper(X_test))
'''
UTIL = '''def helper(frame):
    return frame.fillna(0)

SETTING = {n}
'''
PREP = '''import pandas as pd

df = pd.read_csv("people.csv")
df["sex"] = df["sex"].map({"F": 0, "M": 1})
clean = df.dropna()
'''
REC = '''import pandas as pd


def ping(frame, n):
    return pong(frame, n - 1) if n else frame


def pong(frame, n):
    return ping(frame[["race", "score"]], n)


def helper(frame):
    return frame.dropna()


table = pd.read_csv("t.csv")
model.fit(ping(table, 3), table["y"])
'''

STEPS = [
    {"data.py": DATA.format(col="sex"), "train.py": TRAIN, "util.py": UTIL.format(n=1), "prep.py": PREP},
    {"util.py": UTIL.format(n=2)},                      # an unrelated edit
    {"data.py": DATA.format(col="zip_code")},           # the loader no longer returns sex
    {"rec.py": REC},                                    # recursion; `helper` now defined twice
    {"prep.py": None},                                  # a file deleted
    {"data.py": DATA.format(col="sex"), "rec.py": REC.replace("race", "gender")},
]


def _rows(findings) -> list[tuple]:
    return sorted((f.fingerprint, f.rule_id, f.bias_pattern, f.stage, f.severity.value, round(f.score, 3),
                   f.path, f.start_line, " ".join(f.message.split()), bool(f.repository_level)) for f in findings)


def test_each_commit_equals_a_fresh_scan_of_its_tree(tmp_path, cache_dir, monkeypatch):
    repo = tmp_path / "repo"
    repo.mkdir()
    story.git(repo, "init", "-q", "-b", "main")
    for n, step in enumerate(STEPS, start=1):
        for name, text in step.items():
            if text is None:
                (repo / name).unlink()
            else:
                (repo / name).write_text(text)
        story.commit(repo, n, f"step {n}")
    config = ScanConfig(cache_dir=cache_dir)
    assert "flow" in config.engines
    outcome = walk(repo, HistoryOptions(scan=config, state_dir=tmp_path / "state"))
    assert outcome.scanned == len(STEPS)
    stored = HistoryStore(tmp_path / "state").load([p.commit.oid for p in outcome.timeline.commits])

    # Fresh scans: each tree checked out on its own; the flow engine runs uncached, from nothing.
    monkeypatch.setattr(cache, "REPOSITORY_ENGINES", frozenset())
    rules_seen = set()
    for n, point in enumerate(outcome.timeline.commits, start=1):
        tree = tmp_path / f"tree-{n}"
        tree.mkdir()
        archive = subprocess.run(["git", "-C", str(repo), "archive", point.commit.oid], check=True,
                                 capture_output=True).stdout
        subprocess.run(["tar", "-x", "-C", str(tree)], input=archive, check=True)
        flow._FACTS.clear()
        fresh = scan(tree, replace(config, progress=False))
        history_rows = sorted((f.fingerprint, f.rule_id, f.bias_pattern, f.stage, f.severity, f.score, f.path,
                               f.line, f.message, f.repository_level) for f in stored[point.commit.oid].findings)
        assert history_rows == _rows(fresh.findings), f"commit {n}"
        rules_seen |= {f.rule_id for f in fresh.findings}
    # The story exercises the flow engine's cross-module finding.
    assert "protected-attribute-as-model-input" in rules_seen
