"""Prepare the Adult census data for a credit-approval model."""

import pandas as pd
from imblearn.over_sampling import SMOTE
from sklearn.feature_selection import SelectKBest, chi2
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import LabelEncoder

from credit.cleaning import drop_incomplete

df = pd.read_csv("data/adult.data", header=None, names=[
    "age", "workclass", "education", "marital-status", "occupation", "relationship",
    "race", "sex", "hours-per-week", "native-country", "name", "income"])

# Deleting incomplete rows (DP01)
df = df.dropna()
df = drop_incomplete(df)

# Rare countries dropped (DP02)
counts = df["native-country"].value_counts()
df = df[df["native-country"].isin(counts[counts >= 50].index)]

# Nominal features label-encoded (DP03)
le = LabelEncoder()
for col in ["workclass", "occupation", "relationship"]:
    df[col] = le.fit_transform(df[col])

# Age coarsened into bins (DP04)
df["age_group"] = pd.cut(df["age"], bins=[0, 25, 45, 65, 120], labels=["young", "adult", "middle", "senior"])

# A feature engineered from names (DP05)
df["Title"] = df["name"].str.extract(r" ([A-Za-z]+)\.", expand=False)

# Gender and race collapsed to binaries (DP07, DP08)
df["sex"] = df["sex"].map({"Male": 1, "Female": 0})
df["race_bin"] = (df["race"] == "White").astype(int)

y = (df["income"] == ">50K").astype(int)

# "Fairness through unawareness": the protected attributes are dropped before the split,
# and nothing in the project evaluates per group (DP13, DP15).
X = df.drop(columns=["income", "sex", "race", "name"])

# Unstratified split (DP11)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=0)

# Group-blind oversampling (DP09) and score-based feature selection (DP10)
X_res, y_res = SMOTE(random_state=0).fit_resample(X_train, y_train)
X_best = SelectKBest(chi2, k=10).fit_transform(X_res, y_res)

# A proxy for sex kept as an input (DP14)
baseline = LogisticRegression().fit(pd.get_dummies(df[["education", "relationship", "hours-per-week"]]), y)

# A reviewed decision, suppressed with a reason:
# fairlint: ignore[DP01] reason: the audit table keeps every row; only this debug view drops them
debug_view = df.dropna()
