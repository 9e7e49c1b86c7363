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


# ------------------------------------------------------------------ the repository's task (TR07, TR08, DS01, DS02)
TR07 = "toxicity-classifier-training"
DS01 = "face-dataset-with-demographic-skew"
DS02 = "high-stakes-tabular-benchmark"

COMMENTS_DATA = """
import pandas as pd

LABELS = ["insult", "threat", "severe_toxic"]

def read_comments(path):
    frame = pd.read_csv(path)
    return frame["text"], frame[LABELS]
"""

SKLEARN_SCRIPT = """
from sklearn.svm import LinearSVC
from sklearn.feature_extraction.text import TfidfVectorizer

texts, labels = load_texts("comments.csv")
vec = TfidfVectorizer()
features = vec.fit_transform(texts)
svm = LinearSVC(C=0.1)
svm.fit(features, labels)
"""

TORCH_SCRIPT = """
import torch

def main():
    loader = make_loader("comments.csv")
    model_name = "bert-base-uncased"
    net = TextNet(vocab_size=30000)
    net = net.to("cuda")
    classifier = TextNet(vocab_size=100)
    run_epochs(net, loader)

def run_epochs(net, loader):
    for batch in loader:
        loss = net(batch)
        loss.backward()
"""

LIGHTNING_SCRIPT = """
def main(cfg):
    model = TextClassifier(cfg)
    trainer = Trainer(max_epochs=3)
    trainer.fit(model, data_module)
"""


def test_a_model_trained_in_a_repository_about_toxicity(tmp_path):
    found = sites(run(tmp_path, {"data.py": COMMENTS_DATA, "svm.py": SKLEARN_SCRIPT, "nets.py": TORCH_SCRIPT,
                                 "lit.py": LIGHTNING_SCRIPT}))
    tox = {(path, line) for rule, path, line in found if rule == TR07}
    # a fit on labelled data is the site; the vectoriser's fit_transform is none
    assert ("svm.py", line_of(SKLEARN_SCRIPT, "svm.fit(")) in tox
    assert ("svm.py", line_of(SKLEARN_SCRIPT, "svm = LinearSVC")) not in tox
    assert ("svm.py", line_of(SKLEARN_SCRIPT, "vec.fit_transform")) not in tox
    # no fit in the scope: the first model it builds, not its move to a device nor a second one
    assert ("nets.py", line_of(TORCH_SCRIPT, "net = TextNet")) in tox
    assert ("nets.py", line_of(TORCH_SCRIPT, 'net.to("cuda")')) not in tox
    assert ("nets.py", line_of(TORCH_SCRIPT, "classifier = TextNet")) not in tox
    assert ("nets.py", line_of(TORCH_SCRIPT, "model_name =")) not in tox
    # Lightning: trainer.fit(model, ...) trains the model built above, which is the site
    assert ("lit.py", line_of(LIGHTNING_SCRIPT, "model = TextClassifier")) in tox
    assert ("lit.py", line_of(LIGHTNING_SCRIPT, "trainer.fit")) not in tox
    # the data reader is no model
    assert not {s for s in tox if s[0] == "data.py"}


def test_the_same_models_in_a_repository_about_something_else_are_near_misses(tmp_path):
    digits = COMMENTS_DATA.replace('"severe_toxic"', '"seven"')
    sentiment = SKLEARN_SCRIPT.replace("comments.csv", "reviews.csv") + '\nprint("I hate this movie")\n'
    found = sites(run(tmp_path, {"data.py": digits, "svm.py": sentiment, "nets.py": TORCH_SCRIPT}))
    assert not {s for s in found if s[0] == TR07}


AGE_GENDER_TRAIN = """
import tensorflow as tf

def run_training(path):
    images, age_labels, gender_labels = read_batches(path)
    age_logits, gender_logits = inference(images)
    age_xent = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=age_labels, logits=age_logits)
    gender_xent = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=gender_labels, logits=gender_logits)
    digit_xent = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=digit_labels, logits=logits)
    age_probs = tf.nn.softmax(age_logits)
    total_loss = age_xent + gender_xent
    adv_loss = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=gender_labels, logits=adv_logits)
"""

