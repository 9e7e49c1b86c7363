"""The flow engine on small repositories written for these tests: each idiom and its near misses.

Every case names the site that must (or must not) be reported by rule id and line, so a test
says which line fired, not only how many did.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from orchestrator.engines.flow import FlowEngine
from orchestrator.engines.interface import EngineRequest, Target
from orchestrator.rules.vocabulary import Vocabulary

DP12 = "protected-attribute-as-model-input"
DP14 = "proxy-feature-as-model-input"
TR08 = "demographic-attribute-prediction-target"
DP07 = "gender-binarised"
DP08 = "race-collapsed-to-binary"
DP04 = "protected-attribute-binned"
DP02 = "rare-categories-collapsed"


def run(tmp_path: Path, files: dict[str, str], vocab: Vocabulary | None = None):
    targets = []
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        targets.append(Target(path, name))
    return FlowEngine().run(EngineRequest(tmp_path, targets, vocab or Vocabulary.default()))


def sites(result) -> set[tuple[str, str, int]]:
    return {(m.rule_id, m.location.path, m.location.start_line) for m in result.matches}


def line_of(text: str, needle: str) -> int:
    for i, line in enumerate(textwrap.dedent(text).splitlines(), start=1):
        if needle in line:
            return i
    raise AssertionError(needle)


# ------------------------------------------------------------------ model inputs (DP12)
TABLE = """
import pandas as pd
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split

