import numpy as np
import pandas as pd
import tensorflow as tf
import torch
from torch import nn

df = pd.read_csv("adult.csv")

# ruleid: gender-binarised
df["sex"] = df["sex"].map({"Male": 1, "Female": 0})

# ruleid: gender-binarised
df["gender"] = df["gender"].replace({"M": 0, "F": 1})

# ruleid: gender-binarised
df = df.replace({"sex": {"male": 0, "female": 1}})

# ruleid: gender-binarised
df["is_male"] = (df.sex == "Male").astype(int)

# ruleid: gender-binarised
df["female"] = np.where(df["Gender"] == "F", 1, 0)

# ruleid: gender-binarised
df["sex_bin"] = df["sex"].apply(lambda s: 1 if s == "male" else 0)

# ruleid: gender-binarised
df["sex"] = df["sex"].map({  # binary code
    "female": 1,
    # everyone else
    "male": 0,
})

sex_t = torch.tensor([0, 1])
gender = ["M", "F"]
# ruleid: gender-binarised
g = tf.cast(tf.equal(gender, "M"), tf.int32)


class FaceNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.backbone = nn.Linear(512, 128)
        # ruleid: gender-binarised
        self.gender_head = nn.Linear(128, 2)
        # ok: gender-binarised
        self.age_head = nn.Linear(128, 1)
        # ok: gender-binarised
        self.stage_head = nn.Linear(128, 2)


inputs = tf.keras.Input(shape=(128,))
# ruleid: gender-binarised
sex_out = tf.keras.layers.Dense(1, activation="sigmoid", name="sex")(inputs)

# Near misses: one-hot encoding, non-protected binary maps, other columns.
# ok: gender-binarised
onehot = pd.get_dummies(df["sex"], prefix="sex")

# ok: gender-binarised
df["smoker"] = df["smoker"].map({"yes": 1, "no": 0})

# ok: gender-binarised
df["size"] = df["size"].map({"S": 0, "M": 1, "L": 2})

# ok: gender-binarised
df["page_m"] = (df["page"] == "M").astype(int)

# ok: gender-binarised
df["usage"] = np.where(df["usage"] == "F", 1, 0)

# ok: gender-binarised
married = (df["marital-status"] == "Married-civ-spouse").astype(int)

# ok: gender-binarised
label_out = tf.keras.layers.Dense(2, name="income")(inputs)

# A three-way mapping is not binarisation.
# ok: gender-binarised
df["gender3"] = df["gender"].map({"Male": 0, "Female": 1, "Other": 2})

# Binarisation through a helper dict defined elsewhere is not followed.
SEX_CODES = {"Male": 1, "Female": 0}
# todoruleid: gender-binarised
df["sex_code"] = df["sex"].map(SEX_CODES)
