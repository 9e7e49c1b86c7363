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



GROUP_COUNTS = """
import pandas as pd

def class_weights(frame):
    per_age = frame.groupby(["age"]).count()
    per_sex = frame.groupby("sex").size()
    files = frame.groupby("gender")["path"].nunique()
    return per_age, per_sex, files

def evaluate(frame):
    acc = frame.groupby("sex").apply(lambda g: (g.pred == g.label).mean())
    return acc
"""


def test_counting_the_rows_of_each_group_is_no_group_metric(tmp_path):
    result = run(tmp_path, {"counts.py": GROUP_COUNTS})
    evidence = {(m.location.start_line, m.evidence) for m in result.matches if m.evidence}
    assert (line_of(GROUP_COUNTS, 'acc = frame.groupby("sex")'), "per-group-metric") in evidence
    assert not {line for line, kind in evidence
                if kind == "per-group-metric" and line < line_of(GROUP_COUNTS, "def evaluate")}

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


# ------------------------------------------------------------------ integer codes (DP03)
CODES = """
import pandas as pd
from helpers import *          # a star import: LabelEncoder comes from the repository's module

df = pd.read_csv("applicants.csv")
enc = LabelEncoder()
groups = enc.fit_transform(df["ethnicity"])
a = mark(LabelEncoder().fit_transform(df["religion"].astype(str)))
df["job"] = LabelEncoder().fit_transform(df["job"])
codes = df["nationality"].astype("category").cat.codes
ids, uniques = pd.factorize(df["race"])
y = LabelEncoder().fit_transform(df["ethnicity"])
df["label"] = LabelEncoder().fit_transform(df["label"])
df["outcome_code"] = enc.fit_transform(df["outcome"])
pages = enc.fit_transform(df["page"])
one_hot = pd.get_dummies(df["ethnicity"])
scaled = StandardScaler().fit_transform(df[["ethnicity", "job"]])
table = enc.fit_transform(df[["job", "city"]])
"""


@pytest.mark.parametrize("needle,expected", [
    ("groups = enc.fit_transform", True),          # an encoder bound to a name, a protected column
    ('mark(LabelEncoder()', True),                 # nested in another call, behind astype
    ('df["job"] = LabelEncoder()', True),          # written back as a feature, whatever the import
    (".cat.codes", True),
    ("pd.factorize", True),
    ('y = LabelEncoder()', False),                 # the target is encoded on purpose
    ('df["label"]', False),
    ('df["outcome_code"]', False),
    ('pages = ', False),                           # a column named page is no age
    ("get_dummies", False),                        # one-hot is the fix
    ("StandardScaler", False),
    ('enc.fit_transform(df[["job", "city"]])', False)])  # a whole table: not one nominal column
def test_label_encoding_of_nominal_columns(tmp_path, needle, expected):
    found = sites(run(tmp_path, {"codes.py": CODES}))
    assert (("label-encoding-of-nominal-feature", "codes.py", line_of(CODES, needle)) in found) is expected


# ------------------------------------------------------------------ frames named and recoded in other shapes
SHAPES = """
import numpy as np
import pandas as pd
import torch

cols = ["age", "occupation", "race", "sex", "hours", "label"]

def prepare(path):
    people = pd.read_csv(path).reset_index(drop=True)
    people.columns = cols
    people["is_white"] = people.apply(lambda row: 1 if "White" in row["race"] else 0, axis=1)

    def two_way(x):
        if x == "Female":
            return 1
        return 0
    people["sex"] = people["sex"].apply(lambda v: two_way(v))
    people = pd.get_dummies(people, columns=[cols[2], cols[1]])
    gone = ["race_Black", "race_Asian", "race_Other"]
    people = people.drop(gone, axis=1)
    first = ["sex_Male"]
    people = people.drop(first, axis=1)
    jobs = ["occupation_Sales", "occupation_Tech"]
    people = people.drop(jobs, axis=1)
    return people

hospital = pd.read_csv("data/heart_train.csv")
rates = pd.read_csv("logs/heart_rate_monitor.csv")
XTAB = np.hstack([hospital["age"].to_numpy()[:, None], hospital["chol"].to_numpy()[:, None]])
XTAB = torch.from_numpy(XTAB).float()
pulse = torch.from_numpy(rates.values).float()
"""


