"""Stochastic gradient descent with momentum, dampening, Nesterov and weight decay."""
from __future__ import annotations

import numpy as np

from .._tensor import Tensor, bump_version
from ..backend import axpy
from ._functional import signed_grad
from .optimizer import Optimizer, _params_with_grad


class SGD(Optimizer):
    """``SGD(params, lr=1e-3, momentum=0, dampening=0, weight_decay=0, nesterov=False, *,
    maximize=False)`` with torch's update rule:

    ``g = grad + wd * p; b = momentum * b + (1 - dampening) * g (b = g at the first step);
    g = g + momentum * b if nesterov else b; p -= lr * g``.
    """

    def __init__(self, params, lr=1e-3, momentum=0, dampening=0, weight_decay=0,
                 nesterov=False, *, maximize=False, foreach=None, differentiable=False,
                 fused=None):
        if lr < 0.0:
            raise ValueError(f"Invalid learning rate: {lr}")
        if momentum < 0.0:
            raise ValueError(f"Invalid momentum value: {momentum}")
        if weight_decay < 0.0:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        if nesterov and (momentum <= 0 or dampening != 0):
            raise ValueError("Nesterov momentum requires a momentum and zero dampening")
        defaults = dict(lr=lr, momentum=momentum, dampening=dampening,
                        weight_decay=weight_decay, nesterov=nesterov, maximize=maximize,
                        foreach=foreach, differentiable=differentiable, fused=fused)
        super().__init__(params, defaults)

    def step(self, closure=None):
        """One update of every parameter that has a gradient; returns ``closure()``'s loss."""
        loss = self._eval_closure(closure)
        for group in self.param_groups:
            lr, momentum = group["lr"], group["momentum"]
            dampening, nesterov = group["dampening"], group["nesterov"]
            for p, grad in _params_with_grad(group):
                param = p.data
                dt = param.dtype.type
                tmp = self._scratch.get(param)
                g = signed_grad(grad, param, group["weight_decay"], group["maximize"])
                if momentum != 0:
                    state = self.state[p]
                    buf = state.get("momentum_buffer")
                    if buf is None:
                        buf = Tensor._make(g.copy())
                        state["momentum_buffer"] = buf
                    else:
                        b = buf.data
                        b *= dt(momentum)
                        if dampening:
                            axpy(1 - dampening, g, b)
                        else:
                            b += g
                    if nesterov:
                        np.multiply(buf.data, dt(momentum), out=tmp)
                        tmp += g
                        g = tmp
                    else:
                        g = buf.data
                axpy(-lr, g, param)
                _bump(p)
        return loss


def _bump(p) -> None:
    """Count the update as an in-place write (backward over an older graph then errors)."""
    bump_version(p)
