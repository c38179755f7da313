"""Datasets read from ``$DEEPGRAD_DATA``: MNIST, Fashion-MNIST, character-level text."""
from ._common import default_root
from .mnist import MNIST, DatasetFileError, FashionMNIST, read_idx
from .text import CharDataset, TinyShakespeare

__all__ = ["MNIST", "FashionMNIST", "CharDataset", "TinyShakespeare", "read_idx",
           "DatasetFileError", "default_root"]
