"""With the flow engine on, it decides the model-input rules; Semgrep's matches stay where it agrees."""

from orchestrator.model import Location, Match
from orchestrator.pipeline.scan import prefer_flow

DP12 = "protected-attribute-as-model-input"


def match(engine: str, rule: str, path: str, line: int) -> Match:
    return Match(engine, rule, Location(path, line, line), "m", "s", {"bias-pattern": "DP12"})


def test_semgrep_model_input_matches_need_the_flow_engine_to_agree():
    kept = match("semgrep", DP12, "a.py", 10)
    near = match("flow", DP12, "a.py", 12)
    alone = match("semgrep", DP12, "a.py", 40)
    other_file = match("semgrep", DP12, "b.py", 10)
    other_rule = match("semgrep", "unstratified-split", "a.py", 40)
    out = prefer_flow([kept, near, alone, other_file, other_rule], ["semgrep", "flow"])
    assert out == [kept, near, other_rule]


def test_without_the_flow_engine_every_match_stays():
    matches = [match("semgrep", DP12, "a.py", 10), match("semgrep", DP12, "b.py", 3)]
    assert prefer_flow(matches, ["semgrep"]) == matches


def test_a_recoding_is_confirmed_only_on_its_own_lines():
    rule = "gender-binarised"
    flow = Match("flow", rule, Location("a.py", 47, 47), "m", "s", {"bias-pattern": "DP07"})
    same = Match("semgrep", rule, Location("a.py", 47, 47), "m", "s", {"bias-pattern": "DP07"})
    next_line = Match("semgrep", rule, Location("a.py", 48, 48), "m", "s", {"bias-pattern": "DP07"})
    assert prefer_flow([flow, same, next_line], ["semgrep", "flow"]) == [flow, same]
