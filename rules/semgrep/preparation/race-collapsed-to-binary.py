import numpy as np
import pandas as pd
import torch
from sklearn.preprocessing import OneHotEncoder

df = pd.read_csv("compas-scores-two-years.csv")

# ruleid: race-collapsed-to-binary
df["race_bin"] = (df["race"] == "Caucasian").astype(int)

# ruleid: race-collapsed-to-binary
df["white"] = np.where(df.race == "White", 1, 0)

# ruleid: race-collapsed-to-binary
df["race"] = df["race"].apply(lambda r: 1 if r == "African-American" else 0)

# ruleid: race-collapsed-to-binary
df.loc[df["race"] != "White", "race"] = "Non-white"

# ruleid: race-collapsed-to-binary
df["ethnicity"] = df["ethnicity"].where(df["ethnicity"].isin(["White", "Black"]), "Other")

# ruleid: race-collapsed-to-binary
df["race"] = df["race"].replace(["Asian", "Native American", "Hispanic"], "Other")

race_codes = torch.tensor([0, 1, 2])
# ruleid: race-collapsed-to-binary
privileged = torch.where(race_codes == "White", 1, 0)

# ruleid: race-collapsed-to-binary
z_white = (df["race"] == "Caucasian").values.astype("float32")

# Near misses: one-hot encoding, per-group counts, selecting one group for a per-group
# analysis, binary maps of other columns.
# ok: race-collapsed-to-binary
caucasian = df[df["race"] == "Caucasian"]

# ok: race-collapsed-to-binary
onehot = OneHotEncoder().fit_transform(df[["race"]])

# ok: race-collapsed-to-binary
counts = df.groupby("race").size()

# ok: race-collapsed-to-binary
df["is_white_wine"] = (df["wine_colour"] == "White").astype(int)

# ok: race-collapsed-to-binary
df["trace"] = df["trace"].replace(["a", "b"], "Other")

# ok: race-collapsed-to-binary
df["storage"] = np.where(df["storage"] == "Black", 1, 0)

# ok: race-collapsed-to-binary
is_af = df["race"] == "African-American"

# np.select into a binary grouping is not recognised.
# todoruleid: race-collapsed-to-binary
df["bame"] = np.select([df["ethnicity"].isin(["Black", "Asian"]), df["ethnicity"] == "Caucasian"], [True, False])

# A binary dictionary over many race values is not recognised.
# todoruleid: race-collapsed-to-binary
df["race_code"] = df["race"].map({"Caucasian": 1, "African-American": 0, "Hispanic": 0, "Other": 0})
