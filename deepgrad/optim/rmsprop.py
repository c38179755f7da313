"""RMSprop: gradient scaled by a running RMS, with optional momentum and centering."""
from __future__ import annotations

import numpy as np

from .._tensor import Tensor
from ._functional import addcdiv_, addcmul_, lerp_, signed_grad
from .optimizer import Optimizer, _params_with_grad, _step_tensor
from .sgd import _bump


class RMSprop(Optimizer):
    """``RMSprop(params, lr=1e-2, alpha=0.99, eps=1e-8, weight_decay=0, momentum=0,
    centered=False)``: ``v = alpha v + (1 - alpha) g^2``; ``p -= lr g / (sqrt(v) + eps)``
    (centered subtracts the squared running mean of g; momentum accumulates the step)."""

    def __init__(self, params, lr=1e-2, alpha=0.99, eps=1e-8, weight_decay=0, momentum=0,
                 centered=False, capturable=False, foreach=None, maximize=False,
                 differentiable=False):
        for name, v in (("learning rate", lr), ("epsilon value", eps), ("momentum value",
                        momentum), ("weight_decay value", weight_decay), ("alpha value", alpha)):
            if v < 0.0:
                raise ValueError(f"Invalid {name}: {v}")
        defaults = dict(lr=lr, momentum=momentum, alpha=alpha, eps=eps, centered=centered,
                        weight_decay=weight_decay, capturable=capturable, foreach=foreach,
                        maximize=maximize, differentiable=differentiable)
        super().__init__(params, defaults)

    def step(self, closure=None):
        loss = self._eval_closure(closure)
        for group in self.param_groups:
            lr, alpha, eps = group["lr"], group["alpha"], group["eps"]
            momentum, centered = group["momentum"], group["centered"]
            for p, grad in _params_with_grad(group):
                param = p.data
                state = self.state[p]
                if not state:
                    state["step"] = _step_tensor()
                    state["square_avg"] = Tensor._make(np.zeros_like(param))
                    if momentum > 0:
                        state["momentum_buffer"] = Tensor._make(np.zeros_like(param))
                    if centered:
                        state["grad_avg"] = Tensor._make(np.zeros_like(param))
                state["step"].data += 1
                g = signed_grad(grad, param, group["weight_decay"], group["maximize"])
                square_avg = state["square_avg"].data
                square_avg *= param.dtype.type(alpha)
                addcmul_(square_avg, g, g, 1 - alpha)
                if centered:
                    grad_avg = state["grad_avg"].data
                    lerp_(grad_avg, g, 1 - alpha)
                    avg = square_avg.copy()
                    addcmul_(avg, grad_avg, grad_avg, -1)
                    avg = np.sqrt(avg)
                else:
                    avg = np.sqrt(square_avg)
                avg += param.dtype.type(eps)
                if momentum > 0:
                    buf = state["momentum_buffer"].data
                    buf *= param.dtype.type(momentum)
                    addcdiv_(buf, g, avg)
                    param -= param.dtype.type(lr) * buf
                else:
                    addcdiv_(param, g, avg, -lr)
                _bump(p)
        return loss
