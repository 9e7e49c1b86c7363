import pandas as pd
import tensorflow as tf
import torch
from sklearn.compose import ColumnTransformer
from sklearn.preprocessing import LabelEncoder, OneHotEncoder, OrdinalEncoder, StandardScaler
from tensorflow.keras import layers

df = pd.read_csv("adult.csv")
le = LabelEncoder()

for col in ["workclass", "occupation", "native-country"]:
    # ruleid: label-encoding-of-nominal-feature
    df[col] = le.fit_transform(df[col])

# ruleid: label-encoding-of-nominal-feature
df["race"] = LabelEncoder().fit_transform(df["race"])

for col in ["cab_type", "source"]:
    # ruleid: label-encoding-of-nominal-feature
    df[col + "_enc"] = LabelEncoder().fit_transform(df[col].astype(str))

# ruleid: label-encoding-of-nominal-feature
df["relationship"] = df["relationship"].astype("category").cat.codes

# ruleid: label-encoding-of-nominal-feature
df["marital-status"] = pd.Categorical(df["marital-status"]).codes

# ruleid: label-encoding-of-nominal-feature
df["education"], uniques = pd.factorize(df["education"])

# ruleid: label-encoding-of-nominal-feature
encoded = df[["workclass", "marital-status"]].apply(LabelEncoder().fit_transform)

# ruleid: label-encoding-of-nominal-feature
pre = ColumnTransformer([("cat", OrdinalEncoder(), ["occupation", "native-country"])])


def keras_features(train_df):
    # ruleid: label-encoding-of-nominal-feature
    lookup = layers.StringLookup()
    lookup.adapt(train_df["occupation"])
    return lookup(train_df["occupation"])


# Near misses: encoding the target, one-hot encoding, ordered categories, scaling,
# codes that feed an embedding layer.
# ok: label-encoding-of-nominal-feature
df["income"] = le.fit_transform(df["income"])

# ok: label-encoding-of-nominal-feature
y = LabelEncoder().fit_transform(df["income"])

# ok: label-encoding-of-nominal-feature
onehot = OneHotEncoder(handle_unknown="ignore").fit_transform(df[["race", "occupation"]])

# ok: label-encoding-of-nominal-feature
ordered = OrdinalEncoder(categories=[["low", "medium", "high"]])

# ok: label-encoding-of-nominal-feature
df["page_usage"] = StandardScaler().fit_transform(df[["page_usage"]])

# ok: label-encoding-of-nominal-feature
codes = torch.tensor(df["occupation"].astype("category").cat.codes.values)
embedding = torch.nn.Embedding(num_embeddings=int(codes.max()) + 1, embedding_dim=8)


def keras_embedded(train_df):
    # ok: label-encoding-of-nominal-feature
    lookup = tf.keras.layers.StringLookup()
    lookup.adapt(train_df["occupation"])
    emb = tf.keras.layers.Embedding(lookup.vocabulary_size(), 8)
    return emb(lookup(train_df["occupation"]))


def keras_onehot(train_df):
    # ok: label-encoding-of-nominal-feature
    lookup = layers.StringLookup(output_mode="one_hot")
    return lookup(train_df["occupation"])


# Codes written to a column and only later fed to an embedding are still reported.
# todook: label-encoding-of-nominal-feature
df["city_id"] = df["city"].astype("category").cat.codes
city_embedding = torch.nn.Embedding(df["city_id"].nunique(), 4)
