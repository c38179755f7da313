"""Functional forms of linear layers, embeddings, dropout and vector utilities.

Example::

    >>> import deepgrad.nn.functional as F
    >>> F.linear(deepgrad.randn(8, 3), deepgrad.randn(5, 3)).shape
    deepgrad.Size([8, 5])
"""
from __future__ import annotations

import warnings

import numpy as np

from ..._tensor import Tensor, bump_version
from ...autograd.function import Function
from ...autograd.grad_mode import is_grad_enabled
from ...autograd.grad_mode import no_grad
from ...backend import xp
from ...ops import elementwise as ew
from ...ops import linalg, reduction
from ...ops._util import broadcast_shapes, cast, result_dtype, to_tensor
from ...ops.sparse import Embedding as _EmbeddingFn
from ...ops.sparse import IndexAddRows
from ...random import _resolve

__all__ = [
    "linear", "bilinear", "dropout", "dropout1d", "dropout2d", "dropout3d", "alpha_dropout",
    "feature_alpha_dropout", "one_hot", "normalize", "cosine_similarity", "pairwise_distance",
    "pdist", "embedding", "embedding_bag",
]


# ---------------------------------------------------------------------------- linear maps
def linear(input, weight, bias=None):
    """``input @ weight.T + bias``: input (*, in_features), weight (out_features, in_features)
    or (in_features,), bias (out_features,) or None -> (*, out_features).

    Inputs with more than two dims are folded to 2-D first, so forward and backward are each
    one GEMM.

    Example::

        >>> F.linear(deepgrad.randn(4, 7, 3), deepgrad.randn(5, 3), deepgrad.zeros(5)).shape
        deepgrad.Size([4, 7, 5])
    """
    k = input.shape[-1] if input.dim() else None
    if weight.dim() not in (1, 2) or k != weight.shape[-1]:
        rows = _prod(input.shape[:-1]) if input.dim() > 1 else 1
        w_shape = "x".join(map(str, tuple(weight.shape)[::-1]))
        raise RuntimeError(
            f"linear: mat1 and mat2 shapes cannot be multiplied ({rows}x{k} and {w_shape}) "
            f"(input of shape {tuple(input.shape)}, weight of shape {tuple(weight.shape)})")
    if (weight.dim() == 2 and input.dim() >= 1 and input.data.dtype == weight.data.dtype
            and (bias is None or (bias.dim() == 1 and bias.data.dtype == weight.data.dtype))):
        return Linear.apply(input, weight, bias)
    if input.dim() > 2 and weight.dim() == 2:
        lead = tuple(input.shape[:-1])
        out = linalg.matmul(input.reshape(-1, k), weight.mT).reshape(lead + (weight.shape[0],))
    else:
        out = linalg.matmul(input, weight.mT if weight.dim() == 2 else weight)
    return out if bias is None else out + bias


class Linear(Function):
    """Fused ``x @ w.T + b``: one GEMM forward with the bias added in place; backward computes
    ``g @ w``, ``g.T @ x`` (already in ``w``'s layout) and ``g.sum(0)`` directly, so no
    transpose node and no gradient copy at the leaves. Under create_graph the gradients are
    built from tensor ops (differentiable again); the composed path above is the reference."""

    _array_forward = True

    @staticmethod
    def forward(ctx, x, w, b):
        xd = x.data
        x2 = xd.reshape(-1, xd.shape[-1]) if xd.ndim != 2 else xd
        out = x2 @ w.data.T
        if b is not None:
            out += b.data
        if any(ctx.needs_input_grad):
            ctx.save_for_backward(x if ctx.needs_input_grad[1] else None,
                                  w if ctx.needs_input_grad[0] else None)
        ctx.x_shape = xd.shape
        return out.reshape(xd.shape[:-1] + (w.data.shape[0],)) if xd.ndim != 2 else out

    @staticmethod
    def backward(ctx, g):
        x, w = ctx.saved_tensors
        need_x, need_w, need_b = ctx.needs_input_grad
        shape = ctx.x_shape
        if is_grad_enabled():  # create_graph: differentiable tensor ops
            g2 = g.reshape(-1, g.shape[-1])
            gx = (g2 @ w).reshape(shape) if need_x else None
            gw = g2.mT @ x.reshape(-1, shape[-1]) if need_w else None
            gb = g2.sum(0) if need_b else None
            return gx, gw, gb
        gd = g.data
        g2 = gd.reshape(-1, gd.shape[-1]) if gd.ndim != 2 else gd
        gx = Tensor._make((g2 @ w.data).reshape(shape)) if need_x else None
        gw = None
        if need_w:
            xd = x.data
            gw = Tensor._make(g2.T @ (xd.reshape(-1, shape[-1]) if xd.ndim != 2 else xd))
        gb = Tensor._make(g2.sum(axis=0)) if need_b else None
        return gx, gw, gb


