import pandas as pd
from sklearn.model_selection import train_test_split

df = pd.read_csv("adult.csv")

# ruleid: evidence-protected-attribute-kept
sensitive = df["sex"]

# ruleid: evidence-protected-attribute-kept
race = df.pop("race")

# ruleid: evidence-protected-attribute-kept
groups = df["gender"].astype("category")

# ruleid: evidence-protected-attribute-kept
X_tr, X_te, y_tr, y_te, sex_tr, sex_te = train_test_split(X, y, sex, test_size=0.2)

# Near misses: other columns, a split that carries no attribute.
# ok: evidence-protected-attribute-kept
pages = df["page"]

# ok: evidence-protected-attribute-kept
X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=0.2)

# ok: evidence-protected-attribute-kept
df["sex"] = df["sex"].map({"Male": 1, "Female": 0})

# ok: evidence-protected-attribute-kept
adults = df[df["age"] >= 18]

# ok: evidence-protected-attribute-kept
subset = df[["race", "income"]]
