"""Reductions, scans, sorting, norms and (log-)softmax.

Primitives with their own gradient: sum, mean, nansum, amax/amin, prod, var, logsumexp,
softmax, log_softmax, cumsum, cumprod, logcumsumexp, median() and the vector norms.
Everything else (std, max/min with indices, sort, topk, kthvalue) is composed from them and
``gather``. Gradients follow torch's conventions: ties share the gradient of amax/amin, max()
and median(); norms have a zero subgradient at the origin; a variance with too few degrees of
freedom gives torch's inf/nan.
"""
from __future__ import annotations

import builtins
import math
import collections
import warnings

import numpy as np

from .. import _dtype
from .._tensor import Tensor, _wrap_dim
from ..autograd.function import Function
from ..backend import xp
from ._util import cast, float_input, normalize_dims, to_tensor
from .elementwise import where

values_indices = collections.namedtuple("values_indices", ["values", "indices"])
_min_max = collections.namedtuple("aminmax", ["min", "max"])

_INF = float("inf")
_NAN = float("nan")
# torch's names for dtypes, used in error messages so they read like torch's
_TORCH_NAMES = {"bool": "Bool", "uint8": "Byte", "int8": "Char", "int16": "Short", "int32": "Int",
                "int64": "Long", "float16": "Half", "bfloat16": "BFloat16", "float32": "Float",
                "float64": "Double"}


def _type_name(x: Tensor) -> str:
    return _TORCH_NAMES.get(x.dtype.name, x.dtype.name)


def _is_integral(x: Tensor) -> bool:
    return x.data.dtype.kind in "iub"


def _reduce_dims(dim, ndim: int, name: str) -> tuple:
    """``dim`` as sorted non-negative axes; None or an empty list means every dim (as in torch).

    A 0-d tensor accepts dim 0 or -1 but has no axis to reduce.
    """
    if dim is None or (isinstance(dim, (tuple, list)) and len(dim) == 0):
        return tuple(range(ndim))
    dims = normalize_dims(dim, ndim, name)
    return dims if ndim else ()


def _count(shape, dims) -> int:
    n = 1
    for d in dims:
        n *= shape[d]
    return n


def _keep_shape(shape, dims):
    return tuple(1 if i in dims else s for i, s in enumerate(shape))


class ExpandBack(Function):
    """Broadcast a reduced tensor back to the unreduced ``shape`` (the adjoint of Sum): one
    op instead of reshape + expand on the hot path of every reduction's backward."""

    _array_forward = True

    @staticmethod
    def forward(ctx, g, shape, dims, keepdim):
        ctx.dims, ctx.keepdim = dims, keepdim
        data = g.data if keepdim else g.data.reshape(_keep_shape(shape, dims))
        if math.prod(shape) <= 65536:
            # small: an owned array is cheaper than NumPy's (Python-level) broadcast_to and
            # a leaf can adopt it without copying
            out = xp.empty(shape, dtype=data.dtype)
            xp.copyto(out, data)
            return out
        return xp.broadcast_to(data, shape)  # large: a read-only view, no memory traffic

    @staticmethod
    def backward(ctx, gg):
        return Sum.apply(gg, ctx.dims, ctx.keepdim, None)


def _expand_back(g: Tensor, shape, dims, keepdim: bool) -> Tensor:
    """Broadcast a reduced gradient back to the input's ``shape``."""
    return ExpandBack.apply(g, shape, dims, keepdim)


def _index(array) -> Tensor:
    return Tensor._make(xp.asarray(array, dtype=np.int64))


def _accumulate_as(x: Tensor, dtype):
    """(input cast to ``dtype``, NumPy accumulator dtype) for sum-like ops: integers and bools
    accumulate in int64 unless ``dtype`` is given (NumPy would pick its own platform int)."""
    if dtype is not None:
        x = cast(x, _dtype.to_dtype(dtype))
        return x, x.data.dtype
    return x, (np.int64 if _is_integral(x) else None)


# ---------------------------------------------------------------------------- sum, mean
class Sum(Function):
    _array_forward = True

    @staticmethod
    def forward(ctx, x, dims, keepdim, np_dtype):
        ctx.shape, ctx.dims, ctx.keepdim = x.data.shape, dims, keepdim
        return xp.asarray(xp.sum(x.data, axis=dims, keepdims=keepdim, dtype=np_dtype))

    @staticmethod
    def backward(ctx, g):
        return _expand_back(g, ctx.shape, ctx.dims, ctx.keepdim)


def sum(input, dim=None, keepdim=False, *, dtype=None):
    """Sum over ``dim`` (int, tuple, or all dims if None or empty).

    Integer and bool inputs sum to int64 unless ``dtype`` says otherwise.

        >>> deepgrad.tensor([[1, 2], [3, 4]]).sum(0)
        tensor([4, 6])
    """
    x = to_tensor(input)
    dims = _reduce_dims(dim, x.data.ndim, "sum")
    x, np_dtype = _accumulate_as(x, dtype)
    return Sum.apply(x, dims, keepdim, np_dtype)


