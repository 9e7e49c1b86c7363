"""JSON output: ScanResult.to_dict(), stable sorted keys, valid against the shipped schema."""

from __future__ import annotations

import copy
import dataclasses
import json
import sys
from pathlib import Path

import jsonschema
import pytest

sys.path.insert(0, str(Path(__file__).parent))
import scan_factories as sf  # noqa: E402

from orchestrator.rules import resources  # noqa: E402
from orchestrator.formats import get_formatter  # noqa: E402
from orchestrator.model import (  # noqa: E402
    Finding,
    Location,
    ScanResult,
    Skipped,
    Suppression,
    ToolInfo,
)


@pytest.fixture(scope="module")
def schema():
    data = json.loads(resources.schema_file("scan-result.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(data)
    return data


def render(result):
    return get_formatter("json").render(result)


@pytest.mark.parametrize("make", [sf.sample_result, sf.empty_result], ids=["sample", "empty"])
def test_output_is_valid_against_the_schema(make, schema):
    jsonschema.validate(json.loads(render(make())), schema)


def test_output_is_the_result_dict_with_sorted_keys():
    result = sf.sample_result()
    text = render(result)
    assert json.loads(text) == json.loads(json.dumps(result.to_dict()))
    assert text == json.dumps(json.loads(text), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    assert render(result) == text


@pytest.mark.parametrize("mutate", [
    lambda d: d["findings"][0].update(severity="severe"),
    lambda d: d["findings"][0].pop("fingerprint"),
    lambda d: d["findings"][0].update(score=11),
    lambda d: d["tool"].update(extra=1),
    lambda d: d.update(version=2),
], ids=["bad-severity", "no-fingerprint", "score-above-10", "unknown-tool-key", "version"])
def test_schema_rejects_drift(mutate, schema):
    data = json.loads(render(sf.sample_result()))
    broken = copy.deepcopy(data)
    mutate(broken)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, schema)


@pytest.mark.parametrize("cls, ref", [(Finding, "finding"), (Location, "location"), (Skipped, "skipped"),
                                      (Suppression, "suppression")])
def test_schema_lists_every_model_field(cls, ref, schema):
    fields = {f.name for f in dataclasses.fields(cls)}
    assert set(schema["$defs"][ref]["properties"]) == fields


def test_schema_covers_the_top_level_and_tool(schema):
    top = set(sf.empty_result().to_dict())
    assert top <= set(schema["properties"]) and set(schema["required"]) == top
    assert set(schema["properties"]["tool"]["properties"]) == {f.name for f in dataclasses.fields(ToolInfo)}
    optional = {"measured", "suggest_measure", "history"}  # left out of the JSON when None (scan --measure, --history)
    assert optional <= set(schema["properties"]) and not optional & set(schema["required"])
    assert {f.name for f in dataclasses.fields(ScanResult)} - {"findings"} <= top | {"tool"} | optional
