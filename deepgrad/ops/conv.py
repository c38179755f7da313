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


def kernel_windows(kernel, dilation, stride, out_spatial):
    """For each kernel offset, ``(offset, slices)``: the strided window of the (padded) input
    that this offset reads for every output position. col2im and the pooling scatters add
    one such block per offset (kh*kw vectorized adds, never per pixel)."""
    for offset in itertools.product(*(range(k) for k in kernel)):
        yield offset, tuple(slice(o * d, o * d + s * (L - 1) + 1, s)
                            for o, d, s, L in zip(offset, dilation, stride, out_spatial))


def _pad_spatial(x: np.ndarray, padding) -> np.ndarray:
    if not any(padding):
        return x
    return xp.pad(x, ((0, 0), (0, 0)) + tuple((p, p) for p in padding))


def im2col(x: np.ndarray, p: ConvParams, batch_first: bool = False) -> np.ndarray:
    """(N, C, *S) -> columns (C*K, N*L): one row per (channel, kernel offset), one column per
    (sample, output position), so a whole batch is one GEMM. Built from a strided view of the
    padded input with one copy. ``batch_first`` gives (N, C*K, L) instead (``unfold``)."""
    xpad = _pad_spatial(x, p.padding)
    n, c = xpad.shape[:2]
    sn, sc = xpad.strides[:2]
    sp = xpad.strides[2:]
    ker = (tuple(s * d for s, d in zip(sp, p.dilation)))
    out = tuple(s * st for s, st in zip(sp, p.stride))
    ck, L = c * math.prod(p.kernel), math.prod(p.out_spatial)
    if batch_first:
        view = as_strided(xpad, (n, c) + p.kernel + p.out_spatial, (sn, sc) + ker + out,
                          writeable=False)
        return view.reshape(n, ck, L)
    view = as_strided(xpad, (c,) + p.kernel + (n,) + p.out_spatial, (sc,) + ker + (sn,) + out,
                      writeable=False)
    return view.reshape(ck, n * L)


def col2im(cols: np.ndarray, n: int, c: int, p: ConvParams, out_extra=None,
           batch_first: bool = False) -> np.ndarray:
    """Adjoint of ``im2col``: columns (C*K, N*L) (or (N, C*K, L) with ``batch_first``) summed
    back into (N, C, *S), one strided slice-add per kernel offset."""
    out_sp, ker = p.out_spatial, p.kernel
    padded = tuple(i + 2 * pd for i, pd in zip(p.in_spatial, p.padding))
    extra = out_extra if out_extra is not None else (0,) * len(ker)
    padded = tuple(s + e for s, e in zip(padded, extra))
    out = xp.zeros((n, c) + padded, dtype=cols.dtype)
    if batch_first:
        cols = cols.reshape((n, c) + ker + out_sp)
        target = out
    else:  # (C, *K, N, *L): add into the (C, N, *S) view of the output
        cols = cols.reshape((c,) + ker + (n,) + out_sp)
        target = out.swapaxes(0, 1)
    for offset, window in kernel_windows(ker, p.dilation, p.stride, out_sp):
        block = cols[(slice(None), slice(None)) + offset] if batch_first else cols[
            (slice(None),) + offset]
        target[(slice(None), slice(None)) + window] += block
    crop = tuple(slice(pd, pd + i + e) for pd, i, e in zip(p.padding, p.in_spatial, extra))
    return out[(slice(None), slice(None)) + crop]


def _rows(gy: np.ndarray) -> np.ndarray:
    """(N, O, *L) gradient -> (O, N*L), the layout the batch GEMMs need (one copy)."""
    n, o = gy.shape[:2]
    L = math.prod(gy.shape[2:])
    return gy.reshape(n, o, L).swapaxes(0, 1).reshape(o, n * L)


