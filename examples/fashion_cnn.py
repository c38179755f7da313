"""A VGG-style CNN on real Fashion-MNIST with data augmentation (random crop + flip).

    python examples/fashion_cnn.py [--epochs 10] [--out runs/fashion_cnn]

Augmentation runs on whole batches (``batch_random_crop``, ``batch_random_hflip``), so it
costs little next to the convolutions. Reads Fashion-MNIST from $DEEPGRAD_DATA/fashion-mnist.
"""
from __future__ import annotations

import argparse
import json
import os
import time

import deepgrad as torch
import deepgrad.nn.functional as F
from deepgrad.datasets import FashionMNIST
from deepgrad.models import SimpleCNN
from deepgrad.utils.data import DataLoader, TensorDataset
from deepgrad.utils.progress import progress
from deepgrad.vision.transforms import batch_random_crop, batch_random_hflip

MEAN, STD = 0.2860, 0.3530


def load_split(train: bool) -> TensorDataset:
    ds = FashionMNIST(train=train)
    return TensorDataset(((ds.data.float() / 255.0 - MEAN) / STD).unsqueeze(1), ds.targets)


def evaluate(model, loader):
    model.eval()
    correct, loss, n = 0, 0.0, 0
    with torch.no_grad():
        for x, y in loader:
            logits = model(x)
            loss += F.cross_entropy(logits, y, reduction="sum").item()
            correct += (logits.argmax(1) == y).sum().item()
            n += y.shape[0]
    return loss / n, correct / n


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--epochs", type=int, default=10)
    p.add_argument("--batch-size", type=int, default=128)
    p.add_argument("--lr", type=float, default=4e-3)
    p.add_argument("--widths", type=int, nargs="+", default=[16, 32, 64])
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--out", default="runs/fashion_cnn")
    p.add_argument("--limit-train", type=int, default=0)
    args = p.parse_args(argv)

    torch.manual_seed(args.seed)
    os.makedirs(args.out, exist_ok=True)
    train_set, test_set = load_split(True), load_split(False)
    if args.limit_train:
        train_set = torch.utils.data.Subset(train_set, range(args.limit_train))
    gen = torch.Generator().manual_seed(args.seed)
    train_loader = DataLoader(train_set, batch_size=args.batch_size, shuffle=True,
                              generator=gen, drop_last=True)
    test_loader = DataLoader(test_set, batch_size=500)
    model = SimpleCNN(num_classes=10, in_channels=1, widths=tuple(args.widths))
    optimizer = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=5e-4)
    scheduler = torch.optim.lr_scheduler.OneCycleLR(
        optimizer, max_lr=args.lr, epochs=args.epochs, steps_per_epoch=len(train_loader))
    aug_gen = torch.Generator().manual_seed(args.seed + 1)
    print(f"SimpleCNN{tuple(args.widths)}: {sum(q.numel() for q in model.parameters()):,} "
          f"parameters; {len(train_set)} training images")
    history, t0 = [], time.time()
    for epoch in range(1, args.epochs + 1):
        model.train()
        total, seen = 0.0, 0
        for x, y in progress(train_loader, desc=f"epoch {epoch}/{args.epochs}"):
            x = batch_random_hflip(batch_random_crop(x, 28, padding=2, generator=aug_gen),
                                   generator=aug_gen)
            optimizer.zero_grad()
            loss = F.cross_entropy(model(x), y, label_smoothing=0.05)
            loss.backward()
            optimizer.step()
            scheduler.step()
            total += loss.item() * y.shape[0]
            seen += y.shape[0]
        test_loss, test_acc = evaluate(model, test_loader)
        history.append({"epoch": epoch, "train_loss": total / seen, "test_loss": test_loss,
                        "test_acc": test_acc, "time": time.time() - t0})
        print(f"epoch {epoch:2d}  train loss {total / seen:.4f}  test loss {test_loss:.4f}  "
              f"test acc {100 * test_acc:.2f}%  ({time.time() - t0:.0f}s)", flush=True)
    torch.save({"model": model.state_dict(), "history": history},
               os.path.join(args.out, "checkpoint.dg"))
    with open(os.path.join(args.out, "results.json"), "w") as f:
        json.dump(history, f, indent=1)
    print(f"final test accuracy {100 * history[-1]['test_acc']:.2f}% "
          f"({history[-1]['time']:.0f}s)")
    return history[-1]["test_acc"]


if __name__ == "__main__":
    main()
