"""Elementwise ops: casts, unary math, binary arithmetic, comparisons, ``where`` and ``clamp``.

Each differentiable op is a ``Function`` with its forward (on arrays) and backward (on tensors)
side by side. Unary math ops are one table row each: name, array function, derivative.
"""
from __future__ import annotations

import builtins
import math

import numpy as np

from .. import _dtype
from .. import backend
from .._tensor import Tensor
from ..autograd.function import Function
from ..autograd.grad_mode import _state as _grad_state
from ..backend import xp
from ._util import cast, float_input, result_dtype, to_tensor, unbroadcast, unbroadcast_array


_make = Tensor._make


def _data(x):
    return x.data if isinstance(x, Tensor) else x


class Cast(Function):
    """Dtype conversion; the gradient is cast back to the input's dtype."""

    _array_forward = True

    @staticmethod
    def forward(ctx, x, np_dtype):
        ctx.in_dtype = x.data.dtype
        return x.data.astype(np_dtype)

    @staticmethod
    def backward(ctx, g):
        return cast(g, _dtype.from_numpy_dtype(ctx.in_dtype)) if ctx.in_dtype.kind == "f" or (
            _dtype.from_numpy_dtype(ctx.in_dtype) is _dtype.bfloat16) else None


# ---------------------------------------------------------------------------- unary math
def _zeros_grad(g, x, y):
    return g * 0


_LN2 = math.log(2.0)
_LN10 = math.log(10.0)
_TWO_OVER_SQRT_PI = 2.0 / math.sqrt(math.pi)

# name: (array function, gradient(g, x, y) written with tensor ops, what backward needs)
# ``needs`` is "x" (the input), "y" (the output) or None.
_UNARY = {
    "exp": (xp.exp, lambda g, x, y: g * y, "y"),
    "exp2": (xp.exp2, lambda g, x, y: g * y * _LN2, "y"),
    "expm1": (xp.expm1, lambda g, x, y: g * (y + 1), "y"),
    "log": (xp.log, lambda g, x, y: g / x, "x"),
    "log2": (xp.log2, lambda g, x, y: g / (x * _LN2), "x"),
    "log10": (xp.log10, lambda g, x, y: g / (x * _LN10), "x"),
    "log1p": (xp.log1p, lambda g, x, y: g / (x + 1), "x"),
    "sqrt": (xp.sqrt, lambda g, x, y: g / (y * 2), "y"),
    "rsqrt": (lambda a: 1.0 / xp.sqrt(a), lambda g, x, y: g * y ** 3 * -0.5, "y"),
    "sin": (xp.sin, lambda g, x, y: g * x.cos(), "x"),
    "cos": (xp.cos, lambda g, x, y: -g * x.sin(), "x"),
    "tan": (xp.tan, lambda g, x, y: g * (y * y + 1), "y"),
    "tanh": (xp.tanh, lambda g, x, y: g * (1 - y * y), "y"),
    "sinh": (xp.sinh, lambda g, x, y: g * x.cosh(), "x"),
    "cosh": (xp.cosh, lambda g, x, y: g * x.sinh(), "x"),
    "asin": (xp.arcsin, lambda g, x, y: g * (1 - x * x).rsqrt(), "x"),
    "acos": (xp.arccos, lambda g, x, y: -g * (1 - x * x).rsqrt(), "x"),
    "atan": (xp.arctan, lambda g, x, y: g / (x * x + 1), "x"),
    "asinh": (xp.arcsinh, lambda g, x, y: g * (x * x + 1).rsqrt(), "x"),
    "acosh": (xp.arccosh, lambda g, x, y: g * (x * x - 1).rsqrt(), "x"),
    "atanh": (xp.arctanh, lambda g, x, y: g / (1 - x * x), "x"),
    "sigmoid": (lambda a: _sigmoid(a), lambda g, x, y: g * y * (1 - y), "y"),
    "erf": (lambda a: backend.erf(a).astype(a.dtype, copy=False),
            lambda g, x, y: g * (-x * x).exp() * _TWO_OVER_SQRT_PI, "x"),
    "erfc": (lambda a: backend.erfc(a).astype(a.dtype, copy=False),
             lambda g, x, y: g * (-x * x).exp() * -_TWO_OVER_SQRT_PI, "x"),
    "erfinv": (lambda a: backend.erfinv(a).astype(a.dtype, copy=False),
               lambda g, x, y: g * (y * y).exp() * (math.sqrt(math.pi) / 2), "y"),
    "reciprocal": (lambda a: 1.0 / a, lambda g, x, y: -g * y * y, "y"),
    "frac": (lambda a: a - xp.trunc(a), lambda g, x, y: g, None),
}
_INTEGER_UNSUPPORTED = {"frac"}  # torch has no integer kernel (NotImplementedError)

# Integer-preserving ops (their result keeps an integer dtype).
_UNARY_KEEP_DTYPE = {
    "neg": (xp.negative, lambda g, x, y: -g, None),
    "abs": (xp.abs, lambda g, x, y: g * x.sign(), "x"),
    "sign": (lambda a: a.copy() if a.dtype.kind == "b" else xp.sign(a), _zeros_grad, None),
    "floor": (xp.floor, _zeros_grad, None),
    "ceil": (xp.ceil, _zeros_grad, None),
    "trunc": (xp.trunc, _zeros_grad, None),
    "relu": (lambda a: xp.maximum(a, 0, dtype=a.dtype), lambda g, x, y: g * (y > 0), "y"),
}