df = pd.read_csv("people.csv")
df["sex"] = df["sex"].fillna("unknown")
y = df["approved"]
X = df.drop(columns=["approved"])
X_train, X_test, y_train, y_test = train_test_split(X, y, stratify=y)
clf = LogisticRegression().fit(X_train, y_train)
"""


def test_a_frame_that_still_holds_a_protected_column_reaches_fit(tmp_path):
    result = run(tmp_path, {"train.py": TABLE})
    found = [m for m in result.matches if m.rule_id == DP12]
    assert {(m.location.start_line) for m in found} == {line_of(TABLE, "X = df.drop")}
    assert found[0].metadata["attributes"] == ["sex"]
    assert "`sex`" in found[0].message and "bias-prone, needs group-wise evaluation" in found[0].message


def test_dropping_the_protected_column_first_is_a_near_miss(tmp_path):
    text = TABLE.replace('columns=["approved"]', 'columns=["approved", "sex"]')
    assert not [m for m in run(tmp_path, {"train.py": text}).matches if m.rule_id == DP12]


def test_a_known_dataset_carries_its_schema_without_naming_a_column(tmp_path):
    text = """
    import pandas as pd
    from sklearn.ensemble import RandomForestClassifier

    def load(path):
        frame = pd.read_csv(path + "/adult.data", header=None)
        return frame.iloc[:, :-1].values, frame.iloc[:, -1].values

    features, labels = load("data")
    model = RandomForestClassifier()
    model.fit(features, labels)
    """
    found = [m for m in run(tmp_path, {"train.py": text}).matches if m.rule_id == DP12]
    assert [m.location.start_line for m in found] == [line_of(text, "model.fit(")]
    assert {"sex", "race", "age"} <= set(found[0].metadata["attributes"])
    assert [loc.start_line for loc in found[0].code_flow][0] == line_of(text, "adult.data")


def test_flows_across_modules_through_returns_and_parameters(tmp_path):
    data = """
    import pandas as pd

    def load_table(path):
        df = pd.read_csv(path, usecols=["income", "age", "hours"])
        return df[["age", "hours"]].values, df["income"].values
    """
    train = """
    import torch
    from data import load_table

    def fit_model(model, inputs, targets):
        loader = torch.utils.data.TensorDataset(torch.tensor(inputs), torch.tensor(targets))
        return loader

    X, y = load_table("t.csv")
    fit_model(None, X, y)
    """
    result = run(tmp_path, {"data.py": data, "train.py": train})
    found = [m for m in result.matches if m.rule_id == DP12]
    assert [(m.location.path, m.location.start_line) for m in found] == [("train.py", line_of(train, "TensorDataset"))]
    assert {loc.path for loc in found[0].code_flow} == {"data.py", "train.py"}


def test_attributes_handed_to_fairness_apis_are_not_model_inputs(tmp_path):
    text = """
    import pandas as pd
    from fairlearn.reductions import ExponentiatedGradient, DemographicParity
    from sklearn.preprocessing import StandardScaler

    df = pd.read_csv("people.csv")
    A = df["race"]
    X = df[["income", "tenure"]]
    y = df["label"]
    mitigator = ExponentiatedGradient(None, DemographicParity())
    mitigator.fit(X, y, sensitive_features=A)
    scaler = StandardScaler()
    scaler.fit(df[["income", "race"]])
    """
    assert not [m for m in run(tmp_path, {"fair.py": text}).matches if m.rule_id in (DP12, TR08)]


def test_a_tensor_built_from_named_attributes_and_other_data(tmp_path):
    text = """
    import torch

    def features(name, pixels):
        age, gender, race, _ = name.split("_")
        meta = torch.tensor([float(age), float(gender), pixels.mean()])
        return meta
    """
    found = sites(run(tmp_path, {"faces.py": text}))
    assert (DP12, "faces.py", line_of(text, "torch.tensor")) in found


def test_test_split_conversions_and_class_weights_are_not_reported_twice(tmp_path):
    text = """
    import torch
    import pandas as pd

    df = pd.read_csv("people.csv")
    X_train = df[["age", "income"]].values
    X_test = df[["age", "income"]].values
    train_t = torch.tensor(X_train)
    test_t = torch.tensor(X_test)
    data = torch.utils.data.TensorDataset(train_t)
    loss = torch.nn.CrossEntropyLoss(weight=torch.tensor(X_train.sum(0)))
    """
    lines = {m.location.start_line for m in run(tmp_path, {"t.py": text}).matches if m.rule_id == DP12}
    assert lines == {line_of(text, "X_train = df")}


# ------------------------------------------------------------------ targets (TR08)
def test_an_attribute_as_the_training_target(tmp_path):
    text = """
    import pandas as pd
    from sklearn.svm import SVC

    df = pd.read_csv("faces.csv")
    X = df[["pixel_mean", "pixel_std"]]
    labels_gender = df["gender"]
    SVC().fit(X, labels_gender)
    group = df["gender"]
    """
    found = sites(run(tmp_path, {"t.py": text}))
    assert (TR08, "t.py", line_of(text, "labels_gender = df")) in found
    assert (TR08, "t.py", line_of(text, "SVC().fit")) not in found  # one finding for the fact
    assert (TR08, "t.py", line_of(text, "group = df")) not in found


def test_a_loss_whose_labels_are_an_attribute(tmp_path):
    text = """
    import tensorflow as tf

    def losses(age_labels, logits):
        return tf.nn.sparse_softmax_cross_entropy_with_logits(labels=age_labels, logits=logits)
    """
    assert (TR08, "t.py", line_of(text, "sparse_softmax")) in sites(run(tmp_path, {"t.py": text}))


def test_an_output_head_named_for_an_attribute(tmp_path):
    text = """
    import torch.nn as nn

    class Net(nn.Module):
        def __init__(self, hidden):
            super().__init__()
            self.gender_head = nn.Linear(hidden, 2)
            self.page_head = nn.Linear(hidden, 2)
    """
    found = sites(run(tmp_path, {"m.py": text}))
    assert (TR08, "m.py", line_of(text, "gender_head")) in found
    assert (DP07, "m.py", line_of(text, "gender_head")) in found
    assert not {s for s in found if s[2] == line_of(text, "page_head")}  # `page` is not `age`


# ------------------------------------------------------------------ recodings (DP07, DP08, DP04, DP02)
RECODE = """
import pandas as pd
import numpy as np

def group_race(value):
    if value == "White":
        return 1
    return 0