@pytest.mark.parametrize("rule,needle,expected", [
    (DP08, 'people["is_white"]', True),      # a frame named by df.columns = [...], behind reset_index
    (DP07, 'people["sex"] = people["sex"].apply', True),  # a helper defined inside the function
    (DP08, "gone = [", True),                # three race dummies deleted: the rest stand for everyone
    (DP07, 'first = ["sex_Male"]', False),   # one dummy of two is drop_first
    (DP08, "jobs = [", False),
    (DP12, "XTAB = torch.from_numpy", True),  # heart-disease records carry age and sex
    (DP12, "pulse = ", False),                # a heart-rate log is no patient table
    ("high-stakes-tabular-benchmark", "heart_train", False)])  # a people table, no benchmark
def test_frames_named_and_recoded_in_other_shapes(tmp_path, rule, needle, expected):
    found = sites(run(tmp_path, {"prep.py": SHAPES}))
    assert ((rule, "prep.py", line_of(SHAPES, needle)) in found) is expected


def test_an_indexed_column_list_names_its_column(tmp_path):
    code = """
    import pandas as pd
    from sklearn.linear_model import LogisticRegression
    headers = ["income", "age", "race", "occupation"]
    df = pd.read_csv("table.csv", names=headers)
    X = df.drop(columns=[headers[0]])
    y = df[headers[0]]
    LogisticRegression().fit(X, y)
    only = df[headers[3]]
    """
    found = run(tmp_path, {"i.py": code})
    inputs = [m for m in found.matches if m.rule_id == DP12]
    assert inputs and set(inputs[0].metadata["attributes"]) == {"age", "race"}
    assert not any(m.rule_id == TR08 for m in found.matches)   # y is income, no demographic target


# ------------------------------------------------------------------ helpers, tuples and scopes across modules
LOADER = """
import pandas as pd
from sklearn.preprocessing import LabelEncoder

def load(path):
    df = pd.read_csv(path)
    X = df[["hours", "education"]]
    y = df["income"]
    a = LabelEncoder().fit_transform(df["sex"])
    return X, y, a

def with_group(X, a):
    extra = pd.DataFrame(a, columns=["group"])
    return pd.concat([X, extra], axis=1)
"""
EXPERIMENTS = """
from fairlearn.reductions import ExponentiatedGradient, DemographicParity
from sklearn.linear_model import LogisticRegression
from loader import load, with_group

def blind(X, y, a):
    clf = LogisticRegression()
    clf.fit(X, y)

def aware(X, y, a):
    clf = LogisticRegression()
    clf.fit(with_group(X, a), y)

def mitigated(X, y, a):
    clf = ExponentiatedGradient(LogisticRegression(), DemographicParity())
    clf.fit(X, y, sensitive_features=a)

X, y, a = load("people.csv")
blind(X, y, a)
aware(X, y, a)
mitigated(X, y, a)
"""


def test_a_group_column_joined_to_the_features_in_a_helper(tmp_path):
    found = run(tmp_path, {"loader.py": LOADER, "experiments.py": EXPERIMENTS})
    at = {(m.rule_id, m.location.path, m.location.start_line): m for m in found.matches}
    aware = at.get((DP12, "experiments.py", line_of(EXPERIMENTS, "clf.fit(with_group")))
    assert aware is not None and aware.metadata["attributes"] == ["sex"]   # the one column, joined
    # X alone carries no attribute (positions of `return X, y, a` are kept apart) ...
    assert (DP12, "experiments.py", line_of(EXPERIMENTS, "clf.fit(X, y)")) not in at
    # ... y is income, no demographic target, and `clf` built by Fairlearn in one function does
    # not make the `clf` of another a fairness object
    assert not any(m.rule_id == TR08 for m in found.matches)
    assert (DP12, "experiments.py", line_of(EXPERIMENTS, "sensitive_features=a")) not in at