class NanSum(Function):
    """Sum treating NaN as zero; the gradient is masked multiplicatively, as in torch."""

    _array_forward = True

    @staticmethod
    def forward(ctx, x, dims, keepdim):
        ctx.save_for_backward(x)
        ctx.dims, ctx.keepdim = dims, keepdim
        return xp.asarray(xp.nansum(x.data, axis=dims, keepdims=keepdim))

    @staticmethod
    def backward(ctx, g):
        (x,) = ctx.saved_tensors
        keep = x.isnan().logical_not().to(g.dtype)
        return _expand_back(g, x.data.shape, ctx.dims, ctx.keepdim) * keep


def nansum(input, dim=None, keepdim=False, *, dtype=None):
    """Sum over ``dim`` treating NaN as zero."""
    x = to_tensor(input)
    if dtype is not None:
        x = cast(x, _dtype.to_dtype(dtype))
    if _is_integral(x):
        return sum(x, dim, keepdim, dtype=dtype)
    return NanSum.apply(x, _reduce_dims(dim, x.data.ndim, "nansum"), keepdim)


class Mean(Function):
    _array_forward = True

    @staticmethod
    def forward(ctx, x, dims, keepdim):
        ctx.shape, ctx.dims, ctx.keepdim = x.data.shape, dims, keepdim
        n = _count(x.data.shape, dims)
        ctx.scale = 1.0 / n if n else _NAN
        total = xp.sum(x.data, axis=dims, keepdims=keepdim)
        with np.errstate(invalid="ignore"):
            return xp.asarray(total / n if n else total * _NAN, dtype=x.data.dtype)

    @staticmethod
    def backward(ctx, g):
        return _expand_back(g * ctx.scale, ctx.shape, ctx.dims, ctx.keepdim)


def mean(input, dim=None, keepdim=False, *, dtype=None):
    """Arithmetic mean over ``dim``; floating-point inputs only (or give ``dtype``), like torch.

        >>> deepgrad.tensor([[1., 2.], [3., 5.]]).mean(1)
        tensor([1.5000, 4.0000])
    """
    x = to_tensor(input)
    if dtype is not None:
        x = cast(x, _dtype.to_dtype(dtype))
    if _is_integral(x):
        raise RuntimeError(
            "mean(): could not infer output dtype. Input dtype must be either a floating point "
            f"or complex dtype. Got: {_type_name(x)}")
    return Mean.apply(x, _reduce_dims(dim, x.data.ndim, "mean"), keepdim)


def nanmean(input, dim=None, keepdim=False, *, dtype=None):
    """Mean over ``dim`` of the non-NaN elements (NaN where there are none)."""
    x = to_tensor(input)
    if _is_integral(x):
        raise RuntimeError("nanmean(): expected input to have floating point or complex dtype "
                           f"but got {_type_name(x)}")
    count = sum(x.isnan().logical_not(), dim, keepdim)
    with np.errstate(invalid="ignore", divide="ignore"):  # all-NaN slices: 0 / 0 = NaN
        return nansum(x, dim, keepdim, dtype=dtype) / count


# ---------------------------------------------------------------------------- extremes
def _evenly_distribute(g: Tensor, x: Tensor, out: Tensor, dims, nan_ties: bool) -> Tensor:
    """``g`` shared equally by the elements of ``x`` equal to ``out`` (reduced over ``dims``,
    keepdim shape); with ``nan_ties`` a NaN result goes to the NaN inputs (torch's max())."""
    mask = x == out
    if nan_ties:
        mask = mask | (x.isnan() & out.isnan())
    mask = mask.to(g.dtype)
    with np.errstate(invalid="ignore", divide="ignore"):  # NaN result: no element matches
        return g * mask / sum(mask, dims, keepdim=True)


class _Extreme(Function):
    """amax/amin (and max()/min() without dim): ties share the gradient equally."""

    _array_forward = True
    saves_output = True
    nan_ties = False

    @classmethod
    def forward(cls, ctx, x, dims, keepdim):
        ctx.save_for_backward(x)
        ctx.dims, ctx.keepdim = dims, keepdim
        return xp.asarray(cls.np_fn(x.data, axis=dims, keepdims=keepdim))

    @classmethod
    def backward(cls, ctx, g):
        (x,) = ctx.saved_tensors
        (out,) = ctx.saved_outputs
        shape, dims, keepdim = x.data.shape, ctx.dims, ctx.keepdim
        return _evenly_distribute(_expand_back(g, shape, dims, keepdim), x,
                                  _expand_back(out, shape, dims, keepdim), dims, cls.nan_ties)


class AMax(_Extreme):
    np_fn = staticmethod(xp.max)


class AMin(_Extreme):
    np_fn = staticmethod(xp.min)


class MaxAll(AMax):
    nan_ties = True


class MinAll(AMin):
    nan_ties = True


def _extreme(cls, input, dim, keepdim, name):
    x = to_tensor(input)
    all_dims = dim is None or (isinstance(dim, (tuple, list)) and len(dim) == 0)
    if all_dims and x.data.size == 0:
        raise RuntimeError(f"{name}(): Expected reduction dim to be specified for input.numel() "
                           "== 0. Specify the reduction dim with the 'dim' argument.")
    dims = _reduce_dims(dim, x.data.ndim, name)
    for d in dims:
        if x.data.shape[d] == 0:
            raise IndexError(f"{name}(): Expected reduction dim {d} to have non-zero size.")
    return cls.apply(x, dims, keepdim)


