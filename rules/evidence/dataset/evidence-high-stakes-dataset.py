import pandas as pd
from aif360.datasets import CompasDataset
from sklearn.datasets import fetch_openml

# ruleid: evidence-high-stakes-dataset
df = pd.read_csv("data/adult.data", header=None)

# ruleid: evidence-high-stakes-dataset
compas = pd.read_csv("compas-scores-two-years.csv")

# ruleid: evidence-high-stakes-dataset
credit = fetch_openml("credit-g", version=1, as_frame=True)

# ruleid: evidence-high-stakes-dataset
apps = pd.read_csv("home-credit/application_train.csv")

# ruleid: evidence-high-stakes-dataset
ds = CompasDataset()

# ruleid: evidence-high-stakes-dataset
loans = pd.read_excel("C:\\data\\default of credit card clients.xls")

# Near misses: other files whose names contain the letters.
# ok: evidence-high-stakes-dataset
logs = pd.read_csv("adultery_of_words.csv")

# ok: evidence-high-stakes-dataset
cfg = open("compass.yaml")

# ok: evidence-high-stakes-dataset
mnist = fetch_openml("mnist_784")