HELPERS = """
import numpy as np

def train_net(X, y, epochs=10):
    weights = np.zeros(X.shape[1])
    return weights

def project(X, basis):
    return X @ basis
"""
TRAINING = """
import pandas as pd
import helpers
import helpers as hp
from aif360.datasets import BinaryLabelDataset

people = pd.read_csv("people.csv", usecols=["age", "sex", "hours", "y"])
people = pd.get_dummies(people, columns=["sex"])
people = people.drop(columns=["sex_Female"])
ds = BinaryLabelDataset(df=people, label_names=["y"], protected_attribute_names=["sex_Male"])
X_train = ds.features
w = helpers.train_net(X_train, ds.labels)
X_proj = X_train @ proj_compl
w2 = hp.train_net(X_proj, ds.labels)
X_plain = pd.read_csv("pixels.csv").values
w3 = helpers.train_net(X_plain, ds.labels)
split = helpers.train_test_split_by_day(X_train)
"""


@pytest.mark.parametrize("needle,expected", [
    ("w = helpers.train_net", True),     # a module of the repository, a function named for training
    ("w2 = ", False),                    # projected off the protected directions
    ("w3 = ", False),                    # a table with no protected attribute
    ("split = ", False)])                # named for splitting, not training
def test_training_functions_of_repository_modules(tmp_path, needle, expected):
    found = run(tmp_path, {"helpers.py": HELPERS, "train.py": TRAINING})
    hits = {(m.rule_id, m.location.start_line): m for m in found.matches if m.location.path == "train.py"}
    hit = hits.get((DP12, line_of(TRAINING, needle)))
    assert (hit is not None) is expected
    if hit is not None:  # dropping the sex_Female dummy keeps sex_Male: sex is still an input
        assert {"age", "sex"} <= set(hit.metadata["attributes"])


def test_a_benchmark_feature_matrix_names_its_proxies(tmp_path):
    code = """
    import pandas as pd
    df = pd.read_csv("data/adult.csv")
    X = df.drop("income", axis=1).values
    scaled = scale(X)
    """
    found = sites(run(tmp_path, {"a.py": code}))
    assert (DP12, "a.py", 4) in found and (DP14, "a.py", 4) in found   # Adult's relationship is a proxy
    unused = code.replace("scaled = scale(X)", "print(X)")                # built, shown, never used
    assert not sites(run(tmp_path, {"b.py": unused})) & {(DP12, "b.py", 4), (DP14, "b.py", 4)}


MERGES = """
import pandas as pd
titles = {"Capt": "Officer", "Col": "Officer", "Mme": "Mrs", "Ms": "Mrs", "Mr": "Mr", "Lady": "Royalty"}
dialects = {"Bavarian": "South", "Swabian": "South", "Saxon": "East", "Berlin": "East", "Frisian": "North"}
codes = {"a": 1, "b": 2, "c": 3}
df = pd.read_csv("people.csv")
df["honorific"] = df["honorific"].map(titles)
row = {}
row["accent"] = dialects[df["accents"].strip()]
df["grade"] = df["grade"].map(titles)
x = codes[df["race"]]
"""


@pytest.mark.parametrize("needle,expected", [
    ('df["honorific"].map(titles)', True),    # six titles onto four groups
    ("dialects[", True),                      # a lookup in a merging map ("accents": a plural column)
    ('df["grade"]', False),                   # the same map on a column of no group
    ("codes[", False)])                       # one-to-one codes merge nothing
