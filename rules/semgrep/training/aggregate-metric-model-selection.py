import copy

import pytorch_lightning as pl
import tensorflow as tf
import lightgbm
import torch
import xgboost
from tensorflow import keras
from pytorchtools import EarlyStopping
from transformers import TrainingArguments

# ruleid: aggregate-metric-model-selection
stop = keras.callbacks.EarlyStopping(monitor="val_accuracy", patience=3, restore_best_weights=True)

# ruleid: aggregate-metric-model-selection
stop = tf.keras.callbacks.EarlyStopping(patience=5)

# ruleid: aggregate-metric-model-selection
ckpt = tf.keras.callbacks.ModelCheckpoint("best.h5", monitor="val_loss", save_best_only=True)

# ruleid: aggregate-metric-model-selection
ckpt = keras.callbacks.ModelCheckpoint("best.keras", save_best_only=True)

# ruleid: aggregate-metric-model-selection
pl_stop = pl.callbacks.EarlyStopping(monitor="val_loss", mode="min")

# ruleid: aggregate-metric-model-selection
pl_ckpt = pl.callbacks.ModelCheckpoint(monitor="val/acc", mode="max", save_top_k=1)

# ruleid: aggregate-metric-model-selection
args = TrainingArguments("out", load_best_model_at_end=True, evaluation_strategy="epoch", save_strategy="epoch")

# ruleid: aggregate-metric-model-selection
args = TrainingArguments("out", load_best_model_at_end=True, metric_for_best_model="accuracy")

best_acc = 0.0
for epoch in range(10):
    val_acc = evaluate(model, val_loader)
    # ruleid: aggregate-metric-model-selection
    if val_acc > best_acc:
        best_acc = val_acc
        torch.save(model.state_dict(), "best.pt")

    # ruleid: aggregate-metric-model-selection
    if val_loss < best_val_loss:
        best_val_loss = val_loss
        best_weights = copy.deepcopy(model.state_dict())

    # ruleid: aggregate-metric-model-selection
    is_best = acc1 > best_acc1


class Trainer:
    def validate_f1(self, f1):
        # ruleid: aggregate-metric-model-selection
        if f1 > self.BEST_F1:
            self.BEST_F1 = f1
            torch.save(self.model.state_dict(), "best.pt")

    def validate(self, loss):
        # ruleid: aggregate-metric-model-selection
        if loss < self.best_loss:
            self.best_loss = loss
            self.model.save_weights("best.weights.h5")


# Near misses: per-group or worst-group selection, checkpoints that select nothing.
# ok: aggregate-metric-model-selection
stop = keras.callbacks.EarlyStopping(monitor="val_worst_group_accuracy", mode="max")

# ok: aggregate-metric-model-selection
pl_ckpt = pl.callbacks.ModelCheckpoint(monitor="val/min_group_acc", mode="max")

# ok: aggregate-metric-model-selection
every_epoch = keras.callbacks.ModelCheckpoint("ckpt-{epoch}.keras", save_best_only=False)

# ok: aggregate-metric-model-selection
args = TrainingArguments("out", load_best_model_at_end=True, metric_for_best_model="eval_worst_group_f1")

for epoch in range(10):
    worst = min(per_group_accuracy(model, val_loader).values())
    # ok: aggregate-metric-model-selection
    if worst > best_worst_group_acc:
        best_worst_group_acc = worst
        torch.save(model.state_dict(), "best.pt")

    # ok: aggregate-metric-model-selection
    if page > best_page:
        log(page)

    # ok: aggregate-metric-model-selection
    if storage_used > best_storage:
        torch.save(model.state_dict(), "last.pt")

# ok: aggregate-metric-model-selection
lr_drop = keras.callbacks.ReduceLROnPlateau(monitor="val_loss", factor=0.5)

# ruleid: aggregate-metric-model-selection
stop = keras.callbacks.EarlyStopping(
    # ok: aggregate-metric-model-selection
    patience=int(config.get("patience", 3)),
)

# ruleid: aggregate-metric-model-selection
model.fit(x, y, callbacks=[keras.callbacks.EarlyStopping(patience=2)])


def train_unused(model):
    # ok: aggregate-metric-model-selection
    stopper = EarlyStopping(patience=7)
    for epoch in range(10):
        train_one(model)
        # stopper(val_loss, model)


def train_used(model):
    # ruleid: aggregate-metric-model-selection
    stopper = EarlyStopping(patience=7)
    for epoch in range(10):
        stopper(val_loss, model)
        if stopper.early_stop:
            break


if use_stopping:
    # ruleid: aggregate-metric-model-selection
    es = keras.callbacks.EarlyStopping(patience=3)
model.fit(x, y, callbacks=[es, stop, pl_stop])

# Gradient boosting stopped on the eval set's aggregate metric.
# ruleid: aggregate-metric-model-selection
booster = xgboost.XGBClassifier().fit(X, y, eval_set=[(X_val, y_val)], early_stopping_rounds=20)
# ok: aggregate-metric-model-selection
booster = xgboost.XGBClassifier().fit(X, y, eval_set=[(X_val, y_val)], early_stopping_rounds=None)
# ok: aggregate-metric-model-selection
booster = xgboost.XGBClassifier().fit(X, y, eval_set=[(X_val, y_val)], verbose=False)
# ruleid: aggregate-metric-model-selection
gbm = lightgbm.train(params, train_set, valid_sets=[val_set], callbacks=[lightgbm.early_stopping(50)])