def amax(input, dim=(), keepdim=False):
    """Maximum over ``dim`` (all dims if empty); ties share the gradient equally.

        >>> deepgrad.tensor([[1., 3.], [2., 0.]]).amax(1)
        tensor([3., 2.])
    """
    return _extreme(AMax, input, dim, keepdim, "amax")


def amin(input, dim=(), keepdim=False):
    """Minimum over ``dim`` (all dims if empty); ties share the gradient equally."""
    return _extreme(AMin, input, dim, keepdim, "amin")


def _arg_extreme(x: Tensor, dim, keepdim, np_fn, name) -> Tensor:
    # NumPy's argmax/argmin already return the first NaN, as torch does
    if x.data.dtype == np.bool_ and name in ("argmax", "argmin"):
        raise RuntimeError(f"{name}(): does not support bool input")
    ndim = x.data.ndim
    if dim is None:
        if x.data.size == 0:
            raise IndexError(f"{name}(): Expected reduction dim to be specified for "
                             "input.numel() == 0.")
        idx = xp.asarray(np_fn(x.data.reshape(-1)), dtype=np.int64)
        return Tensor._make(idx.reshape((1,) * ndim) if keepdim else idx)
    d = _wrap_dim(dim, ndim, name)
    if ndim == 0:
        return _index(0)
    if x.data.shape[d] == 0:
        raise IndexError(f"{name}(): Expected reduction dim {d} to have non-zero size.")
    return _index(np_fn(x.data, axis=d, keepdims=keepdim))


def argmax(input, dim=None, keepdim=False):
    """Index of the maximum (over the flattened tensor if ``dim`` is None); the first one on
    ties or NaN; int64."""
    return _arg_extreme(to_tensor(input), dim, keepdim, xp.argmax, "argmax")


def argmin(input, dim=None, keepdim=False):
    """Index of the minimum (over the flattened tensor if ``dim`` is None); int64."""
    return _arg_extreme(to_tensor(input), dim, keepdim, xp.argmin, "argmin")


def _values_at(x: Tensor, dim: int, idx: Tensor, keepdim: bool):
    """(values of ``x`` at ``idx`` along ``dim``, ``idx``); differentiable through gather."""
    from .indexing import gather

    if x.data.ndim == 0:
        return values_indices(x.clone(), idx)
    idx_k = idx if keepdim else idx.unsqueeze(dim)
    vals = gather(x, dim, idx_k)
    return values_indices(vals if keepdim else vals.squeeze(dim), idx)


def _extreme_with_dim(input, dim, keepdim, np_fn, name):
    x = to_tensor(input)
    idx = _arg_extreme(x, dim, keepdim, np_fn, name)
    return _values_at(x, _wrap_dim(dim, x.data.ndim, name), idx, keepdim)


def max(input, dim=None, keepdim=False, *, out=None):
    """``max(x)``: the largest element (ties share the gradient); ``max(x, dim)``:
    (values, indices) along ``dim``; ``max(x, other)``: elementwise maximum.

        >>> deepgrad.max(deepgrad.tensor([[1., 5.], [7., 2.]]), 1)
        values_indices(values=tensor([5., 7.]), indices=tensor([1, 0]))
    """
    if isinstance(dim, Tensor):
        from .elementwise import maximum

        return maximum(input, dim)
    if dim is None:
        return _extreme(MaxAll, input, None, False, "max")
    return _extreme_with_dim(input, dim, keepdim, xp.argmax, "max")


def min(input, dim=None, keepdim=False, *, out=None):
    """``min(x)``, ``min(x, dim)`` -> (values, indices), or ``min(x, other)`` elementwise."""
    if isinstance(dim, Tensor):
        from .elementwise import minimum

        return minimum(input, dim)
    if dim is None:
        return _extreme(MinAll, input, None, False, "min")
    return _extreme_with_dim(input, dim, keepdim, xp.argmin, "min")


def aminmax(input, *, dim=None, keepdim=False):
    """(amin, amax) over ``dim`` (an int) or over all elements."""
    x = to_tensor(input)
    if dim is None and x.data.size == 0:
        raise RuntimeError("aminmax(): cannot compute aminmax over an empty dimension as the "
                           "operation has no identity.")
    if dim is not None:
        d = _wrap_dim(dim, x.data.ndim, "aminmax")
        if x.data.ndim and x.data.shape[d] == 0:
            raise IndexError(f"aminmax(): Expected reduction dim {d} to have non-zero size.")
    dims = () if dim is None else dim
    return _min_max(amin(x, dims, keepdim), amax(x, dims, keepdim))


# ---------------------------------------------------------------------------- prod
class Prod(Function):
    _array_forward = True

    @staticmethod
    def forward(ctx, x, dim, keepdim):
        ctx.save_for_backward(x)
        ctx.dim, ctx.keepdim = dim, keepdim
        if dim is None:
            return xp.asarray(xp.prod(x.data, dtype=x.data.dtype))
        return xp.prod(x.data, axis=dim, keepdims=keepdim, dtype=x.data.dtype)

    @staticmethod
    def backward(ctx, g):
        (x,) = ctx.saved_tensors
        if ctx.dim is None:
            flat = x.reshape(-1)
            return (g * _prod_others(flat, 0)).reshape(x.shape)
        gk = g if ctx.keepdim else g.unsqueeze(ctx.dim)
        return gk * _prod_others(x, ctx.dim)


