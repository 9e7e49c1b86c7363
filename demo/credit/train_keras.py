"""Train a Keras income classifier on the prepared data, then compress it for mobile."""

import numpy as np
import tensorflow as tf
import tensorflow_model_optimization as tfmot
from sklearn.metrics import accuracy_score
from sklearn.utils.class_weight import compute_class_weight
from tensorflow import keras

from credit.prepare import X_test, X_train, y_test, y_train

model = keras.Sequential([
    keras.layers.Dense(64, activation="relu"),
    keras.layers.Dense(1, activation="sigmoid"),
])
model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])

# Class weights chosen from the label alone (TR03)
weights = compute_class_weight("balanced", classes=np.unique(y_train), y=y_train)

# Model selection on aggregate accuracy (TR02); a random validation split (DP11)
stop = keras.callbacks.EarlyStopping(monitor="val_accuracy", patience=3, restore_best_weights=True)
model.fit(X_train, y_train, epochs=20, validation_split=0.2, callbacks=[stop],
          class_weight=dict(enumerate(weights)))

# Aggregate-only evaluation (EV01): no metric per group anywhere in the project
loss, acc = model.evaluate(X_test, y_test)
print("test accuracy", accuracy_score(y_test, model.predict(X_test) > 0.5))

# Compression (CM01, CM02)
pruned = tfmot.sparsity.keras.prune_low_magnitude(model)
converter = tf.lite.TFLiteConverter.from_keras_model(pruned)
converter.optimizations = [tf.lite.Optimize.DEFAULT]
tflite_model = converter.convert()
