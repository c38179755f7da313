"""Op table: elementwise ops (unary math, binary arithmetic, comparisons, where, clamp).

Every elementwise function deepgrad exposes has an entry here, plus the Python operators
(``x + y``, ``2.0 - x``, ``x // y``, ...). Samples cover broadcasting, 0-d tensors, empty and
size-1 dims, integer/bool tensors and torch's type promotion (int tensor with a float scalar,
with a float64 0-d tensor, float32 with float64, bool, uint8 with int8). Inputs stay away from
kinks and poles where gradients are compared; the conventions at kinks and ties (abs at 0,
maximum on ties, clamp at its bounds, pow at base 0) have their own entries without the
numeric gradcheck.
"""
from __future__ import annotations

import functools

import numpy as np

from .harness import (BROADCAST_PAIRS, UNARY_SHAPES, ErrorCase, OpSpec, Raw, Sample, away_from,
                      positive, randn, uniform)


# ---------------------------------------------------------------------------- generators
def ints(rng, *shape, low=-5, high=6, dtype=np.int64):
    """Integers in [low, high)."""
    return rng.integers(low, high, shape).astype(dtype)


def nonzero_ints(rng, *shape, low=-5, high=6, dtype=np.int64):
    x = rng.integers(low, high, shape)
    return np.where(x == 0, 3, x).astype(dtype)


def bools(rng, *shape, dtype=np.bool_):
    return np.asarray(rng.random(shape) < 0.5)


def grid(rng, *shape, dtype=np.float32):
    """Floats on a 0.5 grid in [-2, 2]: many exact ties and zeros (for comparisons, logic)."""
    return np.asarray(rng.integers(-4, 5, shape) / 2).astype(dtype)


def specials(rng, *shape, dtype=np.float32):
    """Normal samples with NaN, +inf and -inf sprinkled in."""
    x = rng.standard_normal(shape)
    pick = rng.random(shape)
    x = np.where(pick < 0.15, np.nan, x)
    x = np.where((pick >= 0.15) & (pick < 0.3), np.inf, x)
    x = np.where((pick >= 0.3) & (pick < 0.45), -np.inf, x)
    return x.astype(dtype)


def gen(fn, **kw):
    """``fn`` with fixed keyword arguments (a sample generator with its domain)."""
    return functools.partial(fn, **kw)


pos_ints = gen(ints, low=1, high=6)
unit_ints = gen(ints, low=-1, high=2)
integers = tuple(range(-4, 5))
half_integers = tuple(k + 0.5 for k in range(-4, 4))
off_integers = gen(away_from, points=integers, gap=0.05)
off_half_integers = gen(away_from, points=half_integers, gap=0.05)
away0 = gen(away_from, points=(0.0,), gap=0.2)


# ---------------------------------------------------------------------------- sample builders
def unary(gen_f=randn, gen_i=None, bool_ok=True, kwargs=None):
    """Float samples over UNARY_SHAPES and a float64 one, and (when ``gen_i`` is given)
    int64, int32, int64 0-d and (with ``bool_ok``) bool samples."""
    kwargs = kwargs or {}

    def samples(rng):
        out = [Sample((gen_f(rng, *s),), dict(kwargs)) for s in UNARY_SHAPES]
        out.append(Sample((gen_f(rng, 3, 2, dtype=np.float64),), dict(kwargs), note="float64"))
        if gen_i is not None:
            out.append(Sample((gen_i(rng, 3, 4),), dict(kwargs), note="int64"))
            out.append(Sample((gen_i(rng, 5, dtype=np.int32),), dict(kwargs), note="int32"))
            out.append(Sample((gen_i(rng, dtype=np.int64),), dict(kwargs), note="int64 0-d"))
            if bool_ok:
                out.append(Sample((bools(rng, 2, 3),), dict(kwargs), note="bool"))
        return out
    return samples


def binary(gen_a=randn, gen_b=randn, gen_ia=None, gen_ib=None, scalars=(2.5,), kwargs=None,
           pairs=BROADCAST_PAIRS, bool_ok=False):
    """Broadcast pairs, mixed float dtypes, Python scalars, and (with ``gen_ia``/``gen_ib``)
    integer operands: int with a float scalar, int with a float64 0-d tensor, int32 with an
    int64 0-d tensor, uint8 with int8, bool."""
    kwargs = kwargs or {}

    def samples(rng):
        kw = dict(kwargs)
        out = [Sample((gen_a(rng, *a), gen_b(rng, *b)), kw) for a, b in pairs]
        out += [
            Sample((gen_a(rng, 3, 4), gen_b(rng, 4, dtype=np.float64)), kw, note="f32 f64"),
            Sample((gen_a(rng, 3, 4), gen_b(rng, dtype=np.float64)), kw, note="f32, f64 0-d"),
            Sample((gen_a(rng, dtype=np.float64), gen_b(rng, 2, 3)), kw, note="f64 0-d, f32"),
            Sample((gen_a(rng, 2, 3, dtype=np.float64), gen_b(rng, 2, 3, dtype=np.float64)),
                   kw, note="f64 f64"),
        ]
        for s in scalars:
            out.append(Sample((gen_a(rng, 3, 4), Raw(s)), kw, note=f"tensor, scalar {s!r}"))
            out.append(Sample((gen_a(rng), Raw(s)), kw, note=f"0-d, scalar {s!r}"))
        if gen_ia is not None and gen_ib is not None:
            out += [
                Sample((gen_ia(rng, 3, 4), gen_ib(rng, 4)), kw, note="int64 int64"),
                Sample((gen_ia(rng, 3, 4), gen_b(rng, 4)), kw, note="int64, f32"),
                Sample((gen_a(rng, 3, 4), gen_ib(rng, 3, 1)), kw, note="f32, int64"),
                Sample((gen_ia(rng, 3, 4), gen_b(rng, dtype=np.float64)), kw,
                       note="int64, f64 0-d"),
                Sample((gen_ia(rng, 3, 4, dtype=np.int32), gen_ib(rng)), kw,
                       note="int32, int64 0-d"),
                Sample((np.abs(gen_ia(rng, 3, 4)).astype(np.uint8), gen_ib(rng, 4, dtype=np.int8)),
                       kw, note="uint8, int8"),
                Sample((gen_ia(rng, 3, 4, dtype=np.int16), gen_ib(rng, 4, dtype=np.int8)), kw,
                       note="int16, int8"),
            ]
            if scalars:
                out += [
                    Sample((gen_ia(rng, 3, 4), Raw(2.5)), kw, note="int64, float scalar"),
                    Sample((gen_ia(rng, 3, 4), Raw(2)), kw, note="int64, int scalar"),
                ]
            if bool_ok:
                out += [
                    Sample((bools(rng, 3, 4), bools(rng, 4)), kw, note="bool bool"),
                    Sample((bools(rng, 3, 4), gen_ib(rng, 4)), kw, note="bool int64"),
                    Sample((bools(rng, 3, 4), gen_b(rng, 3, 1)), kw, note="bool f32"),
                ]
                if scalars:
                    out.append(Sample((bools(rng, 3, 4), Raw(2)), kw, note="bool, int scalar"))
        return out
    return samples


