import tensorflow as tf
import torch
from sklearn.model_selection import GridSearchCV

# ruleid: evidence-aggregate-model-selection
stop = tf.keras.callbacks.EarlyStopping(monitor="val_accuracy", patience=3)

# ruleid: evidence-aggregate-model-selection
ckpt = tf.keras.callbacks.ModelCheckpoint("best.h5", save_best_only=True)

# ruleid: evidence-aggregate-model-selection
search = GridSearchCV(clf, {"C": [0.1, 1.0]}, scoring="accuracy")

best_acc = 0.0
for epoch in range(10):
    val_acc = evaluate(model)
    # ruleid: evidence-aggregate-model-selection
    if val_acc > best_acc:
        best_acc = val_acc
        torch.save(model.state_dict(), "best.pt")

# Near misses: checkpoints every epoch, comparisons without saving.
# ok: evidence-aggregate-model-selection
ckpt = tf.keras.callbacks.ModelCheckpoint("epoch-{epoch}.h5")

for epoch in range(10):
    # ok: evidence-aggregate-model-selection
    if val_acc > best_acc:
        print("improved")
    torch.save(model.state_dict(), f"epoch{epoch}.pt")

from torch import save

for epoch in range(10):
    # ruleid: evidence-aggregate-model-selection
    if val_loss < best_val_loss:
        best_val_loss = val_loss
        save(model.state_dict(), "best.pt")

for epoch in range(10):
    # ok: evidence-aggregate-model-selection
    if val_acc > best_acc:
        torch.save_checkpoint(model, "best.pt")
