"""Datasets read from ``$DEEPGRAD_DATA``: MNIST, Fashion-MNIST, CIFAR-10, character-level text,
and image folders (``ImageFolder``)."""
from ._common import default_root
from .cifar import CIFAR10, read_cifar_bin
from .folder import DatasetFolder, ImageFolder
from .mnist import MNIST, DatasetFileError, FashionMNIST, read_idx
from .text import CharDataset, TinyShakespeare

__all__ = ["MNIST", "FashionMNIST", "CIFAR10", "ImageFolder", "DatasetFolder", "CharDataset",
           "TinyShakespeare", "read_idx", "read_cifar_bin", "DatasetFileError", "default_root"]
