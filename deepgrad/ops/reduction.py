"""Reductions, scans, sorting and (log-)softmax.

Primitives with their own gradient: sum, amax/amin, prod, logsumexp, softmax, log_softmax,
cumsum, cumprod and the 2-norm. Everything else (mean, var, std, norms, max/min with indices,
sort, topk, median) is composed from them and ``gather``.
"""
from __future__ import annotations

import builtins
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


def _keep_shape(shape, dims):
    return tuple(1 if i in dims else s for i, s in enumerate(shape))


def _expand_back(g: Tensor, shape, dims, keepdim: bool) -> Tensor:
    """Broadcast a reduced gradient back to the input's ``shape``."""
    if not keepdim:
        g = g.reshape(_keep_shape(shape, dims))
    return g.expand(shape)


class Sum(Function):
    _array_forward = True

    @staticmethod
    def forward(ctx, x, dims, keepdim, np_dtype):
        ctx.shape, ctx.dims, ctx.keepdim = x.data.shape, dims, keepdim
        return xp.sum(x.data, axis=dims, keepdims=keepdim, dtype=np_dtype)

    @staticmethod
    def backward(ctx, g):
        return _expand_back(g, ctx.shape, ctx.dims, ctx.keepdim)


def sum(input, dim=None, keepdim=False, *, dtype=None):
    """Sum over ``dim`` (int, tuple, or all dims); integer and bool inputs sum to int64."""
    x = to_tensor(input)
    dims = normalize_dims(dim, x.data.ndim, "sum")
    if dtype is not None:
        x = cast(x, _dtype.to_dtype(dtype))
    np_dtype = np.int64 if x.data.dtype.kind in "iub" else None
    return Sum.apply(x, dims, keepdim, np_dtype)


def nansum(input, dim=None, keepdim=False, *, dtype=None):
    x = to_tensor(input)
    return sum(where(x.isnan(), 0.0, x), dim, keepdim, dtype=dtype)


def _count(shape, dims) -> int:
    n = 1
    for d in dims:
        n *= shape[d]
    return n


def mean(input, dim=None, keepdim=False, *, dtype=None):
    """Arithmetic mean over ``dim``; floating-point inputs only (like torch)."""
    x = to_tensor(input)
    if dtype is not None:
        x = cast(x, _dtype.to_dtype(dtype))
    if x.data.dtype.kind in "iub":
        raise RuntimeError(
            "mean(): could not infer output dtype. Input dtype must be either a floating point "
            f"or complex dtype. Got: {x.dtype.name.capitalize()}")
    dims = normalize_dims(dim, x.data.ndim, "mean")
    return Sum.apply(x, dims, keepdim, None) / builtins.max(_count(x.data.shape, dims), 0)


def nanmean(input, dim=None, keepdim=False):
    x = to_tensor(input)
    keep = ~x.isnan()
    return sum(where(keep, x, 0.0), dim, keepdim) / sum(keep, dim, keepdim)


class _Extreme(Function):
    """amax/amin: ties share the gradient equally (torch's rule for amax/amin and max())."""

    _array_forward = True
    saves_output = True

    @classmethod
    def forward(cls, ctx, x, dims, keepdim):
        if x.data.size == 0 and any(x.data.shape[d] == 0 for d in dims):
            raise IndexError(f"{cls.op}(): Expected reduction dim to be specified for "
                             "input.numel() == 0. Specify the reduction dim with the 'dim' "
                             "argument.")
        ctx.save_for_backward(x)
        ctx.dims, ctx.keepdim = dims, keepdim
        return cls.np_fn(x.data, axis=dims, keepdims=keepdim)

    @staticmethod
    def backward(ctx, g):
        (x,) = ctx.saved_tensors
        (out,) = ctx.saved_outputs
        shape = x.data.shape
        out_b = _expand_back(out, shape, ctx.dims, ctx.keepdim)
        mask = (x == out_b).to(g.dtype)
        count = sum(mask, ctx.dims, keepdim=True)
        return _expand_back(g, shape, ctx.dims, ctx.keepdim) * mask / count


class AMax(_Extreme):
    np_fn = staticmethod(xp.max)
    op = "amax"


class AMin(_Extreme):
    np_fn = staticmethod(xp.min)
    op = "amin"


def amax(input, dim=(), keepdim=False):
    """Maximum over ``dim`` (all dims if empty); ties share the gradient."""
    x = to_tensor(input)
    dims = normalize_dims(None if dim == () else dim, x.data.ndim, "amax")
    return AMax.apply(x, dims, keepdim)


