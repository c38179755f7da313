"""Embedding lookup: rows gathered by index, gradients summed per row without ``np.add.at``."""
from __future__ import annotations

import numpy as np

from .._tensor import Tensor
from ..autograd.function import Function
from ..backend import xp


def index_add_rows(n_rows: int, index: np.ndarray, values: np.ndarray) -> np.ndarray:
    """``out[index[i]] += values[i]`` for (n_rows, ...) ``out``: sort, then one segment sum
    (``np.add.reduceat``) instead of the slow unbuffered ``np.add.at``."""
    out = xp.zeros((n_rows,) + values.shape[1:], dtype=values.dtype)
    if index.size == 0:
        return out
    order = xp.argsort(index, kind="stable")
    sorted_idx = index[order]
    starts = xp.flatnonzero(xp.r_[True, sorted_idx[1:] != sorted_idx[:-1]])
    out[sorted_idx[starts]] = xp.add.reduceat(values[order], starts, axis=0)
    return out


class Embedding(Function):
    """``weight[index]``; backward sums gradient rows per index (padding row excluded)."""

    _array_forward = True

    @staticmethod
    def forward(ctx, weight, index, padding_idx, scale_grad_by_freq):
        ctx.n, ctx.index = weight.data.shape[0], index
        ctx.padding_idx, ctx.scale = padding_idx, scale_grad_by_freq
        return weight.data[index]

    @staticmethod
    def backward(ctx, g):
        return EmbeddingBackward.apply(g, ctx.n, ctx.index, ctx.padding_idx, ctx.scale)


class EmbeddingBackward(Function):
    _array_forward = True

    @staticmethod
    def forward(ctx, g, n, index, padding_idx, scale_grad_by_freq):
        ctx.index, ctx.padding_idx = index, padding_idx
        flat_idx = index.reshape(-1)
        gd = g.data.reshape(flat_idx.size, -1)
        if scale_grad_by_freq:
            counts = np.bincount(flat_idx % n, minlength=n)
            gd = gd / counts[flat_idx % n][:, None]
        out = index_add_rows(n, flat_idx % n, gd)
        if padding_idx is not None:
            out[padding_idx] = 0
        ctx.mask = None
        return out

    @staticmethod
    def backward(ctx, gg):
        rows = gg[Tensor._make(ctx.index)]
        if ctx.padding_idx is not None:
            keep = Tensor._make((ctx.index != ctx.padding_idx)[..., None])
            rows = rows * keep
        return rows
