import pandas as pd
from aif360.datasets import StandardDataset

df = pd.read_csv("compas-scores-two-years.csv")

# ruleid: evidence-proxy-target
data = StandardDataset(df, label_name="two_year_recid", favorable_classes=[0],
                       protected_attribute_names=["race"], privileged_classes=[["Caucasian"]])

# ruleid: evidence-proxy-target
y = df["is_recid"].fillna(0).values

# ruleid: evidence-proxy-target
df["label"] = df.apply(lambda row: 1.0 if row["two_year_recid"] == 0 else 0.0, axis=1)

# ruleid: evidence-proxy-target
frame = pd.concat([df[["priors_count", "age"]], df[["two_year_recid"]]], axis=1)

bail = pd.read_csv("bail.csv")
# ruleid: evidence-proxy-target
y_train = bail["RECID"]

# Near misses: a row filter, a dropped column, a feature list, another target.
# ok: evidence-proxy-target
df = df[df["is_recid"] != -1]

# ok: evidence-proxy-target
X = df.drop(columns=["two_year_recid"])

# ok: evidence-proxy-target
features = df[["priors_count", "juv_fel_count", "decile_score"]]

# ok: evidence-proxy-target
y = df["income"].values

# ok: evidence-proxy-target
recid_rate = df["two_year_recid"].mean()
