"""Shared inputs of the history tests: the story repository (built once), a result cache shared
by every walk of the session (repeated contents cost nothing), and the story's walked outputs."""

from __future__ import annotations

import csv
import io
import json
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

sys.path.insert(0, str(Path(__file__).parent))
import story  # noqa: E402

from orchestrator.cli.main import main  # noqa: E402


@pytest.fixture(scope="session")
def cache_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("history-cache")


@dataclass(frozen=True)
class Story:
    repo: Path
    oids: list[str]

    def commit(self, n: int) -> str:
        """The id of commit ``n`` (1 = the root commit)."""
        return self.oids[n - 1]


@pytest.fixture(scope="session")
def story_repo(tmp_path_factory) -> Story:
    root = tmp_path_factory.mktemp("story") / "repo"
    return Story(root, story.build(root))


def history(cache_dir: Path, *args: str) -> tuple[int, str, str]:
    """``fairlint history ARGS --cache-dir CACHE`` in this process: (exit code, stdout, stderr)."""
    result = CliRunner().invoke(main, ["history", *args, "--cache-dir", str(cache_dir)])
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


@dataclass(frozen=True)
class Walked:
    state: Path
    data: dict
    commits_csv: list[dict]
    findings_csv: list[dict]


@pytest.fixture(scope="session")
def story_walk(story_repo: Story, cache_dir: Path, tmp_path_factory) -> Walked:
    out = tmp_path_factory.mktemp("story-out")
    state = out / "state"
    code, _, err = history(cache_dir, str(story_repo.repo), "--state", str(state), "--format", "json",
                           "--output", str(out / "h.json"))
    assert code == 0, err
    code, _, err = history(cache_dir, str(story_repo.repo), "--state", str(state), "--format", "csv",
                           "--output", str(out / "h.csv"))
    assert code == 0, err
    rows = lambda p: list(csv.DictReader(io.StringIO(p.read_text(encoding="utf-8"))))  # noqa: E731
    return Walked(state, json.loads((out / "h.json").read_text(encoding="utf-8")),
                  rows(out / "h.csv"), rows(out / "h-findings.csv"))
