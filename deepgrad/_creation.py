"""Tensor factories: ``tensor``, ``zeros``, ``arange``, ``eye``, ... with torch's dtype rules."""
from __future__ import annotations

import math
import operator

import numpy as np

from . import _dtype
from ._tensor import Tensor, _check_device
from .backend import xp


def size_arg(size) -> tuple:
    """A factory's size, ``f(2, 3)``, ``f((2, 3))`` or ``f([2, 3])``, as a tuple of ints.

    Like torch: non-integer sizes raise TypeError, negative ones RuntimeError.
    """
    if len(size) == 1 and isinstance(size[0], (tuple, list)):
        size = size[0]
    try:
        shape = tuple(operator.index(s) for s in size)
    except TypeError:
        raise TypeError(f"expected a sequence of integers as the size, got {size!r}") from None
    if shape and min(shape) < 0:
        raise RuntimeError(f"Trying to create tensor with negative dimension {min(shape)}: "
                           f"{list(shape)}")
    return shape


def _resolve_dtype(dtype):
    return None if dtype is None else _dtype.to_dtype(dtype)


def _finish(arr, requires_grad, device=None) -> Tensor:
    _check_device(device)
    t = Tensor._make(arr)
    if requires_grad:
        t.requires_grad = True
    return t


def _infer_array(data, target=None) -> np.ndarray:
    """NumPy array for Python data with torch's inference: floats -> default dtype, ints ->
    int64, bools -> bool; NumPy arrays keep their dtype. With a ``target`` dtype, Python
    numbers are converted straight from double precision (no detour through float32) and
    integer targets reject values out of range, like torch."""
    if isinstance(data, Tensor):
        return data.data
    if isinstance(data, np.ndarray):
        return data
    if isinstance(data, np.generic):
        return np.asarray(data)
    arr = np.asarray(data)
    if arr.dtype == object:
        raise TypeError(f"tensor(): could not infer dtype of {type(data).__name__} "
                        "(ragged or non-numeric data)")
    kind = arr.dtype.kind
    if kind == "c":
        raise TypeError("deepgrad has no complex dtypes")
    if kind not in "fiub":
        raise TypeError(f"tensor(): unsupported data of dtype {arr.dtype}")
    if target is not None:
        if target.np_dtype.kind in "iu" and kind in "fiu" and arr.size:
            _check_integer_range(arr, target)
        return arr
    if kind == "f" and not _holds_numpy_floats(data):
        arr = arr.astype(_dtype.get_default_dtype().np_dtype)
    elif kind in "iu":
        arr = arr.astype(np.int64)
    return arr


def _check_integer_range(arr: np.ndarray, target) -> None:
    info = np.iinfo(target.np_dtype)
    lo = -info.max if info.min == 0 and arr.dtype.kind != "f" else info.min  # ints wrap to uint
    if arr.dtype.kind == "f":
        bad = not np.all(np.isfinite(arr)) or arr.min() < lo or arr.max() > info.max
    else:
        bad = int(arr.min()) < lo or int(arr.max()) > info.max
    if bad:
        raise RuntimeError(f"value cannot be converted to type {target.name} without overflow")


def _holds_numpy_floats(data) -> bool:
    # A list of tensors keeps their dtype (e.g. float64 tensors stay float64)
    first = data
    while isinstance(first, (list, tuple)) and first:
        first = first[0]
    return isinstance(first, Tensor) and first.dtype is _dtype.float64


def tensor(data, dtype=None, device=None, requires_grad=False, pin_memory=False) -> Tensor:
    """A new tensor holding a copy of ``data`` (nested lists, numbers, arrays or tensors)."""
    d = _resolve_dtype(dtype)
    arr = _infer_array(data, d)
    if d is None:
        arr = np.array(arr, copy=True)
    else:
        with np.errstate(over="ignore"):  # like torch: too large for float16 becomes inf
            arr = np.array(arr, dtype=d.np_dtype, copy=True)
    return _finish(arr, requires_grad, device)


