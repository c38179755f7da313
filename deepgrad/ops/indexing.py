"""Indexing: ``x[idx]``, gather/scatter, index_select/index_add, masks, nonzero.

Primitives: GetItem and its adjoint IndexAccumulate (a scatter-add into zeros), Gather and its
adjoint ScatterAdd, Scatter, IndexAdd. Gradients of duplicate indices accumulate.
"""
from __future__ import annotations

import numpy as np

from .._tensor import Tensor, _wrap_dim
from ..autograd.function import Function
from ..backend import xp
from ._util import cast, to_tensor


def _convert_index(index):
    """Turn tensors/lists inside an index into arrays NumPy understands."""
    if isinstance(index, tuple):
        return tuple(_convert_index_item(i) for i in index)
    return _convert_index_item(index)


def _convert_index_item(i):
    if isinstance(i, Tensor):
        a = i.data
        if a.dtype.kind == "f":
            raise IndexError("tensors used as indices must be long, int, byte or bool tensors")
        return a
    if isinstance(i, list):
        a = xp.asarray(i)
        if a.dtype.kind == "f":
            raise IndexError("tensors used as indices must be long, int, byte or bool tensors")
        return a
    if isinstance(i, (slice, type(None), type(Ellipsis), int, np.integer, np.ndarray, bool)):
        return i
    if hasattr(i, "__index__"):
        return i.__index__()
    raise IndexError(f"only integers, slices (`:`), ellipsis (`...`), None and long or byte "
                     f"Variables are valid indices (got {type(i).__name__})")


def _is_basic(index) -> bool:
    items = index if isinstance(index, tuple) else (index,)
    for i in items:
        if not isinstance(i, (slice, int, np.integer, type(None), type(Ellipsis))) or isinstance(
                i, bool):
            return False
    return True


class GetItem(Function):
    _array_forward = True

    @staticmethod
    def forward(ctx, x, index, basic):
        ctx.shape, ctx.index, ctx.basic = x.data.shape, index, basic
        return x.data[index]

    @staticmethod
    def backward(ctx, g):
        return IndexAccumulate.apply(g, ctx.shape, ctx.index, ctx.basic)


def segment_sum(index: np.ndarray, values: np.ndarray):
    """Sum the rows of ``values`` that share an ``index``: returns (unique indices, sums).

    One stable sort and one ``np.add.reduceat``: many times faster than the unbuffered
    ``np.add.at`` for the scatter-adds of embedding and index_select gradients.
    """
    order = xp.argsort(index, kind="stable")
    sorted_idx = index[order]
    starts = xp.flatnonzero(xp.r_[True, sorted_idx[1:] != sorted_idx[:-1]])
    return sorted_idx[starts], xp.add.reduceat(values[order], starts, axis=0)


def add_along(out: np.ndarray, dim: int, index: np.ndarray, values: np.ndarray) -> None:
    """``out[(:,) * dim + (index,)] += values`` in place, duplicates summed."""
    if index.size == 0:
        return
    rows, sums = segment_sum(index, xp.moveaxis(values, dim, 0))
    xp.moveaxis(out, dim, 0)[rows] += sums


def _single_index_dim(index):
    """``(dim, array)`` if ``index`` is ``(:, ..., :, 1-D int array)``, else None."""
    items = index if isinstance(index, tuple) else (index,)
    *lead, last = items
    if isinstance(last, np.ndarray) and last.ndim == 1 and last.dtype.kind in "iu" and all(
            isinstance(i, slice) and i == slice(None) for i in lead):
        return len(lead), last
    return None


class IndexAccumulate(Function):
    """Zeros of ``shape`` with ``g`` added at ``index`` (duplicates accumulate)."""

    _array_forward = True

    @staticmethod
    def forward(ctx, g, shape, index, basic):
        ctx.index, ctx.basic = index, basic
        out = xp.zeros(shape, dtype=g.data.dtype)
        if basic:
            out[index] = g.data
            return out
        single = _single_index_dim(index)
        if single is not None:  # index_select / x[:, idx]: a segment sum along one dim
            dim, idx = single
            add_along(out, dim, xp.where(idx < 0, idx + shape[dim], idx), g.data)
        else:
            xp.add.at(out, index, g.data)
        return out

    @staticmethod
    def backward(ctx, gg):
        return GetItem.apply(gg, ctx.index, ctx.basic)


