"""Activation functions, composed from tensor primitives (no gradient code of their own).

Every function takes a tensor of any shape ``(*)`` and returns one of the same shape (except
``glu``, which halves ``dim``). Gradients at kinks follow torch's conventions: the derivative
of a piecewise function at its break point is taken from the branch torch uses (e.g. ``relu``
has gradient 0 at 0, ``hardtanh`` has gradient 0 at its bounds). ``inplace=True`` writes the
result into ``input`` and returns it, as torch does.

Example::

    >>> import deepgrad.nn.functional as F
    >>> F.gelu(deepgrad.tensor([-1.0, 0.0, 1.0]))
    tensor([-0.1587,  0.0000,  0.8413])
"""
from __future__ import annotations

import math

from ...ops import elementwise as ew
from ...ops import reduction

__all__ = [
    "relu", "relu_", "relu6", "leaky_relu", "leaky_relu_", "elu", "elu_", "selu", "selu_",
    "celu", "celu_", "gelu", "silu", "mish", "sigmoid", "tanh", "hardtanh", "hardtanh_",
    "hardsigmoid", "hardswish", "softplus", "softsign", "logsigmoid", "tanhshrink", "softshrink",
    "hardshrink", "threshold", "threshold_", "prelu", "rrelu", "rrelu_", "glu", "softmax",
    "log_softmax", "softmin", "heaviside_step", "gumbel_softmax",
]

_SELU_ALPHA = 1.6732632423543772848170429916717
_SELU_SCALE = 1.0507009873554804934193349852946


def _act(fn, input, inplace: bool):
    """``fn(input)``, or with ``inplace=True`` written into ``input`` (torch's aliasing).

    In place, ``fn`` runs on a snapshot of the old values, so what backward saves is never
    overwritten."""
    if not inplace:
        return fn(input)
    from ...ops.inplace import apply_inplace

    return apply_inplace(input, fn, "activation_")


def _floating_only(input, name: str) -> None:
    """torch implements most activations for floating-point tensors only."""
    if not input.dtype.is_floating_point:
        raise NotImplementedError(f'"{name}" not implemented for \'{input.dtype}\'')


def _is_integral(input) -> bool:
    return not input.dtype.is_floating_point


# ---------------------------------------------------------------------------- relu family
def relu(input, inplace: bool = False):
    """``max(x, 0)``: (*) -> (*). Integer tensors stay integer."""
    if inplace:
        return input.relu_()
    return input.relu()


def relu_(input):
    """In-place :func:`relu`; returns ``input``."""
    return input.relu_()


def hardtanh(input, min_val: float = -1.0, max_val: float = 1.0, inplace: bool = False):
    """``clamp(x, min_val, max_val)``: (*) -> (*); gradient 1 strictly inside the bounds."""
    if min_val > max_val:
        raise ValueError("min_val cannot be greater than max_val")
    if _is_integral(input):  # torch clamps integers to the truncated bounds
        return _act(lambda x: ew.clamp(x, int(min_val), int(max_val)), input, inplace)
    return _act(lambda x: _hard_clamp(x, min_val, max_val), input, inplace)


def hardtanh_(input, min_val: float = -1.0, max_val: float = 1.0):
    """In-place :func:`hardtanh`; returns ``input``."""
    return hardtanh(input, min_val, max_val, inplace=True)


def _hard_clamp(x, lo, hi):
    # hardtanh's gradient is 1 strictly inside (lo, hi), unlike clamp's closed interval
    inside = (x > lo) & (x < hi)
    return ew.where(inside, x, ew.clamp(x.detach(), lo, hi))


def relu6(input, inplace: bool = False):
    """``min(max(x, 0), 6)``: (*) -> (*)."""
    return hardtanh(input, 0.0, 6.0, inplace)


def leaky_relu(input, negative_slope: float = 0.01, inplace: bool = False):
    """``x`` for x > 0, else ``negative_slope * x``: (*) -> (*)."""
    _floating_only(input, "leaky_relu")
    return _act(lambda x: ew.where(x > 0, x, x * negative_slope), input, inplace)


def leaky_relu_(input, negative_slope: float = 0.01):
    """In-place :func:`leaky_relu`; returns ``input``."""
    return leaky_relu(input, negative_slope, inplace=True)


def prelu(input, weight):
    """``x`` for x > 0 else ``weight * x``: (N, C, *) -> (N, C, *).

    ``weight`` holds one slope, or one per channel (dim 1 of ``input``; an input with fewer than
    2 dims has one channel)."""
    if weight.dim() > 1:
        raise RuntimeError(f"prelu: Expected `weight` to be a scalar or 1D tensor, but got: "
                           f"ndim = {weight.dim()}")
    if weight.numel() == 1:
        w = weight.reshape(())
    else:
        channels = input.shape[1] if input.dim() >= 2 else 1
        if weight.numel() != channels:
            raise RuntimeError(f"Mismatch of parameter numbers and input channel size. Found "
                               f"parameter numbers = {weight.numel()} and channel size = "
                               f"{channels}.")
        w = weight.reshape((1, -1) + (1,) * (input.dim() - 2))
    return ew.where(input > 0, input, input * w)


