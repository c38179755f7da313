"""The fused Linear Function against the composed reference (matmul + add) and torch,
first and second order."""
from __future__ import annotations

import numpy as np
import pytest

import deepgrad as dg
import deepgrad.nn.functional as F
from deepgrad.ops import linalg

torch = pytest.importorskip("torch")


def _composed(x, w, b):
    out = linalg.matmul(x, w.mT)
    return out if b is None else out + b


@pytest.mark.parametrize("x_shape", [(5,), (4, 3), (2, 4, 3), (2, 1, 4, 3), (0, 3)])
@pytest.mark.parametrize("bias", [True, False])
def test_fused_linear_equals_composed_and_torch(x_shape, bias):
    rng = np.random.default_rng(0)
    xs = rng.standard_normal(x_shape[:-1] + (3,) if len(x_shape) > 1 else (3,))
    ws, bs = rng.standard_normal((6, 3)), rng.standard_normal(6)
    outs, grads = [], []
    for fn in (F.linear, _composed):
        x, w = dg.tensor(xs, requires_grad=True), dg.tensor(ws, requires_grad=True)
        b = dg.tensor(bs, requires_grad=True) if bias else None
        y = fn(x, w, b)
        y.square().sum().backward()
        outs.append(y.detach().numpy())
        grads.append([t.grad.numpy() for t in (x, w, b) if t is not None])
    tx, tw = torch.tensor(xs, requires_grad=True), torch.tensor(ws, requires_grad=True)
    tb = torch.tensor(bs, requires_grad=True) if bias else None
    ty = torch.nn.functional.linear(tx, tw, tb)
    ty.square().sum().backward()
    np.testing.assert_allclose(outs[0], outs[1], rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(outs[0], ty.detach().numpy(), rtol=1e-12, atol=1e-12)
    for a, c, t in zip(grads[0], grads[1], [t.grad.numpy() for t in (tx, tw, tb) if t is not None]):
        np.testing.assert_allclose(a, c, rtol=1e-12, atol=1e-12)
        np.testing.assert_allclose(a, t, rtol=1e-12, atol=1e-12)


def test_fused_linear_double_backward():
    rng = np.random.default_rng(1)
    x = dg.tensor(rng.standard_normal((4, 3)), requires_grad=True)
    w = dg.tensor(rng.standard_normal((2, 3)), requires_grad=True)
    b = dg.tensor(rng.standard_normal(2), requires_grad=True)
    assert dg.autograd.gradgradcheck(lambda x, w, b: F.linear(x, w, b).tanh(), (x, w, b))
