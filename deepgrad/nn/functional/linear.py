"""Functional forms of linear layers, embeddings, dropout and vector utilities."""
from __future__ import annotations

import numpy as np

from ... import _dtype
from ..._tensor import Tensor
from ...autograd.grad_mode import no_grad
from ...backend import xp
from ...ops import elementwise as ew
from ...ops import linalg, reduction
from ...ops._util import to_tensor
from ...random import _resolve


def linear(input, weight, bias=None):
    """``input @ weight.T + bias``: (*, in_features) -> (*, out_features)."""
    if input.shape[-1:] != weight.shape[-1:]:
        raise RuntimeError(
            f"linear: input of shape {tuple(input.shape)} does not match weight of shape "
            f"{tuple(weight.shape)} ({input.shape[-1] if input.dim() else 'scalar'} != "
            f"{weight.shape[-1]})")
    out = linalg.matmul(input, weight.mT if weight.dim() == 2 else weight)
    return out if bias is None else out + bias


def bilinear(input1, input2, weight, bias=None):
    """``y_k = x1^T W_k x2 + b_k``: (N, in1), (N, in2), weight (out, in1, in2) -> (N, out)."""
    out = linalg.einsum("...i,oij,...j->...o", input1, weight, input2)
    return out if bias is None else out + bias


def dropout(input, p: float = 0.5, training: bool = True, inplace: bool = False):
    """Zero each element with probability ``p`` and scale the rest by ``1/(1-p)`` in training."""
    if not 0.0 <= p <= 1.0:
        raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")
    if not training or p == 0.0:
        return input
    if p == 1.0:
        return input * 0.0
    keep = 1.0 - p
    mask = (_resolve(None).random(input.shape, dtype=np.float32) < keep).astype(
        input.data.dtype) * input.data.dtype.type(1.0 / keep)
    out = input * Tensor._make(mask)
    if inplace:
        return input.copy_(out) if not input.requires_grad else out
    return out


def _channel_dropout(input, p, training, min_dim, name):
    if not 0.0 <= p <= 1.0:
        raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")
    if not training or p == 0.0:
        return input
    if input.dim() < min_dim:
        raise RuntimeError(f"{name}: expected input of at least {min_dim} dims, got "
                           f"{tuple(input.shape)}")
    keep = 1.0 - p
    shape = tuple(input.shape[:2]) + (1,) * (input.dim() - 2)
    mask = (_resolve(None).random(shape) < keep).astype(input.data.dtype)
    mask = mask / keep if keep > 0 else mask
    return input * Tensor._make(mask)


def dropout1d(input, p=0.5, training=True, inplace=False):
    """Zero whole channels of (N, C, L) input."""
    return _channel_dropout(input, p, training, 3, "dropout1d")


def dropout2d(input, p=0.5, training=True, inplace=False):
    """Zero whole channels of (N, C, H, W) input."""
    return _channel_dropout(input, p, training, 3, "dropout2d")


def dropout3d(input, p=0.5, training=True, inplace=False):
    return _channel_dropout(input, p, training, 4, "dropout3d")


_SELU_ALPHA = 1.6732632423543772848170429916717
_SELU_SCALE = 1.0507009873554804934193349852946


def alpha_dropout(input, p: float = 0.5, training: bool = False, inplace: bool = False):
    """Dropout that keeps SELU's self-normalizing mean and variance."""
    if not 0.0 <= p <= 1.0:
        raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")
    if not training or p == 0.0:
        return input
    if p == 1.0:
        return input * 0.0
    alpha_p = -_SELU_ALPHA * _SELU_SCALE
    keep = 1.0 - p
    a = (keep * (1 + p * alpha_p ** 2)) ** -0.5
    b = -a * alpha_p * p
    mask = (_resolve(None).random(input.shape) < keep).astype(input.data.dtype)
    m = Tensor._make(mask)
    return (input * m + alpha_p * (1 - m)) * a + b


def one_hot(tensor, num_classes: int = -1):
    """(*) int64 class indices -> (*, num_classes) int64 one-hot."""
    t = to_tensor(tensor)
    if t.data.dtype.kind not in "iu":
        raise RuntimeError("one_hot is only applicable to index tensor of type LongTensor.")
    idx = t.data
    if num_classes == -1:
        num_classes = int(idx.max()) + 1 if idx.size else 0
    if idx.size and (idx.min() < 0 or idx.max() >= num_classes):
        raise RuntimeError("Class values must be smaller than num_classes." if idx.size and
                           idx.max() >= num_classes else "Class values must be non-negative.")
    out = (idx[..., None] == xp.arange(num_classes)).astype(np.int64)
    return Tensor._make(out)


def normalize(input, p: float = 2.0, dim: int = 1, eps: float = 1e-12, out=None):
    """``input / max(||input||_p, eps)`` along ``dim``."""
    n = reduction.norm(input, p, dim, keepdim=True)
    return input / ew.clamp(n, min=eps).expand_as(input)