def _prod(shape) -> int:
    n = 1
    for s in shape:
        n *= s
    return n


def bilinear(input1, input2, weight, bias=None):
    """``y_k = x1^T W_k x2 + b_k``: input1 (*, in1), input2 (*, in2), weight (out, in1, in2),
    bias (out,) or None -> (*, out).

    Example::

        >>> F.bilinear(deepgrad.randn(8, 3), deepgrad.randn(8, 4), deepgrad.randn(5, 3, 4)).shape
        deepgrad.Size([8, 5])
    """
    if input1.dim() != input2.dim():
        raise RuntimeError(f"bilinear(): input dimensions do not match: got {input1.dim()} and "
                           f"{input2.dim()}")
    for d in range(input1.dim() - 1):
        if input1.shape[d] != input2.shape[d]:
            raise RuntimeError(f"bilinear(): input batch dimensions do not match at dim {d}: "
                               f"got {input1.shape[d]} and {input2.shape[d]}")
    if weight.dim() != 3:
        raise RuntimeError(f"bilinear(): weight must be 3-D (out, in1, in2), got shape "
                           f"{tuple(weight.shape)}")
    if input1.shape[-1] != weight.shape[1]:
        raise RuntimeError(f"bilinear(): input1 size does not match weight size: got "
                           f"{input1.shape[-1]} but expected {weight.shape[1]}")
    if input2.shape[-1] != weight.shape[2]:
        raise RuntimeError(f"bilinear(): input2 size does not match weight size: got "
                           f"{input2.shape[-1]} but expected {weight.shape[2]}")
    if bias is not None and (bias.dim() != 1 or bias.shape[0] != weight.shape[0]):
        raise RuntimeError(f"bilinear(): bias size does not match weight size: got "
                           f"{bias.shape[-1] if bias.dim() else 1} but expected "
                           f"{weight.shape[0]}")
    out = linalg.einsum("...i,oij,...j->...o", input1, weight, input2)
    return out if bias is None else out + bias


# ---------------------------------------------------------------------------- dropout
def _check_p(p: float) -> None:
    if p < 0.0 or p > 1.0:
        raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")


def _apply_mask(input, mask: np.ndarray, inplace: bool, shift: np.ndarray | None = None):
    """``input * mask (+ shift)``; with ``inplace`` written into ``input`` (as torch does)."""
    def fn(x):
        out = x * Tensor._make(mask)
        return out if shift is None else out + Tensor._make(shift)

    if not inplace:
        return fn(input)
    from ...ops.inplace import apply_inplace

    return apply_inplace(input, fn, "dropout_")


def _keep_mask(shape, keep: float, dtype) -> np.ndarray:
    """1 where an element (or channel) is kept (probability ``keep``), else 0."""
    return (_resolve(None).random(shape, dtype=np.float32) < keep).astype(dtype)


def _noise_shape(input, channel_dims: int):
    """The shape of the random mask: per element (``channel_dims=0``) or per channel, i.e.
    the input's leading ``channel_dims`` dims with ones after (1 for unbatched input)."""
    if not channel_dims:
        return tuple(input.shape)
    if input.dim() < 2:
        raise RuntimeError("Feature dropout requires at least 2 dimensions in the input")
    return tuple(input.shape[:channel_dims]) + (1,) * (input.dim() - channel_dims)


def _dropout(input, p, training, inplace, channel_dims=0):
    if not training or p == 0.0 or input.numel() == 0:
        return input
    shape = _noise_shape(input, channel_dims)
    dt = input.data.dtype
    if p == 1.0:
        return _apply_mask(input, np.zeros((), dtype=dt), inplace)
    mask = _keep_mask(shape, 1.0 - p, dt)
    mask *= dt.type(1.0 / (1.0 - p))
    return _apply_mask(input, mask, inplace)


def dropout(input, p: float = 0.5, training: bool = True, inplace: bool = False):
    """Zero each element with probability ``p`` and scale the rest by ``1/(1-p)`` (training
    only; identity otherwise). (*) -> (*). Random draws come from deepgrad's default generator
    (``deepgrad.manual_seed``).

    Example::

        >>> F.dropout(deepgrad.ones(4), 0.5, training=False)
        tensor([1., 1., 1., 1.])
    """
    _check_p(p)
    return _dropout(input, p, training, inplace)