def rrelu(input, lower: float = 1.0 / 8, upper: float = 1.0 / 3, training: bool = False,
          inplace: bool = False):
    """Randomized leaky ReLU: slope ~ U(lower, upper) per element in training, else the mean
    ``(lower + upper) / 2``: (*) -> (*)."""
    _floating_only(input, "rrelu")
    if training:
        from ...random import rand

        a = rand(input.shape, dtype=input.dtype) * (upper - lower) + lower
    else:
        a = (lower + upper) / 2
    return _act(lambda x: ew.where(x >= 0, x, x * a), input, inplace)


def rrelu_(input, lower: float = 1.0 / 8, upper: float = 1.0 / 3, training: bool = False):
    """In-place :func:`rrelu`; returns ``input``."""
    return rrelu(input, lower, upper, training, inplace=True)


def threshold(input, threshold: float, value: float, inplace: bool = False):
    """``x`` where ``x > threshold``, else ``value``: (*) -> (*)."""
    if _is_integral(input):
        value = int(value)
    return _act(lambda x: ew.where(x > threshold, x, value).to(x.dtype), input, inplace)


_threshold = threshold  # the name ``threshold`` is shadowed by the argument below


def threshold_(input, threshold: float, value: float):
    """In-place :func:`threshold`; returns ``input``."""
    return _threshold(input, threshold, value, inplace=True)


# ---------------------------------------------------------------------------- exponential
def elu(input, alpha: float = 1.0, inplace: bool = False):
    """``x`` for x > 0, else ``alpha * (exp(x) - 1)``: (*) -> (*)."""
    _floating_only(input, "elu")
    return _act(lambda x: ew.where(x > 0, x, ew.expm1(ew.clamp(x, max=0.0)) * alpha), input,
                inplace)


def elu_(input, alpha: float = 1.0):
    """In-place :func:`elu`; returns ``input``."""
    return elu(input, alpha, inplace=True)


def selu(input, inplace: bool = False):
    """``scale * elu(x, alpha)`` with the self-normalizing constants: (*) -> (*)."""
    _floating_only(input, "selu")
    return _act(lambda x: elu(x, _SELU_ALPHA) * _SELU_SCALE, input, inplace)


def selu_(input):
    """In-place :func:`selu`; returns ``input``."""
    return selu(input, inplace=True)


def celu(input, alpha: float = 1.0, inplace: bool = False):
    """``max(0, x) + min(0, alpha * (exp(x / alpha) - 1))``: (*) -> (*)."""
    _floating_only(input, "celu")
    return _act(lambda x: ew.where(x > 0, x, ew.expm1(ew.clamp(x, max=0.0) / alpha) * alpha),
                input, inplace)


def celu_(input, alpha: float = 1.0):
    """In-place :func:`celu`; returns ``input``."""
    return celu(input, alpha, inplace=True)


def gelu(input, approximate: str = "none"):
    """Gaussian error linear unit ``x * Phi(x)``: exact (erf) or ``approximate='tanh'``:
    (*) -> (*)."""
    if approximate not in ("none", "tanh"):
        raise RuntimeError("approximate argument must be either none or tanh.")
    _floating_only(input, "GeluKernelImpl")
    if approximate == "none":
        return input * (ew.erf(input * (1.0 / math.sqrt(2.0))) + 1.0) * 0.5
    inner = (input + input * input * input * 0.044715) * math.sqrt(2.0 / math.pi)
    return input * (ew.tanh(inner) + 1.0) * 0.5


def silu(input, inplace: bool = False):
    """``x * sigmoid(x)`` (Swish): (*) -> (*)."""
    _floating_only(input, "silu")
    return _act(lambda x: x * ew.sigmoid(x), input, inplace)


def mish(input, inplace: bool = False):
    """``x * tanh(softplus(x))``: (*) -> (*)."""
    _floating_only(input, "mish")
    return _act(lambda x: x * ew.tanh(softplus(x)), input, inplace)


def sigmoid(input):
    """``1 / (1 + exp(-x))``: (*) -> (*); integers become the default float."""
    return ew.sigmoid(input)


def tanh(input):
    """Hyperbolic tangent: (*) -> (*); integers become the default float."""
    return ew.tanh(input)


def softplus(input, beta: float = 1.0, threshold: float = 20.0):
    """``log(1 + exp(beta * x)) / beta``, linear where ``beta * x > threshold``: (*) -> (*).

    Computed as ``log1p(exp(-|bx|)) + max(bx, 0)``, which never overflows; ``max(bx, 0)`` is
    written ``(bx + |bx|) / 2`` so the gradient at 0 is torch's 0.5, not clamp's 1."""
    _floating_only(input, "softplus")
    bx = input * beta
    a = ew.abs(bx)
    soft = (ew.log1p(ew.exp(-a)) + (bx + a) * 0.5) / beta
    return ew.where(bx > threshold, input, soft)