# Ops torch refuses on bool tensors, with the exception type and message it raises.
_BOOL_UNSUPPORTED = {
    "neg": (RuntimeError, "Negation, the `-` operator, on a bool tensor is not supported. If "
                          "you are trying to invert a mask, use the `~` or `logical_not()` "
                          "operator instead."),
    "relu": (RuntimeError, "Boolean inputs not supported for relu"),
    **{n: (NotImplementedError, f'"{n}_cpu" not implemented for \'Bool\'')
       for n in ("abs", "floor", "ceil", "trunc", "frac", "round")},
}

_TORCH_TYPE_NAMES = {"bool": "Bool", "uint8": "Byte", "int8": "Char", "int16": "Short",
                     "int32": "Int", "int64": "Long", "float16": "Half", "bfloat16": "BFloat16",
                     "float32": "Float", "float64": "Double"}


def _type_name(x) -> str:
    """torch's scalar-type name of a tensor's dtype (as in its 'not implemented' messages)."""
    return _TORCH_TYPE_NAMES[x.dtype.name]


def _check_kernel(name, x):
    """Raise torch's error for dtypes it has no kernel for (bool, or integers for ``frac``)."""
    kind = x.data.dtype.kind
    if kind == "b" and name in _BOOL_UNSUPPORTED:
        exc, msg = _BOOL_UNSUPPORTED[name]
        raise exc(msg)
    if kind in "iu" and name in _INTEGER_UNSUPPORTED:
        raise NotImplementedError(f'"{name}_cpu" not implemented for \'{_type_name(x)}\'')


def _sigmoid(a):
    # exp(-|a|) never overflows; pick the algebraically equal form per sign.
    e = xp.exp(-xp.abs(a))
    return xp.where(a >= 0, 1 / (1 + e), e / (1 + e)).astype(a.dtype, copy=False)


def _make_unary(name, array_fn, grad_fn, needs, to_float):
    def forward(ctx, x):
        if needs == "x":
            ctx.save_for_backward(x)
        return array_fn(x.data)

    def backward(ctx, g):
        if needs == "x":
            return grad_fn(g, ctx.saved_tensors[0], None)
        if needs == "y":
            return grad_fn(g, None, ctx.saved_outputs[0])
        return grad_fn(g, None, None)

    cls = type(name.capitalize(), (Function,), {
        "forward": staticmethod(forward), "backward": staticmethod(backward),
        "_array_forward": True, "saves_output": needs == "y", "__module__": __name__})

    checked = name in _BOOL_UNSUPPORTED or name in _INTEGER_UNSUPPORTED
    if to_float:
        def op(input):
            if checked:
                _check_kernel(name, to_tensor(input))
            return cls.apply(float_input(input))
    else:
        def op(input):
            if not isinstance(input, Tensor):
                input = to_tensor(input)
            if checked:
                _check_kernel(name, input)
            return cls.apply(input)

    op.__name__ = op.__qualname__ = name
    op.__doc__ = f"Elementwise ``{name}`` of ``input`` (any shape; same shape out)."
    op.Function = cls
    return op


_g = globals()
for _name, (_fn, _grad, _needs) in _UNARY.items():
    _g[_name] = _make_unary(_name, _fn, _grad, _needs, to_float=True)
for _name, (_fn, _grad, _needs) in _UNARY_KEEP_DTYPE.items():
    _g[_name] = _make_unary(_name, _fn, _grad, _needs, to_float=False)
UNARY_NAMES = tuple(_UNARY) + tuple(_UNARY_KEEP_DTYPE)

negative = neg  # noqa: F821 (defined by the loop above)
absolute = abs  # noqa: F821
arcsin, arccos, arctan = asin, acos, atan  # noqa: F821
arcsinh, arccosh, arctanh = asinh, acosh, atanh  # noqa: F821
fix = trunc  # noqa: F821
special_expit = sigmoid  # noqa: F821


def square(input):
    """Elementwise ``input * input`` (bool input gives int64, like torch's ``pow(x, 2)``)."""
    x = to_tensor(input)
    if x.data.dtype.kind == "b":
        x = cast(x, _dtype.int64)
    return mul(x, x)


def round(input, *, decimals: int = 0):
    """Round half to even (like torch); ``decimals`` rounds to that many decimal places.

    With ``decimals`` the value is scaled by ``10**decimals`` (or divided by ``10**-decimals``
    when negative, as torch does, so the scale is exact), rounded, and scaled back.
    """
    x = to_tensor(input)
    _check_kernel("round", x)
    if decimals == 0:
        return _Round.apply(x)
    if x.data.dtype.kind in "iu":
        raise NotImplementedError(f'"round_cpu" not implemented for \'{_type_name(x)}\'')
    if decimals > 0:
        scale = 10.0 ** decimals
        return _Round.apply(x * scale) / scale
    scale = 10.0 ** -decimals
    return _Round.apply(x / scale) * scale


class _Round(Function):
    _array_forward = True

    @staticmethod
    def forward(ctx, x):
        return xp.round(x.data)

    @staticmethod
    def backward(ctx, g):
        return g * 0


# ---------------------------------------------------------------------------- binary arithmetic
def _prepare(a, b):
    """Bring two operands to torch's result dtype; Python scalars stay scalars (NumPy treats
    them as weak, like torch) unless their category is higher than the tensor's."""
    if isinstance(a, Tensor):
        if isinstance(b, Tensor):
            if a.data.dtype != b.data.dtype:
                d = result_dtype(a, b)
                return cast(a, d), cast(b, d)
            return a, b
        return a, _scalar_against(b, a)
    if isinstance(b, Tensor):
        return _scalar_against(a, b), b
    return to_tensor(a), to_tensor(b)


