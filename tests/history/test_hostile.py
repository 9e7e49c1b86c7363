"""Text from the repository (commit subjects, author names, tag names, paths) never acts on the
reader: escaped in text, defused in CSV, inert in the HTML report."""

from __future__ import annotations

import csv
import io

import story
from tests.history.conftest import history

SUBJECT = "=HYPERLINK(\"http://x\") \x1b]0;owned\x07 \u202eevil"
TAG = "<script>alert(1)</script>"


def test_hostile_subjects_and_tags(tmp_path, cache_dir):
    repo = tmp_path / "repo"
    repo.mkdir()
    story.git(repo, "init", "-q", "-b", "main")
    (repo / "prep.py").write_text(story.PREP + story.DROP)
    story.git(repo, "add", "-A")
    story.git(repo, "commit", "-q", "-m", SUBJECT, date=1)
    story.git(repo, "tag", TAG)
    (repo / "prep.py").write_text(story.PREP)
    story.commit(repo, 2, "fix")
    state = str(tmp_path / "s")

    code, text, err = history(cache_dir, str(repo), "--state", state)
    assert code == 0, err
    assert "\x1b" not in text and "\u202e" not in text and "\x07" not in text

    code, out, err = history(cache_dir, str(repo), "--state", state, "--format", "csv")
    assert code == 0, err
    commits = list(csv.DictReader(io.StringIO(out.split("\n\n")[0])))
    assert commits[0]["subject"].startswith("'=HYPERLINK") and "\\x1b" in commits[0]["subject"]

    page = tmp_path / "h.html"
    code, _, err = history(cache_dir, str(repo), "--state", state, "--format", "html", "--output", str(page))
    assert code == 0, err
    html = page.read_text(encoding="utf-8")
    assert TAG not in html and "alert(1)" in html  # the tag is in the data island, < and > escaped
    assert html.count("<script") == 2  # the data island and the page's own script
