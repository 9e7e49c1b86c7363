import collections

import numpy as np

# ruleid: evidence-class-imbalance
print(df["income"].value_counts(normalize=True))

# ruleid: evidence-class-imbalance
counts = np.bincount(y_train)

# ruleid: evidence-class-imbalance
dist = collections.Counter(labels)

# ruleid: evidence-class-imbalance
print(train_set.targets.value_counts())

# Near misses: counts of features, not of the label.
# ok: evidence-class-imbalance
print(df["workclass"].value_counts())

# ok: evidence-class-imbalance
words = collections.Counter(tokens)

# ok: evidence-class-imbalance
refs = collections.Counter(ref_targets)

# ok: evidence-class-imbalance
imbalance_warn = "There is an imbalance between your GPUs"
