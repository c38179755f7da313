"""Image transforms (NumPy-based), torchvision-style: ``Compose``, ``ToTensor``, ``Normalize``,
``Lambda``. Images are (H, W) or (H, W, C) uint8 arrays (or PIL images) until ``ToTensor``
turns them into float (C, H, W) tensors in [0, 1]."""
from __future__ import annotations

import numpy as np

from .._tensor import Tensor


class Compose:
    """Apply transforms in order: ``Compose([ToTensor(), Normalize((0.5,), (0.5,))])``."""

    def __init__(self, transforms):
        self.transforms = list(transforms)

    def __call__(self, img):
        for t in self.transforms:
            img = t(img)
        return img

    def __repr__(self):
        body = "".join(f"\n    {t}" for t in self.transforms)
        return f"{type(self).__name__}({body}\n)"


def _to_array(img) -> np.ndarray:
    if isinstance(img, Tensor):
        return np.asarray(img.data)
    return np.asarray(img)


class ToTensor:
    """(H, W) or (H, W, C) uint8 image -> float32 (C, H, W) tensor scaled to [0, 1]."""

    def __call__(self, pic) -> Tensor:
        arr = _to_array(pic)
        if arr.ndim == 2:
            arr = arr[:, :, None]
        if arr.ndim != 3:
            raise TypeError(f"ToTensor: expected an (H, W) or (H, W, C) image, got shape "
                            f"{arr.shape}")
        out = np.ascontiguousarray(arr.transpose(2, 0, 1), dtype=np.float32)
        if arr.dtype == np.uint8:
            out /= 255.0
        return Tensor._make(out)

    def __repr__(self):
        return "ToTensor()"


class PILToTensor:
    """Image -> uint8 (C, H, W) tensor without scaling."""

    def __call__(self, pic) -> Tensor:
        arr = _to_array(pic)
        if arr.ndim == 2:
            arr = arr[:, :, None]
        return Tensor._make(np.ascontiguousarray(arr.transpose(2, 0, 1)))

    def __repr__(self):
        return "PILToTensor()"


class Normalize:
    """``(x - mean) / std`` per channel of a (C, H, W) or (N, C, H, W) float tensor."""

    def __init__(self, mean, std, inplace: bool = False):
        self.mean = tuple(float(m) for m in np.atleast_1d(mean))
        self.std = tuple(float(s) for s in np.atleast_1d(std))
        if any(s == 0 for s in self.std):
            raise ValueError("std evaluated to zero after conversion to float32, leading to "
                             "division by zero.")
        self.inplace = inplace

    def __call__(self, tensor: Tensor) -> Tensor:
        if not isinstance(tensor, Tensor) or not tensor.is_floating_point():
            raise TypeError("Normalize: input should be a float tensor")
        shape = (-1, 1, 1)
        dt = tensor.data.dtype
        mean = np.asarray(self.mean, dtype=dt).reshape(shape)
        std = np.asarray(self.std, dtype=dt).reshape(shape)
        if tensor.requires_grad:
            return (tensor - Tensor._make(mean)) / Tensor._make(std)
        if self.inplace:
            tensor.data -= mean
            tensor.data /= std
            return tensor
        return Tensor._make((tensor.data - mean) / std)

    def __repr__(self):
        return f"Normalize(mean={self.mean}, std={self.std})"


class Lambda:
    """Wrap a function as a transform."""

    def __init__(self, lambd):
        if not callable(lambd):
            raise TypeError(f"Argument lambd should be callable, got {type(lambd).__name__}")
        self.lambd = lambd

    def __call__(self, img):
        return self.lambd(img)

    def __repr__(self):
        return "Lambda()"