df = pd.read_csv("people.csv")
df["sex"] = df["sex"].map({"Female": 0, "Male": 1})
df["charge"] = df["charge"].replace({"F": 1, "M": 0})
df["race"] = df["race"].apply(lambda x: group_race(x))
df["ethnicity"] = np.where(df["ethnicity"] == "Hispanic", 1, 0)
df["age"] = pd.cut(df["age"], 5)
df["hours"] = pd.cut(df["hours"], 5)
df["marital-status"].replace(["Married-AF-spouse"], "Married", inplace=True)
df["education"].replace(["10th", "11th"], "dropout", inplace=True)
is_male = df["gender"] == "M"
older = df["age"] >= 26
codes = {"female": 0, "male": 1}
rows = df.apply(lambda row: 1 if "Caucasian" in row["race"] else 0, axis=1)
flag = df.apply(lambda row: 1 if row["score"] > 3 else 0, axis=1)
"""


@pytest.fixture(scope="module")
def recoded(tmp_path_factory):
    return sites(run(tmp_path_factory.mktemp("recode"), {"prep.py": RECODE}))


@pytest.mark.parametrize("rule,needle", [
    (DP07, 'df["sex"].map'), (DP07, 'is_male ='), (DP07, "codes ="),
    (DP08, "group_race(x)"), (DP08, "np.where"), (DP08, '"Caucasian" in'),
    (DP04, 'pd.cut(df["age"]'), (DP04, "older ="),
    (DP02, '"Married-AF-spouse"'),
])
def test_recodings_of_protected_attributes(recoded, rule, needle):
    assert (rule, "prep.py", line_of(RECODE, needle)) in recoded


@pytest.mark.parametrize("needle", ['df["charge"]', 'pd.cut(df["hours"]', '"10th"', 'row["score"]'])
def test_recodings_of_other_columns_are_near_misses(recoded, needle):
    assert not {s for s in recoded if s[2] == line_of(RECODE, needle)}


# ------------------------------------------------------------------ proxies (DP14)
def test_a_proxy_named_in_the_feature_list(tmp_path):
    text = """
    features = ["education", "relationship", "hours-per-week"]
    drop_cols = ["relationship", "zip", "education"]
    """
    found = sites(run(tmp_path, {"f.py": text}))
    assert (DP14, "f.py", line_of(text, "features =")) in found
    assert (DP14, "f.py", line_of(text, "drop_cols =")) not in found


# ------------------------------------------------------------------ robustness
def test_user_vocabulary_extends_the_sources(tmp_path):
    text = """
    import pandas as pd
    df = pd.read_csv("people.csv")
    X = df[["blood_type", "income"]]
    model.fit(X, df["label"])
    """
    assert not [m for m in run(tmp_path, {"t.py": text}).matches if m.rule_id == DP12]
    vocab = Vocabulary.default().extended(("blood type",), ())
    assert [m for m in run(tmp_path, {"t.py": text}, vocab).matches if m.rule_id == DP12]


def test_a_file_that_does_not_parse_is_skipped_with_its_reason(tmp_path):
    result = run(tmp_path, {"bad.py": "df['sex'] = (\n", "ok.py": RECODE})
    assert [(s.path, s.reason) for s in result.skipped] == [("bad.py", "flow: could not parse")]
    assert "line" in result.skipped[0].detail
    assert any(m.location.path == "ok.py" for m in result.matches)


def test_deeply_nested_code_never_sinks_the_run(tmp_path):
    deep = "x = " + "(" * 400 + "df['sex']" + ")" * 400 + "\n"
    result = run(tmp_path, {"deep.py": "import pandas\n" + deep, "ok.py": RECODE})
    assert any(m.location.path == "ok.py" for m in result.matches)
    assert all(s.path == "deep.py" for s in result.skipped)


# ------------------------------------------------------------------ evidence of per-group evaluation
EVAL = """
import numpy as np

def evaluate(preds, labels, race):
    accs = {}
    for g in np.unique(race):
        accs[g] = np.mean(preds[race == g] == labels[race == g])
    return accs

def tpr_gap(y, p, sex):
    return np.sum((sex == 1) & (y == 1) & (p == 1)) / np.sum((sex == 1) & (y == 1))

def report(y_true, y_pred, groups):
    worst_group_acc = min(per_group_scores(y_true, y_pred, groups))
    return equalized_odds_gap(y_true, y_pred, groups)

def clean(df):
    df = df[df["race"] != "Unknown"]
    return df[df["age"] > 17]

def minority_evaluate(frames, rows, white_feature_name):
    data = frames["X_test"].iloc[rows]
    return data.loc[data[white_feature_name] == 0]
"""


def test_hand_written_group_metrics_are_evidence(tmp_path):
    result = run(tmp_path, {"ev.py": EVAL})
    evidence = {(m.location.start_line, m.evidence) for m in result.matches if m.evidence}
    assert (line_of(EVAL, "for g in np.unique"), "per-group-metric") in evidence
    assert (line_of(EVAL, "return np.sum((sex"), "per-group-metric") in evidence
    assert (line_of(EVAL, "worst_group_acc ="), "per-group-metric") in evidence
    assert (line_of(EVAL, "equalized_odds_gap("), "per-group-metric") in evidence
    assert (line_of(EVAL, "data.loc[data[white_feature_name]"), "per-group-metric") in evidence
    # a row filter in data cleaning is no evaluation
    assert not {line for line, _ in evidence if line_of(EVAL, "def clean") <= line < line_of(EVAL, "def minority")}


# ------------------------------------------------------------------ known datasets (DS01, DS02)
LOADS = """
import pandas as pd
from aif360.datasets import AdultDataset

