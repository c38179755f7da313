"""In-place array helpers with torch's float32 evaluation order (so trajectories match).

Each takes an optional ``tmp`` buffer of the operand's shape: with it, an update allocates
nothing. That matters on these VMs, where fresh memory is backed lazily (the first touch of
new pages is slow), so a per-step temporary of a large parameter costs far more than the math.
"""
from __future__ import annotations

import numpy as np


class Scratch:
    """Reusable temporaries, one set per (shape, dtype): parameters of the same shape share."""

    def __init__(self):
        self._buffers = {}

    def get(self, like: np.ndarray, slot: int = 0) -> np.ndarray:
        key = (like.shape, like.dtype, slot)
        buf = self._buffers.get(key)
        if buf is None:
            buf = self._buffers[key] = np.empty_like(like)
        return buf


def lerp_(a: np.ndarray, b: np.ndarray, weight: float, tmp=None) -> None:
    """``a = lerp(a, b, weight)`` with torch's two-branch formula."""
    tmp = np.subtract(b, a, out=tmp)
    if weight < 0.5:
        tmp *= a.dtype.type(weight)
        a += tmp
    else:
        tmp *= a.dtype.type(1 - weight)
        np.subtract(b, tmp, out=a)


def addcmul_(a: np.ndarray, t1: np.ndarray, t2: np.ndarray, value: float = 1.0,
             tmp=None) -> None:
    """``a += value * t1 * t2``."""
    tmp = np.multiply(t1, a.dtype.type(value), out=tmp)
    tmp *= t2
    a += tmp


def addcdiv_(a: np.ndarray, t1: np.ndarray, t2: np.ndarray, value: float = 1.0,
             tmp=None) -> None:
    """``a += value * t1 / t2`` (``tmp`` must not be ``t2``)."""
    tmp = np.multiply(t1, a.dtype.type(value), out=tmp)
    tmp /= t2
    a += tmp


def signed_grad(grad: np.ndarray, param: np.ndarray, weight_decay: float,
                maximize: bool) -> np.ndarray:
    """The gradient after ``maximize`` (negation) and L2 ``weight_decay`` (a new array when
    either applies, never the caller's ``.grad`` modified in place)."""
    if maximize:
        grad = -grad
    if weight_decay != 0:
        grad = grad + param.dtype.type(weight_decay) * param
    return grad
