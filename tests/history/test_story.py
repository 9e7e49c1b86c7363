"""The end-to-end story (tests/history/story.py), read back from the JSON and the CSV outputs.

A pattern comes in at commit 5, is suppressed with a reason at 12, comes back in another file
at 20, and that file is deleted at 25; tags sit on commits 10 and 22.
"""

from __future__ import annotations

import json

import story
from tests.history.conftest import history

# Findings present after each commit: prep.py's from 5 to 11, other.py's from 20 to 24.
TOTALS = [1 if story.INTRODUCED <= n < story.SUPPRESSED or story.REINTRODUCED <= n < story.DELETED else 0
          for n in range(1, story.COMMITS + 1)]


def by_path(findings: list[dict], key: str = "path") -> dict[str, dict]:
    return {f[key]: f for f in findings}


def test_json_tells_the_story(story_repo, story_walk):
    data = story_walk.data
    commits = data["commits"]
    assert [c["commit"] for c in commits] == story_repo.oids
    assert [c["seq"] for c in commits] == list(range(1, story.COMMITS + 1))
    assert [c["total"] for c in commits] == TOTALS
    assert all(c["status"] == "scanned" for c in commits)

    findings = by_path(data["findings"])
    assert set(findings) == {"prep.py", "other.py"}
    prep, other = findings["prep.py"], findings["other.py"]
    assert prep["rule_id"] == other["rule_id"] == "missing-rows-dropped"
    assert prep["first_seen"] == {"commit": story_repo.commit(5), "author": "Ada",
                                  "date": commits[4]["date"]}
    assert prep["fixed"] == {"commit": story_repo.commit(12), "date": commits[11]["date"], "author": "Ada",
                             "reason": "suppressed", "detail": story.SUPPRESSION_REASON}
    assert other["first_seen"]["commit"] == story_repo.commit(20)
    assert other["fixed"]["commit"] == story_repo.commit(25)
    assert (other["fixed"]["reason"], other["fixed"]["detail"]) == ("file removed", "")
    assert prep["status"] == other["status"] == "fixed"
    assert prep["last_seen"] == story_repo.commit(11) and other["last_seen"] == story_repo.commit(24)

    introduced = {c["seq"]: c["introduced"] for c in commits if c["introduced"]}
    fixed = {c["seq"]: [(x["fingerprint"], x["reason"]) for x in c["fixed"]] for c in commits if c["fixed"]}
    assert introduced == {5: [prep["fingerprint"]], 20: [other["fingerprint"]]}
    assert fixed == {12: [(prep["fingerprint"], "suppressed")], 25: [(other["fingerprint"], "file removed")]}


def test_json_counts_each_commit_by_severity_stage_and_pattern(story_walk):
    for c, total in zip(story_walk.data["commits"], TOTALS):
        assert sum(c["by_severity"].values()) == total
        assert c["by_stage"] == ({"preparation": 1} if total else {})
        assert c["by_pattern"] == ({"DP01": 1} if total else {})
    severities = {f["severity"] for f in story_walk.data["findings"]}
    assert len(severities) == 1  # one rule on one kind of line: one severity
    (severity,) = severities
    assert [c["by_severity"][severity] for c in story_walk.data["commits"]] == TOTALS


def test_json_marks_the_tags(story_walk):
    tags = {c["seq"]: c["tags"] for c in story_walk.data["commits"] if c["tags"]}
    assert tags == {n: [name] for n, name in story.TAGS.items()}


def test_csv_tells_the_same_story(story_repo, story_walk):
    commits = story_walk.commits_csv
    assert [r["commit"] for r in commits] == story_repo.oids
    assert [int(r["total"]) for r in commits] == TOTALS
    assert [r["by_pattern"] for r in commits] == ["DP01=1" if t else "" for t in TOTALS]
    assert [r["tags"] for r in commits if r["tags"]] == list(story.TAGS.values())

    findings = by_path(story_walk.findings_csv)
    prep, other = findings["prep.py"], findings["other.py"]
    assert (prep["first_seen_commit"], prep["fixed_commit"]) == (story_repo.commit(5), story_repo.commit(12))
    assert (prep["fixed_reason"], prep["fixed_detail"]) == ("suppressed", story.SUPPRESSION_REASON)
    assert (other["first_seen_commit"], other["fixed_commit"]) == (story_repo.commit(20), story_repo.commit(25))
    assert (other["fixed_reason"], other["fixed_detail"]) == ("file removed", "")
    assert prep["first_seen_author"] == "Ada" and prep["status"] == other["status"] == "fixed"

    by_seq = {int(r["seq"]): r for r in commits}
    assert by_seq[5]["introduced"] == prep["fingerprint"]
    assert by_seq[12]["fixed"] == f"{prep['fingerprint']}=suppressed"
    assert by_seq[20]["introduced"] == other["fingerprint"]
    assert by_seq[25]["fixed"] == f"{other['fingerprint']}=file removed"
    assert sum(1 for r in commits if r["introduced"] or r["fixed"]) == 4


def test_text_table_counts_per_pattern(story_repo, story_walk, cache_dir):
    code, out, _ = history(cache_dir, str(story_repo.repo), "--state", str(story_walk.state))
    assert code == 0
    row = next(line for line in out.splitlines() if line.startswith("DP01 "))
    assert row.split()[-4:] == ["0", "2", "2", "0"]  # at start, introduced, fixed, open now
    regressions = out.split("Newest regressions")[1].splitlines()[1:3]
    assert regressions[0].startswith(f"  {story_repo.commit(20)[:12]}") and "other.py:4" in regressions[0]
    assert regressions[1].startswith(f"  {story_repo.commit(5)[:12]}") and "suppressed" in regressions[1]


def test_a_range_starts_with_what_its_first_commit_holds(story_repo, story_walk, cache_dir):
    code, out, err = history(cache_dir, str(story_repo.repo), "--state", str(story_walk.state), "--format", "json",
                             "--rev-range", f"{story_repo.commit(10)}..{story_repo.commit(22)}")
    assert code == 0, err
    data = json.loads(out)
    assert [c["commit"] for c in data["commits"]] == story_repo.oids[10:22]
    findings = by_path(data["findings"])
    assert findings["prep.py"]["first_seen"]["commit"] == story_repo.commit(11)
    assert findings["prep.py"]["fixed"]["commit"] == story_repo.commit(12)
    assert findings["other.py"]["status"] == "open" and findings["other.py"]["fixed"] is None


def test_last_and_every_pick_commits_back_from_the_newest(story_repo, story_walk, cache_dir):
    code, out, err = history(cache_dir, str(story_repo.repo), "--state", str(story_walk.state), "--format", "json",
                             "--last", "10", "--every", "3")
    assert code == 0, err
    assert [c["commit"] for c in json.loads(out)["commits"]] == [story_repo.commit(n) for n in (23, 26, 29, 32)]