train = pd.read_csv("../data/adult/adult.data", header=None)
aif = AdultDataset()
frame = get_data_file("compas-scores-two-years")
faces = load_images("data/celeba/img_align")
train.to_csv("results/adult_predictions.csv")
log = open("runs/adult/log.txt", "w")
other = pd.read_csv("data/addresses.csv")
save_dir = "cache/celeba_split.pkl"
with open(save_dir, "rb") as f:
    cached = f.read()
labels = get_labels("fer2013")

class Faces:
    def _load_fer2013(self):
        return pd.read_csv("fer2013.csv")

    def data(self):
        return self._load_fer2013()
"""


@pytest.mark.parametrize("rule,needle", [
    ("high-stakes-tabular-benchmark", "adult.data"), ("high-stakes-tabular-benchmark", "AdultDataset()"),
    ("high-stakes-tabular-benchmark", "compas-scores"), ("face-dataset-with-demographic-skew", "celeba"),
    ("face-dataset-with-demographic-skew", 'read_csv("fer2013.csv")'),
])
def test_loads_of_known_people_datasets(tmp_path, rule, needle):
    assert (rule, "loads.py", line_of(LOADS, needle)) in sites(run(tmp_path, {"loads.py": LOADS}))


@pytest.mark.parametrize("needle", ["to_csv(", 'open("runs', "addresses.csv", "open(save_dir", "get_labels(",
                                    "return self._load_fer2013()"])
def test_written_paths_and_other_files_are_not_loads(tmp_path, needle):
    found = sites(run(tmp_path, {"loads.py": LOADS}))
    assert not {s for s in found if s[2] == line_of(LOADS, needle)}


NEAR = """
import torch
import pandas as pd
from datetime import datetime

df = pd.read_csv("people.csv")
birth = datetime.fromordinal(max(int(df["dob"].iloc[0]) - 366, 1))
capped_age = min(df["age"].iloc[0], 90)
torch_data = torch.from_numpy(df[["age", "income"]].values)
X_tab = torch.from_numpy(df[["age", "income"]].values)
df["ticket"] = df["address"].str.replace(".", "")

def train(loader, val_loader, criterion):
    for images, anns in loader:
        y_age = fetch(anns, "age_years")
    with torch.no_grad():
        for images, anns in val_loader:
            y_gender = fetch(anns, "gender_label")
"""


@pytest.mark.parametrize("rule,needle,expected", [
    (DP04, "birth =", False), (DP04, "capped_age =", True),
    (DP12, "torch_data =", False), (DP12, "X_tab =", True),
    (DP02, "str.replace", False),
    (TR08, "y_age =", True), (TR08, "y_gender =", False),
])
def test_near_misses_of_real_code(tmp_path, rule, needle, expected):
    found = sites(run(tmp_path, {"near.py": NEAR}))
    assert ((rule, "near.py", line_of(NEAR, needle)) in found) is expected


SPLITS = """
from helpers import *

a_train, a_test = train_test_split(frame, test_size=0.3, random_state=1)
b_train, b_test = train_test_split(frame, test_size=0.3, stratify=frame["label"])
c_train, c_test = dataset_orig.split([0.8], shuffle=True)
parts = "a,b".split(",")
d_train, d_val = torch.utils.data.random_split(data, [80, 20])
"""


@pytest.mark.parametrize("needle,expected", [
    ("a_train", True), ("b_train", False), ("c_train", True), ("parts =", False), ("d_train", True)])
def test_unstratified_splits_by_name(tmp_path, needle, expected):
    found = sites(run(tmp_path, {"split.py": SPLITS}))
    assert (("unstratified-split", "split.py", line_of(SPLITS, needle)) in found) is expected


GENDER = """
import numpy as np

def label_names():
    return {0: "woman", 1: "man"}

def caption(ages, genders, i):
    return "{}, {}".format(int(ages[i]), "F" if genders[i] == 0 else "M")

def encode(label_gender):
    return to_categorical(label_gender, 2)

def colours(pixels, i):
    shade = "dark" if pixels[i] == 0 else "light"
    return shade

