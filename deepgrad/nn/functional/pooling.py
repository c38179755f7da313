"""Pooling and resampling: max/avg/adaptive/lp pooling, max_unpool, interpolate."""
from __future__ import annotations

import math
import warnings

import numpy as np

from ..._tensor import Tensor
from ...ops import pooling as P
from ...ops.conv import _tuple

__all__ = ["max_pool1d", "max_pool2d", "max_pool3d", "avg_pool1d", "avg_pool2d", "avg_pool3d",
           "adaptive_avg_pool1d", "adaptive_avg_pool2d", "adaptive_avg_pool3d",
           "adaptive_max_pool1d", "adaptive_max_pool2d", "adaptive_max_pool3d", "lp_pool1d",
           "lp_pool2d", "lp_pool3d", "max_unpool1d", "max_unpool2d", "max_unpool3d",
           "interpolate", "upsample", "upsample_nearest", "upsample_bilinear"]


def _batched(input, nd, op):
    if input.dim() == nd + 1:
        return input.unsqueeze(0), True
    if input.dim() != nd + 2 or any(d == 0 for d in input.shape[1:]):
        raise RuntimeError(f"{op}: expected {nd + 1}D or {nd + 2}D input with non-zero sizes "
                           f"(but an optional zero batch size), got shape "
                           f"{tuple(input.shape)}")
    return input, False


def _pool_params(x, nd, kernel_size, stride, padding, dilation, ceil_mode, op):
    k = _tuple(kernel_size, nd, "kernel_size")
    s = k if stride is None or (isinstance(stride, (list, tuple)) and not stride) else _tuple(
        stride, nd, "stride")
    p = _tuple(padding, nd, "padding")
    d = _tuple(dilation, nd, "dilation")
    if any(v <= 0 for v in k):
        raise RuntimeError(f"{op}: kernel_size must be greater than zero, but got {k}")
    if any(v <= 0 for v in s):
        raise RuntimeError(f"{op}: stride should not be zero (got {s})")
    if any(v <= 0 for v in d):
        raise RuntimeError(f"{op}: dilation should be greater than zero, but got {d}")
    if any(v < 0 for v in p):
        raise RuntimeError(f"{op}: pad must be non-negative, but got {p}")
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
        arg = (out.grad_fn.arg if out.grad_fn is not None and hasattr(out.grad_fn, "arg")
               else _argmax(x, pp))
        values = out.data[None] if unbatched else out.data
        idx = Tensor._make(P.flat_indices(arg, pp, values))
        return out, (idx.squeeze(0) if unbatched else idx)
    return out


def _argmax(x, pp):
    nd = len(pp.kernel)
    fill = -np.inf if x.data.dtype.kind == "f" else np.iinfo(x.data.dtype).min
    win = P.windows(x.data, pp, fill)
    return win.reshape(win.shape[:2 + nd] + (math.prod(pp.kernel),)).argmax(axis=-1)


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
    if nd == 3 and any(i < k for i, k in zip(pp.in_spatial, pp.kernel)):
        # torch's avg_pool3d (only) checks the kernel against the unpadded input
        raise RuntimeError(f"{op}: input image {pp.in_spatial} smaller than kernel size "
                           f"{pp.kernel}")
    if divisor_override is not None and divisor_override == 0:
        raise RuntimeError(f"{op}: divisor must be not zero")
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


