# Third semgrep --test target, deliberately without annotations: semgrep --test fails if the
# rule reports any line here. The file names one protected attribute only ("sex"), so there is
# no other attribute that goes unevaluated. "page", "stage" and "usage" are not attributes.
import pandas as pd
from fairlearn.metrics import MetricFrame, selection_rate

df = pd.read_csv("loans.csv", usecols=["sex", "income", "page", "stage", "usage"])

frame = MetricFrame(metrics=selection_rate, y_true=y_test, y_pred=y_pred, sensitive_features=df["sex"])
