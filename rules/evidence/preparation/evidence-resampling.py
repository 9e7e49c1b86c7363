import pandas as pd
from imblearn.over_sampling import SMOTE
from sklearn.utils import resample

df = pd.read_csv("train.csv")
minority = df[df.label == 1]

# ruleid: evidence-resampling
upsampled = resample(minority, replace=True, n_samples=1000, random_state=0)

# ruleid: evidence-resampling
balanced = df.groupby("label").sample(n=500, random_state=0)

# ruleid: evidence-resampling
balanced = df.groupby("label", group_keys=False).apply(lambda g: g.sample(200))

# ruleid: evidence-resampling
boot = minority.sample(n=2000, replace=True)

# ruleid: evidence-resampling
X_res, y_res = SMOTE().fit_resample(X, y)

# Near misses: shuffling and peeking at rows are no resampling.
# ok: evidence-resampling
shuffled = df.sample(frac=1.0, random_state=0)

# ok: evidence-resampling
preview = df.sample(5)

# ok: evidence-resampling
means = df.groupby("label").mean()
