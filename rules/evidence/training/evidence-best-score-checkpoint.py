import torch

best_acc = 0.0
for epoch in range(10):
    val_acc = evaluate(model)
    # ruleid: evidence-best-score-checkpoint
    if val_acc > best_acc:
        best_acc = val_acc
        torch.save(model.state_dict(), "best.pt")

for epoch in range(10):
    # ok: evidence-best-score-checkpoint
    if val_acc > best_acc:
        print("improved")
    torch.save(model.state_dict(), f"epoch{epoch}.pt")

from torch import save

for epoch in range(10):
    # ruleid: evidence-best-score-checkpoint
    if val_loss < best_val_loss:
        best_val_loss = val_loss
        save(model.state_dict(), "best.pt")

for epoch in range(10):
    # ok: evidence-best-score-checkpoint
    if val_acc > best_acc:
        torch.save_checkpoint(model, "best.pt")
