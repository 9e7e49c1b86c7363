import numpy as np
import pandas as pd
import tensorflow as tf
import torch

df = pd.read_csv("adult.csv")

# ruleid: missing-rows-dropped
clean = df.dropna()

# ruleid: missing-rows-dropped
df.dropna(subset=["income", "race"], inplace=True)

# ruleid: missing-rows-dropped
clean = df[~df.isnull().any(axis=1)]

# ruleid: missing-rows-dropped
clean = df[df.notna().all(axis=1)]

features = torch.randn(10, 3)
# ruleid: missing-rows-dropped
features = features[~torch.isnan(features).any(dim=1)]

arr = np.zeros(4)
# ruleid: missing-rows-dropped
arr = arr[~np.isnan(arr)]

x = tf.constant([1.0, float("nan")])
# ruleid: missing-rows-dropped
x = tf.boolean_mask(x, tf.logical_not(tf.math.is_nan(x)))

ds = tf.data.Dataset.from_tensor_slices(x)
# ruleid: missing-rows-dropped
ds = ds.filter(lambda row: tf.logical_not(tf.reduce_any(tf.math.is_nan(row))))

# Near misses: imputation, dropping columns or only all-empty rows.
# ok: missing-rows-dropped
filled = df.fillna(df.median())

# ok: missing-rows-dropped
narrow = df.dropna(axis=1)

# ok: missing-rows-dropped
narrow = df.dropna(axis="columns")

# ok: missing-rows-dropped
no_blank_lines = df.dropna(how="all")

# ok: missing-rows-dropped
mask = torch.isnan(features)

# ok: missing-rows-dropped
features = torch.nan_to_num(features, nan=0.0)

# ok: missing-rows-dropped
page_dropna_count = df.isna().sum()


import matplotlib.pyplot as plt
import seaborn as sns

# ok: missing-rows-dropped
sns.histplot(patients["age"].dropna(), bins=30)

# ok: missing-rows-dropped
plt.hist(patients["age"].dropna())

# ruleid: missing-rows-dropped
patients_index = patients.dropna().reset_index(drop=True)

# ruleid: missing-rows-dropped
patients_complete = patients.dropna()