def dropout1d(input, p: float = 0.5, training: bool = True, inplace: bool = False):
    """Zero whole channels of (N, C, L) or (C, L) input with probability ``p``, scaling the
    rest by ``1/(1-p)``."""
    _check_p(p)
    nd = input.dim()
    if nd not in (2, 3):
        raise RuntimeError(
            f"dropout1d: Expected 2D or 3D input, but received a {nd}D input. Note that "
            "dropout1d exists to provide channel-wise dropout on inputs with 1 spatial "
            "dimension, a channel dimension, and an optional batch dimension (i.e. 2D or 3D "
            "inputs).")
    return _dropout(input, p, training, inplace, channel_dims=nd - 1)


def dropout2d(input, p: float = 0.5, training: bool = True, inplace: bool = False):
    """Zero whole channels of (N, C, H, W) input with probability ``p``, scaling the rest by
    ``1/(1-p)``. A 3-D input is read as (N, C, L), as torch does (with a warning)."""
    _check_p(p)
    nd = input.dim()
    if nd not in (3, 4):
        warnings.warn(
            f"dropout2d: Received a {nd}-D input to dropout2d, which is deprecated and will "
            "result in an error in a future release. To retain the behavior and silence this "
            "warning, please use dropout instead. Note that dropout2d exists to provide "
            "channel-wise dropout on inputs with 2 spatial dimensions, a channel dimension, "
            "and an optional batch dimension (i.e. 3D or 4D inputs).", stacklevel=2)
    if nd == 3:
        warnings.warn(
            "dropout2d: Received a 3D input to dropout2d and assuming that channel-wise 1D "
            "dropout behavior is desired - input is interpreted as shape (N, C, L), where C is "
            "the channel dim. This behavior will change in a future release to interpret the "
            "input as one without a batch dimension, i.e. shape (C, H, W). To maintain the 1D "
            "channel-wise dropout behavior, please switch to using dropout1d instead.",
            stacklevel=2)
    return _dropout(input, p, training, inplace, channel_dims=2)


def dropout3d(input, p: float = 0.5, training: bool = True, inplace: bool = False):
    """Zero whole channels of (N, C, D, H, W) or (C, D, H, W) input with probability ``p``,
    scaling the rest by ``1/(1-p)``."""
    _check_p(p)
    nd = input.dim()
    if nd not in (4, 5):
        warnings.warn(
            f"dropout3d: Received a {nd}-D input to dropout3d, which is deprecated and will "
            "result in an error in a future release. To retain the behavior and silence this "
            "warning, please use dropout instead. Note that dropout3d exists to provide "
            "channel-wise dropout on inputs with 3 spatial dimensions, a channel dimension, "
            "and an optional batch dimension (i.e. 4D or 5D inputs).", stacklevel=2)
    return _dropout(input, p, training, inplace, channel_dims=2 if nd == 5 else 1)


_ALPHA = 1.7580993408473766  # SELU's scale * alpha: the value SELU saturates to, negated


def _alpha_dropout(input, p, training, inplace, channel_dims):
    """Dropped elements are set to SELU's negative saturation, then an affine map keeps the
    mean and variance of a standard normal input (torch's formula)."""
    _check_p(p)
    if not training or p == 0.0 or input.numel() == 0:
        return input
    dt = input.data.dtype
    if p == 1.0:
        return _apply_mask(input, np.zeros((), dtype=dt), inplace)
    keep = _keep_mask(_noise_shape(input, channel_dims), 1.0 - p, dt)
    a = 1.0 / np.sqrt((_ALPHA * _ALPHA * p + 1) * (1 - p))
    shift = ((keep - 1) * (_ALPHA * a) + _ALPHA * a * p).astype(dt)
    return _apply_mask(input, (keep * a).astype(dt), inplace, shift)


def alpha_dropout(input, p: float = 0.5, training: bool = False, inplace: bool = False):
    """Dropout for SELU networks: keeps zero mean and unit variance of its input. (*) -> (*).
    Note torch's default ``training=False`` for the functional form."""
    return _alpha_dropout(input, p, training, inplace, channel_dims=0)


def feature_alpha_dropout(input, p: float = 0.5, training: bool = False, inplace: bool = False):
    """``alpha_dropout`` of whole channels of (N, C, *) input."""
    return _alpha_dropout(input, p, training, inplace, channel_dims=2)


