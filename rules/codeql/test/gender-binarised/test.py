import pandas as pd
import torch.nn as nn

GENDER_CODES = {"Male": 1, "Female": 0}


# --- the mapping is defined away from its use (the Semgrep rule needs it inline) ---
def encode(df):
    df["sex"] = df["sex"].map(GENDER_CODES)  # $ Alert
    return df


def inline(df):
    return df["gender"].replace({"M": 0, "F": 1})  # $ Alert


def flag(df):
    df["is_male"] = (df["gender"] == "Male").astype(int)  # $ Alert
    return df


class FaceModel(nn.Module):
    def __init__(self):
        super().__init__()
        self.backbone = nn.Linear(512, 128)
        self.gender_head = nn.Linear(128, 2)  # $ Alert
        self.age_head = nn.Linear(128, 1)


# --- near misses ---
def three_way(df):
    return df["gender"].map({"Male": 0, "Female": 1, "Non-binary": 2})


def one_hot(df):
    return pd.get_dummies(df["gender"])


def filter_rows(df):
    return df[df["gender"] == "Female"]


def yes_no(df):
    return df["smoker"].map({"yes": 1, "no": 0})
