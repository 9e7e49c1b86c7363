import torch
from fairlearn.reductions import DemographicParity, ExponentiatedGradient
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler
from tensorflow import keras

FEATURES = ["income", "sex"]  # $ Source
ALL_COLUMNS = ["income", "race"]


# --- cross-function flows (the Semgrep rule sees one function at a time) ---
def select_features(df):
    return df[FEATURES]


def train(df):
    X = select_features(df)
    LogisticRegression().fit(X, df["label"])  # $ Alert


def to_tensor(values):
    return torch.tensor(values)  # $ Alert


def build(df):
    return to_tensor(df[["age", "income"]].values)  # $ Source


def encode(gender, income):  # $ Source
    return torch.tensor([gender, income])  # $ Alert


# --- flows within one function ---
def scaled(df):
    X = StandardScaler().fit_transform(df[["age", "income"]])  # $ Source
    return LogisticRegression().fit(X, df["label"])  # $ Alert


def keras_inputs():
    return keras.Input(shape=(1,), name="ethnicity")  # $ Alert


# --- near misses ---
def mitigated(df, X):
    # The attribute goes to the fairness API, not into the features.
    mitigator = ExponentiatedGradient(LogisticRegression(), DemographicParity())
    mitigator.fit(X, df["label"], sensitive_features=df["sex"])


def dropped_before_training(df):
    X = df[ALL_COLUMNS].drop(columns=["race"])
    LogisticRegression().fit(X, df["label"])


def row_filter(df):
    subset = df[df["sex"] == "F"]
    LogisticRegression().fit(subset[["income"]], subset["label"])


def preprocessing_only(df):
    StandardScaler().fit(df[["age"]])


def whole_words_only(df):
    LogisticRegression().fit(df[["page_count", "average", "storage"]], df["label"])
