"""Second-order gradients of the reductions: gradgradcheck in float64, and Hessian-vector
products (grad of ``<grad L, v>`` with ``create_graph=True``) compared with torch.

Ops whose gradient does not depend on the input (sum, mean, cumsum: linear; amax: piecewise
linear) are squared first, so that their backward is itself differentiated.
"""
from __future__ import annotations

import importlib
import pathlib
import subprocess
import sys

import numpy as np
import pytest

import deepgrad as dg

torch = pytest.importorskip("torch")


def _linalg(m):
    """``m.linalg`` as a module import (see test_deepgrad_linalg_attribute_is_the_module)."""
    return importlib.import_module(m.__name__ + ".linalg")


def _randn(*shape):
    return np.random.default_rng(sum(shape) + len(shape)).standard_normal(shape)


def _distinct(*shape):
    n = int(np.prod(shape))
    return (np.random.default_rng(n).permutation(n) / n * 4 - 2 + 0.01).reshape(shape)


ZEROS_1 = np.array([[1.5, 0.0, 2.0, -0.5], [0.7, 1.2, -1.1, 0.9]])
ZEROS_2 = np.array([[0.0, 2.0, 0.0, 3.0], [1.5, -0.4, 0.8, -2.0]])

# (id, fn(m, x), input array)
CASES = [
    ("sum_all_sq", lambda m, x: m.sum(x) ** 2, _randn(3, 4)),
    ("sum_dim_sq", lambda m, x: m.sum(x, 1) ** 2, _randn(3, 4)),
    ("sum_dims_keepdim_sq", lambda m, x: m.sum(x, (0, 2), keepdim=True) ** 2, _randn(2, 3, 4)),
    ("mean_all_sq", lambda m, x: m.mean(x) ** 2, _randn(3, 4)),
    ("mean_dim_sq", lambda m, x: m.mean(x, -1) ** 2, _randn(2, 3, 4)),
    ("prod_all", lambda m, x: m.prod(x), _randn(2, 3)),
    ("prod_dim", lambda m, x: m.prod(x, 1), _randn(3, 4)),
    ("prod_dim_keepdim", lambda m, x: m.prod(x, 0, keepdim=True), _randn(3, 4)),
    ("prod_one_zero", lambda m, x: m.prod(x, 1), ZEROS_1),
    ("prod_zeros", lambda m, x: m.prod(x, 1), ZEROS_2),
    ("prod_all_one_zero", lambda m, x: m.prod(x), ZEROS_1),
    ("amax_sq", lambda m, x: m.amax(x, 1) ** 2, _distinct(3, 4)),
    ("amax_all_sq", lambda m, x: m.amax(x) ** 2, _distinct(3, 4)),
    ("amin_dims_sq", lambda m, x: m.amin(x, (0, 2)) ** 2, _distinct(2, 3, 4)),
    ("max_dim_sq", lambda m, x: m.max(x, 0).values ** 2, _distinct(3, 4)),
    ("logsumexp_dim", lambda m, x: m.logsumexp(x, 1), _randn(3, 4)),
    ("logsumexp_dims", lambda m, x: m.logsumexp(x, (0, 1)), _randn(3, 4)),
    ("logsumexp_keepdim", lambda m, x: m.logsumexp(x, -1, keepdim=True), _randn(2, 3, 4)),
    ("softmax_dim1", lambda m, x: m.softmax(x, 1), _randn(3, 4)),
    ("softmax_dim0", lambda m, x: m.softmax(x, 0), _randn(3, 4)),
    ("softmax_neg", lambda m, x: m.softmax(x, -2), _randn(2, 3, 4)),
    ("log_softmax_dim1", lambda m, x: m.log_softmax(x, 1), _randn(3, 4)),
    ("log_softmax_neg", lambda m, x: m.log_softmax(x, -1), _randn(2, 3, 4)),
    ("var_all", lambda m, x: m.var(x), _randn(3, 4)),
    ("var_dim", lambda m, x: m.var(x, 1), _randn(3, 4)),
    ("var_correction0", lambda m, x: m.var(x, 0, correction=0, keepdim=True), _randn(3, 4)),
    ("std_dim", lambda m, x: m.std(x, 1), _randn(3, 4)),
    ("norm_2", lambda m, x: m.norm(x), _randn(3, 4)),
    ("norm_2_dim", lambda m, x: m.norm(x, 2, 1), _randn(3, 4)),
    ("norm_3_dim", lambda m, x: m.norm(x, 3, 1), _randn(3, 4)),
    ("norm_1_5", lambda m, x: m.norm(x, 1.5, 0, keepdim=True), _randn(3, 4)),
    ("norm_fro_dims", lambda m, x: m.norm(x, "fro", (0, 2)), _randn(2, 3, 4)),
    ("norm_inf_sq", lambda m, x: m.norm(x, float("inf"), 1) ** 2, _distinct(3, 4)),
    ("norm_1_sq", lambda m, x: m.norm(x, 1, 1) ** 2, _randn(3, 4)),
    ("vector_norm_0_5", lambda m, x: _linalg(m).vector_norm(x, 0.5, 1), _randn(3, 4)),
    ("matrix_norm_fro", lambda m, x: _linalg(m).matrix_norm(x), _randn(2, 3, 4)),
    ("matrix_norm_1_sq", lambda m, x: _linalg(m).matrix_norm(x, 1) ** 2, _randn(3, 4)),
    ("cumsum_sq", lambda m, x: m.cumsum(x, 1) ** 2, _randn(3, 4)),
    ("cumprod", lambda m, x: m.cumprod(x, 1), _randn(3, 4)),
    ("cumprod_zeros", lambda m, x: m.cumprod(x, 1), ZEROS_2),
    ("logcumsumexp", lambda m, x: m.logcumsumexp(x, 1), _randn(3, 4)),
]
IDS = [c[0] for c in CASES]


