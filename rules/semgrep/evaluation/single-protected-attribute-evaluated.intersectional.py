# Second semgrep --test target, deliberately without annotations: semgrep --test fails if
# the rule reports any line here. Single-attribute evaluations are near misses in this file
# because an intersectional grouping (several attributes at once) appears in it.
import pandas as pd
from fairlearn.metrics import MetricFrame, selection_rate

df = pd.read_csv("adult.csv")

by_sex = MetricFrame(metrics=selection_rate, y_true=y_test, y_pred=y_pred, sensitive_features=df["sex"])


def by_race(y_test, y_pred):
    return MetricFrame(metrics=selection_rate, y_true=y_test, y_pred=y_pred, sensitive_features=df["race"])


crossed = MetricFrame(metrics=selection_rate, y_true=y_test, y_pred=y_pred, sensitive_features=df[["sex", "race"]])