def _conv_forward(x: np.ndarray, w: np.ndarray, p: ConvParams, cols=None):
    n = x.shape[0]
    o = w.shape[0]
    g = p.groups
    if cols is None:
        cols = im2col(x, p)  # (C*K, N*L)
    if g == 1:
        out = w.reshape(o, -1) @ cols  # (O, CK) @ (CK, N*L): one GEMM for the batch
    else:
        wg = w.reshape(g, o // g, -1)  # (G, Og, Cg*K)
        out = xp.matmul(wg, cols.reshape(g, cols.shape[0] // g, cols.shape[1])).reshape(
            o, cols.shape[1])
    # (O, N, *L) -> (N, O, *L)
    out = out.reshape((o, n) + p.out_spatial).swapaxes(0, 1)
    return xp.ascontiguousarray(out), cols


def _input_grad(gy: np.ndarray, w: np.ndarray, p: ConvParams, n: int, c: int, out_extra=None):
    g = p.groups
    o = w.shape[0]
    if out_extra is None and all(s == 1 for s in p.stride) and all(
            d * (k - 1) >= pd for d, k, pd in zip(p.dilation, p.kernel, p.padding)) and (
            o * math.prod(p.in_spatial) <= c * math.prod(p.out_spatial)):
        # stride 1: the input gradient is itself a convolution of the (padded) output gradient
        # with the flipped, channel-transposed kernel; when its columns are no larger than
        # col2im's (O*in <= C*out, e.g. 'same' convs), im2col + GEMM beats GEMM + col2im
        nd = len(p.kernel)
        cg = w.shape[1]
        wt = w.reshape((g, o // g, cg) + p.kernel).swapaxes(1, 2).reshape(
            (g * cg, o // g) + p.kernel)
        wt = xp.ascontiguousarray(wt[(Ellipsis,) + (slice(None, None, -1),) * nd])
        q = ConvParams(gy.shape[2:], p.kernel, p.stride,
                       tuple(d * (k - 1) - pd for d, k, pd in zip(p.dilation, p.kernel,
                                                                   p.padding)),
                       p.dilation, g)
        return _conv_forward(gy, wt, q)[0]
    rows = _rows(gy)  # (O, N*L)
    if g == 1:
        dcols = w.reshape(o, -1).T @ rows  # (CK, O) @ (O, N*L)
    else:
        wg = w.reshape(g, o // g, -1).swapaxes(1, 2)  # (G, Cg*K, Og)
        dcols = xp.matmul(wg, rows.reshape(g, o // g, rows.shape[1])).reshape(
            wg.shape[0] * wg.shape[1], rows.shape[1])
    return col2im(dcols, n, c, p, out_extra)


def _weight_grad(x: np.ndarray, gy: np.ndarray, p: ConvParams, w_shape, cols=None):
    g = p.groups
    if cols is None:
        cols = im2col(x, p)
    o = gy.shape[1]
    rows = _rows(gy)  # (O, N*L)
    if g == 1:
        gw = rows @ cols.T  # (O, N*L) @ (N*L, CK): one GEMM, columns read transposed in place
    else:
        gw = xp.matmul(rows.reshape(g, o // g, rows.shape[1]),
                       cols.reshape(g, cols.shape[0] // g, cols.shape[1]).swapaxes(1, 2))
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


def _conv_arg(v, nd, name, op):
    """Expand an int / 1-tuple to ``nd`` values; torch raises RuntimeError otherwise."""
    if isinstance(v, int):
        return (v,) * nd
    v = tuple(int(i) for i in v)
    if len(v) == 1:
        return v * nd
    if len(v) != nd:
        raise RuntimeError(f"{op}: expected {name} to be a single integer value or a list of "
                           f"{nd} values to match the convolution dimensions, but got "
                           f"{name}={list(v)}")
    return v


def _check_conv_args(stride, padding, dilation, groups, op):
    if any(s <= 0 for s in stride):
        raise RuntimeError(f"{op}: non-positive stride is not supported (stride={stride})")
    if any(p < 0 for p in padding):
        raise RuntimeError(f"{op}: negative padding is not supported (padding={padding})")
    if any(d <= 0 for d in dilation):
        raise RuntimeError(f"{op}: dilation should be greater than zero, but got {dilation}")
    if groups <= 0:
        raise RuntimeError(f"{op}: non-positive groups is not supported (groups={groups})")


def _check_bias(bias, weight, c_out, op):
    if bias is not None and (bias.dim() != 1 or bias.shape[0] != c_out):
        raise RuntimeError(f"{op}: weight of shape {tuple(weight.shape)} expects a 1-D bias "
                           f"with {c_out} elements, but got bias of shape {tuple(bias.shape)}")


def _check_dtypes(x, weight, bias, op):
    if x.data.dtype != weight.data.dtype or (bias is not None and
                                             bias.data.dtype != weight.data.dtype):
        raise RuntimeError(f"{op}: input type ({x.dtype.name}), weight type "
                           f"({weight.dtype.name})" + ("" if bias is None else
                                                        f" and bias type ({bias.dtype.name})")
                           + " should be the same")


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
    if c % groups or w.shape[0] % groups:
        raise RuntimeError(f"{op}: channels must be divisible by groups={groups} (input "
                           f"{tuple(x.shape)}, weight {tuple(w.shape)})")


def convnd(input, weight, bias, stride, padding, dilation, groups, nd, op):
    """Shared implementation of conv1d/2d/3d (zero padding; see the module for modes)."""
    x = input
    unbatched = x.dim() == nd + 1
    if unbatched:
        x = x.unsqueeze(0)
    if groups <= 0:
        raise RuntimeError(f"{op}: non-positive groups is not supported (groups={groups})")
    _check_conv_shapes(x, weight, nd, groups, op)
    _check_dtypes(x, weight, bias, op)
    _check_bias(bias, weight, weight.shape[0], op)
    kernel = tuple(weight.shape[2:])
    stride = _conv_arg(stride, nd, "stride", op)
    dilation = _conv_arg(dilation, nd, "dilation", op)
    if isinstance(padding, str):
        if padding == "valid":
            padding = (0,) * nd
        elif padding == "same":
            if any(s != 1 for s in stride):
                raise RuntimeError("padding='same' is not supported for strided convolutions")
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
            raise RuntimeError(f"Invalid padding string: '{padding}'")
    else:
        padding = _conv_arg(padding, nd, "padding", op)
    _check_conv_args(stride, padding, dilation, groups, op)
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
    if groups <= 0:
        raise RuntimeError(f"{op}: non-positive groups is not supported (groups={groups})")
    _check_conv_shapes(x, weight, nd, groups, op, transposed=True)
    _check_dtypes(x, weight, bias, op)
    _check_bias(bias, weight, weight.shape[1] * groups, op)
    kernel = tuple(weight.shape[2:])
    stride = _conv_arg(stride, nd, "stride", op)
    padding = _conv_arg(padding, nd, "padding", op)
    dilation = _conv_arg(dilation, nd, "dilation", op)
    output_padding = _conv_arg(output_padding, nd, "output_padding", op)
    _check_conv_args(stride, padding, dilation, groups, op)
    for op_, s, d in zip(output_padding, stride, dilation):
        if op_ >= max(s, d):
            raise RuntimeError(f"{op}: output padding must be smaller than either stride or "
                               f"dilation, but got output_padding={output_padding}, "
                               f"stride={stride}, dilation={dilation}")
    in_sp = tuple(x.shape[2:])
    out_sp = tuple((i - 1) * s - 2 * pd + d * (k - 1) + 1
                   for i, s, pd, d, k in zip(in_sp, stride, padding, dilation, kernel))
    full = tuple(o + e for o, e in zip(out_sp, output_padding))
    c_out = weight.shape[1] * groups
    if any(o < 0 for o in full):
        raise RuntimeError(f"{op}: given input size per channel {in_sp}, the calculated "
                           f"output size per channel {full} is too small")
    if 0 in full:  # an empty result (and zero gradients), as torch's usual path gives
        shape = (x.shape[0], c_out) + full
        out = x.reshape(-1)[:0].reshape(shape) + weight.reshape(-1)[:0].reshape(shape)
        if bias is not None:
            out = out + bias.reshape((1, -1) + (1,) * nd)
        return out.squeeze(0) if unbatched else out
    p = ConvParams(out_sp, kernel, stride, padding, dilation, groups)
    if p.out_spatial != in_sp:  # pragma: no cover - geometry mismatch would be a bug
        raise RuntimeError(f"{op}: internal geometry error {p.out_spatial} != {in_sp}")
    out = ConvInputGrad.apply(x, weight, p, (x.shape[0], c_out),
                              output_padding if any(output_padding) else None)
    if bias is not None:
        out = out + bias.reshape((1, -1) + (1,) * nd)
    return out.squeeze(0) if unbatched else out
