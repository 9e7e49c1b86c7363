import pandas as pd
from nameparser import HumanName

df = pd.read_csv("titanic/train.csv")

# ruleid: features-from-personal-names
df["Title"] = df["Name"].str.extract(r" ([A-Za-z]+)\.", expand=False)

# ruleid: features-from-personal-names
df["Title"] = df["Title"].replace(["Mlle", "Ms"], "Miss")

# ruleid: features-from-personal-names
df["Title"] = df["Title"].replace({"Mlle": "Miss", "Ms": "Miss", "Mme": "Mrs"})

# ruleid: features-from-personal-names
df["Surname"] = df.Name.str.split(",").str[0]

# ruleid: features-from-personal-names
df["name_length"] = df["Name"].apply(len)

# ruleid: features-from-personal-names
df["initial"] = df["last_name"].str.slice(0, 1)

# ruleid: features-from-personal-names
df["surname_len"] = df["surname"].map(lambda s: len(s))

# A method chain over lines, a comment between the column and the accessor.
# ruleid: features-from-personal-names
df["first_initial"] = (df["first_name"]  # given name
                       .str.slice(0, 1))

# ruleid: features-from-personal-names
parsed = HumanName("Dr. Juan Q. Xavier de la Vega III")

# Near misses: normalising a name, string operations on other columns, a zip column,
# look-alike names.
# ok: features-from-personal-names
df["Name"] = df["Name"].str.strip()

# ok: features-from-personal-names
df["Deck"] = df["Cabin"].str.extract(r"([A-Z])", expand=False)

# ok: features-from-personal-names
df["zip3"] = df["zip"].str.slice(0, 3)

# ok: features-from-personal-names
df["page_kind"] = df["page_name_storage"].str.split("/").str[0]

# ok: features-from-personal-names
df["file_ext"] = df["filename"].str.split(".").str[-1]

# ok: features-from-personal-names
df["Port"] = df["Embarked"].map({"C": "Cherbourg", "Q": "Queenstown"})

# ok: features-from-personal-names
df["Embarked"] = df["Embarked"].replace(["C", "Q"], "S")

# ok: features-from-personal-names
df["usage"] = df["usage"].apply(len)

# A name column reached through a variable is not recognised.
NAME_COL = "Name"
# todoruleid: features-from-personal-names
df["Title2"] = df[NAME_COL].str.extract(r" ([A-Za-z]+)\.", expand=False)
