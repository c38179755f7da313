"""Normalization functions: batch, instance, layer, group, RMS and local response norm.

``batch_norm`` and ``layer_norm`` are fused ``Function``s (``instance_norm`` reuses the batch
norm kernel, ``group_norm`` the layer norm kernel): the forward computes the statistics,
normalizes and applies the affine transform on arrays in a few passes, and the backward uses
the closed-form gradient over the normalized elements::

    xhat = (x - mean) * rstd,   dxhat = dy * weight
    dx = rstd * (dxhat - mean(dxhat) - xhat * mean(dxhat * xhat))

When the backward pass is itself recorded (``create_graph=True``), the same formula is
evaluated with Tensor ops on a recomputed, differentiable ``xhat``, so double backward works.
``rms_norm`` and ``local_response_norm`` are composed from Tensor ops.

Example::

    >>> import deepgrad.nn.functional as F
    >>> x = deepgrad.randn(8, 16)
    >>> F.layer_norm(x, (16,)).mean(-1).abs().max() < 1e-6
    tensor(True)
"""
from __future__ import annotations

import numpy as np

from ..._tensor import Tensor, bump_version
from ...autograd.function import Function
from ...autograd.grad_mode import is_grad_enabled
from ...backend import xp
from ...ops import movement

__all__ = ["batch_norm", "instance_norm", "layer_norm", "group_norm", "rms_norm",
           "local_response_norm"]


def _prod(shape) -> int:
    n = 1
    for s in shape:
        n *= s
    return n


def _blend_into(buffer: Tensor, value: np.ndarray, momentum: float) -> None:
    """``buffer = (1 - momentum) * buffer + momentum * value`` in place (running stats)."""
    data = buffer.data
    data *= 1.0 - momentum
    data += (momentum * value).astype(data.dtype, copy=False)
    bump_version(buffer)


_BLOCK = 1024  # columns summed in float32 by one einsum before blocks are added in float64


