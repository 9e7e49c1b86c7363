from opacus import PrivacyEngine
from sklearn.linear_model import LogisticRegression

from features import select_features


def train(df):
    X = select_features(df)
    LogisticRegression().fit(X, df["label"])


def threshold_for(gender):
    if gender == "F":
        threshold = 0.6
    else:
        threshold = 0.5
    return threshold


def private(model, optimizer, loader):
    engine = PrivacyEngine()
    return engine.make_private(module=model, optimizer=optimizer, data_loader=loader)