def as_tensor(data, dtype=None, device=None) -> Tensor:
    """Like ``tensor`` but shares memory with a NumPy array or tensor when no cast is needed."""
    d = _resolve_dtype(dtype)
    if isinstance(data, Tensor):
        return data if d is None or data.dtype is d else data.to(d)
    if isinstance(data, np.ndarray):
        if d is None or data.dtype == d.np_dtype:
            _dtype.from_numpy_dtype(data.dtype)
            return _finish(data, False, device)
        return _finish(data.astype(d.np_dtype), False, device)
    return tensor(data, dtype=d, device=device)


asarray = as_tensor


def from_numpy(ndarray: np.ndarray) -> Tensor:
    """A tensor sharing memory with ``ndarray`` (changes to one show in the other)."""
    if not isinstance(ndarray, np.ndarray):
        raise TypeError(f"expected np.ndarray (got {type(ndarray).__name__})")
    _dtype.from_numpy_dtype(ndarray.dtype)
    return Tensor._make(ndarray)


def scalar_tensor(s, dtype=None, device=None, requires_grad=False) -> Tensor:
    d = _resolve_dtype(dtype) or _dtype.get_default_dtype()
    return _finish(np.array(s, dtype=d.np_dtype), requires_grad, device)


def _float_or(dtype):
    return (_resolve_dtype(dtype) or _dtype.get_default_dtype()).np_dtype


def zeros(*size, dtype=None, device=None, requires_grad=False, out=None) -> Tensor:
    """A tensor of zeros: ``zeros(2, 3)`` or ``zeros((2, 3))``."""
    return _finish(xp.zeros(size_arg(size), dtype=_float_or(dtype)), requires_grad, device)


def ones(*size, dtype=None, device=None, requires_grad=False, out=None) -> Tensor:
    """A tensor of ones."""
    return _finish(xp.ones(size_arg(size), dtype=_float_or(dtype)), requires_grad, device)


def empty(*size, dtype=None, device=None, requires_grad=False, memory_format=None,
          out=None) -> Tensor:
    """An uninitialized tensor (its values are arbitrary)."""
    return _finish(xp.empty(size_arg(size), dtype=_float_or(dtype)), requires_grad, device)


def full(size, fill_value, *, dtype=None, device=None, requires_grad=False) -> Tensor:
    """A tensor filled with ``fill_value``; dtype inferred from it (bool, int64 or float)."""
    d = _resolve_dtype(dtype)
    if d is None:
        if isinstance(fill_value, Tensor):
            d = fill_value.dtype
            fill_value = fill_value.item()
        else:
            d = _dtype.scalar_dtype(fill_value)
    return _finish(xp.full(size_arg((size,) if isinstance(size, int) else size), fill_value,
                           dtype=d.np_dtype), requires_grad, device)


def _like(input, dtype):
    return (_resolve_dtype(dtype) or input.dtype).np_dtype


def zeros_like(input, *, dtype=None, device=None, requires_grad=False, memory_format=None):
    return _finish(xp.zeros(input.shape, dtype=_like(input, dtype)), requires_grad, device)


def ones_like(input, *, dtype=None, device=None, requires_grad=False, memory_format=None):
    return _finish(xp.ones(input.shape, dtype=_like(input, dtype)), requires_grad, device)


def empty_like(input, *, dtype=None, device=None, requires_grad=False, memory_format=None):
    return _finish(xp.empty(input.shape, dtype=_like(input, dtype)), requires_grad, device)


def full_like(input, fill_value, *, dtype=None, device=None, requires_grad=False,
              memory_format=None):
    return _finish(xp.full(input.shape, fill_value, dtype=_like(input, dtype)), requires_grad,
                   device)