def broadcast_errors(name, gen_f=randn):
    """A shape mismatch must raise RuntimeError naming the op and both shapes."""
    rng = np.random.default_rng(7)
    args = (gen_f(rng, 3, 4), gen_f(rng, 3, 5))
    return [ErrorCase(args, exc=RuntimeError, match=m) for m in (name, "(3, 4)", "(3, 5)")]


def chain(*builders):
    def samples(rng):
        return [s for b in builders for s in b(rng)]
    return samples


def fixed(*make):
    """Samples from ``make(rng) -> Sample`` callables."""
    def samples(rng):
        return [m(rng) for m in make]
    return samples


_ERR_RNG = np.random.default_rng(11)
A34 = randn(_ERR_RNG, 3, 4)
A35 = randn(_ERR_RNG, 3, 5)
I34 = ints(_ERR_RNG, 3, 4)
B34 = bools(_ERR_RNG, 3, 4)


# ---------------------------------------------------------------------------- unary math
# name, float generator, integer generator (None: float only), tolerance overrides
_UNARY_SPECS = [
    ("exp", randn, ints, {}),
    ("exp2", randn, ints, {}),
    ("expm1", randn, ints, {}),
    ("log", positive, pos_ints, {}),
    ("log2", positive, pos_ints, {}),
    ("log10", positive, pos_ints, {}),
    ("log1p", gen(uniform, low=-0.5, high=2.0), pos_ints, {}),
    ("sqrt", positive, pos_ints, {}),
    ("rsqrt", positive, pos_ints, {}),
    ("sin", randn, ints, {}),
    ("cos", randn, ints, {}),
    ("tan", uniform, ints, {}),
    ("tanh", randn, ints, {}),
    ("sinh", randn, ints, {}),
    ("cosh", randn, ints, {}),
    ("asin", gen(uniform, low=-0.9, high=0.9), unit_ints, {}),
    ("acos", gen(uniform, low=-0.9, high=0.9), unit_ints, {}),
    ("atan", randn, ints, {}),
    ("asinh", randn, ints, {}),
    ("acosh", gen(positive, low=1.2, high=3.0), pos_ints, {}),
    ("atanh", gen(uniform, low=-0.9, high=0.9), unit_ints, {}),
    ("sigmoid", randn, ints, {}),
    ("erf", randn, ints, {}),
    ("erfc", randn, ints, {}),
    ("erfinv", gen(uniform, low=-0.9, high=0.9), unit_ints, {}),
    ("reciprocal", away0, nonzero_ints, {}),
    ("neg", randn, ints, {}),
    ("abs", away0, ints, {}),
    ("sign", away0, ints, {}),
    ("floor", off_integers, ints, {}),
    ("ceil", off_integers, ints, {}),
    ("trunc", off_integers, ints, {}),
    ("round", off_half_integers, ints, {}),
    ("frac", off_integers, None, {}),
    ("square", randn, ints, {}),
    ("relu", away0, ints, {}),
    ("deg2rad", randn, ints, {}),
    ("rad2deg", randn, ints, {}),
]
# torch rejects bool input for these, with this exception type
_BOOL_ERRORS = {"neg": RuntimeError, "relu": RuntimeError, "round": NotImplementedError,
                "floor": NotImplementedError, "ceil": NotImplementedError,
                "trunc": NotImplementedError, "abs": NotImplementedError,
                "frac": NotImplementedError}


def _unary_op(name):
    return lambda m, x, **kw: getattr(m, name)(x, **kw)


def _unary_spec(name, gen_f, gen_i, extra):
    errors = [ErrorCase((B34,), exc=_BOOL_ERRORS[name])] if name in _BOOL_ERRORS else []
    return OpSpec(name, _unary_op(name), unary(gen_f, gen_i, bool_ok=name not in _BOOL_ERRORS),
                  method=name, errors=errors, **extra)


SPECS = [_unary_spec(*row) for row in _UNARY_SPECS]

