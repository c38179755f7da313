"""CIFAR-10 from the official binary version (``cifar-10-binary.tar.gz``)."""
from __future__ import annotations

import os
import tarfile

import numpy as np

from .._tensor import Tensor
from ._common import LabeledImages, default_root, download
from .mnist import DatasetFileError

_RECORD = 1 + 3 * 32 * 32  # one label byte, then 1024 R, 1024 G and 1024 B bytes (row-major)


def read_cifar_bin(path: str, num_classes: int = 10) -> tuple[np.ndarray, np.ndarray]:
    """Read one CIFAR-10 binary batch file.

    Returns ``(images, labels)``: uint8 (N, 32, 32, 3) and int64 (N,). A size that is not a
    whole number of 3073-byte records, or a label >= ``num_classes``, raises
    ``DatasetFileError`` naming the file.
    """
    with open(path, "rb") as f:
        raw = f.read()
    if len(raw) == 0 or len(raw) % _RECORD:
        raise DatasetFileError(f"{path}: {len(raw)} bytes is not a whole number of "
                               f"{_RECORD}-byte CIFAR records (truncated or not a CIFAR-10 "
                               "binary batch)")
    records = np.frombuffer(raw, dtype=np.uint8).reshape(-1, _RECORD)
    labels = records[:, 0].astype(np.int64)
    if labels.max() >= num_classes:
        bad = int(np.argmax(labels >= num_classes))
        raise DatasetFileError(f"{path}: record {bad} has label {labels[bad]}, expected 0.."
                               f"{num_classes - 1} (corrupt file?)")
    images = records[:, 1:].reshape(-1, 3, 32, 32).transpose(0, 2, 3, 1)
    return np.ascontiguousarray(images), labels


class CIFAR10(LabeledImages):
    """CIFAR-10: 50,000 training and 10,000 test color images, 32x32, in 10 classes.

    ``CIFAR10(root=None, train=True, transform=None, target_transform=None, download=False)``
    reads the official *binary* version from ``root/cifar-10/`` or
    ``root/cifar-10-batches-bin/`` (``root`` defaults to ``$DEEPGRAD_DATA``):
    ``data_batch_1.bin`` ... ``data_batch_5.bin``, ``test_batch.bin`` and ``batches.meta.txt``
    (class names, one per line). ``download=True`` fetches and unpacks
    ``cifar-10-binary.tar.gz`` (MD5-checked) into ``root``.

    ``ds.data`` is a uint8 tensor (N, 32, 32, 3) (HWC, as torchvision's), ``ds.targets`` an
    int64 tensor (N,), ``ds.classes`` the names. ``ds[i]`` is ``(image, label)``: an (32, 32, 3)
    uint8 NumPy array (or ``transform(image)``) and an int.

    Example::

        >>> from deepgrad.vision import transforms as T
        >>> ds = CIFAR10(train=False, transform=T.ToTensor())  # doctest: +SKIP
        >>> ds[0][0].shape  # doctest: +SKIP
        deepgrad.Size([3, 32, 32])
    """

    folders = ("cifar-10", "cifar-10-batches-bin")
    url = "https://www.cs.toronto.edu/~kriz/"
    archive = "cifar-10-binary.tar.gz"
    archive_md5 = "c32a1d4ab5d03f1284b67883e8d87530"
    train_files = [f"data_batch_{i}.bin" for i in range(1, 6)]
    test_files = ["test_batch.bin"]
    meta_file = "batches.meta.txt"
    default_classes = ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse",
                       "ship", "truck"]

    def __init__(self, root=None, train: bool = True, transform=None, target_transform=None,
                 download: bool = False):
        self.root = default_root() if root is None else os.fspath(root)
        self.train = train
        self.transform = transform
        self.target_transform = target_transform
        files = self.train_files if train else self.test_files
        folder = self._find_folder(files)
        if folder is None and download:
            self._download()
            folder = self._find_folder(files)
        if folder is None:
            expected = " or ".join(os.path.join(self.root, f) for f in self.folders)
            raise RuntimeError(
                f"CIFAR10: {', '.join(files)} not found in {expected}. Put the files of the "
                f"official binary version ({self.url}{self.archive}, unpacked) there, set "
                "DEEPGRAD_DATA to the folder holding them, or pass download=True.")
        images, labels = zip(*(read_cifar_bin(os.path.join(folder, f), len(self.default_classes))
                               for f in files))
        self.folder = folder
        self.data = Tensor._make(np.concatenate(images))
        self.targets = Tensor._make(np.concatenate(labels))
        self.classes = self._read_classes(os.path.join(folder, self.meta_file))
        self.class_to_idx = {c: i for i, c in enumerate(self.classes)}

    def _find_folder(self, files) -> str | None:
        for name in self.folders:
            folder = os.path.join(self.root, name)
            if all(os.path.exists(os.path.join(folder, f)) for f in files):
                return folder
        return None

    def _read_classes(self, path: str) -> list[str]:
        if not os.path.exists(path):
            return list(self.default_classes)
        with open(path, encoding="utf-8") as f:
            names = [line.strip() for line in f if line.strip()]
        if len(names) != len(self.default_classes):
            raise DatasetFileError(f"{path}: expected {len(self.default_classes)} class names, "
                                   f"found {len(names)}")
        return names

    def _download(self) -> None:
        archive = download(self.archive, self.root, [self.url], self.archive_md5)
        with tarfile.open(archive, "r:gz") as tar:
            # Regular files with relative paths only: never write outside root.
            members = [m for m in tar.getmembers() if m.isfile() and not os.path.isabs(m.name)
                       and ".." not in m.name.split("/")]
            safe = {"filter": "data"} if hasattr(tarfile, "data_filter") else {}
            tar.extractall(self.root, members=members, **safe)
