"""Pooling and resampling: max/avg/adaptive/lp pooling, max_unpool, interpolate."""
from __future__ import annotations

import math
import warnings

import numpy as np

from ..._tensor import Tensor
from ...ops import pooling as P
from ...ops.conv import _tuple

__all__ = ["max_pool1d", "max_pool2d", "max_pool3d", "avg_pool1d", "avg_pool2d", "avg_pool3d",
           "adaptive_avg_pool1d", "adaptive_avg_pool2d", "adaptive_max_pool1d",
           "adaptive_max_pool2d", "lp_pool1d", "lp_pool2d", "max_unpool1d", "max_unpool2d",
           "interpolate", "upsample", "upsample_nearest", "upsample_bilinear"]


def _batched(input, nd, op):
    if input.dim() == nd + 1:
        return input.unsqueeze(0), True
    if input.dim() != nd + 2:
        raise RuntimeError(f"{op}: expected {nd + 1}D or {nd + 2}D input, got shape "
                           f"{tuple(input.shape)}")
    return input, False


def _pool_params(x, nd, kernel_size, stride, padding, dilation, ceil_mode, op):
    k = _tuple(kernel_size, nd, "kernel_size")
    s = k if stride is None or (isinstance(stride, (list, tuple)) and not stride) else _tuple(
        stride, nd, "stride")
    p = _tuple(padding, nd, "padding")
    d = _tuple(dilation, nd, "dilation")
    for kk, pp in zip(k, p):
        if pp > kk // 2:
            raise RuntimeError(f"{op}: pad should be at most half of effective kernel size, "
                               f"but got pad={pp}, kernel_size={kk}")
    pp = P.PoolParams(x.shape[2:], k, s, p, d, ceil_mode)
    if any(o <= 0 for o in pp.out_spatial):
        raise RuntimeError(f"{op}: input of shape {tuple(x.shape)} is too small for kernel {k} "
                           f"(output size would be {pp.out_spatial})")
    return pp


def _max_pool(input, nd, kernel_size, stride, padding, dilation, ceil_mode, return_indices, op):
    x, unbatched = _batched(input, nd, op)
    pp = _pool_params(x, nd, kernel_size, stride, padding, dilation, ceil_mode, op)
    out = P.MaxPool.apply(x, pp)
    if unbatched:
        out = out.squeeze(0)
    if return_indices:
        idx = Tensor._make(P.flat_indices(out.grad_fn.arg if out.grad_fn is not None and
                                          hasattr(out.grad_fn, "arg") else _argmax(x, pp), pp))
        return out, (idx.squeeze(0) if unbatched else idx)
    return out


def _argmax(x, pp):
    nd = len(pp.kernel)
    fill = -np.inf if x.data.dtype.kind == "f" else np.iinfo(x.data.dtype).min
    win = P.windows(x.data, pp, fill)
    return win.reshape(win.shape[:2 + nd] + (-1,)).argmax(axis=-1)


def max_pool1d(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False,
               return_indices=False):
    """Max over windows of (N, C, L)."""
    return _max_pool(input, 1, kernel_size, stride, padding, dilation, ceil_mode,
                     return_indices, "max_pool1d")


def max_pool2d(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False,
               return_indices=False):
    """Max over windows of (N, C, H, W); ``return_indices`` gives flat H*W argmax indices."""
    return _max_pool(input, 2, kernel_size, stride, padding, dilation, ceil_mode,
                     return_indices, "max_pool2d")


def max_pool3d(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False,
               return_indices=False):
    return _max_pool(input, 3, kernel_size, stride, padding, dilation, ceil_mode,
                     return_indices, "max_pool3d")


def _avg_pool(input, nd, kernel_size, stride, padding, ceil_mode, count_include_pad,
              divisor_override, op):
    x, unbatched = _batched(input, nd, op)
    pp = _pool_params(x, nd, kernel_size, stride, padding, 1, ceil_mode, op)
    total = P.WindowSum.apply(x, pp)
    if divisor_override:
        out = total / float(divisor_override)
    else:
        count = P.window_count(pp, count_include_pad, x.data.dtype)
        out = total / Tensor._make(count)
    return out.squeeze(0) if unbatched else out


