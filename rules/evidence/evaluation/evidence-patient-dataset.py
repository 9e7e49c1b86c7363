import os

import pandas as pd
import torchxrayvision as xrv
from torchxrayvision.datasets import NIH_Dataset

# ruleid: evidence-patient-dataset
nih = xrv.datasets.NIH_Dataset(imgpath="images/")

# ruleid: evidence-patient-dataset
chex = xrv.datasets.CheX_Dataset(imgpath="chex/", csvpath="train.csv")

# ruleid: evidence-patient-dataset
entries = os.path.join(root, "Data_Entry_2017.csv")

# ruleid: evidence-patient-dataset
lesions = pd.read_csv("data/HAM10000_metadata.csv")

# ruleid: evidence-patient-dataset
train = pd.read_csv("CheXpert-v1.0-small/train.csv")

# Near misses: the library's transforms, and paths that only share a word.
# ok: evidence-patient-dataset
crop = xrv.datasets.XRayCenterCrop()
# ok: evidence-patient-dataset
xrv.datasets.relabel_dataset(xrv.datasets.default_pathologies, nih)
# ok: evidence-patient-dataset
scans = pd.read_csv("data/xray_chexnet_weights.csv")

# ok: evidence-patient-dataset
mnist = pd.read_csv("mnist_train.csv")
