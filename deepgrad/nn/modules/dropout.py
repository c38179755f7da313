"""Dropout layers: Dropout, Dropout1d/2d/3d, AlphaDropout, FeatureAlphaDropout."""
from __future__ import annotations

from .. import functional as F
from .module import Module

__all__ = ["Dropout", "Dropout1d", "Dropout2d", "Dropout3d", "AlphaDropout",
           "FeatureAlphaDropout"]


class _DropoutNd(Module):
    def __init__(self, p: float = 0.5, inplace: bool = False) -> None:
        super().__init__()
        if p < 0 or p > 1:
            raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")
        self.p = p
        self.inplace = inplace

    def extra_repr(self) -> str:
        return f"p={self.p}, inplace={self.inplace}"


class Dropout(_DropoutNd):
    """In training, zero each element with probability ``p`` and scale the others by
    ``1/(1-p)``; identity in eval mode. (*) -> (*).

    Example::

        >>> drop = deepgrad.nn.Dropout(0.2)
        >>> drop(deepgrad.randn(4, 8)).shape
        deepgrad.Size([4, 8])
    """

    def forward(self, input):
        return F.dropout(input, self.p, self.training, self.inplace)


class Dropout1d(_DropoutNd):
    """Zero whole channels of (N, C, L) or (C, L) input in training (see ``Dropout``).

    Example::

        >>> deepgrad.nn.Dropout1d(0.5)(deepgrad.randn(2, 4, 10)).shape
        deepgrad.Size([2, 4, 10])
    """

    def forward(self, input):
        return F.dropout1d(input, self.p, self.training, self.inplace)


class Dropout2d(_DropoutNd):
    """Zero whole channels of (N, C, H, W) input in training (see ``Dropout``).

    Example::

        >>> deepgrad.nn.Dropout2d(0.5)(deepgrad.randn(2, 4, 6, 6)).shape
        deepgrad.Size([2, 4, 6, 6])
    """

    def forward(self, input):
        return F.dropout2d(input, self.p, self.training, self.inplace)


class Dropout3d(_DropoutNd):
    """Zero whole channels of (N, C, D, H, W) or (C, D, H, W) input in training.

    Example::

        >>> deepgrad.nn.Dropout3d(0.5)(deepgrad.randn(2, 4, 3, 3, 3)).shape
        deepgrad.Size([2, 4, 3, 3, 3])
    """

    def forward(self, input):
        return F.dropout3d(input, self.p, self.training, self.inplace)


class AlphaDropout(_DropoutNd):
    """Dropout for SELU networks: dropped elements take SELU's negative saturation value and
    an affine map keeps the input's mean and variance (for standard normal input). (*) -> (*).

    Example::

        >>> deepgrad.nn.AlphaDropout(0.2)(deepgrad.randn(16)).shape
        deepgrad.Size([16])
    """

    def forward(self, input):
        return F.alpha_dropout(input, self.p, self.training)


class FeatureAlphaDropout(_DropoutNd):
    """``AlphaDropout`` of whole channels of (N, C, *) input.

    Example::

        >>> deepgrad.nn.FeatureAlphaDropout(0.2)(deepgrad.randn(2, 4, 5)).shape
        deepgrad.Size([2, 4, 5])
    """

    def forward(self, input):
        return F.feature_alpha_dropout(input, self.p, self.training)
