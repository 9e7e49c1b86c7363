"""End to end: ``orchestrator.scan`` on small projects, then every output format.

The first project is the canonical L-class case (Adult data, protected columns dropped before
the split, accuracy only); the second adds a Fairlearn MetricFrame, which must sanitize the
repository-level findings and lower the others.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import jsonschema
import pytest

from orchestrator import scan
from orchestrator.config import ScanConfig
from orchestrator.formats import OutputFormat, get_formatter
from orchestrator.rules import resources

pytestmark = pytest.mark.slow

PREP = """import pandas as pd
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score
from sklearn.model_selection import train_test_split

df = pd.read_csv("adult.csv")
df = df.dropna()
X = df.drop(columns=["income", "sex", "race"])
y = df["income"]
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2)
clf = LogisticRegression().fit(X_train, y_train)
print(accuracy_score(y_test, clf.predict(X_test)))
"""

EVALUATE = """from fairlearn.metrics import MetricFrame
from sklearn.metrics import accuracy_score


def report(y_true, y_pred, groups):
    return MetricFrame(metrics=accuracy_score, y_true=y_true, y_pred=y_pred, sensitive_features=groups)
"""


def _project(root: Path, with_group_metric: bool) -> Path:
    (root / "pkg").mkdir(parents=True)
    (root / "pkg" / "__init__.py").write_text("")
    (root / "pkg" / "prep.py").write_text(PREP)
    if with_group_metric:
        (root / "pkg" / "evaluate.py").write_text(EVALUATE)
    return root


def _scan(root: Path):
    return scan(str(root), ScanConfig(use_cache=False, jobs=1))


@pytest.fixture(scope="module")
def unaware(tmp_path_factory):
    return _scan(_project(tmp_path_factory.mktemp("unaware"), with_group_metric=False))


@pytest.fixture(scope="module")
def evaluated(tmp_path_factory):
    return _scan(_project(tmp_path_factory.mktemp("evaluated"), with_group_metric=True))


def _by_rule(result):
    return {f.rule_id: f for f in result.findings}


def test_repository_level_findings_point_at_their_evidence(unaware):
    found = _by_rule(unaware)
    ev01 = found["aggregate-only-evaluation"]
    assert (ev01.path, ev01.start_line, ev01.bias_pattern) == ("pkg/prep.py", 12, "EV01")
    assert ev01.repository_level and ev01.confidence == "LOW"
    assert "aggregate-metric pkg/prep.py:12" in ev01.evidence and "pkg/prep.py:8" in ev01.message
    dp13 = found["fairness-through-unawareness"]
    assert dp13.start_line == 8 and "'race', 'sex'" in dp13.message
    dp15 = found["protected-attribute-discarded-before-split"]
    assert dp15.start_line == 8 and "split at pkg/prep.py:10" in dp15.message
    assert not any(f.rule_id.startswith("evidence-") for f in unaware.findings), "evidence is never reported"


def test_scores_explain_themselves(unaware):
    dropna = _by_rule(unaware)["missing-rows-dropped"]
    names = [x.name for x in dropna.score_factors]
    assert names[:3] == ["likelihood-x-impact", "confidence", "people-data"]
    assert "high-stakes-dataset" in names and "library-code" in names
    assert dropna.score == round(sum(x.value for x in dropna.score_factors), 1)


def test_a_group_metric_sanitizes_and_lowers(unaware, evaluated):
    assert not [f for f in evaluated.findings if f.repository_level]
    before = _by_rule(unaware)["missing-rows-dropped"]
    after = _by_rule(evaluated)["missing-rows-dropped"]
    assert "sanitizers" in {x.name for x in after.score_factors}
    assert after.score < before.score


@pytest.mark.parametrize("fmt", list(OutputFormat), ids=lambda f: f.value)
def test_every_format_renders_a_real_scan(fmt, unaware, shared_dir):
    text = get_formatter(fmt.value).render(unaware)
    if fmt is OutputFormat.JSON:
        schema = json.loads(resources.schema_file("scan-result.schema.json").read_text(encoding="utf-8"))
        jsonschema.validate(json.loads(text), schema)
    elif fmt is OutputFormat.SARIF:
        schema = json.loads((shared_dir / "schemas" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
        jsonschema.Draft4Validator(schema).validate(json.loads(text))
    elif fmt is OutputFormat.CSV:
        rows = list(csv.DictReader(io.StringIO(text)))
        assert len(rows) == len(unaware.findings)
    elif fmt is OutputFormat.TEXT:
        assert "EV01 aggregate-only-evaluation" in text  # the ruff-style header (issue 22)
        assert "repository-level: decided over the whole scanned tree" in text
    assert text.endswith("\n")