def amin(input, dim=(), keepdim=False):
    """Minimum over ``dim`` (all dims if empty); ties share the gradient."""
    x = to_tensor(input)
    dims = normalize_dims(None if dim == () else dim, x.data.ndim, "amin")
    return AMin.apply(x, dims, keepdim)


def _arg_extreme(x: Tensor, dim, keepdim, np_fn, name):
    if x.data.size == 0:
        raise IndexError(f"{name}(): Expected reduction dim to be specified for input.numel() "
                         "== 0.")
    if dim is None:
        idx = np_fn(x.data.reshape(-1))
        out = xp.asarray(idx, dtype=np.int64)
        return Tensor._make(out.reshape((1,) * x.data.ndim) if keepdim else out)
    d = _wrap_dim(dim, x.data.ndim, name)
    data = x.data if x.data.ndim else x.data.reshape(1)
    idx = np_fn(data, axis=d, keepdims=keepdim).astype(np.int64)
    return Tensor._make(idx if x.data.ndim else idx.reshape(()))


def _nan_aware(np_fn):
    # torch propagates NaN: the index of the first NaN wins
    def fn(a, axis=None, keepdims=False):
        if a.dtype.kind == "f" and xp.isnan(a).any():
            return xp.argmax(xp.isnan(a), axis=axis, keepdims=keepdims)
        return np_fn(a, axis=axis, keepdims=keepdims) if axis is not None else np_fn(a)
    return fn


_argmax_np = _nan_aware(xp.argmax)
_argmin_np = _nan_aware(xp.argmin)


def argmax(input, dim=None, keepdim=False):
    """Index of the maximum (over the flattened tensor if ``dim`` is None); int64."""
    return _arg_extreme(to_tensor(input), dim, keepdim, _argmax_np, "argmax")


def argmin(input, dim=None, keepdim=False):
    """Index of the minimum (over the flattened tensor if ``dim`` is None); int64."""
    return _arg_extreme(to_tensor(input), dim, keepdim, _argmin_np, "argmin")


def _values_at(x: Tensor, dim: int, idx: Tensor, keepdim: bool):
    from .indexing import gather

    if x.data.ndim == 0:
        return values_indices(x.clone(), idx)
    idx_k = idx if keepdim else idx.unsqueeze(dim)
    vals = gather(x, dim, idx_k)
    return values_indices(vals if keepdim else vals.squeeze(dim), idx)


def max(input, dim=None, keepdim=False, *, out=None):
    """``max(x)``: the largest element; ``max(x, dim)``: (values, indices) along ``dim``;
    ``max(x, other)``: elementwise maximum."""
    if isinstance(dim, Tensor):
        from .elementwise import maximum

        return maximum(input, dim)
    x = to_tensor(input)
    if dim is None:
        return amax(x)
    idx = argmax(x, dim, keepdim)
    return _values_at(x, _wrap_dim(dim, x.data.ndim, "max"), idx, keepdim)


def min(input, dim=None, keepdim=False, *, out=None):
    """``min(x)``, ``min(x, dim)`` -> (values, indices), or ``min(x, other)`` elementwise."""
    if isinstance(dim, Tensor):
        from .elementwise import minimum

        return minimum(input, dim)
    x = to_tensor(input)
    if dim is None:
        return amin(x)
    idx = argmin(x, dim, keepdim)
    return _values_at(x, _wrap_dim(dim, x.data.ndim, "min"), idx, keepdim)


class Prod(Function):
    _array_forward = True
    saves_output = True

    @staticmethod
    def forward(ctx, x, dim, keepdim):
        ctx.save_for_backward(x)
        ctx.dim, ctx.keepdim = dim, keepdim
        data = x.data.reshape(-1) if dim is None else x.data
        return xp.prod(data, axis=0 if dim is None else dim, keepdims=keepdim and dim is not None)

    @staticmethod
    def backward(ctx, g):
        (x,) = ctx.saved_tensors
        if ctx.dim is None:
            flat = x.reshape(-1)
            return (g * _prod_others(flat, 0)).reshape(x.shape)
        gk = g if ctx.keepdim else g.unsqueeze(ctx.dim)
        return gk * _prod_others(x, ctx.dim)


