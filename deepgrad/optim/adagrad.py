"""Adagrad: per-coordinate learning rates from the sum of squared gradients."""
from __future__ import annotations

import numpy as np

from .._tensor import Tensor
from ._functional import addcdiv_, addcmul_, signed_grad
from .optimizer import Optimizer, _params_with_grad
from .sgd import _bump


class Adagrad(Optimizer):
    """``Adagrad(params, lr=1e-2, lr_decay=0, weight_decay=0, initial_accumulator_value=0,
    eps=1e-10)``: ``s += g^2``; ``p -= lr / (1 + (t - 1) lr_decay) * g / (sqrt(s) + eps)``."""

    def __init__(self, params, lr=1e-2, lr_decay=0, weight_decay=0, initial_accumulator_value=0,
                 eps=1e-10, foreach=None, *, maximize=False, differentiable=False, fused=None):
        for name, v in (("learning rate", lr), ("lr_decay value", lr_decay),
                        ("weight_decay value", weight_decay),
                        ("initial_accumulator_value value", initial_accumulator_value),
                        ("epsilon value", eps)):
            if v < 0.0:
                raise ValueError(f"Invalid {name}: {v}")
        defaults = dict(lr=lr, lr_decay=lr_decay, eps=eps, weight_decay=weight_decay,
                        initial_accumulator_value=initial_accumulator_value, foreach=foreach,
                        maximize=maximize, differentiable=differentiable, fused=fused)
        super().__init__(params, defaults)
        # torch creates the state eagerly
        for group in self.param_groups:
            for p in group["params"]:
                state = self.state[p]
                state["step"] = Tensor._make(np.zeros((), dtype=np.float32))
                state["sum"] = Tensor._make(np.full_like(
                    p.data, group["initial_accumulator_value"]))

    def step(self, closure=None):
        loss = self._eval_closure(closure)
        for group in self.param_groups:
            for p, grad in _params_with_grad(group):
                param = p.data
                state = self.state[p]
                step_t = state["step"].data
                step_t += 1
                step = float(step_t)
                g = signed_grad(grad, param, group["weight_decay"], group["maximize"])
                clr = group["lr"] / (1 + (step - 1) * group["lr_decay"])
                state_sum = state["sum"].data
                addcmul_(state_sum, g, g, 1)
                std = np.sqrt(state_sum)
                std += param.dtype.type(group["eps"])
                addcdiv_(param, g, std, -clr)
                _bump(p)
        return loss