def _row_sums(a2: np.ndarray, b2: np.ndarray | None = None) -> np.ndarray:
    """Float64 sums of the rows of (R, M) ``a2`` (or of ``a2 * b2``) without a temporary:
    ``einsum`` over blocks of at most ``_BLOCK`` columns, then the blocks in float64, so long
    rows keep float32 accuracy."""
    operands = (a2,) if b2 is None else (a2, b2)
    spec = "ij->i" if b2 is None else "ij,ij->i"
    r, m = a2.shape
    if m <= _BLOCK:
        return xp.einsum(spec, *operands).astype(np.float64)
    full = m - m % _BLOCK
    blocks = [o[:, :full].reshape(r, full // _BLOCK, _BLOCK) for o in operands]
    total = xp.einsum("ikb->ik" if b2 is None else "ikb,ikb->ik", *blocks).sum(
        axis=1, dtype=np.float64)
    if full < m:
        total += xp.einsum(spec, *[o[:, full:] for o in operands])
    return total


def _channel_sum(a3: np.ndarray, b3: np.ndarray | None = None) -> np.ndarray:
    """Float64 per-channel sums of (N, C, L) ``a3`` (or of ``a3 * b3``) over N and L."""
    n, c, length = a3.shape
    rows = _row_sums(a3.reshape(n * c, length),
                     None if b3 is None else b3.reshape(n * c, length))
    return rows.reshape(n, c).sum(axis=0)


def _write_into(buffer: Tensor, value: np.ndarray) -> None:
    buffer.data[...] = value
    bump_version(buffer)


# ---------------------------------------------------------------------------- batch norm
class BatchNormFunction(Function):
    """Fused batch normalization of (N, C, *) input over all dims but C.

    ``training``: normalize with the batch statistics (biased variance) and blend them into
    ``running_mean`` / ``running_var`` (unbiased variance) when those are given; otherwise
    normalize with the running statistics. Gradients flow to ``x``, ``weight`` and ``bias``.
    """

    _array_forward = True

    @staticmethod
    def forward(ctx, x, weight, bias, running_mean, running_var, training, momentum, eps):
        a = x.data
        n, c = a.shape[0], a.shape[1]
        shape3 = (n, c, _prod(a.shape[2:]))
        a3 = a.reshape(shape3)
        dt = a.dtype
        record = any(ctx.needs_input_grad[:3])
        w = None if weight is None else weight.data.astype(dt, copy=False)
        b = None if bias is None else bias.data.astype(dt, copy=False)
        xhat = None
        if training:
            count = shape3[0] * shape3[2]
            with np.errstate(invalid="ignore", divide="ignore"):
                mean = (_channel_sum(a3) / count).astype(dt)
                xhat = a3 - mean[:, None]
                var = (_channel_sum(xhat, xhat) / count).astype(dt)
                rstd = 1.0 / xp.sqrt(var + dt.type(eps))
            xhat *= rstd[:, None]
            if running_mean is not None:
                _blend_into(running_mean, mean, momentum)
            if running_var is not None:
                _blend_into(running_var, var * (count / max(count - 1, 1)), momentum)
            if w is not None:
                y = xhat * w[:, None]
            else:
                y = xhat.copy() if b is None else xhat + b[:, None]
                b = None
            if b is not None:
                y += b[:, None]
        else:
            if running_mean is None or running_var is None:
                which = "running_mean" if running_mean is None else "running_var"
                raise RuntimeError(f"{which} must be defined in evaluation mode")
            mean = running_mean.data.astype(dt)
            rstd = 1.0 / xp.sqrt(running_var.data.astype(dt) + dt.type(eps))
            scale = rstd if w is None else rstd * w
            shift = -mean * scale if b is None else b - mean * scale
            y = a3 * scale[:, None]
            y += shift[:, None]
        if record:
            ctx.save_for_backward(x, weight)
            ctx.shape3, ctx.training, ctx.eps = shape3, training, eps
            ctx.xhat, ctx.mean, ctx.rstd = xhat, mean, rstd
        return y.reshape(a.shape)

    @staticmethod
    def backward(ctx, grad):
        if is_grad_enabled():
            return _batch_norm_backward_composed(ctx, grad)
        x, weight = ctx.saved_tensors
        need_x, need_w, need_b = ctx.needs_input_grad[:3]
        n, c, length = ctx.shape3
        g = grad.data.reshape(ctx.shape3)
        dt = g.dtype
        xhat = ctx.xhat
        if xhat is None and need_w:  # eval mode: xhat was not kept
            xhat = (x.data.reshape(ctx.shape3) - ctx.mean[:, None]) * ctx.rstd[:, None]
        scale = ctx.rstd if weight is None else ctx.rstd * weight.data.astype(dt, copy=False)
        sum_g = _channel_sum(g).astype(dt) if need_b or (need_x and ctx.training) else None
        sum_gx = (_channel_sum(g, xhat).astype(dt)
                  if need_w or (need_x and ctx.training) else None)
        dx = dw = db = None
        if need_x:
            dx = g * scale[:, None]
            if ctx.training:
                count = dt.type(n * length)
                dx -= xhat * (scale * sum_gx / count)[:, None]
                dx -= (scale * sum_g / count)[:, None]
            dx = Tensor._make(dx.reshape(x.data.shape))
        if need_w:
            dw = Tensor._make(sum_gx.astype(weight.data.dtype, copy=False))
        if need_b:
            db = Tensor._make(sum_g.astype(dt, copy=False))
        return dx, dw, db


def _batch_norm_backward_composed(ctx, grad):
    """The batch norm gradient with Tensor ops (differentiable again, for create_graph)."""
    x, weight = ctx.saved_tensors
    need_x, need_w, need_b = ctx.needs_input_grad[:3]
    n, c, length = ctx.shape3
    dims = (0, 2)
    x3 = x.reshape(ctx.shape3)
    g = grad.reshape(ctx.shape3)
    if ctx.training:
        centered = x3 - x3.mean(dims, keepdim=True)
        rstd = ((centered * centered).mean(dims, keepdim=True) + ctx.eps).rsqrt()
    else:
        centered = x3 - Tensor._make(ctx.mean.reshape(1, c, 1))
        rstd = Tensor._make(ctx.rstd.reshape(1, c, 1))
    xhat = centered * rstd
    dxhat = g if weight is None else g * weight.reshape(1, c, 1)
    dx = dw = db = None
    if need_x:
        if ctx.training:
            dx = rstd * (dxhat - dxhat.mean(dims, keepdim=True)
                         - xhat * (dxhat * xhat).mean(dims, keepdim=True))
        else:
            dx = dxhat * rstd
        dx = dx.reshape(x.shape)
    if need_w:
        dw = (g * xhat).sum(dims)
    if need_b:
        db = g.sum(dims)
    return dx, dw, db


def _verify_batch_size(size) -> None:
    values = size[0] * _prod(size[2:])
    if values == 1:
        raise ValueError(
            f"Expected more than 1 value per channel when training, got input size {size}")


def _check_channels(name: str, t, channels: int, input_shape, have: int | None = None) -> None:
    """torch's message (``weight should contain 3 elements not 4``), plus the input's shape."""
    have = t.numel() if have is None and t is not None else have
    if t is not None and have != channels:
        raise RuntimeError(f"{name} should contain {channels} elements not {have} (input of "
                           f"shape {tuple(input_shape)} has {input_shape[1]} channels at dim "
                           f"1, {name} has shape {tuple(t.shape)})")


def batch_norm(input, running_mean, running_var, weight=None, bias=None, training: bool = False,
               momentum: float = 0.1, eps: float = 1e-5):
    """Batch normalization of (N, C, *) input per channel C.

    ``training=True`` normalizes with the batch mean and biased variance over all dims but C,
    and updates ``running_mean`` / ``running_var`` (shape (C,), if given) in place:
    ``running = (1 - momentum) * running + momentum * batch_stat`` (the variance blended in is
    the unbiased one). ``training=False`` normalizes with the running statistics. ``weight``
    and ``bias`` (C,) are the optional affine transform. Returns a tensor of the input's shape.

    Example::

        >>> x = deepgrad.randn(32, 4, 8, 8)
        >>> rm, rv = deepgrad.zeros(4), deepgrad.ones(4)
        >>> F.batch_norm(x, rm, rv, training=True).shape
        deepgrad.Size([32, 4, 8, 8])
    """
    if input.dim() < 2:
        raise IndexError(f"batch_norm: Dimension out of range (expected input of at least 2 "
                         f"dims, got {input.dim()}D input of shape {tuple(input.shape)})")
    if training:
        _verify_batch_size(input.size())
    if training and eps <= 0.0:
        raise ValueError(f"batch_norm eps must be positive during training, but got {eps}")
    if eps < 0.0:
        raise ValueError(f"batch_norm eps must be non-negative, but got {eps}")
    channels = input.shape[1]
    for name, t in (("running_mean", running_mean), ("running_var", running_var),
                    ("weight", weight), ("bias", bias)):
        _check_channels(name, t, channels, input.shape)
    return BatchNormFunction.apply(input, weight, bias, running_mean, running_var,
                                   bool(training), momentum, eps)


def _verify_spatial_size(size) -> None:
    if _prod(size[2:]) == 1:
        raise ValueError(
            f"Expected more than 1 spatial element when training, got input size {size}")


def instance_norm(input, running_mean=None, running_var=None, weight=None, bias=None,
                  use_input_stats: bool = True, momentum: float = 0.1, eps: float = 1e-5):
    """Instance normalization: each (sample, channel) slice of (N, C, *) input is normalized
    over its spatial dims.

    With ``use_input_stats`` (training) the per-instance statistics are used and, when
    ``running_mean`` / ``running_var`` (C,) are given, their average over the batch is blended
    into them; otherwise the running statistics normalize. ``weight``/``bias`` (C,) are the
    optional affine transform. Returns a tensor of the input's shape.

    Example::

        >>> F.instance_norm(deepgrad.randn(2, 3, 16)).shape
        deepgrad.Size([2, 3, 16])
    """
    if use_input_stats:
        _verify_spatial_size(input.size())
    shape = tuple(input.shape)
    n, c = shape[0], shape[1]
    for name, t in (("running_mean", running_mean), ("running_var", running_var),
                    ("weight", weight), ("bias", bias)):
        if t is not None:  # torch repeats them per sample first, and reports those sizes
            _check_channels(name, t, n * c, input.shape, n * t.numel())
    # One batch of N*C channels: batch norm over it is instance norm (as torch computes it).
    tiled = [None if t is None else Tensor._make(xp.tile(t.data, n))
             for t in (running_mean, running_var)]
    out = BatchNormFunction.apply(input.reshape((1, n * c) + shape[2:]), None, None, *tiled,
                                  bool(use_input_stats), momentum, eps)
    if use_input_stats:
        for buffer, t in zip((running_mean, running_var), tiled):
            if buffer is not None:
                _write_into(buffer, t.data.reshape(n, c).mean(0))
    out = out.reshape(shape)
    channel_shape = (c,) + (1,) * (len(shape) - 2)
    if weight is not None:
        out = out * weight.reshape(channel_shape)
    if bias is not None:
        out = out + bias.reshape(channel_shape)
    return out


# ---------------------------------------------------------------------------- layer norm
class LayerNormFunction(Function):
    """Fused layer normalization over the last ``n_norm`` dims, with optional elementwise
    ``weight`` and ``bias`` of those dims' shape."""

    _array_forward = True

    @staticmethod
    def forward(ctx, x, weight, bias, n_norm, eps):
        a = x.data
        dt = a.dtype
        m = _prod(a.shape[a.ndim - n_norm:])
        rows = _prod(a.shape[:a.ndim - n_norm])
        a2 = a.reshape(rows, m)
        with np.errstate(invalid="ignore", divide="ignore"):
            mean = (_row_sums(a2) / m).astype(dt)[:, None]
            xhat = a2 - mean
            var = (_row_sums(xhat, xhat) / m).astype(dt)[:, None]
            rstd = 1.0 / xp.sqrt(var + dt.type(eps))
        xhat *= rstd
        if weight is not None:
            y = xhat * weight.data.reshape(m).astype(dt, copy=False)
            if bias is not None:
                y += bias.data.reshape(m).astype(dt, copy=False)
        elif bias is not None:
            y = xhat + bias.data.reshape(m).astype(dt, copy=False)
        else:
            y = xhat.copy()
        if any(ctx.needs_input_grad[:3]):
            ctx.save_for_backward(x, weight)
            ctx.n_norm, ctx.eps, ctx.xhat, ctx.rstd = n_norm, eps, xhat, rstd
        return y.reshape(a.shape)

    @staticmethod
    def backward(ctx, grad):
        if is_grad_enabled():
            return _layer_norm_backward_composed(ctx, grad)
        x, weight = ctx.saved_tensors
        need_x, need_w, need_b = ctx.needs_input_grad[:3]
        xhat, rstd = ctx.xhat, ctx.rstd
        rows, m = xhat.shape
        g = grad.data.reshape(rows, m)
        dt = g.dtype
        dx = dw = db = None
        if need_x:
            dxhat = g if weight is None else g * weight.data.reshape(m).astype(dt, copy=False)
            mean_d = (_row_sums(dxhat) / m).astype(dt)[:, None]
            mean_dx = (_row_sums(dxhat, xhat) / m).astype(dt)[:, None]
            dx = xhat * mean_dx
            np.subtract(dxhat, dx, out=dx)
            dx -= mean_d
            dx *= rstd
            dx = Tensor._make(dx.reshape(x.data.shape))
        shape = x.data.shape[x.data.ndim - ctx.n_norm:]
        if need_w:
            dw = Tensor._make(xp.einsum("ij,ij->j", g, xhat).reshape(shape))
        if need_b:
            db = Tensor._make(xp.einsum("ij->j", g).reshape(shape))
        return dx, dw, db


def _layer_norm_backward_composed(ctx, grad):
    """The layer norm gradient with Tensor ops (differentiable again, for create_graph)."""
    x, weight = ctx.saved_tensors
    need_x, need_w, need_b = ctx.needs_input_grad[:3]
    nd = x.dim()
    dims = tuple(range(nd - ctx.n_norm, nd))
    lead = tuple(range(nd - ctx.n_norm))
    centered = x - x.mean(dims, keepdim=True)
    rstd = ((centered * centered).mean(dims, keepdim=True) + ctx.eps).rsqrt()
    xhat = centered * rstd
    dx = dw = db = None
    if need_x:
        dxhat = grad if weight is None else grad * weight
        dx = rstd * (dxhat - dxhat.mean(dims, keepdim=True)
                     - xhat * (dxhat * xhat).mean(dims, keepdim=True))
    if need_w:
        dw = (grad * xhat).sum(lead) if lead else grad * xhat
    if need_b:
        db = grad.sum(lead) if lead else grad
    return dx, dw, db


def _normalized_dims(input, normalized_shape, name: str, sep: str = ", "):
    if isinstance(normalized_shape, int):
        raise TypeError(f"{name}(): argument 'normalized_shape' (position 2) must be tuple of "
                        "ints, not int")
    normalized = tuple(int(s) for s in normalized_shape)
    k = len(normalized)
    if k == 0 or tuple(input.shape[input.dim() - k:]) != normalized or input.dim() < k:
        raise RuntimeError(
            f"Given normalized_shape={list(normalized)}, expected input with shape "
            f"[*{sep}{', '.join(map(str, normalized))}], but got input of size"
            f"{list(input.shape)}")
    return normalized


def _check_affine_shape(name: str, t, normalized) -> None:
    if t is not None and tuple(t.shape) != normalized:
        raise RuntimeError(f"Expected {name} to be of same shape as normalized_shape, but got "
                           f"{name} of shape {list(t.shape)} and normalized_shape = "
                           f"{list(normalized)}")


def layer_norm(input, normalized_shape, weight=None, bias=None, eps: float = 1e-5):
    """Layer normalization over the trailing dims given by ``normalized_shape``.

    Shapes: input (*, *normalized_shape); weight and bias (normalized_shape) or None; the
    output has the input's shape. Statistics: mean and biased variance of each slice.

    Example::

        >>> x = deepgrad.randn(4, 10, 32)
        >>> F.layer_norm(x, (32,), deepgrad.ones(32), deepgrad.zeros(32)).shape
        deepgrad.Size([4, 10, 32])
    """
    normalized = _normalized_dims(input, normalized_shape, "layer_norm")
    _check_affine_shape("weight", weight, normalized)
    _check_affine_shape("bias", bias, normalized)
    return LayerNormFunction.apply(input, weight, bias, len(normalized), eps)


def group_norm(input, num_groups: int, weight=None, bias=None, eps: float = 1e-5):
    """Group normalization: the C channels of (N, C, *) input are split into ``num_groups``
    groups, each normalized over its channels and spatial dims; ``weight``/``bias`` (C,) are
    a per-channel affine transform. Returns a tensor of the input's shape.

    Example::

        >>> F.group_norm(deepgrad.randn(2, 6, 5), 3).shape
        deepgrad.Size([2, 6, 5])
    """
    if input.dim() < 2:
        raise RuntimeError(
            f"Expected at least 2 dimensions for input tensor but received {input.dim()}")
    shape = tuple(input.shape)
    n, c = shape[0], shape[1]
    _verify_batch_size([n * c // num_groups, num_groups] + list(shape[2:]))
    if c % num_groups:
        raise RuntimeError(f"Expected number of channels in input to be divisible by "
                           f"num_groups, but got input of shape {list(shape)} and "
                           f"num_groups={num_groups}")
    for name, t in (("weight", weight), ("bias", bias)):
        if t is not None and (t.dim() != 1 or t.numel() != c):
            raise RuntimeError(f"Expected {name} to be a vector of size equal to the number of "
                               f"channels in input, but got {name} of shape {list(t.shape)} "
                               f"and input of shape {list(shape)}")
    grouped = input.reshape(n, num_groups, _prod(shape[1:]) // num_groups)
    out = LayerNormFunction.apply(grouped, None, None, 1, eps).reshape(shape)
    channel_shape = (c,) + (1,) * (len(shape) - 2)
    if weight is not None:
        out = out * weight.reshape(channel_shape)
    if bias is not None:
        out = out + bias.reshape(channel_shape)
    return out


# ---------------------------------------------------------------------------- composed norms
def rms_norm(input, normalized_shape, weight=None, eps: float | None = None):
    """Root-mean-square normalization: ``x / sqrt(mean(x^2) + eps) * weight`` over the trailing
    dims ``normalized_shape``; ``eps=None`` uses ``finfo(input.dtype).eps`` like torch.

    Shapes: input (*, *normalized_shape), weight (normalized_shape) or None -> input's shape.

    Example::

        >>> F.rms_norm(deepgrad.randn(4, 8), (8,)).shape
        deepgrad.Size([4, 8])
    """
    normalized = _normalized_dims(input, normalized_shape, "rms_norm", sep="")
    _check_affine_shape("weight", weight, normalized)
    if eps is None:
        eps = float(np.finfo(input.data.dtype).eps)
    nd = input.dim()
    dims = tuple(range(nd - len(normalized), nd))
    out = input * ((input * input).mean(dims, keepdim=True) + eps).rsqrt()
    return out if weight is None else out * weight


def local_response_norm(input, size: int, alpha: float = 1e-4, beta: float = 0.75,
                        k: float = 1.0):
    """Normalize each channel of (N, C, *) input by the squares of its ``size`` neighbouring
    channels: ``x / (k + alpha / size * sum_window(x^2)) ** beta`` (zero-padded window).

    Example::

        >>> F.local_response_norm(deepgrad.randn(2, 6, 4, 4), 3).shape
        deepgrad.Size([2, 6, 4, 4])
    """
    dim = input.dim()
    if dim < 3:
        raise ValueError(f"Expected 3D or higher dimensionality input (got {dim} dimensions)")
    if input.numel() == 0:
        return input
    shape = tuple(input.shape)
    n, c = shape[0], shape[1]
    squares = (input * input).reshape(n, c, _prod(shape[2:]))
    padded = movement.pad(squares, (0, 0, size // 2, (size - 1) // 2))
    window = padded.narrow(1, 0, c)
    for i in range(1, size):  # a loop over the (small) window, not over elements
        window = window + padded.narrow(1, i, c)
    div = ((window / size) * alpha + k) ** beta
    return input / div.reshape(shape)
