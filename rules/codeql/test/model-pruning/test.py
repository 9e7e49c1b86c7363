import tensorflow_model_optimization as tfmot
import torch.nn.utils.prune as P
from torch.nn.utils import prune


def sparsify(model, params):
    P.l1_unstructured(model.fc, name="weight", amount=0.5)  # $ Alert
    prune.global_unstructured(params, pruning_method=prune.L1Unstructured, amount=0.2)  # $ Alert
    prune.remove(model.fc, "weight")


def keras_pruned(model):
    return tfmot.sparsity.keras.prune_low_magnitude(model)  # $ Alert


class Threshold(prune.BasePruningMethod):
    PRUNING_TYPE = "unstructured"


def custom(module):
    Threshold.apply(module, "weight")  # $ Alert


# --- near misses ---
def unrelated(tree):
    return tree.prune()


def keras_strip(model):
    return tfmot.sparsity.keras.strip_pruning(model)
