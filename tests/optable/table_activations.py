"""Op table: activation functions, run as ``m.nn.functional.<fn>`` in both frameworks.

Samples stay away from each function's kinks (0 for relu, +-1 for hardtanh, +-3 for
hardsigmoid/hardswish, +-lambd for the shrinks, the threshold) so that gradients and the
float64 gradcheck are well defined; the values exactly at the kinks have their own entries
(forward and torch's gradient convention, no numeric gradcheck). ``inplace=True`` variants run
on a non-leaf copy (``clone()``) of the input and return both the result and the copy, which
must be the same tensor after the call.
"""
from __future__ import annotations

import functools
import warnings

import numpy as np

from .harness import UNARY_SHAPES, ErrorCase, OpSpec, Raw, Sample, randn


# ---------------------------------------------------------------------------- generators
def spread(rng, *shape, scale=1.0, kinks=(0.0,), gap=0.1, dtype=np.float32):
    """``scale``-wide normal samples nudged at least ``gap`` away from every kink."""
    x = rng.standard_normal(shape) * scale
    for p in kinks:
        near = np.abs(x - p) < gap
        x = np.where(near, p + np.where(x >= p, 1.0, -1.0) * gap * 1.5, x)
    return np.asarray(x).astype(dtype)


def at_kinks(points, scale=1.0):
    """Samples that contain each kink exactly (plus normal values around them)."""
    def generate(rng, *shape, dtype=np.float32):
        x = rng.standard_normal(shape) * scale
        flat = x.reshape(-1)
        for i, p in enumerate(points):
            if i < flat.size:
                flat[i] = p
        return np.asarray(x).astype(dtype)
    return generate


def gen(fn, **kw):
    return functools.partial(fn, **kw)


def ints(rng, *shape, dtype=np.int64):
    return rng.integers(-8, 9, shape).astype(dtype)


def unary(gen_f, kwargs=None, int_ok=False, shapes=UNARY_SHAPES):
    """Float32 samples over the standard shapes, a float64 one, and int64 when supported."""
    kwargs = kwargs or {}

    def samples(rng):
        out = [Sample((gen_f(rng, *s),), dict(kwargs)) for s in shapes]
        out.append(Sample((gen_f(rng, 3, 2, dtype=np.float64),), dict(kwargs), note="float64"))
        if int_ok:
            out.append(Sample((ints(rng, 3, 4),), dict(kwargs), note="int64"))
        return out
    return samples


def chain(*builders):
    def samples(rng):
        return [s for b in builders for s in b(rng)]
    return samples


def fn(name, **fixed):
    """``m.nn.functional.<name>(x, ...)``."""
    def op(m, *args, **kwargs):
        return getattr(m.nn.functional, name)(*args, **{**fixed, **kwargs})
    return op


def inplace(name, **fixed):
    """``<name>(y, inplace=True)`` on a non-leaf copy ``y``; returns (result, y)."""
    def op(m, x, **kwargs):
        y = x.clone()
        out = getattr(m.nn.functional, name)(y, inplace=True, **fixed, **kwargs)
        assert out is y, f"{name}(inplace=True) must return its input"
        return out, y
    return op


def underscore(name, **fixed):
    """The ``F.<name>_`` spelling (always in place) on a non-leaf copy."""
    def op(m, x, **kwargs):
        y = x.clone()
        out = getattr(m.nn.functional, name + "_")(y, **fixed, **kwargs)
        assert out is y, f"{name}_ must return its input"
        return out, y
    return op


_ERR = np.random.default_rng(5)
X34 = randn(_ERR, 3, 4)
X35 = randn(_ERR, 3, 5)
X2345 = randn(_ERR, 2, 3, 4, 5)

off0 = gen(spread, scale=2.0, kinks=(0.0,))
SPECS = []


def add(name, op, samples, **kw):
    SPECS.append(OpSpec(name, op=op, samples=samples, **kw))


# ---------------------------------------------------------------------------- relu family
add("F.relu", fn("relu"), unary(off0, int_ok=True))
add("F.relu_inplace", inplace("relu"), unary(off0))
add("F.relu_", underscore("relu"), unary(off0))
add("F.relu_at_0", fn("relu"), unary(at_kinks((0.0,)), shapes=[(3, 4)]), gradcheck=False)
add("F.relu6", fn("relu6"), unary(gen(spread, scale=4.0, kinks=(0.0, 6.0))))
add("F.relu6_inplace", inplace("relu6"), unary(gen(spread, scale=4.0, kinks=(0.0, 6.0))))
add("F.relu6_at_kinks", fn("relu6"), unary(at_kinks((0.0, 6.0)), shapes=[(3, 4)]),
    gradcheck=False)
