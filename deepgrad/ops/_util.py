"""Small helpers shared by the op families: argument conversion, dims, broadcasting."""
from __future__ import annotations

import numbers

from .. import _dtype
from .._tensor import Tensor, _wrap_dim
from ..backend import xp

Number = numbers.Number


def is_tensor(x) -> bool:
    return isinstance(x, Tensor)


def to_tensor(x, dtype=None) -> Tensor:
    """Wrap non-tensors (numbers, arrays, lists) as tensors; tensors pass through."""
    if isinstance(x, Tensor):
        return x
    from .._creation import tensor

    return tensor(x, dtype=dtype)


def result_dtype(*args) -> _dtype.dtype:
    """torch.result_type over tensors and Python scalars (three-tier promotion)."""
    dims = zero = scalars = None
    pt = _dtype.promote_types
    for a in args:
        if isinstance(a, Tensor):
            d = _dtype._FROM_NP[a.data.dtype]
            if a.data.ndim:
                dims = d if dims is None else pt(dims, d)
            else:
                zero = d if zero is None else pt(zero, d)
        elif a is not None:
            d = _dtype.scalar_dtype(a)
            scalars = d if scalars is None else pt(scalars, d)
    return _dtype.result_type_of(dims, zero, scalars)


def cast(t: Tensor, d: _dtype.dtype) -> Tensor:
    """``t`` converted to dtype ``d`` (differentiable), or ``t`` itself if it already is."""
    if t.data.dtype == d.np_dtype:
        return t
    from .elementwise import Cast

    return Cast.apply(t, d.np_dtype)


def float_input(x) -> Tensor:
    """Math functions compute in floating point: integer/bool input becomes the default float."""
    x = to_tensor(x)
    if x.data.dtype.kind in "iub":
        return cast(x, _dtype.get_default_dtype())
    return x


def unbroadcast(g: Tensor, shape) -> Tensor:
    """Sum a broadcast gradient back to ``shape`` (the one place broadcasting is undone)."""
    gshape = g.data.shape
    if gshape == tuple(shape):
        return g
    lead = len(gshape) - len(shape)
    axes = tuple(range(lead)) + tuple(
        i + lead for i, s in enumerate(shape) if s == 1 and gshape[i + lead] != 1)
    from .reduction import sum as _sum

    if axes:
        g = _sum(g, dim=axes, keepdim=True)
    if lead:
        g = g.reshape(tuple(shape))
    return g


def unbroadcast_array(g, shape):
    """``unbroadcast`` on a raw array (for the array fast paths of backward rules)."""
    gshape = g.shape
    if gshape == tuple(shape):
        return g
    lead = len(gshape) - len(shape)
    axes = tuple(range(lead)) + tuple(
        i + lead for i, s in enumerate(shape) if s == 1 and gshape[i + lead] != 1)
    if axes:
        g = g.sum(axis=axes, keepdims=True)
    return g.reshape(tuple(shape)) if lead else g


def normalize_dims(dim, ndim: int, op: str = "") -> tuple:
    """``dim`` (None, int or sequence) as a sorted tuple of non-negative axes."""
    if dim is None:
        return tuple(range(ndim))
    if isinstance(dim, (int, Tensor)) and not isinstance(dim, bool):
        return (_wrap_dim(int(dim), ndim, op),)
    if isinstance(dim, str) or not all(isinstance(d, (int, Tensor)) for d in dim):
        raise TypeError(f"{op}(): dim must be an int or a tuple of ints, got {dim!r}")
    dims = tuple(sorted({_wrap_dim(int(d), ndim, op) for d in dim}))
    if len(dims) != len(tuple(dim)):
        raise RuntimeError(f"{op}: dim appears multiple times in the list of dims")
    return dims


def shape_arg(args) -> tuple:
    """Accept ``f(2, 3)``, ``f((2, 3))`` and ``f([2, 3])`` alike."""
    if len(args) == 1 and isinstance(args[0], (tuple, list)):
        args = args[0]
    try:
        if any(isinstance(s, float) for s in args):
            raise TypeError
        return tuple(int(s) for s in args)
    except TypeError:
        raise TypeError(f"expected a sequence of integers as the size, got {args!r}") from None


def broadcast_shapes(*shapes) -> tuple:
    """The broadcast of several shapes; RuntimeError naming them if incompatible."""
    try:
        return tuple(xp.broadcast_shapes(*[tuple(s) for s in shapes]))
    except ValueError:
        raise RuntimeError(
            "shape mismatch: objects cannot be broadcast to a single shape: "
            + " and ".join(str(tuple(s)) for s in shapes)) from None