def _adaptive_windows(n_in, n_out):
    """torch's adaptive windows along one dim as a (n_out, k) index table (k = the longest
    window); shorter windows repeat their last index, and ``valid`` marks the real entries."""
    starts = np.array([(i * n_in) // n_out for i in range(n_out)], np.int64)
    ends = np.array([-(-((i + 1) * n_in) // n_out) for i in range(n_out)], np.int64)
    k = int((ends - starts).max())
    idx = starts[:, None] + np.arange(k)
    valid = idx < ends[:, None]
    return np.minimum(idx, ends[:, None] - 1), valid


def _gather_windows(x, dim, idx):
    """x with ``dim`` replaced by (n_out, k) via the index table (one index_select)."""
    win = x.index_select(dim, Tensor._make(idx.reshape(-1)))
    shape = list(win.shape)
    shape[dim:dim + 1] = list(idx.shape)
    return win.reshape(shape)


def _adaptive_avg_dim(x, dim, n_out):
    """Mean over torch's adaptive windows along one dim (avg pooling is separable)."""
    n_in = x.shape[dim]
    if n_in == n_out:
        return x
    if n_out == 0:
        return x.index_select(dim, Tensor._make(np.zeros(0, np.int64)))
    if n_in % n_out == 0:
        shape = list(x.shape)
        shape[dim:dim + 1] = [n_out, n_in // n_out]
        return x.reshape(shape).mean(dim + 1)
    idx, valid = _adaptive_windows(n_in, n_out)
    weights = valid / valid.sum(axis=1, keepdims=True)
    view = [1] * (x.dim() + 1)
    view[dim:dim + 2] = list(idx.shape)
    w = Tensor._make(weights.astype(x.data.dtype).reshape(view))
    return (_gather_windows(x, dim, idx) * w).sum(dim + 1)


def _adaptive_size(x, nd, output_size):
    """torch's adaptive ``output_size``: an int, or a tuple where None keeps the input size."""
    if isinstance(output_size, int):
        return (output_size,) * nd
    out = tuple(output_size)
    if len(out) == 1:
        out = out * nd
    if len(out) != nd:
        raise RuntimeError(f"adaptive pooling: output_size must be an int or a tuple of {nd}, "
                           f"got {output_size}")
    return tuple(x.shape[2 + i] if o is None else int(o) for i, o in enumerate(out))


def _adaptive_avg(input, nd, output_size, op):
    x, unbatched = _batched(input, nd, op)
    out_sz = _adaptive_size(x, nd, output_size)
    for i, o in enumerate(out_sz):
        x = _adaptive_avg_dim(x, 2 + i, o)
    return x.squeeze(0) if unbatched else x


def adaptive_avg_pool1d(input, output_size):
    """Mean pooling to a fixed length: (N, C, L) -> (N, C, output_size)."""
    return _adaptive_avg(input, 1, output_size, "adaptive_avg_pool1d")


def adaptive_avg_pool2d(input, output_size):
    """Mean pooling to a fixed size: (N, C, H, W) -> (N, C, *output_size); None in
    ``output_size`` keeps that input size."""
    return _adaptive_avg(input, 2, output_size, "adaptive_avg_pool2d")


def adaptive_avg_pool3d(input, output_size):
    """Mean pooling to a fixed size: (N, C, D, H, W) -> (N, C, *output_size)."""
    return _adaptive_avg(input, 3, output_size, "adaptive_avg_pool3d")


def _adaptive_max(input, nd, output_size, return_indices, op):
    x, unbatched = _batched(input, nd, op)
    out_sz = _adaptive_size(x, nd, output_size)
    ins = tuple(x.shape[2:])
    if 0 in out_sz:
        out = x.reshape(*x.shape[:2], -1).index_select(2, Tensor._make(np.zeros(0, np.int64)))
        out = out.reshape(*x.shape[:2], *out_sz)
        idx = Tensor._make(np.zeros(tuple(out.shape), np.int64))
        if unbatched:
            out, idx = out.squeeze(0), idx.squeeze(0)
        return (out, idx) if return_indices else out
    if all(i % o == 0 for i, o in zip(ins, out_sz)):
        k = tuple(i // o for i, o in zip(ins, out_sz))
        return _max_pool(input, nd, k, k, 0, 1, False, return_indices, op)
    # uneven (possibly overlapping) windows: gather every window, padded to the longest by
    # repeating its last element (harmless for a max), then one max over the window axis
    tables = [_adaptive_windows(i, o)[0] for i, o in zip(ins, out_sz)]
    win = x
    for d, idx in enumerate(tables):
        win = _gather_windows(win, 2 + 2 * d, idx)  # (N, C, o1, k1, ..., od, kd, ...)
    order = [0, 1] + [2 + 2 * d for d in range(nd)] + [3 + 2 * d for d in range(nd)]
    win = win.permute(*order).reshape(x.shape[0], x.shape[1], *out_sz, -1)
    out, arg = win.max(-1)
    if unbatched:
        out = out.squeeze(0)
    if not return_indices:
        return out
    offsets = np.unravel_index(arg.numpy(), tuple(t.shape[1] for t in tables))
    grid = np.indices(out_sz, sparse=True)
    flat = np.zeros(arg.shape, np.int64)
    for d in range(nd):
        flat = flat * ins[d] + tables[d][grid[d], offsets[d]]
    idx = Tensor._make(flat)
    return out, (idx.squeeze(0) if unbatched else idx)


def adaptive_max_pool1d(input, output_size, return_indices=False):
    return _adaptive_max(input, 1, output_size, return_indices, "adaptive_max_pool1d")


def adaptive_max_pool2d(input, output_size, return_indices=False):
    """Max pooling to a fixed size: (N, C, H, W) -> (N, C, *output_size)."""
    return _adaptive_max(input, 2, output_size, return_indices, "adaptive_max_pool2d")


def adaptive_max_pool3d(input, output_size, return_indices=False):
    """Max pooling to a fixed size: (N, C, D, H, W) -> (N, C, *output_size)."""
    return _adaptive_max(input, 3, output_size, return_indices, "adaptive_max_pool3d")


def _lp_pool(input, nd, norm_type, kernel_size, stride, ceil_mode, op):
    k = _tuple(kernel_size, nd, "kernel_size")
    if norm_type in (math.inf, -math.inf):  # the limits: max (or min) of |x| over the window
        mpool = (max_pool1d, max_pool2d, max_pool3d)[nd - 1]
        sign = 1.0 if norm_type > 0 else -1.0
        return mpool(input.abs() * sign, k if nd > 1 else k[0], stride, 0, 1, ceil_mode) * sign
    pool = (avg_pool1d, avg_pool2d, avg_pool3d)[nd - 1]
    out = pool(input.pow(norm_type), k if nd > 1 else k[0], stride, 0, ceil_mode)
    return (out.sign() * out.abs().relu()).mul(math.prod(k)).pow(1.0 / norm_type)


def lp_pool1d(input, norm_type, kernel_size, stride=None, ceil_mode=False):
    return _lp_pool(input, 1, norm_type, kernel_size, stride, ceil_mode, "lp_pool1d")


def lp_pool2d(input, norm_type, kernel_size, stride=None, ceil_mode=False):
    """``(sum over window of x^p)^(1/p)``."""
    return _lp_pool(input, 2, norm_type, kernel_size, stride, ceil_mode, "lp_pool2d")


def _unpool_output_size(x, k, s, p, output_size):
    """torch's rule: default ``(in - 1) * stride + kernel - 2 * padding``; an explicit
    ``output_size`` (spatial, or with N and C in front) must lie within a stride of it."""
    nd = len(k)
    default = tuple((i - 1) * st + kk - 2 * pd
                    for i, st, kk, pd in zip(x.shape[-nd:], s, k, p))
    if output_size is None:
        return default
    out = tuple(int(o) for o in output_size)
    if len(out) == nd + 2:
        out = out[2:]
    if len(out) != nd:
        raise ValueError(f"output_size should be a sequence containing {nd} or {nd + 2} "
                         f"elements, but it has a length of '{len(out)}'")
    for d in range(nd):
        lo, hi = default[d] - s[d], default[d] + s[d]
        if not lo < out[d] < hi:
            raise ValueError(f'invalid output_size "{out}" (dim {d} must be between {lo} and '
                             f"{hi})")
    return out


def lp_pool3d(input, norm_type, kernel_size, stride=None, ceil_mode=False):
    """``(sum over window of x^p)^(1/p)`` over (N, C, D, H, W)."""
    return _lp_pool(input, 3, norm_type, kernel_size, stride, ceil_mode, "lp_pool3d")


def _max_unpool(input, indices, nd, kernel_size, stride, padding, output_size, op):
    k = _tuple(kernel_size, nd, "kernel_size")
    s = k if stride is None else _tuple(stride, nd, "stride")
    p = _tuple(padding, nd, "padding")
    out_sp = _unpool_output_size(input, k, s, p, output_size)
    if tuple(indices.shape) != tuple(input.shape):
        raise RuntimeError(f"{op}: expected shape of indices to be same as that of the input "
                           f"tensor ({tuple(input.shape)}) but got indices tensor with shape: "
                           f"{tuple(indices.shape)}")
    x, unbatched = _batched(input, nd, op)
    idx = indices.unsqueeze(0) if unbatched else indices
    n, c = x.shape[:2]
    flat_len = math.prod(out_sp)
    if idx.data.size and (idx.data.min() < 0 or idx.data.max() >= flat_len):
        bad = int(idx.data.max() if idx.data.max() >= flat_len else idx.data.min())
        raise RuntimeError(f"{op}: found an invalid max index {bad} (output volume is "
                           f"{'x'.join(map(str, out_sp))})")
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


def max_unpool3d(input, indices, kernel_size, stride=None, padding=0, output_size=None):
    """Inverse of max_pool3d: values placed at their ``indices``, zeros elsewhere."""
    return _max_unpool(input, indices, 3, kernel_size, stride, padding, output_size,
                       "max_unpool3d")


# ---------------------------------------------------------------------------- interpolate
def _source_scale(n_in, n_out, align_corners, scale):
    if align_corners:
        return (n_in - 1) / (n_out - 1) if n_out > 1 else 0.0
    return 1.0 / scale if scale is not None and scale > 0 else n_in / n_out


def _nearest_dim(x, dim, n_out, scale, exact, shortcuts=False):
    """Nearest source index per output index, in float32 arithmetic as torch's kernels do.

    ``shortcuts``: torch's 2-D (4-D input) 'nearest' kernel copies a dim whose size does not
    change and maps ``i -> i // 2`` when it doubles, whatever ``scale_factor`` says."""
    n_in = x.shape[dim]
    if shortcuts and n_out == n_in:
        return x
    s = np.float32(1.0 / scale) if scale is not None and scale > 0 else (
        np.float32(n_in) / np.float32(n_out))
    dst = np.arange(n_out)
    if shortcuts and n_out == 2 * n_in:
        src = dst // 2
    elif exact:
        src = np.floor(((dst + 0.5) * np.float64(s)).astype(np.float32))
    else:
        src = np.floor(dst.astype(np.float32) * s)
    src = np.minimum(src.astype(np.int64), n_in - 1)
    return x.index_select(dim, Tensor._make(src))


def _linear_dim(x, dim, n_out, align_corners, scale):
    n_in = x.shape[dim]
    if n_in == n_out:  # torch copies an unchanged dim, whatever the scale_factor says
        return x
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


def _cubic_dim(x, dim, n_out, align_corners, scale):
    """torch's bicubic (A = -0.75) along one dim: 4 taps, indices clamped to the edge."""
    n_in = x.shape[dim]
    s = _source_scale(n_in, n_out, align_corners, scale)
    dst = np.arange(n_out, dtype=np.float64)
    src = dst * s if align_corners else (dst + 0.5) * s - 0.5  # no clamp at 0 for cubic
    i0 = np.floor(src).astype(np.int64)
    t = src - i0
    a = -0.75

    def near(d):  # |d| <= 1
        return ((a + 2) * d - (a + 3)) * d * d + 1

    def far(d):  # 1 < |d| < 2
        return ((a * d - 5 * a) * d + 8 * a) * d - 4 * a

    coeffs = (far(t + 1), near(t), near(1 - t), far(2 - t))
    view = [1] * x.dim()
    view[dim] = n_out
    out = None
    for k, c in enumerate(coeffs):
        idx = np.clip(i0 - 1 + k, 0, n_in - 1)
        term = x.index_select(dim, Tensor._make(idx)) * Tensor._make(
            c.astype(x.data.dtype).reshape(view))
        out = term if out is None else out + term
    return out


_INTERP_DIMS = {"linear": 1, "bilinear": 2, "bicubic": 2, "trilinear": 3}


def interpolate(input, size=None, scale_factor=None, mode="nearest", align_corners=None,
                recompute_scale_factor=None, antialias=False):
    """Resize the spatial dims of (N, C, *S) by ``size`` or ``scale_factor``.

    Modes: 'nearest', 'nearest-exact', 'linear' (3-D input), 'bilinear' and 'bicubic' (4-D),
    'trilinear' (5-D), 'area' (adaptive average). The interpolating modes honour
    ``align_corners`` (default False). With ``scale_factor`` the output size is
    ``floor(in * scale)``; the source coordinates use ``1 / scale`` unless
    ``recompute_scale_factor=True`` (then ``in / out``, as with ``size``).

    Example::

        >>> x = deepgrad.randn(1, 3, 8, 8)
        >>> F.interpolate(x, scale_factor=2, mode="bilinear").shape
        deepgrad.Size([1, 3, 16, 16])
    """
    nd = input.dim() - 2
    if nd not in (1, 2, 3):
        raise NotImplementedError(f"Input Error: Only 3D, 4D and 5D input Tensors supported "
                                  f"(got {input.dim()}D) for the modes: nearest | linear | "
                                  f"bilinear | bicubic | trilinear | area | nearest-exact "
                                  f"(got {mode})")
    if mode in ("nearest", "nearest-exact", "area"):
        if align_corners is not None:
            raise ValueError("align_corners option can only be set with the interpolating "
                             "modes: linear | bilinear | bicubic | trilinear")
    elif align_corners is None:
        align_corners = False
    if size is not None and scale_factor is not None:
        raise ValueError("only one of size or scale_factor should be defined")
    if size is not None:
        if isinstance(size, (list, tuple)):
            if len(size) != nd:
                raise ValueError(f"Input and output must have the same number of spatial "
                                 f"dimensions, but got input with spatial dimensions of "
                                 f"{list(input.shape[2:])} and output size of {size}.")
            if not all(isinstance(o, (int, np.integer)) for o in size):
                raise TypeError(f"expected size to be one of int or Tuple[int] or Tuple[int, "
                                f"int] or Tuple[int, int, int], but got size with types "
                                f"{[type(o) for o in size]}")
            sizes = tuple(int(o) for o in size)
        else:
            sizes = (int(size),) * nd
        scales = (None,) * nd
        if recompute_scale_factor:
            raise ValueError("recompute_scale_factor is not meaningful with an explicit size.")
    elif scale_factor is not None:
        if isinstance(scale_factor, (list, tuple)):
            if len(scale_factor) != nd:
                raise ValueError(f"Input and scale_factor must have the same number of spatial "
                                 f"dimensions, but got input with spatial dimensions of "
                                 f"{list(input.shape[2:])} and scale_factor of shape "
                                 f"{scale_factor}.")
            scales = tuple(float(sc) for sc in scale_factor)
        else:
            scales = (float(scale_factor),) * nd
        sizes = tuple(int(math.floor(i * sc)) for i, sc in zip(input.shape[2:], scales))
        if recompute_scale_factor or mode == "area":
            scales = (None,) * nd
    else:
        raise ValueError("either size or scale_factor should be defined")
    if antialias and not (mode in ("bilinear", "bicubic") and nd == 2):
        raise ValueError("Anti-alias option is restricted to bilinear, bicubic, and lanczos "
                         "modes and requires a 4-D tensor as input")
    if antialias:
        raise NotImplementedError("interpolate: antialias is not supported")
    if mode not in ("nearest", "nearest-exact", "area", *_INTERP_DIMS):
        raise NotImplementedError(f"interpolate: mode '{mode}' is not supported")
    if mode != "area" and any(o <= 0 for o in sizes):  # area is adaptive pooling: empty is ok
        raise RuntimeError(f"Input and output sizes should be greater than 0, but got input "
                           f"{tuple(input.shape[2:])} output {sizes}")
    x = input
    if mode in ("nearest", "nearest-exact"):
        for i, o in enumerate(sizes):
            x = _nearest_dim(x, 2 + i, o, scales[i], mode == "nearest-exact",
                             shortcuts=nd == 2 and mode == "nearest")
        return x
    if mode == "area":
        return _adaptive_avg(input, nd, sizes, "interpolate")
    if nd != _INTERP_DIMS[mode]:
        raise NotImplementedError(f"Got {input.dim()}D input, but {mode} mode needs "
                                  f"{_INTERP_DIMS[mode] + 2}D input")
    resize = _cubic_dim if mode == "bicubic" else _linear_dim
    for i, o in enumerate(sizes):
        x = resize(x, 2 + i, o, bool(align_corners), scales[i])
    return x


def upsample(input, size=None, scale_factor=None, mode="nearest", align_corners=None):
    warnings.warn("nn.functional.upsample is deprecated. Use nn.functional.interpolate instead.",
                  stacklevel=2)
    return interpolate(input, size, scale_factor, mode, align_corners)


def upsample_nearest(input, size=None, scale_factor=None):
    return interpolate(input, size, scale_factor, mode="nearest")


def upsample_bilinear(input, size=None, scale_factor=None):
    return interpolate(input, size, scale_factor, mode="bilinear", align_corners=True)