SPECS += [
    # aliases: same code path, but the names must exist in both APIs
    OpSpec("negative", lambda m, x: m.negative(x), unary(), method="negative"),
    OpSpec("absolute", lambda m, x: m.absolute(x), unary(away0), method="absolute"),
    OpSpec("arcsin", lambda m, x: m.arcsin(x), unary(gen(uniform, low=-0.9, high=0.9)),
           method="arcsin"),
    OpSpec("arccos", lambda m, x: m.arccos(x), unary(gen(uniform, low=-0.9, high=0.9)),
           method="arccos"),
    OpSpec("arctan", lambda m, x: m.arctan(x), unary(), method="arctan"),
    OpSpec("arcsinh", lambda m, x: m.arcsinh(x), unary(), method="arcsinh"),
    OpSpec("arccosh", lambda m, x: m.arccosh(x), unary(gen(positive, low=1.2, high=3.0)),
           method="arccosh"),
    OpSpec("arctanh", lambda m, x: m.arctanh(x), unary(gen(uniform, low=-0.9, high=0.9)),
           method="arctanh"),
    OpSpec("fix", lambda m, x: m.fix(x), unary(off_integers, ints, bool_ok=False), method="fix",
           errors=[ErrorCase((B34,), exc=NotImplementedError)]),
    OpSpec("positive", lambda m, x: m.positive(x), unary(randn, ints, bool_ok=False),
           method="positive", errors=[ErrorCase((B34,), exc=RuntimeError)]),
    # round with decimals: scaled by 10**decimals, rounded half to even, scaled back
    OpSpec("round_decimals", lambda m, x, **kw: m.round(x, **kw),
           chain(unary(gen(away_from, points=tuple(k / 100 + 0.005 for k in range(-300, 300)),
                           gap=0.0005), kwargs=dict(decimals=2)),
                 unary(gen(randn), kwargs=dict(decimals=0)),
                 unary(gen(away_from, points=tuple(k * 10 + 5.0 for k in range(-5, 5)), gap=0.1),
                       kwargs=dict(decimals=-1)),
                 fixed(lambda rng: Sample((randn(rng, 3, 4) * 100,), dict(decimals=-1)))),
           method="round"),
    OpSpec("frac_int", lambda m, x: m.frac(x), unary(), differentiable=False,
           errors=[ErrorCase((I34,), exc=NotImplementedError)]),
]

# Conventions at kinks: torch's subgradient choices (no numeric gradcheck there).
SPECS += [
    OpSpec("abs_at_zero", lambda m, x: m.abs(x),
           fixed(lambda rng: Sample((grid(rng, 3, 4),))), method="abs", gradcheck=False),
    OpSpec("relu_at_zero", lambda m, x: m.relu(x),
           fixed(lambda rng: Sample((grid(rng, 3, 4),))), method="relu", gradcheck=False),
    OpSpec("sign_at_zero", lambda m, x: m.sign(x),
           fixed(lambda rng: Sample((grid(rng, 3, 4),))), method="sign", gradcheck=False),
    OpSpec("round_half_even", lambda m, x: m.round(x),
           fixed(lambda rng: Sample((grid(rng, 3, 4) + 0.5,)),
                 lambda rng: Sample((grid(rng, 3, 4).astype(np.float64) - 0.5,))),
           method="round", gradcheck=False),
]

# ---------------------------------------------------------------------------- predicates
SPECS += [
    OpSpec(name, _unary_op(name),
           chain(unary(specials, ints), fixed(lambda rng: Sample((specials(rng, 4, 5),)))),
           method=name, differentiable=False)
    for name in ("isnan", "isinf", "isfinite", "isposinf", "isneginf", "signbit", "logical_not")
]
SPECS += [
    OpSpec("nan_to_num", lambda m, x, **kw: m.nan_to_num(x, **kw),
           chain(unary(specials), unary(specials, kwargs=dict(nan=1.5, posinf=9.0, neginf=-9.0)),
                 unary(specials, kwargs=dict(nan=0.5)),
                 fixed(lambda rng: Sample((specials(rng, 3, 4, dtype=np.float64),),
                                          dict(posinf=1e300)),
                       lambda rng: Sample((ints(rng, 3, 4),)))),
           method="nan_to_num", gradcheck=False),  # gradcheck cannot perturb inf/nan
    OpSpec("nan_to_num_grad", lambda m, x: m.nan_to_num(x), unary(), method="nan_to_num"),
    OpSpec("bitwise_not", lambda m, x: m.bitwise_not(x),
           fixed(lambda rng: Sample((ints(rng, 3, 4),)), lambda rng: Sample((bools(rng, 5),)),
                 lambda rng: Sample((ints(rng, 4, dtype=np.uint8),))),
           method="bitwise_not", differentiable=False,
           errors=[ErrorCase((A34,), exc=NotImplementedError)]),
]

