from aif360.algorithms.preprocessing import Reweighing

# ruleid: evidence-group-reweighting
rw = Reweighing(unprivileged_groups=[{"sex": 0}], privileged_groups=[{"sex": 1}])

# ruleid: evidence-group-reweighting
weights = 1.0 / df.groupby(["race", "label"])["label"].transform("count")

# Near misses: weights from label counts only, group-bys on other columns.
# ok: evidence-group-reweighting
weights = 1.0 / df.groupby("label")["label"].transform("count")

# ok: evidence-group-reweighting
sizes = df.groupby("sex").size()