def _scalar_against(s, t):
    if isinstance(s, (np.generic, np.ndarray, list, tuple)):
        if isinstance(s, np.generic):
            return _scalar_against(s.item(), t)
        return _prepare(t, to_tensor(s))[1]
    kind = t.data.dtype.kind
    if isinstance(s, bool):
        return s
    if isinstance(s, int):
        if kind == "b":
            raise _NeedsCast(_dtype.int64)
        if kind in "iu":
            info = np.iinfo(t.data.dtype)
            if not info.min <= s <= info.max and -2 ** 63 <= s < 2 ** 64:
                # torch converts the scalar to the tensor's dtype, wrapping around
                return int(np.array(s & (2 ** 64 - 1), dtype=np.uint64).astype(t.data.dtype))
        return s
    if isinstance(s, float):
        if kind in "iub":
            raise _NeedsCast(_dtype.get_default_dtype())
        if kind == "V":  # ml_dtypes' bfloat16 does not treat Python floats as weak: cast first
            return xp.asarray(s, dtype=t.data.dtype)
        return s
    if s is None:
        raise TypeError("unsupported operand: None")
    raise TypeError(f"unsupported operand type {type(s).__name__} for a tensor op")


class _NeedsCast(Exception):
    def __init__(self, dtype):
        self.dtype = dtype


def _binary(cls, a, b, name, **kw):
    try:
        a2, b2 = _prepare(a, b)
    except _NeedsCast as c:
        a2 = cast(a, c.dtype) if isinstance(a, Tensor) else a
        b2 = cast(b, c.dtype) if isinstance(b, Tensor) else b
    try:
        return cls.apply(a2, b2, **kw)
    except ValueError as e:
        if "broadcast" in str(e):
            raise RuntimeError(
                f"{name}: shapes {_shape_of(a)} and {_shape_of(b)} cannot be broadcast together"
            ) from None
        raise


def _shape_of(x):
    return tuple(x.shape) if isinstance(x, Tensor) else tuple(np.shape(x))


class Add(Function):
    _array_forward = True

    @staticmethod
    def forward(ctx, a, b, alpha=1):
        ad, bd = _data(a), _data(b)
        ctx.shapes = (xp.shape(ad), xp.shape(bd))
        ctx.alpha = alpha
        return ad + bd if alpha == 1 else ad + bd * alpha

    @staticmethod
    def backward(ctx, g):
        sa, sb = ctx.shapes
        ga = unbroadcast(g, sa) if ctx.needs_input_grad[0] else None
        gb = None
        if ctx.needs_input_grad[1]:
            gb = unbroadcast(g if ctx.alpha == 1 else g * ctx.alpha, sb)
        return ga, gb


class Sub(Function):
    _array_forward = True

    @staticmethod
    def forward(ctx, a, b, alpha=1):
        ad, bd = _data(a), _data(b)
        ctx.shapes = (xp.shape(ad), xp.shape(bd))
        ctx.alpha = alpha
        return ad - bd if alpha == 1 else ad - bd * alpha

    @staticmethod
    def backward(ctx, g):
        sa, sb = ctx.shapes
        ga = unbroadcast(g, sa) if ctx.needs_input_grad[0] else None
        gb = unbroadcast(-g if ctx.alpha == 1 else g * -ctx.alpha, sb) if (
            ctx.needs_input_grad[1]) else None
        return ga, gb


class Mul(Function):
    """Product. Each gradient needs only the *other* operand, so only that is saved: changing
    an operand in place afterwards is an error only if backward needs it (as in torch)."""

    _array_forward = True

    @staticmethod
    def forward(ctx, a, b):
        ad, bd = _data(a), _data(b)
        need_a, need_b = ctx.needs_input_grad
        if need_a or need_b:
            ctx.save_for_backward(b if need_a else None, a if need_b else None)
            ctx.shapes = (xp.shape(ad), xp.shape(bd))
        return ad * bd

    @staticmethod
    def backward(ctx, g):
        b, a = ctx.saved_tensors
        sa, sb = ctx.shapes
        if not _grad_state.enabled:  # plain backward: array math, no op dispatch
            gd = g.data
            ga = _make(unbroadcast_array(gd * _data(b), sa)) if ctx.needs_input_grad[0] else None
            gb = _make(unbroadcast_array(gd * _data(a), sb)) if ctx.needs_input_grad[1] else None
            return ga, gb
        ga = unbroadcast(g * b, sa) if ctx.needs_input_grad[0] else None
        gb = unbroadcast(g * a, sb) if ctx.needs_input_grad[1] else None
        return ga, gb


class Div(Function):
    """Quotient; saves the dividend only when the divisor needs a gradient (see ``Mul``)."""

    _array_forward = True

    @staticmethod
    def forward(ctx, a, b):
        ad, bd = _data(a), _data(b)
        need_a, need_b = ctx.needs_input_grad
        if need_a or need_b:
            ctx.save_for_backward(a if need_b else None, b)
            ctx.shapes = (xp.shape(ad), xp.shape(bd))
        return ad / bd

    @staticmethod
    def backward(ctx, g):
        a, b = ctx.saved_tensors
        sa, sb = ctx.shapes
        ga = unbroadcast(g / b, sa) if ctx.needs_input_grad[0] else None
        gb = unbroadcast(-g * a / (b * b), sb) if ctx.needs_input_grad[1] else None
        return ga, gb


