"""Test data for `fairlint measure`: the 1973 Berkeley admissions counts and a seeded synthetic table."""

from __future__ import annotations

import numpy as np
import pandas as pd

# Published counts (Bickel, Hammel and O'Connell, Science 1975): department -> (applicants, admitted).
BERKELEY_MEN = {"A": (825, 512), "B": (560, 353), "C": (325, 120), "D": (417, 138), "E": (191, 53), "F": (373, 22)}
BERKELEY_WOMEN = {"A": (108, 89), "B": (25, 17), "C": (593, 202), "D": (375, 131), "E": (393, 94), "F": (341, 24)}


def berkeley_frame() -> pd.DataFrame:
    rows = []
    for sex, table in (("M", BERKELEY_MEN), ("F", BERKELEY_WOMEN)):
        for department, (applied, admitted) in table.items():
            rows += [(sex, department, 1)] * admitted + [(sex, department, 0)] * (applied - admitted)
    return pd.DataFrame(rows, columns=["sex", "department", "admitted"])


def synthetic(rows: int, seed: int) -> pd.DataFrame:
    """A seeded table: sex (2 values), race (3), region (4) as strata, label and a score-based prediction."""
    rng = np.random.default_rng(seed)
    sex = rng.choice(["female", "male"], rows, p=[0.45, 0.55])
    race = rng.choice(["a", "b", "c"], rows, p=[0.6, 0.3, 0.1])
    region = rng.choice(["north", "south", "east", "west"], rows)
    base = 0.3 + 0.15 * (sex == "male") + 0.1 * (region == "north") - 0.05 * (race == "c")
    label = (rng.random(rows) < base).astype(int)
    score = np.clip(base + rng.normal(0, 0.25, rows) + 0.2 * label - 0.2, 0, 1)
    return pd.DataFrame({"sex": sex, "race": race, "region": region, "label": label, "score": score.round(4)})
