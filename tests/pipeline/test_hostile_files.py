"""One bad file never sinks a run (issue 19 D1) and skip reasons say what is wrong."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from orchestrator.cli.main import main
from orchestrator.model import Skipped
from orchestrator.pipeline import discovery

GOOD = "import pandas as pd\ndf = pd.read_csv('adult.csv')\ndf = df.dropna()\n"

HOSTILE = {
    "deep.ipynb": ('{"cells":' + "[" * 1000 + "]" * 1000 + ',"nbformat":4,"nbformat_minor":5,"metadata":{}}',
                   "broken notebook", "nested too deeply"),
    "bigint.ipynb": ('{"cells":[],"nbformat":4,"metadata":{"x":' + "9" * 5000 + "}}",
                     "broken notebook", "invalid notebook JSON"),
    "surrogate.ipynb": ('{"cells":[{"cell_type":"code","metadata":{},"outputs":[],'
                        '"source":["x = \\"\\ud800\\"\\n"]}],"nbformat":4,"metadata":{}}',
                        "broken notebook", "lone surrogate"),
    "nb3.ipynb": ('{"nbformat":3,"metadata":{},"worksheets":[{"cells":5}]}',
                  "broken notebook", "'cells' is not a list"),
    "utf7.py": (b"# coding: utf-7\nx = '+2AA-'\n", "undecodable text", "lone surrogate"),
    "utf16.py": ("x = 1\n".encode("utf-16"), "UTF-16 text (not read: Python source and notebooks are UTF-8)", ""),
    "r.ipynb": (json.dumps({"cells": [{"cell_type": "code", "metadata": {}, "outputs": [], "source": ["x <- 1"]}],
                            "metadata": {"kernelspec": {"name": "ir", "language": "R"}}, "nbformat": 4}),
                "not a Python notebook", "language: r"),
}


def build(root: Path) -> str:
    """The hostile files, a symlink loop, a path over 4,096 bytes and one good file."""
    root.mkdir()
    for name, (data, _, _) in HOSTILE.items():
        (root / name).write_bytes(data if isinstance(data, bytes) else data.encode())
    (root / "good.py").write_text(GOOD)
    os.symlink("loop2.py", root / "loop1.py")
    os.symlink("loop1.py", root / "loop2.py")
    here = os.getcwd()
    try:
        os.chdir(root)
        for _ in range(22):  # 22 x 201 bytes: over PATH_MAX, built one folder at a time
            os.mkdir("d" * 200)
            os.chdir("d" * 200)
        Path("long.py").write_text(GOOD)
    finally:
        os.chdir(here)
    return "d" * 200


def test_each_bad_file_is_skipped_with_its_reason(tmp_path):
    long_dir = build(tmp_path / "t")
    found = discovery.discover(tmp_path / "t")
    skipped = {s.path: s for s in found.skipped}
    for f in found.files:
        item = discovery.load(f)
        if isinstance(item, Skipped):
            skipped[item.path] = item
    for name, (_, reason, detail) in HOSTILE.items():
        assert skipped[name].reason == reason, (name, skipped[name])
        assert detail in skipped[name].detail, (name, skipped[name])
    assert skipped["loop1.py"].reason == skipped["loop2.py"].reason == "symlink loop"
    long_entries = [s for p, s in skipped.items() if p.startswith(long_dir)]
    assert [s.reason for s in long_entries] == ["path too long"]
    assert "good.py" in {f.rel for f in found.files}


@pytest.mark.parametrize("command", [["scan", "--engine", "semgrep", "--format", "json"], ["gate", "--format", "json"],
                                     ["baseline", "-o", "{out}"]])
def test_the_run_goes_on(tmp_path, command):
    build(tmp_path / "t")
    out = tmp_path / "out.json"
    args = [a.replace("{out}", str(out)) for a in command]
    res = CliRunner().invoke(main, [args[0], str(tmp_path / "t"), *args[1:]])
    assert res.exit_code in (0, 1), (res.exit_code, res.stderr, res.exception)
    if args[0] == "baseline":
        assert json.loads(out.read_text())["findings"]
        return
    report = json.loads(res.stdout)
    assert any(f["path"] == "good.py" for f in report["findings"])
    reasons = {s["path"]: s["reason"] for s in report["skipped"]}
    assert all(name in reasons for name in HOSTILE)


def test_scanning_one_file_does_not_walk_its_folder(tmp_path, monkeypatch):
    (tmp_path / "a.py").write_text(GOOD)
    (tmp_path / "broken.ipynb").write_text("{oops")
    (tmp_path / "node_modules").mkdir()
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.py").write_text(GOOD)

    def no_walk(*args, **kwargs):
        raise AssertionError("the folder of a single file was walked")

    monkeypatch.setattr(discovery, "_walk", no_walk)
    found = discovery.discover(tmp_path / "a.py")
    assert [f.rel for f in found.files] == ["a.py"] and found.skipped == ()
    assert [s.reason for s in discovery.discover(tmp_path / "broken.ipynb").skipped] == []


def test_a_folder_name_the_system_cannot_stat_is_no_virtual_environment(tmp_path):
    from orchestrator.pipeline.discovery import _is_venv

    assert _is_venv(tmp_path / ("d" * 300)) is False  # ENAMETOOLONG, not a crash
