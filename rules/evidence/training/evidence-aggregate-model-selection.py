import tensorflow as tf
import torch
from sklearn.model_selection import GridSearchCV

# ruleid: evidence-aggregate-model-selection
stop = tf.keras.callbacks.EarlyStopping(monitor="val_accuracy", patience=3)
model.fit(x, y, callbacks=[stop])

# ruleid: evidence-aggregate-model-selection
ckpt = tf.keras.callbacks.ModelCheckpoint("best.h5", save_best_only=True)

# ruleid: evidence-aggregate-model-selection
search = GridSearchCV(clf, {"C": [0.1, 1.0]}, scoring="accuracy")


def train(model, loader):
    # ruleid: evidence-aggregate-model-selection
    stopper = EarlyStopping(patience=7)
    for epoch in range(10):
        stopper(fit_epoch(model, loader), model)


def train_without_stopping(model, loader):
    # ok: evidence-aggregate-model-selection
    stopper = EarlyStopping(patience=7)
    for epoch in range(10):
        fit_epoch(model, loader)


# Near misses: a checkpoint of every epoch; a hand-written best-score loop (evidence-best-score-checkpoint).
# ok: evidence-aggregate-model-selection
ckpt = tf.keras.callbacks.ModelCheckpoint("epoch-{epoch}.h5")

# ok: evidence-aggregate-model-selection
if val_acc > best_acc:
    torch.save(model.state_dict(), "best.pt")
