import pandas as pd
import tensorflow as tf
import torch
from sklearn.linear_model import LogisticRegression
from tensorflow.keras import layers
from torch import nn

df = pd.read_csv("faces.csv")

# ruleid: demographic-attribute-prediction-target
y = df["gender"]

# ruleid: demographic-attribute-prediction-target
y_train = train_df["race"].values

# ruleid: demographic-attribute-prediction-target
labels = df.age.to_numpy()

# ruleid: demographic-attribute-prediction-target
clf = LogisticRegression().fit(X, df["ethnicity"])

# ruleid: demographic-attribute-prediction-target
TARGET = "gender"

# ruleid: demographic-attribute-prediction-target
label_col = "age"


class FaceAttributes(nn.Module):
    def __init__(self):
        super().__init__()
        self.backbone = nn.Linear(2048, 512)
        # ruleid: demographic-attribute-prediction-target
        self.gender_head = nn.Linear(512, 2)
        # ruleid: demographic-attribute-prediction-target
        self.fc_race = torch.nn.Linear(512, 5)
        # Near misses: adversarial-debiasing head, age used as an input, unrelated heads.
        # ok: demographic-attribute-prediction-target
        self.adv_gender_head = nn.Linear(512, 2)
        # ok: demographic-attribute-prediction-target
        self.age_embedding = nn.Linear(1, 16)
        # ok: demographic-attribute-prediction-target
        self.image_head = nn.Linear(512, 10)
        # ok: demographic-attribute-prediction-target
        self.stage_output = nn.Linear(512, 3)


# ruleid: demographic-attribute-prediction-target
gender_out = layers.Dense(2, activation="softmax", name="gender_output")(features)

# ruleid: demographic-attribute-prediction-target
age_out = tf.keras.layers.Dense(1, name="age_out")(features)

# ruleid: demographic-attribute-prediction-target
model.compile(optimizer="adam", loss={"gender_output": "categorical_crossentropy", "age_out": "mae"})

# ok: demographic-attribute-prediction-target
y = df["income"]

# ok: demographic-attribute-prediction-target
X = df[["age", "hours_per_week"]]

# ok: demographic-attribute-prediction-target
sample = df["age"]

# ok: demographic-attribute-prediction-target
y = df["page_views"]

# ok: demographic-attribute-prediction-target
target_col = "income"

# ok: demographic-attribute-prediction-target
page_out = layers.Dense(1, name="page_output")(features)

# ok: demographic-attribute-prediction-target
age_branch = layers.Dense(8, name="age_dense")(age_input)