# ---------------------------------------------------------------------------- vector utilities
def one_hot(tensor, num_classes: int = -1):
    """(*) int64 class indices -> (*, num_classes) int64 one-hot; ``num_classes=-1`` infers
    ``max + 1``.

    Example::

        >>> F.one_hot(deepgrad.tensor([0, 2]), 3)
        tensor([[1, 0, 0],
                [0, 0, 1]])
    """
    t = to_tensor(tensor)
    if t.data.dtype != np.int64:
        raise RuntimeError("one_hot is only applicable to index tensor of type LongTensor.")
    idx = t.data
    if num_classes == -1:
        if idx.size == 0:
            raise RuntimeError("Can not infer total number of classes from empty tensor.")
        num_classes = int(idx.max()) + 1
    if idx.size and idx.min() < 0:
        raise RuntimeError("Class values must be non-negative.")
    if idx.size and idx.max() >= num_classes:
        raise RuntimeError("Class values must be smaller than num_classes.")
    out = (idx[..., None] == xp.arange(num_classes)).astype(np.int64)
    return Tensor._make(out)


def normalize(input, p: float = 2.0, dim: int = 1, eps: float = 1e-12, out=None):
    """``input / max(||input||_p, eps)`` along ``dim``: (*) -> (*).

    Example::

        >>> F.normalize(deepgrad.tensor([[3.0, 4.0]]))
        tensor([[0.6000, 0.8000]])
    """
    n = reduction.norm(input, p, dim, keepdim=True)
    result = input / ew.clamp(n, min=eps).expand_as(input)
    if out is not None:
        return out.copy_(result)
    return result


def cosine_similarity(x1, x2, dim: int = 1, eps: float = 1e-8):
    """Cosine of the angle between ``x1`` and ``x2`` along ``dim``, after broadcasting them:
    (*, D, *) and (*, D, *) -> (*, *). Each norm is clamped to at least ``eps`` (the clamp is
    invisible to autograd, as in torch).

    Example::

        >>> F.cosine_similarity(deepgrad.tensor([[1.0, 0.0]]), deepgrad.tensor([[1.0, 1.0]]))
        tensor([0.7071])
    """
    x1, x2 = to_tensor(x1), to_tensor(x2)
    dt = result_dtype(x1, x2)
    if not dt.is_floating_point:
        raise RuntimeError(f"expected common dtype to be floating point, yet common dtype is "
                           f"{dt.name.capitalize()}")
    shape = broadcast_shapes(x1.shape, x2.shape)
    x1, x2 = cast(x1, dt).expand(shape), cast(x2, dt).expand(shape)

    def unit(x):
        n = reduction.norm(x, 2, dim, keepdim=True)
        return x / (n + (ew.clamp(n, min=eps) - n).detach())

    return reduction.sum(unit(x1) * unit(x2), dim)


def pairwise_distance(x1, x2, p: float = 2.0, eps: float = 1e-6, keepdim: bool = False):
    """``||x1 - x2 + eps||_p`` over the last dim (broadcast): (*, D), (*, D) -> (*).

    Example::

        >>> F.pairwise_distance(deepgrad.zeros(2, 3), deepgrad.ones(2, 3), eps=0.0)
        tensor([1.7321, 1.7321])
    """
    return reduction.norm(x1 - x2 + eps, p, -1, keepdim)


def pdist(input, p: float = 2.0):
    """p-norm distances between all pairs of rows of (N, M) input -> (N * (N - 1) / 2,), in the
    order of the upper triangle of the distance matrix."""
    if input.dim() != 2:
        raise RuntimeError(f"pdist only supports 2D tensors, got: {input.dim()}D")
    n = input.shape[0]
    i, j = np.triu_indices(n, 1)
    diff = input[Tensor._make(i)] - input[Tensor._make(j)]
    return reduction.norm(diff, p, -1)


# ---------------------------------------------------------------------------- embeddings
def _check_indices(idx: Tensor, op: str) -> None:
    if idx.data.dtype.kind not in "iu":
        raise RuntimeError(f"Expected tensor for argument #1 'indices' to have one of the "
                           f"following scalar types: Long, Int; but got "
                           f"{idx.dtype.name.capitalize()}Tensor instead (while checking "
                           f"arguments for {op})")


def _check_weight_2d(weight) -> None:
    if weight.dim() != 2:
        raise RuntimeError(f"'weight' must be 2-D, got shape {tuple(weight.shape)}")


