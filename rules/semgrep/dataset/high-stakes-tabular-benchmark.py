import openml
import pandas as pd
import seaborn as sns
import tensorflow as tf
import tensorflow_datasets as tfds
from aif360.datasets import CompasDataset
from fairlearn.datasets import fetch_adult
from sklearn.datasets import fetch_california_housing, fetch_openml, load_iris

# ruleid: high-stakes-tabular-benchmark
adult = fetch_openml("adult", version=2, as_frame=True)

# ruleid: high-stakes-tabular-benchmark
credit = fetch_openml(name="credit-g", as_frame=True)

# ruleid: high-stakes-tabular-benchmark
bank = fetch_openml(data_id=1461, as_frame=True)

# ruleid: high-stakes-tabular-benchmark
X, y = fetch_adult(return_X_y=True, as_frame=True)

# ruleid: high-stakes-tabular-benchmark
compas = CompasDataset()

# ruleid: high-stakes-tabular-benchmark
raw = pd.read_csv("https://raw.githubusercontent.com/propublica/compas-analysis/master/compas-scores-two-years.csv")

# ruleid: high-stakes-tabular-benchmark
census = pd.read_csv("data/adult.data", header=None, names=["age", "workclass"])

# ruleid: high-stakes-tabular-benchmark
german = pd.read_csv("german.data", sep=" ", header=None)

# ruleid: high-stakes-tabular-benchmark
path = tf.keras.utils.get_file("train.csv", "https://storage.googleapis.com/tf-datasets/titanic/train.csv")

# ruleid: high-stakes-tabular-benchmark
titanic = sns.load_dataset("titanic")

# ruleid: high-stakes-tabular-benchmark
ds = tfds.load("german_credit_numeric", split="train")

# ruleid: high-stakes-tabular-benchmark
homecredit = pd.read_csv("input/application_train.csv")

# ruleid: high-stakes-tabular-benchmark
task = openml.datasets.get_dataset(1590)

# Path forms the prefilter companion must still let through: f-string, line continuation.
# ruleid: high-stakes-tabular-benchmark
census_f = pd.read_csv(f"{DATA_DIR}/adult.data")

# ruleid: high-stakes-tabular-benchmark
german_nfs = pd.read_csv("/mnt/shared/\
datasets/statlog/german.data")

# Near misses: other datasets and names that merely contain a benchmark's name.
# ok: high-stakes-tabular-benchmark
housing = fetch_california_housing(as_frame=True)

# ok: high-stakes-tabular-benchmark
iris = load_iris()

# ok: high-stakes-tabular-benchmark
mnist = fetch_openml("mnist_784", version=1)

# ok: high-stakes-tabular-benchmark
tips = sns.load_dataset("tips")

# ok: high-stakes-tabular-benchmark
usage = pd.read_csv("reports/adult_content_usage_page.csv")

# ok: high-stakes-tabular-benchmark
other = fetch_openml(data_id=554)

# ok: high-stakes-tabular-benchmark
storage = pd.read_csv("storage/bank_transactions.csv")

# ruleid: high-stakes-tabular-benchmark
TRAIN_PATH = "titanic/train.csv"
# ok: high-stakes-tabular-benchmark
train = pd.read_csv(TRAIN_PATH)

# ok: high-stakes-tabular-benchmark
REPORT = "adult education usage report.csv"

# Written, not read: results and logs named after the benchmark are no load.
# ok: high-stakes-tabular-benchmark
scored.to_csv(os.path.join(out_dir, "adult.csv"))
# ok: high-stakes-tabular-benchmark
with open("german.data", "w") as handle:
    handle.write(text)
# ok: high-stakes-tabular-benchmark
log_file = os.path.join(run_dir, "adult.csv")
# ok: high-stakes-tabular-benchmark
save_path = "experiments/adult.csv"
# ok: high-stakes-tabular-benchmark
predictions = pd.read_csv("results/adult.csv")
# ok: high-stakes-tabular-benchmark
os.makedirs(os.path.join(base, "adult.data"), exist_ok=True)
# Near misses of the near misses: read modes and data folders are loads.
# ruleid: high-stakes-tabular-benchmark
with open("german.data", "r") as handle:
    rows = handle.readlines()
# ruleid: high-stakes-tabular-benchmark
table = pd.read_csv(os.path.join(data_dir, "compas-scores-two-years.csv"))
# ruleid: high-stakes-tabular-benchmark
raw_path = "downloads/adult.data"