def test_categories_merged_by_a_mapping(tmp_path, needle, expected):
    found = sites(run(tmp_path, {"m.py": MERGES}))
    assert ((DP02, "m.py", line_of(MERGES, needle)) in found) is expected


BINS = """
import numpy as np
import pandas as pd
from sklearn.compose import ColumnTransformer, make_column_transformer
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import KBinsDiscretizer, StandardScaler
df = pd.read_csv("german.data", names=["age", "amount"])
df["age"] = df["age"].apply(lambda x: np.float(x >= 26))
df["amount"] = df["amount"].apply(lambda x: float(x > 1000))
binning = Pipeline([("impute", Imputer()),
                    ("bins", KBinsDiscretizer(n_bins=4))])
ct = ColumnTransformer(transformers=[("b", binning, ["age"])])
ct2 = ColumnTransformer([("b", KBinsDiscretizer(n_bins=3), ["amount"])])
ct3 = ColumnTransformer([("s", StandardScaler(), ["age"])])
ct4 = make_column_transformer((KBinsDiscretizer(n_bins=5), ["age"]))
pro_att_name = ["age"]
"""


@pytest.mark.parametrize("rule,needle,expected", [
    (DP04, "np.float(x >= 26)", True),           # a threshold wrapped in a conversion: two values
    (DP04, "float(x > 1000)", False),            # on a column of no group
    (DP04, '("bins", KBinsDiscretizer', True),   # the binning step of a pipeline a transformer applies to age
    (DP04, "ct2 =", False),
    (DP04, "ct3 =", False),
    (DP04, "ct4 =", True),
    ("single-protected-attribute-evaluated", "pro_att_name", True)])  # German credit also holds sex
def test_age_binned_by_conversions_and_column_transformers(tmp_path, rule, needle, expected):
    found = sites(run(tmp_path, {"b.py": BINS}))
    assert ((rule, "b.py", line_of(BINS, needle)) in found) is expected


MISSING_MASKS = """
import numpy as np
import pandas as pd
from scipy.io import loadmat
meta = loadmat("faces.mat")
genders = meta["faces"]["gender"][0, 0][0]
scores = meta["faces"]["face_score"][0, 0][0]
known = np.logical_not(np.isnan(genders))
valid_scores = ~np.isnan(scores)
unused_mask = pd.notna(genders)
keep = genders[known & valid_scores]
data = np.zeros((10, 3))
bad = []
for i in range(data.shape[0]):
    if np.isnan(data[i, 1]):
        bad.append(i)
data = np.delete(data, bad, axis=0)
others = [1, 2]
data = np.delete(data, others, axis=0)
for r in range(5):
    if records[r]["age"] == None or records[r]["gender"] == None:
        skipped += 1
        continue
"""


@pytest.mark.parametrize("needle,expected", [
    ("known = ", True),            # a present-value mask over a protected column, used later
    ("valid_scores", False),       # over a score, no group
    ("unused_mask", False),        # never used
    ("np.delete(data, bad", True),  # rows collected under a missing-value check, then deleted
    ("np.delete(data, others", False),
    ('records[r]["age"] == None', True)])  # skipped (after counting them) in a loop
def test_rows_with_missing_values_deleted_by_masks_and_collected_indices(tmp_path, needle, expected):
    found = sites(run(tmp_path, {"m.py": MISSING_MASKS}))
    assert (("missing-rows-dropped", "m.py", line_of(MISSING_MASKS, needle)) in found) is expected


def test_a_proxy_chosen_for_one_hot_features(tmp_path):
    code = """
    import pandas as pd
    names = ["age", "workclass", "relationship", "hours", "income"]
    df = pd.read_csv("table.csv", names=names)
    df = pd.get_dummies(df, columns=[names[1], names[2]])
    jobs = pd.get_dummies(df, columns=["workclass"])
    print(pd.get_dummies(df["relationship"]).sum())
    """
    found = sites(run(tmp_path, {"d.py": code}))
    assert (DP14, "d.py", 5) in found          # relationship (a proxy) one-hot encoded as features
    assert (DP14, "d.py", 6) not in found and (DP14, "d.py", 7) not in found   # no proxy; a count shown


