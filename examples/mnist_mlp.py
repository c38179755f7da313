"""Train an MLP on real MNIST with the standard PyTorch-style loop, written against deepgrad.

Dataset -> DataLoader -> model -> loss -> optimizer -> LR schedule -> evaluate -> checkpoint.
Only the import differs from the PyTorch version of this script.

    python examples/mnist_mlp.py [--epochs 8] [--out runs/mnist_mlp]

Reads MNIST from $DEEPGRAD_DATA/mnist. Prints per-epoch train loss, test loss and accuracy,
saves a checkpoint after every epoch (``--resume`` continues from it) and a PNG of the curves
(needs matplotlib).
"""
from __future__ import annotations

import argparse
import json
import os
import time

import deepgrad as torch
import deepgrad.nn as nn
import deepgrad.nn.functional as F
from deepgrad.datasets import MNIST
from deepgrad.utils.data import DataLoader, TensorDataset
from deepgrad.utils.progress import progress

MEAN, STD = 0.1307, 0.3081


class MLP(nn.Module):
    def __init__(self, hidden=(512, 256), dropout=0.2):
        super().__init__()
        layers, width = [], 28 * 28
        for h in hidden:
            layers += [nn.Linear(width, h), nn.ReLU(), nn.Dropout(dropout)]
            width = h
        self.body = nn.Sequential(nn.Flatten(), *layers)
        self.head = nn.Linear(width, 10)

    def forward(self, x):
        return self.head(self.body(x))


def load_split(train: bool) -> TensorDataset:
    """The whole split as normalized float tensors (fast: no per-sample transform)."""
    ds = MNIST(train=train)
    images = (ds.data.float() / 255.0 - MEAN) / STD
    return TensorDataset(images.unsqueeze(1), ds.targets)


def evaluate(model, loader):
    model.eval()
    total_loss, correct, n = 0.0, 0, 0
    with torch.no_grad():
        for x, y in loader:
            logits = model(x)
            total_loss += F.cross_entropy(logits, y, reduction="sum").item()
            correct += (logits.argmax(1) == y).sum().item()
            n += y.shape[0]
    return total_loss / n, correct / n


def save_curves(history, path):
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("matplotlib not installed: skipping the curves plot")
        return
    epochs = [h["epoch"] for h in history]
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(10, 4))
    ax1.plot(epochs, [h["train_loss"] for h in history], label="train")
    ax1.plot(epochs, [h["test_loss"] for h in history], label="test")
    ax1.set_xlabel("epoch")
    ax1.set_ylabel("cross-entropy")
    ax1.legend()
    ax2.plot(epochs, [100 * h["test_acc"] for h in history], color="C2")
    ax2.set_xlabel("epoch")
    ax2.set_ylabel("test accuracy (%)")
    fig.suptitle("deepgrad MLP on MNIST")
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--epochs", type=int, default=8)
    p.add_argument("--batch-size", type=int, default=128)
    p.add_argument("--lr", type=float, default=1e-3)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--out", default="runs/mnist_mlp")
    p.add_argument("--resume", action="store_true")
    p.add_argument("--limit-train", type=int, default=0, help="use only N training images")
    args = p.parse_args(argv)

    torch.manual_seed(args.seed)
    os.makedirs(args.out, exist_ok=True)
    train_set, test_set = load_split(True), load_split(False)
    if args.limit_train:
        train_set = torch.utils.data.Subset(train_set, range(args.limit_train))
    loader_gen = torch.Generator().manual_seed(args.seed)
    train_loader = DataLoader(train_set, batch_size=args.batch_size, shuffle=True,
                              generator=loader_gen)
    test_loader = DataLoader(test_set, batch_size=1000)

    model = MLP()
    optimizer = torch.optim.Adam(model.parameters(), lr=args.lr)
    scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=args.epochs)
    ckpt_path = os.path.join(args.out, "checkpoint.dg")
    history, start_epoch = [], 1
    if args.resume and os.path.exists(ckpt_path):
        ckpt = torch.load(ckpt_path)
        model.load_state_dict(ckpt["model"])
        optimizer.load_state_dict(ckpt["optimizer"])
        scheduler.load_state_dict(ckpt["scheduler"])
        torch.set_rng_state(ckpt["rng"])
        loader_gen.set_state(ckpt["loader_rng"])
        history, start_epoch = ckpt["history"], ckpt["epoch"] + 1
        print(f"resumed from {ckpt_path} at epoch {ckpt['epoch']}")

    print(f"model: {sum(p.numel() for p in model.parameters()):,} parameters")
    t0 = time.time()
    for epoch in range(start_epoch, args.epochs + 1):
        model.train()
        running, seen = 0.0, 0
        for x, y in progress(train_loader, desc=f"epoch {epoch}"):
            optimizer.zero_grad()
            loss = F.cross_entropy(model(x), y)
            loss.backward()
            optimizer.step()
            running += loss.item() * y.shape[0]
            seen += y.shape[0]
        scheduler.step()
        test_loss, test_acc = evaluate(model, test_loader)
        history.append({"epoch": epoch, "train_loss": running / seen, "test_loss": test_loss,
                        "test_acc": test_acc, "time": time.time() - t0})
        print(f"epoch {epoch:2d}  train loss {running / seen:.4f}  test loss {test_loss:.4f}  "
              f"test acc {100 * test_acc:.2f}%  ({time.time() - t0:.0f}s)", flush=True)
        torch.save({"model": model.state_dict(), "optimizer": optimizer.state_dict(),
                    "scheduler": scheduler.state_dict(), "epoch": epoch, "history": history,
                    "rng": torch.get_rng_state(), "loader_rng": loader_gen.get_state()},
                   ckpt_path)
    save_curves(history, os.path.join(args.out, "curves.png"))
    with open(os.path.join(args.out, "results.json"), "w") as f:
        json.dump(history, f, indent=1)
    final = history[-1]
    print(f"final test accuracy {100 * final['test_acc']:.2f}% after {final['epoch']} epochs "
          f"in {final['time']:.0f}s; checkpoint {ckpt_path}")
    return final["test_acc"]


if __name__ == "__main__":
    main()
