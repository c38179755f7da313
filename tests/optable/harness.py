"""The op table's machinery: one ``OpSpec`` per op drives every generated op test.

An entry's ``op`` is written once against the torch-style API and run by *both* frameworks:
``op=lambda m, x, y: m.add(x, y)`` is called with ``m=deepgrad`` and with ``m=torch``. That is
also the test of API compatibility. ``samples(rng)`` yields ``Sample`` objects whose NumPy
arrays become tensors in each framework (float arrays require grad when the op is
differentiable); ``Raw(v)`` passes a value through unchanged.

Generated checks (see tests/test_ops.py): forward values, dtype and shape against torch;
gradients of every differentiable input against torch.autograd for a random upstream gradient;
the same again with non-contiguous (transposed) inputs; gradcheck in float64; the method form
equals the function form; error inputs raise torch's exception type.
"""
from __future__ import annotations

import dataclasses
from typing import Any, Callable

import numpy as np

import deepgrad as dg

try:
    import torch
except ImportError:  # pragma: no cover - the test extra installs torch
    torch = None


@dataclasses.dataclass
class Raw:
    """A sample argument passed to the op unchanged (not converted to a tensor)."""

    value: Any


@dataclasses.dataclass
class Sample:
    args: tuple
    kwargs: dict = dataclasses.field(default_factory=dict)
    note: str = ""
    # indices of float array args that must NOT require grad (e.g. a target)
    no_grad: tuple = ()

    def __repr__(self):
        shapes = [a.shape if isinstance(a, np.ndarray) else a for a in self.args]
        return f"Sample({self.note or shapes}, {self.kwargs})"


@dataclasses.dataclass
class ErrorCase:
    args: tuple
    kwargs: dict = dataclasses.field(default_factory=dict)
    exc: type = RuntimeError
    match: str | None = None  # a substring deepgrad's message must contain


@dataclasses.dataclass
class OpSpec:
    name: str
    op: Callable  # op(m, *args, **kwargs) with m = deepgrad or torch
    samples: Callable  # samples(rng) -> list[Sample]
    torch_op: Callable | None = None  # when torch spells it differently
    differentiable: bool = True
    gradcheck: bool = True
    method: str | None = None  # Tensor method name equal to the function form on arg 0
    atol: float = 1e-5
    rtol: float = 1e-4
    grad_atol: float | None = None
    grad_rtol: float | None = None
    check_dtype: bool = True
    errors: list = dataclasses.field(default_factory=list)
    noncontig: bool = True
    # outputs compared by value only (e.g. indices of ties) may be excluded by index
    skip_outputs: tuple = ()

    def __repr__(self):
        return self.name


# ---------------------------------------------------------------------------- sample helpers
def randn(rng, *shape, dtype=np.float32):
    return rng.standard_normal(shape).astype(dtype)


def positive(rng, *shape, low=0.5, high=2.0, dtype=np.float32):
    return rng.uniform(low, high, shape).astype(dtype)


def uniform(rng, *shape, low=-1.0, high=1.0, dtype=np.float32):
    return rng.uniform(low, high, shape).astype(dtype)


def away_from(rng, *shape, points=(0.0,), gap=0.1, dtype=np.float32):
    """Normal samples nudged at least ``gap`` away from kinks (for abs, floor, ...)."""
    x = rng.standard_normal(shape)
    for p in points:
        near = np.abs(x - p) < gap
        x = np.where(near, p + np.sign(x - p + 1e-12) * gap * 1.5, x)
    return x.astype(dtype)


def distinct(rng, *shape, dtype=np.float32):
    """Values with no ties anywhere (for sort/max/median index checks)."""
    n = int(np.prod(shape)) if shape else 1
    vals = rng.permutation(n).astype(np.float64) / max(n, 1) * 4 - 2
    vals += rng.uniform(0, 0.5 / max(n, 1), n)
    return vals.reshape(shape).astype(dtype)


UNARY_SHAPES = [(), (5,), (3, 4), (2, 3, 4), (0, 3), (1, 1)]
BROADCAST_PAIRS = [((3, 4), (3, 4)), ((3, 4), (4,)), ((2, 1, 4), (3, 1)), ((), (3, 2)),
                   ((5,), ()), ((1, 4), (3, 1)), ((0, 3), (3,))]


def unary_samples(gen=randn, shapes=UNARY_SHAPES):
    def samples(rng):
        return [Sample((gen(rng, *s),)) for s in shapes]
    return samples


def binary_samples(gen_a=randn, gen_b=randn, pairs=BROADCAST_PAIRS):
    def samples(rng):
        return [Sample((gen_a(rng, *a), gen_b(rng, *b))) for a, b in pairs]
    return samples


# ---------------------------------------------------------------------------- conversion
def to_framework(m, value, requires_grad, transposed=False):
    """Turn a sample argument into framework ``m``'s tensor (or pass it through)."""
    if isinstance(value, Raw):
        return value.value
    if isinstance(value, np.ndarray):
        arr = value
        if transposed and arr.ndim >= 2:
            arr = np.ascontiguousarray(np.swapaxes(arr, -1, -2))
        if m is dg:
            t = dg.tensor(arr)
        else:
            t = torch.tensor(arr)
        if requires_grad:
            t.requires_grad_(True)
        leaf = t
        if transposed and arr.ndim >= 2:
            t = t.transpose(-1, -2)
        return leaf, t
    if isinstance(value, list) and value and isinstance(value[0], np.ndarray):
        items = [to_framework(m, v, requires_grad, transposed) for v in value]
        return [i[0] for i in items], [i[1] for i in items]
    return value


def as_numpy(x):
    if torch is not None and isinstance(x, torch.Tensor):
        x = x.detach()
        if x.dtype == torch.bfloat16:
            x = x.float()
        return x.numpy()
    if isinstance(x, dg.Tensor):
        return np.asarray(x.detach().data, dtype=np.float32 if x.dtype is dg.bfloat16 else None)
    return np.asarray(x)


def dtype_name(x) -> str:
    if isinstance(x, dg.Tensor):
        return x.dtype.name
    return str(x.dtype).replace("torch.", "")


def flatten_outputs(out):
    if isinstance(out, (tuple, list)):
        res = []
        for o in out:
            res.extend(flatten_outputs(o))
        return res
    return [out]
