import torch.nn as nn

# ruleid: evidence-reweighting
model.fit(X, y, epochs=5, class_weight={0: 1.0, 1: 3.0})

# ruleid: evidence-reweighting
loss_fn = nn.CrossEntropyLoss(weight=class_weights)

# Near misses: no weights, an explicit None, a weight that is not a loss weight.
# ok: evidence-reweighting
model.fit(X, y, epochs=5)

# ok: evidence-reweighting
clf.fit(X, y, sample_weight=None)

# ok: evidence-reweighting
layer = nn.Linear(4, 2)

# ruleid: evidence-reweighting
clf.fit(X, y, sample_weight=w)

# ok: evidence-reweighting
rec = recall_score(y_true, y_pred, sample_weight=w)

# ok: evidence-reweighting
norm = nn.LayerNorm(4)

# ok: evidence-reweighting
weights = compute_class_weight("balanced", classes=classes, y=y)
