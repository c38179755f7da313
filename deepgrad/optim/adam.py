"""Adam (and the shared update behind AdamW): adaptive moments with bias correction."""
from __future__ import annotations

import math

import numpy as np

from .._tensor import Tensor
from ..backend import axpy
from ._functional import lerp_, signed_grad
from .optimizer import Optimizer, _params_with_grad, _step_tensor
from .sgd import _bump


class Adam(Optimizer):
    """``Adam(params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0, amsgrad=False, *,
    maximize=False, decoupled_weight_decay=False)`` with torch's update rule.

    ``m = lerp(m, g, 1 - b1); v = b2 v + (1 - b2) g^2;
    p -= lr / (1 - b1^t) * m / (sqrt(v) / sqrt(1 - b2^t) + eps)`` (``v`` replaced by its running
    maximum with ``amsgrad``). ``weight_decay`` adds ``wd * p`` to the gradient, or with
    ``decoupled_weight_decay`` (AdamW) shrinks ``p`` by ``1 - lr * wd`` first.
    """

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0,
                 amsgrad=False, *, foreach=None, maximize=False, capturable=False,
                 differentiable=False, fused=None, decoupled_weight_decay=False):
        _check_adam_args(lr, betas, eps, weight_decay)
        defaults = dict(lr=lr, betas=betas, eps=eps, weight_decay=weight_decay, amsgrad=amsgrad,
                        maximize=maximize, foreach=foreach, capturable=capturable,
                        differentiable=differentiable, fused=fused,
                        decoupled_weight_decay=decoupled_weight_decay)
        super().__init__(params, defaults)

    def step(self, closure=None):
        """One Adam update of every parameter that has a gradient."""
        loss = self._eval_closure(closure)
        for group in self.param_groups:
            beta1, beta2 = group["betas"]
            lr, eps, wd = group["lr"], group["eps"], group["weight_decay"]
            decoupled = group["decoupled_weight_decay"]
            for p, grad in _params_with_grad(group):
                param = p.data
                state = self.state[p]
                if not state:
                    state["step"] = _step_tensor()
                    state["exp_avg"] = Tensor._make(np.zeros_like(param))
                    state["exp_avg_sq"] = Tensor._make(np.zeros_like(param))
                    if group["amsgrad"]:
                        state["max_exp_avg_sq"] = Tensor._make(np.zeros_like(param))
                step_t = state["step"].data
                step_t += 1
                step = float(step_t)
                if decoupled and wd != 0:
                    param *= param.dtype.type(1 - lr * wd)
                    g = signed_grad(grad, param, 0, group["maximize"])
                else:
                    g = signed_grad(grad, param, wd, group["maximize"])
                exp_avg, exp_avg_sq = state["exp_avg"].data, state["exp_avg_sq"].data
                tmp, denom = self._scratch.get(param, 0), self._scratch.get(param, 1)
                if 1 - beta1 < 0.5:  # torch's lerp branch for small weights: m += w * (g - m)
                    axpy(1 - beta1, np.subtract(g, exp_avg, out=tmp), exp_avg)
                else:
                    lerp_(exp_avg, g, 1 - beta1, tmp)
                exp_avg_sq *= param.dtype.type(beta2)
                axpy(1 - beta2, np.multiply(g, g, out=tmp), exp_avg_sq)
                step_size = lr / (1 - beta1 ** step)
                bias_correction2_sqrt = math.sqrt(1 - beta2 ** step)
                if group["amsgrad"]:
                    max_sq = state["max_exp_avg_sq"].data
                    np.maximum(max_sq, exp_avg_sq, out=max_sq)
                    np.sqrt(max_sq, out=denom)
                else:
                    np.sqrt(exp_avg_sq, out=denom)
                # m / (sqrt(v) / c + eps) == c * m / (sqrt(v) + c * eps): one pass fewer
                denom += param.dtype.type(eps * bias_correction2_sqrt)
                axpy(-step_size * bias_correction2_sqrt, np.divide(exp_avg, denom, out=tmp),
                     param)
                _bump(p)
        return loss


def _check_adam_args(lr, betas, eps, weight_decay):
    if not 0.0 <= lr:
        raise ValueError(f"Invalid learning rate: {lr}")
    if not 0.0 <= eps:
        raise ValueError(f"Invalid epsilon value: {eps}")
    if not 0.0 <= betas[0] < 1.0:
        raise ValueError(f"Invalid beta parameter at index 0: {betas[0]}")
    if not 0.0 <= betas[1] < 1.0:
        raise ValueError(f"Invalid beta parameter at index 1: {betas[1]}")
    if not 0.0 <= weight_decay:
        raise ValueError(f"Invalid weight_decay value: {weight_decay}")
