"""orchestrator.git: the one way git runs. A repository that configures every command git can
run (fsmonitor, filters, textconv, external diff, hooks, ext:: remotes) runs none of them."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from orchestrator import git

pytestmark = pytest.mark.skipif(not git.proc.which("git"), reason="git is not installed")


def _plain_git(args, cwd, **kw):
    """The test's own git (trusted fixture set-up), not the helper under test."""
    env = dict(os.environ, GIT_CONFIG_NOSYSTEM="1", GIT_CONFIG_GLOBAL=os.devnull)
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, env=env, **kw)


def _trap(marks: Path, name: str) -> str:
    return f"sh -c 'touch {marks}/{name}; cat'"


@pytest.fixture()
def hostile(tmp_path):
    """A committed repository whose config runs a marker command from every hook point."""
    marks = tmp_path / "marks"
    marks.mkdir()
    repo = tmp_path / "r"
    repo.mkdir()
    _plain_git(["init", "-q", "-b", "main"], repo)
    (repo / "a.py").write_text("x = 1\n")
    (repo / "b.py").write_text("y = 2\n")
    (repo / ".gitattributes").write_text("* filter=evil diff=evil\n")
    _plain_git(["add", "."], repo)
    _plain_git(["-c", "user.name=a", "-c", "user.email=a@b", "commit", "-qm", "i"], repo)
    fsm = tmp_path / "fsm.sh"
    fsm.write_text(f"#!/bin/sh\ntouch {marks}/fsmonitor\n")
    fsm.chmod(0o755)
    for key, value in [("core.fsmonitor", str(fsm)), ("filter.evil.clean", _trap(marks, "clean")),
                       ("filter.evil.smudge", _trap(marks, "smudge")),
                       ("filter.evil.process", _trap(marks, "process")), ("filter.evil.required", "true"),
                       ("diff.evil.textconv", _trap(marks, "textconv")),
                       ("diff.evil.command", _trap(marks, "diffcommand")),
                       ("diff.external", _trap(marks, "external")),
                       ("core.pager", _trap(marks, "pager")), ("log.showSignature", "true"),
                       ("gpg.program", _trap(marks, "gpg"))]:
        _plain_git(["config", key, value], repo)
    for hook in ("post-checkout", "post-index-change", "reference-transaction", "pre-commit"):
        path = repo / ".git" / "hooks" / hook
        path.write_text(f"#!/bin/sh\ntouch {marks}/hook-{hook}\n")
        path.chmod(0o755)
    return repo, marks


def _stat_dirty(repo: Path) -> None:
    """Make git want to re-hash the files (the state in which it runs the clean filter)."""
    for name in ("a.py", "b.py"):
        os.utime(repo / name, (1, 1))


def test_the_trap_fires_under_plain_git(hostile):
    """The fixture is live: plain git runs the clean filter (so the tests below can fail)."""
    repo, marks = hostile
    _stat_dirty(repo)
    subprocess.run(["git", "diff", "HEAD", "--stat"], cwd=repo, capture_output=True)
    assert {p.name for p in marks.iterdir()} & {"clean", "fsmonitor", "process"}


def test_read_helpers_run_nothing_the_repository_configures(hostile):
    repo, marks = hostile
    _stat_dirty(repo)
    (repo / "a.py").write_text("x = 2\n")
    (repo / "new.py").write_text("z = 3\n")
    assert git.changed_since(repo, "HEAD") == ["a.py", "new.py"]
    assert git.tracked_files(repo) == [".gitattributes", "a.py", "b.py"]
    assert len(git.resolve_commit(repo, "main")) == 40
    assert list(marks.iterdir()) == []


