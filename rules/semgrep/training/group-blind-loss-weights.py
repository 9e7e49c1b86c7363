import numpy as np
import tensorflow as tf
import torch
import torch.nn.functional as F
from sklearn.linear_model import LogisticRegression
from sklearn.utils.class_weight import compute_class_weight, compute_sample_weight
from torch import nn

# ruleid: group-blind-loss-weights
weights = compute_class_weight("balanced", classes=np.unique(y_train), y=y_train)

# ruleid: group-blind-loss-weights
model.fit(x_train, y_train, epochs=5, class_weight={0: 1.0, 1: 4.0})

# ruleid: group-blind-loss-weights
clf = LogisticRegression(class_weight="balanced").fit(X, y)

# ruleid: group-blind-loss-weights
sw = compute_sample_weight("balanced", y_train)

# ruleid: group-blind-loss-weights
clf.fit(X, y, sample_weight=sw)

# ruleid: group-blind-loss-weights
criterion = nn.CrossEntropyLoss(weight=torch.tensor([1.0, 3.0]))

# ruleid: group-blind-loss-weights
criterion = torch.nn.BCEWithLogitsLoss(pos_weight=torch.tensor([5.0]))

# ruleid: group-blind-loss-weights
loss = F.cross_entropy(logits, target, weight=class_weights)

# ruleid: group-blind-loss-weights
loss = tf.nn.weighted_cross_entropy_with_logits(labels, logits, pos_weight=3.0)

# Near misses: no weights, forwarded weights, group-aware weights, evaluation weights.
# ok: group-blind-loss-weights
criterion = nn.CrossEntropyLoss(label_smoothing=0.1)

# ok: group-blind-loss-weights
clf = LogisticRegression(class_weight=None)

# ok: group-blind-loss-weights
clf.fit(X_train, y_train, sample_weight=reweighed_train.instance_weights)

# ok: group-blind-loss-weights
criterion = nn.BCEWithLogitsLoss(pos_weight=None)

# ok: group-blind-loss-weights
loss = F.nll_loss(log_probs, target, weight=None)

# ok: group-blind-loss-weights
model.fit(x, y, sample_weight=None, epochs=3)

# ok: group-blind-loss-weights
model.fit(x, y, class_weight=self.class_weight)

# ok: group-blind-loss-weights
clf.fit(X_train, y_train, sample_weight=[1, 1, 2])


class WeightedLoss(nn.Module):
    def forward(self, logits, target, weight, pos_weight):
        # ok: group-blind-loss-weights
        a = F.cross_entropy(logits, target, weight=self.weight)
        # ok: group-blind-loss-weights
        b = F.cross_entropy(logits, target, weight=weight)
        # ok: group-blind-loss-weights
        c = F.binary_cross_entropy_with_logits(logits, target, pos_weight=pos_weight)
        # ruleid: group-blind-loss-weights
        d = F.binary_cross_entropy_with_logits(logits, target, pos_weight=torch.ones(3) * 2)
        return a + b + c + d

# ok: group-blind-loss-weights
clf.fit(X_train, y_train, sample_weight=sex_label_weights)

# ok: group-blind-loss-weights
sw = compute_sample_weight("balanced", df["race"].astype(str) + "_" + df["label"].astype(str))

# ok: group-blind-loss-weights
acc = accuracy_score(y_test, y_pred, sample_weight=page_weights)

# ok: group-blind-loss-weights
layer = nn.Linear(4, 2)


def fit(self, X, y, sample_weight=None):
    # ok: group-blind-loss-weights
    self.estimator_.fit(X, y, sample_weight=sample_weight)


class Meta:
    def fit(self, X, y, sample_weight=None):
        sw_est = sample_weight[: len(y) // 2] if sample_weight is not None else None
        # ok: group-blind-loss-weights
        self.estimator_.fit(X, y, sample_weight=sw_est)
        return self


class WeightedLoss(nn.Module):
    def forward(self, input, target):
        # ok: group-blind-loss-weights
        return F.cross_entropy(input, target, weight=self.weight, reduction=self.reduction)


# ok: group-blind-loss-weights
cv.fit(y_proba, y_true, sample_weight=[10, 1, 1])
