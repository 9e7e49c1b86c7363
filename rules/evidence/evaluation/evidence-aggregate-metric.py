import tensorflow as tf
import torch
import torchmetrics
from sklearn import metrics
from sklearn.metrics import accuracy_score, f1_score

y_test = [0, 1]
y_pred = [0, 1]

# ruleid: evidence-aggregate-metric
acc = accuracy_score(y_test, y_pred)

# ruleid: evidence-aggregate-metric
auc = metrics.roc_auc_score(y_test, y_pred)

# ruleid: evidence-aggregate-metric
metric = torchmetrics.classification.BinaryAccuracy()

import evaluate

# ruleid: evidence-aggregate-metric
metric = evaluate.load("accuracy")

# ruleid: evidence-aggregate-metric
f1_metric = evaluate.load('f1')

# ok: evidence-aggregate-metric
bleu = evaluate.load("bleu")

# Near misses: not metrics, or a name that merely contains a metric word.
# ok: evidence-aggregate-metric
accuracy_scores = []

# ok: evidence-aggregate-metric
report_accuracy_score_table(y_test)

# ok: evidence-aggregate-metric
n_correct = (preds == labels).sum()

# ok: evidence-aggregate-metric
loss, acc = model.evaluate(x_test, y_test)
