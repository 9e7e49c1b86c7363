import pandas as pd
from aif360.metrics import ClassificationMetric
from fairlearn.metrics import MetricFrame, demographic_parity_difference
from sklearn.metrics import accuracy_score
from torchmetrics.classification import BinaryFairness

df = pd.read_csv("data.csv")
y_true, y_pred = df["label"], df["pred"]

# ruleid: evidence-per-group-metric
mf = MetricFrame(metrics=accuracy_score, y_true=y_true, y_pred=y_pred, sensitive_features=df["sex"])

# ruleid: evidence-per-group-metric
gap = demographic_parity_difference(y_true, y_pred, sensitive_features=df["race"])

# ruleid: evidence-per-group-metric
metric = ClassificationMetric(ds_true, ds_pred, unprivileged_groups=[{"sex": 0}], privileged_groups=[{"sex": 1}])

# ruleid: evidence-per-group-metric
fair = BinaryFairness(num_groups=2)

# ruleid: evidence-per-group-metric
rates = df.groupby("gender")["pred"].mean()

# ruleid: evidence-per-group-metric
per_group = df.groupby(["race", "sex"]).apply(lambda g: accuracy_score(g.label, g.pred))

# ruleid: evidence-per-group-metric
women_acc = accuracy_score(y_true[df["sex"] == "Female"], y_pred[df["sex"] == "Female"])

for group in df["ethnicity"].unique():
    rows = df[df["ethnicity"] == group]
    # ruleid: evidence-per-group-metric
    print(group, accuracy_score(rows.label, rows.pred))

# Near misses: group-bys and loops over non-protected columns, aggregate metrics.
# ok: evidence-per-group-metric
by_page = df.groupby("page")["pred"].mean()

# ok: evidence-per-group-metric
acc = accuracy_score(y_true, y_pred)

# ok: evidence-per-group-metric
stage_acc = accuracy_score(y_true[df["stage"] == 1], y_pred[df["stage"] == 1])

for epoch in range(3):
    # ok: evidence-per-group-metric
    print(accuracy_score(y_true, y_pred))

# ok: evidence-per-group-metric
counts = df.groupby("sex").size()
