"""Bad input: a clear message and exit 2; a commit whose tree cannot be read is skipped."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

import story
from tests.history.conftest import history


def small_repo(root: Path, commits: int = 6) -> list[str]:
    return story.build(root, commits)


def test_not_a_git_repository(tmp_path, cache_dir):
    (tmp_path / "plain").mkdir()
    code, _, err = history(cache_dir, str(tmp_path / "plain"), "--state", str(tmp_path / "s"))
    assert code == 2 and "not a git repository" in err


def test_missing_path(tmp_path, cache_dir):
    code, _, err = history(cache_dir, str(tmp_path / "nowhere"), "--state", str(tmp_path / "s"))
    assert code == 2 and "not a folder" in err


@pytest.mark.parametrize("rev_range, message", [
    ("nope..HEAD", "unknown ref 'nope'"),
    ("HEAD..nope", "unknown ref 'nope'"),
    ("--all", "unknown ref '--all'"),
    ("HEAD..HEAD", "empty range"),
    ("HEAD...HEAD~1", "takes A..B"),
])
def test_bad_ranges(story_repo, tmp_path, cache_dir, rev_range, message):
    code, out, err = history(cache_dir, str(story_repo.repo), "--state", str(tmp_path / "s"), "--rev-range", rev_range)
    assert code == 2 and message in err and out == ""


def test_since_after_the_newest_commit_is_an_empty_range(story_repo, tmp_path, cache_dir):
    code, _, err = history(cache_dir, str(story_repo.repo), "--state", str(tmp_path / "s"), "--since", "2099-01-01")
    assert code == 2 and "empty range" in err


def test_since_takes_an_iso_date(story_repo, tmp_path, cache_dir):
    code, _, err = history(cache_dir, str(story_repo.repo), "--state", str(tmp_path / "s"), "--since", "last tuesday")
    assert code == 2 and "ISO date" in err


def test_shallow_clone_without_the_range(story_repo, tmp_path, cache_dir):
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--depth", "4", f"file://{story_repo.repo}", str(clone)], check=True,
                   capture_output=True)
    code, _, err = history(cache_dir, str(clone), "--state", str(tmp_path / "s"))
    assert code == 2 and "shallow clone" in err and "--unshallow" in err
    code, _, err = history(cache_dir, str(clone), "--state", str(tmp_path / "s"), "--last", "10")
    assert code == 2 and "shallow clone" in err
    code, _, err = history(cache_dir, str(clone), "--state", str(tmp_path / "s"), "--rev-range",
                           f"{story_repo.commit(20)}..HEAD")
    assert code == 2 and "unknown ref" in err and "shallow clone" in err
    code, out, err = history(cache_dir, str(clone), "--state", str(tmp_path / "s"), "--last", "4", "--format", "json")
    assert code == 0, err
    assert [c["commit"] for c in json.loads(out)["commits"]] == story_repo.oids[-4:]


def _object_file(repo: Path, oid: str) -> Path:
    return repo / ".git" / "objects" / oid[:2] / oid[2:]


def test_commit_with_an_unreadable_tree_or_blob_is_skipped(tmp_path, cache_dir):
    repo = tmp_path / "repo"
    oids = small_repo(repo, 7)
    tree3 = story.git(repo, "rev-parse", f"{oids[2]}^{{tree}}").strip()
    _object_file(repo, tree3).unlink()  # commit 3: its tree is gone
    version6 = story.git(repo, "rev-parse", f"{oids[5]}:version.py").strip()
    _object_file(repo, version6).unlink()  # commit 6: one of its blobs is gone
    code, out, err = history(cache_dir, str(repo), "--state", str(tmp_path / "s"), "--format", "json")
    assert code == 0, err
    commits = json.loads(out)["commits"]
    status = [(c["seq"], c["status"]) for c in commits]
    assert status == [(1, "scanned"), (2, "scanned"), (3, "skipped"), (4, "scanned"), (5, "scanned"),
                      (6, "skipped"), (7, "scanned")]
    assert commits[2]["reason"].startswith("tree cannot be read")
    assert commits[5]["reason"].startswith("blob cannot be read") and version6 in commits[5]["reason"]
    assert commits[4]["total"] == 1 and commits[6]["total"] == 1  # the walk went on after each
    assert commits[6]["introduced"] == [] and commits[6]["fixed"] == []  # nothing came or went across 6

    code, text, _ = history(cache_dir, str(repo), "--state", str(tmp_path / "s"))
    assert "Skipped commits:" in text and oids[2][:12] in text and oids[5][:12] in text
