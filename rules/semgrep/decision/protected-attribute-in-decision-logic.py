import numpy as np
import pandas as pd
import tensorflow as tf
import torch

THRESHOLDS = {"Male": 0.5, "Female": 0.45}


def decide(row, score):
    threshold = 0.5
    if row["race"] == "African-American":
        # ruleid: protected-attribute-in-decision-logic
        threshold = 0.6
    if applicant.gender == "F":
        # ruleid: protected-attribute-in-decision-logic
        score += 0.05
    # ruleid: protected-attribute-in-decision-logic
    cutoff = THRESHOLDS[row["sex"]]
    return score > threshold


# ruleid: protected-attribute-in-decision-logic
approved = np.where(df.gender == "F", df.score > t_female, df.score > t_male)

# ruleid: protected-attribute-in-decision-logic
thresholds = np.where(df["race"] == "Black", 0.4, 0.5)

# ruleid: protected-attribute-in-decision-logic
decision = torch.where(sex == 1, scores > 0.4, scores > 0.5)

# ruleid: protected-attribute-in-decision-logic
adjusted = tf.where(tf.equal(race_id, 2), logits + offset, logits)

# ruleid: protected-attribute-in-decision-logic
df["cutoff"] = df["age_group"].map(cutoffs)

# ruleid: protected-attribute-in-decision-logic
df.loc[df.sex == "Female", "threshold"] = 0.45

# Near misses: re-encodings of the attribute, look-alike names, per-group reporting.
# ok: protected-attribute-in-decision-logic
df["sex"] = np.where(df["sex"] == "Male", 1, 0)

# ok: protected-attribute-in-decision-logic
mask = torch.where(attention_mask == 1, scores, -1e9)

if page == 1:
    # ok: protected-attribute-in-decision-logic
    threshold = 0.7

if stage == "train":
    # ok: protected-attribute-in-decision-logic
    threshold = 0.5

if row["sex"] == "Male":
    # ok: protected-attribute-in-decision-logic
    male_rows.append(row)

if image.size > 0:
    # ok: protected-attribute-in-decision-logic
    score += 1

# ok: protected-attribute-in-decision-logic
rates = df.groupby("race")["approved"].mean()

# ok: protected-attribute-in-decision-logic
message_offset = offsets[usage]
