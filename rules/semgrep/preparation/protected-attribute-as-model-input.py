import numpy as np
import pandas as pd
import tensorflow as tf
import torch
from aif360.datasets import BinaryLabelDataset
from fairlearn.metrics import MetricFrame
from fairlearn.reductions import DemographicParity, ExponentiatedGradient
from sklearn.compose import ColumnTransformer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score
from sklearn.preprocessing import OneHotEncoder, StandardScaler
from tensorflow import keras
from torch.utils.data import TensorDataset

df = pd.read_csv("adult.csv")
y = df["income"]


def sklearn_direct():
    X = df[["age", "education_num", "sex", "hours_per_week"]]
    clf = LogisticRegression()
    # ruleid: protected-attribute-as-model-input
    clf.fit(X, y)


def sklearn_feature_list():
    FEATURES = ["education_num", "hours_per_week", "race"]
    X = df[FEATURES].to_numpy()
    # ruleid: protected-attribute-as-model-input
    LogisticRegression().fit(X, y)


def dummies():
    X = pd.get_dummies(df[["workclass", "gender"]])
    # ruleid: protected-attribute-as-model-input
    LogisticRegression(max_iter=200).fit(X, y)


def torch_tensor():
    # ruleid: protected-attribute-as-model-input
    features = torch.tensor(df[["age", "sex", "capital_gain"]].values, dtype=torch.float32)
    return TensorDataset(features, torch.tensor(y.values))


def torch_stack():
    cols = np.column_stack([df["hours_per_week"], df["marital_status"]])
    # ruleid: protected-attribute-as-model-input
    return torch.from_numpy(cols)


def tf_data():
    inputs = dict(df[["hours_per_week", "race", "education"]])
    # ruleid: protected-attribute-as-model-input
    return tf.data.Dataset.from_tensor_slices((inputs, y.values))


def keras_inputs():
    # ruleid: protected-attribute-as-model-input
    gender_in = keras.Input(shape=(1,), name="gender")
    # ok: protected-attribute-as-model-input
    hours_in = keras.Input(shape=(1,), name="hours_per_week")
    return keras.layers.Concatenate()([gender_in, hours_in])


def feature_columns():
    # ruleid: protected-attribute-as-model-input
    race = tf.feature_column.categorical_column_with_vocabulary_list("race", ["White", "Black", "Other"])
    # ok: protected-attribute-as-model-input
    edu = tf.feature_column.numeric_column("education_num")
    return [tf.feature_column.indicator_column(race), edu]


def column_transformer():
    # ruleid: protected-attribute-as-model-input
    ct = ColumnTransformer([("cat", OneHotEncoder(), ["workclass", "sex"])])
    return ct


def keras_feature_space():
    fs = keras.utils.FeatureSpace
    # ruleid: protected-attribute-as-model-input
    space = keras.utils.FeatureSpace(features={"sex": fs.string_categorical(), "hours_per_week": fs.float_normalized()}, output_mode="concat")
    # ok: protected-attribute-as-model-input
    other = keras.utils.FeatureSpace(features={"education": fs.string_categorical(), "hours_per_week": fs.float_normalized()})
    return space, other


# Near misses.
def dropped_before_fit():
    X = df.drop(columns=["sex", "race", "income"])
    # ok: protected-attribute-as-model-input
    LogisticRegression().fit(X, y)


def excluded_by_comprehension():
    feature_cols = [c for c in df.columns if c not in ["sex", "race", "income"]]
    # ok: protected-attribute-as-model-input
    LogisticRegression().fit(df[feature_cols], y)


def fairness_apis():
    X = df[["education_num", "hours_per_week"]]
    A = df[["sex", "race"]]
    mitigator = ExponentiatedGradient(LogisticRegression(), DemographicParity())
    # ok: protected-attribute-as-model-input
    mitigator.fit(X, y, sensitive_features=A)
    # ok: protected-attribute-as-model-input
    frame = MetricFrame(metrics=accuracy_score, y_true=y, y_pred=mitigator.predict(X), sensitive_features=df["sex"])
    return frame