# ---------------------------------------------------------------------------- binary arithmetic
_ARITH = dict(gen_ia=ints, gen_ib=ints, bool_ok=True)
SPECS += [
    OpSpec("add", lambda m, x, y, **kw: m.add(x, y, **kw), binary(**_ARITH), method="add",
           errors=broadcast_errors("add")),
    OpSpec("add_alpha", lambda m, x, y, **kw: m.add(x, y, **kw),
           chain(binary(kwargs=dict(alpha=2)), binary(kwargs=dict(alpha=-0.5)),
                 fixed(lambda rng: Sample((ints(rng, 3, 4), ints(rng, 4)), dict(alpha=3)))),
           method="add",
           errors=[ErrorCase((I34, I34), dict(alpha=0.5), exc=RuntimeError)]),
    OpSpec("sub", lambda m, x, y, **kw: m.sub(x, y, **kw),
           chain(binary(gen_ia=ints, gen_ib=ints), binary(kwargs=dict(alpha=0.5))),
           method="sub",
           errors=broadcast_errors("sub")
           + [ErrorCase((B34, B34), exc=RuntimeError, match="two bool tensors"),
              ErrorCase((A34, B34), exc=RuntimeError, match="with a bool tensor"),
              ErrorCase((I34, Raw(True)), exc=RuntimeError, match="with a bool tensor")]),
    OpSpec("subtract", lambda m, x, y: m.subtract(x, y), binary(), method="subtract"),
    OpSpec("rsub", lambda m, x, y, **kw: m.rsub(x, y, **kw),
           chain(binary(gen_ia=ints, gen_ib=ints), binary(kwargs=dict(alpha=2))),
           errors=[ErrorCase((A34, Raw(True)), exc=RuntimeError, match="with a bool tensor")]),
    OpSpec("mul", lambda m, x, y: m.mul(x, y), binary(**_ARITH), method="mul",
           errors=broadcast_errors("mul")),
    OpSpec("multiply", lambda m, x, y: m.multiply(x, y), binary(), method="multiply"),
    OpSpec("div", lambda m, x, y: m.div(x, y),
           binary(randn, away0, gen_ia=ints, gen_ib=nonzero_ints, bool_ok=False),
           method="div", errors=broadcast_errors("div")),
    OpSpec("divide", lambda m, x, y: m.divide(x, y), binary(randn, away0), method="divide"),
    OpSpec("true_divide", lambda m, x, y: m.true_divide(x, y), binary(randn, away0),
           method="true_divide"),
    # rounding modes: piecewise constant, zero gradient (inputs away from the jumps)
    OpSpec("div_trunc", lambda m, x, y, **kw: m.div(x, y, **kw),
           binary(randn, away0, gen_ia=ints, gen_ib=nonzero_ints, scalars=(2.5, 2, -3),
                  kwargs=dict(rounding_mode="trunc")),
           method="div", gradcheck=False,  # the quotient may sit on a jump
           errors=[ErrorCase((A34, A34), dict(rounding_mode="bad"), exc=RuntimeError)]),
    OpSpec("div_floor", lambda m, x, y, **kw: m.div(x, y, **kw),
           binary(randn, away0, gen_ia=ints, gen_ib=nonzero_ints, scalars=(2.5, 2, -3),
                  kwargs=dict(rounding_mode="floor")),
           method="div", gradcheck=False),
    # torch has no derivative for floor_divide (backward raises), so values only
    OpSpec("floor_divide", lambda m, x, y: m.floor_divide(x, y),
           binary(randn, away0, gen_ia=ints, gen_ib=nonzero_ints, scalars=(2.5, 2, -3)),
           method="floor_divide", differentiable=False,
           errors=broadcast_errors("floor_divide")
           + [ErrorCase((I34, np.zeros((3, 4), np.int64)), exc=RuntimeError)]),
    OpSpec("remainder", lambda m, x, y: m.remainder(x, y),
           binary(randn, away0, gen_ia=ints, gen_ib=nonzero_ints, scalars=(2.5, -1.5, 3)),
           method="remainder", gradcheck=False,  # may sit on a jump of the sawtooth
           errors=broadcast_errors("remainder")
           + [ErrorCase((I34, np.zeros((3, 4), np.int64)), exc=RuntimeError)]),
    OpSpec("fmod", lambda m, x, y: m.fmod(x, y),
           binary(randn, away0, gen_ia=ints, gen_ib=nonzero_ints, scalars=(2.5, -1.5, 3)),
           method="fmod", gradcheck=False,
           errors=broadcast_errors("fmod")
           + [ErrorCase((I34, np.zeros((3, 4), np.int64)), exc=RuntimeError)]),
    OpSpec("pow", lambda m, x, y: m.pow(x, y),
           binary(positive, uniform, gen_ia=pos_ints, gen_ib=gen(ints, low=0, high=4),
                  scalars=(2, 3, 0.5, -1, 0, -2.5, 1.0)),
           method="pow", errors=broadcast_errors("pow", gen_f=positive)
           + [ErrorCase((I34, Raw(-1)), exc=RuntimeError)]),
    OpSpec("pow_negative_base", lambda m, x, y: m.pow(x, y),
           fixed(lambda rng: Sample((randn(rng, 3, 4), Raw(2))),
                 lambda rng: Sample((randn(rng, 3, 4), Raw(3))),
                 lambda rng: Sample((randn(rng, 3, 4), Raw(-2))),
                 lambda rng: Sample((randn(rng, 5), Raw(2.0)))),
           method="pow"),
    OpSpec("pow_scalar_base", lambda m, b, x: m.pow(b, x),
           fixed(lambda rng: Sample((Raw(2.0), randn(rng, 3, 4))),
                 lambda rng: Sample((Raw(0.5), randn(rng, 5))),
                 lambda rng: Sample((Raw(3), randn(rng))),
                 lambda rng: Sample((Raw(2), ints(rng, 3, 4, low=0, high=4))),
                 lambda rng: Sample((Raw(2.5), ints(rng, 3, 4, low=0, high=4))),
                 lambda rng: Sample((Raw(2.0), randn(rng, 2, 3, dtype=np.float64))))),
    # d/dx x^y at x = 0 and d/dy at x = 0: torch's conventions
    OpSpec("pow_at_zero", lambda m, x, y: m.pow(x, y),
           fixed(lambda rng: Sample((np.array([0.0, 0.0, 0.0, 1.0], np.float32),
                                     np.array([0.0, 1.0, 2.0, 0.0], np.float32))),
                 lambda rng: Sample((np.array([0.0, 1.5, 0.0], np.float32), Raw(2))),
                 lambda rng: Sample((np.array([0.0, 1.5, 0.0], np.float32), Raw(0)))),
           method="pow", gradcheck=False),
    # integer powers with negative exponents: 1, -1 or 0 (no error unless the exponent is a
    # Python scalar)
    OpSpec("pow_int_negative_exponent", lambda m, x, y: m.pow(x, y),
           fixed(lambda rng: Sample((ints(rng, 3, 4, low=-2, high=3),
                                     ints(rng, 4, low=-3, high=3))),
                 lambda rng: Sample((Raw(2), ints(rng, 3, 4, low=-2, high=3))),
                 lambda rng: Sample((Raw(-1), ints(rng, 5, low=-3, high=3))),
                 lambda rng: Sample((ints(rng, 3, 4, low=-2, high=3, dtype=np.int16),
                                     ints(rng, 4, low=-3, high=3, dtype=np.int16)))),
           differentiable=False),
    # scalar base 0 or negative: d/dy uses log(base) (-inf or NaN) as torch does
    OpSpec("pow_scalar_base_nonpositive", lambda m, b, x: m.pow(b, x),
           fixed(lambda rng: Sample((Raw(0.0), np.array([-1.0, 0.0, 2.0, 0.5], np.float32))),
                 lambda rng: Sample((Raw(-2.0), np.array([-1.0, 0.0, 2.0, 3.0], np.float32)))),
           gradcheck=False),
    # a Python int outside an integer tensor's range wraps around to its dtype, like torch
    OpSpec("int_scalar_wraparound", lambda m, x, y, fn: getattr(m, fn)(x, y),
           fixed(*[(lambda f, d, v: lambda rng: Sample(
               (ints(rng, 3, 4, low=-5, high=6, dtype=d) if d != np.uint8
                else ints(rng, 3, 4, low=0, high=6, dtype=d), Raw(v)), dict(fn=f)))(f, d, v)
                   for f in ("add", "sub", "mul", "lt", "eq", "floor_divide")
                   for d, v in ((np.int8, 200), (np.uint8, -1), (np.int16, 70000))]),
           differentiable=False),
    OpSpec("float_power", lambda m, x, y: m.float_power(x, y),
           binary(positive, uniform, gen_ia=pos_ints, gen_ib=gen(ints, low=-2, high=3),
                  scalars=(2, 0.5, -1)),
           method="float_power"),
    OpSpec("atan2", lambda m, x, y: m.atan2(x, y),
           binary(away0, away0, gen_ia=ints, gen_ib=nonzero_ints, scalars=()), method="atan2",
           errors=broadcast_errors("atan2")),
    OpSpec("arctan2", lambda m, x, y: m.arctan2(x, y), binary(away0, away0, scalars=()),
           method="arctan2"),
    OpSpec("hypot", lambda m, x, y: m.hypot(x, y), binary(away0, away0, scalars=()),
           method="hypot", errors=broadcast_errors("hypot")),
    OpSpec("xlogy", lambda m, x, y: m.xlogy(x, y),
           chain(binary(randn, positive, gen_ia=ints, gen_ib=pos_ints, scalars=(2.5, 3)),
                 fixed(lambda rng: Sample((grid(rng, 3, 4), positive(rng, 3, 4)),
                                          note="x with zeros"),
                       lambda rng: Sample((Raw(2.5), positive(rng, 3, 4)), note="scalar x"))),
           method="xlogy", errors=broadcast_errors("xlogy", gen_f=positive)),
    # x == 0: 0 whatever y is, except NaN y; y == 0 with x != 0: -inf
    OpSpec("xlogy_special", lambda m, x, y: m.xlogy(x, y),
           fixed(lambda rng: Sample((np.array([0.0, 0.0, 0.0, 1.0, 2.0, np.nan], np.float32),
                                     np.array([np.nan, 0.0, np.inf, 0.0, np.nan, 1.0],
                                              np.float32)))),
           differentiable=False),
    # torch requires one dtype for both arguments here
    OpSpec("heaviside", lambda m, x, y: m.heaviside(x, y),
           fixed(lambda rng: Sample((grid(rng, 3, 4), grid(rng, 3, 4))),
                 lambda rng: Sample((grid(rng, 3, 4), grid(rng, 4))),
                 lambda rng: Sample((grid(rng, 3, 4), grid(rng))),
                 lambda rng: Sample((grid(rng, 0, 2), grid(rng, 2))),
                 lambda rng: Sample((grid(rng, 2, 3, dtype=np.float64),
                                     grid(rng, 3, dtype=np.float64))),
                 lambda rng: Sample((ints(rng, 3, 4, low=-1, high=2), ints(rng, 4)))),
           method="heaviside", differentiable=False,
           errors=[ErrorCase((A34, np.zeros(4)), exc=RuntimeError)]),
]

