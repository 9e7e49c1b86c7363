"""Baseline identity survives comments: a trailing ``# TODO impute`` on a baselined line (in a
``.py`` file or a notebook cell) does not bring its finding back."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from click.testing import CliRunner

from orchestrator.cli.main import main

DEMO = Path(__file__).resolve().parents[2] / "demo"
COMMENT = "  # TODO impute"


def invoke(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, [*map(str, args)])
    return result.exit_code, result.output


def comment_flagged_lines(root: Path, findings: list[dict]) -> int:
    """Append a trailing comment to the first line of every finding's sites; the lines changed."""
    py: dict[str, set[int]] = {}
    cells: dict[str, set[tuple[int, int]]] = {}
    for f in findings:
        if f["repository_level"]:
            continue
        for at in f["occurrences"]:  # every copy alike, so copies stay one finding
            if at["cell"]:
                cells.setdefault(at["path"], set()).add((at["cell"]["index"], at["cell"]["line"]))
            else:
                py.setdefault(at["path"], set()).add(at["start_line"])
    for rel, lines in py.items():
        path = root / rel
        text = path.read_text().split("\n")
        for n in lines:
            text[n - 1] += COMMENT
        path.write_text("\n".join(text))
    for rel, places in cells.items():
        path = root / rel
        nb = json.loads(path.read_text())
        for index, line in places:
            source = nb["cells"][index]["source"]
            source = source.splitlines(keepends=True) if isinstance(source, str) else source
            end = "\n" if source[line - 1].endswith("\n") else ""
            source[line - 1] = source[line - 1].rstrip("\n") + COMMENT + end
            nb["cells"][index]["source"] = source
        path.write_text(json.dumps(nb, indent=1))
    return sum(map(len, py.values())) + sum(map(len, cells.values()))


def test_trailing_comments_on_baselined_lines_keep_the_gate_passing(tmp_path):
    root = tmp_path / "demo"
    shutil.copytree(DEMO, root)
    (root / ".fairlint.yml").write_text("fail-on: info\n")
    baseline = tmp_path / "baseline.json"
    code, out = invoke("baseline", root, "--output", baseline)
    assert code == 0, out
    code, out = invoke("scan", root, "--format", "json")
    before = json.loads(out)["findings"]
    assert any(f["cell"] for f in before) and any(not f["cell"] for f in before)
    assert comment_flagged_lines(root, before) > 10

    code, out = invoke("scan", root, "--format", "json")
    after = json.loads(out)["findings"]
    assert sum(COMMENT.strip() in f["snippet"] for f in after) > 10  # the comments are in the snippets
    assert sorted(f["fingerprint"] for f in after) == sorted(f["fingerprint"] for f in before)
    code, out = invoke("gate", root, "--baseline", baseline)
    assert code == 0, out
    assert "FAIL " not in out


def test_an_edit_to_the_code_still_brings_the_finding_back(tmp_path):
    root = tmp_path / "demo"
    shutil.copytree(DEMO, root)
    (root / ".fairlint.yml").write_text("fail-on: info\n")
    baseline = tmp_path / "baseline.json"
    assert invoke("baseline", root, "--output", baseline)[0] == 0
    prep = root / "credit" / "prepare.py"
    prep.write_text(prep.read_text().replace("df = df.dropna()", "df = df.dropna(how='any')  # TODO impute"))
    code, out = invoke("gate", root, "--baseline", baseline)
    assert code == 1
    assert "FAIL credit/prepare.py:" in out and "DP01" in out
