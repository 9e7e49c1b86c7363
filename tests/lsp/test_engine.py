"""The editor's Semgrep (rules split over processes, the pack rendered once) finds what the
scan's Semgrep finds."""

from __future__ import annotations

from orchestrator.engines.interface import EngineRequest, Target
from orchestrator.engines.semgrep import SemgrepEngine
from orchestrator.lsp.engine import EditorSemgrep
from orchestrator.rules.vocabulary import Vocabulary

CODE = '''import pandas as pd
from sklearn.model_selection import train_test_split
df = pd.read_csv("adult.csv").dropna()
df["sex"] = df["sex"].map({"Male": 1, "Female": 0})
X_train, X_test = train_test_split(df.drop(columns=["race"]), test_size=0.2)
class (:
  )))
'''


def key(result):
    return sorted((m.rule_id, m.location.start_line, m.location.end_col, m.evidence or "") for m in result.matches)


def test_split_rules_give_the_same_matches(tmp_path, semgrep_bin):
    target = tmp_path / "a.py"
    target.write_text(CODE, encoding="utf-8")
    request = EngineRequest(tmp_path, [Target(target, "a.py")], Vocabulary.default(), jobs=1,
                            options={"osemgrep": True})
    editor = EditorSemgrep(tmp_path / "work", shards=2)
    (tmp_path / "work").mkdir()
    split = editor.run(request)
    whole = SemgrepEngine(semgrep_bin).run(request)
    assert key(split) == key(whole) and len(key(split)) >= 4
    assert {m.rule_id for m in split.matches} >= {"missing-rows-dropped", "unstratified-split"}
    # the parse problem once, not once per process
    assert [(s.path, s.reason) for s in split.skipped] == [(s.path, s.reason) for s in whole.skipped]
    assert len(split.skipped) == 1
    first = editor.configs(request)
    assert editor.configs(request) is first and len(first) == 2  # rendered once