def _prod_others(x: Tensor, dim: int) -> Tensor:
    """For each element, the product of the other elements along ``dim`` (exact with zeros):
    the exclusive cumulative product from the left times the one from the right."""
    n = x.shape[dim]
    if n <= 1:
        return Tensor._make(xp.ones(x.data.shape, dtype=x.data.dtype))
    ones_shape = list(x.shape)
    ones_shape[dim] = 1
    one = Tensor._make(xp.ones(ones_shape, dtype=x.data.dtype))
    from .movement import cat, narrow

    left = cat([one, cumprod(narrow(x, dim, 0, n - 1), dim)], dim)
    rev = x.flip(dim)
    right = cat([one, cumprod(narrow(rev, dim, 0, n - 1), dim)], dim).flip(dim)
    return left * right


def prod(input, dim=None, keepdim=False, *, dtype=None):
    """Product of elements (over ``dim`` if given); integer and bool inputs give int64.

    The gradient is exact when the input holds zeros (one or several).
    """
    x = to_tensor(input)
    if dtype is not None:
        x = cast(x, _dtype.to_dtype(dtype))
    elif _is_integral(x):
        x = cast(x, _dtype.int64)
    d = None if dim is None else _wrap_dim(dim, x.data.ndim, "prod")
    return Prod.apply(x, d if x.data.ndim else None, keepdim)


# ---------------------------------------------------------------------------- var, std
def _correction(unbiased, correction):
    if correction is not None:
        return correction
    return 1 if unbiased is None or unbiased else 0


class Var(Function):
    """Variance with ``correction``; the gradient is torch's ``var_backward``, including its
    inf/nan when there are no degrees of freedom left."""

    _array_forward = True

    @staticmethod
    def forward(ctx, x, dims, correction, keepdim, dim_given):
        ctx.save_for_backward(x)
        a = x.data
        n = _count(a.shape, dims)
        ctx.dims, ctx.keepdim, ctx.dof, ctx.dim_given = dims, keepdim, n - correction, dim_given
        with np.errstate(invalid="ignore", divide="ignore"):
            centered = a - xp.sum(a, axis=dims, keepdims=True) / n
            sq = xp.sum(centered * centered, axis=dims, keepdims=keepdim)
            return xp.asarray(sq / builtins.max(n - correction, 0), dtype=a.dtype)

    @staticmethod
    def backward(ctx, g):
        (x,) = ctx.saved_tensors
        g = _expand_back(g, x.data.shape, ctx.dims, ctx.keepdim)
        centered = x - mean(x, ctx.dims, keepdim=True)
        if ctx.dof > 0:
            return g * centered * (2.0 / ctx.dof)
        with np.errstate(invalid="ignore"):  # inf * 0 = NaN, as in torch
            if not ctx.dim_given:
                return g * where(centered == 0, _NAN, _INF)
            return g * centered * (2.0 / ctx.dof if ctx.dof != 0 else _INF)


class _SqrtOfVar(Function):
    """``sqrt`` with a zero gradient where the result is 0 (torch's ``std_backward``)."""

    _array_forward = True
    saves_output = True

    @staticmethod
    def forward(ctx, v):
        return xp.sqrt(v.data)

    @staticmethod
    def backward(ctx, g):
        (y,) = ctx.saved_outputs
        zero = y == 0
        return where(zero, 0.0, g / (where(zero, 1.0, y) * 2))


def _var(input, dim, unbiased, keepdim, correction, name) -> Tensor:
    if isinstance(dim, bool):  # var(x, False): the positional unbiased overload
        unbiased, dim = dim, None
    x = to_tensor(input)
    if _is_integral(x):
        raise RuntimeError("std and var only support floating point and complex dtypes")
    dims = _reduce_dims(dim, x.data.ndim, name)
    c = _correction(unbiased, correction)
    if _count(x.data.shape, dims) - c <= 0:
        warnings.warn(f"{name}(): degrees of freedom is <= 0. Correction should be strictly less "
                      "than the reduction factor (input numel divided by output numel).",
                      UserWarning, stacklevel=3)
    return Var.apply(x, dims, c, keepdim, dim is not None and x.data.ndim > 0)


def var(input, dim=None, unbiased=None, keepdim=False, *, correction=None):
    """Variance over ``dim`` with Bessel's ``correction`` (default 1; ``unbiased=False`` -> 0).

        >>> deepgrad.tensor([1., 2., 4.]).var()
        tensor(2.3333)
    """
    return _var(input, dim, unbiased, keepdim, correction, "var")


def std(input, dim=None, unbiased=None, keepdim=False, *, correction=None):
    """Standard deviation: ``sqrt(var(...))`` with the same arguments."""
    return _SqrtOfVar.apply(_var(input, dim, unbiased, keepdim, correction, "std"))


def var_mean(input, dim=None, unbiased=None, keepdim=False, *, correction=None):
    """(var, mean) over ``dim``."""
    if isinstance(dim, bool):
        unbiased, dim = dim, None
    v = _var(input, dim, unbiased, keepdim, correction, "var_mean")
    return v, mean(input, dim, keepdim)


