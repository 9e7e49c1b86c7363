"""A plain deep-learning repository (digits, no people data): its constructs are found, and the
text report shows nothing above info (issue 21's control)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from orchestrator.cli.main import main

TRAIN = '''"""Digit classifier: split, early stopping, then pruning."""
import tensorflow as tf
from sklearn.model_selection import train_test_split
from torch.nn.utils import prune

from model import build

(x, y), _ = tf.keras.datasets.mnist.load_data()
x_train, x_val, y_train, y_val = train_test_split(x, y, test_size=0.1)
net = build()
stop = tf.keras.callbacks.EarlyStopping(monitor="val_accuracy", patience=3)
net.fit(x_train, y_train, validation_data=(x_val, y_val), callbacks=[stop])
for layer in (net.conv1, net.conv2, net.fc):
    prune.l1_unstructured(layer, name="weight", amount=0.4)
'''

MODEL = '''import torchvision


def build():
    return torchvision.models.resnet18(pretrained=True)
'''


@pytest.fixture(scope="module")
def control(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("control") / "digits"
    root.mkdir()
    (root / "train.py").write_text(TRAIN)
    (root / "model.py").write_text(MODEL)
    return root


def _scan(root: Path, *args: str) -> str:
    done = CliRunner().invoke(main, ["scan", str(root), "--jobs", "1", "--no-cache", *args])
    assert done.exit_code == 0, done.output
    return done.output


def test_the_constructs_are_found_and_all_info(control):
    findings = json.loads(_scan(control, "--format", "json"))["findings"]
    assert {"DP11", "TR02", "CM01"} <= {f["bias_pattern"] for f in findings}
    assert {f["severity"] for f in findings} == {"info"}


@pytest.mark.parametrize("fmt", ["text", "concise", "github"])
def test_text_reports_show_nothing_above_info(control, fmt):
    text = _scan(control, "--format", fmt)
    for level in ("CRITICAL", "HIGH", "MEDIUM", "LOW"):
        assert f" {level} " not in text
    assert "info hidden" in text and "unstratified-split" not in text
    assert "unstratified-split" in _scan(control, "--format", fmt, "--show-info")
