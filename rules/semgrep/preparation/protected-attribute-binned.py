import numpy as np
import pandas as pd
import tensorflow as tf
import torch
from sklearn.compose import ColumnTransformer
from sklearn.preprocessing import KBinsDiscretizer, OneHotEncoder, StandardScaler
from tensorflow import keras

df = pd.read_csv("adult.csv")

# ruleid: protected-attribute-binned
df["age_group"] = pd.cut(df["age"], bins=[0, 25, 45, 65, 120], labels=["young", "adult", "middle", "senior"])

# ruleid: protected-attribute-binned
df["age_q"] = pd.qcut(df.age, q=4)

# ruleid: protected-attribute-binned
df["is_old"] = (df["age"] > 25).astype(int)

# ruleid: protected-attribute-binned
df["decade"] = (df["Age"] // 10) * 10

age = df["age"].to_numpy()
# ruleid: protected-attribute-binned
age_bin = np.digitize(age, [18, 30, 50, 70])

age_t = torch.tensor(age)
# ruleid: protected-attribute-binned
bucket = torch.bucketize(age_t, torch.tensor([18.0, 30.0, 50.0]))

# ruleid: protected-attribute-binned
pre = ColumnTransformer([("bins", KBinsDiscretizer(n_bins=5, encode="ordinal"), ["age"])])

# ruleid: protected-attribute-binned
age_col = tf.feature_column.bucketized_column(tf.feature_column.numeric_column("age"), boundaries=[18, 25, 30])

# ruleid: protected-attribute-binned
binned = keras.layers.Discretization(bin_boundaries=[18.0, 35.0, 60.0])(df["age"].values)

disc = tf.keras.layers.Discretization(num_bins=4)
# ruleid: protected-attribute-binned
disc.adapt(df["age"].values)

# Near misses: binning non-protected columns, scaling or one-hot encoding the attribute,
# names that merely contain "age".
# ok: protected-attribute-binned
df["hours_bin"] = pd.cut(df["hours-per-week"], bins=5)

# ok: protected-attribute-binned
df["page_bin"] = pd.qcut(df["page"], q=4)

# ok: protected-attribute-binned
usage_bucket = np.digitize(df["usage"], [1, 10, 100])

# ok: protected-attribute-binned
scaled = StandardScaler().fit_transform(df[["age"]])

# ok: protected-attribute-binned
onehot = OneHotEncoder().fit_transform(df[["race"]])

# ok: protected-attribute-binned
pre2 = ColumnTransformer([("bins", KBinsDiscretizer(n_bins=5), ["capital-gain", "storage"])])

# ok: protected-attribute-binned
big = (df["average"] > 3).astype(int)

# ok: protected-attribute-binned
by_stage = pd.cut(stage_df["income"], bins=3)

# ruleid: protected-attribute-binned
df.loc[df["Age"] <= 9, "Age"] = 0

# ruleid: protected-attribute-binned
df.loc[(df["Age"] > 9) & (df["Age"] <= 19), "Age"] = 1

# ok: protected-attribute-binned
df.loc[df["age"] < 0, "age"] = np.nan

# ok: protected-attribute-binned
df.loc[df["fare"] > 100, "fare"] = 100

# A hand-written bucketing function applied with .apply is not recognised.
# todoruleid: protected-attribute-binned
df["age_band"] = df["age"].apply(lambda a: "young" if a < 30 else "old")