def _prod_others(x: Tensor, dim: int) -> Tensor:
    """For each element, the product of the other elements along ``dim`` (zero-safe): the
    exclusive cumulative product from the left times the one from the right."""
    n = x.shape[dim]
    if n == 0:
        return x
    ones_shape = list(x.shape)
    ones_shape[dim] = 1
    one = Tensor._make(xp.ones(ones_shape, dtype=x.data.dtype))
    from .movement import cat, narrow

    left = cat([one, cumprod(narrow(x, dim, 0, n - 1), dim)], dim) if n > 1 else one
    rev = x.flip(dim)
    right = cat([one, cumprod(narrow(rev, dim, 0, n - 1), dim)], dim).flip(dim) if n > 1 else one
    return left * right


def prod(input, dim=None, keepdim=False, *, dtype=None):
    """Product of elements (over ``dim`` if given); integer and bool inputs give int64."""
    x = to_tensor(input)
    if dtype is not None:
        x = cast(x, _dtype.to_dtype(dtype))
    elif x.data.dtype.kind in "iub":
        x = cast(x, _dtype.int64)
    d = None if dim is None else _wrap_dim(dim, x.data.ndim, "prod")
    return Prod.apply(x, d, keepdim)


def _correction(unbiased, correction):
    if correction is not None:
        return correction
    return 1 if unbiased is None or unbiased else 0


def var(input, dim=None, unbiased=None, keepdim=False, *, correction=None):
    """Variance over ``dim`` with Bessel's ``correction`` (default 1; ``unbiased=False`` -> 0)."""
    if isinstance(dim, bool):
        unbiased, dim = dim, None
    x = float_input(input)
    dims = normalize_dims(dim, x.data.ndim, "var")
    n = _count(x.data.shape, dims)
    centered = x - mean(x, dims, keepdim=True)
    denom = builtins.max(n - _correction(unbiased, correction), 0)
    return sum(centered * centered, dims, keepdim) / denom


def std(input, dim=None, unbiased=None, keepdim=False, *, correction=None):
    """Standard deviation: ``sqrt(var(...))`` with the same arguments."""
    return var(input, dim, unbiased, keepdim, correction=correction).sqrt()


def var_mean(input, dim=None, unbiased=None, keepdim=False, *, correction=None):
    if isinstance(dim, bool):
        unbiased, dim = dim, None
    return (var(input, dim, unbiased, keepdim, correction=correction),
            mean(float_input(input), dim, keepdim))


def std_mean(input, dim=None, unbiased=None, keepdim=False, *, correction=None):
    if isinstance(dim, bool):
        unbiased, dim = dim, None
    return (std(input, dim, unbiased, keepdim, correction=correction),
            mean(float_input(input), dim, keepdim))


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
        return _expand_back(g, shape, ctx.dims, ctx.keepdim) * (
            x - _expand_back(out, shape, ctx.dims, ctx.keepdim)).exp()


def logsumexp(input, dim=None, keepdim=False):
    """``log(sum(exp(x)))`` over ``dim``, computed stably (max subtracted first)."""
    x = float_input(input)
    return LogSumExp.apply(x, normalize_dims(dim, x.data.ndim, "logsumexp"), keepdim)


def _softmax_dim(ndim, dim, name):
    if dim is None:
        warnings.warn(f"Implicit dimension choice for {name} has been deprecated. Change the "
                      "call to include dim=X as an argument.", stacklevel=3)
        dim = 0 if ndim in (0, 1, 3) else 1
    return _wrap_dim(dim, ndim, name)


class Softmax(Function):
    _array_forward = True
    saves_output = True

    @staticmethod
    def forward(ctx, x, dim):
        ctx.dim = dim
        a = x.data
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
        shifted = a - xp.max(a, axis=dim, keepdims=True)
        shifted -= xp.log(xp.sum(xp.exp(shifted), axis=dim, keepdims=True))
        return shifted

    @staticmethod
    def backward(ctx, g):
        (y,) = ctx.saved_outputs
        return g - y.exp() * sum(g, ctx.dim, keepdim=True)


def softmax(input, dim=None, dtype=None, *, _stacklevel=3):
    """``exp(x) / sum(exp(x))`` along ``dim``, computed stably."""
    x = float_input(input)
    if dtype is not None:
        x = cast(x, _dtype.to_dtype(dtype))
    if x.data.ndim == 0:
        return Softmax.apply(x.reshape(1), 0).reshape(())
    return Softmax.apply(x, _softmax_dim(x.data.ndim, dim, "softmax"))