# maximum/minimum: NaN propagates; fmax/fmin ignore a NaN if the other side is a number
SPECS += [
    OpSpec(name, (lambda n: lambda m, x, y: getattr(m, n)(x, y))(name),
           binary(gen_ia=ints, gen_ib=ints, scalars=()),
           method=name, errors=broadcast_errors(name))
    for name in ("maximum", "minimum", "fmax", "fmin")
]
SPECS += [
    OpSpec(name + "_ties", (lambda n: lambda m, x, y: getattr(m, n)(x, y))(name),
           fixed(lambda rng: Sample((grid(rng, 3, 4), grid(rng, 3, 4))),
                 lambda rng: Sample((grid(rng, 3, 4), grid(rng, 4)))),
           method=name, gradcheck=False)
    for name in ("maximum", "minimum", "fmax", "fmin")
]
SPECS += [
    OpSpec(name + "_nan", (lambda n: lambda m, x, y: getattr(m, n)(x, y))(name),
           fixed(lambda rng: Sample((specials(rng, 4, 5), specials(rng, 4, 5))),
                 lambda rng: Sample((specials(rng, 4, 5), randn(rng, 5))),
                 lambda rng: Sample((randn(rng, 4, 5), specials(rng, 4, 5)))),
           method=name, gradcheck=False)  # no numeric derivative at inf/nan
    for name in ("maximum", "minimum", "fmax", "fmin")
]

# ---------------------------------------------------------------------------- comparisons, logic
_CANONICAL = {"greater": "gt", "greater_equal": "ge", "less": "lt", "less_equal": "le",
              "not_equal": "ne"}  # aliases name the canonical op in their errors
_CMP = ("eq", "ne", "lt", "le", "gt", "ge", "greater", "greater_equal", "less", "less_equal",
        "not_equal")
