"""Character-level text datasets (for language models), e.g. tiny-shakespeare."""
from __future__ import annotations

import os

import numpy as np

from .._tensor import Tensor
from ..utils.data import Dataset
from ._common import default_root


class CharDataset(Dataset):
    """Fixed-length windows of a text, encoded as character indices.

    ``ds[i]`` is ``(x, y)``: int64 tensors of length ``block_size`` where ``y`` is ``x``
    shifted by one character (next-character targets). The vocabulary is the sorted set of
    characters (``stoi``/``itos``); ``encode``/``decode`` convert text <-> indices.
    """

    def __init__(self, text: str, block_size: int, vocab=None):
        if block_size < 1:
            raise ValueError("block_size must be positive")
        chars = sorted(set(text)) if vocab is None else list(vocab)
        self.itos = chars
        self.stoi = {c: i for i, c in enumerate(chars)}
        missing = set(text) - set(self.stoi)
        if missing:
            raise ValueError(f"CharDataset: characters {sorted(missing)[:10]} not in vocab")
        self.block_size = block_size
        self.ids = np.fromiter((self.stoi[c] for c in text), dtype=np.int64, count=len(text))
        if len(self.ids) <= block_size:
            raise ValueError(f"CharDataset: text of {len(self.ids)} characters is too short for "
                             f"block_size {block_size}")

    @classmethod
    def from_file(cls, path, block_size: int, vocab=None, encoding: str = "utf-8"):
        with open(path, encoding=encoding) as f:
            return cls(f.read(), block_size, vocab)

    @property
    def vocab_size(self) -> int:
        return len(self.itos)

    def encode(self, text: str) -> Tensor:
        return Tensor._make(np.array([self.stoi[c] for c in text], dtype=np.int64))

    def decode(self, ids) -> str:
        ids = ids.tolist() if hasattr(ids, "tolist") else ids
        return "".join(self.itos[int(i)] for i in ids)

    def __len__(self) -> int:
        return len(self.ids) - self.block_size

    def __getitem__(self, index):
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError(f"CharDataset index {index} out of range ({len(self)})")
        chunk = self.ids[index:index + self.block_size + 1]
        return Tensor._make(chunk[:-1].copy()), Tensor._make(chunk[1:].copy())


def TinyShakespeare(root=None, block_size: int = 64, split: str = "train",
                    train_fraction: float = 0.9) -> CharDataset:
    """tiny-shakespeare (``root/tinyshakespeare/input.txt``) as a CharDataset; the first
    ``train_fraction`` of the text is 'train', the rest 'val' (same vocabulary)."""
    root = default_root() if root is None else os.fspath(root)
    path = os.path.join(root, "tinyshakespeare", "input.txt")
    if not os.path.exists(path):
        raise RuntimeError(f"TinyShakespeare: {path} not found (set DEEPGRAD_DATA to the folder "
                           "holding tinyshakespeare/input.txt)")
    with open(path, encoding="utf-8") as f:
        text = f.read()
    vocab = sorted(set(text))
    cut = int(len(text) * train_fraction)
    if split not in ("train", "val"):
        raise ValueError("split must be 'train' or 'val'")
    return CharDataset(text[:cut] if split == "train" else text[cut:], block_size, vocab)
