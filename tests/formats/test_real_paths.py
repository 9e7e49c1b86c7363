"""JSON and SARIF carry the real path of each file (issue 19), encoded as each format requires:
JSON the plain string (undecodable bytes as surrogateescape characters), SARIF a percent-encoded
RFC 3986 URI of the file's bytes. Text reports keep the escaped display form."""

from __future__ import annotations

import json
import os
import re
import sys
from dataclasses import replace
from pathlib import Path
from urllib.parse import unquote_to_bytes

import pytest
from click.testing import CliRunner

from orchestrator.cli.main import main
from orchestrator.engines.interface import RESULTS_MISSING
from orchestrator.escape import display_name, real_path
from orchestrator.formats import get_formatter
from orchestrator.model import Skipped

sys.path.insert(0, str(Path(__file__).parent))
import scan_factories as sf  # noqa: E402

NAMES = [b"new\nline.py", b"quo\"te's.py", b"bad\xff\xfe.py", b"per%20cent.py", b"sp ace.py",
         b"back\\x41slash.py", b"\xc3\xa9t\xc3\xa9.py", b"plain.py"]
CODE = b"import pandas as pd\ndf = pd.read_csv('a.csv')\nx%d = %d\ndf = df.dropna()\n"
#: RFC 3986: unreserved characters, '/' between segments, and percent-encoded octets only.
URI = re.compile(r"(?:[A-Za-z0-9\-._~/]|%[0-9A-F]{2})+")


@pytest.fixture(scope="module")
def tree(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("hostile")
    sub = os.path.join(os.fsencode(root), b"sub dir\xff")
    os.mkdir(sub)
    for i, name in enumerate(NAMES):
        with open(os.path.join(sub, name), "wb") as fh:
            fh.write(CODE % (i, i))  # distinct contents: one finding per file, no copies
    return root


def scan(root: Path, fmt: str) -> str:
    result = CliRunner().invoke(main, ["scan", str(root), "--format", fmt])
    assert result.exit_code == 0, result.output
    return result.output


def expected() -> set[bytes]:
    return {b"sub dir\xff/" + name for name in NAMES}


def test_json_paths_round_trip_to_the_file_names(tree):
    data = json.loads(scan(tree, "json"))
    dropped = [f for f in data["findings"] if f["rule_id"] == "missing-rows-dropped"]
    assert {os.fsencode(f["path"]) for f in dropped} == expected()
    assert all((tree / f["path"]).is_file() for f in dropped)  # each names a real file
    assert {os.fsencode(o["path"]) for f in dropped for o in f["occurrences"]} == expected()


def test_sarif_uris_are_percent_encoded_file_bytes(tree):
    log = json.loads(scan(tree, "sarif"))
    uris = [r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            for r in log["runs"][0]["results"] if r["ruleId"] == "missing-rows-dropped"]
    assert all(URI.fullmatch(u) for u in uris), uris
    assert {unquote_to_bytes(u) for u in uris} == expected()
    assert "per%2520cent.py" in " ".join(uris) and "sp%20ace.py" in " ".join(uris)


def test_text_reports_keep_the_escaped_display_form():
    shown = "sub dir\\xff/new\\nline.py"
    result = replace(sf.sample_result(), findings=(sf.finding(path=shown),))
    out = get_formatter("concise").render(result)
    assert shown in out and "\n" + "line.py" not in out


@pytest.mark.parametrize("name", [os.fsdecode(n) for n in NAMES] + ["c1\x85.py", "rtl\u202e.py", "a\\n.py"])
def test_display_form_decodes_back(name):
    shown = display_name(name)
    assert real_path(shown) == name
    assert not re.search("[\x00-\x1f\x7f-\x9f\u202e]", shown)


def test_sarif_invocation_fails_when_results_are_missing():
    result = replace(sf.sample_result(), errors=(),
                     skipped=(Skipped("prep.py", RESULTS_MISSING, "semgrep-core killed"),))
    invocation = json.loads(get_formatter("sarif").render(result))["runs"][0]["invocations"][0]
    assert invocation["executionSuccessful"] is False
    notes = invocation["toolExecutionNotifications"]
    assert [n["level"] for n in notes] == ["error", "error"]
    assert notes[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "prep.py"
    assert notes[1]["message"]["text"].startswith("incomplete scan")


def test_sarif_invocation_succeeds_with_ordinary_skips_only():
    invocation = json.loads(get_formatter("sarif").render(sf.sample_result()))["runs"][0]["invocations"][0]
    assert invocation["executionSuccessful"] is True
    assert {n["level"] for n in invocation["toolExecutionNotifications"]} == {"warning"}
