import numpy as np
import pandas as pd
import tensorflow as tf
from sklearn.preprocessing import OneHotEncoder, StandardScaler

df = pd.read_csv("adult.csv")
counts = df["native-country"].value_counts()

# ruleid: rare-categories-collapsed
df = df[df["native-country"].isin(counts[counts >= 50].index)]

# ruleid: rare-categories-collapsed
top = df["occupation"].isin(df["occupation"].value_counts().nlargest(10).index)

# ruleid: rare-categories-collapsed
df = df[df["native-country"].map(counts) > 20]

# ruleid: rare-categories-collapsed
df = df.groupby("religion").filter(lambda g: len(g) >= 30)

frequent = counts.index[:10]
# ruleid: rare-categories-collapsed
df["native-country"] = df["native-country"].where(df["native-country"].isin(frequent), "Other")

rare = counts[counts < 10].index
# ruleid: rare-categories-collapsed
df["native-country"] = df["native-country"].replace(rare, "Other")

# ruleid: rare-categories-collapsed
df["occupation"].replace(["Armed-Forces", "Priv-house-serv"], "Other", inplace=True)

# ruleid: rare-categories-collapsed
df.loc[~df["language"].isin(frequent), "language"] = "other"

# ruleid: rare-categories-collapsed
df["workclass"] = df["workclass"].apply(lambda w: w if w in frequent else "Rare")

# ruleid: rare-categories-collapsed
enc = OneHotEncoder(handle_unknown="infrequent_if_exist", min_frequency=20)

# ruleid: rare-categories-collapsed
lookup = tf.keras.layers.StringLookup(max_tokens=20)

# Near misses: one-hot encoding all categories, scaling, imputation, string replace,
# counting without filtering.
# ok: rare-categories-collapsed
enc_all = OneHotEncoder(handle_unknown="ignore")

# ok: rare-categories-collapsed
scaled = StandardScaler().fit_transform(df[["age"]])

# ok: rare-categories-collapsed
df["occupation"] = df["occupation"].fillna("Unknown")

# ok: rare-categories-collapsed
signature = "def f(self, x)".replace("self", "other")

# ok: rare-categories-collapsed
sizes = df.groupby("native-country").size()

# ok: rare-categories-collapsed
df = df[df["storage"].isin(["a", "b"])]

# ok: rare-categories-collapsed
lookup_all = tf.keras.layers.StringLookup()

# Rare categories found with a Counter and a comprehension are not recognised.
from collections import Counter

c = Counter(df["occupation"])
keep = [k for k in c if c[k] >= 20]
# todoruleid: rare-categories-collapsed
df = df[df["occupation"].isin(keep)]
