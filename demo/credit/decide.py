"""Turn scores into approvals."""

import numpy as np


def approve(df, scores):
    # Group-specific thresholds (DL01)
    thresholds = np.where(df["race"] == "Black", 0.4, 0.5)
    return scores > thresholds
