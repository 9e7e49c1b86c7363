"""The gate's text report hides info findings unless --show-info; they never fail by default."""

from __future__ import annotations


from factories import finding, result  # noqa: E402  (tests/gate on sys.path via conftest)
from orchestrator.gate.gate import EXIT_OK, evaluate, render
from orchestrator.gate.policy import Policy
from orchestrator.model import Severity


def _outcome():
    dead = finding(rule="model-pruning", pattern="CM01", path="src/mnist.py", line=9, severity=Severity.INFO)
    medium = finding(path="src/prep.py", severity=Severity.MEDIUM)
    return evaluate(result(dead, medium), Policy())


def test_info_is_below_the_default_threshold_and_not_listed():
    outcome = _outcome()
    assert outcome.exit_code == EXIT_OK and not outcome.failing
    text = render(outcome, "text")
    assert "src/mnist.py" not in text
    assert "2 below it (1 info, not listed: --show-info lists them)" in text


def test_show_info_lists_them():
    text = render(_outcome(), "text", show_info=True)
    assert "info src/mnist.py:9 [CM01 model-pruning]" in text and "not listed" not in text
    assert "src/prep.py" not in text  # medium is below the level and not info: counted only


def test_json_keeps_every_finding():
    import json

    data = json.loads(render(_outcome(), "json"))
    assert {f["severity"] for f in data["findings"]} == {"info", "medium"}
