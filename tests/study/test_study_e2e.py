"""Done-when test of issue 26, end to end through `fairlint study` and the real scan pipeline:
a corpus with a missing-blob repository, a duplicate URL, a non-GitHub repository served from a
file:// URL, one given as a local path, a Python 2 file, a notebook and a fork whose lines moved."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from orchestrator.cli.main import main
from tests.study.study_fakes import git, make_repo, write_manifest

TRAIN = ("import torch\nimport pandas as pd\nfrom torchvision.datasets import CelebA\n\n"
         "faces = CelebA(root='data')\ndf = pd.read_csv('people.csv')\ndf = df.dropna()\n"
         "X = df[['age', 'gender', 'income']]\nfeatures = X.to_numpy()\n")  # X is used: a feature matrix
NOTEBOOK = {"cells": [{"cell_type": "markdown", "metadata": {}, "source": ["# analysis"]},
                      {"cell_type": "code", "metadata": {}, "execution_count": 1, "outputs": [],
                       "source": ["import pandas as pd\n", "scores = pd.read_csv('scores.csv')\n",
                                  "scores = scores.dropna()\n"]}],
            "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
PY2 = 'import torch\nprint "training"\nx = torch.ones(3)\n'
PRUNE = ("import torch\nimport torch.nn.utils.prune as prune\n\nmodel = torch.nn.Linear(3, 1)\n"
         "prune.l1_unstructured(model, 'weight', amount=0.5)\n")


def _run(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


@pytest.fixture()
def corpus_entries(tmp_path):
    up = make_repo(tmp_path, "acme/faces", {"train.py": TRAIN, "analysis.ipynb": json.dumps(NOTEBOOK), "legacy.py": PY2})
    fork = make_repo(tmp_path, "zed/faces-fork", {"train.py": "# my fork\n" + TRAIN, "README.md": "fork\n"})
    broken = make_repo(tmp_path, "acme/broken", {"model.py": PRUNE, "weights/model.bin": "W" * 2000})
    bare = Path(broken[0].removeprefix("file://"))
    blob = git(["rev-parse", f"{broken[1]}:weights/model.bin"], bare)
    (bare / "objects" / blob[:2] / blob[2:]).unlink()  # the host lost this blob
    gitea = make_repo(tmp_path, "uni/gitea-digits", {"digits.py": "import torch\nprint(torch.ones(3))\n"})
    return [
        {"name": "acme/faces", "url": up[0], "commit": up[1]},  # minimal: frameworks and people data detected
        {"name": "zed/faces-fork", "url": fork[0].removeprefix("file://"), "commit": fork[1]},  # a local path
        {"name": "acme/broken", "url": broken[0], "commit": broken[1], "people_data": False},
        {"name": "uni/gitea-digits", "url": gitea[0], "commit": gitea[1], "people_data": False, "domain": "digits"},
        {"name": "gone/missing", "url": (tmp_path / "nowhere.git").as_uri(), "commit": "c" * 40},
    ]


@pytest.mark.slow
def test_a_study_a_researcher_can_publish(tmp_path, corpus_entries):
    # a duplicate URL (another spelling of the same repository) is refused, naming both entries
    dup = write_manifest(tmp_path / "dup.yaml", corpus_entries + [
        {"name": "other/faces", "url": corpus_entries[0]["url"] + "/", "commit": "d" * 40}])
    res = _run("corpus", "validate", "--manifest", dup)
    assert res.exit_code == 2
    assert "repos[5] (other/faces): url" in res.stderr and "listed twice (also repos[0] (acme/faces))" in res.stderr

    manifest = write_manifest(tmp_path / "m.yaml", corpus_entries)
    out = tmp_path / "out"
    res = _run("study", "--manifest", manifest, "--cache", tmp_path / "cache", "--out", out, "--no-progress")
    assert res.exit_code == 1  # one repository failed to fetch; everything else is written
    assert "fetch_failed: gone/missing" in res.stderr and "4/5 repositories scanned" in res.stdout

    repos = pd.read_csv(out / "repos.csv").set_index("repo")
    assert list(repos["status"]) == ["ok", "ok", "ok", "ok", "fetch_failed"]
    # partial snapshot: scanned from the blobs that exist, the absent file listed
    broken = repos.loc["acme/broken"]
    # (its pruning finding is `info`: the manifest says the repository holds no people data)
    assert (broken["absent_files"], broken["absent_paths"], broken["findings"], broken["risk_findings"]) \
        == (1, "weights/model.bin", 1, 0)
    # the Python 2 file: one file analysed partially (not two), with its reason
    faces = repos.loc["acme/faces"]
    assert (faces["skipped_files"], faces["partial_files"]) == (0, 1)
    assert faces["skip_reasons"] == "Python 2 syntax (analysed partially): 1"
    # detection where the manifest is silent; the manifest's word where it speaks
    assert (faces["frameworks"], bool(faces["people_data"]), faces["people_data_source"]) == ("pytorch", True, "detected")
    assert "face-dataset-with-demographic-skew" in faces["people_evidence"]
    assert (bool(repos.loc["uni/gitea-digits", "people_data"]), repos.loc["uni/gitea-digits", "people_data_source"]) \
        == (False, "manifest")
    assert (repos.loc[["acme/faces", "acme/broken"], "lines_of_code"] > 0).all()

    findings = pd.read_parquet(out / "findings.parquet")
    for column in ("cell_index", "cell_line", "severity", "score", "is_copy", "counted_by_fingerprint", "risk"):
        assert column in findings.columns
    nb = findings[findings["path"] == "analysis.ipynb"].iloc[0]
    assert (nb["rule_id"], nb["cell_index"], nb["cell_line"]) == ("missing-rows-dropped", 1, 3)
    # the fork's lines moved: content dedup keeps its rows, fingerprint dedup counts them once
    fork = findings[findings["repo"] == "zed/faces-fork"]
    assert len(fork) == 3 and fork["counted"].all() and not fork["counted_by_fingerprint"].any()

    prev = pd.read_csv(out / "prevalence.csv")
    everyone = prev[prev["group_kind"] == "all"].set_index("bias_pattern")
    assert len(everyone) >= 40 and everyone.loc["TR01", "repos_with_pattern"] == 0  # 0 rows for unseen patterns
    dp01 = everyone.loc["DP01"]
    assert (dp01["repos_in_group"], dp01["repos_with_pattern"], dp01["repos_with_pattern_by_fingerprint"]) == (4, 2, 1)
    assert dp01["ci95_low"] == pytest.approx(0.15, abs=1e-3) and dp01["ci95_high"] == pytest.approx(0.85, abs=1e-3)
    comparison = pd.read_csv(out / "comparison.csv").set_index("bias_pattern")
    anyp = comparison.loc["(any)"]
    assert (anyp["people_repos"], anyp["people_n"], anyp["control_repos"], anyp["control_n"]) == (2, 2, 0, 2)  # the controls' findings are `info`: no risk
    assert anyp["fisher_p"] == pytest.approx(1 / 3)  # 2 of 2 people-data repositories vs 0 of 2 controls
    assert anyp["per_kloc_difference_ci95_low"] <= anyp["per_kloc_difference"] <= anyp["per_kloc_difference_ci95_high"]

    md = (out / "study.md").read_text()
    for text in ("| DP01 | preparation | 2/4 = 0.500 [0.150, 0.850] | 1/4 |", "### Exclusions and why",
                 "Python 2 syntax (analysed partially): 1", "weights/model.bin", "gone/missing | fetch_failed",
                 "Fisher's exact test", "Rule-pack hash", "semgrep 1."):
        assert text in md, text
    assert (out / "prevalence_heatmap.svg").exists()
