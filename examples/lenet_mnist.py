"""Train LeNet-5 on real MNIST with deepgrad: the flagship demo.

    python examples/lenet_mnist.py [--epochs 8] [--out runs/lenet_mnist]

Standard PyTorch-style loop (only the import differs): DataLoader, Adam, OneCycle schedule,
a progress bar per epoch, per-epoch test accuracy, a checkpoint after every epoch (``--resume``
continues), and PNGs of the training curves, the first layer's filters and its feature maps
for one test digit (matplotlib). Reads MNIST from $DEEPGRAD_DATA/mnist.
"""
from __future__ import annotations

import argparse
import json
import os
import time

import numpy as np

import deepgrad as torch
import deepgrad.nn.functional as F
from deepgrad.datasets import MNIST
from deepgrad.models import LeNet5
from deepgrad.utils.data import DataLoader, TensorDataset
from deepgrad.utils.progress import progress

MEAN, STD = 0.1307, 0.3081


def load_split(train: bool) -> TensorDataset:
    """The whole split as normalized (N, 1, 28, 28) float tensors and int64 labels."""
    ds = MNIST(train=train)
    images = (ds.data.float() / 255.0 - MEAN) / STD
    return TensorDataset(images.unsqueeze(1), ds.targets)


def evaluate(model, loader):
    model.eval()
    loss, correct, n = 0.0, 0, 0
    with torch.no_grad():
        for x, y in loader:
            logits = model(x)
            loss += F.cross_entropy(logits, y, reduction="sum").item()
            correct += (logits.argmax(1) == y).sum().item()
            n += y.shape[0]
    return loss / n, correct / n


def _pyplot():
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("matplotlib not installed: skipping plots (pip install 'deepgrad[plot]')")
        return None
    return plt


def save_plots(model, history, sample, out_dir):
    plt = _pyplot()
    if plt is None:
        return
    epochs = [h["epoch"] for h in history]
    fig, (a1, a2) = plt.subplots(1, 2, figsize=(10, 4))
    a1.plot(epochs, [h["train_loss"] for h in history], "o-", label="train")
    a1.plot(epochs, [h["test_loss"] for h in history], "o-", label="test")
    a1.set_xlabel("epoch")
    a1.set_ylabel("cross-entropy")
    a1.legend()
    a2.plot(epochs, [100 * h["test_acc"] for h in history], "o-", color="C2")
    a2.set_xlabel("epoch")
    a2.set_ylabel("test accuracy (%)")
    fig.suptitle("LeNet-5 on MNIST (deepgrad)")
    fig.tight_layout()
    fig.savefig(os.path.join(out_dir, "curves.png"), dpi=100)
    plt.close(fig)

    conv1 = model.features[0]
    filters = conv1.weight.detach().numpy()[:, 0]  # (6, 5, 5)
    fig, axes = plt.subplots(1, len(filters), figsize=(2 * len(filters), 2.3))
    for i, (ax, f) in enumerate(zip(axes, filters)):
        lim = np.abs(f).max()
        ax.imshow(f, cmap="RdBu_r", vmin=-lim, vmax=lim)
        ax.set_title(f"filter {i}")
        ax.axis("off")
    fig.suptitle("LeNet-5 first-layer filters (5x5)")
    fig.tight_layout()
    fig.savefig(os.path.join(out_dir, "filters.png"), dpi=100)
    plt.close(fig)

    model.eval()
    with torch.no_grad():
        maps = model.features[1](conv1(sample.unsqueeze(0)))[0].numpy()  # (6, 28, 28)
    fig, axes = plt.subplots(1, len(maps) + 1, figsize=(2 * (len(maps) + 1), 2.3))
    axes[0].imshow(sample[0].numpy(), cmap="gray")
    axes[0].set_title("input")
    for i, (ax, m) in enumerate(zip(axes[1:], maps)):
        ax.imshow(m, cmap="viridis")
        ax.set_title(f"map {i}")
    for ax in axes:
        ax.axis("off")
    fig.suptitle("first-layer feature maps (after ReLU)")
    fig.tight_layout()
    fig.savefig(os.path.join(out_dir, "feature_maps.png"), dpi=100)
    plt.close(fig)


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--epochs", type=int, default=8)
    p.add_argument("--batch-size", type=int, default=128)
    p.add_argument("--lr", type=float, default=3e-3)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--out", default="runs/lenet_mnist")
    p.add_argument("--resume", action="store_true")
    p.add_argument("--limit-train", type=int, default=0, help="use only the first N images")
    args = p.parse_args(argv)

    torch.manual_seed(args.seed)
    os.makedirs(args.out, exist_ok=True)
    train_set, test_set = load_split(True), load_split(False)
    if args.limit_train:
        train_set = torch.utils.data.Subset(train_set, range(args.limit_train))
    gen = torch.Generator().manual_seed(args.seed)
    train_loader = DataLoader(train_set, batch_size=args.batch_size, shuffle=True,
                              generator=gen)
    test_loader = DataLoader(test_set, batch_size=1000)

    model = LeNet5()
    optimizer = torch.optim.Adam(model.parameters(), lr=args.lr)
    scheduler = torch.optim.lr_scheduler.OneCycleLR(
        optimizer, max_lr=args.lr, epochs=args.epochs, steps_per_epoch=len(train_loader))
    ckpt_path = os.path.join(args.out, "checkpoint.dg")
    history, start = [], 1
    if args.resume and os.path.exists(ckpt_path):
        ck = torch.load(ckpt_path)
        model.load_state_dict(ck["model"])
        optimizer.load_state_dict(ck["optimizer"])
        scheduler.load_state_dict(ck["scheduler"])
        torch.set_rng_state(ck["rng"])
        gen.set_state(ck["loader_rng"])
        history, start = ck["history"], ck["epoch"] + 1
        print(f"resumed from {ckpt_path} after epoch {ck['epoch']}")

    print(f"LeNet-5: {sum(p.numel() for p in model.parameters()):,} parameters; "
          f"{len(train_set)} training images, {args.epochs} epochs")
    t0 = time.time()
    for epoch in range(start, args.epochs + 1):
        model.train()
        total, seen = 0.0, 0
        for x, y in progress(train_loader, desc=f"epoch {epoch}/{args.epochs}"):
            optimizer.zero_grad()
            loss = F.cross_entropy(model(x), y)
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
        torch.save({"model": model.state_dict(), "optimizer": optimizer.state_dict(),
                    "scheduler": scheduler.state_dict(), "epoch": epoch, "history": history,
                    "rng": torch.get_rng_state(), "loader_rng": gen.get_state()}, ckpt_path)
    save_plots(model, history, test_set[0][0], args.out)
    with open(os.path.join(args.out, "results.json"), "w") as f:
        json.dump(history, f, indent=1)
    final = history[-1]
    print(f"final test accuracy {100 * final['test_acc']:.2f}% after {final['epoch']} epochs "
          f"({final['time']:.0f}s); checkpoint and plots in {args.out}/")
    return final["test_acc"]


if __name__ == "__main__":
    main()