def recode(df, status_map):
    df["sex"] = df["personal_status"].replace({"A91": 1, "A92": 0, "A93": 1})
    df["job"] = df["job"].replace({"A171": 1, "A172": 0})
    return df
"""


@pytest.mark.parametrize("needle,expected", [
    ('{0: "woman"', True), ('"F" if genders', True), ("to_categorical(label_gender, 2)", True),
    ('"dark" if', False), ('df["sex"] = df["personal_status"]', True), ('df["job"]', False)])
def test_binary_gender_codings_in_other_shapes(tmp_path, needle, expected):
    found = sites(run(tmp_path, {"g.py": GENDER}))
    assert ((DP07, "g.py", line_of(GENDER, needle)) in found) is expected


def test_plural_names_carry_the_attribute_and_whole_parts_still_hold():
    from orchestrator.engines.flow.analysis import Terms

    vocab = Vocabulary.default()
    terms = Terms(vocab.find_terms, vocab.protected_exact)
    assert terms.of("genders") == (("gender", "protected"),) and terms.of("train_ages") == (("age", "protected"),)
    assert terms.of("pages") == terms.of("images") == terms.of("messages") == terms.of("usages") == ()


SELECT = """
import argparse
parser = argparse.ArgumentParser()
parser.add_argument("--db", type=str, default="./data/imdb_crop/imdb.mat")
parser.add_argument("--out", type=str, default="./runs/")

def train(model, loader):
    best_acc, min_loss, best_worst_acc = 0, 1e9, 0
    dset = AFADDataset(root="data")
    clf = ToxicClassifier(config)
    for epoch in range(10):
        loss, acc, worst_group_acc = run_epoch(model, loader)
        if loss < min_loss:
            save(model)
        best_acc = max(best_acc, acc)
        if worst_group_acc > best_worst_acc:
            save(model)
        if epoch > 3:
            break
"""


@pytest.mark.parametrize("rule,needle,expected", [
    ("face-dataset-with-demographic-skew", "imdb_crop", True),
    ("face-dataset-with-demographic-skew", '"--out"', False),
    ("face-dataset-with-demographic-skew", "AFADDataset", True),
    ("toxicity-classifier-training", "ToxicClassifier", True),
    ("aggregate-metric-model-selection", "if loss < min_loss", True),
    ("aggregate-metric-model-selection", "best_acc = max", True),
    ("aggregate-metric-model-selection", "if worst_group_acc", False),
    ("aggregate-metric-model-selection", "if epoch > 3", False),
])
def test_datasets_toxicity_models_and_hand_written_selection(tmp_path, rule, needle, expected):
    found = sites(run(tmp_path, {"train.py": SELECT}))
    assert ((rule, "train.py", line_of(SELECT, needle)) in found) is expected


def test_a_repository_function_named_like_a_dataset_is_not_a_library_loader(tmp_path):
    data = 'import pandas as pd\n\ndef compas():\n    return pd.read_csv("compas-scores-two-years.csv")\n'
    main = "from data import compas\n\nX = compas()\n"
    found = sites(run(tmp_path, {"data.py": data, "main.py": main}))
    assert ("high-stakes-tabular-benchmark", "data.py", 4) in found
    assert not {s for s in found if s[1] == "main.py" and s[0] == "high-stakes-tabular-benchmark"}


MISSING_ROWS = """
import numpy as np
import pandas as pd

df = pd.read_csv("adult.data")
df = df.drop(df[(df["workclass"] == " ?") | (df["occupation"] == " ?")].index)
df = df.drop(df[df["hours"] > 80].index)
kept = df[df["score_text"] != "N/A"]
adults = df[df["age"] != 17]
for i in range(len(ages)):
    if np.isnan(genders[i]):
        continue
    if ages[i] > 90:
        continue
if np.isnan(total):
    total = 0
"""


@pytest.mark.parametrize("needle,expected", [
    ('== " ?"', True), ('df["hours"] > 80', False), ('"N/A"', True), ("!= 17", False),
    ("np.isnan(genders[i])", True), ("ages[i] > 90", False), ("np.isnan(total)", False)])
def test_rows_with_missing_values_deleted(tmp_path, needle, expected):
    found = sites(run(tmp_path, {"m.py": MISSING_ROWS}))
    assert (("missing-rows-dropped", "m.py", line_of(MISSING_ROWS, needle)) in found) is expected


ONE_ATTR = """
import pandas as pd
from aif360.datasets import AdultDataset

