"""U-Net segmentation of a synthetic task: circles and squares on noisy backgrounds.

    python examples/unet_shapes.py [--epochs 6] [--out runs/unet_shapes]

The script generates its own data (seeded): each 64x64 image holds 1-3 shapes; the mask labels
every pixel background (0), circle (1) or square (2). Reports the mean IoU over the three
classes on held-out images and saves a PNG of predictions.
"""
from __future__ import annotations

import argparse
import json
import os
import time

import numpy as np

import deepgrad as torch
import deepgrad.nn.functional as F
from deepgrad.models import UNet
from deepgrad.utils.data import DataLoader, TensorDataset
from deepgrad.utils.progress import progress

SIZE = 64
NUM_CLASSES = 3


def make_shapes(n: int, seed: int):
    """(N, 1, 64, 64) float images and (N, 64, 64) int64 masks."""
    rng = np.random.default_rng(seed)
    yy, xx = np.mgrid[:SIZE, :SIZE]
    images = rng.normal(0.0, 0.35, (n, SIZE, SIZE)).astype(np.float32)
    masks = np.zeros((n, SIZE, SIZE), np.int64)
    for i in range(n):
        for _ in range(rng.integers(1, 4)):
            cls = rng.integers(1, NUM_CLASSES)
            r = rng.integers(6, 14)
            cy, cx = rng.integers(r, SIZE - r, 2)
            if cls == 1:
                region = (yy - cy) ** 2 + (xx - cx) ** 2 <= r * r
            else:
                region = (np.abs(yy - cy) <= r) & (np.abs(xx - cx) <= r)
            masks[i][region] = cls
            images[i][region] += rng.uniform(0.6, 1.2)
    return images[:, None], masks


def mean_iou(pred: np.ndarray, target: np.ndarray) -> float:
    ious = []
    for c in range(NUM_CLASSES):
        inter = np.logical_and(pred == c, target == c).sum()
        union = np.logical_or(pred == c, target == c).sum()
        if union:
            ious.append(inter / union)
    return float(np.mean(ious))


def predict(model, images, batch=64):
    model.eval()
    out = []
    with torch.no_grad():
        for i in range(0, len(images), batch):
            out.append(model(torch.tensor(images[i:i + batch])).argmax(1).numpy())
    return np.concatenate(out)


def save_examples(images, masks, preds, path):
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return
    k = 4
    fig, axes = plt.subplots(3, k, figsize=(2.5 * k, 7.5))
    for j in range(k):
        for row, (img, title) in enumerate(((images[j, 0], "image"), (masks[j], "target"),
                                            (preds[j], "prediction"))):
            axes[row, j].imshow(img, cmap="gray" if row == 0 else "viridis",
                                vmin=None if row == 0 else 0, vmax=None if row == 0 else 2)
            axes[row, j].set_title(title)
            axes[row, j].axis("off")
    fig.tight_layout()
    fig.savefig(path, dpi=90)
    plt.close(fig)


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--epochs", type=int, default=6)
    p.add_argument("--train-size", type=int, default=1536)
    p.add_argument("--batch-size", type=int, default=32)
    p.add_argument("--lr", type=float, default=3e-3)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--out", default="runs/unet_shapes")
    args = p.parse_args(argv)

    torch.manual_seed(args.seed)
    os.makedirs(args.out, exist_ok=True)
    x_train, y_train = make_shapes(args.train_size, args.seed)
    x_test, y_test = make_shapes(256, args.seed + 1000)
    loader = DataLoader(TensorDataset(torch.tensor(x_train), torch.tensor(y_train)),
                        batch_size=args.batch_size, shuffle=True,
                        generator=torch.Generator().manual_seed(args.seed))
    model = UNet(in_channels=1, num_classes=NUM_CLASSES, depth=3, base_channels=16)
    optimizer = torch.optim.Adam(model.parameters(), lr=args.lr)
    scheduler = torch.optim.lr_scheduler.OneCycleLR(optimizer, args.lr, epochs=args.epochs,
                                                    steps_per_epoch=len(loader))
    print(f"UNet: {sum(q.numel() for q in model.parameters()):,} parameters; "
          f"{args.train_size} training images")
    history, t0 = [], time.time()
    for epoch in range(1, args.epochs + 1):
        model.train()
        total, seen = 0.0, 0
        for x, y in progress(loader, desc=f"epoch {epoch}/{args.epochs}"):
            optimizer.zero_grad()
            loss = F.cross_entropy(model(x), y)
            loss.backward()
            optimizer.step()
            scheduler.step()
            total += loss.item() * y.shape[0]
            seen += y.shape[0]
        miou = mean_iou(predict(model, x_test), y_test)
        history.append({"epoch": epoch, "train_loss": total / seen, "test_miou": miou,
                        "time": time.time() - t0})
        print(f"epoch {epoch}  train loss {total / seen:.4f}  test mean IoU {miou:.4f}  "
              f"({time.time() - t0:.0f}s)", flush=True)
    preds = predict(model, x_test[:8])
    save_examples(x_test, y_test, preds, os.path.join(args.out, "predictions.png"))
    torch.save(model.state_dict(), os.path.join(args.out, "unet.dg"))
    with open(os.path.join(args.out, "results.json"), "w") as f:
        json.dump(history, f, indent=1)
    print(f"final test mean IoU {history[-1]['test_miou']:.4f} ({history[-1]['time']:.0f}s)")
    return history[-1]["test_miou"]


if __name__ == "__main__":
    main()