add("F.leaky_relu", fn("leaky_relu"), unary(off0))
add("F.leaky_relu_slope", fn("leaky_relu", negative_slope=0.2), unary(off0))
add("F.leaky_relu_inplace", inplace("leaky_relu", negative_slope=0.3), unary(off0))
add("F.leaky_relu_", underscore("leaky_relu", negative_slope=0.3), unary(off0))
add("F.leaky_relu_at_0", fn("leaky_relu", negative_slope=0.2),
    unary(at_kinks((0.0,)), shapes=[(3, 4)]), gradcheck=False)
add("F.prelu_scalar_weight",
    fn("prelu"),
    lambda rng: [Sample((off0(rng, *s), np.array([0.3], np.float32)))
                 for s in [(), (5,), (3, 4), (2, 3, 4), (2, 3, 2, 2), (0, 3)]]
    + [Sample((off0(rng, 2, 3, dtype=np.float64), np.array([-0.4])), note="float64")])
add("F.prelu_per_channel",
    fn("prelu"),
    lambda rng: [Sample((off0(rng, 4, 3), randn(rng, 3))),
                 Sample((off0(rng, 2, 3, 5), randn(rng, 3))),
                 Sample((off0(rng, 2, 3, 4, 4), randn(rng, 3))),
                 Sample((off0(rng, 2, 3, 4, 4, dtype=np.float64), randn(rng, 3,
                                                                          dtype=np.float64)),
                        note="float64")],
    errors=[ErrorCase((X2345, randn(_ERR, 4)), exc=RuntimeError)])
add("F.rrelu_eval", fn("rrelu", training=False), unary(off0))
add("F.rrelu_eval_bounds", fn("rrelu", lower=0.05, upper=0.5, training=False), unary(off0))

# ---------------------------------------------------------------------------- exponential
add("F.elu", fn("elu"), unary(off0))
add("F.elu_alpha", fn("elu", alpha=0.5), unary(off0))
add("F.elu_inplace", inplace("elu", alpha=1.5), unary(off0))
add("F.elu_", underscore("elu"), unary(off0))
add("F.elu_at_0", fn("elu", alpha=0.5), unary(at_kinks((0.0,)), shapes=[(3, 4)]),
    gradcheck=False)
add("F.selu", fn("selu"), unary(off0))
add("F.selu_inplace", inplace("selu"), unary(off0))
add("F.celu", fn("celu"), unary(off0))
add("F.celu_alpha", fn("celu", alpha=2.0), unary(off0))
add("F.celu_inplace", inplace("celu", alpha=0.7), unary(off0))
add("F.celu_at_0", fn("celu", alpha=2.0), unary(at_kinks((0.0,)), shapes=[(3, 4)]),
    gradcheck=False)
add("F.gelu", fn("gelu"), unary(gen(spread, scale=3.0, kinks=())))
add("F.gelu_tanh", fn("gelu", approximate="tanh"), unary(gen(spread, scale=3.0, kinks=())),
    errors=[ErrorCase((X34,), {"approximate": "cubic"}, exc=RuntimeError)])
add("F.silu", fn("silu"), unary(gen(spread, scale=3.0, kinks=())))
add("F.silu_inplace", inplace("silu"), unary(gen(spread, scale=3.0, kinks=())))
add("F.mish", fn("mish"), unary(gen(spread, scale=3.0, kinks=())))
add("F.mish_inplace", inplace("mish"), unary(gen(spread, scale=3.0, kinks=())))
add("F.sigmoid", fn("sigmoid"), unary(gen(spread, scale=4.0, kinks=())))
add("F.tanh", fn("tanh"), unary(gen(spread, scale=2.0, kinks=())))
add("F.softplus", fn("softplus"), unary(gen(spread, scale=3.0, kinks=())))
add("F.softplus_beta", fn("softplus", beta=2.0), unary(gen(spread, scale=3.0, kinks=())))
add("F.softplus_threshold", fn("softplus", beta=0.5, threshold=1.5),
    unary(gen(spread, scale=4.0, kinks=(3.0,), gap=0.1)))
add("F.softplus_large_inputs", fn("softplus"),
    lambda rng: [Sample((np.array([-200.0, -50.0, -20.5, -5.0, 0.5, 19.5, 20.5, 50.0, 200.0],
                                  np.float32),)),
                 Sample((np.array([-800.0, -30.0, 25.0, 800.0], np.float64),),
                        note="float64"),
                 Sample((np.array([-100.0, 4.5, 100.0], np.float32),), {"beta": 10.0,
                                                                         "threshold": 30.0},
                        note="beta 10")],
    gradcheck=False)
