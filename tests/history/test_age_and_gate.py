"""What other commands take from a history: `fairlint scan --history` (each finding's age) and
`fairlint gate --new-since REF` (fail only on findings first seen after REF)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import jsonschema
from click.testing import CliRunner

import story
from orchestrator.cli.main import main

SCHEMA = Path(__file__).resolve().parents[2] / "orchestrator" / "schemas" / "scan-result.schema.json"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def checkout(story_repo, tmp_path: Path, n: int) -> Path:
    """A copy of the story repository with commit ``n`` checked out."""
    copy = tmp_path / "work"
    shutil.copytree(story_repo.repo, copy)
    story.git(copy, "checkout", "-q", story_repo.commit(n))
    return copy


def test_scan_json_and_html_show_each_findings_first_seen_commit(story_repo, story_walk, cache_dir, tmp_path):
    work = checkout(story_repo, tmp_path, 22)
    (work / "fresh.py").write_text(story.OTHER.replace("frame", "rows"))  # not committed: no age
    code, out, err = run("scan", str(work), "--format", "json", "--history", str(story_walk.state),
                         "--cache-dir", str(cache_dir), "--isolated")
    assert code == 0, err
    data = json.loads(out)
    jsonschema.validate(data, json.loads(SCHEMA.read_text()))
    by_path = {f["path"]: f["fingerprint"] for f in data["findings"]}
    assert set(by_path) == {"other.py", "fresh.py"}
    assert data["history"] == {by_path["other.py"]: {
        "first_seen_commit": story_repo.commit(20), "first_seen_date": story_walk.data["commits"][19]["date"],
        "first_seen_author": "Ada", "age_days": 2, "status": "open"}}

    code, page, err = run("scan", str(work), "--format", "html", "--history", str(story_walk.state),
                          "--cache-dir", str(cache_dir), "--isolated")
    assert code == 0, err
    assert story_repo.commit(20) in page and '"ages":' in page


def test_scan_without_a_state_is_a_usage_error(story_repo, tmp_path, cache_dir):
    code, _, err = run("scan", str(story_repo.repo), "--history", str(tmp_path / "none"), "--cache-dir", str(cache_dir))
    assert code == 2 and "no history state" in err


def test_gate_new_since_fails_only_on_findings_first_seen_after_the_ref(story_repo, cache_dir, tmp_path):
    work = checkout(story_repo, tmp_path, 22)  # other.py's finding is there since commit 20
    (work / ".fairlint.yml").write_text("fail-on: info\n")  # whatever the score, it fails
    code, out, _ = run("gate", str(work), "--format", "json")
    assert code == 1 and [f["path"] for f in json.loads(out)["findings"]] == ["other.py"]
    code, out, err = run("gate", str(work), "--format", "json", "--new-since", story_repo.commit(21))
    assert code == 0, err
    assert json.loads(out)["findings"] == []
    code, out, err = run("gate", str(work), "--format", "json", "--new-since", story_repo.commit(19))
    assert code == 1, err
    assert [f["path"] for f in json.loads(out)["findings"]] == ["other.py"]
    (work / "fresh.py").write_text(story.OTHER.replace("frame", "rows"))
    code, out, _ = run("gate", str(work), "--format", "json", "--new-since", story_repo.commit(21))
    assert code == 1 and [f["path"] for f in json.loads(out)["findings"]] == ["fresh.py"]
    code, _, err = run("gate", str(work), "--new-since", "no-such-ref")
    assert code == 2 and "unknown ref" in err


def test_scan_history_in_a_shallow_clone_uses_the_commits_it_has(story_repo, story_walk, cache_dir, tmp_path):
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--depth", "4", "--branch", "v0.2", f"file://{story_repo.repo}", str(clone)],
                   check=True, capture_output=True)
    code, out, err = run("scan", str(clone), "--format", "json", "--history", str(story_walk.state),
                         "--cache-dir", str(cache_dir), "--isolated")
    assert code == 0, err
    (age,) = json.loads(out)["history"].values()
    assert age["first_seen_commit"] == story_repo.commit(20) and age["status"] == "open"
