import tensorflow as tf
import tensorflow_model_optimization as tfmot
import torch
import torch.nn as nn
import torch.nn.utils.prune as prune
from torch.ao.pruning import WeightNormSparsifier
from torch.nn.utils import prune as torch_prune
from transformers import AutoModel

model = nn.Sequential(nn.Linear(8, 4), nn.ReLU(), nn.Linear(4, 1))

# ruleid: model-pruning
prune.l1_unstructured(model[0], name="weight", amount=0.3)

# ruleid: model-pruning
torch_prune.ln_structured(model[2], name="weight", amount=0.5, n=2, dim=0)

params = [(model[0], "weight"), (model[2], "weight")]
# ruleid: model-pruning
torch.nn.utils.prune.global_unstructured(params, pruning_method=prune.L1Unstructured, amount=0.2)

# ruleid: model-pruning
method = prune.RandomUnstructured(amount=0.1)


# ruleid: model-pruning
class ThresholdPruning(prune.BasePruningMethod):
    PRUNING_TYPE = "unstructured"

    def compute_mask(self, tensor, default_mask):
        return torch.abs(tensor) > 0.01


# ruleid: model-pruning
sparsifier = WeightNormSparsifier(sparsity_level=0.5)

keras_model = tf.keras.Sequential([tf.keras.layers.Dense(1)])
# ruleid: model-pruning
pruned = tfmot.sparsity.keras.prune_low_magnitude(keras_model, pruning_schedule=tfmot.sparsity.keras.ConstantSparsity(0.5, 0))

bert = AutoModel.from_pretrained("bert-base-uncased")
# ruleid: model-pruning
bert.prune_heads({0: [0, 2]})

# Near misses: making a mask permanent, querying it, and things merely named "prune".
# ok: model-pruning
prune.remove(model[0], "weight")

# ok: model-pruning
flag = prune.is_pruned(model)

# ok: model-pruning
stripped = tfmot.sparsity.keras.strip_pruning(pruned)


def prune_tree(node):
    return [c for c in node.children if c.keep]


# ok: model-pruning
kept = prune_tree(model)

import pandas as pd

df = pd.DataFrame({"a": [1, 2]})
# ok: model-pruning
df = df.loc[:, df.nunique() > 1]

# ok: model-pruning
checkpoint_pruner.prune(keep_last=3)

# ok: model-pruning
torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
