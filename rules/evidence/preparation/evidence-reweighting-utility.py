import torch
from imblearn.over_sampling import SMOTE
from sklearn.utils.class_weight import compute_class_weight

# ruleid: evidence-reweighting-utility
weights = compute_class_weight("balanced", classes=classes, y=y)

# ruleid: evidence-reweighting-utility
X_res, y_res = SMOTE().fit_resample(X, y)

# ruleid: evidence-reweighting-utility
sampler = torch.utils.data.WeightedRandomSampler(sample_weights, num_samples=len(sample_weights))

# Near misses: names that contain a utility's name, weights not computed.
# ok: evidence-reweighting-utility
smote_ratio = compute_smote_ratio(y)

# ok: evidence-reweighting-utility
loss_fn = torch.nn.CrossEntropyLoss(weight=class_weights)

# ok: evidence-reweighting-utility
weights = load_class_weights("weights.json")
