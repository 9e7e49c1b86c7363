import numpy as np
import torch

preds = torch.zeros(3)
labels = torch.zeros(3)
# ruleid: evidence-hand-written-accuracy
accuracy = (preds == labels).float().mean()

# ruleid: evidence-hand-written-accuracy
n_correct = (preds == labels).sum()

# ruleid: evidence-hand-written-accuracy
accuracy = (preds == labels).mean()

# ruleid: evidence-hand-written-accuracy
n_correct = torch.sum(preds == labels)

# ruleid: evidence-hand-written-accuracy
accuracy = np.mean(preds == labels)

correct = 0
for data, target in loader:
    pred = model(data).argmax(dim=1)
    # ruleid: evidence-hand-written-accuracy
    correct += pred.eq(target.view_as(pred)).sum().item()

# Near misses: sums and means that are not the share of correct predictions.
# ok: evidence-hand-written-accuracy
same = preds == labels

# ok: evidence-hand-written-accuracy
running = (preds == labels).cumsum()

# ok: evidence-hand-written-accuracy
n_correct = torch.nansum(preds == labels)

# ok: evidence-hand-written-accuracy
accuracy = np.nanmean(preds == labels)

# ok: evidence-hand-written-accuracy
total = losses.sum()

# ok: evidence-hand-written-accuracy
n_flags = sum(flags)

# ok: evidence-hand-written-accuracy
spread = (scores - scores.mean()).abs().mean()

# ok: evidence-hand-written-accuracy
n_positive = (labels == 1).sum()

# ok: evidence-hand-written-accuracy
share_female = (df.sex == "F").mean()