add("F.softsign", fn("softsign"), unary(gen(spread, scale=3.0, kinks=(0.0,))))
add("F.logsigmoid", fn("logsigmoid"), unary(gen(spread, scale=4.0, kinks=())))
add("F.logsigmoid_large_inputs", fn("logsigmoid"),
    lambda rng: [Sample((np.array([-200.0, -50.0, -20.0, 0.5, 20.0, 50.0, 200.0],
                                  np.float32),))],
    gradcheck=False)
add("F.tanhshrink", fn("tanhshrink"), unary(gen(spread, scale=2.0, kinks=())))

# ---------------------------------------------------------------------------- piecewise linear
ht = gen(spread, scale=2.0, kinks=(-1.0, 1.0))
add("F.hardtanh", fn("hardtanh"), unary(ht))
add("F.hardtanh_bounds", fn("hardtanh", min_val=-0.5, max_val=2.0),
    unary(gen(spread, scale=2.0, kinks=(-0.5, 2.0))),
    errors=[ErrorCase((X34,), {"min_val": 1.0, "max_val": 0.0}, exc=ValueError)])
add("F.hardtanh_inplace", inplace("hardtanh"), unary(ht))
add("F.hardtanh_", underscore("hardtanh"), unary(ht))
add("F.hardtanh_at_kinks", fn("hardtanh"), unary(at_kinks((-1.0, 1.0)), shapes=[(3, 4)]),
    gradcheck=False)
hs = gen(spread, scale=4.0, kinks=(-3.0, 3.0))
add("F.hardsigmoid", fn("hardsigmoid"), unary(hs))
add("F.hardsigmoid_inplace", inplace("hardsigmoid"), unary(hs))
add("F.hardsigmoid_at_kinks", fn("hardsigmoid"), unary(at_kinks((-3.0, 3.0), 4.0),
                                                      shapes=[(3, 4)]), gradcheck=False)
add("F.hardswish", fn("hardswish"), unary(hs))
add("F.hardswish_inplace", inplace("hardswish"), unary(hs))
add("F.hardswish_at_kinks", fn("hardswish"), unary(at_kinks((-3.0, 3.0), 4.0),
                                                  shapes=[(3, 4)]), gradcheck=False)
add("F.softshrink", fn("softshrink"), unary(gen(spread, scale=2.0, kinks=(-0.5, 0.5))))
add("F.softshrink_lambd", fn("softshrink", lambd=1.0),
    unary(gen(spread, scale=2.0, kinks=(-1.0, 1.0))))
add("F.softshrink_at_kinks", fn("softshrink"), unary(at_kinks((-0.5, 0.5)), shapes=[(3, 4)]),
    gradcheck=False)
add("F.hardshrink", fn("hardshrink"), unary(gen(spread, scale=2.0, kinks=(-0.5, 0.5))))
add("F.hardshrink_lambd", fn("hardshrink", lambd=1.0),
    unary(gen(spread, scale=2.0, kinks=(-1.0, 1.0))))
add("F.hardshrink_at_kinks", fn("hardshrink"), unary(at_kinks((-0.5, 0.5)), shapes=[(3, 4)]),
    gradcheck=False)
add("F.threshold", fn("threshold", threshold=0.3, value=-2.0),
    unary(gen(spread, scale=2.0, kinks=(0.3,))))
add("F.threshold_inplace", inplace("threshold", threshold=-0.2, value=5.0),
    unary(gen(spread, scale=2.0, kinks=(-0.2,))))
add("F.threshold_", underscore("threshold", threshold=-0.2, value=5.0),
    unary(gen(spread, scale=2.0, kinks=(-0.2,))))
add("F.threshold_at_kink", fn("threshold", threshold=0.5, value=-1.0),
    unary(at_kinks((0.5,)), shapes=[(3, 4)]), gradcheck=False)

# ---------------------------------------------------------------------------- gated, softmax
add("F.glu",
    fn("glu"),
    lambda rng: [Sample((randn(rng, 4, 6),)),
                 Sample((randn(rng, 4, 6, 2),), {"dim": 1}),
                 Sample((randn(rng, 2, 3, 4),), {"dim": 0}),
                 Sample((randn(rng, 8),)),
                 Sample((randn(rng, 2, 4, dtype=np.float64),), {"dim": -1}, note="float64")],
    errors=[ErrorCase((X35,), exc=RuntimeError), ErrorCase((X34,), {"dim": 0},
                                                            exc=RuntimeError)])