def softsign(input):
    """``x / (1 + |x|)``: (*) -> (*)."""
    return input / (ew.abs(input) + 1.0)


def logsigmoid(input):
    """``log(sigmoid(x))``, computed stably as ``-softplus(-x)``: (*) -> (*)."""
    _floating_only(input, "log_sigmoid")
    return -softplus(-input)


def tanhshrink(input):
    """``x - tanh(x)``: (*) -> (*)."""
    return input - ew.tanh(input)


# ---------------------------------------------------------------------------- piecewise
def hardsigmoid(input, inplace: bool = False):
    """``relu6(x + 3) / 6``: (*) -> (*); gradient 1/6 strictly inside (-3, 3)."""
    _floating_only(input, "hardsigmoid")

    def fn(x):
        inside = (x > -3.0) & (x < 3.0)
        return ew.where(inside, x / 6.0 + 0.5, (x.detach() >= 3.0).to(x.dtype))

    return _act(fn, input, inplace)


def hardswish(input, inplace: bool = False):
    """``x * relu6(x + 3) / 6``: (*) -> (*)."""
    _floating_only(input, "hardswish")

    def fn(x):
        # torch's gradient at the kinks: 0 at x = -3, 1 at x = 3
        mid = x * (x + 3.0) / 6.0
        return ew.where(x <= -3.0, 0.0, ew.where(x >= 3.0, x, mid))

    return _act(fn, input, inplace)


def softshrink(input, lambd: float = 0.5):
    """``x - lambd`` above ``lambd``, ``x + lambd`` below ``-lambd``, else 0: (*) -> (*)."""
    _floating_only(input, "softshrink")
    if lambd < 0:
        raise RuntimeError(f"lambda must be greater or equal to 0, but found to be {lambd}.")
    return ew.where(input > lambd, input - lambd, ew.where(input < -lambd, input + lambd, 0.0))


def hardshrink(input, lambd: float = 0.5):
    """``x`` where ``|x| > lambd``, else 0: (*) -> (*)."""
    _floating_only(input, "hardshrink")
    return ew.where((input > lambd) | (input < -lambd), input, 0.0)


# ---------------------------------------------------------------------------- gated, softmax
def glu(input, dim: int = -1):
    """Gated linear unit ``a * sigmoid(b)`` with ``a, b`` the halves of ``input`` along
    ``dim``: (*, 2n, *) -> (*, n, *)."""
    if input.dim() == 0:
        raise RuntimeError("glu does not support scalars because halving size must be even")
    _floating_only(input, "glu")
    size = input.shape[dim]
    if size % 2:
        wrapped = dim % input.dim()
        raise RuntimeError(f"Halving dimension must be even, but dimension {wrapped} is size "
                           f"{size}")
    a, b = input.chunk(2, dim)
    return a * ew.sigmoid(b)


def _softmax_input(input, dtype, name):
    if dtype is None:
        _floating_only(input, name)
    return input


def softmax(input, dim=None, _stacklevel: int = 3, dtype=None):
    """``exp(x) / sum(exp(x))`` along ``dim``: (*) -> (*). ``dtype`` casts the input first."""
    return reduction.softmax(_softmax_input(input, dtype, "softmax"), dim, dtype)


def log_softmax(input, dim=None, _stacklevel: int = 3, dtype=None):
    """``log(softmax(x))`` along ``dim``, in one stable pass: (*) -> (*)."""
    return reduction.log_softmax(_softmax_input(input, dtype, "log_softmax"), dim, dtype)


def softmin(input, dim=None, _stacklevel: int = 3, dtype=None):
    """``softmax(-x)`` along ``dim``: (*) -> (*)."""
    return reduction.softmax(-_softmax_input(input, dtype, "softmax"), dim, dtype)


def heaviside_step(input, value: float = 0.0):
    """Perceptron step: 1 for x > 0, ``value`` at 0, 0 for x < 0 (no gradient): (*) -> (*)."""
    return ew.heaviside(input.detach(), value)


def gumbel_softmax(logits, tau: float = 1.0, hard: bool = False, eps: float = 1e-10,
                   dim: int = -1):
    """Samples from the Gumbel-softmax distribution (straight-through if ``hard``):
    (*, num_classes) -> (*, num_classes)."""
    from ...random import rand

    u = rand(logits.shape, dtype=logits.dtype)
    gumbels = -ew.log(-ew.log(u + eps) + eps)
    y = reduction.softmax((logits + gumbels) / tau, dim)
    if not hard:
        return y
    idx = y.argmax(dim, keepdim=True)
    y_hard = y.detach() * 0
    y_hard = y_hard.scatter(dim, idx, 1.0)
    return y_hard - y.detach() + y