def log_softmax(input, dim=None, dtype=None, *, _stacklevel=3):
    """``log(softmax(x))`` along ``dim``, computed in one stable pass."""
    x = float_input(input)
    if dtype is not None:
        x = cast(x, _dtype.to_dtype(dtype))
    if x.data.ndim == 0:
        return LogSoftmax.apply(x.reshape(1), 0).reshape(())
    return LogSoftmax.apply(x, _softmax_dim(x.data.ndim, dim, "log_softmax"))


def softmin(input, dim=None, dtype=None):
    return softmax(-to_tensor(input), dim, dtype)


class Norm2(Function):
    """Euclidean norm with a zero (sub)gradient at the origin, as torch gives."""

    _array_forward = True
    saves_output = True

    @staticmethod
    def forward(ctx, x, dims, keepdim):
        ctx.save_for_backward(x)
        ctx.dims, ctx.keepdim = dims, keepdim
        a = x.data
        return xp.sqrt(xp.sum(a * a, axis=dims, keepdims=keepdim))

    @staticmethod
    def backward(ctx, g):
        (x,) = ctx.saved_tensors
        (out,) = ctx.saved_outputs
        shape = x.data.shape
        out_b = _expand_back(out, shape, ctx.dims, ctx.keepdim)
        scale = x / where(out_b == 0, float("inf"), out_b)
        return _expand_back(g, shape, ctx.dims, ctx.keepdim) * scale


def vector_norm(x, ord=2, dim=None, keepdim=False, *, dtype=None):
    """The ``ord``-norm of ``x`` viewed as a vector over ``dim`` (torch.linalg.vector_norm)."""
    x = float_input(x)
    if dtype is not None:
        x = cast(x, _dtype.to_dtype(dtype))
    dims = normalize_dims(dim, x.data.ndim, "linalg.vector_norm")
    if ord == 2:
        return Norm2.apply(x, dims, keepdim)
    a = x.abs()
    if ord == float("inf"):
        return amax(a, dims, keepdim)
    if ord == -float("inf"):
        return amin(a, dims, keepdim)
    if ord == 0:
        return sum((a != 0).to(x.dtype), dims, keepdim)
    if ord == 1:
        return sum(a, dims, keepdim)
    return sum(a ** ord, dims, keepdim) ** (1.0 / ord)


def norm(input, p="fro", dim=None, keepdim=False, dtype=None):
    """Vector p-norm (p = any number, inf, -inf) or the Frobenius norm ('fro', the default)."""
    x = float_input(input)
    if p == "fro" or p is None:
        p = 2
    elif p == "nuc":
        raise NotImplementedError("norm: the nuclear norm is not supported")
    if isinstance(p, str):
        raise ValueError(f"norm: unknown p {p!r}")
    return vector_norm(x, p, dim, keepdim, dtype=dtype)


class Cumsum(Function):
    _array_forward = True

    @staticmethod
    def forward(ctx, x, dim):
        ctx.dim = dim
        return xp.cumsum(x.data, axis=dim, dtype=np.int64 if x.data.dtype.kind in "iub" else None)

    @staticmethod
    def backward(ctx, g):
        return g.flip(ctx.dim).cumsum(ctx.dim).flip(ctx.dim)


def cumsum(input, dim, *, dtype=None):
    """Cumulative sum along ``dim``; integer inputs accumulate in int64."""
    x = to_tensor(input)
    if dtype is not None:
        x = cast(x, _dtype.to_dtype(dtype))
    if x.data.ndim == 0:
        return Cumsum.apply(x.reshape(1), 0).reshape(())
    return Cumsum.apply(x, _wrap_dim(dim, x.data.ndim, "cumsum"))


class Cumprod(Function):
    _array_forward = True
    saves_output = True

    @staticmethod
    def forward(ctx, x, dim):
        ctx.save_for_backward(x)
        ctx.dim = dim
        return xp.cumprod(x.data, axis=dim)

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
    """Cumulative product along ``dim``."""
    x = to_tensor(input)
    if dtype is not None:
        x = cast(x, _dtype.to_dtype(dtype))
    elif x.data.dtype.kind in "iub":
        x = cast(x, _dtype.int64)
    if x.data.ndim == 0:
        return Cumprod.apply(x.reshape(1), 0).reshape(())
    return Cumprod.apply(x, _wrap_dim(dim, x.data.ndim, "cumprod"))