class Pow(Function):
    _array_forward = True

    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)
        ad, bd = _data(a), _data(b)
        if xp.result_type(ad, bd).kind in "iu":
            return _int_power(ad, bd)
        return xp.power(ad, bd)

    @staticmethod
    def backward(ctx, g):
        a, b = ctx.saved_tensors
        ga = gb = None
        if ctx.needs_input_grad[0]:
            if isinstance(b, Tensor):
                ga = g * b * a ** (b - 1)
                ga = where(b == 0, 0.0, ga)  # d/da a^0 = 0 even at a = 0
                ga = unbroadcast(ga, a.data.shape)
            else:
                ga = g * 0 if b == 0 else g * b * a ** (b - 1)
        if ctx.needs_input_grad[1]:
            if isinstance(a, Tensor):
                # a^b * log(a), taken as 0 where a == 0 and b >= 0 (torch's convention)
                gb = g * pow(a, b) * where(a == 0, 1.0, a).log()
                gb = where((a == 0) & (b >= 0), 0.0, gb)
            elif a == 0:  # 0^b: 0 for b >= 0, else inf * log(0) (torch's convention)
                gb = where(b >= 0, 0.0, g * pow(a, b) * -math.inf)
            else:
                gb = g * pow(a, b) * (math.log(a) if a > 0 else math.nan)
            gb = unbroadcast(gb, b.data.shape)
        return ga, gb


def _int_power(a, b):
    """Integer ``a ** b``; a negative exponent gives 1, -1 or 0 as in torch (NumPy raises)."""
    dtype = xp.result_type(a, b)
    b_arr = xp.asarray(b)
    negative = b_arr < 0
    if not xp.any(negative):
        return xp.power(a, b)
    out = xp.power(a, xp.where(negative, 0, b_arr).astype(dtype))
    a_arr = xp.asarray(a)
    odd = (b_arr % 2) != 0
    special = xp.where(a_arr == 1, 1, xp.where(a_arr == -1, xp.where(odd, -1, 1), 0))
    return xp.where(negative, special, out).astype(dtype)


class Atan2(Function):
    _array_forward = True

    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)
        return xp.arctan2(a.data, b.data)

    @staticmethod
    def backward(ctx, g):
        a, b = ctx.saved_tensors
        denom = a * a + b * b
        ga = unbroadcast(g * b / denom, a.data.shape) if ctx.needs_input_grad[0] else None
        gb = unbroadcast(-g * a / denom, b.data.shape) if ctx.needs_input_grad[1] else None
        return ga, gb


class _MinMax(Function):
    """maximum/minimum: the gradient goes to the chosen input, split in half on ties.

    As in torch, an input gets the full gradient unless it lost the comparison, so where a NaN
    is involved (no order) both inputs get it.
    """

    _array_forward = True
    _np = None

    @classmethod
    def forward(cls, ctx, a, b):
        ctx.save_for_backward(a, b)
        return cls._np(a.data, b.data)

    @staticmethod
    def backward(ctx, g):
        a, b = ctx.saved_tensors
        a_lost, b_lost = (a < b, a > b) if ctx._greater else (a > b, a < b)
        tie = a == b
        ga = gb = None
        if ctx.needs_input_grad[0]:
            ga = unbroadcast(where(tie, g * 0.5, where(a_lost, 0.0, g)), a.data.shape)
        if ctx.needs_input_grad[1]:
            gb = unbroadcast(where(tie, g * 0.5, where(b_lost, 0.0, g)), b.data.shape)
        return ga, gb


class Maximum(_MinMax):
    _np = staticmethod(xp.maximum)
    _greater = True


class Minimum(_MinMax):
    _np = staticmethod(xp.minimum)
    _greater = False


class _FMinMax(Function):
    """fmax/fmin: like maximum/minimum but a NaN loses to a number.

    torch's gradient convention: ``input`` takes the whole gradient where it is chosen
    (ties included) or ``other`` is NaN; ``other`` takes it everywhere else.
    """

    _array_forward = True
    _np = None

    @classmethod
    def forward(cls, ctx, a, b):
        ctx.save_for_backward(a, b)
        return cls._np(a.data, b.data)

    @staticmethod
    def backward(ctx, g):
        a, b = ctx.saved_tensors
        to_a = ((a >= b) if ctx._greater else (a <= b)) | isnan(b)
        ga = unbroadcast(where(to_a, g, 0.0), a.data.shape) if ctx.needs_input_grad[0] else None
        gb = unbroadcast(where(to_a, 0.0, g), b.data.shape) if ctx.needs_input_grad[1] else None
        return ga, gb


class Fmax(_FMinMax):
    _np = staticmethod(xp.fmax)
    _greater = True


class Fmin(_FMinMax):
    _np = staticmethod(xp.fmin)
    _greater = False


def _check_int_divisor(a, b):
    """Integer division by zero raises, as in torch (NumPy would warn and return 0)."""
    bd = _data(b)
    if xp.result_type(_data(a), bd).kind in "iub" and xp.any(xp.asarray(bd) == 0):
        raise RuntimeError("ZeroDivisionError")


class FloorDivide(Function):
    """Floor of the quotient, computed like Python's ``//`` (torch's rule, not ``floor(a/b)``,
    which can be off by one when ``a/b`` rounds up to an integer). Piecewise constant: zero
    gradient."""

    _array_forward = True

    @staticmethod
    def forward(ctx, a, b):
        _check_int_divisor(a, b)
        ad, bd = _data(a), _data(b)
        ctx.shapes = (xp.shape(ad), xp.shape(bd))
        return xp.floor_divide(ad, bd)

    @staticmethod
    def backward(ctx, g):
        sa, sb = ctx.shapes
        ga = unbroadcast(g * 0, sa) if ctx.needs_input_grad[0] else None
        gb = unbroadcast(g * 0, sb) if ctx.needs_input_grad[1] else None
        return ga, gb


class _Modulo(Function):
    """``a - b * q`` with ``q`` the quotient rounded by ``_rounding``; d/da = 1, d/db = -q."""

    _array_forward = True
    _np = None
    _rounding = None

    @classmethod
    def forward(cls, ctx, a, b):
        _check_int_divisor(a, b)
        ctx.save_for_backward(a, b)
        return cls._np(_data(a), _data(b))

    @classmethod
    def backward(cls, ctx, g):
        a, b = ctx.saved_tensors
        ga = unbroadcast(g, a.data.shape) if ctx.needs_input_grad[0] else None
        gb = None
        if ctx.needs_input_grad[1]:
            gb = unbroadcast(-g * div(a, b, rounding_mode=cls._rounding), b.data.shape)
        return ga, gb


