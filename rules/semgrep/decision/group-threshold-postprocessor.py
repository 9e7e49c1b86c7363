from aif360.algorithms.postprocessing import (
    CalibratedEqOddsPostprocessing,
    EqOddsPostprocessing,
    RejectOptionClassification,
)
from aif360.sklearn.postprocessing import CalibratedEqualizedOdds, PostProcessingMeta
from fairlearn.postprocessing import ThresholdOptimizer
from fairlearn.reductions import DemographicParity, ExponentiatedGradient
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import TunedThresholdClassifierCV

# ruleid: group-threshold-postprocessor
post = ThresholdOptimizer(
    # ok: group-threshold-postprocessor
    estimator=LogisticRegression(),
    constraints="equalized_odds",
    predict_method="predict_proba",
)
post.fit(X_train, y_train, sensitive_features=A_train)

# ruleid: group-threshold-postprocessor
eop = EqOddsPostprocessing(unprivileged_groups=unpriv, privileged_groups=priv, seed=0)

# ruleid: group-threshold-postprocessor
cpp = CalibratedEqOddsPostprocessing(privileged_groups=priv, unprivileged_groups=unpriv, cost_constraint="fnr")

# ruleid: group-threshold-postprocessor
roc = RejectOptionClassification(unprivileged_groups=unpriv, privileged_groups=priv)

# ruleid: group-threshold-postprocessor
pp = PostProcessingMeta(LogisticRegression(), CalibratedEqualizedOdds("sex", cost_constraint="fpr"))

# Near misses: in-processing mitigation, global thresholds, look-alike names.
# ok: group-threshold-postprocessor
mitigator = ExponentiatedGradient(LogisticRegression(), constraints=DemographicParity())

# ok: group-threshold-postprocessor
tuned = TunedThresholdClassifierCV(LogisticRegression(), scoring="balanced_accuracy")

# ok: group-threshold-postprocessor
act = tf.keras.layers.ThresholdedReLU(theta=1.0)

# ok: group-threshold-postprocessor
threshold_optimizer_message = "storage usage"
