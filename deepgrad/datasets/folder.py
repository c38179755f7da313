"""Datasets from a folder tree with one sub-folder per class: ``DatasetFolder``,
``ImageFolder``."""
from __future__ import annotations

import os

import numpy as np

from ..utils.data import Dataset

IMG_EXTENSIONS = (".jpg", ".jpeg", ".png", ".ppm", ".bmp", ".pgm", ".tif", ".tiff", ".webp",
                  ".npy")


def has_file_allowed_extension(filename: str, extensions) -> bool:
    """Whether ``filename`` ends with one of ``extensions`` (case-insensitive)."""
    return filename.lower().endswith(tuple(e.lower() for e in extensions))


def find_classes(directory: str) -> tuple[list[str], dict[str, int]]:
    """The sorted names of the sub-folders of ``directory`` and their indices."""
    classes = sorted(entry.name for entry in os.scandir(directory) if entry.is_dir())
    if not classes:
        raise FileNotFoundError(f"Couldn't find any class folder in {directory}.")
    return classes, {name: i for i, name in enumerate(classes)}


def make_dataset(directory: str, class_to_idx: dict[str, int], extensions=None,
                 is_valid_file=None, allow_empty: bool = False) -> list[tuple[str, int]]:
    """``[(path, class_index)]`` for every valid file under each class folder (recursively),
    in sorted order."""
    directory = os.path.expanduser(directory)
    if (extensions is None) == (is_valid_file is None):
        raise ValueError("Both extensions and is_valid_file cannot be None or not None at the "
                         "same time")
    if is_valid_file is None:
        def is_valid_file(path: str) -> bool:
            return has_file_allowed_extension(path, extensions)

    samples, empty = [], []
    for name in sorted(class_to_idx):
        index = class_to_idx[name]
        before = len(samples)
        for root, _, files in sorted(os.walk(os.path.join(directory, name), followlinks=True)):
            for fname in sorted(files):
                path = os.path.join(root, fname)
                if is_valid_file(path):
                    samples.append((path, index))
        if len(samples) == before:
            empty.append(name)
    if empty and not allow_empty:
        msg = f"Found no valid file for the classes {', '.join(empty)}. "
        if extensions is not None:
            msg += f"Supported extensions are: {', '.join(extensions)}"
        raise FileNotFoundError(msg)
    return samples


def pil_loader(path: str) -> np.ndarray:
    """Read an image file with Pillow as an (H, W, 3) uint8 RGB array."""
    try:
        from PIL import Image
    except ImportError:
        raise ImportError(f"reading {path} needs Pillow, which is not installed: "
                          "`pip install pillow` (deepgrad reads .npy images without it)") from None
    with Image.open(path) as img:
        return np.asarray(img.convert("RGB"))


def default_loader(path: str) -> np.ndarray:
    """``.npy`` files with ``np.load`` (no Pillow needed), other images with ``pil_loader``."""
    if path.lower().endswith(".npy"):
        return np.load(path, allow_pickle=False)
    return pil_loader(path)


class DatasetFolder(Dataset):
    """Samples in ``root/<class>/**/<file>``: class folders are sorted to give ``classes`` and
    ``class_to_idx``; ``samples`` is ``[(path, class_index)]`` (sorted) and ``targets`` the
    indices. ``ds[i]`` is ``(transform(loader(path)), target_transform(class_index))``.
    Files are chosen by ``extensions`` or by ``is_valid_file(path)`` (not both)."""

    def __init__(self, root, loader, extensions=None, transform=None, target_transform=None,
                 is_valid_file=None, allow_empty: bool = False):
        self.root = os.fspath(root)
        if not os.path.isdir(self.root):
            raise FileNotFoundError(f"{type(self).__name__}: {self.root} is not a directory")
        self.transform = transform
        self.target_transform = target_transform
        self.classes, self.class_to_idx = self.find_classes(self.root)
        self.samples = self.make_dataset(self.root, self.class_to_idx, extensions,
                                         is_valid_file, allow_empty)
        self.loader = loader
        self.extensions = extensions
        self.targets = [s[1] for s in self.samples]

    @staticmethod
    def make_dataset(directory, class_to_idx, extensions=None, is_valid_file=None,
                     allow_empty: bool = False):
        return make_dataset(directory, class_to_idx, extensions, is_valid_file, allow_empty)

    def find_classes(self, directory):
        return find_classes(directory)

    def __len__(self) -> int:
        return len(self.samples)

    def __getitem__(self, index):
        path, target = self.samples[index]
        sample = self.loader(path)
        if self.transform is not None:
            sample = self.transform(sample)
        if self.target_transform is not None:
            target = self.target_transform(target)
        return sample, target

    def __repr__(self) -> str:
        return (f"Dataset {type(self).__name__}\n    Number of datapoints: {len(self)}\n"
                f"    Root location: {self.root}")


class ImageFolder(DatasetFolder):
    """Images in ``root/<class>/<image>`` (e.g. ``root/cat/001.png``), torchvision's layout.

    Reads PNG/JPEG/BMP/... with Pillow (an optional dependency: a clear ImportError says so
    when it is missing) as (H, W, 3) uint8 RGB arrays, and ``.npy`` arrays without Pillow.
    ``classes``, ``class_to_idx``, ``samples`` ([(path, class_index)]), ``targets``; ``ds[i]``
    is ``(image, class_index)`` after ``transform`` / ``target_transform``.

    Example::

        >>> from deepgrad.vision import transforms as T
        >>> ds = ImageFolder("data/pets", transform=T.ToTensor())  # doctest: +SKIP
        >>> ds.classes  # doctest: +SKIP
        ['cat', 'dog']
    """

    def __init__(self, root, transform=None, target_transform=None, loader=None,
                 is_valid_file=None, allow_empty: bool = False):
        super().__init__(root, default_loader if loader is None else loader,
                         IMG_EXTENSIONS if is_valid_file is None else None, transform,
                         target_transform, is_valid_file, allow_empty)
        self.imgs = self.samples