df = pd.read_csv("people.csv", usecols=["sex", "race", "income"])
pro_att_name = ["race"]
both = ["race", "sex"]
protected_cols = ["income_band"]
dataset = AdultDataset(protected_attribute_names=["race"], privileged_classes=[["White"]])
"""


@pytest.mark.parametrize("needle,expected", [
    ('pro_att_name = ["race"]', True), ('both =', False), ("protected_cols", False),
    ('AdultDataset(protected_attribute_names', True)])
def test_one_protected_attribute_evaluated_while_others_are_present(tmp_path, needle, expected):
    found = sites(run(tmp_path, {"e.py": ONE_ATTR}))
    assert (("single-protected-attribute-evaluated", "e.py", line_of(ONE_ATTR, needle)) in found) is expected


def test_the_only_attribute_a_module_knows_is_no_ev03(tmp_path):
    text = 'import pandas as pd\ndf = pd.read_csv("p.csv", usecols=["race", "income"])\nprotected = ["race"]\n'
    assert not [m for m in run(tmp_path, {"e.py": text}).matches if m.rule_id == "single-protected-attribute-evaluated"]


WEIGHTS_FACES = """
import numpy as np
import torch

def loss(inputs, target, weight):
    return torch.nn.functional.binary_cross_entropy_with_logits(inputs, target, weight=weight)

def train(counts, n, images, face_score, second_face_score, threshold, group_weights):
    class_weights = {0: n / counts[0], 1: n / counts[1]}
    loss_fn = torch.nn.BCELoss(weight=class_weights)
    fair_loss = torch.nn.BCELoss(weight=group_weights)
    plain_loss = torch.nn.BCELoss()
    weight_decay = 1e-4 * 2
    cls_weights = [0] * len(counts)
    for k in range(2):
        cls_weights[k] = 1 - counts[k] / n
    ratio_weight = counts[1] / counts[0]
    for i in range(len(images)):
        if face_score[i] < 0.75:
            continue
        if images[i].mean() < 0.1:
            continue
    face_score_mask = face_score > threshold
    bright_mask = images.mean(1) > threshold
"""


@pytest.mark.parametrize("rule,needle,expected", [
    ("group-blind-loss-weights", "class_weights = {", True),
    ("group-blind-loss-weights", "BCELoss(weight=class_weights)", True),
    ("group-blind-loss-weights", "weight=group_weights", False),
    ("group-blind-loss-weights", "plain_loss", False),
    ("group-blind-loss-weights", "weight=weight)", False),
    ("group-blind-loss-weights", "weight_decay", False),
    ("group-blind-loss-weights", "cls_weights = [0]", False),
    ("group-blind-loss-weights", "cls_weights[k] = 1", True),
    ("group-blind-loss-weights", "ratio_weight", False),
    ("face-detector-used-as-filter", "face_score[i] < 0.75", True),
    ("face-detector-used-as-filter", "images[i].mean() < 0.1", False),
    ("face-detector-used-as-filter", "face_score_mask", True),
    ("face-detector-used-as-filter", "bright_mask", False),
])
def test_label_weights_and_face_detector_filters(tmp_path, rule, needle, expected):
    found = sites(run(tmp_path, {"w.py": WEIGHTS_FACES + "\nage = 1\n"}))
    assert ((rule, "w.py", line_of(WEIGHTS_FACES, needle)) in found) is expected


def test_parameters_never_show_as_attributes_and_forwarded_weights_are_no_choice(tmp_path):
    text = """
import torch.nn.functional as F

def tidy(values):
    return values.replace(["x86"], "amd64")

class WeightedLoss:
    def forward(self, inputs, target):
        return F.nll_loss(inputs, target, weight=self.weight)
"""
    result = run(tmp_path, {"lib.py": text + "\nage = 0\n"})
    assert all(not a.startswith("#") for m in result.matches for a in m.metadata["attributes"])
    assert not [m for m in result.matches if m.rule_id in ("group-blind-loss-weights", "rare-categories-collapsed")]


HAND_SPLITS = """
import random
import numpy as np

