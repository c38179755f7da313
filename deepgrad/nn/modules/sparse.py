"""Lookup-table layers: Embedding and EmbeddingBag."""
from __future__ import annotations

from ... import _creation
from ...autograd.grad_mode import no_grad
from .. import functional as F
from .. import init
from ..parameter import Parameter
from .module import Module

__all__ = ["Embedding", "EmbeddingBag"]


def _factory(dtype):
    return {} if dtype is None else {"dtype": dtype}


def _check_padding_idx(padding_idx, num_embeddings: int, message: str):
    if padding_idx is None:
        return None
    if padding_idx > 0 and padding_idx >= num_embeddings:
        raise AssertionError(message)
    if padding_idx < 0:
        if padding_idx < -num_embeddings:
            raise AssertionError(message)
        padding_idx += num_embeddings
    return padding_idx


def _init_weight(module, num_embeddings, embedding_dim, _weight, dtype, requires_grad=True):
    if _weight is None:
        module.weight = Parameter(_creation.empty(num_embeddings, embedding_dim,
                                                  **_factory(dtype)), requires_grad=requires_grad)
        module.reset_parameters()
    else:
        if list(_weight.shape) != [num_embeddings, embedding_dim]:
            raise AssertionError("Shape of weight does not match num_embeddings and "
                                 "embedding_dim")
        module.weight = Parameter(_weight, requires_grad=requires_grad)


class _LookupTable(Module):
    def reset_parameters(self) -> None:
        """Weight ~ N(0, 1), with the ``padding_idx`` row zeroed."""
        init.normal_(self.weight)
        self._fill_padding_idx_with_zero()

    def _fill_padding_idx_with_zero(self) -> None:
        if self.padding_idx is not None:
            with no_grad():
                self.weight.data[self.padding_idx] = 0


class Embedding(_LookupTable):
    """A lookup table: integer indices (*) -> rows of ``weight`` (*, embedding_dim).

    ``weight`` (num_embeddings, embedding_dim) starts N(0, 1). The row at ``padding_idx``
    starts at zero and gets no gradient. ``max_norm`` renormalizes looked-up rows in place to
    at most that ``norm_type``-norm; ``scale_grad_by_freq`` divides gradients by index
    frequency in the batch. ``sparse`` is accepted and ignored (gradients are dense).

    Example::

        >>> emb = deepgrad.nn.Embedding(10, 3, padding_idx=0)
        >>> emb(deepgrad.tensor([[0, 2], [4, 9]])).shape
        deepgrad.Size([2, 2, 3])
    """

    def __init__(self, num_embeddings: int, embedding_dim: int, padding_idx: int | None = None,
                 max_norm: float | None = None, norm_type: float = 2.0,
                 scale_grad_by_freq: bool = False, sparse: bool = False, _weight=None,
                 _freeze: bool = False, device=None, dtype=None) -> None:
        super().__init__()
        self.num_embeddings = num_embeddings
        self.embedding_dim = embedding_dim
        self.padding_idx = _check_padding_idx(padding_idx, num_embeddings,
                                              "Padding_idx must be within num_embeddings")
        self.max_norm = max_norm
        self.norm_type = norm_type
        self.scale_grad_by_freq = scale_grad_by_freq
        _init_weight(self, num_embeddings, embedding_dim, _weight, dtype, not _freeze)
        self.sparse = sparse

    def forward(self, input):
        return F.embedding(input, self.weight, self.padding_idx, self.max_norm, self.norm_type,
                           self.scale_grad_by_freq, self.sparse)

    def extra_repr(self) -> str:
        s = f"{self.num_embeddings}, {self.embedding_dim}"
        if self.padding_idx is not None:
            s += f", padding_idx={self.padding_idx}"
        if self.max_norm is not None:
            s += f", max_norm={self.max_norm}"
        if self.norm_type != 2:
            s += f", norm_type={self.norm_type}"
        if self.scale_grad_by_freq is not False:
            s += f", scale_grad_by_freq={self.scale_grad_by_freq}"
        if self.sparse is not False:
            s += ", sparse=True"
        return s

    @classmethod
    def from_pretrained(cls, embeddings, freeze: bool = True, padding_idx=None, max_norm=None,
                        norm_type: float = 2.0, scale_grad_by_freq: bool = False,
                        sparse: bool = False) -> "Embedding":
        """An Embedding whose weight is ``embeddings`` (num_embeddings, embedding_dim), shared,
        not copied; ``freeze=True`` makes it not require grad. The ``padding_idx`` row is
        not zeroed.

        Example::

            >>> emb = deepgrad.nn.Embedding.from_pretrained(deepgrad.eye(3))
            >>> emb(deepgrad.tensor([2]))
            tensor([[0., 0., 1.]])
        """
        if embeddings.dim() != 2:
            raise AssertionError("Embeddings parameter is expected to be 2-dimensional")
        rows, cols = embeddings.shape
        return cls(num_embeddings=rows, embedding_dim=cols, _weight=embeddings, _freeze=freeze,
                   padding_idx=padding_idx, max_norm=max_norm, norm_type=norm_type,
                   scale_grad_by_freq=scale_grad_by_freq, sparse=sparse)


