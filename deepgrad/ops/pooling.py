"""Window ops over spatial dims: max/avg pooling, unfold/fold, built on strided views.

Primitives come in adjoint pairs, so gradients of gradients work:
``WindowSum`` <-> ``WindowScatter`` (sum over each window / spread back, for avg pooling),
``MaxPool`` (max + argmax) -> ``MaxScatter`` <-> ``MaxGather``, ``Unfold`` <-> ``Fold``.
Backward passes add per kernel offset (kh*kw strided slice-adds), never per pixel.
"""
from __future__ import annotations

import itertools
import math

import numpy as np

from ..autograd.function import Function
from ..backend import xp
from .conv import ConvParams, col2im, im2col, kernel_windows

as_strided = np.lib.stride_tricks.as_strided


class PoolParams:
    """Window geometry; ``extra`` pads the end so ceil_mode windows fit."""

    __slots__ = ("kernel", "stride", "padding", "dilation", "in_spatial", "out_spatial",
                 "extra")

    def __init__(self, in_spatial, kernel, stride, padding, dilation, ceil_mode):
        self.in_spatial = tuple(in_spatial)
        self.kernel = tuple(kernel)
        self.stride = tuple(stride)
        self.padding = tuple(padding)
        self.dilation = tuple(dilation)
        out = []
        for i, k, s, p, d in zip(in_spatial, kernel, stride, padding, dilation):
            span = i + 2 * p - d * (k - 1) - 1
            o = (-(-span // s) if ceil_mode else span // s) + 1
            if ceil_mode and (o - 1) * s >= i + p:  # last window must start inside the input
                o -= 1
            out.append(o)
        self.out_spatial = tuple(out)
        self.extra = tuple(max(0, (o - 1) * s + d * (k - 1) + 1 - (i + 2 * p))
                           for o, s, d, k, i, p in zip(out, stride, dilation, kernel, in_spatial,
                                                       padding))


def _padded(x: np.ndarray, pp: PoolParams, value) -> np.ndarray:
    if not any(pp.padding) and not any(pp.extra):
        return x
    widths = ((0, 0), (0, 0)) + tuple((p, p + e) for p, e in zip(pp.padding, pp.extra))
    return xp.pad(x, widths, constant_values=value)


def windows(x: np.ndarray, pp: PoolParams, pad_value=0.0) -> np.ndarray:
    """A read-only (N, C, *out, *kernel) view of the windows of the padded input."""
    xpad = _padded(x, pp, pad_value)
    sp = xpad.strides[2:]
    shape = xpad.shape[:2] + pp.out_spatial + pp.kernel
    strides = (xpad.strides[:2] + tuple(s * st for s, st in zip(sp, pp.stride))
               + tuple(s * d for s, d in zip(sp, pp.dilation)))
    return as_strided(xpad, shape, strides, writeable=False)


def scatter_windows(values: np.ndarray, pp: PoolParams, shape) -> np.ndarray:
    """Adjoint of ``windows``: (N, C, *out, *kernel) values summed into (N, C, *in)."""
    full = tuple(i + 2 * p + e for i, p, e in zip(pp.in_spatial, pp.padding, pp.extra))
    out = xp.zeros(tuple(shape[:2]) + full, dtype=values.dtype)
    for offset, window in kernel_windows(pp.kernel, pp.dilation, pp.stride, pp.out_spatial):
        out[(slice(None), slice(None)) + window] += values[(Ellipsis,) + offset]
    crop = tuple(slice(p, p + i) for p, i in zip(pp.padding, pp.in_spatial))
    return out[(slice(None), slice(None)) + crop]


class WindowSum(Function):
    """Sum over each (zero-padded) window: (N, C, *in) -> (N, C, *out)."""

    _array_forward = True

    @staticmethod
    def forward(ctx, x, pp: PoolParams):
        ctx.pp, ctx.shape = pp, x.data.shape
        nd = len(pp.kernel)
        return windows(x.data, pp).sum(axis=tuple(range(-nd, 0)))

    @staticmethod
    def backward(ctx, g):
        return WindowScatter.apply(g, ctx.pp, ctx.shape)


class WindowScatter(Function):
    """Each output value spread over its window and summed (adjoint of WindowSum)."""

    _array_forward = True

    @staticmethod
    def forward(ctx, g, pp: PoolParams, shape):
        ctx.pp = pp
        nd = len(pp.kernel)
        vals = xp.broadcast_to(g.data[(Ellipsis,) + (None,) * nd], g.data.shape + pp.kernel)
        return scatter_windows(vals, pp, shape)

    @staticmethod
    def backward(ctx, gg):
        return WindowSum.apply(gg, ctx.pp)


def window_count(pp: PoolParams, count_include_pad: bool, dtype) -> np.ndarray:
    """Per output position, how many elements avg pooling divides by (torch's rule: padding
    counts when ``count_include_pad``; the ceil_mode overhang never does)."""
    ones = xp.ones((1, 1) + pp.in_spatial, dtype=dtype)
    if count_include_pad:
        ones = xp.pad(ones, ((0, 0), (0, 0)) + tuple((p, p) for p in pp.padding),
                      constant_values=1)
        inner = PoolParams(ones.shape[2:], pp.kernel, pp.stride, (0,) * len(pp.kernel),
                           pp.dilation, False)
        inner.out_spatial, inner.extra = pp.out_spatial, pp.extra
        view = windows(ones, inner)
    else:
        view = windows(ones, pp)
    nd = len(pp.kernel)
    return view.sum(axis=tuple(range(-nd, 0)))[0, 0]


class MaxPool(Function):
    """Max over each (-inf padded) window; remembers the argmax offset within the window."""

    _array_forward = True

    @staticmethod
    def forward(ctx, x, pp: PoolParams):
        fill = -xp.inf if x.data.dtype.kind == "f" else xp.iinfo(x.data.dtype).min
        win = windows(x.data, pp, fill)
        # One np.maximum per kernel offset over whole (N, C, *out) strided slices: far faster
        # than an argmax along a tiny trailing window axis. The argmax offset (torch's: the
        # first maximum, or the first NaN) is found by a reverse sweep of comparisons.
        offsets = list(itertools.product(*(range(k) for k in pp.kernel)))
        slices = [win[(Ellipsis,) + o] for o in offsets]
        out = slices[0].copy()
        for sl in slices[1:]:
            xp.maximum(out, sl, out=out)
        arg = xp.zeros(out.shape, dtype=np.int64)
        has_nan = x.data.dtype.kind == "f" and bool(xp.isnan(out).any())
        for k in range(len(slices) - 1, -1, -1):
            hit = slices[k] == out
            if has_nan:
                hit |= xp.isnan(slices[k])
            arg[hit] = k
        ctx.pp, ctx.shape, ctx.arg = pp, x.data.shape, arg
        return out

    @staticmethod
    def backward(ctx, g):
        return MaxScatter.apply(g, ctx.pp, ctx.shape, ctx.arg)


class MaxScatter(Function):
    """Each gradient value sent to its window's argmax (adjoint of MaxGather)."""

    _array_forward = True

    @staticmethod
    def forward(ctx, g, pp: PoolParams, shape, arg):
        ctx.pp, ctx.arg = pp, arg
        ksize = math.prod(pp.kernel)
        onehot = arg[..., None] == xp.arange(ksize)  # (N, C, *out, K)
        vals = (g.data[..., None] * onehot).reshape(g.data.shape + pp.kernel)
        return scatter_windows(vals, pp, shape)

    @staticmethod
    def backward(ctx, gg):
        return MaxGather.apply(gg, ctx.pp, ctx.arg)


class MaxGather(Function):
    """Values at each window's argmax (the max-pool forward with fixed argmax)."""

    _array_forward = True

    @staticmethod
    def forward(ctx, x, pp: PoolParams, arg):
        ctx.pp, ctx.shape, ctx.arg = pp, x.data.shape, arg
        nd = len(pp.kernel)
        win = windows(x.data, pp)
        flat = win.reshape(win.shape[:2 + nd] + (math.prod(pp.kernel),))
        return xp.take_along_axis(flat, arg[..., None], axis=-1)[..., 0]

    @staticmethod
    def backward(ctx, g):
        return MaxScatter.apply(g, ctx.pp, ctx.shape, ctx.arg)


def flat_indices(arg: np.ndarray, pp: PoolParams, values=None) -> np.ndarray:
    """torch's ``return_indices``: each argmax as a flat index into the input's spatial dims.

    A window whose max is -inf (e.g. a dilated window lying wholly in the padding) has no
    strict maximum; torch then reports the window's first tap at a non-negative position in
    each dim, and so do we when ``values`` (the pooled output) is given."""
    nd = len(pp.kernel)
    offsets = xp.unravel_index(arg, pp.kernel)
    out_grid = xp.indices(pp.out_spatial, sparse=True)
    empty = None if values is None else values == -xp.inf
    flat = xp.zeros(arg.shape, dtype=np.int64)
    for d in range(nd):
        start = out_grid[d] * pp.stride[d] - pp.padding[d]
        pos = start + offsets[d] * pp.dilation[d]
        if empty is not None and empty.any():
            skip = -(-xp.maximum(-start, 0) // pp.dilation[d])  # taps before position 0
            pos = xp.where(empty, start + skip * pp.dilation[d], pos)
        flat = flat * pp.in_spatial[d] + pos
    return flat


class Unfold(Function):
    """im2col as an op: (N, C, *S) -> (N, C*K, L)."""

    _array_forward = True

    @staticmethod
    def forward(ctx, x, p: ConvParams):
        ctx.p, ctx.nc = p, x.data.shape[:2]
        return im2col(x.data, p, batch_first=True)  # (N, C*K, L)

    @staticmethod
    def backward(ctx, g):
        return Fold.apply(g, ctx.p, ctx.nc)


class Fold(Function):
    """col2im as an op: (N, C*K, L) -> (N, C, *S), overlapping values summed."""

    _array_forward = True

    @staticmethod
    def forward(ctx, cols, p: ConvParams, nc):
        ctx.p = p
        n, c = nc
        return col2im(cols.data, n, c, p, batch_first=True)

    @staticmethod
    def backward(ctx, g):
        return Unfold.apply(g, ctx.p)
