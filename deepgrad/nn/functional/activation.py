"""Activation functions, composed from tensor primitives (no gradient code of their own)."""
from __future__ import annotations

import math

from ...ops import elementwise as ew
from ...ops import reduction
from ...ops._util import float_input

_SELU_ALPHA = 1.6732632423543772848170429916717
_SELU_SCALE = 1.0507009873554804934193349852946


def _act(fn, input, inplace):
    """``fn(input)``, or with ``inplace=True`` written into ``input`` (torch's aliasing).

    In place, ``fn`` runs on a snapshot of the old values, so what backward saves is never
    overwritten."""
    if not inplace:
        return fn(input)
    from ...ops.inplace import apply_inplace

    return apply_inplace(input, fn, "activation_")


def relu(input, inplace: bool = False):
    """``max(x, 0)``."""
    if inplace:
        return input.relu_()
    return input.relu()


def relu_(input):
    return input.relu_()


def relu6(input, inplace: bool = False):
    """``min(max(x, 0), 6)``."""
    return hardtanh(input, 0.0, 6.0, inplace)


def leaky_relu(input, negative_slope: float = 0.01, inplace: bool = False):
    """``x`` for x > 0, else ``negative_slope * x``."""
    return _act(lambda x: ew.where(x > 0, x, x * negative_slope), input, inplace)


def elu(input, alpha: float = 1.0, inplace: bool = False):
    """``x`` for x > 0, else ``alpha * (exp(x) - 1)``."""
    return _act(lambda x: ew.where(x > 0, x, ew.expm1(ew.clamp(x, max=0.0)) * alpha), input,
                inplace)


def selu(input, inplace: bool = False):
    """``scale * elu(x, alpha)`` with the self-normalizing constants."""
    return _act(lambda x: elu(x, _SELU_ALPHA) * _SELU_SCALE, input, inplace)


def celu(input, alpha: float = 1.0, inplace: bool = False):
    """``max(0, x) + min(0, alpha * (exp(x / alpha) - 1))``."""
    return _act(lambda x: ew.where(x > 0, x, ew.expm1(ew.clamp(x, max=0.0) / alpha) * alpha),
                input, inplace)


def gelu(input, approximate: str = "none"):
    """Gaussian error linear unit: exact (erf) or ``approximate='tanh'``."""
    if approximate == "none":
        return input * (ew.erf(input * (1.0 / math.sqrt(2.0))) + 1.0) * 0.5
    if approximate == "tanh":
        inner = (input + input * input * input * 0.044715) * math.sqrt(2.0 / math.pi)
        return input * (ew.tanh(inner) + 1.0) * 0.5
    raise RuntimeError(f"approximate argument must be either none or tanh, got {approximate}")


def silu(input, inplace: bool = False):
    """``x * sigmoid(x)`` (Swish)."""
    return _act(lambda x: x * ew.sigmoid(x), input, inplace)


def mish(input, inplace: bool = False):
    """``x * tanh(softplus(x))``."""
    return _act(lambda x: x * ew.tanh(softplus(x)), input, inplace)


def sigmoid(input):
    return ew.sigmoid(input)


def tanh(input):
    return ew.tanh(input)


def hardtanh(input, min_val: float = -1.0, max_val: float = 1.0, inplace: bool = False):
    """``clamp(x, min_val, max_val)``."""
    if min_val > max_val:
        raise ValueError("min_val cannot be greater than max_val")
    return _act(lambda x: _hard_clamp(x, min_val, max_val), input, inplace)


def _hard_clamp(x, lo, hi):
    # hardtanh's gradient is 1 strictly inside (lo, hi), unlike clamp's closed interval
    inside = (x > lo) & (x < hi)
    return ew.where(inside, x, ew.clamp(x.detach(), lo, hi))


def hardsigmoid(input, inplace: bool = False):
    """``relu6(x + 3) / 6``."""
    def fn(x):
        inside = (x > -3.0) & (x < 3.0)
        return ew.where(inside, x / 6.0 + 0.5, (x.detach() >= 3.0).to(x.dtype))

    return _act(fn, input, inplace)


def hardswish(input, inplace: bool = False):
    """``x * relu6(x + 3) / 6``."""
    def fn(x):
        mid = x * (x + 3.0) / 6.0
        return ew.where(x <= -3.0, 0.0, ew.where(x >= 3.0, x, mid))

    return _act(fn, input, inplace)


def softplus(input, beta: float = 1.0, threshold: float = 20.0):
    """``log(1 + exp(beta * x)) / beta``; linear above ``threshold`` (stable everywhere)."""
    x = float_input(input)
    bx = x * beta
    soft = (ew.log1p(ew.exp(-ew.abs(bx))) + ew.clamp(bx, min=0.0)) / beta
    return ew.where(bx > threshold, x, soft)


def softsign(input):
    """``x / (1 + |x|)``."""
    return input / (ew.abs(input) + 1.0)


def logsigmoid(input):
    """``log(sigmoid(x))``, computed stably as ``-softplus(-x)``."""
    return -softplus(-input)


def tanhshrink(input):
    return input - ew.tanh(input)


def softshrink(input, lambd: float = 0.5):
    return ew.where(input > lambd, input - lambd, ew.where(input < -lambd, input + lambd, 0.0))


def hardshrink(input, lambd: float = 0.5):
    return ew.where((input > lambd) | (input < -lambd), input, 0.0)


def threshold(input, threshold: float, value: float, inplace: bool = False):
    """``x`` where ``x > threshold``, else ``value``."""
    return _act(lambda x: ew.where(x > threshold, x, value), input, inplace)


def prelu(input, weight):
    """``x`` for x > 0 else ``weight * x``; ``weight`` has 1 or C (dim 1) entries."""
    w = weight
    if weight.numel() > 1 and input.dim() >= 2:
        w = weight.reshape((1, -1) + (1,) * (input.dim() - 2))
    return ew.where(input > 0, input, input * w)


def rrelu(input, lower=1.0 / 8, upper=1.0 / 3, training=False, inplace=False):
    if training:
        from ...random import rand

        a = rand(input.shape, dtype=input.dtype) * (upper - lower) + lower
    else:
        a = (lower + upper) / 2
    return _act(lambda x: ew.where(x >= 0, x, x * a), input, inplace)


def glu(input, dim: int = -1):
    """Gated linear unit: first half ``* sigmoid(second half)`` along ``dim``."""
    if input.shape[dim] % 2:
        raise RuntimeError(f"Halving dimension must be even, but dimension {dim} is size "
                           f"{input.shape[dim]}")
    a, b = input.chunk(2, dim)
    return a * ew.sigmoid(b)


def softmax(input, dim=None, _stacklevel=3, dtype=None):
    return reduction.softmax(input, dim, dtype)


def log_softmax(input, dim=None, _stacklevel=3, dtype=None):
    return reduction.log_softmax(input, dim, dtype)


def softmin(input, dim=None, _stacklevel=3, dtype=None):
    return reduction.softmax(-input, dim, dtype)


def heaviside_step(input, value: float = 0.0):
    """Perceptron step: 1 for x > 0, ``value`` at 0, 0 for x < 0 (no gradient)."""
    return ew.heaviside(input.detach(), value)


def gumbel_softmax(logits, tau: float = 1.0, hard: bool = False, eps: float = 1e-10,
                   dim: int = -1):
    """Samples from the Gumbel-softmax distribution (straight-through if ``hard``)."""
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
