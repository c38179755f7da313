"""Flatten parameters into one vector and back (``parameters_to_vector`` /
``vector_to_parameters``), as used by second-order and evolutionary methods.

Example::

    >>> net = deepgrad.nn.Linear(3, 2)
    >>> vec = deepgrad.nn.utils.parameters_to_vector(net.parameters())
    >>> vec.shape
    deepgrad.Size([8])
    >>> deepgrad.nn.utils.vector_to_parameters(vec * 0, net.parameters())
    >>> float(net.weight.abs().sum())
    0.0
"""
from __future__ import annotations

from typing import Iterable

from ..._tensor import Tensor
from ...ops.movement import cat

__all__ = ["parameters_to_vector", "vector_to_parameters"]


def parameters_to_vector(parameters: Iterable[Tensor]) -> Tensor:
    """Concatenate the flattened ``parameters`` into one 1-D tensor of length
    ``sum(p.numel())`` (differentiable: gradients flow back to the parameters)."""
    return cat([p.reshape(-1) for p in parameters])


def vector_to_parameters(vec: Tensor, parameters: Iterable[Tensor]) -> None:
    """Overwrite ``parameters`` with consecutive slices of the 1-D ``vec``.

    As in torch, each parameter's storage becomes a view of ``vec`` (they share memory) and no
    gradient is recorded."""
    if not isinstance(vec, Tensor):
        raise TypeError(f"expected torch.Tensor, but got: {type(vec).__name__}")
    pointer = 0
    for param in parameters:
        n = param.numel()
        param.data = vec.data[pointer:pointer + n].reshape(param.shape)
        pointer += n