def avg_pool1d(input, kernel_size, stride=None, padding=0, ceil_mode=False,
               count_include_pad=True):
    """Mean over windows of (N, C, L)."""
    return _avg_pool(input, 1, kernel_size, stride, padding, ceil_mode, count_include_pad,
                     None, "avg_pool1d")


def avg_pool2d(input, kernel_size, stride=None, padding=0, ceil_mode=False,
               count_include_pad=True, divisor_override=None):
    """Mean over windows of (N, C, H, W) (torch's divisor rules for padding and ceil_mode)."""
    return _avg_pool(input, 2, kernel_size, stride, padding, ceil_mode, count_include_pad,
                     divisor_override, "avg_pool2d")


def avg_pool3d(input, kernel_size, stride=None, padding=0, ceil_mode=False,
               count_include_pad=True, divisor_override=None):
    return _avg_pool(input, 3, kernel_size, stride, padding, ceil_mode, count_include_pad,
                     divisor_override, "avg_pool3d")


def _adaptive_bounds(n_in, n_out):
    starts = [math.floor(i * n_in / n_out) for i in range(n_out)]
    ends = [math.ceil((i + 1) * n_in / n_out) for i in range(n_out)]
    return starts, ends


def _adaptive_avg_dim(x, dim, n_out):
    """Mean over torch's adaptive windows along one dim, via a cumulative sum (separable)."""
    n_in = x.shape[dim]
    if n_in == n_out:
        return x
    if n_in % n_out == 0:
        k = n_in // n_out
        shape = list(x.shape)
        shape[dim:dim + 1] = [n_out, k]
        return x.reshape(shape).mean(dim + 1)
    starts, ends = _adaptive_bounds(n_in, n_out)
    zero_shape = list(x.shape)
    zero_shape[dim] = 1
    from ...ops.movement import cat

    csum = cat([Tensor._make(np.zeros(zero_shape, x.data.dtype)), x.cumsum(dim)], dim)
    hi = csum.index_select(dim, Tensor._make(np.array(ends, np.int64)))
    lo = csum.index_select(dim, Tensor._make(np.array(starts, np.int64)))
    view = [1] * x.dim()
    view[dim] = n_out
    sizes = Tensor._make(np.array(ends, x.data.dtype) - np.array(starts, x.data.dtype))
    return (hi - lo) / sizes.reshape(view)


def _adaptive_avg(input, nd, output_size, op):
    x, unbatched = _batched(input, nd, op)
    out_sz = _tuple(output_size, nd, "output_size") if not isinstance(output_size, int) else (
        output_size,) * nd
    out_sz = tuple(x.shape[2 + i] if o is None else o for i, o in enumerate(out_sz))
    for i, o in enumerate(out_sz):
        x = _adaptive_avg_dim(x, 2 + i, o)
    return x.squeeze(0) if unbatched else x


def adaptive_avg_pool1d(input, output_size):
    """Mean pooling to a fixed length: (N, C, L) -> (N, C, output_size)."""
    return _adaptive_avg(input, 1, output_size, "adaptive_avg_pool1d")


def adaptive_avg_pool2d(input, output_size):
    """Mean pooling to a fixed size: (N, C, H, W) -> (N, C, *output_size)."""
    return _adaptive_avg(input, 2, output_size, "adaptive_avg_pool2d")


