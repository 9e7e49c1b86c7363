"""orchestrator.study.corpus: manifest validation and safe, idempotent fetching from file:// URLs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from orchestrator.study import corpus
from tests.study.study_fakes import CLEAN, TRAIN, entry, make_repo, write_manifest  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
SHA = "a" * 40


def _manifest(tmp_path, entries):
    return corpus.load_manifest(write_manifest(tmp_path / "m.yaml", entries))


# ---------------------------------------------------------------- manifest
def test_valid_manifest_loads_with_hash(tmp_path):
    m = _manifest(tmp_path, [entry("acme/faces", "https://github.com/acme/faces", SHA)])
    assert [r.name for r in m.repos] == ["acme/faces"]
    assert m.repos[0].frameworks == ("pytorch",) and m.repos[0].people_data is True
    assert len(m.sha256) == 64


@pytest.mark.parametrize("commit", ["abc123", "A" * 40, "g" * 40, "a" * 39])
def test_bad_commit_is_a_clear_error(tmp_path, commit):
    with pytest.raises(corpus.ManifestError, match=r"repos\[0\] \(acme/faces\): commit .* 40-hex"):
        _manifest(tmp_path, [entry("acme/faces", "https://github.com/acme/faces", commit)])


@pytest.mark.parametrize("name", ["../etc", "acme/..", "acme/../x", "acme/.hidden", "acme/-rf", "a/b/c", "acme",
                                  "ac me/x", "acme/x..y"])
def test_unsafe_names_are_refused(tmp_path, name):
    with pytest.raises(corpus.ManifestError, match="safe owner/repo name"):
        _manifest(tmp_path, [entry(name, "https://github.com/acme/faces", SHA)])


def test_check_name_refuses_traversal_even_without_schema():
    for bad in ("..", "../x/y", "x/..", "./x"):
        with pytest.raises(corpus.ManifestError):
            corpus.check_name(bad)
    assert corpus.check_name("pytorch/examples") == "pytorch/examples"


def test_duplicate_and_missing_fields_and_bad_url(tmp_path):
    e = entry("acme/faces", "https://github.com/acme/faces", SHA)
    with pytest.raises(corpus.ManifestError, match="name 'ACME/faces' is listed twice"):
        _manifest(tmp_path, [e, dict(e, name="ACME/faces", url="https://github.com/acme/other", commit="b" * 40)])
    with pytest.raises(corpus.ManifestError, match="'commit' is a required property"):
        _manifest(tmp_path, [{k: v for k, v in e.items() if k != "commit"}])
    with pytest.raises(corpus.ManifestError, match="url .* not an https:// git URL"):
        _manifest(tmp_path, [dict(e, url="http://evil.example/acme/faces")])
    (tmp_path / "bad.yaml").write_text("- just a list\n")
    with pytest.raises(corpus.ManifestError, match="top-level 'repos:'"):
        corpus.load_manifest(tmp_path / "bad.yaml")


def test_a_minimal_entry_is_enough_and_leaves_detection_open(tmp_path):
    m = _manifest(tmp_path, [{"name": "acme/faces", "url": "https://github.com/acme/faces", "commit": SHA}])
    spec = m.repos[0]
    assert (spec.frameworks, spec.people_data, spec.domain, spec.license, spec.why) == ((), None, "", "", "")
    assert corpus.composition(m)["people_data_detected"] == 1 and corpus.composition(m)["frameworks_detected"] == 1


@pytest.mark.parametrize("url", ["https://gitlab.com/group/sub/proj.git", "https://bitbucket.org/team/repo",
                                 "https://git.uni-example.de:3000/lab/model", "file:///srv/git/x.git"])
def test_any_https_host_and_file_urls_are_accepted(tmp_path, url):
    assert _manifest(tmp_path, [entry("acme/x", url, SHA)]).repos[0].url == url


def test_local_repository_paths_become_file_urls(tmp_path):
    m = _manifest(tmp_path, [entry("acme/a", "/srv/git/a.git", SHA), entry("acme/b", "./bare/b.git", "b" * 40)])
    assert m.repos[0].url == "file:///srv/git/a.git"
    assert m.repos[1].url == (tmp_path / "bare" / "b.git").as_uri()  # relative to the manifest


@pytest.mark.parametrize("url", ["https://user:secret@github.com/a/b", "ssh://git@github.com/a/b", "git@github.com:a/b",
                                 "ext::sh -c evil", "https://github.com/a/b?x=1"])
def test_other_url_forms_are_refused(tmp_path, url):
    with pytest.raises(corpus.ManifestError, match="url"):
        _manifest(tmp_path, [entry("acme/x", url, SHA)])


def test_duplicate_url_or_commit_is_an_error(tmp_path):
    a = entry("acme/faces", "https://github.com/acme/faces", SHA)
    with pytest.raises(corpus.ManifestError, match=r"repos\[1\] \(zed/faces\): url .* listed twice \(also repos\[0\]"):
        _manifest(tmp_path, [a, entry("zed/faces", "https://GitHub.com/acme/faces.git/", "b" * 40)])
    with pytest.raises(corpus.ManifestError, match=r"repos\[1\] \(zed/other\): commit .* listed twice"):
        _manifest(tmp_path, [a, entry("zed/other", "https://github.com/zed/other", SHA)])


def test_every_schema_error_is_shown_at_once_with_entry_names(tmp_path):
    entries = [entry(f"acme/r{i}", "https://github.com/acme/x", "bad") for i in range(7)]
    entries.append({"name": "acme/extra", "url": "https://github.com/acme/y", "commit": SHA, "colour": "red"})
    with pytest.raises(corpus.ManifestError) as info:
        _manifest(tmp_path, entries)
    text = str(info.value)
    assert "8 problem(s)" in text
    for i in range(7):
        assert f"repos[{i}] (acme/r{i}): commit 'bad' is not a full 40-hex commit SHA" in text
    assert "repos[7] (acme/extra): Additional properties are not allowed ('colour'" in text


def test_cache_paths_stay_inside_the_cache(tmp_path):
    spec = corpus.RepoSpec("acme/faces", "https://github.com/acme/faces", SHA, ("pytorch",), "x", True, "MIT", "y")
    assert corpus.checkout_dir(tmp_path, spec) == (tmp_path / "repos" / "acme" / "faces").resolve()
    evil = corpus.RepoSpec("acme/..", "https://github.com/acme/x", SHA, ("pytorch",), "x", True, "MIT", "y")
    with pytest.raises(corpus.ManifestError):
        corpus.checkout_dir(tmp_path, evil)


# ---------------------------------------------------------------- the shipped corpus
def test_shipped_manifest_meets_the_quotas():
    m = corpus.load_manifest(REPO / "corpus" / "manifest.yaml")
    c = corpus.composition(m)
    assert c["repos"] >= 50
    assert c["pytorch"] >= 20
    assert c["tensorflow_or_keras"] >= 15
    assert c["people_data"] >= 20
    assert c["controls"] >= 10
    for r in m.repos:
        assert r.url.rstrip("/").removesuffix(".git").lower() == f"https://github.com/{r.name}".lower(), r.name


# ---------------------------------------------------------------- fetching
def test_fetch_checks_out_the_pinned_commit_once(tmp_path):
    url, commit = make_repo(tmp_path, "acme/faces", {"train.py": TRAIN, "pkg/util.py": CLEAN})
    spec = _manifest(tmp_path, [entry("acme/faces", url, commit)]).repos[0]
    cache = tmp_path / "cache"
    first = corpus.fetch_repo(spec, cache)
    assert first.status == "fetched", first.error
    dest = Path(first.path)
    assert (dest / "train.py").read_text() == TRAIN and (dest / "pkg" / "util.py").exists()
    assert not (dest / ".git").exists()
    meta = json.loads(corpus.meta_file(cache, spec).read_text())
    assert meta["commit"] == commit
    (dest / "marker").write_text("kept")  # a second fetch must not touch the checkout
    second = corpus.fetch_repo(spec, cache)
    assert second.status == "cached" and (dest / "marker").exists()


def test_fetch_pins_an_older_commit_not_the_branch_head(tmp_path):
    from tests.study.study_fakes import git

    url, first_commit = make_repo(tmp_path, "acme/hist", {"a.py": "x = 1\n"})
    bare = Path(url.removeprefix("file://"))
    work = tmp_path / "work" / "acme__hist"
    (work / "b.py").write_text("y = 2\n")
    git(["add", "-A"], work)
    git(["commit", "-q", "-m", "second"], work)
    git(["push", "-q", str(bare), "main"], work)
    spec = _manifest(tmp_path, [entry("acme/hist", url, first_commit)]).repos[0]
    res = corpus.fetch_repo(spec, tmp_path / "cache")
    assert res.ok, res.error
    assert (Path(res.path) / "a.py").exists() and not (Path(res.path) / "b.py").exists()


def test_fetch_falls_back_to_a_full_fetch_when_the_server_refuses_a_sha(tmp_path, monkeypatch):
    url, commit = make_repo(tmp_path, "acme/old", {"a.py": "x = 1\n"})
    # protocol v0 servers refuse unadvertised SHAs, so the shallow fetch fails first
    monkeypatch.setenv("GIT_CONFIG_COUNT", "1")
    monkeypatch.setenv("GIT_CONFIG_KEY_0", "protocol.version")
    monkeypatch.setenv("GIT_CONFIG_VALUE_0", "0")
    spec = _manifest(tmp_path, [entry("acme/old", url, commit)]).repos[0]
    res = corpus.fetch_repo(spec, tmp_path / "cache")
    assert res.status == "fetched", res.error


def test_symlinks_are_checked_out_as_plain_files(tmp_path):
    url, commit = make_repo(tmp_path, "acme/links", {"a.py": "x = 1\n"}, symlinks={"secret.py": "/etc/passwd"})
    spec = _manifest(tmp_path, [entry("acme/links", url, commit)]).repos[0]
    res = corpus.fetch_repo(spec, tmp_path / "cache")
    link = Path(res.path) / "secret.py"
    assert not link.is_symlink() and link.read_text() == "/etc/passwd"


def test_hooks_in_the_user_config_never_run(tmp_path, monkeypatch):
    url, commit = make_repo(tmp_path, "acme/hooks", {"a.py": "x = 1\n"})
    hooks = tmp_path / "hooks"
    hooks.mkdir()
    witness = tmp_path / "hook-ran"
    (hooks / "post-checkout").write_text(f"#!/bin/sh\ntouch {witness}\n")
    (hooks / "post-checkout").chmod(0o755)
    monkeypatch.setenv("GIT_CONFIG_COUNT", "1")
    monkeypatch.setenv("GIT_CONFIG_KEY_0", "core.hooksPath")
    monkeypatch.setenv("GIT_CONFIG_VALUE_0", str(hooks))
    spec = _manifest(tmp_path, [entry("acme/hooks", url, commit)]).repos[0]
    assert corpus.fetch_repo(spec, tmp_path / "cache").ok
    assert not witness.exists()


def test_unknown_commit_and_size_cap_and_missing_repo_fail_cleanly(tmp_path):
    url, commit = make_repo(tmp_path, "acme/big", {"data.py": "x = 1\n" * 1000})
    specs = [corpus.RepoSpec("acme/big", url, commit), corpus.RepoSpec("acme/ghost", url, "b" * 40),
             corpus.RepoSpec("acme/gone", (tmp_path / "nowhere.git").as_uri(), commit)]
    cache = tmp_path / "cache"
    big = corpus.fetch_repo(specs[0], cache, size_cap=100)
    assert big.status == "failed" and "size cap" in big.error
    assert not corpus.checkout_dir(cache, specs[0]).exists()
    ghost = corpus.fetch_repo(specs[1], cache)
    assert ghost.status == "failed" and "b" * 40 in ghost.error
    gone = corpus.fetch_repo(specs[2], cache)
    assert gone.status == "failed" and gone.error
    assert not any((cache / "tmp").iterdir())  # no half-fetched leftovers


def test_fetch_all_records_failures_and_goes_on(tmp_path):
    ok_url, ok_commit = make_repo(tmp_path, "acme/ok", {"a.py": TRAIN})
    other_url, other_commit = make_repo(tmp_path, "acme/other", {"b.py": CLEAN})
    m = _manifest(tmp_path, [entry("acme/ok", ok_url, ok_commit),
                             entry("acme/broken", (tmp_path / "missing.git").as_uri(), "c" * 40),
                             entry("acme/other", other_url, other_commit)])
    seen = []
    results = corpus.fetch_all(m.repos, tmp_path / "cache", jobs=2, on_done=lambda r: seen.append(r.name))
    assert [r.status for r in results] == ["fetched", "failed", "fetched"]
    assert sorted(seen) == ["acme/broken", "acme/ok", "acme/other"]
    report = json.loads((tmp_path / "cache" / "fetch-report.json").read_text())
    assert [r["status"] for r in report] == ["fetched", "failed", "fetched"]
    again = corpus.fetch_all(m.repos, tmp_path / "cache", jobs=2)
    assert [r.status for r in again] == ["cached", "failed", "cached"]


def test_a_changed_commit_is_fetched_again(tmp_path):
    url, commit = make_repo(tmp_path, "acme/faces", {"a.py": "x = 1\n"})
    cache = tmp_path / "cache"
    spec = _manifest(tmp_path, [entry("acme/faces", url, commit)]).repos[0]
    assert corpus.fetch_repo(spec, cache).status == "fetched"
    meta = corpus.meta_file(cache, spec)
    meta.write_text(json.dumps(dict(json.loads(meta.read_text()), commit="c" * 40)))
    assert corpus.fetch_repo(spec, cache).status == "fetched"


def test_leftovers_of_a_killed_fetch_are_removed(tmp_path):
    url, commit = make_repo(tmp_path, "acme/faces", {"a.py": "x = 1\n"})
    spec = _manifest(tmp_path, [entry("acme/faces", url, commit)]).repos[0]
    stale = tmp_path / "cache" / "tmp" / "acme__faces.killed"
    (stale / ".git").mkdir(parents=True)
    assert corpus.fetch_repo(spec, tmp_path / "cache").status == "fetched"
    assert not stale.exists()


def test_submodules_are_not_fetched(tmp_path):
    from orchestrator import proc
    from tests.study.study_fakes import GIT_ENV, git

    lib_url, _ = make_repo(tmp_path, "acme/lib", {"lib.py": "secret = 1\n"})
    url, _ = make_repo(tmp_path, "acme/app", {"app.py": "x = 1\n"})
    work = tmp_path / "work" / "acme__app"
    proc.run(["git", "-c", "protocol.file.allow=always", "submodule", "add", "-q", lib_url, "vendor/lib"],
             cwd=str(work), timeout=60, env=GIT_ENV)
    git(["commit", "-q", "-m", "add submodule"], work)
    commit = git(["rev-parse", "HEAD"], work)
    git(["push", "-q", url.removeprefix("file://"), "main"], work)
    spec = _manifest(tmp_path, [entry("acme/app", url, commit)]).repos[0]
    res = corpus.fetch_repo(spec, tmp_path / "cache")
    assert res.ok, res.error
    assert (Path(res.path) / ".gitmodules").exists()
    assert not (Path(res.path) / "vendor" / "lib" / "lib.py").exists()
