"""Train a PyTorch attractiveness classifier on CelebA, then prune and quantize it."""

import pandas as pd
import torch
import torch.nn as nn
import torchvision
from opacus import PrivacyEngine
from torch.nn.utils import prune
from torch.utils.data import DataLoader, TensorDataset, random_split
from torchvision import models

# A face dataset with documented demographic skew (DS01)
celeba = torchvision.datasets.CelebA(root="data", split="train", target_type="attr", download=True)

attrs = pd.read_csv("data/list_attr_celeba.csv")
# The protected attribute fed to the model (DP12)
features = torch.tensor(attrs[["Smiling", "Male", "Young"]].values, dtype=torch.float32)
labels = torch.tensor(attrs["Attractive"].values)
dataset = TensorDataset(features, labels)

# Gender as the prediction target (TR08)
y = attrs["gender"]

# Unstratified random split (DP11)
train_set, val_set = random_split(dataset, [0.8, 0.2])

# Pretrained backbone (TR05) and static word embeddings (TR04)
backbone = models.resnet50(pretrained=True)
vectors = torch.load("glove.6B.300d.pt")
embedding = nn.Embedding.from_pretrained(vectors)

model = nn.Sequential(nn.Linear(3, 16), nn.ReLU(), nn.Linear(16, 2))
optimizer = torch.optim.SGD(model.parameters(), lr=0.05)

# Differentially private training (TR01)
privacy_engine = PrivacyEngine()
model, optimizer, loader = privacy_engine.make_private(
    module=model, optimizer=optimizer, data_loader=DataLoader(train_set, batch_size=64),
    noise_multiplier=1.1, max_grad_norm=1.0)

# Pruning (CM01) and quantization (CM02)
prune.l1_unstructured(model[0], name="weight", amount=0.3)
qmodel = torch.ao.quantization.quantize_dynamic(model, {nn.Linear}, dtype=torch.qint8)
