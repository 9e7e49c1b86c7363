import torch
from sklearn.model_selection import train_test_split

# ruleid: evidence-data-split
X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=0.2, stratify=y)

# ruleid: evidence-data-split
train, val = torch.utils.data.random_split(dataset, [800, 200])

# ruleid: evidence-data-split
model.fit(X, y, epochs=3, validation_split=0.1)

# ruleid: evidence-data-split
train_ds, val_ds = tf.keras.utils.split_dataset(ds, left_size=0.8)

# ruleid: evidence-data-split
train_df = df.sample(frac=0.8, random_state=0)

# Near misses: fitting without a split, string splits.
# ok: evidence-data-split
model.fit(X, y, epochs=3)

# ok: evidence-data-split
parts = "a,b".split(",")

# ok: evidence-data-split
few = df.sample(n=5)