def _renorm_rows_(weight, indices: np.ndarray, max_norm: float, norm_type: float) -> None:
    """Scale the rows of ``weight`` used by ``indices`` in place so that their ``norm_type``
    norm is at most ``max_norm`` (torch's ``embedding_renorm_``; not recorded by autograd)."""
    with no_grad():
        rows = np.unique(indices)
        w = weight.data[rows]
        norms = np.linalg.norm(w.astype(np.float64), ord=norm_type, axis=1)
        scale = np.where(norms > max_norm, max_norm / (norms + 1e-7), 1.0)
        weight.data[rows] = (w * scale[:, None]).astype(weight.data.dtype)
        bump_version(weight)


def embedding(input, weight, padding_idx=None, max_norm=None, norm_type: float = 2.0,
              scale_grad_by_freq: bool = False, sparse: bool = False):
    """Rows of ``weight`` (num_embeddings, embedding_dim) at the integer ``input`` indices:
    (*) -> (*, embedding_dim).

    The row at ``padding_idx`` gets no gradient; ``max_norm`` first renormalizes the looked-up
    rows of ``weight`` in place (like torch); ``scale_grad_by_freq`` divides each row's
    gradient by how often its index occurs in ``input``. ``sparse`` is accepted and ignored
    (gradients are dense).

    Example::

        >>> w = deepgrad.randn(10, 3)
        >>> F.embedding(deepgrad.tensor([[1, 2], [4, 9]]), w).shape
        deepgrad.Size([2, 2, 3])
    """
    idx = to_tensor(input)
    _check_indices(idx, "embedding")
    _check_weight_2d(weight)
    n = weight.shape[0]
    if padding_idx is not None:
        if not -n <= padding_idx < n:
            raise AssertionError("Padding_idx must be within num_embeddings")
        padding_idx = padding_idx % n
    data = idx.data
    if data.size and (data.min() < 0 or data.max() >= n):
        bad = int(data.min()) if data.min() < 0 else int(data.max())
        raise IndexError(f"index out of range in self (embedding: index {bad} for a weight of "
                         f"{n} rows)")
    if max_norm is not None:
        _renorm_rows_(weight, data, max_norm, norm_type)
    return _EmbeddingFn.apply(weight, data, padding_idx, scale_grad_by_freq)


def _bag_segments(idx: Tensor, offsets, include_last_offset: bool):
    """Flat indices, and per index its bag number (-1 if in no bag), and the number of bags."""
    if idx.dim() == 2:
        if offsets is not None:
            raise ValueError("if input is 2D, then offsets has to be None, as input is treated "
                             "is a mini-batch of fixed length sequences. However, found offsets "
                             f"of type {type(offsets)}")
        n_bags, length = idx.shape
        return idx.data.reshape(-1), np.repeat(np.arange(n_bags), length), n_bags
    if idx.dim() != 1:
        raise ValueError(f"input has to be 1D or 2D Tensor, but got Tensor of dimension "
                         f"{idx.dim()}")
    if offsets is None:
        raise ValueError("offsets has to be a 1D Tensor but got None")
    off_t = to_tensor(offsets)
    if off_t.dim() != 1:
        raise ValueError("offsets has to be a 1D Tensor")
    _check_indices(off_t, "embedding_bag")
    off = off_t.data.astype(np.int64)
    total = idx.shape[0]
    if off.size and off[0] != 0:
        raise RuntimeError(f"offsets[0] has to be 0, i.e., the first sequence in the mini-batch "
                           f"has to start from position 0. However, got {int(off[0])}")
    if off.size and off[-1] > total:
        raise RuntimeError(f"offsets[-1] can not be greater than input's length {total} but got "
                           f"offsets[-1] of {int(off[-1])}")
    if off.size > 1 and np.any(off[1:] < off[:-1]):
        raise RuntimeError(f"embedding_bag: offsets must be non-decreasing, got {off.tolist()}")
    n_bags = max(off.size - 1, 0) if include_last_offset else off.size
    bag = np.searchsorted(off, np.arange(total), side="right") - 1
    if include_last_offset and off.size:
        bag[np.arange(total) >= off[-1]] = -1  # past the last offset: in no bag
    return idx.data, bag, n_bags