def std_mean(input, dim=None, unbiased=None, keepdim=False, *, correction=None):
    """(std, mean) over ``dim``."""
    if isinstance(dim, bool):
        unbiased, dim = dim, None
    v = _var(input, dim, unbiased, keepdim, correction, "std_mean")
    return _SqrtOfVar.apply(v), mean(input, dim, keepdim)


# ---------------------------------------------------------------------------- logsumexp
class LogSumExp(Function):
    _array_forward = True
    saves_output = True

    @staticmethod
    def forward(ctx, x, dims, keepdim):
        ctx.save_for_backward(x)
        ctx.dims, ctx.keepdim = dims, keepdim
        a = x.data
        m = xp.max(a, axis=dims, keepdims=True) if a.size else xp.zeros(
            _keep_shape(a.shape, dims), a.dtype)
        m = xp.where(xp.isfinite(m), m, 0)
        with np.errstate(divide="ignore"):
            out = xp.log(xp.sum(xp.exp(a - m), axis=dims, keepdims=True)) + m
        return out if keepdim else out.reshape([s for i, s in enumerate(out.shape)
                                                if i not in dims])

    @staticmethod
    def backward(ctx, g):
        (x,) = ctx.saved_tensors
        (out,) = ctx.saved_outputs
        shape = x.data.shape
        with np.errstate(invalid="ignore"):  # -inf - -inf: NaN, as in torch
            return _expand_back(g, shape, ctx.dims, ctx.keepdim) * (
                x - _expand_back(out, shape, ctx.dims, ctx.keepdim)).exp()


def logsumexp(input, dim=None, keepdim=False):
    """``log(sum(exp(x)))`` over ``dim``, computed stably (the max is subtracted first).

        >>> deepgrad.tensor([1000., 1000.]).logsumexp(0)
        tensor(1000.6932)
    """
    x = float_input(input)
    return LogSumExp.apply(x, _reduce_dims(dim, x.data.ndim, "logsumexp"), keepdim)


# ---------------------------------------------------------------------------- softmax
def _softmax_input(input, dim, dtype, name):
    x = to_tensor(input)
    if dtype is not None:
        x = cast(x, _dtype.to_dtype(dtype))
    elif _is_integral(x):
        raise NotImplementedError(f'"{name}_lastdim_kernel_impl" not implemented for '
                                  f"'{_type_name(x)}'")
    ndim = x.data.ndim
    if dim is None:
        warnings.warn(f"Implicit dimension choice for {name} has been deprecated. Change the "
                      "call to include dim=X as an argument.", stacklevel=3)
        dim = 0 if ndim in (0, 1, 3) else 1
    return x, _wrap_dim(dim, ndim, name)


class Softmax(Function):
    _array_forward = True
    saves_output = True

    @staticmethod
    def forward(ctx, x, dim):
        ctx.dim = dim
        a = x.data
        if a.size == 0:
            return a.copy()
        with np.errstate(invalid="ignore"):
            e = xp.exp(a - xp.max(a, axis=dim, keepdims=True))
            e /= xp.sum(e, axis=dim, keepdims=True)
        return e

    @staticmethod
    def backward(ctx, g):
        (y,) = ctx.saved_outputs
        return y * (g - sum(g * y, ctx.dim, keepdim=True))


class LogSoftmax(Function):
    _array_forward = True
    saves_output = True

    @staticmethod
    def forward(ctx, x, dim):
        ctx.dim = dim
        a = x.data
        if a.size == 0:
            return a.copy()
        with np.errstate(invalid="ignore", divide="ignore"):
            shifted = a - xp.max(a, axis=dim, keepdims=True)
            shifted -= xp.log(xp.sum(xp.exp(shifted), axis=dim, keepdims=True))
        return shifted

    @staticmethod
    def backward(ctx, g):
        (y,) = ctx.saved_outputs
        return g - y.exp() * sum(g, ctx.dim, keepdim=True)


def softmax(input, dim=None, dtype=None, *, _stacklevel=3):
    """``exp(x) / sum(exp(x))`` along ``dim``, computed stably; ``dtype`` casts the input first.

        >>> deepgrad.tensor([1000., 1000.]).softmax(0)
        tensor([0.5000, 0.5000])
    """
    x, d = _softmax_input(input, dim, dtype, "softmax")
    if x.data.ndim == 0:
        return Softmax.apply(x.reshape(1), 0).reshape(())
    return Softmax.apply(x, d)


def log_softmax(input, dim=None, dtype=None, *, _stacklevel=3):
    """``log(softmax(x))`` along ``dim``, computed in one stable pass."""
    x, d = _softmax_input(input, dim, dtype, "log_softmax")
    if x.data.ndim == 0:
        return LogSoftmax.apply(x.reshape(1), 0).reshape(())
    return LogSoftmax.apply(x, d)


def softmin(input, dim=None, dtype=None):
    """``softmax(-x)`` along ``dim``."""
    x = to_tensor(input)
    if dtype is not None:
        x = cast(x, _dtype.to_dtype(dtype))
    return softmax(-x, dim)