def _leaf(m, x):
    t = m.tensor(x.copy(), dtype=m.float64)
    t.requires_grad_(True)
    return t


def _first_and_second(m, fn, x, w, v):
    """(y, dL/dx, Hessian-vector product) for L = <fn(x), w>."""
    leaf = _leaf(m, x)
    y = fn(m, leaf)
    loss = (y * m.tensor(w)).sum()
    (g,) = m.autograd.grad([loss], [leaf], create_graph=True)
    (h,) = m.autograd.grad([(g * m.tensor(v)).sum()], [leaf])
    return y.detach().numpy() if m is torch else y.detach().data, g, h


@pytest.mark.parametrize("fn, x", [c[1:] for c in CASES], ids=IDS)
def test_gradgradcheck_float64(fn, x):
    leaf = _leaf(dg, x)
    assert dg.autograd.gradgradcheck(lambda t: fn(dg, t), (leaf,), eps=1e-6, atol=1e-5,
                                     rtol=1e-3)


@pytest.mark.parametrize("fn, x", [c[1:] for c in CASES], ids=IDS)
def test_hessian_vector_product_matches_torch(fn, x):
    rng = np.random.default_rng(7)
    out_shape = tuple(fn(torch, torch.tensor(x)).shape)
    w = rng.standard_normal(out_shape)
    v = rng.standard_normal(x.shape)
    t_y, t_g, t_h = _first_and_second(torch, fn, x, w, v)
    d_y, d_g, d_h = _first_and_second(dg, fn, x, w, v)
    np.testing.assert_allclose(d_y, t_y, rtol=1e-10, atol=1e-12, err_msg="value")
    np.testing.assert_allclose(d_g.detach().data, t_g.detach().numpy(), rtol=1e-9, atol=1e-12,
                               err_msg="gradient")
    np.testing.assert_allclose(d_h.data, t_h.numpy(), rtol=1e-9, atol=1e-12,
                               err_msg="Hessian-vector product")


def test_deepgrad_linalg_attribute_is_the_module():
    # a fresh interpreter: importing deepgrad.linalg anywhere in this process repairs the name
    code = "import deepgrad; print(deepgrad.linalg.__name__)"
    root = pathlib.Path(__file__).resolve().parents[1]
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, cwd=root).stdout.strip()
    assert out == "deepgrad.linalg"
