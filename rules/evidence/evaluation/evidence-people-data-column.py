import pandas as pd

df = pd.read_csv("applicants.csv")

# ruleid: evidence-people-data-column
sex = df["sex"]

# ruleid: evidence-people-data-column
subset = df[["income", "race", "hours"]]

# ruleid: evidence-people-data-column
ages = df.loc[:, "age"]

# ruleid: evidence-people-data-column
status = df["marital-status"]

# ruleid: evidence-people-data-column
male = attrs["Male"]

# Near misses: words that merely contain a protected term, non-string indexes.
# ok: evidence-people-data-column
pages = df["page"]

# ok: evidence-people-data-column
stage = df["stage"]

# ok: evidence-people-data-column
first = df[0]

# ok: evidence-people-data-column
usage = df[["usage", "average"]]

# ok: evidence-people-data-column
maleness = attrs["Maleness"]

# ok: evidence-people-data-column
path = os.environ["DISABLED_TESTS_FILE"]
