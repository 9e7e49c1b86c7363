import numpy as np
import pandas as pd
import tensorflow as tf
import torch
from imblearn.combine import SMOTETomek
from imblearn.over_sampling import ADASYN, SMOTE, RandomOverSampler
from imblearn.pipeline import make_pipeline
from imblearn.under_sampling import RandomUnderSampler
from sklearn.linear_model import LogisticRegression
from torch.utils.data import DataLoader, RandomSampler, WeightedRandomSampler

df = pd.read_csv("adult.csv")
X, y = df.drop(columns=["income"]), df["income"]

# ruleid: group-blind-resampling
X_res, y_res = SMOTE(random_state=0).fit_resample(X, y)

# ruleid: group-blind-resampling
rus = RandomUnderSampler(sampling_strategy=0.5)
X_res, y_res = rus.fit_resample(X, y)

# ruleid: group-blind-resampling
pipe = make_pipeline(ADASYN(), LogisticRegression())

# ruleid: group-blind-resampling
combined = SMOTETomek()


def rebalance(sampler, X, y):
    # ruleid: group-blind-resampling
    return sampler.fit_resample(X, y)


labels = torch.tensor(y.values)
class_counts = torch.bincount(labels)
sample_weights = (1.0 / class_counts.float())[labels]
# ruleid: group-blind-resampling
sampler = WeightedRandomSampler(sample_weights, num_samples=len(sample_weights), replacement=True)

# ruleid: group-blind-resampling
sampler = torch.utils.data.WeightedRandomSampler(weights=sample_weights, num_samples=100)

ds = tf.data.Dataset.from_tensor_slices((X.values, y.values))
# ruleid: group-blind-resampling
balanced = ds.rejection_resample(lambda x, label: label, target_dist=[0.5, 0.5])

# ruleid: group-blind-resampling
balanced = ds.apply(tf.data.experimental.rejection_resample(lambda x, label: label, target_dist=[0.5, 0.5]))

# Near misses: shuffling, plain random sampling, group-aware weights, imputation.
group_label = df["sex"].astype(str) + "_" + df["income"].astype(str)
group_weights = 1.0 / group_label.map(group_label.value_counts())
# ok: group-blind-resampling
fair_sampler = WeightedRandomSampler(torch.tensor(group_weights.values), num_samples=len(df))

# ok: group-blind-resampling
shuffler = RandomSampler(range(10))

# ok: group-blind-resampling
shuffled = df.sample(frac=1.0, random_state=0)

# ok: group-blind-resampling
ds = ds.shuffle(1000)

# ok: group-blind-resampling
model = LogisticRegression().fit(X, y)

# ok: group-blind-resampling
loader = DataLoader(ds, batch_size=32, shuffle=True)

strata_labels = group_label
# A group-by-label key passed as the resampling target is group-aware.
# todook: group-blind-resampling
X_fair, strata_res = RandomOverSampler().fit_resample(X, strata_labels)

# A hand-written minority upsampling with sklearn.utils.resample is not caught.
from sklearn.utils import resample

minority = df[df.income == 1]
# todoruleid: group-blind-resampling
upsampled = resample(minority, replace=True, n_samples=1000, random_state=0)


# --- scikit-learn resample() and pandas group-wise sampling by the label
from sklearn.utils import resample

reviews = pd.read_csv("reviews.csv")
rare = reviews[reviews["label"] == 1]
# ruleid: group-blind-resampling
rare_upsampled = resample(rare, replace=True, n_samples=5000, random_state=1)
# ok: group-blind-resampling
strata_upsampled = resample(rare, replace=True, n_samples=5000, stratify=rare["region"])
# ok: group-blind-resampling
boot = resample(reviews, replace=True, n_samples=len(reviews))
# ok: group-blind-resampling
ci_sample = resample(reviews["score"])
# ruleid: group-blind-resampling
even = reviews.groupby("label").sample(n=2000, random_state=0)
# ruleid: group-blind-resampling
even2 = reviews.groupby("target").apply(lambda g: g.sample(n=100))
# ok: group-blind-resampling
per_group = reviews.groupby("region").sample(n=50)
# ok: group-blind-resampling
per_both = reviews.groupby(["label", "region"]).sample(n=50)
# ok: group-blind-resampling
peek = reviews.sample(n=10)