# ---------------------------------------------------------------------------- norms
class Norm2(Function):
    """Euclidean norm with a zero (sub)gradient at the origin, as torch gives."""

    _array_forward = True
    saves_output = True

    @staticmethod
    def forward(ctx, x, dims, keepdim):
        ctx.save_for_backward(x)
        ctx.dims, ctx.keepdim = dims, keepdim
        a = x.data
        return xp.asarray(xp.sqrt(xp.sum(a * a, axis=dims, keepdims=keepdim)))

    @staticmethod
    def backward(ctx, g):
        (x,) = ctx.saved_tensors
        (out,) = ctx.saved_outputs
        shape = x.data.shape
        out_b = _expand_back(out, shape, ctx.dims, ctx.keepdim)
        scale = x / where(out_b == 0, _INF, out_b)
        return _expand_back(g, shape, ctx.dims, ctx.keepdim) * scale


class PNorm(Function):
    """``sum(|x|^p)^(1/p)`` for a finite ``p`` other than 0, 1, 2; torch's subgradients."""

    _array_forward = True
    saves_output = True

    @staticmethod
    def forward(ctx, x, p, dims, keepdim):
        ctx.save_for_backward(x)
        ctx.p, ctx.dims, ctx.keepdim = p, dims, keepdim
        with np.errstate(divide="ignore", over="ignore"):
            total = xp.sum(xp.abs(x.data) ** p, axis=dims, keepdims=keepdim)
            return xp.asarray(total ** (1.0 / p), dtype=x.data.dtype)

    @staticmethod
    def backward(ctx, g):
        (x,) = ctx.saved_tensors
        (out,) = ctx.saved_outputs
        p, shape = ctx.p, x.data.shape
        g = _expand_back(g, shape, ctx.dims, ctx.keepdim)
        norm = _expand_back(out, shape, ctx.dims, ctx.keepdim)
        a = x.abs()
        if p < 1:
            zero = x == 0
            scaled = where(zero, 0.0, x.sign() * where(zero, 1.0, a) ** (p - 1))
            return scaled * g * norm ** (1 - p)
        scaled = x.sign() * a ** (p - 1) if p < 2 else x * a ** (p - 2)
        nz = norm == 0
        return scaled * where(nz, 0.0, g / where(nz, 1.0, norm) ** (p - 1))


class _NormZero(Function):
    """The number of nonzeros (the "0-norm"); its gradient is zero everywhere, as in torch."""

    _array_forward = True

    @staticmethod
    def forward(ctx, x, dims, keepdim):
        ctx.shape = x.data.shape
        return xp.asarray(xp.sum(x.data != 0, axis=dims, keepdims=keepdim), dtype=x.data.dtype)

    @staticmethod
    def backward(ctx, g):
        return Tensor._make(xp.zeros(ctx.shape, dtype=g.data.dtype))


def vector_norm(x, ord=2, dim=None, keepdim=False, *, dtype=None):
    """The ``ord``-norm of ``x`` viewed as a vector over ``dim`` (torch.linalg.vector_norm).

    ``ord`` is any real number, ``inf`` (max abs) or ``-inf`` (min abs); 0 counts nonzeros.

        >>> deepgrad.linalg.vector_norm(deepgrad.tensor([3., -4.]))
        tensor(5.)
    """
    x = to_tensor(x)
    if _is_integral(x):
        raise RuntimeError("linalg.vector_norm: Expected a floating point or complex tensor as "
                           f"input. Got {_type_name(x)}")
    if dtype is not None:
        x = cast(x, _dtype.to_dtype(dtype))
    dims = _reduce_dims(dim, x.data.ndim, "linalg.vector_norm")
    if (ord < 0 or ord == _INF) and builtins.any(x.data.shape[d] == 0 for d in dims):
        raise RuntimeError(f"linalg.vector_norm cannot compute the {ord} norm on an empty "
                           "dimension because the operation does not have an identity")
    if ord == 2:
        return Norm2.apply(x, dims, keepdim)
    if ord == _INF:
        return _extreme(AMax, x.abs(), dims, keepdim, "linalg.vector_norm")
    if ord == -_INF:
        return _extreme(AMin, x.abs(), dims, keepdim, "linalg.vector_norm")
    if ord == 0:
        return _NormZero.apply(x, dims, keepdim)
    if ord == 1:
        return sum(x.abs(), dims, keepdim)
    return PNorm.apply(x, float(ord), dims, keepdim)


def norm(input, p="fro", dim=None, keepdim=False, dtype=None):
    """Vector p-norm (p = any number, inf, -inf) or the Frobenius norm ('fro', the default)
    over ``dim`` (torch.norm)."""
    if p == "fro" or p is None:
        p = 2
    elif p == "nuc":
        raise NotImplementedError("norm: the nuclear norm is not supported")
    elif isinstance(p, str):
        raise RuntimeError(f"norm: unknown p {p!r}")
    return vector_norm(input, p, dim, keepdim, dtype=dtype)


# ---------------------------------------------------------------------------- scans
class Cumsum(Function):
    _array_forward = True

    @staticmethod
    def forward(ctx, x, dim, np_dtype):
        ctx.dim = dim
        return xp.cumsum(x.data, axis=dim, dtype=np_dtype)

    @staticmethod
    def backward(ctx, g):
        return g.flip(ctx.dim).cumsum(ctx.dim).flip(ctx.dim)


