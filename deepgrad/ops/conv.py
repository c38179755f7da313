"""N-d convolution lowered to GEMM (im2col through a strided view, one BLAS call per group).

Three ops close over each other's gradients, so double backward works:

- ``ConvNd(x, w)``: the convolution;
- ``ConvInputGrad(g, w)``: its gradient w.r.t. the input, which is also the transposed
  convolution (``conv_transpose``), computed as a GEMM followed by ``col2im``;
- ``ConvWeightGrad(x, g)``: its gradient w.r.t. the weight, one GEMM against the columns.

``col2im`` adds the columns back with one strided slice-add per kernel offset (kh*kw adds for a
2-D kernel), never per pixel and never with ``np.add.at``.
"""
from __future__ import annotations

import itertools
import math

import numpy as np

from .._tensor import Tensor
from ..autograd.function import Function
from ..backend import xp

as_strided = np.lib.stride_tricks.as_strided


class ConvParams:
    """Geometry of one convolution: spatial sizes, stride, padding, dilation, groups."""

    __slots__ = ("stride", "padding", "dilation", "groups", "kernel", "in_spatial",
                 "out_spatial")

    def __init__(self, in_spatial, kernel, stride, padding, dilation, groups):
        self.in_spatial = tuple(in_spatial)
        self.kernel = tuple(kernel)
        self.stride = tuple(stride)
        self.padding = tuple(padding)
        self.dilation = tuple(dilation)
        self.groups = groups
        self.out_spatial = tuple(
            (i + 2 * p - d * (k - 1) - 1) // s + 1
            for i, k, s, p, d in zip(in_spatial, kernel, stride, padding, dilation))


def _pad_spatial(x: np.ndarray, padding) -> np.ndarray:
    if not any(padding):
        return x
    return xp.pad(x, ((0, 0), (0, 0)) + tuple((p, p) for p in padding))


def im2col(x: np.ndarray, p: ConvParams) -> np.ndarray:
    """(N, C, *S) -> columns (N, C*K, L): for each sample, one row per (channel, kernel
    offset) and one column per output position. Built from a strided view of the padded
    input with one copy; this channels-first layout lets the GEMM write NC* output directly."""
    xpad = _pad_spatial(x, p.padding)
    n, c = xpad.shape[:2]
    sn, sc = xpad.strides[:2]
    sp = xpad.strides[2:]
    shape = (n, c) + p.kernel + p.out_spatial
    strides = ((sn, sc) + tuple(s * d for s, d in zip(sp, p.dilation))
               + tuple(s * st for s, st in zip(sp, p.stride)))
    view = as_strided(xpad, shape, strides, writeable=False)
    return view.reshape(n, c * math.prod(p.kernel), math.prod(p.out_spatial))


def col2im(cols: np.ndarray, n: int, c: int, p: ConvParams, out_extra=None) -> np.ndarray:
    """Adjoint of ``im2col``: columns (N, C*K, L) summed back into (N, C, *S), one strided
    slice-add per kernel offset over contiguous (N, C, L) blocks."""
    out_sp, ker = p.out_spatial, p.kernel
    cols = cols.reshape((n, c) + ker + out_sp)
    padded = tuple(i + 2 * pd for i, pd in zip(p.in_spatial, p.padding))
    extra = out_extra if out_extra is not None else (0,) * len(ker)
    padded = tuple(s + e for s, e in zip(padded, extra))
    out = xp.zeros((n, c) + padded, dtype=cols.dtype)
    for offset in itertools.product(*(range(k) for k in ker)):
        window = tuple(slice(o * d, o * d + s * (L - 1) + 1, s)
                       for o, d, s, L in zip(offset, p.dilation, p.stride, out_sp))
        out[(slice(None), slice(None)) + window] += cols[(slice(None), slice(None)) + offset]
    crop = tuple(slice(pd, pd + i + e) for pd, i, e in zip(p.padding, p.in_spatial, extra))
    return out[(slice(None), slice(None)) + crop]


