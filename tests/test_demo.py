"""The bundled demo project (README: `fairlint scan demo`) shows each kind of finding.

Asserts which rule fires in which file, both through plain `semgrep --config rules/semgrep demo`
and through `fairlint scan` (which adds notebooks, repository-level findings, copies and
suppressions).
"""

from __future__ import annotations

import json
from collections import Counter

import pytest

import orchestrator
from orchestrator import proc
from orchestrator.config import ScanConfig

#: (rule id, file) pairs plain Semgrep reports on demo/ (rule ids without Semgrep's path prefix).
PLAIN = {
    ("aggregate-metric-model-selection", "credit/train_keras.py"),
    ("demographic-attribute-prediction-target", "vision/train_torch.py"),
    ("differentially-private-training", "vision/train_torch.py"),
    ("face-dataset-with-demographic-skew", "vision/train_torch.py"),
    ("features-from-personal-names", "credit/prepare.py"),
    ("gender-binarised", "credit/prepare.py"),
    ("group-blind-loss-weights", "credit/train_keras.py"),
    ("group-blind-resampling", "credit/prepare.py"),
    ("high-stakes-tabular-benchmark", "credit/prepare.py"),
    ("label-encoding-of-nominal-feature", "credit/prepare.py"),
    ("missing-rows-dropped", "credit/cleaning.py"),
    ("missing-rows-dropped", "credit/prepare.py"),
    ("missing-rows-dropped", "third_party/tabular_utils/cleaning.py"),
    ("model-pruning", "credit/train_keras.py"),
    ("model-pruning", "vision/train_torch.py"),
    ("model-quantization", "credit/train_keras.py"),
    ("model-quantization", "vision/train_torch.py"),
    ("pretrained-vision-backbone", "vision/train_torch.py"),
    ("pretrained-word-embeddings", "vision/train_torch.py"),
    ("protected-attribute-as-model-input", "vision/train_torch.py"),
    ("protected-attribute-binned", "credit/prepare.py"),
    ("protected-attribute-in-decision-logic", "credit/decide.py"),
    ("proxy-feature-as-model-input", "credit/prepare.py"),
    ("race-collapsed-to-binary", "credit/decide.py"),
    ("race-collapsed-to-binary", "credit/prepare.py"),
    ("rare-categories-collapsed", "credit/prepare.py"),
    ("score-based-feature-selection", "credit/prepare.py"),
    ("unstratified-split", "credit/prepare.py"),
    ("unstratified-split", "credit/train_keras.py"),
    ("unstratified-split", "vision/train_torch.py"),
    ("face-dataset-with-demographic-skew", "vision/faces.py"),
    ("face-identity-count-filter", "vision/faces.py"),
    ("face-detector-used-as-filter", "vision/faces.py"),
    ("demographics-inferred-from-names-or-faces", "vision/faces.py"),
    ("text-corpus-filtered-by-classifier", "text/moderation.py"),
    ("toxicity-classifier-training", "text/moderation.py"),
    ("pretrained-word-embeddings", "text/moderation.py"),
    ("pretrained-speech-recognition", "text/moderation.py"),
}
#: What fairlint adds: notebook cells (rule, file, cell index, line in cell) ...
NOTEBOOK = {
    ("high-stakes-tabular-benchmark", "notebooks/explore.ipynb", 2, 1),
    ("missing-rows-dropped", "notebooks/explore.ipynb", 4, 2),
    ("gender-binarised", "notebooks/explore.ipynb", 4, 3),
    ("protected-attribute-in-decision-logic", "notebooks/explore.ipynb", 5, 4),
}
#: ... and repository-level findings decided from evidence.
REPOSITORY = {
    ("aggregate-only-evaluation", "EV01"),
    ("fairness-through-unawareness", "DP13"),
    ("group-blind-reweighting", "DP16"),
}
COPY = "third_party/tabular_utils/cleaning.py"


@pytest.fixture(scope="module")
def demo(repo_root):
    return repo_root / "demo"


@pytest.fixture(scope="module")
def plain(demo, repo_root, semgrep_bin, tmp_path_factory):
    out = tmp_path_factory.mktemp("demo") / "plain.json"
    proc.run([semgrep_bin, "--metrics=off", "--json", "--config", str(repo_root / "rules" / "semgrep"), "demo"],
             cwd=str(repo_root), timeout=600, stdout_path=str(out))
    return json.loads(out.read_text())


@pytest.fixture(scope="module")
def scanned(demo):
    return orchestrator.scan(demo, ScanConfig(jobs=1, use_cache=False))


def test_plain_semgrep_reports_the_expected_rules(plain):
    pairs = {(r["check_id"].rsplit(".", 1)[-1], r["path"].removeprefix("demo/")) for r in plain["results"]}
    assert pairs == PLAIN
    assert plain["errors"] == []


#: What the flow engine adds to plain Semgrep on the demo: `X = df.drop(columns=[...])` drops
#: sex and race but keeps age, which reaches the model (DP12 needs the frame's columns).
FLOW_ONLY = {("protected-attribute-as-model-input", "credit/prepare.py")}


def test_fairlint_reports_the_same_file_level_findings(scanned):
    pairs = {(f.rule_id, f.path) for f in scanned.findings if not f.cell and not f.repository_level}
    assert pairs == (PLAIN - {(r, p) for r, p in PLAIN if p == COPY}) | FLOW_ONLY  # the copy is an occurrence


def test_the_flow_engine_finding_carries_its_code_flow(scanned):
    (f,) = [f for f in scanned.findings if (f.rule_id, f.path) in FLOW_ONLY]
    assert "flow:protected-attribute-as-model-input" in f.found_by and "`age`" in f.message
    assert len(f.code_flow) >= 2 and f.code_flow[-1].start_line == f.start_line


def test_notebook_findings_name_their_cells(scanned):
    cells = {(f.rule_id, f.path, f.cell.index, f.cell.line) for f in scanned.findings if f.cell}
    assert cells == NOTEBOOK


def test_repository_level_findings_from_evidence(scanned):
    repo = {(f.rule_id, f.bias_pattern) for f in scanned.findings if f.repository_level}
    assert repo == REPOSITORY
    assert all(f.evidence for f in scanned.findings if f.repository_level)


def test_vendored_copy_is_one_finding(scanned):
    (f,) = [f for f in scanned.findings if f.path == "credit/cleaning.py"]
    assert [o.path for o in f.occurrences] == ["credit/cleaning.py", COPY]


def test_suppression_with_reason(scanned):
    (s,) = scanned.suppressions
    assert (s.path, s.ids, s.problem, len(s.suppressed)) == ("credit/prepare.py", ("DP01",), None, 1)


def test_every_stage_and_framework_is_shown(scanned):
    stages = Counter(f.stage for f in scanned.findings)
    assert set(stages) == {"dataset", "preparation", "training", "compression", "evaluation", "decision"}
    assert scanned.skipped == () and scanned.errors == ()
    assert scanned.files_scanned == 12