def getitem(input, index):
    """``input[index]`` with ints, slices (any step), None, ..., int/bool tensors and lists."""
    from .movement import _as_view

    idx = _convert_index(index)
    basic = _is_basic(idx)
    if basic:
        # a trailing ``...`` keeps NumPy from returning a scalar copy for a full integer index:
        # the result is always a (possibly 0-d) view, so x[0].add_(1) writes into x
        items = idx if isinstance(idx, tuple) else (idx,)
        if not any(i is Ellipsis for i in items):
            idx = items + (Ellipsis,)
    try:
        out = GetItem.apply(input, idx, basic)
    except IndexError as e:
        raise IndexError(f"index out of range: {e} (indexing a tensor of shape "
                         f"{tuple(input.shape)})") from None
    return _as_view(out, input) if basic else out


def _check_index_tensor(index: Tensor, name: str) -> np.ndarray:
    idx = to_tensor(index).data
    if idx.dtype.kind not in "iu":
        raise RuntimeError(f"{name}(): Expected dtype int64 for index")
    return idx


def _check_range(idx, n, name, dim):
    """Indices must lie in [0, n): torch raises IndexError for index_select, else RuntimeError."""
    if not idx.size:
        return
    bad = idx.min() if idx.min() < 0 else (idx.max() if idx.max() >= n else None)
    if bad is None:
        return
    exc = IndexError if name == "index_select" else RuntimeError
    raise exc(f"{name}(): index {int(bad)} is out of bounds for dimension {dim} with size {n}")


def _along(idx: np.ndarray, dim: int):
    """Index arrays addressing every element of ``idx``'s shape, with ``idx`` at ``dim``."""
    grids = list(np.indices(idx.shape, sparse=True))
    grids[dim] = idx
    return tuple(grids)


class Gather(Function):
    _array_forward = True

    @staticmethod
    def forward(ctx, x, dim, index):
        ctx.shape, ctx.dim, ctx.index = x.data.shape, dim, index
        return x.data[_along(index, dim)]

    @staticmethod
    def backward(ctx, g):
        return ScatterAdd.apply(Tensor._make(xp.zeros(ctx.shape, g.data.dtype)), ctx.dim,
                                ctx.index, g)


def _src_grad(g, dim, index, src_shape):
    """Gradient of a scatter's ``src``: ``g`` gathered at ``index``, zero where ``src`` is
    larger than ``index`` (those entries are never read)."""
    gsrc = Gather.apply(g, dim, index)
    if tuple(src_shape) != index.shape:
        gsrc = IndexAccumulate.apply(gsrc, src_shape, _leading(index.shape), True)
    return gsrc


def _leading(shape):
    return tuple(slice(0, s) for s in shape)


class ScatterAdd(Function):
    _array_forward = True

    @staticmethod
    def forward(ctx, x, dim, index, src):
        ctx.dim, ctx.index, ctx.src_shape = dim, index, src.data.shape
        out = x.data.copy()
        xp.add.at(out, _along(index, dim), src.data[_leading(index.shape)])
        return out

    @staticmethod
    def backward(ctx, g):
        gsrc = None
        if ctx.needs_input_grad[3]:
            gsrc = _src_grad(g, ctx.dim, ctx.index, ctx.src_shape)
        return g, None, None, gsrc


class Scatter(Function):
    _array_forward = True

    @staticmethod
    def forward(ctx, x, dim, index, src):
        ctx.dim, ctx.index = dim, index
        out = x.data.copy()
        where = _along(index, dim)
        if isinstance(src, Tensor):
            ctx.src_shape = src.data.shape
            out[where] = src.data[_leading(index.shape)]
        else:
            out[where] = src
        return out

    @staticmethod
    def backward(ctx, g):
        gx = None
        if ctx.needs_input_grad[0]:
            mask = xp.ones(g.shape, dtype=bool)
            mask[_along(ctx.index, ctx.dim)] = False
            gx = g * Tensor._make(mask)
        gsrc = None
        if ctx.needs_input_grad[3]:
            gsrc = _src_grad(g, ctx.dim, ctx.index, ctx.src_shape)
        return gx, None, None, gsrc


