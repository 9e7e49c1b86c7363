import torch
from aif360.metrics import ClassificationMetric
from fairlearn.metrics import MetricFrame, demographic_parity_difference, selection_rate
from sklearn.model_selection import StratifiedKFold, train_test_split

X_train, X_test, y_train, y_test, A_train, A_test = train_test_split(X, y, A, test_size=0.3, random_state=42)
clf.fit(X_train, y_train)
y_pred = clf.predict(X_test)
# ruleid: fairness-on-single-split
dpd = demographic_parity_difference(y_test, y_pred, sensitive_features=A_test)
if verbose:
    # ruleid: fairness-on-single-split
    frame = MetricFrame(metrics=selection_rate, y_true=y_test, y_pred=y_pred, sensitive_features=A_test)


def evaluate_aif(dataset, model):
    train, test = dataset.split([0.7], shuffle=True)
    pred = test.copy()
    pred.labels = model.fit(train.features, train.labels.ravel()).predict(test.features)
    # ruleid: fairness-on-single-split
    metric = ClassificationMetric(test, pred, unprivileged_groups=unpriv, privileged_groups=priv)
    return metric.equal_opportunity_difference()


def evaluate_torch(dataset):
    train_set, test_set = torch.utils.data.random_split(dataset, [800, 200])
    preds, groups = predict(test_set)
    # ruleid: fairness-on-single-split
    return MetricFrame(metrics=selection_rate, y_true=labels, y_pred=preds, sensitive_features=groups)


# Near misses: repeated over seeds or folds, seeded from a variable, no split at all.
def seed_sweep(X, y, A):
    results = []
    for seed in range(10):
        X_tr, X_te, y_tr, y_te, A_tr, A_te = train_test_split(X, y, A, random_state=seed)
        y_hat = clf.fit(X_tr, y_tr).predict(X_te)
        # ok: fairness-on-single-split
        results.append(demographic_parity_difference(y_te, y_hat, sensitive_features=A_te))
    return results


def one_seed(X, y, A, seed):
    X_tr, X_te, y_tr, y_te, A_tr, A_te = train_test_split(X, y, A, random_state=seed)
    y_hat = clf.fit(X_tr, y_tr).predict(X_te)
    # ok: fairness-on-single-split
    return demographic_parity_difference(y_te, y_hat, sensitive_features=A_te)


def folds(X, y, A):
    for train_idx, test_idx in StratifiedKFold(n_splits=5).split(X, y):
        y_hat = clf.fit(X[train_idx], y[train_idx]).predict(X[test_idx])
        # ok: fairness-on-single-split
        yield MetricFrame(metrics=selection_rate, y_true=y[test_idx], y_pred=y_hat, sensitive_features=A[test_idx])


def no_split(y_true, y_pred, A):
    # ok: fairness-on-single-split
    return demographic_parity_difference(y_true, y_pred, sensitive_features=A)


def average_page_usage(pages):
    parts = train_test_split(pages)
    # ok: fairness-on-single-split
    return storage_average(parts)
