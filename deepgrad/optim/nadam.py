"""NAdam: Adam with Nesterov momentum and momentum decay."""
from __future__ import annotations

import numpy as np

from .._tensor import Tensor
from ._functional import addcdiv_, addcmul_, lerp_, signed_grad
from .adam import _check_adam_args
from .optimizer import Optimizer, _params_with_grad, _step_tensor
from .sgd import _bump


class NAdam(Optimizer):
    """``NAdam(params, lr=2e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0,
    momentum_decay=4e-3, decoupled_weight_decay=False)`` with torch's update rule."""

    def __init__(self, params, lr=2e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0,
                 momentum_decay=4e-3, decoupled_weight_decay=False, *, foreach=None,
                 maximize=False, capturable=False, differentiable=False):
        _check_adam_args(lr, betas, eps, weight_decay)
        if momentum_decay < 0.0:
            raise ValueError(f"Invalid momentum_decay value: {momentum_decay}")
        defaults = dict(lr=lr, betas=betas, eps=eps, weight_decay=weight_decay,
                        momentum_decay=momentum_decay,
                        decoupled_weight_decay=decoupled_weight_decay, maximize=maximize,
                        foreach=foreach, capturable=capturable, differentiable=differentiable)
        super().__init__(params, defaults)

    def step(self, closure=None):
        loss = self._eval_closure(closure)
        for group in self.param_groups:
            beta1, beta2 = group["betas"]
            lr, wd, eps = group["lr"], group["weight_decay"], group["eps"]
            for p, grad in _params_with_grad(group):
                param = p.data
                state = self.state[p]
                if not state:
                    state["step"] = _step_tensor()
                    state["mu_product"] = Tensor._make(np.ones((), dtype=np.float32))
                    state["exp_avg"] = Tensor._make(np.zeros_like(param))
                    state["exp_avg_sq"] = Tensor._make(np.zeros_like(param))
                step_t = state["step"].data
                step_t += 1
                step = float(step_t)
                bias_correction2 = 1 - beta2 ** step
                if wd != 0 and group["decoupled_weight_decay"]:
                    param *= param.dtype.type(1 - lr * wd)
                    g = signed_grad(grad, param, 0, group["maximize"])
                else:
                    g = signed_grad(grad, param, wd, group["maximize"])
                mu = beta1 * (1.0 - 0.5 * (0.96 ** (step * group["momentum_decay"])))
                mu_next = beta1 * (1.0 - 0.5 * (0.96 ** ((step + 1) * group["momentum_decay"])))
                mu_product = state["mu_product"].data
                mu_product *= np.float32(mu)
                exp_avg, exp_avg_sq = state["exp_avg"].data, state["exp_avg_sq"].data
                lerp_(exp_avg, g, 1 - beta1)
                exp_avg_sq *= param.dtype.type(beta2)
                addcmul_(exp_avg_sq, g, g, 1 - beta2)
                denom = np.sqrt(exp_avg_sq / param.dtype.type(bias_correction2))
                denom += param.dtype.type(eps)
                mu_prod = float(mu_product)
                mu_product_next = mu_prod * mu_next
                addcdiv_(param, g, denom, -lr * (1.0 - mu) / (1.0 - mu_prod))
                addcdiv_(param, exp_avg, denom, (-lr * mu_next) / (1.0 - mu_product_next))
                _bump(p)
        return loss
