"""Where datasets live on disk, and verified downloads."""
from __future__ import annotations

import hashlib
import os
import urllib.error
import urllib.request

from ..utils.data import Dataset


def default_root() -> str:
    """``$DEEPGRAD_DATA`` if set, else ``~/.cache/deepgrad``."""
    return os.environ.get("DEEPGRAD_DATA") or os.path.join(os.path.expanduser("~"), ".cache",
                                                           "deepgrad")


def md5sum(path: str, chunk: int = 1 << 20) -> str:
    h = hashlib.md5()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(chunk), b""):
            h.update(block)
    return h.hexdigest()


def download(filename: str, folder: str, mirrors: list[str], md5: str) -> str:
    """Fetch ``filename`` into ``folder`` from the first mirror that works, verifying its MD5;
    the file is written atomically (no partial file is ever left under the final name)."""
    os.makedirs(folder, exist_ok=True)
    target = os.path.join(folder, filename)
    if os.path.exists(target) and md5sum(target) == md5:
        return target
    errors = []
    for mirror in mirrors:
        url = mirror + filename
        tmp = target + ".part"
        try:
            with urllib.request.urlopen(url, timeout=30) as r, open(tmp, "wb") as f:
                while True:
                    block = r.read(1 << 20)
                    if not block:
                        break
                    f.write(block)
            if md5sum(tmp) != md5:
                errors.append(f"{url}: checksum mismatch")
                os.unlink(tmp)
                continue
            os.replace(tmp, target)
            return target
        except (urllib.error.URLError, OSError, TimeoutError) as e:
            errors.append(f"{url}: {e}")
            if os.path.exists(tmp):
                os.unlink(tmp)
    raise RuntimeError(
        f"could not download {filename} (offline?). Put the file at {target} (MD5 {md5}) or set "
        "DEEPGRAD_DATA to a folder that has it. Tried:\n  " + "\n  ".join(errors))


class LabeledImages(Dataset):
    """Shared behaviour of the in-memory image datasets (MNIST, CIFAR10): ``data`` holds all
    images, ``targets`` the int64 labels; ``ds[i]`` is ``(image, label)`` after the optional
    ``transform`` / ``target_transform``."""

    root: str
    train: bool
    transform = None
    target_transform = None

    def __len__(self) -> int:
        return self.data.shape[0]

    def __getitem__(self, index):
        img = self.data.data[index]
        target = int(self.targets.data[index])
        if self.transform is not None:
            img = self.transform(img)
        if self.target_transform is not None:
            target = self.target_transform(target)
        return img, target

    def __repr__(self) -> str:
        split = "Train" if self.train else "Test"
        return (f"Dataset {type(self).__name__}\n    Number of datapoints: {len(self)}\n"
                f"    Root location: {self.root}\n    Split: {split}")