records = load_people()
np.random.shuffle(records)
cut = int(0.75 * len(records))
rec_train = records[:cut, :]
rec_test = records[cut:, :]
order = np.random.permutation(len(records))
tr_rows, te_rows = order[:-n_hold], order[-n_hold:]
head, tail = records[:cut], records[cut:]
preview = records[:5]
n_fit = x_train.shape[0]
stacked = np.concatenate((x_train, x_test))
x_train = stacked[:n_fit]
x_test = stacked[n_fit:]
y_train, y_test = y_all[:len(old_train)], y_all[len(old_train):]
small_train = records[:1000]
pick = np.random.uniform(size=len(records)) <= 0.85
fit_part = records[pick]
hold_part = records[~pick]
held_out = records[np.logical_not(pick)]
keep = np.random.rand(len(tokens)) > 0.1
tokens = tokens[keep]
drop = np.random.rand(len(records)) < 0.3
records[drop] = 0
chosen = np.random.choice(len(records), int(len(records) * 0.8), replace=False)
hold_idx = random.sample(range(len(records)), n_valid)
batch = np.random.choice(len(records), 64, replace=False)
few = np.random.choice(len(records), int(len(records) * 0.1), replace=False)
boot = np.random.choice(len(records), int(len(records) * 0.8), replace=True)
trn_x, val_x = feats[perm[:cut]], feats[perm[cut:]]
train_frame = frame.sample(frac=0.8, random_state=0)
shuffled = frame.sample(frac=1.0)
subset_frame = frame.sample(frac=0.1)
train_np, test_np = np.split(shuffled, [int(0.8 * len(shuffled))])
left_cols, right_cols = np.split(matrix, [3], axis=1)
train_rows = [r for i, r in enumerate(records) if i % 10 != 0]
test_rows = [r for i, r in enumerate(records) if i % 10 == 0]
val_losses = [l for i, l in enumerate(losses) if i % 10 == 0]
for i, row in enumerate(records):
    if i % 7 == 0:
        eval_writer.writerow(row)
    else:
        train_writer.writerow(row)
    if i % 100 == 0:
        print(i)
    else:
        count += 1
    if i % 2 == 0:
        train_gen(row)
    else:
        train_disc(row)
"""


@pytest.mark.parametrize("needle,expected", [
    ("rec_train =", True), ("rec_test =", False), ("tr_rows, te_rows", True), ("head, tail", False),
    ("preview", False), ("x_train = stacked", False),
    ("y_train, y_test", False), ("small_train", False), ("pick = ", True), ("keep = ", False), ("drop = ", False),
    ("chosen = ", True), ("hold_idx = ", True), ("batch = ", False), ("few = ", False), ("boot = ", False),
    ("trn_x, val_x", True), ("train_frame", True), ("shuffled =", False), ("subset_frame", False),
    ("train_np, test_np", True), ("left_cols", False),
    ("train_rows =", True), ("val_losses", False), ("if i % 7", True), ("if i % 100", False),
    ("if i % 2", False)])
def test_splits_written_by_hand(tmp_path, needle, expected):
    found = sites(run(tmp_path, {"hand.py": HAND_SPLITS}))
    assert (("unstratified-split", "hand.py", line_of(HAND_SPLITS, needle)) in found) is expected


SPLIT_HELPERS = {
    "tools.py": """
def split_rows(x, y, share=0.9):
    n = int(len(x) * share)
    trn_x, trn_y = x[:n], y[:n]
    dev_x, dev_y = x[n:], y[n:]
    return trn_x, trn_y, dev_x, dev_y

def cut_rows(x, share=0.9):
    n = int(len(x) * share)
    return x[:n], x[n:]

def partition_unused(x, k):
    x_train, x_val = x[:k], x[k:]
    return x_train, x_val

def main(x):
    x_train, x_val = x[:k], x[k:]
""",
    "run.py": """
from tools import split_rows, cut_rows, main
people = load_people()
a, b, c, d = split_rows(people, labels)
first, second = cut_rows(people)
main(people)
""",
}


@pytest.mark.parametrize("path,needle,expected", [
    ("run.py", "split_rows(people", True), ("tools.py", "trn_x, trn_y", False),
    ("run.py", "cut_rows(people)", False), ("tools.py", "x_train, x_val = x[:k]", True),
    ("run.py", "main(people)", False)])
def test_split_helpers_are_reported_where_they_are_called(tmp_path, path, needle, expected):
    found = sites(run(tmp_path, SPLIT_HELPERS))
    text = SPLIT_HELPERS[path]
    hits = {line for rule, p, line in found if rule == "unstratified-split" and p == path}
    assert (line_of(text, needle) in hits) is expected


RUNNING_BEST = """
import numpy as np
import pandas as pd

