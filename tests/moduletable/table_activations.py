"""Module table: every activation module (``nn.ReLU`` ... ``nn.Softmax2d``) against torch's.

Inputs avoid each function's kinks so gradients are well defined. ``inplace=True`` modules run
on a non-leaf input (``x * 1``), as they must in torch. ``nn.Heaviside`` has no torch module: the
torch side is a small wrapper over ``torch.heaviside``.
"""
from __future__ import annotations

import importlib

import numpy as np

from .harness import ModuleSpec, Sample, randn


def spread(rng, *shape, scale=2.0, kinks=(0.0,), gap=0.1, dtype=np.float32):
    """``scale``-wide normal samples nudged at least ``gap`` away from every kink."""
    x = rng.standard_normal(shape) * scale
    for p in kinks:
        near = np.abs(x - p) < gap
        x = np.where(near, p + np.where(x >= p, 1.0, -1.0) * gap * 1.5, x)
    return np.asarray(x).astype(dtype)


def inputs(scale=2.0, kinks=(0.0,), shapes=((4, 5), (2, 3, 4), (7,), ())):
    """Samples of several shapes, including 0-d."""
    def samples(rng):
        return [Sample((spread(rng, *s, scale=scale, kinks=kinks),)) for s in shapes]
    return samples


def on_copy(mod, x):
    """Call an in-place module on a non-leaf copy of the leaf input."""
    return mod(x * 1.0)


def heaviside(nn, value):
    """``nn.Heaviside(value)``, or for torch (which has no such module) a wrapper around
    ``torch.heaviside`` on the detached input."""
    if hasattr(nn, "Heaviside"):
        return nn.Heaviside(value)
    torch = importlib.import_module("torch")

    class TorchHeaviside(nn.Module):
        def forward(self, x):
            return torch.heaviside(x.detach(), torch.tensor(value, dtype=x.dtype))

    return TorchHeaviside()


def with_zeros(rng):
    x = randn(rng, 3, 4)
    x[0, :2] = 0.0
    return [Sample((x,)), Sample((np.zeros((2, 2), np.float32),))]


SPECS = []


def add(name, ctor, samples, **kw):
    SPECS.append(ModuleSpec(name, ctor=ctor, samples=samples, **kw))


def add_inplace(name, ctor, scale=2.0, kinks=(0.0,), **kw):
    add(name, ctor, inputs(scale, kinks), call=on_copy, **kw)


add("ReLU", lambda nn: nn.ReLU(), inputs())
add_inplace("ReLU_inplace", lambda nn: nn.ReLU(inplace=True))
add("ReLU6", lambda nn: nn.ReLU6(), inputs(scale=4.0, kinks=(0.0, 6.0)))
add_inplace("ReLU6_inplace", lambda nn: nn.ReLU6(inplace=True), 4.0, (0.0, 6.0))
add("LeakyReLU", lambda nn: nn.LeakyReLU(), inputs())
add_inplace("LeakyReLU_slope_inplace", lambda nn: nn.LeakyReLU(0.2, inplace=True))
add("PReLU_single", lambda nn: nn.PReLU(), inputs())
add("PReLU_channels", lambda nn: nn.PReLU(3, init=0.1),
    lambda rng: [Sample((spread(rng, 4, 3),)), Sample((spread(rng, 2, 3, 5),)),
                 Sample((spread(rng, 2, 3, 4, 4),))])
add("RReLU", lambda nn: nn.RReLU(0.1, 0.3), inputs(), modes=("eval",))
add("ELU", lambda nn: nn.ELU(), inputs())
add_inplace("ELU_alpha_inplace", lambda nn: nn.ELU(alpha=0.5, inplace=True))
add("CELU", lambda nn: nn.CELU(alpha=1.5), inputs())
add("SELU", lambda nn: nn.SELU(), inputs())
add_inplace("SELU_inplace", lambda nn: nn.SELU(inplace=True))
add("GELU", lambda nn: nn.GELU(), inputs(scale=3.0, kinks=()))
add("GELU_tanh", lambda nn: nn.GELU(approximate="tanh"), inputs(scale=3.0, kinks=()))
add("SiLU", lambda nn: nn.SiLU(), inputs(scale=3.0, kinks=()))
add_inplace("SiLU_inplace", lambda nn: nn.SiLU(inplace=True), 3.0, ())
add("Mish", lambda nn: nn.Mish(), inputs(scale=3.0, kinks=()))
add("Sigmoid", lambda nn: nn.Sigmoid(), inputs(scale=3.0, kinks=()))
add("Tanh", lambda nn: nn.Tanh(), inputs(kinks=()))
add("Hardtanh", lambda nn: nn.Hardtanh(), inputs(kinks=(-1.0, 1.0)))
add_inplace("Hardtanh_bounds_inplace", lambda nn: nn.Hardtanh(-0.5, 2.0, inplace=True),
            kinks=(-0.5, 2.0))
