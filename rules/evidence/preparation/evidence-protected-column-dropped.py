import pandas as pd

df = pd.read_csv("adult.csv")

# ruleid: evidence-protected-column-dropped
X = df.drop(columns=["income", "sex", "race"])

# ruleid: evidence-protected-column-dropped
X = df.drop(["sex"], axis=1)

# ruleid: evidence-protected-column-dropped
X = df.drop("race", axis="columns")

# ruleid: evidence-protected-column-dropped
df.drop(columns="age", inplace=True)

# ruleid: evidence-protected-column-dropped
del df["gender"]

# ruleid: evidence-protected-column-dropped
df.pop("ethnicity")

# Near misses: non-protected columns, rows dropped, the attribute kept aside.
# ok: evidence-protected-column-dropped
X = df.drop(columns=["income", "page"])

# ok: evidence-protected-column-dropped
X = df.drop([0, 1])

# ok: evidence-protected-column-dropped
sensitive = df.pop("sex")

# ok: evidence-protected-column-dropped
del df["stage"]
