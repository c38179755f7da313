"""Gradient clipping: ``clip_grad_norm_``, ``clip_grad_value_``, ``get_total_norm``,
``clip_grads_with_norm_``, with torch's arguments, return values and errors.

Example::

    >>> net = deepgrad.nn.Linear(4, 2)
    >>> net(deepgrad.randn(8, 4)).pow(2).sum().backward()
    >>> total = deepgrad.nn.utils.clip_grad_norm_(net.parameters(), max_norm=1.0)
    >>> new_total = deepgrad.nn.utils.get_total_norm([p.grad for p in net.parameters()])
    >>> float(new_total) <= 1.0 + 1e-6
    True
"""
from __future__ import annotations

import types
import warnings
from typing import Iterable

from ..._creation import tensor
from ..._tensor import Tensor
from ...autograd.grad_mode import no_grad
from ...ops import elementwise as ew
from ...ops.movement import stack
from ...ops.reduction import vector_norm

__all__ = ["clip_grad_norm_", "clip_grad_norm", "clip_grad_value_", "get_total_norm",
           "clip_grads_with_norm_"]


def _as_list(tensors) -> list:
    return [tensors] if isinstance(tensors, Tensor) else list(tensors)


@no_grad()
def get_total_norm(tensors: Tensor | Iterable[Tensor], norm_type: float = 2.0,
                   error_if_nonfinite: bool = False, foreach: bool | None = None) -> Tensor:
    """The ``norm_type``-norm of all ``tensors`` together, as if concatenated into one vector.

    ``tensors``: a tensor or an iterable of tensors of any shapes (usually gradients).
    Returns a 0-d tensor (``tensor(0.)`` for none). ``norm_type`` may be ``inf``.
    ``error_if_nonfinite=True`` raises a RuntimeError when the norm is nan or inf. ``foreach``
    is accepted for torch compatibility and ignored.
    """
    tensors = _as_list(tensors)
    norm_type = float(norm_type)
    if not tensors:
        return tensor(0.0)
    norms = [vector_norm(t, norm_type) for t in tensors]
    total = vector_norm(stack(norms), norm_type)
    if error_if_nonfinite and bool(ew.logical_or(ew.isnan(total), ew.isinf(total))):
        raise RuntimeError(
            f"The total norm of order {norm_type} for gradients from `parameters` is non-finite, "
            "so it cannot be clipped. To disable this error and scale the gradients by the "
            "non-finite norm anyway, set `error_if_nonfinite=False`")
    return total


@no_grad()
def clip_grads_with_norm_(parameters: Tensor | Iterable[Tensor], max_norm: float,
                          total_norm: Tensor, foreach: bool | None = None) -> None:
    """Scale the ``.grad`` of ``parameters`` in place by ``min(1, max_norm / (total_norm +
    1e-6))`` (``total_norm`` as returned by :func:`get_total_norm`)."""
    grads = [p.grad for p in _as_list(parameters) if p.grad is not None]
    if not grads:
        return
    coef = ew.clamp(float(max_norm) / (total_norm + 1e-6), max=1.0)
    for g in grads:
        g.mul_(coef)


def clip_grad_norm_(parameters: Tensor | Iterable[Tensor], max_norm: float,
                    norm_type: float = 2.0, error_if_nonfinite: bool = False,
                    foreach: bool | None = None) -> Tensor:
    """Rescale the gradients of ``parameters`` in place so that their joint norm is at most
    ``max_norm``; returns the joint norm before clipping (a 0-d tensor).

    ``parameters``: a tensor or an iterable of tensors; those without ``.grad`` are skipped.
    ``norm_type``: the p of the p-norm, ``inf`` for the largest absolute value.
    ``error_if_nonfinite``: raise a RuntimeError if the total norm is nan or inf (otherwise
    the gradients are scaled by the non-finite norm, as in torch).

    Example::

        >>> total = deepgrad.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    """
    if isinstance(parameters, Tensor):
        parameters = [parameters]
    else:
        is_generator = isinstance(parameters, types.GeneratorType)
        parameters = list(parameters)
        if is_generator and not parameters:
            warnings.warn("`parameters` is an empty generator, no gradient clipping will occur.",
                          stacklevel=2)
    grads = [p.grad for p in parameters if p.grad is not None]
    total = get_total_norm(grads, norm_type, error_if_nonfinite, foreach)
    clip_grads_with_norm_(parameters, max_norm, total, foreach)
    return total


def clip_grad_norm(parameters, max_norm: float, norm_type: float = 2.0,
                   error_if_nonfinite: bool = False, foreach: bool | None = None) -> Tensor:
    """Deprecated alias of :func:`clip_grad_norm_`."""
    warnings.warn("`torch.nn.utils.clip_grad_norm` is now deprecated in favor of "
                  "`torch.nn.utils.clip_grad_norm_`.", FutureWarning, stacklevel=2)
    return clip_grad_norm_(parameters, max_norm, norm_type, error_if_nonfinite, foreach)


@no_grad()
def clip_grad_value_(parameters: Tensor | Iterable[Tensor], clip_value: float,
                     foreach: bool | None = None) -> None:
    """Clamp every gradient of ``parameters`` in place to ``[-clip_value, clip_value]``.

    Example::

        >>> deepgrad.nn.utils.clip_grad_value_(model.parameters(), 0.5)
    """
    clip_value = float(clip_value)
    for p in _as_list(parameters):
        if p.grad is not None:
            p.grad.clamp_(min=-clip_value, max=clip_value)
