"""Reverse-mode automatic differentiation: ``backward``, ``grad``, grad modes, ``Function``,
``gradcheck``."""
from .engine import backward, grad
from .function import AccumulateGrad, Function, Node, once_differentiable
from .grad_mode import (enable_grad, inference_mode, is_grad_enabled,
                        is_inference_mode_enabled, no_grad, set_grad_enabled)
from .gradcheck import GradcheckError, gradcheck, gradgradcheck
from . import functional

__all__ = ["backward", "grad", "Function", "Node", "AccumulateGrad", "no_grad", "enable_grad",
           "set_grad_enabled", "inference_mode", "is_grad_enabled", "is_inference_mode_enabled",
           "gradcheck", "gradgradcheck", "GradcheckError", "once_differentiable", "functional"]
