import pandas as pd
import tensorflow_model_analysis as tfma
from aif360.metrics import BinaryLabelDatasetMetric
from fairlearn.metrics import MetricFrame, selection_rate
from sklearn.metrics import accuracy_score

df = pd.read_csv("adult.csv")
X = df.drop(columns=["income", "race"])

# ruleid: single-protected-attribute-evaluated
frame = MetricFrame(metrics=accuracy_score, y_true=y_test, y_pred=y_pred, sensitive_features=df["sex"])


def audit(dataset):
    # ruleid: single-protected-attribute-evaluated
    metric = BinaryLabelDatasetMetric(dataset, privileged_groups=[{"sex": 1}], unprivileged_groups=[{"sex": 0}])
    return metric.mean_difference()


# ruleid: single-protected-attribute-evaluated
slicing = [tfma.SlicingSpec(), tfma.SlicingSpec(feature_keys=["race"])]

# Near misses: the attribute is the only protected one named, or not protected at all.
# ok: single-protected-attribute-evaluated
by_region = MetricFrame(metrics=selection_rate, y_true=y_test, y_pred=y_pred, sensitive_features=df["region"])

# ok: single-protected-attribute-evaluated
by_page = MetricFrame(metrics=selection_rate, y_true=y_test, y_pred=y_pred, sensitive_features=df.page)

# ok: single-protected-attribute-evaluated
by_storage = MetricFrame(metrics=selection_rate, y_true=y_test, y_pred=y_pred, sensitive_features=storage_usage)
