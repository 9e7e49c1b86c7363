# Second semgrep --test target for single-fairness-metric, deliberately without annotations:
# semgrep --test fails if the rule reports any line of this file. Every call below is a near
# miss, because a metric of another family (equalised odds, a MetricFrame) appears elsewhere
# in the same file, before or after it, at any nesting level.
from fairlearn.metrics import (
    MetricFrame,
    demographic_parity_difference,
    demographic_parity_ratio,
    equalized_odds_difference,
    false_negative_rate,
    selection_rate,
)


def parity(y_test, y_pred, sex):
    return demographic_parity_difference(y_test, y_pred, sensitive_features=sex)


class Report:
    def odds(self, y_test, y_pred, sex):
        for split in ("val", "test"):
            print(split, equalized_odds_difference(y_test, y_pred, sensitive_features=sex))


class LaterReport(Base):
    def ratio(self, y_test, y_pred, sex):
        return demographic_parity_ratio(y_test, y_pred, sensitive_features=sex)


dpd = demographic_parity_difference(y_test, y_pred, sensitive_features=sex)

if __name__ == "__main__":
    frame = MetricFrame(metrics={"sel": selection_rate, "fnr": false_negative_rate},
                        y_true=y_test, y_pred=y_pred, sensitive_features=sex)
