"""Walking the tree and reading files: what is scanned, what is skipped and why."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest

from orchestrator.model import Skipped
from orchestrator.pipeline import discovery
from orchestrator.pipeline.discovery import Loaded


def write(root: Path, rel: str, data: str | bytes = "x = 1\n") -> Path:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, bytes):
        path.write_bytes(data)
    else:
        path.write_text(data, encoding="utf-8")
    return path


def rels(found: discovery.Discovery) -> list[str]:
    return [f.rel for f in found.files]


def reasons(found: discovery.Discovery) -> dict[str, str]:
    return {s.path: s.reason for s in found.skipped}


def test_walks_python_and_notebooks_only(tmp_path):
    write(tmp_path, "a.py")
    write(tmp_path, "pkg/b.py")
    write(tmp_path, "nb/c.ipynb", "{}")
    write(tmp_path, "README.md", "# x")
    write(tmp_path, "data.csv", "a,b")
    found = discovery.discover(tmp_path)
    assert rels(found) == ["a.py", "nb/c.ipynb", "pkg/b.py"]
    assert [f.kind for f in found.files] == ["python", "notebook", "python"]
    assert found.skipped == ()


def test_excluded_folders(tmp_path):
    write(tmp_path, "keep.py")
    for rel in (".git/hooks/x.py", "__pycache__/y.py", ".tox/z.py"):
        write(tmp_path, rel)
    write(tmp_path, "node_modules/pkg/setup.py")
    write(tmp_path, "nb/.ipynb_checkpoints/explore-checkpoint.ipynb", "{}")
    write(tmp_path, "env/pyvenv.cfg", "home = /usr")
    write(tmp_path, "env/lib/site.py")
    write(tmp_path, ".venv/lib/other.py")
    found = discovery.discover(tmp_path)
    assert rels(found) == ["keep.py"]
    assert reasons(found) == {
        ".venv/": "virtual environment",
        "env/": "virtual environment",
        "nb/.ipynb_checkpoints/": "notebook checkpoint copies (.ipynb_checkpoints)",
        "node_modules/": "dependency folder (node_modules)",
    }


def test_user_excludes_and_only_paths(tmp_path):
    for rel in ("a.py", "tests/t.py", "src/m.py", "src/gen/g.py"):
        write(tmp_path, rel)
    assert rels(discovery.discover(tmp_path, exclude=("tests/", "**/gen"))) == ["a.py", "src/m.py"]
    assert rels(discovery.discover(tmp_path, only_paths=("src/m.py", "missing.py"))) == ["src/m.py"]


def test_symlinks_outside_are_refused_inside_counted_once(tmp_path):
    outside = tmp_path / "outside"
    root = tmp_path / "root"
    write(outside, "secret.py")
    write(root, "real.py")
    os.symlink(outside / "secret.py", root / "leak.py")
    os.symlink(outside, root / "leakdir")
    os.symlink(root / "real.py", root / "alias.py")
    (root / "sub").mkdir()
    os.symlink(root, root / "sub" / "loop")
    os.symlink(root / "gone.py", root / "broken.py")
    found = discovery.discover(root)
    assert rels(found) == ["real.py"]
    assert reasons(found) == {
        "broken.py": "broken symlink",
        "leak.py": "symlink pointing outside the scanned root (not followed)",
        "leakdir/": "symlink pointing outside the scanned root (not followed)",
    }


def test_link_to_a_file_in_an_unwalked_folder_is_scanned_at_the_link(tmp_path):
    write(tmp_path, "node_modules/tool.py")
    os.symlink(tmp_path / "node_modules" / "tool.py", tmp_path / "tool.py")
    assert rels(discovery.discover(tmp_path)) == ["tool.py"]


def test_huge_files_and_special_files(tmp_path):
    write(tmp_path, "big.py", "x = 1\n" * 100)
    write(tmp_path, "small.py")
    os.mkfifo(tmp_path / "pipe.py")
    found = discovery.discover(tmp_path, max_file_bytes=100)
    assert rels(found) == ["small.py"]
    assert reasons(found) == {"big.py": "file too large", "pipe.py": "not a regular file"}
    assert found.skipped[0].detail == "600 bytes > 100 (max_file_bytes)"


def test_notebooks_may_be_larger_than_their_code(tmp_path):
    outputs = [{"output_type": "display_data", "data": {"image/png": "A" * 3000}}]
    cell = {"cell_type": "code", "source": "x = 1", "outputs": outputs, "metadata": {}}
    write(tmp_path, "plots.ipynb", json.dumps({"cells": [cell]}))
    write(tmp_path, "huge.ipynb", json.dumps({"cells": [cell] * 40}))
    found = discovery.discover(tmp_path, max_file_bytes=1000)
    assert rels(found) == ["plots.ipynb"]  # 3 KB of outputs, 6 bytes of code
    assert reasons(found) == {"huge.ipynb": "file too large"}
    assert isinstance(discovery.load(found.files[0], max_code_bytes=1000), Loaded)
    write(tmp_path, "code.ipynb", json.dumps({"cells": [{"cell_type": "code", "source": "x = 1\n" * 300}]}))
    (f,) = [f for f in discovery.discover(tmp_path, max_file_bytes=1000).files if f.rel == "code.ipynb"]
    assert discovery.load(f, max_code_bytes=1000) == Skipped(
        "code.ipynb", "file too large", "1801 bytes of code > 1000 (max_file_bytes)")


def test_hostile_names_are_listed_verbatim(tmp_path):
    names = ["with space.py", "-rf.py", "--config=x.py", "ünï.py", "<script>alert(1)</script>.py"]
    escaped = {"new\nline.py": "new\\nline.py", "red\x1b[31m.py": "red\\x1b[31m.py",
               "evil\u202eyp.py": "evil\\u202eyp.py"}
    for name in names + list(escaped):
        write(tmp_path, name)
    bad = os.fsencode(tmp_path) + b"/bad\xffname.py"
    with open(bad, "wb") as fh:
        fh.write(b"x = 1\n")
    found = discovery.discover(tmp_path)
    # Verbatim, except what could garble a terminal or a report: shown escaped.
    assert sorted(rels(found)) == sorted(names + list(escaped.values()) + ["bad\\xffname.py"])
    assert all(isinstance(discovery.load(f), Loaded) for f in found.files)


def test_missing_target_and_single_file(tmp_path):
    with pytest.raises(discovery.DiscoveryError, match="path does not exist"):
        discovery.discover(tmp_path / "nope")
    write(tmp_path, "one.py")
    write(tmp_path, "two.py")
    found = discovery.discover(tmp_path / "one.py")
    assert found.root == tmp_path.resolve() and rels(found) == ["one.py"]
    write(tmp_path, "notes.md", "# notes")
    assert reasons(discovery.discover(tmp_path / "notes.md")) == {
        "notes.md": "not a Python file or notebook (.py, .ipynb)"}


def test_empty_tree(tmp_path):
    found = discovery.discover(tmp_path)
    assert found.files == () and found.skipped == ()


def load_one(tmp_path: Path, rel: str, data: str | bytes):
    write(tmp_path, rel, data)
    (f,) = [f for f in discovery.discover(tmp_path).files if f.rel == rel]
    return discovery.load(f)


@pytest.mark.parametrize("rel, data, reason, detail", [
    ("bin.py", b"x = 1\n\x00\x01\x02", "binary file (contains NUL bytes)", ""),
    ("bad.py", b"x = '\xff\xfe'\n", "undecodable text", "not valid utf-8: invalid start byte at byte 5"),
    ("cookie.py", b"# -*- coding: nope -*-\nx = 1\n", "undecodable text", "unknown encoding: nope"),
    ("broken.ipynb", "{oops", "broken notebook", "invalid notebook JSON: Expecting property name"),
])
def test_unreadable_contents_are_skipped_with_reason(tmp_path, rel, data, reason, detail):
    result = load_one(tmp_path, rel, data)
    assert isinstance(result, Skipped)
    assert (result.path, result.reason) == (rel, reason)
    assert result.detail.startswith(detail)


def test_unreadable_file(tmp_path, monkeypatch):
    write(tmp_path, "locked.py")
    (f,) = discovery.discover(tmp_path).files

    def deny(path):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(discovery, "read_bytes", deny)
    assert discovery.load(f) == Skipped("locked.py", "unreadable file", "Permission denied")


def test_coding_cookie_and_bom_are_honoured(tmp_path):
    latin = load_one(tmp_path, "latin.py", "# -*- coding: latin-1 -*-\nname = 'José'\n".encode("latin-1"))
    bom = load_one(tmp_path, "bom.py", b"\xef\xbb\xbfx = 1\n")
    assert "José" in latin.text
    assert bom.text == "x = 1\n"


def test_copies_share_a_digest_and_notebooks_are_extracted(tmp_path):
    a = load_one(tmp_path, "a.py", "df.dropna()\n")
    b = load_one(tmp_path, "vendor/a.py", "df.dropna()\n")
    c = load_one(tmp_path, "c.py", "df.dropna() \n")
    assert a.digest == b.digest != c.digest
    nb = load_one(tmp_path, "n.ipynb", json.dumps({"cells": [{"cell_type": "code", "source": "%pwd\ny = 2"}]}))
    assert nb.text == "pass\ny = 2\n" and nb.notebook.code_cells == 1


def test_syntax_errors_are_reported_not_raised():
    assert discovery.syntax_error("x = 1\n") is None
    assert discovery.syntax_error("def f(:\n    pass\n").startswith("line 1: ")


def test_an_unchanged_settled_file_is_not_read_again_and_a_changed_one_is(tmp_path, monkeypatch):
    """``load_known`` answers an unchanged file from memory (a history walk reads the same 300
    files every commit); any change of inode, size or times reads it again."""
    monkeypatch.setattr(discovery, "RACY_SECONDS", 0)  # settled at once (the test waits a tick instead)
    path = tmp_path / "prep.py"
    path.write_text("df = df.dropna()\n")
    time.sleep(0.05)
    reads = []
    real = discovery.load
    monkeypatch.setattr(discovery, "load", lambda f, n=0: reads.append(f.rel) or real(f, n))
    source = discovery.SourceFile(path, "prep.py", "python", path.stat().st_size)
    first = discovery.load_known(source)
    again = discovery.load_known(discovery.SourceFile(path, "prep.py", "python", path.stat().st_size))
    assert reads == ["prep.py"] and again == first
    path.write_text("df = df.fillna()\n")  # same size, new content
    time.sleep(0.05)
    changed = discovery.load_known(source)
    assert reads == ["prep.py", "prep.py"] and "fillna" in changed.text and changed.digest != first.digest


def test_a_file_changed_within_the_racy_window_is_always_read(tmp_path, monkeypatch):
    """A rewrite within one timestamp tick keeps the file's whole identity (same inode, size and
    times): a file that recent is never answered from memory. Simulated with a stat that gives
    both versions one identity, as a coarse clock does."""
    path = tmp_path / "prep.py"
    now = time.time_ns()
    same = type("Stat", (), {"st_dev": 7, "st_ino": 42, "st_size": 17, "st_mtime_ns": now, "st_ctime_ns": now})
    real_stat = os.stat
    monkeypatch.setattr(discovery.os, "stat", lambda p, *a, **k: same if str(p) == str(path) else real_stat(p, *a, **k))
    source = discovery.SourceFile(path, "prep.py", "python", 17)
    texts = []
    for text in ("df = df.dropna()\n", "df = df.fillna()\n", "df = df.dropna()\n"):
        path.write_text(text)
        texts.append(discovery.load_known(source).text)
    assert texts == ["df = df.dropna()\n", "df = df.fillna()\n", "df = df.dropna()\n"]