SPECS += [
    OpSpec(name, (lambda n: lambda m, x, y: getattr(m, n)(x, y))(name),
           chain(binary(grid, grid, gen_ia=unit_ints, gen_ib=unit_ints, scalars=(0.5, 1, 0.0),
                        bool_ok=True),
                 fixed(lambda rng: Sample((specials(rng, 4, 5), specials(rng, 4, 5))))),
           method=name, differentiable=False, errors=broadcast_errors(_CANONICAL.get(name, name)))
    for name in _CMP
]
SPECS += [
    OpSpec(name, (lambda n: lambda m, x, y: getattr(m, n)(x, y))(name),
           binary(grid, grid, gen_ia=unit_ints, gen_ib=unit_ints, scalars=(), bool_ok=True),
           method=name, differentiable=False, errors=broadcast_errors(name))
    for name in ("logical_and", "logical_or", "logical_xor")
]
SPECS += [
    OpSpec(name, (lambda n: lambda m, x, y: getattr(m, n)(x, y))(name),
           fixed(lambda rng: Sample((ints(rng, 3, 4, low=-20, high=20), ints(rng, 4))),
                 lambda rng: Sample((bools(rng, 3, 4), bools(rng, 3, 1))),
                 lambda rng: Sample((ints(rng, 3, 4, dtype=np.uint8, low=0, high=200),
                                     ints(rng, 4, low=0, high=200, dtype=np.uint8))),
                 lambda rng: Sample((ints(rng, 3, 4), Raw(6))),
                 lambda rng: Sample((ints(rng, 3, 4, dtype=np.int32), ints(rng))),
                 lambda rng: Sample((bools(rng, 3, 4), ints(rng, 4)))),
           method=name, differentiable=False,
           errors=[ErrorCase((A34, A34), exc=NotImplementedError, match="Float")]
           + broadcast_errors(name, gen_f=ints))
    for name in ("bitwise_and", "bitwise_or", "bitwise_xor")
]
SPECS += [
    OpSpec("isclose", lambda m, x, y, **kw: m.isclose(x, y, **kw),
           fixed(lambda rng: Sample((randn(rng, 3, 4), randn(rng, 3, 4))),
                 lambda rng: Sample((grid(rng, 3, 4), grid(rng, 3, 4) + 1e-6)),
                 lambda rng: Sample((grid(rng, 3, 4), grid(rng, 4) + 1e-3), dict(atol=1e-2)),
                 lambda rng: Sample((specials(rng, 4, 5), specials(rng, 4, 5)),
                                    dict(equal_nan=True)),
                 lambda rng: Sample((specials(rng, 4, 5), specials(rng, 4, 5))),
                 lambda rng: Sample((ints(rng, 3, 4), ints(rng, 3, 4)))),
           method="isclose", differentiable=False),
    OpSpec("allclose", lambda m, x, y, **kw: m.allclose(x, y, **kw),
           fixed(lambda rng: Sample((randn(rng, 3, 4), randn(rng, 3, 4))),
                 lambda rng: Sample((grid(rng, 3, 4), grid(rng, 3, 4))),
                 lambda rng: Sample((np.ones((3, 4), np.float32),
                                     np.ones((3, 4), np.float32) + 1e-6)),
                 lambda rng: Sample((np.ones((3, 4), np.float32),
                                     np.ones(4, np.float32) + 1e-3), dict(rtol=1e-2))),
           method="allclose", differentiable=False),
    OpSpec("equal", lambda m, x, y: m.equal(x, y),
           fixed(lambda rng: Sample((grid(rng, 3, 4), grid(rng, 3, 4))),
                 lambda rng: Sample((np.ones((3, 4), np.float32), np.ones((3, 4), np.float32))),
                 lambda rng: Sample((np.ones((3, 4), np.float32), np.ones((4,), np.float32))),
                 lambda rng: Sample((np.ones((3, 4), np.float32), np.ones((3, 4), np.int64)))),
           method="equal", differentiable=False),
]

# ---------------------------------------------------------------------------- where, clamp, ...
def _where_samples(rng):
    return [
        Sample((randn(rng, 3, 4), bools(rng, 3, 4), randn(rng, 3, 4))),
        Sample((randn(rng, 4), bools(rng, 3, 1), randn(rng, 3, 4))),
        Sample((randn(rng, 2, 3), bools(rng), randn(rng))),
        Sample((randn(rng), bools(rng, 2, 3), randn(rng, 1, 3))),
        Sample((randn(rng, 0, 3), bools(rng, 0, 3), randn(rng, 3))),
        Sample((randn(rng, 3, 4), bools(rng, 3, 4), Raw(0.0)), note="scalar other"),
        Sample((randn(rng, 3, 4), bools(rng, 4), Raw(2)), note="int scalar other"),
        Sample((randn(rng, 3, 4), bools(rng, 3, 4), randn(rng, 3, 4, dtype=np.float64)),
               note="f32 f64"),
        Sample((randn(rng, 3, 4), bools(rng, 3, 4), randn(rng, dtype=np.float64)),
               note="f32, f64 0-d"),
        Sample((ints(rng, 3, 4), bools(rng, 3, 4), randn(rng, 3, 4)), note="int64 f32"),
        Sample((ints(rng, 3, 4), bools(rng, 3, 4), Raw(2.5)), note="int64, float scalar"),
        Sample((ints(rng, 3, 4), bools(rng, 3, 4), ints(rng, 4, dtype=np.int32)),
               note="int64 int32"),
        Sample((bools(rng, 3, 4), bools(rng, 3, 4), bools(rng, 4)), note="bool bool"),
    ]


def _clamp_scalar_samples(rng):
    near = gen(away_from, points=(-0.5, 0.5, 0.2), gap=0.05)
    return [
        *[Sample((near(rng, *s),), dict(min=-0.5, max=0.5)) for s in UNARY_SHAPES],
        Sample((near(rng, 3, 4),), dict(min=-0.5)),
        Sample((near(rng, 3, 4),), dict(max=0.5)),
        Sample((near(rng, 3, 4),), dict(min=0.5, max=-0.5), note="min > max"),
        Sample((near(rng, 3, 4, dtype=np.float64),), dict(min=-0.5, max=0.5)),
        Sample((ints(rng, 3, 4),), dict(min=-2, max=3), note="int, int bounds"),
        Sample((ints(rng, 3, 4),), dict(min=-2.5), note="int, float bound"),
        Sample((ints(rng, 3, 4, dtype=np.int32),), dict(max=1), note="int32"),
    ]


def _clamp_tensor_samples(rng):
    x = gen(away_from, points=(-0.5, 0.5), gap=0.05)
    return [
        Sample((randn(rng, 3, 4), np.full((3, 4), -0.5, np.float32),
                np.full((3, 4), 0.5, np.float32))),
        Sample((randn(rng, 3, 4), uniform(rng, 4, low=-1.0, high=-0.2),
                uniform(rng, 3, 1, low=0.2, high=1.0))),
        Sample((x(rng, 3, 4), np.array(-0.5, np.float32),
                np.array(0.5, np.float32))),
        Sample((x(rng, 2, 3), uniform(rng, 2, 3, low=-1.0, high=-0.2), Raw(None)),
               note="min only"),
        Sample((x(rng, 2, 3), Raw(None), uniform(rng, 3, low=0.2, high=1.0)), note="max only"),
        Sample((randn(rng, 0, 3), uniform(rng, 3, low=-1.0, high=-0.2),
                uniform(rng, 3, low=0.2, high=1.0))),
        Sample((randn(rng, 3, 4, dtype=np.float64), uniform(rng, 4, low=-1.0, high=-0.2),
                uniform(rng, 4, low=0.2, high=1.0)), note="f64 x, f32 bounds"),
        Sample((ints(rng, 3, 4), ints(rng, 4, low=-3, high=-1), ints(rng, 4, low=1, high=3)),
               note="int64"),
        Sample((ints(rng, 3, 4), uniform(rng, 4, low=-1.0, high=-0.2),
                uniform(rng, 4, low=0.2, high=1.0)), note="int x, float bounds"),
    ]