class Remainder(_Modulo):
    """Python-style modulo (sign of the divisor), like torch.remainder."""

    _np = staticmethod(xp.remainder)
    _rounding = "floor"


class Fmod(_Modulo):
    """C-style modulo (sign of the dividend), like torch.fmod."""

    _np = staticmethod(xp.fmod)
    _rounding = "trunc"


def _check_alpha(input, other, alpha):
    if isinstance(alpha, float) and _is_integral(input) and _is_integral(other):
        raise RuntimeError("For integral input tensors, argument alpha must not be a floating "
                           "point number.")


def add(input, other, *, alpha=1):
    """``input + alpha * other`` with broadcasting and type promotion."""
    if isinstance(input, Tensor) and isinstance(other, Tensor) and (
            input.data.dtype == other.data.dtype) and (
            alpha == 1 or input.data.dtype.kind == "f"):
        try:
            return Add.apply(input, other, alpha=alpha)
        except ValueError:
            pass
    if alpha != 1:
        _check_alpha(input, other, alpha)
    return _binary(Add, input, other, "add", alpha=alpha)


def sub(input, other, *, alpha=1):
    """``input - alpha * other`` with broadcasting and type promotion."""
    a_bool, b_bool = _is_bool(input), _is_bool(other)
    if a_bool and b_bool:
        raise RuntimeError("Subtraction, the `-` operator, with two bool tensors is not "
                           "supported. Use the `^` or `logical_xor()` operator instead.")
    if a_bool or b_bool:
        raise RuntimeError("Subtraction, the `-` operator, with a bool tensor is not supported. "
                           "If you are trying to invert a mask, use the `~` or `logical_not()` "
                           "operator instead.")
    if alpha != 1:
        _check_alpha(input, other, alpha)
    return _binary(Sub, input, other, "sub", alpha=alpha)


subtract = sub


def rsub(input, other, *, alpha=1):
    """``other - alpha * input``."""
    return sub(other, input, alpha=alpha)


def mul(input, other):
    """Elementwise product with broadcasting and type promotion."""
    if isinstance(input, Tensor) and isinstance(other, Tensor) and (
            input.data.dtype == other.data.dtype):
        try:
            return Mul.apply(input, other)
        except ValueError:
            pass
    return _binary(Mul, input, other, "mul")


multiply = mul


def div(input, other, *, rounding_mode=None):
    """True division (integers give the default float), or ``rounding_mode`` 'trunc'/'floor'."""
    if rounding_mode is None:
        if _is_integral(input) and _is_integral(other):
            d = _dtype.get_default_dtype()
            input = cast(to_tensor(input), d) if isinstance(input, Tensor) else float(input)
            other = cast(to_tensor(other), d) if isinstance(other, Tensor) else float(other)
        return _binary(Div, input, other, "div")
    if rounding_mode == "trunc":
        if _is_integral(input) and _is_integral(other):
            return _binary(_TruncDivideInt, input, other, "div")
        return trunc(_binary(Div, input, other, "div"))  # noqa: F821
    if rounding_mode == "floor":
        return _binary(FloorDivide, input, other, "div")
    raise RuntimeError(
        f"div expected rounding_mode to be one of None, 'trunc', or 'floor' but found "
        f"'{rounding_mode}'")


divide = true_divide = div


def _is_bool(x) -> bool:
    if isinstance(x, Tensor):
        return x.data.dtype.kind == "b"
    return isinstance(x, (bool, np.bool_))


def _is_integral(x) -> bool:
    if isinstance(x, Tensor):
        return x.data.dtype.kind in "iub"
    return isinstance(x, (int, bool, np.integer))


class _TruncDivideInt(Function):
    """Integer division rounding toward zero (exact, unlike going through floats)."""

    _array_forward = True

    @staticmethod
    def forward(ctx, a, b):
        _check_int_divisor(a, b)
        ad, bd = _data(a), _data(b)
        q = xp.floor_divide(ad, bd)
        # floor and trunc differ by one where the division is inexact and the signs differ
        fix = (xp.remainder(ad, bd) != 0) & ((xp.asarray(ad) < 0) != (xp.asarray(bd) < 0))
        return q + fix.astype(q.dtype)


def floor_divide(input, other):
    """Floor of the quotient, like Python's ``//`` (torch.floor_divide); integer in, integer
    out. Not differentiable in torch; here its gradient is zero."""
    return _binary(FloorDivide, input, other, "floor_divide")


def _prepare_pair_for_numpy(a, b):
    try:
        a2, b2 = _prepare(a, b)
    except _NeedsCast as c:
        a2 = cast(a, c.dtype) if isinstance(a, Tensor) else a
        b2 = cast(b, c.dtype) if isinstance(b, Tensor) else b
    return _data(a2), _data(b2)


def remainder(input, other):
    """Modulo with the sign of the divisor (Python's ``%``)."""
    return _binary(Remainder, input, other, "remainder")


def fmod(input, other):
    """Modulo with the sign of the dividend (C's ``fmod``)."""
    return _binary(Fmod, input, other, "fmod")