class EmbeddingBag(_LookupTable):
    """Sums, means or maxima of bags of embeddings, without materializing each lookup.

    ``forward(input, offsets=None, per_sample_weights=None)``: 2-D input (B, L) is B bags of
    L indices; 1-D input (K,) is split at ``offsets`` (B,) (bag starts; (B + 1,) with
    ``include_last_offset``). Returns (B, embedding_dim). ``mode`` is 'sum', 'mean' or 'max';
    ``per_sample_weights`` (input's shape) weights entries in 'sum' mode; entries equal to
    ``padding_idx`` are left out. Weight init as ``Embedding``.

    Example::

        >>> bag = deepgrad.nn.EmbeddingBag(10, 3, mode="sum")
        >>> bag(deepgrad.tensor([1, 2, 4, 5, 4]), deepgrad.tensor([0, 2])).shape
        deepgrad.Size([2, 3])
    """

    def __init__(self, num_embeddings: int, embedding_dim: int, max_norm: float | None = None,
                 norm_type: float = 2.0, scale_grad_by_freq: bool = False, mode: str = "mean",
                 sparse: bool = False, _weight=None, include_last_offset: bool = False,
                 padding_idx: int | None = None, device=None, dtype=None) -> None:
        super().__init__()
        self.num_embeddings = num_embeddings
        self.embedding_dim = embedding_dim
        self.max_norm = max_norm
        self.norm_type = norm_type
        self.scale_grad_by_freq = scale_grad_by_freq
        self.padding_idx = _check_padding_idx(padding_idx, num_embeddings,
                                              "padding_idx must be within num_embeddings")
        _init_weight(self, num_embeddings, embedding_dim, _weight, dtype)
        self.mode = mode
        self.sparse = sparse
        self.include_last_offset = include_last_offset

    def forward(self, input, offsets=None, per_sample_weights=None):
        return F.embedding_bag(input, self.weight, offsets, self.max_norm, self.norm_type,
                               self.scale_grad_by_freq, self.mode, self.sparse,
                               per_sample_weights, self.include_last_offset, self.padding_idx)

    def extra_repr(self) -> str:
        s = f"{self.num_embeddings!r}, {self.embedding_dim!r}"
        if self.max_norm is not None:
            s += f", max_norm={self.max_norm!r}"
        if self.norm_type != 2:
            s += f", norm_type={self.norm_type!r}"
        if self.scale_grad_by_freq is not False:
            s += f", scale_grad_by_freq={self.scale_grad_by_freq!r}"
        s += f", mode={self.mode!r}"
        if self.padding_idx is not None:
            s += f", padding_idx={self.padding_idx!r}"
        return s

    @classmethod
    def from_pretrained(cls, embeddings, freeze: bool = True, max_norm=None,
                        norm_type: float = 2.0, scale_grad_by_freq: bool = False,
                        mode: str = "mean", sparse: bool = False,
                        include_last_offset: bool = False, padding_idx=None) -> "EmbeddingBag":
        """An EmbeddingBag whose weight is ``embeddings`` (num_embeddings, embedding_dim);
        ``freeze=True`` makes it not require grad.

        Example::

            >>> bag = deepgrad.nn.EmbeddingBag.from_pretrained(deepgrad.eye(3), mode="sum")
            >>> bag(deepgrad.tensor([[0, 2]]))
            tensor([[1., 0., 1.]])
        """
        if embeddings.dim() != 2:
            raise AssertionError("Embeddings parameter is expected to be 2-dimensional")
        rows, cols = embeddings.shape
        bag = cls(num_embeddings=rows, embedding_dim=cols, _weight=embeddings,
                  max_norm=max_norm, norm_type=norm_type,
                  scale_grad_by_freq=scale_grad_by_freq, mode=mode, sparse=sparse,
                  include_last_offset=include_last_offset, padding_idx=padding_idx)
        bag.weight.requires_grad = not freeze
        return bag
