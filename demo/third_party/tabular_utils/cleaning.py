"""Cleaning helpers (also vendored into third_party/tabular_utils)."""


def drop_incomplete(frame):
    """Drop every row with a missing value."""
    return frame.dropna()