GENDER_HEADS = """
import torch.nn as nn
cls_gender_label_map = {"female": 0, "male": 1}
num_classes = 2
class Net(nn.Module):
    def __init__(self, num_age_classes, num_gender_classes):
        super().__init__()
class Other(nn.Module):
    def __init__(self, num_age_classes, depth):
        super().__init__()
model = Net(8, 2)
model2 = Other(8, 2)
model3 = Net(num_gender_classes=2, num_age_classes=8)
labels_gender = []
labels_gender += [0 for _ in range(3)] + [1 for _ in range(4)]
labels_digit = [0 for _ in range(3)] + [1 for _ in range(4)]
y = [cls_gender_label_map[g] for g in genders]
"""


@pytest.mark.parametrize("name,needle,expected", [
    ("train_gender_net.py", "num_classes = 2", True),     # two classes in a gender classifier
    ("train_digits.py", "num_classes = 2", False),         # the same line elsewhere
    ("train_gender_net.py", "model = Net(8, 2)", True),    # the gender head given two classes at the call
    ("train_gender_net.py", "model2 = ", False),
    ("train_gender_net.py", "model3 = ", True),
    ("train_gender_net.py", "labels_gender +=", True),     # gender coded from two constant lists
    ("train_gender_net.py", "labels_digit", False),
    ("train_gender_net.py", "y = [cls_gender_label_map[g]", True)])  # a lookup in a binary gender map
def test_two_way_gender_heads_and_codings(tmp_path, name, needle, expected):
    found = sites(run(tmp_path, {name: GENDER_HEADS}))
    assert ((DP07, name, line_of(GENDER_HEADS, needle)) in found) is expected


def test_definitions_under_main_guards_and_inside_functions_are_summarised(tmp_path):
    code = """
    import pandas as pd
    if __name__ == "__main__":
        gender_map = {"female": 0, "male": 1}

        def encode(batch):
            batch["y"] = list(map(lambda g: gender_map[g], batch["gender"]))
            return batch

        def outer(df):
            def group(x):
                if x == "White":
                    return 1
                return 0
            df["race"] = df["race"].apply(group)
            return df
    """
    found = sites(run(tmp_path, {"g.py": code}))
    assert (DP07, "g.py", line_of(code, "lambda g: gender_map[g]")) in found
    assert (DP08, "g.py", line_of(code, 'df["race"].apply(group)')) in found


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


def test_a_word_that_contains_hate_does_not_make_a_toxicity_repository():
    from orchestrator.engines.flow import _toxicity_text
    assert not _toxicity_text("x = whatever(chatter)  # WHATEVER")
    assert all(_toxicity_text(t) for t in ("hate_speech = 1", "class HateSpeechData:", "isHateful",
                                           "HATE_LABEL = 2", "df['toxic']", "jigsaw.csv"))


@pytest.mark.parametrize("text,expected", [
    ('df = load()\nzips = df["zip_code"]\n', True),                       # a column name
    ('raise ValueError("no relationship between the two graphs")\n', False),  # a sentence
    ('import triton.language as tl\nx = "triton.language.div_rn"\n', False),
    ("def _split(t, n):\n    return t[:n], t[n:]\n", False),             # a tensor helper
    ("def _split(rows, n):\n    train, test = rows[:n], rows[n:]\n", True),  # a data split
    ("a, b = split_rows(people)\n", True)])                                # a split helper's call
def test_the_file_prefilter_keeps_column_names_and_data_splits_only(text, expected):
    import orchestrator.engines.flow as flow
    regexes = flow._term_prefilter(Vocabulary.default())
    assert flow._relevant(text, regexes) is expected