def pow(input, exponent):
    """``input ** exponent`` with broadcasting; scalar exponents take a fast path."""
    if isinstance(input, Tensor) and isinstance(exponent, (int, float)) and not isinstance(
            exponent, bool):
        if input.data.dtype.kind in "iub":
            if isinstance(exponent, float):
                input = cast(input, _dtype.get_default_dtype())
            elif exponent < 0:
                raise RuntimeError("Integers to negative integer powers are not allowed.")
        elif input.data.dtype.kind == "V" and isinstance(exponent, float):  # bfloat16
            exponent = xp.asarray(exponent, dtype=input.data.dtype)
        return Pow.apply(input, exponent)
    if not isinstance(input, Tensor) and isinstance(exponent, Tensor):
        if isinstance(input, float) and exponent.data.dtype.kind in "iub":
            exponent = cast(exponent, _dtype.get_default_dtype())
        elif isinstance(input, float) and exponent.data.dtype.kind == "V":
            input = xp.asarray(input, dtype=exponent.data.dtype)
        return Pow.apply(input, exponent)
    return _binary(Pow, input, exponent, "pow")


float_power = None  # defined below


def _float_power(input, exponent):
    """``pow`` computed in float64, like torch.float_power."""
    a = cast(input, _dtype.float64) if isinstance(input, Tensor) else float(input)
    b = cast(exponent, _dtype.float64) if isinstance(exponent, Tensor) else float(exponent)
    return pow(a, b)


float_power = _float_power


def _float_operands(*args):
    """Operands of a math op that computes in floating point: promoted together like torch
    (``result_type``, then the default float if that is integral); scalars become 0-d tensors.
    """
    d = result_dtype(*args)
    if not d.is_floating_point:
        d = _dtype.get_default_dtype()
    return tuple(cast(a, d) if isinstance(a, Tensor) else to_tensor(a, dtype=d) for a in args)


def atan2(input, other):
    """Elementwise angle of (other, input) in radians, with broadcasting."""
    return _binary(Atan2, *_float_operands(input, other), "atan2")


arctan2 = atan2


def maximum(input, other):
    """Elementwise maximum of two tensors (ties share the gradient equally; NaN propagates)."""
    return _binary(Maximum, to_tensor(input), to_tensor(other), "maximum")


def minimum(input, other):
    """Elementwise minimum of two tensors (ties share the gradient equally; NaN propagates)."""
    return _binary(Minimum, to_tensor(input), to_tensor(other), "minimum")


def fmax(input, other):
    """Elementwise maximum that ignores NaN: ``fmax(nan, 1) == 1`` (NaN only if both are)."""
    return _binary(Fmax, to_tensor(input), to_tensor(other), "fmax")


def fmin(input, other):
    """Elementwise minimum that ignores NaN: ``fmin(nan, 1) == 1`` (NaN only if both are)."""
    return _binary(Fmin, to_tensor(input), to_tensor(other), "fmin")


def positive(input):
    """Returns ``input`` itself (``+x``); bool tensors are rejected, as in torch."""
    if isinstance(input, Tensor) and input.data.dtype.kind == "b":
        raise RuntimeError("The `+` operator, on a bool tensor is not supported.")
    return input


# ---------------------------------------------------------------------------- comparisons, logic
def _compare(np_fn, name):
    def op(input, other):
        try:
            a, b = _prepare_pair_for_numpy(input, other)
            return Tensor._make(np_fn(a, b))
        except ValueError:
            raise RuntimeError(
                f"{name}: shapes {_shape_of(input)} and {_shape_of(other)} cannot be broadcast "
                "together") from None

    op.__name__ = op.__qualname__ = name
    op.__doc__ = f"Elementwise ``{name}`` comparison; returns a bool tensor."
    return op


eq = _compare(xp.equal, "eq")
ne = _compare(xp.not_equal, "ne")
lt = _compare(xp.less, "lt")
le = _compare(xp.less_equal, "le")
gt = _compare(xp.greater, "gt")
ge = _compare(xp.greater_equal, "ge")
greater, greater_equal, less, less_equal, not_equal = gt, ge, lt, le, ne
logical_and = _compare(xp.logical_and, "logical_and")
logical_or = _compare(xp.logical_or, "logical_or")
logical_xor = _compare(xp.logical_xor, "logical_xor")


def _bitwise(np_fn, name):
    def op(input, other):
        a, b = _prepare_pair_for_numpy(input, other)
        kind = np.result_type(a, b)
        if kind.kind == "f":
            raise NotImplementedError(f"\"{name}_cpu\" not implemented for "
                                      f"'{_TORCH_TYPE_NAMES[_dtype.from_numpy_dtype(kind).name]}'")
        try:
            return Tensor._make(np_fn(a, b))
        except ValueError:
            raise RuntimeError(
                f"{name}: shapes {_shape_of(input)} and {_shape_of(other)} cannot be broadcast "
                "together") from None

    op.__name__ = op.__qualname__ = name
    return op


bitwise_and = _bitwise(xp.bitwise_and, "bitwise_and")
bitwise_or = _bitwise(xp.bitwise_or, "bitwise_or")
bitwise_xor = _bitwise(xp.bitwise_xor, "bitwise_xor")


def logical_not(input):
    """Elementwise logical NOT; returns a bool tensor."""
    return Tensor._make(xp.logical_not(to_tensor(input).data))


def bitwise_not(input):
    """Elementwise bitwise NOT of an integer or bool tensor (``~x``)."""
    x = to_tensor(input)
    if x.data.dtype.kind == "f":
        raise NotImplementedError(f"\"bitwise_not_cpu\" not implemented for '{_type_name(x)}'")
    return Tensor._make(xp.invert(x.data))


def equal(input, other) -> bool:
    """True if both tensors have the same shape and elements."""
    return input.shape == other.shape and bool(xp.array_equal(input.data, other.data))


def allclose(input, other, rtol=1e-05, atol=1e-08, equal_nan=False) -> bool:
    return bool(xp.allclose(input.data, _data(other), rtol=rtol, atol=atol, equal_nan=equal_nan))