def aif360_dataset():
    ds = BinaryLabelDataset(df=df[["education_num", "sex", "income"]], label_names=["income"], protected_attribute_names=["sex"])
    # ok: protected-attribute-as-model-input
    LogisticRegression().fit(ds.features, ds.labels.ravel())


def group_tensor_for_evaluation():
    # ok: protected-attribute-as-model-input
    groups = torch.tensor(df[["sex", "race"]].values)
    return groups


def celeba_attribute_targets(attrs_df, images):
    attr_names = ["Smiling", "Male", "Young", "Eyeglasses"]
    # ok: protected-attribute-as-model-input
    labels = torch.tensor(attrs_df[attr_names].values)
    # ok: protected-attribute-as-model-input
    y_train = torch.as_tensor(attrs_df[attr_names].to_numpy())
    # ruleid: protected-attribute-as-model-input
    inputs = torch.tensor(attrs_df[attr_names].values)
    return images, labels, y_train, inputs


def filtered_rows():
    women = df[df["sex"] == "Female"]
    X = women[["education_num", "hours_per_week"]]
    # ok: protected-attribute-as-model-input
    LogisticRegression().fit(X, women["income"])


def scaler_only():
    # ok: protected-attribute-as-model-input
    StandardScaler().fit(df[["age", "hours_per_week"]])


def look_alike_names():
    X = df[["page", "stage", "average", "image", "usage"]]
    # ok: protected-attribute-as-model-input
    LogisticRegression().fit(X, y)


def drop_in_column_transformer():
    # ok: protected-attribute-as-model-input
    ct = ColumnTransformer([("num", StandardScaler(), ["hours_per_week", "education_num"]), ("protected", "drop", ["sex", "race"])])
    return ct


def look_alike_tensor():
    # ok: protected-attribute-as-model-input
    return torch.tensor(df[["message", "storage", "trace", "racetrack"]].values)


def select_from_wider_frame():
    X = df[["sex", "race", "decile_score", "priors_count"]]
    dec = X[["decile_score"]]
    # ok: protected-attribute-as-model-input
    LogisticRegression().fit(dec, y)
    # ok: protected-attribute-as-model-input
    LogisticRegression().fit(X["priors_count"].to_numpy().reshape(-1, 1), y)
    # ruleid: protected-attribute-as-model-input
    LogisticRegression().fit(X, y)


def fetch_with_drop_list(fetch_adult):
    X, y2, _ = fetch_adult(dropcols=["native-country", "education"])
    # ok: protected-attribute-as-model-input
    LogisticRegression().fit(X, y2)


def mask_from_tainted_frame():
    from sklearn.compose import make_column_transformer
    X = df[["workclass", "sex", "hours_per_week"]]
    # ok: protected-attribute-as-model-input
    pre = make_column_transformer((OneHotEncoder(), X.dtypes == "category"), (StandardScaler(), X.dtypes != "category"))
    return pre


def adult_header_then_drop_target():
    columns = ["age", "workclass", "education", "race", "sex", "hours_per_week", "income"]
    adult = pd.read_csv("adult.data", names=columns)
    X = adult.drop(columns=["income"])
    # ruleid: protected-attribute-as-model-input
    LogisticRegression().fit(X, adult["income"])
    fair_X = adult.drop(columns=["income", "sex", "race", "age"])
    # ok: protected-attribute-as-model-input
    LogisticRegression().fit(fair_X, adult["income"])


# Known gaps.
def attribute_access():
    stacked = np.column_stack([df.hours_per_week, df.sex])
    # todoruleid: protected-attribute-as-model-input
    return torch.tensor(stacked)


def keras_dict_inputs(model):
    # todoruleid: protected-attribute-as-model-input
    model.fit({"hours_per_week": df["hours_per_week"], "sex": df["sex"]}, y)


def removed_from_list():
    cols = ["hours_per_week", "sex"]
    cols.remove("sex")
    # todook: protected-attribute-as-model-input
    LogisticRegression().fit(df[cols], y)