def _bool_reduce(np_fn, name):
    def op(input, dim=None, keepdim=False):
        x = to_tensor(input)
        axis = None if dim is None else normalize_dims(dim, x.data.ndim, name)
        out = np_fn(x.data, axis=axis, keepdims=keepdim if axis is not None else False)
        if dim is None and keepdim:
            out = xp.reshape(out, (1,) * x.data.ndim)
        out = xp.asarray(out)
        return Tensor._make(out.astype(np.uint8) if x.data.dtype == np.uint8 else out)

    op.__name__ = op.__qualname__ = name
    op.__doc__ = f"Whether {name} elements are nonzero (over ``dim`` if given); bool result."
    return op


all = _bool_reduce(xp.all, "all")
any = _bool_reduce(xp.any, "any")


def count_nonzero(input, dim=None):
    """Number of nonzero elements (over ``dim`` if given); int64."""
    x = to_tensor(input)
    axis = None if dim is None else normalize_dims(dim, x.data.ndim, "count_nonzero")
    return Tensor._make(xp.asarray(xp.count_nonzero(x.data, axis=axis), dtype=np.int64))


def _argsort_array(a, dim, descending, stable=True):
    if descending:
        if a.dtype.kind == "b":
            a = a.astype(np.int8)
        if a.dtype.kind == "f":
            # NaN sorts first when descending (torch treats NaN as the largest value)
            key = xp.where(xp.isnan(a), -xp.inf, -a.astype(np.float64))
        else:
            key = -a.astype(np.int64) if a.dtype != np.uint64 else a.max() - a
        return xp.argsort(key, axis=dim, kind="stable")
    return xp.argsort(a, axis=dim, kind="stable")


def sort(input, dim=-1, descending=False, stable=False):
    """Sort along ``dim``; returns (values, indices). Sorting is always stable here."""
    x = to_tensor(input)
    if x.data.ndim == 0:
        return values_indices(x.clone(), Tensor._make(xp.zeros((), np.int64)))
    d = _wrap_dim(dim, x.data.ndim, "sort")
    idx = Tensor._make(_argsort_array(x.data, d, descending).astype(np.int64))
    from .indexing import gather

    return values_indices(gather(x, d, idx), idx)


def argsort(input, dim=-1, descending=False, stable=False):
    """Indices that sort ``input`` along ``dim``."""
    return sort(input, dim, descending, stable).indices


def msort(input):
    return sort(input, 0).values


def topk(input, k, dim=-1, largest=True, sorted=True):
    """The ``k`` largest (or smallest) elements along ``dim``: (values, indices)."""
    x = to_tensor(input)
    d = _wrap_dim(dim, x.data.ndim, "topk")
    n = x.data.shape[d] if x.data.ndim else 1
    if not 0 <= k <= n:
        raise RuntimeError(f"topk(): selected index k out of range (k={k}, dimension size {n})")
    order = _argsort_array(x.data if x.data.ndim else x.data.reshape(1), d, largest)
    idx = Tensor._make(xp.take(order, xp.arange(k), axis=d).astype(np.int64))
    if x.data.ndim == 0:
        return values_indices(x.clone(), idx.reshape(()))
    from .indexing import gather

    return values_indices(gather(x, d, idx), idx)


def kthvalue(input, k, dim=-1, keepdim=False):
    """The ``k``-th smallest element along ``dim`` (1-based): (values, indices)."""
    x = to_tensor(input)
    d = _wrap_dim(dim, x.data.ndim, "kthvalue")
    order = _argsort_array(x.data, d, False)
    idx = Tensor._make(xp.take(order, [k - 1], axis=d).astype(np.int64))
    res = _values_at(x, d, idx, True)
    if keepdim:
        return res
    return values_indices(res.values.squeeze(d), res.indices.squeeze(d))


def median(input, dim=None, keepdim=False):
    """Lower median: of all elements (``dim=None``) or along ``dim`` -> (values, indices)."""
    x = to_tensor(input)
    if dim is None:
        flat = x.reshape(-1)
        n = flat.data.shape[0]
        order = _argsort_array(flat.data, 0, False)
        i = int(order[(n - 1) // 2])
        return flat[i]
    d = _wrap_dim(dim, x.data.ndim, "median")
    n = x.data.shape[d] if x.data.ndim else 1
    return kthvalue(x, (n - 1) // 2 + 1, d, keepdim)


def aminmax(input, *, dim=None, keepdim=False):
    r = collections.namedtuple("aminmax", ["min", "max"])
    return r(amin(input, () if dim is None else dim, keepdim),
             amax(input, () if dim is None else dim, keepdim))
