"""Negative-step slices, ``x[::-1]``: torch rejects them, so the oracle is NumPy's indexing.

Forward values must equal NumPy's ``a[index]``; the gradient must be the upstream gradient
written back at the same positions (checked directly and with a float64 gradcheck).
"""
import numpy as np
import pytest

import deepgrad as dg

_ALL = slice(None)

INDICES = [
    slice(None, None, -1),
    (_ALL, slice(None, None, -2)),
    slice(3, 0, -1),
    (Ellipsis, slice(None, None, -1)),
    (slice(-1, None, -3), 1),
    (slice(None, None, -1), slice(None, None, -1), slice(1, None, 2)),
    (None, slice(2, None, -1), Ellipsis, slice(-2, -6, -2)),
    slice(-10, 10, -1),  # empty
]


@pytest.mark.parametrize("index", INDICES, ids=[str(i) for i in INDICES])
def test_forward_matches_numpy(index):
    a = np.random.default_rng(0).standard_normal((4, 3, 5)).astype(np.float32)
    out = dg.tensor(a)[index]
    expected = a[index]
    assert out.shape == expected.shape
    assert out.dtype is dg.float32
    np.testing.assert_array_equal(out.numpy(), expected)


@pytest.mark.parametrize("index", INDICES, ids=[str(i) for i in INDICES])
def test_gradient_scatters_back(index):
    rng = np.random.default_rng(1)
    a = rng.standard_normal((4, 3, 5))
    x = dg.tensor(a, requires_grad=True)
    out = x[index]
    g = rng.standard_normal(out.shape)
    (out * dg.tensor(g)).sum().backward()
    expected = np.zeros_like(a)
    expected[index] = g
    np.testing.assert_allclose(x.grad.numpy(), expected)


@pytest.mark.parametrize("index", INDICES[:-1], ids=[str(i) for i in INDICES[:-1]])
def test_gradcheck_float64(index):
    x = dg.tensor(np.random.default_rng(2).standard_normal((4, 3, 5)), requires_grad=True)
    assert dg.autograd.gradcheck(lambda t: t[index] * 2.0, (x,), eps=1e-6, atol=1e-5)


def test_equals_flip():
    a = np.random.default_rng(3).standard_normal((3, 4)).astype(np.float32)
    x = dg.tensor(a)
    np.testing.assert_array_equal(x[::-1, ::-1].numpy(), dg.flip(x, (0, 1)).numpy())
