import keras
import pandas as pd
import tensorflow as tf
import torch
from datasets import load_dataset
from sklearn.model_selection import (KFold, StratifiedKFold, StratifiedShuffleSplit,
                                     train_test_split)
from torch.utils.data import TensorDataset, random_split

df = pd.read_csv("adult.csv")
X, y = df.drop(columns=["income"]), df["income"]

# ruleid: unstratified-split
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=0)

# ruleid: unstratified-split
X_train, X_test = train_test_split(X, test_size=0.2, stratify=None)

# ruleid: unstratified-split
folds = KFold(n_splits=5, shuffle=True)

ds = TensorDataset(torch.randn(100, 4), torch.randint(0, 2, (100,)))
# ruleid: unstratified-split
train_ds, val_ds = random_split(ds, [80, 20])

# ruleid: unstratified-split
train_ds, val_ds = torch.utils.data.random_split(ds, [0.8, 0.2], generator=torch.Generator().manual_seed(0))

model = tf.keras.Sequential([tf.keras.layers.Dense(1, activation="sigmoid")])
# ruleid: unstratified-split
model.fit(X.values, y.values, epochs=5, validation_split=0.2)

# ruleid: unstratified-split
train_images = tf.keras.utils.image_dataset_from_directory("faces/", validation_split=0.2, subset="training", seed=1)

# ok: unstratified-split
val_images = tf.keras.utils.image_dataset_from_directory("faces/", validation_split=0.2, subset="validation", seed=1)

tf_ds = tf.data.Dataset.from_tensor_slices((X.values, y.values))
# ruleid: unstratified-split
left, right = keras.utils.split_dataset(tf_ds, left_size=0.8)

hf = load_dataset("imdb", split="train")
# ruleid: unstratified-split
parts = hf.train_test_split(test_size=0.1)

# Near misses: stratified splits, explicit validation data, forwarded options.
# ok: unstratified-split
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, stratify=y)

# ok: unstratified-split
X_train, X_test = train_test_split(X, test_size=0.2, stratify=df[["sex", "income"]])

# ok: unstratified-split
skf = StratifiedKFold(n_splits=5, shuffle=True, random_state=0)

# ok: unstratified-split
sss = StratifiedShuffleSplit(n_splits=3, test_size=0.2)

# ok: unstratified-split
model.fit(X.values, y.values, epochs=5, validation_data=(X.values, y.values))

# ok: unstratified-split
model.fit(X.values, y.values, epochs=5, validation_split=0.0)

# ok: unstratified-split
parts = hf.train_test_split(test_size=0.1, stratify_by_column="label")

split_options = {"test_size": 0.2, "stratify": y}
# ok: unstratified-split
X_train, X_test, y_train, y_test = train_test_split(X, y, **split_options)

# Manual take/skip splitting of a tf.data pipeline is not caught.
# todoruleid: unstratified-split
train_part = tf_ds.take(800)