def _check_gather_shapes(x, dim, idx, name, src=None):
    if idx.ndim != x.data.ndim and not (idx.ndim <= 1 and x.data.ndim <= 1):
        raise RuntimeError(f"{name}(): Index tensor must have the same number of dimensions as "
                           f"input tensor")
    for d in range(idx.ndim):
        if d != dim and idx.shape[d] > x.data.shape[d]:
            raise RuntimeError(
                f"{name}(): Size does not match at dimension {d} expected index "
                f"{list(idx.shape)} to be smaller than self {list(x.data.shape)} apart from "
                f"dimension {dim}")
        if src is not None and idx.shape[d] > src.data.shape[d]:
            raise RuntimeError(
                f"{name}(): Expected index {list(idx.shape)} to be smaller than self "
                f"{list(x.data.shape)} apart from dimension {dim} and to be smaller size than "
                f"src {list(src.data.shape)}")
    _check_range(idx, x.data.shape[dim] if x.data.ndim else 1, name, dim)


def gather(input, dim, index, *, sparse_grad=False):
    """``out[i][j] = input[index[i][j]][j]`` for dim 0 (and so on): values picked along dim."""
    x = to_tensor(input)
    d = _wrap_dim(dim, x.data.ndim, "gather")
    idx = _check_index_tensor(index, "gather")
    _check_gather_shapes(x, d, idx, "gather")
    if x.data.ndim == 0:
        return x.reshape(idx.shape) if idx.size else x.reshape(idx.shape)
    return Gather.apply(x, d, idx)


def scatter(input, dim, index, src=None, *, value=None, reduce=None):
    """Copy ``src`` (a tensor or number) into ``input`` at ``index`` along ``dim``."""
    x = to_tensor(input)
    if src is None:
        src = value
    d = _wrap_dim(dim, x.data.ndim, "scatter")
    idx = _check_index_tensor(index, "scatter")
    if reduce is not None:
        if reduce == "add":
            return scatter_add(x, d, index, src if isinstance(src, Tensor) else
                               Tensor._make(xp.full(idx.shape, src, x.data.dtype)))
        raise RuntimeError(f"scatter: reduce={reduce!r} is not supported (deepgrad implements "
                           "reduce='add')")
    _check_gather_shapes(x, d, idx, "scatter", src if isinstance(src, Tensor) else None)
    if isinstance(src, Tensor) and src.data.dtype != x.data.dtype:
        raise RuntimeError("scatter(): Expected self.dtype to be equal to src.dtype")
    return Scatter.apply(x, d, idx, src)


def scatter_add(input, dim, index, src):
    """Add ``src`` into ``input`` at ``index`` along ``dim`` (duplicates accumulate)."""
    x = to_tensor(input)
    d = _wrap_dim(dim, x.data.ndim, "scatter_add")
    idx = _check_index_tensor(index, "scatter_add")
    src = to_tensor(src)
    _check_gather_shapes(x, d, idx, "scatter_add", src)
    if src.data.dtype != x.data.dtype:
        raise RuntimeError("scatter_add(): Expected self.dtype to be equal to src.dtype")
    return ScatterAdd.apply(x, d, idx, src)


def take_along_dim(input, indices, dim=None):
    """Pick values along ``dim`` at ``indices``, broadcasting the other dims."""
    x = to_tensor(input)
    if dim is None:
        return gather(x.reshape(-1), 0, to_tensor(indices).reshape(-1))
    d = _wrap_dim(dim, x.data.ndim, "take_along_dim")
    idx = to_tensor(indices)
    xs, is_ = list(x.shape), list(idx.shape)
    xs[d] = is_[d] = 1
    from ._util import broadcast_shapes

    b = list(broadcast_shapes(xs, is_))
    xb, ib = list(b), list(b)
    xb[d], ib[d] = x.shape[d], idx.shape[d]
    return gather(x.expand(xb), d, idx.expand(ib))