def softmax_samples(rng):
    return [
        Sample((randn(rng, 3, 4),), {"dim": 1}),
        Sample((randn(rng, 3, 4),), {"dim": 0}),
        Sample((randn(rng, 2, 3, 4),), {"dim": -1}),
        Sample((randn(rng, 2, 3, 4),), {"dim": 1}),
        Sample((randn(rng, 5),), {"dim": 0}),
        Sample((randn(rng),), {"dim": 0}, note="0-d"),
        Sample((randn(rng, 0, 3),), {"dim": 1}, note="empty"),
        Sample((randn(rng, 3, 4) * 30,), {"dim": 1}, note="large logits"),
        Sample((randn(rng, 2, 3, dtype=np.float64),), {"dim": 1}, note="float64"),
    ]


_SOFTMAX_ERRORS = [ErrorCase((X34,), {"dim": 2}, exc=IndexError),
                   ErrorCase((X34,), {"dim": -3}, exc=IndexError)]
for _name in ("softmax", "log_softmax", "softmin"):
    add(f"F.{_name}", fn(_name), softmax_samples, errors=_SOFTMAX_ERRORS)
    add(f"F.{_name}_dtype",
        lambda m, x, _n=_name, **kw: getattr(m.nn.functional, _n)(x, dtype=m.float64, **kw),
        lambda rng: [Sample((randn(rng, 3, 4),), {"dim": 1}),
                     Sample((randn(rng, 2, 3, 4),), {"dim": 0})])
    add(f"F.{_name}_dim_positional",
        lambda m, x, _n=_name: getattr(m.nn.functional, _n)(x, 1),
        lambda rng: [Sample((randn(rng, 3, 4),))])
    add(f"F.{_name}_int_with_dtype",
        lambda m, x, _n=_name: getattr(m.nn.functional, _n)(x, 1, dtype=m.float32),
        lambda rng: [Sample((ints(rng, 3, 4),))], differentiable=False)

# heaviside has no torch functional form: the Heaviside module's function against torch's
add("F.heaviside_step",
    lambda m, x, v: m.nn.functional.heaviside_step(x, v),
    lambda rng: [Sample((at_kinks((0.0, 0.0))(rng, 3, 4), Raw(0.5))),
                 Sample((at_kinks((0.0,))(rng, 5), Raw(0.0)))],
    torch_op=lambda m, x, v: m.heaviside(x.detach(), m.tensor(v, dtype=x.dtype)),
    differentiable=False)

# ---------------------------------------------------------------------------- integer inputs
# relu, relu6, hardtanh and threshold keep integer dtypes; the rest either promote to float
# (sigmoid, tanh, softsign, tanhshrink) or are not implemented for integers.
add("F.int_preserving",
    lambda m, x: (m.nn.functional.relu(x), m.nn.functional.relu6(x * 2),
                  m.nn.functional.hardtanh(x, -2.5, 3.7), m.nn.functional.threshold(x, 1.5, 4.7)),
    lambda rng: [Sample((ints(rng, 3, 4),)), Sample((ints(rng, 5, dtype=np.int32),))],
    differentiable=False)
add("F.int_promoting",
    lambda m, x: (m.nn.functional.sigmoid(x), m.nn.functional.tanh(x),
                  m.nn.functional.softsign(x), m.nn.functional.tanhshrink(x)),
    lambda rng: [Sample((ints(rng, 3, 4),))], differentiable=False)
_I34 = ints(_ERR, 3, 4)
add("F.int_not_implemented",
    lambda m, x, name, **kw: getattr(m.nn.functional, name)(x, **kw),
    lambda rng: [],
    errors=[ErrorCase((_I34, Raw(n)), exc=NotImplementedError)
            for n in ("leaky_relu", "elu", "selu", "celu", "gelu", "silu", "mish", "softplus",
                      "logsigmoid", "hardsigmoid", "hardswish", "softshrink", "hardshrink",
                      "glu")]
    + [ErrorCase((_I34, Raw("softmax")), {"dim": 1}, exc=NotImplementedError),
       ErrorCase((_I34, Raw("log_softmax")), {"dim": 1}, exc=NotImplementedError)])


def _implicit_dim(name):
    """``<name>(x)`` without ``dim`` (deprecated: torch picks 0 for 0/1/3-d input, else 1)."""
    def op(m, x):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            return getattr(m.nn.functional, name)(x)
    return op


for _name in ("softmax", "log_softmax", "softmin"):
    add(f"F.{_name}_implicit_dim", _implicit_dim(_name),
        lambda rng: [Sample((randn(rng, *s),)) for s in [(5,), (3, 4), (2, 3, 4), (2, 3, 2, 2)]])
