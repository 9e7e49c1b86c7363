"""Each commit is scanned under its own configuration file, as `fairlint scan` would scan it; a
finding a configuration change hides disappears for that reason."""

from __future__ import annotations

import json

import story
from tests.history.conftest import history


def test_a_commits_configuration_applies_and_is_named_as_the_reason(tmp_path, cache_dir):
    repo = tmp_path / "repo"
    repo.mkdir()
    story.git(repo, "init", "-q", "-b", "main")
    steps = [
        {"prep.py": story.PREP + story.DROP},
        {"version.py": "VERSION = 2\n"},
        {".fairlint.yml": "disable: [DP01]\n"},
        {".fairlint.yml": None},
        {".fairlint.yml": "exclude: ['prep.py']\n"},
        {".fairlint.yml": "exclude: ['prep.py'\n"},  # broken: the commit is skipped, with the reason
    ]
    for n, files in enumerate(steps, start=1):
        for name, text in files.items():
            if text is None:
                (repo / name).unlink()
            else:
                (repo / name).write_text(text)
        story.commit(repo, n, f"step {n}")
    code, out, err = history(cache_dir, str(repo), "--state", str(tmp_path / "s"), "--format", "json")
    assert code == 0, err
    data = json.loads(out)
    commits = data["commits"]
    assert [c["total"] for c in commits[:5]] == [1, 1, 0, 1, 0]
    assert [[x["reason"] for x in c["fixed"]] for c in commits[:5]] == [
        [], [], ["configuration changed"], [], ["configuration changed"]]
    assert commits[5]["status"] == "skipped" and "configuration cannot be used" in commits[5]["reason"]
    (finding,) = data["findings"]
    assert finding["reintroduced"] == 1 and finding["fixed"]["reason"] == "configuration changed"