def _conv_forward(x: np.ndarray, w: np.ndarray, p: ConvParams, cols=None):
    n = x.shape[0]
    o = w.shape[0]
    g = p.groups
    if cols is None:
        cols = im2col(x, p)  # (N, C*K, L)
    L = cols.shape[-1]
    if g == 1:
        out = xp.matmul(w.reshape(o, -1), cols)  # (O, CK) @ (N, CK, L): one GEMM per sample
    else:
        wg = w.reshape(g, o // g, -1)  # (G, Og, Cg*K)
        out = xp.matmul(wg, cols.reshape(n, g, -1, L))  # (N, G, Og, L)
    return out.reshape((n, o) + p.out_spatial), cols


def _input_grad(gy: np.ndarray, w: np.ndarray, p: ConvParams, n: int, c: int, out_extra=None):
    g = p.groups
    o = w.shape[0]
    L = math.prod(gy.shape[2:])
    rows = gy.reshape(n, o, L)
    if g == 1:
        dcols = xp.matmul(w.reshape(o, -1).T, rows)  # (CK, O) @ (N, O, L) -> (N, CK, L)
    else:
        wg = w.reshape(g, o // g, -1).transpose(0, 2, 1)  # (G, Cg*K, Og)
        dcols = xp.matmul(wg, rows.reshape(n, g, o // g, L))  # (N, G, Cg*K, L)
    return col2im(dcols, n, c, p, out_extra)


def _weight_grad(x: np.ndarray, gy: np.ndarray, p: ConvParams, w_shape, cols=None):
    g = p.groups
    if cols is None:
        cols = im2col(x, p)
    n, o = gy.shape[:2]
    L = cols.shape[-1]
    if g == 1:
        # per sample (O, L) @ (L, CK) with the columns read transposed in place (BLAS trans
        # flag, no copy), then summed over the batch
        gw = xp.matmul(gy.reshape(n, o, L), cols.transpose(0, 2, 1)).sum(axis=0)
    else:
        rows = gy.reshape(n, g, o // g, L)
        gw = xp.matmul(rows, cols.reshape(n, g, -1, L).transpose(0, 1, 3, 2)).sum(axis=0)
    return gw.reshape(w_shape)


class ConvNd(Function):
    """``y = conv(x, w)``: x (N, C, *S), w (O, C/groups, *K) -> (N, O, *L)."""

    _array_forward = True

    @staticmethod
    def forward(ctx, x, w, p: ConvParams):
        ctx.save_for_backward(x, w)
        ctx.p = p
        out, cols = _conv_forward(x.data, w.data, p)
        # keep the columns for the weight gradient only if it will be needed
        ctx.cols = cols if ctx.needs_input_grad[1] else None
        return out

    @staticmethod
    def backward(ctx, gy):
        x, w = ctx.saved_tensors
        p = ctx.p
        gx = gw = None
        if ctx.needs_input_grad[0]:
            gx = ConvInputGrad.apply(gy, w, p, x.shape[:2], None)
        if ctx.needs_input_grad[1]:
            gw = ConvWeightGrad.apply(x, gy, p, tuple(w.shape), ctx.cols)
        ctx.cols = None
        return gx, gw


class ConvInputGrad(Function):
    """``dx = conv_input_grad(gy, w)``; with ``out_extra`` it is the transposed convolution
    (``output_padding``)."""

    _array_forward = True

    @staticmethod
    def forward(ctx, gy, w, p: ConvParams, nc, out_extra):
        ctx.save_for_backward(gy, w)
        ctx.p, ctx.out_extra = p, out_extra
        n, c = nc
        return _input_grad(gy.data, w.data, p, n, c, out_extra)

    @staticmethod
    def backward(ctx, ggx):
        gy, w = ctx.saved_tensors
        p = ctx.p
        if ctx.out_extra is not None and any(ctx.out_extra):
            # output_padding made the output longer at the end: pad explicitly (left: padding,
            # right: padding - extra) and convolve without implicit padding
            from .movement import pad as _pad

            pads = []
            for pd, e in zip(reversed(p.padding), reversed(ctx.out_extra)):
                pads += [pd, pd - e]
            ggx = _pad(ggx, pads)
            p = ConvParams(ggx.shape[2:], p.kernel, p.stride, (0,) * len(p.kernel),
                           p.dilation, p.groups)
        d_gy = ConvNd.apply(ggx, w, p) if ctx.needs_input_grad[0] else None
        d_w = ConvWeightGrad.apply(ggx, gy, p, tuple(w.shape), None) if (
            ctx.needs_input_grad[1]) else None
        return d_gy, d_w


class ConvWeightGrad(Function):
    """``dw = conv_weight_grad(x, gy)``."""

    _array_forward = True

    @staticmethod
    def forward(ctx, x, gy, p: ConvParams, w_shape, cols):
        ctx.save_for_backward(x, gy)
        ctx.p = p
        return _weight_grad(x.data, gy.data, p, w_shape, cols)

    @staticmethod
    def backward(ctx, ggw):
        x, gy = ctx.saved_tensors
        p = ctx.p
        d_x = ConvInputGrad.apply(gy, ggw, p, x.shape[:2], None) if (
            ctx.needs_input_grad[0]) else None
        d_gy = ConvNd.apply(x, ggw, p) if ctx.needs_input_grad[1] else None
        return d_x, d_gy


# ---------------------------------------------------------------------------- functional API
def _tuple(v, n, name):
    if isinstance(v, int):
        return (v,) * n
    v = tuple(int(i) for i in v)
    if len(v) == 1:
        return v * n
    if len(v) != n:
        raise ValueError(f"{name} must be an int or a tuple of {n} ints, got {v}")
    return v


def _check_conv_shapes(x: Tensor, w: Tensor, nd: int, groups: int, op: str, transposed=False):
    if x.dim() != nd + 2:
        raise RuntimeError(f"{op}: expected a {nd + 2}-D input (N, C, {'*' * nd}) (or "
                           f"{nd + 1}-D unbatched), got shape {tuple(x.shape)}")
    if w.dim() != nd + 2:
        raise RuntimeError(f"{op}: expected a {nd + 2}-D weight, got shape {tuple(w.shape)}")
    c = x.shape[1]
    if transposed:
        if w.shape[0] != c:
            raise RuntimeError(f"{op}: weight of shape {tuple(w.shape)} expects {w.shape[0]} "
                               f"input channels, but the input of shape {tuple(x.shape)} has "
                               f"{c}")
    elif w.shape[1] * groups != c:
        raise RuntimeError(f"{op}: weight of shape {tuple(w.shape)} with groups={groups} expects "
                           f"{w.shape[1] * groups} input channels, but the input of shape "
                           f"{tuple(x.shape)} has {c}")
    if groups < 1 or c % groups or (w.shape[1 if transposed else 0] * (
            groups if transposed else 1)) % groups:
        raise RuntimeError(f"{op}: channels must be divisible by groups={groups} (input "
                           f"{tuple(x.shape)}, weight {tuple(w.shape)})")


def convnd(input, weight, bias, stride, padding, dilation, groups, nd, op):
    """Shared implementation of conv1d/2d/3d (zero padding; see the module for modes)."""
    x = input
    unbatched = x.dim() == nd + 1
    if unbatched:
        x = x.unsqueeze(0)
    _check_conv_shapes(x, weight, nd, groups, op)
    if x.data.dtype != weight.data.dtype:
        raise RuntimeError(f"{op}: input type ({x.dtype.name}) and weight type "
                           f"({weight.dtype.name}) should be the same")
    kernel = tuple(weight.shape[2:])
    stride = _tuple(stride, nd, "stride")
    dilation = _tuple(dilation, nd, "dilation")
    if isinstance(padding, str):
        if padding == "valid":
            padding = (0,) * nd
        elif padding == "same":
            if any(s != 1 for s in stride):
                raise ValueError("padding='same' is not supported for strided convolutions")
            total = [d * (k - 1) for d, k in zip(dilation, kernel)]
            left = [t // 2 for t in total]
            if any(t % 2 for t in total):  # asymmetric: the extra row/column goes right
                pads = []
                for t, lf in zip(reversed(total), reversed(left)):
                    pads += [lf, t - lf]
                x = _zero_pad(x, pads)
                padding = (0,) * nd
            else:
                padding = tuple(left)
        else:
            raise ValueError(f"Invalid padding string '{padding}', should be one of "
                             "{'valid', 'same'}")
    else:
        padding = _tuple(padding, nd, "padding")
    p = ConvParams(x.shape[2:], kernel, stride, padding, dilation, groups)
    if any(o <= 0 for o in p.out_spatial):
        raise RuntimeError(f"{op}: input of shape {tuple(x.shape)} is too small for kernel "
                           f"{kernel} with padding {padding}, dilation {dilation}, stride "
                           f"{stride} (output would be {p.out_spatial})")
    out = ConvNd.apply(x, weight, p)
    if bias is not None:
        out = out + bias.reshape((1, -1) + (1,) * nd)
    return out.squeeze(0) if unbatched else out


def _zero_pad(x, pads):
    from .movement import pad

    return pad(x, pads)


def conv_transposend(input, weight, bias, stride, padding, output_padding, groups, dilation,
                     nd, op):
    """Shared implementation of conv_transpose1d/2d/3d."""
    x = input
    unbatched = x.dim() == nd + 1
    if unbatched:
        x = x.unsqueeze(0)
    _check_conv_shapes(x, weight, nd, groups, op, transposed=True)
    kernel = tuple(weight.shape[2:])
    stride = _tuple(stride, nd, "stride")
    padding = _tuple(padding, nd, "padding")
    dilation = _tuple(dilation, nd, "dilation")
    output_padding = _tuple(output_padding, nd, "output_padding")
    for op_, s, d in zip(output_padding, stride, dilation):
        if op_ >= max(s, d):
            raise RuntimeError(f"{op}: output padding must be smaller than either stride or "
                               f"dilation, but got output_padding={output_padding}, "
                               f"stride={stride}, dilation={dilation}")
    in_sp = tuple(x.shape[2:])
    out_sp = tuple((i - 1) * s - 2 * pd + d * (k - 1) + 1
                   for i, s, pd, d, k in zip(in_sp, stride, padding, dilation, kernel))
    p = ConvParams(out_sp, kernel, stride, padding, dilation, groups)
    if p.out_spatial != in_sp:  # pragma: no cover - geometry mismatch would be a bug
        raise RuntimeError(f"{op}: internal geometry error {p.out_spatial} != {in_sp}")
    c_out = weight.shape[1] * groups
    out = ConvInputGrad.apply(x, weight, p, (x.shape[0], c_out),
                              output_padding if any(output_padding) else None)
    if bias is not None:
        out = out + bias.reshape((1, -1) + (1,) * nd)
    return out.squeeze(0) if unbatched else out