AGE_GENDER_EVAL = """
import tensorflow as tf

def predict(images):
    age_logits, gender_logits = inference(images)
    gender = tf.argmax(tf.nn.softmax(gender_logits), 1)
    digit = tf.argmax(tf.nn.softmax(logits), 1)
    return gender
"""


@pytest.mark.parametrize("name,needle,expected", [
    ("train.py", "age_xent =", True), ("train.py", "gender_xent =", True), ("train.py", "digit_xent =", False),
    ("train.py", "age_probs =", False),  # read off the head while training: the loss is the site
    ("train.py", "adv_loss =", False),  # an adversary predicts gender to remove it
    ("eval.py", "gender = tf.argmax", True), ("eval.py", "digit = tf.argmax", False),
])
def test_demographic_targets_by_their_labels_and_heads(tmp_path, name, needle, expected):
    files = {"train.py": AGE_GENDER_TRAIN, "eval.py": AGE_GENDER_EVAL}
    assert ((TR08, name, line_of(files[name], needle)) in sites(run(tmp_path, files))) is expected


HEADS_MODEL = """
import torch.nn as nn

class FaceNet(nn.Module):
    def __init__(self, hidden, n_age):
        super().__init__()
        self.age_head = nn.Linear(hidden, n_age)
        self.gender_cls_head = nn.Linear(hidden, 2)

class DigitNet(nn.Module):
    def __init__(self, hidden):
        super().__init__()
        self.digit_head = nn.Linear(hidden, 10)

class FairNet(nn.Module):
    def __init__(self, hidden):
        super().__init__()
        self.adv_gender_head = nn.Linear(hidden, 2)
"""

HEADS_TRAIN = """
from model import FaceNet, DigitNet, FairNet

face = FaceNet(512, 100)
pretrained = FaceNet.from_pretrained("checkpoints/face")
digits = DigitNet(512)
fair = FairNet(512)
sized = ResNet(num_classes=dset.num_age_classes)
plain = ResNet(num_classes=dset.num_classes)
layer = nn.Linear(512, num_age_classes)
batch_ages = batch[args.age_column]
age_cls_labels = list(map(encode, batch[args.age_column]))
digit_labels = list(map(encode, batch[args.digit_column]))
"""


@pytest.mark.parametrize("needle,expected", [
    ("face = FaceNet", True), ("pretrained = FaceNet", True), ("digits = DigitNet", False),
    ("fair = FairNet", False), ("sized = ResNet", True), ("plain = ResNet", False),
    ("layer = nn.Linear", False), ("age_cls_labels =", True), ("digit_labels =", False),
])
def test_models_built_with_demographic_heads_or_sized_by_demographic_classes(tmp_path, needle, expected):
    found = sites(run(tmp_path, {"model.py": HEADS_MODEL, "train.py": HEADS_TRAIN}))
    assert ((TR08, "train.py", line_of(HEADS_TRAIN, needle)) in found) is expected


GENERIC_TRAIN = """
from keras.callbacks import EarlyStopping

dataset_name = "mydata"
model = mini_cnn((64, 64, 1), 2)
model = model_with_softmax(model)
model.compile(optimizer="adam", loss="categorical_crossentropy")
"""


@pytest.mark.parametrize("script,expected", [
    ("train_gender_classifier.py", True), ("age_estimation.py", True), ("train_digit_classifier.py", False),
    ("gender_fairness_classifier.py", False), ("train_gender.py", False),
])
def test_a_script_named_for_recognising_an_attribute(tmp_path, script, expected):
    found = sites(run(tmp_path, {script: GENERIC_TRAIN}))
    assert ((TR08, script, line_of(GENERIC_TRAIN, "model = mini_cnn")) in found) is expected
    assert (TR08, script, line_of(GENERIC_TRAIN, "model = model_with")) not in found


