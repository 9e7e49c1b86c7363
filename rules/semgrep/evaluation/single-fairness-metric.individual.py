# Third semgrep --test target for single-fairness-metric, without annotations: every call below
# is a near miss, because the file also measures individual fairness (a hand-written
# consistency of predictions between individuals who differ only in a protected attribute),
# a second fairness notion beside the group error-rate gaps.
import numpy as np


def gaps(metric):
    tpr_gap = metric.true_positive_rate_difference()
    fpr_gap = metric.false_positive_rate_difference()
    return max(abs(tpr_gap), abs(fpr_gap))


def flip_consistency(model, X, sex_column):
    flipped = X.copy()
    flipped[:, sex_column] = 1 - flipped[:, sex_column]
    return np.mean(model.predict(X) == model.predict(flipped))


def report(model, metric, X_test):
    print("max gap", gaps(metric))
    print("consistency", flip_consistency(model, X_test, sex_column=3))
