"""Normalization layers over features: LayerNorm, GroupNorm, RMSNorm, LocalResponseNorm."""
from __future__ import annotations

import numbers

from ... import _creation
from .. import functional as F
from .. import init
from ..parameter import Parameter
from .module import Module

__all__ = ["LayerNorm", "GroupNorm", "RMSNorm", "LocalResponseNorm"]


def _factory(dtype):
    return {} if dtype is None else {"dtype": dtype}


def _as_shape(normalized_shape) -> tuple:
    if isinstance(normalized_shape, numbers.Integral):
        return (int(normalized_shape),)
    return tuple(normalized_shape)



def _register_affine(module, shape, affine: bool, bias: bool, dtype) -> None:
    """Register ``weight`` (and ``bias``) of ``shape``, or None placeholders, then reset."""
    if affine:
        module.weight = Parameter(_creation.empty(tuple(shape), **_factory(dtype)))
        if bias:
            module.bias = Parameter(_creation.empty(tuple(shape), **_factory(dtype)))
        else:
            module.register_parameter("bias", None)
    else:
        module.register_parameter("weight", None)
        module.register_parameter("bias", None)
    _reset_affine(module)


def _reset_affine(module) -> None:
    """Affine parameters start as the identity: weight ones, bias zeros."""
    if module.weight is not None:
        init.ones_(module.weight)
    if module.bias is not None:
        init.zeros_(module.bias)

class LayerNorm(Module):
    """Layer normalization over the trailing dims ``normalized_shape`` of (*, *normalized_shape)
    input: ``(x - mean) / sqrt(var + eps) * weight + bias`` (biased variance).

    ``elementwise_affine`` adds ``weight`` (ones) and, if ``bias``, ``bias`` (zeros) of shape
    ``normalized_shape``. Output shape = input shape.

    Example::

        >>> ln = deepgrad.nn.LayerNorm(64)
        >>> ln(deepgrad.randn(8, 10, 64)).shape
        deepgrad.Size([8, 10, 64])
    """

    def __init__(self, normalized_shape, eps: float = 1e-5, elementwise_affine: bool = True,
                 bias: bool = True, device=None, dtype=None) -> None:
        super().__init__()
        self.normalized_shape = _as_shape(normalized_shape)
        self.eps = eps
        self.elementwise_affine = elementwise_affine
        _register_affine(self, self.normalized_shape, elementwise_affine, bias, dtype)

    def reset_parameters(self) -> None:
        _reset_affine(self)

    def forward(self, input):
        return F.layer_norm(input, self.normalized_shape, self.weight, self.bias, self.eps)

    def extra_repr(self) -> str:
        return (f"{self.normalized_shape}, eps={self.eps}, "
                f"elementwise_affine={self.elementwise_affine}, bias={self.bias is not None}")


class GroupNorm(Module):
    """Group normalization of (N, C, *) input: the C channels are split into ``num_groups``
    groups, each normalized over its channels and spatial dims per sample.

    ``affine`` adds per-channel ``weight`` (ones) and, if ``bias``, ``bias`` (zeros) of shape
    (num_channels,). Output shape = input shape.

    Example::

        >>> gn = deepgrad.nn.GroupNorm(2, 6)
        >>> gn(deepgrad.randn(4, 6, 8, 8)).shape
        deepgrad.Size([4, 6, 8, 8])
    """

    def __init__(self, num_groups: int, num_channels: int, eps: float = 1e-5,
                 affine: bool = True, device=None, dtype=None, *, bias: bool = True) -> None:
        super().__init__()
        if num_channels % num_groups != 0:
            raise ValueError(f"num_channels ({num_channels}) must be divisible by num_groups "
                             f"({num_groups})")
        self.num_groups = num_groups
        self.num_channels = num_channels
        self.eps = eps
        self.affine = affine
        _register_affine(self, (num_channels,), affine, bias, dtype)

    def reset_parameters(self) -> None:
        _reset_affine(self)

    def forward(self, input):
        return F.group_norm(input, self.num_groups, self.weight, self.bias, self.eps)

    def extra_repr(self) -> str:
        return (f"{self.num_groups}, {self.num_channels}, eps={self.eps}, "
                f"affine={self.affine}, bias={self.bias is not None}")


class RMSNorm(Module):
    """Root-mean-square normalization over the trailing dims ``normalized_shape``:
    ``x / sqrt(mean(x^2) + eps) * weight``; ``eps=None`` uses the input dtype's machine
    epsilon. ``elementwise_affine`` adds ``weight`` (ones) of shape ``normalized_shape``.

    Example::

        >>> norm = deepgrad.nn.RMSNorm(32)
        >>> norm(deepgrad.randn(4, 32)).shape
        deepgrad.Size([4, 32])
    """

    def __init__(self, normalized_shape, eps: float | None = None,
                 elementwise_affine: bool = True, device=None, dtype=None) -> None:
        super().__init__()
        self.normalized_shape = _as_shape(normalized_shape)
        self.eps = eps
        self.elementwise_affine = elementwise_affine
        if elementwise_affine:
            self.weight = Parameter(_creation.empty(self.normalized_shape, **_factory(dtype)))
        else:
            self.register_parameter("weight", None)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        if self.elementwise_affine:
            init.ones_(self.weight)

    def forward(self, x):
        return F.rms_norm(x, self.normalized_shape, self.weight, self.eps)

    def extra_repr(self) -> str:
        return (f"{self.normalized_shape}, eps={self.eps}, "
                f"elementwise_affine={self.elementwise_affine}")


class LocalResponseNorm(Module):
    """Normalize each channel of (N, C, *) input by its ``size`` neighbouring channels:
    ``x / (k + alpha / size * sum(x^2 over the window)) ** beta``.

    Example::

        >>> lrn = deepgrad.nn.LocalResponseNorm(2)
        >>> lrn(deepgrad.randn(2, 8, 5, 5)).shape
        deepgrad.Size([2, 8, 5, 5])
    """

    def __init__(self, size: int, alpha: float = 1e-4, beta: float = 0.75,
                 k: float = 1.0) -> None:
        super().__init__()
        self.size = size
        self.alpha = alpha
        self.beta = beta
        self.k = k

    def forward(self, input):
        return F.local_response_norm(input, self.size, self.alpha, self.beta, self.k)

    def extra_repr(self) -> str:
        return f"{self.size}, alpha={self.alpha}, beta={self.beta}, k={self.k}"