FACE_READER = """
import scipy.io

def get_meta(mat_path, db):
    meta = scipy.io.loadmat(mat_path)
    gender_classes = meta[db]["gender"][0, 0][0]
    gender_classes = gender_classes[gender_classes >= 0]
    return gender_classes

def load_data(path="./data/compas-scores-two-years.csv", sep=","):
    return open_table(path, sep)

def save_table(out="./out/adult.csv"):
    pass

classes = get_meta("./data/imdb_crop/imdb.mat", "imdb")
other = get_meta("./data/digits/digits.mat", "digits")
saved = save_results("./out/imdb_crop/preds.mat")
"""

SELECTORS = """
dataset_name = "imdb"
datasets = ["fer2013"]
data_file = get_data_file("german")
labels = get_labels("fer2013")
compas = COMPASDataset()
dataset_name2 = "mnist"
"""


@pytest.mark.parametrize("rule,name,needle,expected", [
    (DS01, "reader.py", 'get_meta("./data/imdb_crop', True), (DS01, "reader.py", 'get_meta("./data/digits', False),
    (DS01, "reader.py", "save_results(", False),
    (DS02, "reader.py", "def load_data(", True), (DS02, "reader.py", "def save_table(", True),
    (TR08, "reader.py", 'gender_classes = meta[db]', True), (TR08, "reader.py", "gender_classes = gender_classes[", False),
    (DS01, "select.py", 'dataset_name = "imdb"', True), (DS01, "select.py", "datasets = [", True),
    (DS02, "select.py", "get_data_file(", True), (DS01, "select.py", "get_labels(", False),
    (DS02, "select.py", "COMPASDataset()", True), (DS01, "select.py", "dataset_name2 =", False),
])
def test_datasets_named_by_helpers_defaults_and_selectors(tmp_path, rule, name, needle, expected):
    files = {"reader.py": FACE_READER, "select.py": SELECTORS}
    assert ((rule, name, line_of(files[name], needle)) in sites(run(tmp_path, files))) is expected


def test_imdb_alone_is_the_sentiment_corpus_unless_the_repository_reads_imdb_wiki(tmp_path):
    found = sites(run(tmp_path, {"select.py": 'dataset_name = "imdb"\nreviews = load("imdb")\n'}))
    assert not {s for s in found if s[0] == DS01}


def test_one_finding_per_demographic_model_and_none_for_its_factories_tests_and_smoke_runs(tmp_path):
    model = HEADS_MODEL + '\nif __name__ == "__main__":\n    net = FaceNet(8, 4)\n'
    predict = """
    import numpy as np
    from model import FaceNet

    net = FaceNet.from_pretrained("ckpt")
    logits_age_cls = net(x)
    age = np.argmax(logits_age_cls, axis=-1)
    """
    test = AGE_GENDER_TRAIN.replace("def run_training", "def test_model")
    factory = """
    import transformers

    TOXIC_LABELS = ["toxic", "insult"]

    def get_model(name):
        model = getattr(transformers, name).from_pretrained(name)
        return model, None

    def main():
        clf, _ = get_model("bert")
    """
    adult = """
    import pandas as pd

    def load_adult_data(path):
        return pd.read_csv(path)

    frame = load_adult_data(path)
    """
    found = sites(run(tmp_path, {"model.py": model, "predict.py": predict, "check.py": test,
                                 "factory.py": factory, "adult.py": adult}))
    assert (TR08, "predict.py", line_of(predict, "net = FaceNet")) in found
    assert (TR08, "predict.py", line_of(predict, "np.argmax")) not in found
    assert (TR08, "model.py", line_of(model, "net = FaceNet(8, 4)")) not in found
    assert not {s for s in found if s[0] == TR08 and s[1] == "check.py"}
    assert (TR07, "factory.py", line_of(factory, "model = getattr")) not in found
    assert (TR07, "factory.py", line_of(factory, "clf, _ = get_model")) not in found  # a tuple is no model name
    assert (DS02, "adult.py", line_of(adult, "frame = load_adult_data")) not in found


def test_a_face_dataset_class_of_the_repository_is_a_load(tmp_path):
    text = "class UTKFaceDataset:\n    pass\n\ndset = UTKFaceDataset(root)\n"
    assert (DS01, "data.py", 4) in sites(run(tmp_path, {"data.py": text}))