def _clamp_ties(rng):
    return [
        Sample((grid(rng, 3, 4),), dict(min=-0.5, max=0.5)),
        Sample((grid(rng, 3, 4), np.full((3, 4), -0.5, np.float32),
                np.full((4,), 0.5, np.float32))),
        Sample((grid(rng, 3, 4), np.full((3, 4), 0.5, np.float32),
                np.full((4,), -0.5, np.float32)), note="min > max"),
        Sample((grid(rng, 3, 4), uniform(rng, 3, 4), uniform(rng, 3, 4)),
               note="random bounds, some min > max"),
    ]


SPECS += [
    OpSpec("where", lambda m, x, c, y: m.where(c, x, y), _where_samples, method="where",
           errors=[ErrorCase((A34, B34, A35), exc=RuntimeError, match=s)
                   for s in ("where", "(3, 4)", "(3, 5)")]),
    OpSpec("clamp", lambda m, x, **kw: m.clamp(x, **kw), _clamp_scalar_samples,
           method="clamp", errors=[ErrorCase((A34,), exc=RuntimeError)]),
    OpSpec("clip", lambda m, x, **kw: m.clip(x, **kw), _clamp_scalar_samples, method="clip"),
    OpSpec("clamp_tensor", lambda m, x, lo, hi: m.clamp(x, lo, hi), _clamp_tensor_samples,
           method="clamp", errors=[ErrorCase((A34, A35, Raw(None)), exc=RuntimeError, match=s)
                                   for s in ("clamp", "(3, 4)", "(3, 5)")]),
    OpSpec("clamp_ties", lambda m, x, *b, **kw: m.clamp(x, *b, **kw), _clamp_ties,
           method="clamp", gradcheck=False),
    OpSpec("clamp_min", lambda m, x, lo: m.clamp_min(x, lo),
           fixed(lambda rng: Sample((away0(rng, 3, 4), Raw(0.0))),
                 lambda rng: Sample((randn(rng, 3, 4), uniform(rng, 4, low=-0.2, high=0.2))),
                 lambda rng: Sample((ints(rng, 3, 4), Raw(1)))),
           method="clamp_min", gradcheck=False),  # a random bound may sit on x
    OpSpec("clamp_max", lambda m, x, hi: m.clamp_max(x, hi),
           fixed(lambda rng: Sample((away0(rng, 3, 4), Raw(0.0))),
                 lambda rng: Sample((randn(rng, 3, 4), uniform(rng, 4, low=-0.2, high=0.2))),
                 lambda rng: Sample((ints(rng, 3, 4), Raw(1)))),
           method="clamp_max", gradcheck=False),
]


def _lerp_samples(rng):
    return [
        Sample((randn(rng, 3, 4), randn(rng, 3, 4), Raw(0.3))),
        Sample((randn(rng, 3, 4), randn(rng, 4), Raw(1.5))),
        Sample((randn(rng), randn(rng, 2, 3), Raw(-0.5))),
        Sample((randn(rng, 3, 4), randn(rng, 3, 4), uniform(rng, 3, 4))),
        Sample((randn(rng, 3, 1), randn(rng, 4), uniform(rng, 3, 4)), note="broadcast"),
        Sample((randn(rng, 3, 4), randn(rng, 3, 4), uniform(rng)), note="0-d weight"),
        Sample((randn(rng, 0, 4), randn(rng, 4), uniform(rng, 4))),
        Sample((randn(rng, 2, 3, dtype=np.float64), randn(rng, 2, 3, dtype=np.float64),
                Raw(0.25))),
    ]


def _addc_samples(gen_t2):
    def samples(rng):
        return [
            Sample((randn(rng, 3, 4), randn(rng, 3, 4), gen_t2(rng, 3, 4))),
            Sample((randn(rng, 3, 4), randn(rng, 4), gen_t2(rng, 3, 1))),
            Sample((randn(rng), randn(rng, 2, 3), gen_t2(rng, 2, 3)), dict(value=0.5)),
            Sample((randn(rng, 2, 3), randn(rng), gen_t2(rng)), dict(value=-2)),
            Sample((randn(rng, 0, 3), randn(rng, 3), gen_t2(rng, 3))),
            Sample((randn(rng, 3, 4), randn(rng, 3, 4), gen_t2(rng, 3, 4, dtype=np.float64)),
                   note="f64 tensor2"),
        ]
    return samples


SPECS += [
    OpSpec("lerp", lambda m, x, y, w: m.lerp(x, y, w), _lerp_samples, method="lerp",
           errors=[ErrorCase((A34, A35, Raw(0.5)), exc=RuntimeError, match=s)
                   for s in ("lerp", "(3, 4)", "(3, 5)")]
           + [ErrorCase((I34, I34, Raw(0.5)), exc=NotImplementedError)]),
    OpSpec("addcmul", lambda m, x, a, b, **kw: m.addcmul(x, a, b, **kw), _addc_samples(randn),
           method="addcmul",
           errors=[ErrorCase((A34, A34, A35), exc=RuntimeError, match=s)
                   for s in ("addcmul", "(3, 4)", "(3, 5)")]),
    OpSpec("addcdiv", lambda m, x, a, b, **kw: m.addcdiv(x, a, b, **kw), _addc_samples(away0),
           method="addcdiv",
           errors=[ErrorCase((A34, A34, A35), exc=RuntimeError, match=s)
                   for s in ("addcdiv", "(3, 4)", "(3, 5)")]
           + [ErrorCase((I34, I34, I34), exc=RuntimeError)]),
]

