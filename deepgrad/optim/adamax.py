"""Adamax: Adam with the infinity norm of past gradients."""
from __future__ import annotations

import numpy as np

from .._tensor import Tensor
from ._functional import addcdiv_, lerp_, signed_grad
from .adam import _check_adam_args
from .optimizer import Optimizer, _params_with_grad, _step_tensor
from .sgd import _bump


class Adamax(Optimizer):
    """``Adamax(params, lr=2e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0)``:
    ``u = max(b2 u, |g| + eps)``; ``p -= lr / (1 - b1^t) * m / u``."""

    def __init__(self, params, lr=2e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0,
                 foreach=None, *, maximize=False, differentiable=False, capturable=False):
        _check_adam_args(lr, betas, eps, weight_decay)
        defaults = dict(lr=lr, betas=betas, eps=eps, weight_decay=weight_decay, foreach=foreach,
                        maximize=maximize, differentiable=differentiable, capturable=capturable)
        super().__init__(params, defaults)

    def step(self, closure=None):
        loss = self._eval_closure(closure)
        for group in self.param_groups:
            beta1, beta2 = group["betas"]
            for p, grad in _params_with_grad(group):
                param = p.data
                state = self.state[p]
                if not state:
                    state["step"] = _step_tensor()
                    state["exp_avg"] = Tensor._make(np.zeros_like(param))
                    state["exp_inf"] = Tensor._make(np.zeros_like(param))
                step_t = state["step"].data
                step_t += 1
                g = signed_grad(grad, param, group["weight_decay"], group["maximize"])
                exp_avg, exp_inf = state["exp_avg"].data, state["exp_inf"].data
                lerp_(exp_avg, g, 1 - beta1)
                exp_inf *= param.dtype.type(beta2)
                np.maximum(exp_inf, np.abs(g) + param.dtype.type(group["eps"]), out=exp_inf)
                clr = group["lr"] / (1 - beta1 ** float(step_t))
                addcdiv_(param, exp_avg, exp_inf, -clr)
                _bump(p)
        return loss