@pytest.mark.parametrize("args", [
    ["diff", "HEAD", "--stat"],            # work tree vs commit: clean filter + fsmonitor
    ["hash-object", "a.py"],               # clean filter
    ["log", "-p", "-1"],                   # textconv, external diff, signatures, pager
    ["diff", "HEAD~0", "--", "a.py"],
    ["checkout", "-q", "--", "a.py"],      # smudge filter, post-checkout hook
    ["status", "--porcelain"],             # fsmonitor, refresh with the clean filter
])
def test_porcelain_through_the_helper_runs_no_driver_and_no_hook(hostile, args):
    """Even commands that apply filters: every configured driver is overridden with nothing."""
    repo, marks = hostile
    _stat_dirty(repo)
    (repo / "a.py").write_text("x = 2\n")
    git.run(args, repo)
    assert list(marks.iterdir()) == []


def test_ext_transport_is_refused(tmp_path):
    marks = tmp_path / "marks"
    marks.mkdir()
    with pytest.raises(git.GitError, match="transport 'ext' not allowed|not allowed"):
        git.run(["ls-remote", f"ext::sh -c touch% {marks}/ext"], tmp_path, protocols=("https", "ext"))
    assert list(marks.iterdir()) == []


def test_file_transport_only_when_asked(tmp_path, hostile):
    repo, _ = hostile
    with pytest.raises(git.GitError, match="not allowed"):
        git.run(["ls-remote", f"file://{repo}"], tmp_path)
    assert "refs/heads/main" in git.run(["ls-remote", f"file://{repo}"], tmp_path, protocols=("file",)).stdout


def test_the_callers_git_environment_does_not_redirect_or_run(hostile, tmp_path, monkeypatch):
    repo, marks = hostile
    other = tmp_path / "other"
    other.mkdir()
    _plain_git(["init", "-q"], other)
    monkeypatch.setenv("GIT_DIR", str(other / ".git"))
    monkeypatch.setenv("GIT_EXTERNAL_DIFF", str(tmp_path / "fsm.sh"))
    (repo / "a.py").write_text("x = 2\n")
    assert git.tracked_files(repo) == [".gitattributes", "a.py", "b.py"]
    git.run(["diff", "HEAD"], repo)
    assert list(marks.iterdir()) == []


def test_unknown_ref_says_why(hostile):
    repo, _ = hostile
    with pytest.raises(git.GitError) as info:
        git.resolve_commit(repo, "no-such-branch")
    assert "no-such-branch" in str(info.value) and "Needed a single revision" in str(info.value)
    with pytest.raises(git.GitError, match="not a git repository"):
        git.resolve_commit(repo.parent, "HEAD")
    with pytest.raises(git.GitError, match="cannot be empty or start with '-'"):
        git.resolve_commit(repo, "--output=/tmp/x")


def test_worktree_changes_hashes_bytes_like_git(hostile):
    repo, _ = hostile
    _stat_dirty(repo)  # touched, same bytes: unchanged
    (repo / "b.py").unlink()  # deleted: left out
    assert git.worktree_changes(repo) == []
    (repo / "a.py").write_bytes(b"x = 1\r\n")
    assert git.worktree_changes(repo) == ["a.py"]
    data = b"any bytes\0\xff"
    (repo / "c.bin").write_bytes(data)
    expected = _plain_git(["hash-object", "--no-filters", "c.bin"], repo).stdout.decode().strip()
    assert git.blob_id(data) == expected


def test_a_driver_name_that_cannot_be_overridden_is_refused(tmp_path):
    repo = tmp_path / "r"
    repo.mkdir()
    _plain_git(["init", "-q"], repo)
    (repo / ".git" / "config").write_text('[filter "a=b"]\n\tclean = touch x\n', encoding="utf-8")
    with pytest.raises(git.GitError, match="cannot be disabled safely"):
        git.run(["ls-files"], repo)


def test_timeout_is_reported(monkeypatch, tmp_path):
    import subprocess as sp

    def slow(*a, **k):
        raise sp.TimeoutExpired(a[0], 1)

    monkeypatch.setattr(sp, "run", slow)
    with pytest.raises(git.GitError, match="timed out"):
        git.run(["init", "-q", str(tmp_path / "x")], tmp_path, timeout=1)