def index_select(input, dim, index):
    """Select entries ``index`` (a 1-D int tensor) along ``dim``."""
    x = to_tensor(input)
    d = _wrap_dim(dim, x.data.ndim, "index_select")
    idx = _check_index_tensor(index, "index_select")
    if idx.ndim > 1:
        raise IndexError("index_select(): Index is supposed to be a vector")
    _check_range(idx, x.data.shape[d] if x.data.ndim else 1, "index_select", d)
    if x.data.ndim == 0:
        if idx.size != 1:
            raise RuntimeError(f"index_select(): Index to scalar can have only 1 value, got "
                               f"{idx.size} value(s)")
        return x.clone()
    return GetItem.apply(x, (slice(None),) * d + (idx.reshape(-1),), False)


class IndexAdd(Function):
    _array_forward = True

    @staticmethod
    def forward(ctx, x, dim, index, source, alpha):
        ctx.dim, ctx.index, ctx.alpha = dim, index, alpha
        out = x.data.copy()
        src = source.data if alpha == 1 else source.data * alpha
        if src.ndim == 0:
            src = xp.broadcast_to(src, out.shape[:dim] + (1,) + out.shape[dim + 1:])
        add_along(out, dim, index, src)
        return out

    @staticmethod
    def backward(ctx, g):
        gsrc = None
        if ctx.needs_input_grad[3]:
            gsrc = GetItem.apply(g, (slice(None),) * ctx.dim + (ctx.index,), False)
            if ctx.alpha != 1:
                gsrc = gsrc * ctx.alpha
        return g, None, None, gsrc


def index_add(input, dim, index, source, *, alpha=1):
    """Add ``alpha * source`` into ``input`` at ``index`` along ``dim`` (duplicates add up)."""
    x = to_tensor(input)
    d = _wrap_dim(dim, x.data.ndim, "index_add")
    idx = _check_index_tensor(index, "index_add").reshape(-1)
    src = to_tensor(source)
    _check_range(idx, x.data.shape[d], "index_add", d)
    expect = list(x.data.shape)
    expect[d] = idx.size
    if list(src.data.shape) != expect and not (src.data.ndim == 0 and idx.size == 1):
        raise RuntimeError(f"index_add_(): source shape {list(src.data.shape)} does not match "
                           f"the expected shape {expect}")
    return IndexAdd.apply(x, d, idx, cast(src, x.dtype), alpha)


def masked_fill(input, mask, value):
    """``input`` with ``value`` wherever the (broadcast) bool ``mask`` is True."""
    from .elementwise import where

    x = to_tensor(input)
    m = to_tensor(mask)
    if m.data.dtype != np.bool_:
        raise RuntimeError(f"masked_fill_ only supports boolean masks, but got mask with dtype "
                           f"{m.dtype.name}")
    if isinstance(value, Tensor):
        if value.data.ndim != 0:
            raise RuntimeError("masked_fill_ only supports a 0-dimensional value tensor, but got "
                               f"tensor with {value.data.ndim} dimension(s).")
        value = cast(value, x.dtype)
    else:
        value = x.data.dtype.type(value).item()
    # out of place, torch broadcasts input and mask together (masked_fill_ checks the shape)
    try:
        return where(m, value, x)
    except RuntimeError:
        raise RuntimeError(f"masked_fill: mask of shape {tuple(m.shape)} does not broadcast to "
                           f"the input's shape {tuple(x.shape)}") from None


def masked_select(input, mask):
    """1-D tensor of the elements of ``input`` where the (broadcast) ``mask`` is True."""
    from .movement import broadcast_tensors

    x, m = broadcast_tensors(to_tensor(input), to_tensor(mask))
    return GetItem.apply(x, m.data, False)


def nonzero(input, *, as_tuple=False):
    """Indices of nonzero elements: an (N, ndim) int64 tensor, or a tuple of 1-D tensors."""
    a = to_tensor(input).data
    if as_tuple:
        if a.ndim == 0:
            return (Tensor._make(xp.zeros(int(bool(a)), np.int64)),)
        return tuple(Tensor._make(i.astype(np.int64)) for i in xp.nonzero(a))
    return Tensor._make(xp.argwhere(a).astype(np.int64))


def argwhere(input):
    return nonzero(input)