def fit_epochs(model, loader):
    acc = 0
    for epoch in range(20):
        epoch_acc = run_epoch(model, loader)
        acc = max(acc, epoch_acc)
        if epoch_acc > acc:
            acc = epoch_acc
            keep = model.state_dict()
        if epoch_acc > acc:
            print(epoch_acc)
        width = max(width, len(name))
    return acc

def pick_threshold(scores, y):
    top_acc = 0
    for threshold in np.linspace(0, 1, 50):
        correct = ((scores > threshold) == y).mean()
        top_acc = max(top_acc, correct)
    return top_acc

def tune(X, y):
    alphas = np.arange(0.1, 2, 0.1)
    val_accs = [cross_val(a, X, y) for a in alphas]
    table = pd.Series(val_accs, index=alphas)
    best_alpha = table.idxmax()
    best_k = alphas[np.argmax(val_accs)]
    group_accs = [worst_group(a) for a in alphas]
    best_fair = alphas[np.argmax(group_accs)]
    probs = model.predict_proba(X)
    best_guess = np.argmax(probs)
    best_class = np.argmax(val_accs)
    return best_alpha
"""


@pytest.mark.parametrize("needle,expected", [
    ("acc = max(acc, epoch_acc)", True), ("if epoch_acc > acc:\n            acc", True),
    ("width = max", False), ("top_acc = max", False), ("best_alpha = table", True), ("best_k =", True),
    ("best_fair", False), ("best_guess", False), ("best_class", False)])
def test_running_bests_and_settings_chosen_where_a_metric_peaks(tmp_path, needle, expected):
    found = sites(run(tmp_path, {"tune.py": RUNNING_BEST}))
    if "\n" in needle:  # the first of two identical lines
        line = line_of(RUNNING_BEST, needle.split("\n")[0])
    else:
        line = line_of(RUNNING_BEST, needle)
    assert (("aggregate-metric-model-selection", "tune.py", line) in found) is expected


def test_a_comparison_that_keeps_nothing_is_no_selection(tmp_path):
    found = sites(run(tmp_path, {"tune.py": RUNNING_BEST}))
    lines = [i for i, l in enumerate(textwrap.dedent(RUNNING_BEST).splitlines(), 1) if "if epoch_acc > acc" in l]
    assert ("aggregate-metric-model-selection", "tune.py", lines[1]) not in found


LOSS_WEIGHTS = """
import numpy as np
import torch
import torch.nn.functional as F
from sklearn.linear_model import LogisticRegression

def wrapped_loss(logits, meta):
    weight = meta["weight"].to(logits.device)
    return F.binary_cross_entropy_with_logits(logits, meta["target"], weight=weight)

def train(dset, pred, y, y_a, x):
    class_weights = dset.inverse_frequency.to("cuda")
    loss = focal_loss(pred, y, class_weights, 2)
    loss2 = focal_loss(pred, y, sample_weights)
    with torch.no_grad():
        val_loss = focal_loss(pred, y, class_weights, 2)
    w_joint = np.sum(y_a == 0) / np.sum(y_a == 1)
    w_map = {0: 1.0, 1: w_joint}
    clf = LogisticRegression(class_weight=w_map)
    label_map = {0: 1.0, 1: np.sum(y == 0) / np.sum(y == 1)}
    clf2 = LogisticRegression(class_weight=label_map)
    clf2.fit(x, y)
"""


@pytest.mark.parametrize("needle,expected", [
    ("weight=weight)", False), ("focal_loss(pred, y, class_weights", True), ("sample_weights)", False),
    ("val_loss = focal_loss", False),
    ("class_weight=w_map", False), ("class_weight=label_map", True)])
def test_loss_weights_forwarded_positional_or_computed_per_group(tmp_path, needle, expected):
    found = sites(run(tmp_path, {"lw.py": LOSS_WEIGHTS}))
    assert (("group-blind-loss-weights", "lw.py", line_of(LOSS_WEIGHTS, needle)) in found) is expected


def test_an_objective_summed_from_error_and_other_terms_is_no_aggregate_metric(tmp_path):
    text = """
def best_response(self, lambdas):
    objective = self.errors + self.violations.dot(lambdas)
    best_idx = objective.idxmin()
    val_errors = self.errors
    best_h = val_errors.idxmin()
    return best_idx, best_h
"""
    found = sites(run(tmp_path, {"oracle.py": text + "\nbest_acc = 0\n"}))
    hits = {line for rule, _, line in found if rule == "aggregate-metric-model-selection"}
    assert line_of(text, "best_idx =") not in hits and line_of(text, "best_h =") in hits
