"""MNIST and Fashion-MNIST from the standard IDX ``.gz`` files."""
from __future__ import annotations

import gzip
import os
import zlib

import numpy as np

from .._tensor import Tensor
from ._common import LabeledImages, default_root, download

_IMAGE_MAGIC = 2051
_LABEL_MAGIC = 2049


class DatasetFileError(RuntimeError):
    """A dataset file is missing, truncated or corrupt."""


def read_idx(path: str, expected_magic: int) -> np.ndarray:
    """Read an IDX file (optionally gzipped); check magic number, header and length.

    Returns a uint8 array of the header's shape. Truncated or corrupt files raise
    ``DatasetFileError`` naming the file; they never yield garbage arrays.
    """
    try:
        with open(path, "rb") as f:
            raw = f.read()
        data = gzip.decompress(raw) if raw[:2] == b"\x1f\x8b" else raw
    except FileNotFoundError:
        raise
    except (OSError, EOFError, zlib.error, gzip.BadGzipFile) as e:
        raise DatasetFileError(f"{path}: corrupt or truncated gzip file ({e})") from None
    if len(data) < 8:
        raise DatasetFileError(f"{path}: too short to be an IDX file ({len(data)} bytes)")
    magic = int.from_bytes(data[:4], "big")
    if magic != expected_magic:
        raise DatasetFileError(f"{path}: bad IDX magic number {magic} (expected "
                               f"{expected_magic})")
    ndim = data[3]
    header = 4 + 4 * ndim
    shape = tuple(int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(ndim))
    n = int(np.prod(shape))
    if len(data) != header + n:
        raise DatasetFileError(f"{path}: expected {header + n} bytes for shape {shape}, found "
                               f"{len(data)} (truncated or corrupt)")
    return np.frombuffer(data, dtype=np.uint8, offset=header).reshape(shape)


class MNIST(LabeledImages):
    """The MNIST digits: 60,000 training and 10,000 test images, 28x28 grayscale.

    ``MNIST(root=None, train=True, transform=None, target_transform=None, download=False)``.
    Files are looked up in ``root/mnist/`` (``root`` defaults to ``$DEEPGRAD_DATA``).
    ``ds[i]`` is ``(image, label)``: a (28, 28) uint8 NumPy array (after ``transform`` if
    given; ``vision.transforms.ToTensor()`` makes it a float (1, 28, 28) tensor in [0, 1])
    and an int label. ``ds.data`` (uint8 tensor, N x 28 x 28) and ``ds.targets`` (int64
    tensor) hold everything at once, for fast full-batch use.
    """

    folder = "mnist"
    mirrors = ["https://ossci-datasets.s3.amazonaws.com/mnist/",
               "http://yann.lecun.com/exdb/mnist/"]
    files = {
        "train": ("train-images-idx3-ubyte.gz", "f68b3c2dcbeaaa9fbdd348bbdeb94873",
                  "train-labels-idx1-ubyte.gz", "d53e105ee54ea40749a09fcbcd1e9432"),
        "test": ("t10k-images-idx3-ubyte.gz", "9fb629c4189551a2d022fa330f9573f3",
                 "t10k-labels-idx1-ubyte.gz", "ec29112dd5afa0611ce80d1b7f02629c"),
    }
    classes = [str(i) for i in range(10)]

    def __init__(self, root=None, train: bool = True, transform=None, target_transform=None,
                 download: bool = False):
        self.root = default_root() if root is None else os.fspath(root)
        self.train = train
        self.transform = transform
        self.target_transform = target_transform
        img_name, img_md5, lbl_name, lbl_md5 = self.files["train" if train else "test"]
        folder = self._find_folder(img_name)
        if download:
            for name, md5 in ((img_name, img_md5), (lbl_name, lbl_md5)):
                _download(name, folder, self.mirrors, md5)
        img_path, lbl_path = os.path.join(folder, img_name), os.path.join(folder, lbl_name)
        for path in (img_path, lbl_path):
            if not os.path.exists(path):
                raise RuntimeError(
                    f"{type(self).__name__}: {path} not found. Put the official files in "
                    f"{folder} (or set DEEPGRAD_DATA), or pass download=True.")
        images = read_idx(img_path, _IMAGE_MAGIC)
        labels = read_idx(lbl_path, _LABEL_MAGIC)
        if images.ndim != 3 or labels.ndim != 1 or images.shape[0] != labels.shape[0]:
            raise DatasetFileError(f"{type(self).__name__}: images {images.shape} and labels "
                                   f"{labels.shape} do not match")
        if labels.size and labels.max() >= len(self.classes):
            raise DatasetFileError(f"{lbl_path}: label {labels.max()} out of range")
        self.data = Tensor._make(images)
        self.targets = Tensor._make(labels.astype(np.int64))

    def _find_folder(self, img_name: str) -> str:
        candidates = [os.path.join(self.root, self.folder), self.root,
                      os.path.join(self.root, type(self).__name__, "raw")]
        for c in candidates:
            if os.path.exists(os.path.join(c, img_name)):
                return c
        return candidates[0]


def _download(name, folder, mirrors, md5):
    return download(name, folder, mirrors, md5)


class FashionMNIST(MNIST):
    """Zalando's Fashion-MNIST: same format and API as ``MNIST``; files in
    ``root/fashion-mnist/``."""

    folder = "fashion-mnist"
    mirrors = ["http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/"]
    files = {
        "train": ("train-images-idx3-ubyte.gz", "8d4fb7e6c68d591d4c3dfef9ec88bf0d",
                  "train-labels-idx1-ubyte.gz", "25c81989df183df01b3e8a0aad5dffbe"),
        "test": ("t10k-images-idx3-ubyte.gz", "bef4ecab320f06d8554ea6380940ec79",
                 "t10k-labels-idx1-ubyte.gz", "bb300cfdad3c16e7a12a480ee83cd310"),
    }
    classes = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt",
               "Sneaker", "Bag", "Ankle boot"]