def _adaptive_max(input, nd, output_size, return_indices, op):
    x, unbatched = _batched(input, nd, op)
    out_sz = (output_size,) * nd if isinstance(output_size, int) else tuple(output_size)
    out_sz = tuple(x.shape[2 + i] if o is None else o for i, o in enumerate(out_sz))
    ins = tuple(x.shape[2:])
    if all(i % o == 0 for i, o in zip(ins, out_sz)):
        k = tuple(i // o for i, o in zip(ins, out_sz))
        return _max_pool(input, nd, k, k, 0, 1, False, return_indices, op)
    # uneven windows: one max per output position
    from ...ops.movement import stack

    bounds = [_adaptive_bounds(i, o) for i, o in zip(ins, out_sz)]
    vals, idxs = [], []
    for pos in np.ndindex(*out_sz):
        sl = tuple(slice(bounds[d][0][p], bounds[d][1][p]) for d, p in enumerate(pos))
        win = x[(slice(None), slice(None)) + sl]
        flat = win.reshape(win.shape[0], win.shape[1], -1)
        arg = flat.argmax(-1)
        vals.append(flat.gather(2, arg.unsqueeze(-1)).squeeze(-1))
        if return_indices:
            local = np.unravel_index(arg.numpy(), win.shape[2:])
            flat_idx = np.zeros(arg.shape, np.int64)
            for d in range(nd):
                flat_idx = flat_idx * ins[d] + (local[d] + bounds[d][0][pos[d]])
            idxs.append(flat_idx)
    out = stack(vals, -1).reshape(x.shape[0], x.shape[1], *out_sz)
    if unbatched:
        out = out.squeeze(0)
    if return_indices:
        idx = Tensor._make(np.stack(idxs, -1).reshape(x.shape[0], x.shape[1], *out_sz))
        return out, (idx.squeeze(0) if unbatched else idx)
    return out


def adaptive_max_pool1d(input, output_size, return_indices=False):
    return _adaptive_max(input, 1, output_size, return_indices, "adaptive_max_pool1d")


def adaptive_max_pool2d(input, output_size, return_indices=False):
    """Max pooling to a fixed size: (N, C, H, W) -> (N, C, *output_size)."""
    return _adaptive_max(input, 2, output_size, return_indices, "adaptive_max_pool2d")


def _lp_pool(input, nd, norm_type, kernel_size, stride, ceil_mode, op):
    k = _tuple(kernel_size, nd, "kernel_size")
    pool = avg_pool1d if nd == 1 else avg_pool2d
    out = pool(input.pow(norm_type), k if nd > 1 else k[0], stride, 0, ceil_mode)
    return (out.sign() * out.abs().relu()).mul(math.prod(k)).pow(1.0 / norm_type)


def lp_pool1d(input, norm_type, kernel_size, stride=None, ceil_mode=False):
    return _lp_pool(input, 1, norm_type, kernel_size, stride, ceil_mode, "lp_pool1d")


def lp_pool2d(input, norm_type, kernel_size, stride=None, ceil_mode=False):
    """``(sum over window of x^p)^(1/p)``."""
    return _lp_pool(input, 2, norm_type, kernel_size, stride, ceil_mode, "lp_pool2d")


def _max_unpool(input, indices, nd, kernel_size, stride, padding, output_size, op):
    k = _tuple(kernel_size, nd, "kernel_size")
    s = k if stride is None else _tuple(stride, nd, "stride")
    p = _tuple(padding, nd, "padding")
    x, unbatched = _batched(input, nd, op)
    idx = indices.unsqueeze(0) if unbatched else indices
    if output_size is None:
        out_sp = tuple((i - 1) * st - 2 * pd + kk for i, st, pd, kk in zip(x.shape[2:], s, p, k))
    else:
        out_sp = tuple(output_size)[-nd:]
    n, c = x.shape[:2]
    flat_len = math.prod(out_sp)
    if idx.data.size and (idx.data.min() < 0 or idx.data.max() >= flat_len):
        raise RuntimeError(f"{op}: found an invalid max index {int(idx.data.max())} (output "
                           f"volume is {flat_len})")
    zeros = Tensor._make(np.zeros((n, c, flat_len), x.data.dtype))
    out = zeros.scatter(2, idx.reshape(n, c, -1), x.reshape(n, c, -1))
    out = out.reshape(n, c, *out_sp)
    return out.squeeze(0) if unbatched else out


def max_unpool1d(input, indices, kernel_size, stride=None, padding=0, output_size=None):
    return _max_unpool(input, indices, 1, kernel_size, stride, padding, output_size,
                       "max_unpool1d")


def max_unpool2d(input, indices, kernel_size, stride=None, padding=0, output_size=None):
    """Inverse of max_pool2d: values placed at their ``indices``, zeros elsewhere."""
    return _max_unpool(input, indices, 2, kernel_size, stride, padding, output_size,
                       "max_unpool2d")


# ---------------------------------------------------------------------------- interpolate
def _source_scale(n_in, n_out, align_corners, scale):
    if align_corners:
        return (n_in - 1) / (n_out - 1) if n_out > 1 else 0.0
    return 1.0 / scale if scale is not None and scale > 0 else n_in / n_out


def _nearest_dim(x, dim, n_out, scale, exact):
    n_in = x.shape[dim]
    s = _source_scale(n_in, n_out, False, scale)
    dst = np.arange(n_out, dtype=np.float64)
    src = np.floor((dst + 0.5) * s) if exact else np.floor(dst * np.float32(s))
    src = np.minimum(src.astype(np.int64), n_in - 1)
    return x.index_select(dim, Tensor._make(src))


def _linear_dim(x, dim, n_out, align_corners, scale):
    n_in = x.shape[dim]
    s = _source_scale(n_in, n_out, align_corners, scale)
    dst = np.arange(n_out, dtype=np.float64)
    src = dst * s if align_corners else np.maximum((dst + 0.5) * s - 0.5, 0.0)
    i0 = np.minimum(np.floor(src).astype(np.int64), n_in - 1)
    i1 = np.minimum(i0 + 1, n_in - 1)
    w1 = (src - i0).astype(x.data.dtype)
    view = [1] * x.dim()
    view[dim] = n_out
    w1t = Tensor._make(w1.reshape(view))
    a = x.index_select(dim, Tensor._make(i0))
    b = x.index_select(dim, Tensor._make(i1))
    return a + (b - a) * w1t


def interpolate(input, size=None, scale_factor=None, mode="nearest", align_corners=None,
                recompute_scale_factor=None, antialias=False):
    """Resize the spatial dims of (N, C, *S) by ``size`` or ``scale_factor``.

    Modes: 'nearest', 'nearest-exact', 'linear' (1-D), 'bilinear' (2-D), 'trilinear' (3-D),
    'area' (adaptive average). Linear modes honour ``align_corners``.
    """
    nd = input.dim() - 2
    if nd < 1:
        raise ValueError(f"interpolate: expected a batched (N, C, ...) input, got shape "
                         f"{tuple(input.shape)}")
    if (size is None) == (scale_factor is None):
        raise ValueError("only one of size or scale_factor should be defined")
    if mode in ("nearest", "nearest-exact", "area") and align_corners is not None:
        raise ValueError("align_corners option can only be set with the interpolating modes: "
                         "linear | bilinear | bicubic | trilinear")
    if antialias:
        raise NotImplementedError("interpolate: antialias is not supported")
    if size is not None:
        sizes = (size,) * nd if isinstance(size, int) else tuple(size)
        scales = (None,) * nd
    else:
        scales = (scale_factor,) * nd if isinstance(scale_factor, (int, float)) else tuple(
            scale_factor)
        sizes = tuple(int(math.floor(i * sc)) for i, sc in zip(input.shape[2:], scales))
        if recompute_scale_factor:
            scales = (None,) * nd
    if len(sizes) != nd:
        raise ValueError(f"interpolate: size {sizes} does not match the {nd} spatial dims")
    x = input
    if mode in ("nearest", "nearest-exact"):
        for i, o in enumerate(sizes):
            x = _nearest_dim(x, 2 + i, o, scales[i], mode == "nearest-exact")
        return x
    if mode in ("linear", "bilinear", "trilinear"):
        expected = {"linear": 1, "bilinear": 2, "trilinear": 3}[mode]
        if nd != expected:
            raise NotImplementedError(f"Got {input.dim()}D input, but {mode} mode needs "
                                      f"{expected + 2}D input")
        ac = bool(align_corners)
        for i, o in enumerate(sizes):
            x = _linear_dim(x, 2 + i, o, ac, scales[i])
        return x
    if mode == "area":
        return _adaptive_avg(input, nd, sizes, "interpolate")
    raise NotImplementedError(f"interpolate: mode '{mode}' is not supported")


def upsample(input, size=None, scale_factor=None, mode="nearest", align_corners=None):
    warnings.warn("nn.functional.upsample is deprecated. Use nn.functional.interpolate instead.",
                  stacklevel=2)
    return interpolate(input, size, scale_factor, mode, align_corners)


def upsample_nearest(input, size=None, scale_factor=None):
    return interpolate(input, size, scale_factor, mode="nearest")


def upsample_bilinear(input, size=None, scale_factor=None):
    return interpolate(input, size, scale_factor, mode="bilinear", align_corners=True)

