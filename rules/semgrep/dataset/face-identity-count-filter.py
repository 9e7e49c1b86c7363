from sklearn import datasets
from sklearn.datasets import fetch_lfw_pairs, fetch_lfw_people, fetch_olivetti_faces

# ruleid: face-identity-count-filter
lfw = fetch_lfw_people(min_faces_per_person=70, resize=0.4)

# ruleid: face-identity-count-filter
faces = datasets.fetch_lfw_people(data_home="data", min_faces_per_person=20)

# ruleid: face-identity-count-filter
positional = fetch_lfw_people(None, True, 0.5, 50)

# Near misses: every identity kept, other loaders, look-alike keyword on another function.
# ok: face-identity-count-filter
everyone = fetch_lfw_people(min_faces_per_person=0, resize=0.4)

# ok: face-identity-count-filter
default = fetch_lfw_people(resize=0.5)

# ok: face-identity-count-filter
pairs = fetch_lfw_pairs(subset="train")

# ok: face-identity-count-filter
olivetti = fetch_olivetti_faces()


def load_people(min_faces_per_person=10):
    return min_faces_per_person


# ok: face-identity-count-filter
people = load_people(min_faces_per_person=30)

# A hand-written identity-count filter over a face index is not recognised.
import pandas as pd

index = pd.read_csv("faces.csv")
counts = index["identity"].value_counts()
# todoruleid: face-identity-count-filter
index = index[index["identity"].isin(counts[counts >= 20].index)]