def embedding_bag(input, weight, offsets=None, max_norm=None, norm_type: float = 2,
                  scale_grad_by_freq: bool = False, mode: str = "mean", sparse: bool = False,
                  per_sample_weights=None, include_last_offset: bool = False,
                  padding_idx=None):
    """Sum, mean or max of the embeddings of each bag of indices, without building the
    intermediate (*, embedding_dim) lookup per bag.

    Shapes: 2-D ``input`` (B, L) is B bags of L indices (``offsets`` must be None); 1-D
    ``input`` (K,) is split into bags starting at ``offsets`` (B,) (or (B + 1,) with
    ``include_last_offset``). weight (num_embeddings, D) -> (B, D). Empty bags give zeros;
    entries equal to ``padding_idx`` are left out of their bag (and of its mean's count).
    ``per_sample_weights`` (input's shape) weights each entry (mode 'sum' only).

    Example::

        >>> w = deepgrad.randn(10, 3)
        >>> idx, off = deepgrad.tensor([1, 2, 4, 5, 4]), deepgrad.tensor([0, 2])
        >>> F.embedding_bag(idx, w, off, mode="sum").shape
        deepgrad.Size([2, 3])
    """
    idx = to_tensor(input)
    if per_sample_weights is not None and tuple(idx.shape) != tuple(per_sample_weights.shape):
        raise ValueError(f"embedding_bag: If per_sample_weights ({per_sample_weights.shape}) is "
                         f"not None, then it must have the same shape as the input "
                         f"({idx.shape})")
    if weight.dim() != 2:
        raise ValueError(f"weight has to be a 2D Tensor, but got Tensor of dimension "
                         f"{weight.dim()}")
    flat, bag, n_bags = _bag_segments(idx, offsets, include_last_offset)
    if mode not in ("sum", "mean", "max"):
        raise ValueError("mode has to be one of sum, mean or max")
    if mode == "max" and scale_grad_by_freq:
        raise ValueError("max mode does not support scaling the gradient by the frequency")
    if mode == "max" and sparse:
        raise ValueError("max mode does not support sparse weights")
    _check_indices(idx, "embedding_bag")
    n, d = weight.shape
    if flat.size and (flat.min() < 0 or flat.max() >= n):
        bad = int(flat.min()) if flat.min() < 0 else int(flat.max())
        raise RuntimeError(f"embedding_bag: index {bad} out of range for a weight of {n} rows")
    if max_norm is not None:
        _renorm_rows_(weight, flat, max_norm, norm_type)
    if per_sample_weights is not None and mode != "sum":
        raise NotImplementedError(
            "embedding_bag: per_sample_weights was not None. per_sample_weights is only "
            f"supported for mode='sum' (got mode='{mode}'). Please open a feature request on "
            "GitHub.")
    if padding_idx is not None:
        if not -n <= padding_idx < n:
            raise RuntimeError(f"padding_idx must be within the number of embeddings, {-n} "
                               f"through {n - 1}, but got {padding_idx}")
        padding_idx %= n
    keep = bag >= 0
    if padding_idx is not None:
        keep &= flat != padding_idx
    positions = np.flatnonzero(keep)
    kept, bag = flat[positions], bag[positions]
    rows = _EmbeddingFn.apply(weight, kept, None, scale_grad_by_freq)  # (K, D)
    if mode == "max":
        return _bag_max(rows, bag, n_bags, d)
    if per_sample_weights is not None:
        psw = per_sample_weights.reshape(-1)[Tensor._make(positions)]
        rows = rows * psw.reshape(-1, 1)
    out = IndexAddRows.apply(rows, n_bags, bag)
    if mode == "mean":
        counts = np.bincount(bag, minlength=n_bags).astype(out.data.dtype)
        out = out / Tensor._make(np.maximum(counts, 1)[:, None])
    return out


def _bag_max(rows: Tensor, bag: np.ndarray, n_bags: int, d: int) -> Tensor:
    """Per bag and column, the largest entry of ``rows`` (K, D); bags are contiguous runs."""
    if bag.size == 0:
        return Tensor._make(xp.zeros((n_bags, d), dtype=rows.data.dtype))
    starts = np.flatnonzero(np.r_[True, bag[1:] != bag[:-1]])
    values = rows.data
    best = np.maximum.reduceat(values, starts, axis=0)  # (bags present, D)
    position = np.arange(bag.size)[:, None]
    is_best = values == best[np.cumsum(np.r_[True, bag[1:] != bag[:-1]]) - 1]
    first = np.minimum.reduceat(np.where(is_best, position, bag.size), starts, axis=0)
    picked = rows.gather(0, Tensor._make(first))  # differentiable pick of each maximum
    return IndexAddRows.apply(picked, n_bags, bag[starts])