def cumsum(input, dim, *, dtype=None):
    """Cumulative sum along ``dim``; integer and bool inputs accumulate in int64."""
    x = to_tensor(input)
    d = _wrap_dim(dim, x.data.ndim, "cumsum")
    x, np_dtype = _accumulate_as(x, dtype)
    if x.data.ndim == 0:
        return Cumsum.apply(x.reshape(1), 0, np_dtype).reshape(())
    return Cumsum.apply(x, d, np_dtype)


class Cumprod(Function):
    _array_forward = True
    saves_output = True

    @staticmethod
    def forward(ctx, x, dim):
        ctx.save_for_backward(x)
        ctx.dim = dim
        return xp.cumprod(x.data, axis=dim, dtype=x.data.dtype)

    @staticmethod
    def backward(ctx, g):
        (x,) = ctx.saved_tensors
        (y,) = ctx.saved_outputs
        d = ctx.dim
        if not bool((x.data == 0).any()):
            # d y_j / d x_i = y_j / x_i for j >= i: a reversed cumulative sum of g * y
            return (g * y).flip(d).cumsum(d).flip(d) / x
        return _cumprod_grad_with_zeros(x, g, d)


def _cumprod_grad_with_zeros(x: Tensor, g: Tensor, d: int) -> Tensor:
    """O(n^2) exact gradient along ``d`` used only when the input holds zeros."""
    n = x.shape[d]
    xm = x.movedim(d, -1).unsqueeze(-2)  # (..., 1, n): row i will drop element i
    eye = Tensor._make(xp.eye(n, dtype=bool))
    others = where(eye, 1.0, xm.expand(*xm.shape[:-2], n, n))  # (..., i, k)
    partial = others.cumprod(-1)  # (..., i, j) = prod_{k<=j, k != i} x_k
    upper = Tensor._make(xp.triu(xp.ones((n, n), dtype=bool)))  # j >= i
    gm = g.movedim(d, -1).unsqueeze(-2)
    grad = sum(where(upper, partial * gm, 0.0), -1)
    return grad.movedim(-1, d)


def cumprod(input, dim, *, dtype=None):
    """Cumulative product along ``dim``; integer and bool inputs give int64."""
    x = to_tensor(input)
    d = _wrap_dim(dim, x.data.ndim, "cumprod")
    if dtype is not None:
        x = cast(x, _dtype.to_dtype(dtype))
    elif _is_integral(x):
        x = cast(x, _dtype.int64)
    if x.data.ndim == 0:
        return Cumprod.apply(x.reshape(1), 0).reshape(())
    return Cumprod.apply(x, d)


class LogCumSumExp(Function):
    _array_forward = True
    saves_output = True

    @staticmethod
    def forward(ctx, x, dim):
        ctx.save_for_backward(x)
        ctx.dim = dim
        return xp.logaddexp.accumulate(x.data, axis=dim)

    @staticmethod
    def backward(ctx, g):
        # torch's rule: split g by sign and sum exp(x_i - y_j) g_j over j >= i in log space
        (x,) = ctx.saved_tensors
        (y,) = ctx.saved_outputs
        d = ctx.dim
        lowest = float(xp.finfo(g.data.dtype).min)

        def log_part(mask):
            return where(mask, where(mask, g.abs(), 1.0).log(), lowest)

        def reverse_lcse(t):
            return logcumsumexp(t.flip(d), d).flip(d)

        with np.errstate(over="ignore", invalid="ignore"):  # sums near `lowest` -> -inf
            pos = (reverse_lcse(log_part(g > 0) - y) + x).exp()
            neg = (reverse_lcse(log_part(g < 0) - y) + x).exp()
            return pos - neg


def logcumsumexp(input, dim):
    """``log(cumsum(exp(x)))`` along ``dim``, computed stably.

        >>> deepgrad.logcumsumexp(deepgrad.tensor([0., 0., 0.]), 0)
        tensor([0.0000, 0.6931, 1.0986])
    """
    x = to_tensor(input)
    d = _wrap_dim(dim, x.data.ndim, "logcumsumexp")
    if _is_integral(x):
        raise NotImplementedError(f"\"logcumsumexp_out_cpu\" not implemented for "
                                  f"'{_type_name(x)}'")
    if x.data.ndim == 0:
        return LogCumSumExp.apply(x.reshape(1), 0).reshape(())
    return LogCumSumExp.apply(x, d)


# ---------------------------------------------------------------------------- logical
def _bool_reduce(np_fn, name):
    def op(input, dim=None, keepdim=False):
        x = to_tensor(input)
        ndim = x.data.ndim
        if dim is None:
            out = xp.asarray(np_fn(x.data))
            if keepdim:
                out = out.reshape((1,) * ndim)
        else:
            axis = normalize_dims(dim, ndim, name)  # range-checks dim even for 0-d input
            if not ndim:
                axis = ()
            out = xp.asarray(np_fn(x.data, axis=axis, keepdims=keepdim))
        return Tensor._make(out.astype(np.uint8) if x.data.dtype == np.uint8 else out)

    op.__name__ = op.__qualname__ = name
    op.__doc__ = (f"Whether {name} elements are nonzero (over ``dim``: an int or tuple, if "
                  "given); bool result (uint8 for uint8 input).")
    return op


all = _bool_reduce(xp.all, "all")
any = _bool_reduce(xp.any, "any")


