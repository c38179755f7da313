"""In-place array helpers with torch's float32 evaluation order (so trajectories match)."""
from __future__ import annotations

import numpy as np


def lerp_(a: np.ndarray, b: np.ndarray, weight: float) -> None:
    """``a = lerp(a, b, weight)`` with torch's two-branch formula."""
    w = a.dtype.type(weight)
    if weight < 0.5:
        a += w * (b - a)
    else:
        a[...] = b - (b - a) * a.dtype.type(1 - weight)


def addcmul_(a: np.ndarray, t1: np.ndarray, t2: np.ndarray, value: float = 1.0) -> None:
    """``a += value * t1 * t2``."""
    a += (a.dtype.type(value) * t1) * t2


def addcdiv_(a: np.ndarray, t1: np.ndarray, t2: np.ndarray, value: float = 1.0) -> None:
    """``a += value * t1 / t2``."""
    a += (a.dtype.type(value) * t1) / t2


def signed_grad(grad: np.ndarray, param: np.ndarray, weight_decay: float,
                maximize: bool) -> np.ndarray:
    """The gradient after ``maximize`` (negation) and L2 ``weight_decay`` (a new array when
    either applies, never the caller's ``.grad`` modified in place)."""
    if maximize:
        grad = -grad
    if weight_decay != 0:
        grad = grad + param.dtype.type(weight_decay) * param
    return grad
