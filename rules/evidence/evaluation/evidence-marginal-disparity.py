from fairlearn.metrics import MetricFrame, demographic_parity_difference, selection_rate

# ruleid: evidence-marginal-disparity
gap = demographic_parity_difference(y_true, y_pred, sensitive_features=sex)

# ruleid: evidence-marginal-disparity
di = metric.disparate_impact()

# ruleid: evidence-marginal-disparity
mf = MetricFrame(metrics=selection_rate, y_true=y_true, y_pred=y_pred, sensitive_features=sex)

# Near misses: conditioned on strata, or a performance metric.
# ok: evidence-marginal-disparity
mf = MetricFrame(metrics=selection_rate, y_true=y_true, y_pred=y_pred, sensitive_features=sex, control_features=dept)

# ok: evidence-marginal-disparity
mf = MetricFrame(metrics=accuracy_score, y_true=y_true, y_pred=y_pred, sensitive_features=sex)

# ok: evidence-marginal-disparity
impact = compute_disparate_impact_report