def isclose(input, other, rtol=1e-05, atol=1e-08, equal_nan=False):
    return Tensor._make(xp.isclose(input.data, _data(other), rtol=rtol, atol=atol,
                                   equal_nan=equal_nan))


def isnan(input):
    return Tensor._make(xp.isnan(to_tensor(input).data))


def isinf(input):
    return Tensor._make(xp.isinf(to_tensor(input).data))


def isposinf(input):
    return Tensor._make(xp.isposinf(to_tensor(input).data))


def isneginf(input):
    return Tensor._make(xp.isneginf(to_tensor(input).data))


def isfinite(input):
    return Tensor._make(xp.isfinite(to_tensor(input).data))


def signbit(input):
    return Tensor._make(xp.signbit(to_tensor(input).data))


# ---------------------------------------------------------------------------- where, clamp, ...
class Where(Function):
    _array_forward = True

    @staticmethod
    def forward(ctx, cond, a, b):
        ctx.cond = cond.data
        ctx.shapes = (xp.shape(_data(a)), xp.shape(_data(b)))
        return xp.where(cond.data, _data(a), _data(b))

    @staticmethod
    def backward(ctx, g):
        sa, sb = ctx.shapes
        cond = Tensor._make(ctx.cond)
        ga = unbroadcast(where(cond, g, 0.0), sa) if ctx.needs_input_grad[1] else None
        gb = unbroadcast(where(cond, 0.0, g), sb) if ctx.needs_input_grad[2] else None
        return None, ga, gb


def where(condition, input=None, other=None):
    """Pick ``input`` where ``condition`` holds, else ``other`` (broadcast together).

    With only ``condition``, returns ``nonzero(condition, as_tuple=True)``.
    """
    if input is None and other is None:
        from .indexing import nonzero

        return nonzero(condition, as_tuple=True)
    cond = to_tensor(condition)
    if cond.data.dtype != np.bool_:
        cond = Tensor._make(cond.data.astype(bool))
    try:
        a, b = _prepare(input, other)
    except _NeedsCast as c:
        a = cast(input, c.dtype) if isinstance(input, Tensor) else input
        b = cast(other, c.dtype) if isinstance(other, Tensor) else other
    if not isinstance(a, Tensor) and not isinstance(b, Tensor):
        a = to_tensor(a)
        b = to_tensor(b) if not isinstance(b, float) or a.data.dtype.kind == "f" else b
        if a.data.dtype.kind in "iub" and isinstance(b, float):
            a = cast(a, _dtype.get_default_dtype())
    try:
        return Where.apply(cond, a, b)
    except ValueError:
        raise RuntimeError(
            f"where: shapes {_shape_of(condition)}, {_shape_of(input)} and {_shape_of(other)} "
            "cannot be broadcast together") from None


class Clamp(Function):
    _array_forward = True

    @staticmethod
    def forward(ctx, x, lo, hi):
        ctx.save_for_backward(x, lo, hi)
        out = x.data
        if lo is not None:
            out = xp.maximum(out, _data(lo))
        if hi is not None:
            out = xp.minimum(out, _data(hi))
        if out is x.data:
            out = out.copy()
        return out.astype(x.data.dtype, copy=False)

    @staticmethod
    def backward(ctx, g):
        x, lo, hi = ctx.saved_tensors
        inside = None
        if lo is not None:
            inside = x >= lo
        if hi is not None:
            inside = (x <= hi) if inside is None else inside & (x <= hi)
        gx = where(inside, g, 0.0) if ctx.needs_input_grad[0] else None
        glo = ghi = None
        if isinstance(lo, Tensor) and ctx.needs_input_grad[1]:
            below = x < lo
            if hi is not None:
                below = below & (lo <= hi)
            glo = unbroadcast(where(below, g, 0.0), lo.data.shape)
        if isinstance(hi, Tensor) and ctx.needs_input_grad[2]:
            ghi = unbroadcast(where((x > hi) | ((lo > hi) if lo is not None else x > hi), g,
                                    0.0), hi.data.shape)
        return gx, glo, ghi


def clamp(input, min=None, max=None):
    """Limit values to ``[min, max]`` (either may be None, a number or a tensor).

    Tensor bounds broadcast against ``input``; the result has torch's promoted dtype of the
    three. Where ``min > max`` the result is ``max``.
    """
    x = to_tensor(input)
    if min is None and max is None:
        raise RuntimeError("torch.clamp: At least one of 'min' or 'max' must not be None")
    d = result_dtype(x, min, max)
    x = cast(x, d)
    if isinstance(min, Tensor):
        min = cast(min, d)
    if isinstance(max, Tensor):
        max = cast(max, d)
    try:
        return Clamp.apply(x, min, max)
    except ValueError:
        raise RuntimeError(
            f"clamp: shapes {_shape_of(input)}, {_shape_of(min)} and {_shape_of(max)} cannot be "
            "broadcast together") from None


clip = clamp


def clamp_min(input, min):
    return clamp(input, min=min)


def clamp_max(input, max):
    return clamp(input, max=max)


class NanToNum(Function):
    _array_forward = True

    @staticmethod
    def forward(ctx, x, nan, posinf, neginf):
        ctx.finite = xp.isfinite(x.data)
        return xp.nan_to_num(x.data, nan=nan, posinf=posinf, neginf=neginf)

    @staticmethod
    def backward(ctx, g):
        return where(Tensor._make(ctx.finite), g, 0.0)


def nan_to_num(input, nan=0.0, posinf=None, neginf=None):
    """Replace NaN, +inf and -inf by finite numbers (defaults: 0 and the dtype's extremes)."""
    return NanToNum.apply(to_tensor(input), nan, posinf, neginf)