# ---------------------------------------------------------------------------- Python operators
_BIN_ARITH = dict(gen_ia=ints, gen_ib=nonzero_ints)
SPECS += [
    OpSpec("op_add", lambda m, x, y: x + y, binary(**_ARITH), errors=broadcast_errors("add")),
    OpSpec("op_radd", lambda m, x: 2.5 + x, unary(randn, ints)),
    OpSpec("op_radd_int", lambda m, x: 3 + x, unary(randn, ints, bool_ok=True)),
    OpSpec("op_sub", lambda m, x, y: x - y, binary(gen_ia=ints, gen_ib=ints),
           errors=broadcast_errors("sub")),
    OpSpec("op_rsub", lambda m, x: 2.0 - x, unary(randn, ints, bool_ok=False)),
    OpSpec("op_mul", lambda m, x, y: x * y, binary(**_ARITH), errors=broadcast_errors("mul")),
    OpSpec("op_rmul", lambda m, x: 2.5 * x, unary(randn, ints)),
    OpSpec("op_truediv", lambda m, x, y: x / y, binary(randn, away0, **_BIN_ARITH),
           errors=broadcast_errors("div")),
    OpSpec("op_rtruediv", lambda m, x: 2.0 / x, unary(away0, nonzero_ints, bool_ok=False)),
    OpSpec("op_rtruediv_int", lambda m, x: 3 / x, unary(away0, nonzero_ints, bool_ok=False)),
    OpSpec("op_floordiv", lambda m, x, y: x // y,
           binary(randn, away0, scalars=(2.5, 2, -3), **_BIN_ARITH), differentiable=False,
           errors=broadcast_errors("floor_divide")),
    OpSpec("op_rfloordiv", lambda m, x: 7 // x, unary(away0, nonzero_ints, bool_ok=False),
           differentiable=False),
    OpSpec("op_mod", lambda m, x, y: x % y,
           binary(randn, away0, scalars=(2.5, -1.5, 3), **_BIN_ARITH), gradcheck=False,
           errors=broadcast_errors("remainder")),
    # torch has no derivative for remainder(Scalar, Tensor)
    OpSpec("op_rmod", lambda m, x: 7.5 % x, unary(away0, nonzero_ints, bool_ok=False),
           differentiable=False),
    OpSpec("op_pow", lambda m, x, y: x ** y,
           binary(positive, uniform, gen_ia=pos_ints, gen_ib=gen(ints, low=0, high=4),
                  scalars=(2, 0.5, -1, 3.0)),
           errors=broadcast_errors("pow", gen_f=positive)),
    OpSpec("op_rpow", lambda m, x: 2.0 ** x, unary(randn, gen(ints, low=0, high=4),
                                                   bool_ok=False)),
    OpSpec("op_rpow_int", lambda m, x: 2 ** x, unary(randn, gen(ints, low=0, high=4),
                                                     bool_ok=False)),
    OpSpec("op_neg", lambda m, x: -x, unary(randn, ints, bool_ok=False)),
    OpSpec("op_pos", lambda m, x: +x, unary(randn, ints, bool_ok=False)),
    OpSpec("op_abs", lambda m, x: abs(x), unary(away0, ints, bool_ok=False)),
    OpSpec("op_invert", lambda m, x: ~x,
           fixed(lambda rng: Sample((ints(rng, 3, 4),)), lambda rng: Sample((bools(rng, 3, 4),))),
           differentiable=False),
    OpSpec("op_and", lambda m, x, y: x & y,
           fixed(lambda rng: Sample((ints(rng, 3, 4), ints(rng, 4))),
                 lambda rng: Sample((bools(rng, 3, 4), bools(rng, 4))),
                 lambda rng: Sample((bools(rng, 3, 4), Raw(True))),
                 lambda rng: Sample((ints(rng, 3, 4), Raw(6)))),
           differentiable=False),
    OpSpec("op_or", lambda m, x, y: x | y,
           fixed(lambda rng: Sample((ints(rng, 3, 4), ints(rng, 4))),
                 lambda rng: Sample((bools(rng, 3, 4), bools(rng, 4))),
                 lambda rng: Sample((bools(rng, 3, 4), Raw(False))),
                 lambda rng: Sample((ints(rng, 3, 4), Raw(6)))),
           differentiable=False),
    OpSpec("op_xor", lambda m, x, y: x ^ y,
           fixed(lambda rng: Sample((ints(rng, 3, 4), ints(rng, 4))),
                 lambda rng: Sample((bools(rng, 3, 4), bools(rng, 4))),
                 lambda rng: Sample((bools(rng, 3, 4), Raw(True))),
                 lambda rng: Sample((ints(rng, 3, 4), Raw(6)))),
           differentiable=False),
    OpSpec("op_rand", lambda m, x: 6 & x,
           fixed(lambda rng: Sample((ints(rng, 3, 4),))), differentiable=False),
    OpSpec("op_ror", lambda m, x: 6 | x,
           fixed(lambda rng: Sample((ints(rng, 3, 4),))), differentiable=False),
]
_PY_CMP = {
    "op_eq": lambda m, x, y: x == y, "op_ne": lambda m, x, y: x != y,
    "op_lt": lambda m, x, y: x < y, "op_le": lambda m, x, y: x <= y,
    "op_gt": lambda m, x, y: x > y, "op_ge": lambda m, x, y: x >= y,
}
SPECS += [
    OpSpec(name, fn, binary(grid, grid, gen_ia=unit_ints, gen_ib=unit_ints,
                            scalars=(0.5, 1), bool_ok=True), differentiable=False)
    for name, fn in _PY_CMP.items()
]
SPECS += [
    OpSpec("op_rlt", lambda m, x: 0.5 < x, unary(grid, unit_ints), differentiable=False),
    OpSpec("op_req", lambda m, x: 1 == x, unary(grid, unit_ints), differentiable=False),
]
