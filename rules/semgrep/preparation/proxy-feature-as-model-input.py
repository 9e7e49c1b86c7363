import numpy as np
import pandas as pd
import tensorflow as tf
import torch
from sklearn.compose import ColumnTransformer, make_column_transformer
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import OneHotEncoder, StandardScaler
from tensorflow import keras

df = pd.read_csv("adult.csv")
y = df["income"]


def adult_relationship():
    X = pd.get_dummies(df[["education_num", "relationship", "hours_per_week"]])
    # ruleid: proxy-feature-as-model-input
    LogisticRegression().fit(X, y)


def zip_code_feature_list():
    FEATURES = ["income_band", "zip_code", "loan_amount"]
    # ruleid: proxy-feature-as-model-input
    LogisticRegression().fit(df[FEATURES].values, y)


def column_list_over_lines():
    FEATURES = [
        "loan_amount",  # in dollars
        # where the applicant lives
        r"home_address"
    ]
    # ruleid: proxy-feature-as-model-input
    LogisticRegression().fit(df[FEATURES].values, y)


def torch_tensor():
    # ruleid: proxy-feature-as-model-input
    return torch.tensor(df[["hours_per_week", "postcode"]].to_numpy(), dtype=torch.float32)


def tf_data():
    # ruleid: proxy-feature-as-model-input
    return tf.data.Dataset.from_tensor_slices((dict(df[["county", "hours_per_week"]]), y.values))


def keras_input():
    # ruleid: proxy-feature-as-model-input
    lang = keras.Input(shape=(1,), dtype="string", name="native_language")
    return lang


def feature_column():
    # ruleid: proxy-feature-as-model-input
    return tf.feature_column.categorical_column_with_hash_bucket("surname", hash_bucket_size=1000)


def column_transformer():
    # ruleid: proxy-feature-as-model-input
    return make_column_transformer((OneHotEncoder(), ["workclass", "zipcode"]))


def keras_feature_space():
    fs = keras.utils.FeatureSpace
    # ruleid: proxy-feature-as-model-input
    return keras.utils.FeatureSpace(features={"zip_code": fs.integer_hashed(num_bins=1000), "age_band": fs.string_categorical()})


# Near misses.
def proxy_dropped():
    X = df.drop(columns=["zip_code", "relationship", "income"])
    # ok: proxy-feature-as-model-input
    LogisticRegression().fit(X, y)


def proxy_dropped_in_column_transformer():
    # ok: proxy-feature-as-model-input
    return ColumnTransformer([("num", StandardScaler(), ["hours_per_week"]), ("proxies", "drop", ["zip_code", "surname"])])


def look_alike_names():
    X = df[["zipper_size", "unzip_count", "title", "ip_addressing"]]
    # ok: proxy-feature-as-model-input
    LogisticRegression().fit(X, y)


def scaler_only():
    # ok: proxy-feature-as-model-input
    StandardScaler().fit(df[["hours_per_week", "county"]])


def filtered_by_county():
    local = df[df["county"] == "Kings"]
    # ok: proxy-feature-as-model-input
    LogisticRegression().fit(local[["hours_per_week", "education_num"]], local["income"])


def excluded_by_comprehension():
    keep = [c for c in df.columns if c not in ["zip_code", "address", "income"]]
    # ok: proxy-feature-as-model-input
    LogisticRegression().fit(df[keep], y)


def select_from_wider_frame():
    X = df[["zip_code", "hours_per_week", "education_num"]]
    # ok: proxy-feature-as-model-input
    LogisticRegression().fit(X[["hours_per_week", "education_num"]], y)
    # ruleid: proxy-feature-as-model-input
    LogisticRegression().fit(X.to_numpy(), y)


def load_with_exclude_list(load_table):
    frame = load_table("loans.csv", exclude_columns=["address", "surname", "loan_id"])
    # ok: proxy-feature-as-model-input
    LogisticRegression().fit(frame, y)


# Known gap: a single proxy column reshaped into a matrix.
def single_column():
    # todoruleid: proxy-feature-as-model-input
    LogisticRegression().fit(df["zip_code"].to_numpy().reshape(-1, 1), y)
