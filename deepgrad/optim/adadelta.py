"""Adadelta: steps scaled by the ratio of running RMS of updates and of gradients."""
from __future__ import annotations

import numpy as np

from .._tensor import Tensor
from ._functional import addcmul_, signed_grad
from .optimizer import Optimizer, _params_with_grad, _step_tensor
from .sgd import _bump


class Adadelta(Optimizer):
    """``Adadelta(params, lr=1.0, rho=0.9, eps=1e-6, weight_decay=0)`` with torch's rule."""

    def __init__(self, params, lr=1.0, rho=0.9, eps=1e-6, weight_decay=0, foreach=None, *,
                 capturable=False, maximize=False, differentiable=False):
        if lr < 0.0:
            raise ValueError(f"Invalid learning rate: {lr}")
        if not 0.0 <= rho <= 1.0:
            raise ValueError(f"Invalid rho value: {rho}")
        if eps < 0.0:
            raise ValueError(f"Invalid epsilon value: {eps}")
        if weight_decay < 0.0:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        defaults = dict(lr=lr, rho=rho, eps=eps, weight_decay=weight_decay, maximize=maximize,
                        capturable=capturable, foreach=foreach, differentiable=differentiable)
        super().__init__(params, defaults)

    def step(self, closure=None):
        loss = self._eval_closure(closure)
        for group in self.param_groups:
            rho, eps = group["rho"], group["eps"]
            for p, grad in _params_with_grad(group):
                param = p.data
                state = self.state[p]
                if not state:
                    state["step"] = _step_tensor()
                    state["square_avg"] = Tensor._make(np.zeros_like(param))
                    state["acc_delta"] = Tensor._make(np.zeros_like(param))
                state["step"].data += 1
                g = signed_grad(grad, param, group["weight_decay"], group["maximize"])
                square_avg, acc_delta = state["square_avg"].data, state["acc_delta"].data
                square_avg *= param.dtype.type(rho)
                addcmul_(square_avg, g, g, 1 - rho)
                std = np.sqrt(square_avg + param.dtype.type(eps))
                delta = np.sqrt(acc_delta + param.dtype.type(eps))
                delta /= std
                delta *= g
                acc_delta *= param.dtype.type(rho)
                addcmul_(acc_delta, delta, delta, 1 - rho)
                param -= param.dtype.type(group["lr"]) * delta
                _bump(p)
        return loss
