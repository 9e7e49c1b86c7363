import collections

import numpy as np

# ruleid: evidence-class-imbalance
print(df["income"].value_counts(normalize=True))

# ruleid: evidence-class-imbalance
counts = np.bincount(y_train)

# ruleid: evidence-class-imbalance
dist = collections.Counter(labels)

# ruleid: evidence-class-imbalance
imbalance_ratio = counts.max() / counts.min()

# Near misses: counts of features, not of the label.
# ok: evidence-class-imbalance
print(df["workclass"].value_counts())

# ok: evidence-class-imbalance
words = collections.Counter(tokens)

# ok: evidence-class-imbalance
balance = 0.5