def cosine_similarity(x1, x2, dim: int = 1, eps: float = 1e-8):
    """Cosine of the angle between ``x1`` and ``x2`` along ``dim`` (broadcast)."""
    x1, x2 = to_tensor(x1), to_tensor(x2)
    n1 = ew.clamp(reduction.norm(x1, 2, dim, keepdim=True), min=eps)
    n2 = ew.clamp(reduction.norm(x2, 2, dim, keepdim=True), min=eps)
    return reduction.sum((x1 / n1) * (x2 / n2), dim)


def pairwise_distance(x1, x2, p: float = 2.0, eps: float = 1e-6, keepdim: bool = False):
    """``||x1 - x2 + eps||_p`` along the last dim."""
    diff = x1 - x2 + eps
    return reduction.norm(diff, p, -1, keepdim)


def pdist(input, p: float = 2.0):
    n = input.shape[0]
    i, j = np.triu_indices(n, 1)
    diff = input[Tensor._make(i)] - input[Tensor._make(j)]
    return reduction.norm(diff, p, -1)


def embedding(input, weight, padding_idx=None, max_norm=None, norm_type: float = 2.0,
              scale_grad_by_freq: bool = False, sparse: bool = False):
    """Rows of ``weight`` at the integer ``input`` indices: (*) -> (*, embedding_dim).

    The row at ``padding_idx`` gets no gradient; ``max_norm`` renormalizes looked-up rows
    in place first (like torch).
    """
    from ...ops.sparse import Embedding as _EmbeddingFn

    idx = to_tensor(input)
    if idx.data.dtype.kind not in "iu":
        raise RuntimeError("Expected tensor for argument #1 'indices' to have one of the "
                           f"following scalar types: Long, Int; but got {idx.dtype} instead")
    n = weight.shape[0]
    if idx.data.size and (idx.data.min() < -n or idx.data.max() >= n):
        raise IndexError(f"index out of range in self (embedding of {n} rows, index "
                         f"{int(idx.data.max()) if idx.data.max() >= n else int(idx.data.min())})")
    if padding_idx is not None and padding_idx < 0:
        padding_idx += n
    if max_norm is not None:
        with no_grad():
            rows = np.unique(idx.data)
            w = weight.data[rows]
            norms = np.linalg.norm(w.astype(np.float64), ord=norm_type, axis=1)
            scale = np.where(norms > max_norm, max_norm / (norms + 1e-7), 1.0)
            weight.data[rows] = (w * scale[:, None]).astype(weight.data.dtype)
            if weight._vc is not None:
                weight._vc.value += 1
    return _EmbeddingFn.apply(weight, idx.data, padding_idx, scale_grad_by_freq)


def embedding_bag(input, weight, offsets=None, max_norm=None, norm_type=2, scale_grad_by_freq=False,
                  mode="mean", sparse=False, per_sample_weights=None, include_last_offset=False,
                  padding_idx=None):
    """Sum/mean/max of embeddings per bag: 2-D input (B, L) is B bags; 1-D input uses
    ``offsets`` (start of each bag)."""
    idx = to_tensor(input)
    if idx.dim() == 2:
        if offsets is not None:
            raise ValueError("if input is 2D, then offsets has to be None")
        b, length = idx.shape
        bag = np.repeat(np.arange(b), length)
        flat = idx.reshape(-1)
        n_bags = b
    else:
        if offsets is None:
            raise ValueError("offsets has to be a 1D Tensor but got None")
        off = to_tensor(offsets).data.astype(np.int64)
        if include_last_offset:
            off = off[:-1]
        n_bags = off.shape[0]
        bag = np.searchsorted(off, np.arange(idx.shape[0]), side="right") - 1
        flat = idx
    emb = embedding(flat, weight, padding_idx, max_norm, norm_type)
    keep = np.ones(flat.shape[0], dtype=bool) if padding_idx is None else (
        flat.data != (padding_idx % weight.shape[0]))
    if per_sample_weights is not None:
        if mode != "sum":
            raise NotImplementedError("embedding_bag: per_sample_weights only supported with "
                                      "mode='sum'")
        emb = emb * per_sample_weights.reshape(-1, 1)
    bag_t = Tensor._make(bag[keep].astype(np.int64))
    emb = emb[Tensor._make(np.nonzero(keep)[0])] if not keep.all() else emb
    d = weight.shape[1]
    if mode == "max":
        out_rows = []
        from ...ops.movement import stack

        for k in range(n_bags):
            sel = np.nonzero(bag[keep] == k)[0]
            out_rows.append(reduction.amax(emb[Tensor._make(sel)], 0) if sel.size else
                            weight.new_zeros(d))
        return stack(out_rows)
    zeros = Tensor._make(xp.zeros((n_bags, d), dtype=weight.data.dtype))
    out = zeros.index_add(0, bag_t, emb)
    if mode == "mean":
        counts = np.bincount(bag[keep], minlength=n_bags).astype(weight.data.dtype)
        out = out / Tensor._make(np.maximum(counts, 1)[:, None])
    elif mode != "sum":
        raise ValueError(f"embedding_bag: mode has to be one of sum, mean or max, got {mode}")
    return out


def _float(x):
    return x.is_floating_point() or x.dtype is _dtype.bfloat16