add("Hardsigmoid", lambda nn: nn.Hardsigmoid(), inputs(scale=4.0, kinks=(-3.0, 3.0)))
add("Hardswish", lambda nn: nn.Hardswish(), inputs(scale=4.0, kinks=(-3.0, 3.0)))
add_inplace("Hardswish_inplace", lambda nn: nn.Hardswish(inplace=True), 4.0, (-3.0, 3.0))
add_inplace("Hardsigmoid_inplace", lambda nn: nn.Hardsigmoid(inplace=True), 4.0, (-3.0, 3.0))
add_inplace("Mish_inplace", lambda nn: nn.Mish(inplace=True), 3.0, ())
add_inplace("CELU_inplace", lambda nn: nn.CELU(0.7, inplace=True))
add_inplace("RReLU_inplace_eval", lambda nn: nn.RReLU(inplace=True), modes=("eval",))
add("Softplus", lambda nn: nn.Softplus(), inputs(scale=3.0, kinks=()))
add("Softplus_beta_threshold", lambda nn: nn.Softplus(beta=2.0, threshold=3.0),
    inputs(scale=3.0, kinks=(1.5,)))
add("Softsign", lambda nn: nn.Softsign(), inputs())
add("LogSigmoid", lambda nn: nn.LogSigmoid(), inputs(scale=3.0, kinks=()))
add("Tanhshrink", lambda nn: nn.Tanhshrink(), inputs(kinks=()))
add("Softshrink", lambda nn: nn.Softshrink(), inputs(kinks=(-0.5, 0.5)))
add("Softshrink_lambd", lambda nn: nn.Softshrink(1.0), inputs(kinks=(-1.0, 1.0)))
add("Hardshrink", lambda nn: nn.Hardshrink(), inputs(kinks=(-0.5, 0.5)))
add("Hardshrink_lambd", lambda nn: nn.Hardshrink(0.8), inputs(kinks=(-0.8, 0.8)))
add("Threshold", lambda nn: nn.Threshold(0.2, -1.0), inputs(kinks=(0.2,)))
add_inplace("Threshold_inplace", lambda nn: nn.Threshold(0.2, 3.0, inplace=True),
            kinks=(0.2,))
add("GLU", lambda nn: nn.GLU(), lambda rng: [Sample((randn(rng, 3, 8),)),
                                            Sample((randn(rng, 2, 3, 4),))])
add("GLU_dim1", lambda nn: nn.GLU(dim=1), lambda rng: [Sample((randn(rng, 3, 6, 2),))])
for _cls in ("Softmax", "LogSoftmax", "Softmin"):
    add(f"{_cls}_dim1", lambda nn, _c=_cls: getattr(nn, _c)(dim=1),
        lambda rng: [Sample((randn(rng, 3, 5),)), Sample((randn(rng, 2, 4, 3),))])
    add(f"{_cls}_dim_last", lambda nn, _c=_cls: getattr(nn, _c)(-1),
        lambda rng: [Sample((randn(rng, 3, 5) * 10,)), Sample((randn(rng, 2, 4, 3),))])
add("Softmax2d", lambda nn: nn.Softmax2d(),
    lambda rng: [Sample((randn(rng, 2, 3, 4, 5),)), Sample((randn(rng, 3, 4, 5),))])
add("Heaviside", lambda nn: heaviside(nn, 0.5), with_zeros)
add("Heaviside_default", lambda nn: heaviside(nn, 0.0), with_zeros)
