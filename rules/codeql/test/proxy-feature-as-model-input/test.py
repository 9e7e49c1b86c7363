import torch
from sklearn.linear_model import LogisticRegression


# --- cross-function flows (the Semgrep rule sees one function at a time) ---
def columns():
    return ["income", "zip_code"]  # $ Source


def fit(df, model):
    model.fit(df[columns()], df["label"])  # $ Alert


def as_tensor(frame):
    return torch.as_tensor(frame.to_numpy())  # $ Alert


def language_tensor(df):
    return as_tensor(df["native_language"])  # $ Source


# --- flows within one function ---
def surname_model(df):
    X = df[["income", "surname"]]  # $ Source
    LogisticRegression().fit(X, df["label"])  # $ Alert


# --- near misses ---
def grouped_report(df):
    return df.groupby("zip_code")["label"].mean()


def whole_words_only(df):
    LogisticRegression().fit(df[["zipper_count", "title_length"]], df["label"])


def dropped_before_training(df):
    X = df[["income", "postcode"]].drop(columns=["postcode"])
    LogisticRegression().fit(X, df["label"])
