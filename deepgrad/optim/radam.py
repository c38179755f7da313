"""RAdam: Adam with a rectified adaptive learning rate (no warm-up needed)."""
from __future__ import annotations

import math

import numpy as np

from .._tensor import Tensor
from ._functional import addcmul_, lerp_, signed_grad
from .adam import _check_adam_args
from .optimizer import Optimizer, _params_with_grad, _step_tensor
from .sgd import _bump


class RAdam(Optimizer):
    """``RAdam(params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0,
    decoupled_weight_decay=False)`` with torch's update rule."""

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0,
                 decoupled_weight_decay=False, *, foreach=None, maximize=False,
                 capturable=False, differentiable=False):
        _check_adam_args(lr, betas, eps, weight_decay)
        defaults = dict(lr=lr, betas=betas, eps=eps, weight_decay=weight_decay,
                        maximize=maximize, foreach=foreach, capturable=capturable,
                        decoupled_weight_decay=decoupled_weight_decay,
                        differentiable=differentiable)
        super().__init__(params, defaults)

    def step(self, closure=None):
        loss = self._eval_closure(closure)
        for group in self.param_groups:
            beta1, beta2 = group["betas"]
            lr, wd, eps = group["lr"], group["weight_decay"], group["eps"]
            for p, grad in _params_with_grad(group):
                param = p.data
                dt = param.dtype.type
                state = self.state[p]
                if not state:
                    state["step"] = _step_tensor()
                    state["exp_avg"] = Tensor._make(np.zeros_like(param))
                    state["exp_avg_sq"] = Tensor._make(np.zeros_like(param))
                step_t = state["step"].data
                step_t += 1
                step = float(step_t)
                if wd != 0 and group["decoupled_weight_decay"]:
                    param *= dt(1 - lr * wd)
                    g = signed_grad(grad, param, 0, group["maximize"])
                else:
                    g = signed_grad(grad, param, wd, group["maximize"])
                exp_avg, exp_avg_sq = state["exp_avg"].data, state["exp_avg_sq"].data
                lerp_(exp_avg, g, 1 - beta1)
                exp_avg_sq *= dt(beta2)
                addcmul_(exp_avg_sq, g, g, 1 - beta2)
                bias_correction1 = 1 - beta1 ** step
                bias_correction2 = 1 - beta2 ** step
                corrected = exp_avg / dt(bias_correction1)
                rho_inf = 2 / (1 - beta2) - 1
                rho_t = rho_inf - 2 * step * (beta2 ** step) / bias_correction2
                if rho_t > 5.0:
                    rect = math.sqrt((rho_t - 4) * (rho_t - 2) * rho_inf
                                     / ((rho_inf - 4) * (rho_inf - 2) * rho_t))
                    adaptive = dt(bias_correction2 ** 0.5) / (np.sqrt(exp_avg_sq) + dt(eps))
                    param -= corrected * dt(lr) * adaptive * dt(rect)
                else:
                    param -= corrected * dt(lr)
                _bump(p)
        return loss
