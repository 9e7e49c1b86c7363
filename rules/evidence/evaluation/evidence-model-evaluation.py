import tensorflow as tf
import torch

model = tf.keras.Sequential()
# ruleid: evidence-model-evaluation
model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])

# ruleid: evidence-model-evaluation
loss, acc = model.evaluate(x_test, y_test)

# ruleid: evidence-model-evaluation
results = trainer.evaluate()

# Near misses: not an evaluation, or a name that merely contains the word.
# ok: evidence-model-evaluation
model.compile(optimizer="adam", loss="mse")

# ok: evidence-model-evaluation
guard.evaluate_expr(expr)

# ok: evidence-model-evaluation
compiled = torch.compile(model)

# ok: evidence-model-evaluation
model.compile_metrics(optimizer="adam", metrics=["accuracy"])

# ok: evidence-model-evaluation
acc = accuracy_score(y_test, y_pred)
