from aif360.metrics import ClassificationMetric
from fairlearn.metrics import (
    demographic_parity_difference,
    demographic_parity_ratio,
    equalized_odds_difference,
    equalized_odds_ratio,
    selection_rate,
)
from sklearn.metrics import accuracy_score


def report_parity(y_test, y_pred, sex):
    # ruleid: single-fairness-metric
    dpd = demographic_parity_difference(y_test, y_pred, sensitive_features=sex)
    # ruleid: single-fairness-metric
    dpr = demographic_parity_ratio(y_test, y_pred, sensitive_features=sex)
    print(f"parity difference {dpd:.3f}, ratio {dpr:.3f}")


def report_aif(dataset_true, dataset_pred, priv, unpriv):
    metric = ClassificationMetric(dataset_true, dataset_pred, unprivileged_groups=unpriv, privileged_groups=priv)
    # ruleid: single-fairness-metric
    return metric.disparate_impact()


for seed in range(3):
    # ruleid: single-fairness-metric
    print(demographic_parity_difference(y_test, y_pred, sensitive_features=sex))

# Near misses: aggregate metrics and look-alike names are not fairness metrics.
# ok: single-fairness-metric
acc = accuracy_score(y_test, y_pred)

# ok: single-fairness-metric
rate = selection_rate(y_test, y_pred)

# ok: single-fairness-metric
demographic_parity_message = "page usage"

# ok: single-fairness-metric
storage_average = average_storage(page_stage)