def _check_broadcast(name, *operands):
    """RuntimeError naming the op and the shapes if ``operands`` do not broadcast (for ops
    composed of other ops, whose own errors would name the wrong op)."""
    shapes = [_shape_of(o) for o in operands if o is not None]
    try:
        xp.broadcast_shapes(*shapes)
    except ValueError:
        raise RuntimeError(f"{name}: shapes {', '.join(str(s) for s in shapes)} cannot be "
                           "broadcast together") from None


def lerp(input, end, weight):
    """``input + weight * (end - input)``; ``weight`` is a number or a tensor.

    ``input``, ``end`` and a tensor ``weight`` must be floating point of one dtype (as in torch).
    """
    _check_broadcast("lerp", input, end, weight if isinstance(weight, Tensor) else None)
    if input.data.dtype.kind != "f":
        raise NotImplementedError(
            f'"lerp_kernel_scalar" not implemented for \'{_type_name(input)}\'')
    for name, t in (("end", end), ("weight", weight)):
        if isinstance(t, Tensor) and t.data.dtype != input.data.dtype:
            raise RuntimeError(f"expected dtype {_TORCH_TYPE_NAMES[input.dtype.name].lower()} for "
                               f"`{name}` but got dtype {_TORCH_TYPE_NAMES[t.dtype.name].lower()}")
    return add(input, mul(weight, sub(end, input)))


def addcmul(input, tensor1, tensor2, *, value=1):
    """``input + value * tensor1 * tensor2`` (all three broadcast together)."""
    _check_broadcast("addcmul", input, tensor1, tensor2)
    prod = mul(tensor1, tensor2)
    return add(input, prod if value == 1 else mul(prod, value))


def addcdiv(input, tensor1, tensor2, *, value=1):
    """``input + value * tensor1 / tensor2`` (all three broadcast together)."""
    _check_broadcast("addcdiv", input, tensor1, tensor2)
    if _is_integral(tensor1) and _is_integral(tensor2):
        raise RuntimeError(
            "Integer division with addcdiv is no longer supported, and in a future release "
            "addcdiv will perform a true division of tensor1 and tensor2. The historic addcdiv "
            "behavior can be implemented as (input + value * torch.trunc(tensor1 / tensor2))"
            ".to(input.dtype) for integer inputs and as (input + value * tensor1 / tensor2) for "
            "float inputs. The future addcdiv behavior is just the latter implementation: "
            "(input + value * tensor1 / tensor2), for all dtypes.")
    q = div(tensor1, tensor2)
    return add(input, q if value == 1 else mul(q, value))


class Xlogy(Function):
    """``x * log(y)``, 0 where ``x == 0`` unless ``y`` is NaN (torch's definition)."""

    _array_forward = True

    @staticmethod
    def forward(ctx, x, y):
        ctx.save_for_backward(x, y)
        xd, yd = x.data, y.data
        with np.errstate(divide="ignore", invalid="ignore"):
            out = xd * xp.log(yd)
        return xp.where((xd == 0) & ~xp.isnan(yd), xp.zeros((), out.dtype), out)

    @staticmethod
    def backward(ctx, g):
        x, y = ctx.saved_tensors
        gx = gy = None
        if ctx.needs_input_grad[0]:
            # log(y), but 0 where x == 0 and log(y) is undefined (torch's convention)
            gx = unbroadcast(where((x == 0) & (y <= 0), 0.0, xlogy(g, y)), x.data.shape)
        if ctx.needs_input_grad[1]:
            gy = unbroadcast(g * x / y, y.data.shape)
        return gx, gy


def xlogy(input, other):
    """``input * log(other)``, defined as 0 where ``input == 0`` (unless ``other`` is NaN).

    Either argument may be a number; integers compute in the default float dtype.
    """
    return _binary(Xlogy, *_float_operands(input, other), "xlogy")


def heaviside(input, values):
    """Step function: 0 for x < 0, ``values`` at 0, 1 for x > 0 (no gradient)."""
    x, v = to_tensor(input), to_tensor(values)
    if x.data.dtype != v.data.dtype:
        raise RuntimeError("heaviside is not yet implemented for tensors with different dtypes.")
    try:
        return Tensor._make(xp.heaviside(x.data, v.data).astype(x.data.dtype))
    except ValueError:
        raise RuntimeError(f"heaviside: shapes {_shape_of(x)} and {_shape_of(v)} cannot be "
                           "broadcast together") from None


class Hypot(Function):
    """``sqrt(x**2 + y**2)`` without overflow in the squares."""

    _array_forward = True
    saves_output = True

    @staticmethod
    def forward(ctx, x, y):
        ctx.save_for_backward(x, y)
        return xp.hypot(x.data, y.data)

    @staticmethod
    def backward(ctx, g):
        x, y = ctx.saved_tensors
        out = ctx.saved_outputs[0]
        gx = unbroadcast(g * x / out, x.data.shape) if ctx.needs_input_grad[0] else None
        gy = unbroadcast(g * y / out, y.data.shape) if ctx.needs_input_grad[1] else None
        return gx, gy


def hypot(input, other):
    """Elementwise ``sqrt(input**2 + other**2)`` of floating-point tensors."""
    for t in (input, other):
        if isinstance(t, Tensor) and t.data.dtype.kind != "f":
            raise NotImplementedError(f'"hypot_cpu" not implemented for \'{_type_name(t)}\'')
    return _binary(Hypot, *_float_operands(input, other), "hypot")


def deg2rad(input):
    return mul(float_input(input), math.pi / 180.0)


def rad2deg(input):
    return mul(float_input(input), 180.0 / math.pi)


__all_builtin_min = builtins.min
