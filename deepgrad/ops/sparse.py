"""Embedding lookup and row (segment) sums, without ``np.add.at``.

``Embedding`` gathers rows of a weight matrix by index; its gradient sums the incoming rows per
index with one sort and one ``np.add.reduceat`` (``index_add_rows``). ``IndexAddRows`` is that
sum as a differentiable op (its backward is a gather), used for embedding bags.
"""
from __future__ import annotations

import numpy as np

from .._tensor import Tensor
from ..autograd.function import Function
from ..backend import xp
from .indexing import add_along


def index_add_rows(n_rows: int, index: np.ndarray, values: np.ndarray) -> np.ndarray:
    """``out[index[i]] += values[i]`` for a fresh (n_rows, ...) ``out`` (duplicates summed)."""
    out = xp.zeros((n_rows,) + values.shape[1:], dtype=values.dtype)
    add_along(out, 0, index, values)
    return out


class IndexAddRows(Function):
    """``index_add_rows`` as an op: rows (K, ...) summed into (n_rows, ...) by ``index`` (K,);
    the backward gathers the gradient rows back (its adjoint)."""

    _array_forward = True

    @staticmethod
    def forward(ctx, values, n_rows, index):
        ctx.index = index
        return index_add_rows(n_rows, index, values.data)

    @staticmethod
    def backward(ctx, g):
        return g[Tensor._make(ctx.index)]


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


def _inverse_counts(flat_idx: np.ndarray, n: int, dtype) -> np.ndarray:
    """1 / (how often each entry's index occurs), per entry (scale_grad_by_freq)."""
    counts = np.bincount(flat_idx, minlength=n)
    return (1.0 / counts[flat_idx]).astype(dtype)


class EmbeddingBackward(Function):
    """The embedding gradient as an op of ``g``, so that double backward works."""

    _array_forward = True

    @staticmethod
    def forward(ctx, g, n, index, padding_idx, scale_grad_by_freq):
        ctx.index, ctx.padding_idx = index, padding_idx
        flat_idx = index.reshape(-1)
        gd = g.data.reshape(flat_idx.size, -1)
        if scale_grad_by_freq:
            gd = gd * _inverse_counts(flat_idx, n, gd.dtype)[:, None]
        out = index_add_rows(n, flat_idx, gd)
        if padding_idx is not None:
            out[padding_idx] = 0
        return out

    @staticmethod
    def backward(ctx, gg):
        # Not scaled by frequency even with scale_grad_by_freq: the weight's gradient is
        # scaled once, by Embedding.backward, in every order (torch's convention).
        rows = gg[Tensor._make(ctx.index)]
        if ctx.padding_idx is not None:
            keep = (ctx.index != ctx.padding_idx)[..., None].astype(gg.data.dtype)
            rows = rows * Tensor._make(keep)
        return rows