def count_nonzero(input, dim=None):
    """Number of nonzero elements (over ``dim``: an int or tuple, if given); int64."""
    x = to_tensor(input)
    axis = _reduce_dims(dim, x.data.ndim, "count_nonzero")
    return _index(xp.count_nonzero(x.data, axis=axis))


# ---------------------------------------------------------------------------- sorting
def _argsort_array(a, dim, descending):
    """Stable argsort along ``dim``; NaN counts as the largest value (as in torch)."""
    if not descending:
        return xp.argsort(a, axis=dim, kind="stable")  # NumPy already sorts NaN last
    if a.dtype.kind == "b":
        a = a.astype(np.int8)
    if a.dtype.kind == "f":
        nan = xp.isnan(a)
        # primary key: NaN first; secondary: larger first (lexsort is stable)
        return xp.lexsort((-xp.where(nan, 0, a), ~nan), axis=dim)
    return xp.argsort(-a.astype(np.int64), axis=dim, kind="stable")


def sort(input, dim=-1, descending=False, stable=False):
    """Sort along ``dim``; returns (values, indices). Sorting is always stable here.

        >>> deepgrad.tensor([3., 1., 2.]).sort()
        values_indices(values=tensor([1., 2., 3.]), indices=tensor([1, 2, 0]))
    """
    x = to_tensor(input)
    d = _wrap_dim(dim, x.data.ndim, "sort")
    if x.data.ndim == 0:
        return values_indices(x.clone(), _index(0))
    idx = _index(_argsort_array(x.data, d, descending))
    from .indexing import gather

    return values_indices(gather(x, d, idx), idx)


def argsort(input, dim=-1, descending=False, stable=False):
    """Indices that sort ``input`` along ``dim`` (stable)."""
    return sort(input, dim, descending, stable).indices


def msort(input):
    """``sort(input, 0).values``."""
    return sort(input, 0).values


def topk(input, k, dim=-1, largest=True, sorted=True):
    """The ``k`` largest (or smallest) elements along ``dim``: (values, indices), sorted."""
    x = to_tensor(input)
    d = _wrap_dim(dim, x.data.ndim, "topk")
    n = x.data.shape[d] if x.data.ndim else 1
    if not 0 <= k <= n:
        raise RuntimeError(f"topk(): selected index k out of range (k={k}, dimension size {n})")
    if x.data.ndim == 0:  # torch returns the element itself, for k = 0 as for k = 1
        return values_indices(x.clone(), _index(0))
    order = _argsort_array(x.data, d, largest)
    idx = _index(xp.take(order, xp.arange(k), axis=d))
    from .indexing import gather

    return values_indices(gather(x, d, idx), idx)


def kthvalue(input, k, dim=-1, keepdim=False):
    """The ``k``-th smallest element along ``dim`` (1-based): (values, indices)."""
    x = to_tensor(input)
    d = _wrap_dim(dim, x.data.ndim, "kthvalue")
    n = x.data.shape[d] if x.data.ndim else 1
    if not 1 <= k <= n:
        raise RuntimeError(f"kthvalue(): selected number k out of range for dimension {d}")
    if x.data.ndim == 0:
        return values_indices(x.clone(), _index(0))
    idx = _index(xp.take(_argsort_array(x.data, d, False), [k - 1], axis=d))
    return _squeeze_result(_values_at(x, d, idx, True), d, keepdim)


def _squeeze_result(res, d, keepdim):
    if keepdim:
        return res
    return values_indices(res.values.squeeze(d), res.indices.squeeze(d))


class MedianAll(Function):
    """The lower median of all elements; NaN if any is NaN. Ties share the gradient."""

    _array_forward = True
    saves_output = True

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        flat = x.data.reshape(-1)
        if flat.size == 0 or (flat.dtype.kind == "f" and xp.isnan(flat).any()):
            return xp.asarray(_NAN, dtype=flat.dtype)
        k = (flat.size - 1) // 2
        return xp.asarray(xp.partition(flat, k)[k])

    @staticmethod
    def backward(ctx, g):
        (x,) = ctx.saved_tensors
        (out,) = ctx.saved_outputs
        return _evenly_distribute(g, x, out, tuple(range(x.data.ndim)), True)


def median(input, dim=None, keepdim=False):
    """Lower median: of all elements (``dim=None``) or along ``dim`` -> (values, indices).

    NaN propagates: a slice holding NaN has median NaN (at its first NaN).

        >>> deepgrad.tensor([4., 1., 3., 2.]).median()
        tensor(2.)
    """
    x = to_tensor(input)
    if dim is None:
        return MedianAll.apply(x)
    d = _wrap_dim(dim, x.data.ndim, "median")
    if x.data.ndim == 0:
        return values_indices(x.clone(), _index(0))
    a = x.data
    n = a.shape[d]
    if n == 0:
        raise IndexError(f"median(): Expected reduction dim {d} to have non-zero size.")
    idx = xp.take(_argsort_array(a, d, False), [(n - 1) // 2], axis=d)
    if a.dtype.kind == "f":
        nan = xp.isnan(a)
        idx = xp.where(nan.any(axis=d, keepdims=True), xp.argmax(nan, axis=d, keepdims=True), idx)
    return _squeeze_result(_values_at(x, d, _index(idx), True), d, keepdim)