def arange(start, end=None, step=1, *, dtype=None, device=None, requires_grad=False) -> Tensor:
    """Values from ``start`` to ``end`` (exclusive) by ``step``; int64 for integer arguments,
    the default float dtype if any argument is a float."""
    if end is None:
        start, end = 0, start
    vals = [v.item() if isinstance(v, Tensor) else v for v in (start, end, step)]
    start, end, step = vals
    if step == 0:
        raise RuntimeError("step must be nonzero")
    if (end - start) * step < 0:
        raise RuntimeError("upper bound and larger bound inconsistent with step sign")
    d = _resolve_dtype(dtype)
    if d is None:
        d = _dtype.get_default_dtype() if any(isinstance(v, float) for v in vals) else (
            _dtype.int64)
    n = max(math.ceil((end - start) / step), 0)
    if d.is_floating_point:
        arr = (start + xp.arange(n, dtype=np.float64) * step).astype(d.np_dtype)
    else:
        arr = xp.arange(start, start + n * step, step, dtype=np.int64)[:n].astype(d.np_dtype)
    return _finish(arr, requires_grad, device)


def range_(start, end, step=1, *, dtype=None, device=None, requires_grad=False) -> Tensor:
    """Deprecated torch.range: like arange but includes ``end``."""
    n = int(math.floor((end - start) / step)) + 1
    d = _resolve_dtype(dtype) or _dtype.get_default_dtype()
    return _finish((start + xp.arange(n) * step).astype(d.np_dtype), requires_grad, device)


def linspace(start, end, steps, *, dtype=None, device=None, requires_grad=False) -> Tensor:
    """``steps`` evenly spaced values from ``start`` to ``end`` inclusive."""
    if isinstance(steps, Tensor):
        steps = steps.item()
    if isinstance(steps, bool) or not isinstance(steps, (int, np.integer)):
        raise TypeError(f"linspace(): argument 'steps' must be int, not {type(steps).__name__}")
    if steps < 0:
        raise RuntimeError("linspace(): number of steps must be non-negative")
    d = _resolve_dtype(dtype) or _dtype.get_default_dtype()
    arr = xp.linspace(float(start), float(end), int(steps), dtype=np.float64)
    if d.is_floating_point:
        arr = arr.astype(d.np_dtype)
    else:
        arr = np.trunc(arr).astype(d.np_dtype)
    return _finish(arr, requires_grad, device)


def logspace(start, end, steps, base=10.0, *, dtype=None, device=None, requires_grad=False):
    d = _resolve_dtype(dtype) or _dtype.get_default_dtype()
    arr = np.power(base, np.linspace(float(start), float(end), int(steps))).astype(d.np_dtype)
    return _finish(arr, requires_grad, device)


def eye(n, m=None, *, dtype=None, device=None, requires_grad=False) -> Tensor:
    """The ``n`` x ``m`` identity matrix (``m`` defaults to ``n``)."""
    for name, v in (("n", n), ("m", m)):
        if v is not None and v < 0:
            raise RuntimeError(f"{name} must be greater or equal to 0, got {v}")
    return _finish(xp.eye(n, n if m is None else m, dtype=_float_or(dtype)), requires_grad,
                   device)


def tril_indices(row, col, offset=0, *, dtype=None):
    r, c = np.tril_indices(row, offset, col)
    return Tensor._make(np.stack([r, c]).astype(np.int64))


def triu_indices(row, col, offset=0, *, dtype=None):
    r, c = np.triu_indices(row, offset, col)
    return Tensor._make(np.stack([r, c]).astype(np.int64))


def meshgrid(*tensors, indexing="ij"):
    """Coordinate grids from 1-D tensors (differentiable: built with reshape and expand)."""
    if len(tensors) == 1 and isinstance(tensors[0], (list, tuple)):
        tensors = tuple(tensors[0])
    n = len(tensors)
    shape = [t.numel() for t in tensors]
    if indexing == "xy" and n >= 2:
        shape[0], shape[1] = shape[1], shape[0]
    out = []
    for i, t in enumerate(tensors):
        pos = i
        if indexing == "xy" and n >= 2 and i < 2:
            pos = 1 - i
        view = [1] * n
        view[pos] = -1
        out.append(t.reshape(view).expand(shape))
    return tuple(out)
