"""``nn.init`` and default layer initializations against torch 2.13.0.

Random initializers cannot match torch value for value (different generators), so each is
compared by distribution: a two-sample Kolmogorov-Smirnov distance between deepgrad's and
torch's samples over a large tensor, plus the analytic bounds and moments where the formula
gives them (e.g. kaiming_uniform's bound ``gain * sqrt(3 / fan_in)``). Deterministic ones
(constant, eye, dirac, calculate_gain) must match exactly.
"""
from __future__ import annotations

import math
import warnings

import numpy as np
import pytest

import deepgrad as dg

torch = pytest.importorskip("torch")

# Two samples of n = 120_000: the KS distance exceeds 0.012 with probability ~1e-7 when the
# distributions are equal, while a 2% error in a scale parameter gives a distance of ~0.015.
SHAPE = (300, 400)
KS_LIMIT = 0.012


def np_of(t):
    if isinstance(t, torch.Tensor):
        return t.detach().numpy().astype(np.float64)
    return np.asarray(t.detach().data, dtype=np.float64)


def ks_distance(a, b):
    """Two-sample Kolmogorov-Smirnov statistic of the flattened samples."""
    a, b = np.sort(a.ravel()), np.sort(b.ravel())
    grid = np.concatenate([a, b])
    cdf_a = np.searchsorted(a, grid, side="right") / a.size
    cdf_b = np.searchsorted(b, grid, side="right") / b.size
    return float(np.max(np.abs(cdf_a - cdf_b)))


def sample(m, fn, shape=SHAPE, dtype=None, **kwargs):
    """``m.nn.init.<fn>`` applied to a fresh tensor of ``shape``; returns (tensor, values)."""
    t = m.empty(*shape, dtype=dtype or m.float32)
    out = getattr(m.nn.init, fn)(t, **kwargs)
    assert out is t, f"{fn} must return the tensor it filled"
    return t, np_of(t)


def assert_same_distribution(fn, shape=SHAPE, **kwargs):
    dg.manual_seed(1)
    torch.manual_seed(1)
    _, d = sample(dg, fn, shape, **kwargs)
    _, t = sample(torch, fn, shape, **kwargs)
    dist = ks_distance(d, t)
    assert dist < KS_LIMIT, f"{fn}{kwargs}: KS distance {dist:.4f} to torch's samples"
    assert abs(d.mean() - t.mean()) < 6 * t.std() / math.sqrt(t.size) + 1e-12
    assert abs(d.std() / t.std() - 1) < 0.02
    return d, t


# ---------------------------------------------------------------------------- calculate_gain
GAIN_CASES = [("linear", None), ("conv1d", None), ("conv2d", None), ("conv3d", None),
              ("conv_transpose1d", None), ("conv_transpose2d", None),
              ("conv_transpose3d", None), ("sigmoid", None), ("tanh", None), ("relu", None),
              ("leaky_relu", None), ("leaky_relu", 0.2), ("leaky_relu", 3), ("leaky_relu", 0.0),
              ("leaky_relu", math.sqrt(5)), ("selu", None)]


@pytest.mark.parametrize("nonlinearity,param", GAIN_CASES)
def test_calculate_gain_matches_torch(nonlinearity, param):
    assert dg.nn.init.calculate_gain(nonlinearity, param) == pytest.approx(
        torch.nn.init.calculate_gain(nonlinearity, param), rel=1e-12)


@pytest.mark.parametrize("nonlinearity,param", [("leaky_relu", True), ("leaky_relu", "0.1"),
                                                ("softmax", None), ("gelu", None)])
def test_calculate_gain_errors_match_torch(nonlinearity, param):
    for m in (dg, torch):
        with pytest.raises(ValueError):
            m.nn.init.calculate_gain(nonlinearity, param)


# ---------------------------------------------------------------------------- random inits
def test_uniform_():
    d, _ = assert_same_distribution("uniform_", a=-0.5, b=2.0)
    assert d.min() >= -0.5 and d.max() <= 2.0
    assert_same_distribution("uniform_")


def test_normal_():
    d, _ = assert_same_distribution("normal_", mean=1.5, std=0.3)
    assert abs(d.std() - 0.3) < 0.01
    assert_same_distribution("normal_")


@pytest.mark.parametrize("kwargs", [{}, {"mean": 0.5, "std": 2.0, "a": -1.0, "b": 3.0},
                                    {"std": 0.02, "a": -0.04, "b": 0.04},
                                    {"mean": 0.0, "std": 1.0, "a": 0.5, "b": 4.0}])
def test_trunc_normal_(kwargs):
    d, t = assert_same_distribution("trunc_normal_", **kwargs)
    a, b = kwargs.get("a", -2.0), kwargs.get("b", 2.0)
    assert d.min() >= a and d.max() <= b
    assert d.min() < a + 0.05 * (b - a) and d.max() > b - 0.05 * (b - a)


@pytest.mark.parametrize("shape", [(300, 400), (64, 32, 3, 3), (1000, 120, 1)])
@pytest.mark.parametrize("gain", [1.0, 2.0])
def test_xavier_uniform_(shape, gain):
    d, _ = assert_same_distribution("xavier_uniform_", shape, gain=gain)
    fan_in = shape[1] * int(np.prod(shape[2:]))
    fan_out = shape[0] * int(np.prod(shape[2:]))
    bound = gain * math.sqrt(6.0 / (fan_in + fan_out))
    assert d.max() <= bound and d.min() >= -bound and d.max() > 0.99 * bound


@pytest.mark.parametrize("shape", [(300, 400), (64, 32, 3, 3)])
def test_xavier_normal_(shape):
    d, _ = assert_same_distribution("xavier_normal_", shape, gain=1.5)
    fan_in = shape[1] * int(np.prod(shape[2:]))
    fan_out = shape[0] * int(np.prod(shape[2:]))
    assert abs(d.std() / (1.5 * math.sqrt(2.0 / (fan_in + fan_out))) - 1) < 0.02


KAIMING = [{}, {"a": math.sqrt(5)}, {"mode": "fan_out"}, {"nonlinearity": "relu"},
           {"a": 0.2, "mode": "FAN_OUT", "nonlinearity": "leaky_relu"},
           {"nonlinearity": "tanh"}, {"nonlinearity": "linear", "mode": "fan_in"}]


def _kaiming_std(shape, kwargs):
    receptive = int(np.prod(shape[2:]))
    fan = (shape[1] if kwargs.get("mode", "fan_in").lower() == "fan_in" else shape[0]) * receptive
    gain = torch.nn.init.calculate_gain(kwargs.get("nonlinearity", "leaky_relu"),
                                        kwargs.get("a", 0))
    return gain / math.sqrt(fan)


@pytest.mark.parametrize("kwargs", KAIMING)
@pytest.mark.parametrize("shape", [(300, 400), (128, 16, 5, 5)])
def test_kaiming_uniform_(kwargs, shape):
    d, _ = assert_same_distribution("kaiming_uniform_", shape, **kwargs)
    bound = math.sqrt(3.0) * _kaiming_std(shape, kwargs)
    assert d.max() <= bound and d.min() >= -bound and d.max() > 0.99 * bound


@pytest.mark.parametrize("kwargs", KAIMING)
def test_kaiming_normal_(kwargs):
    d, _ = assert_same_distribution("kaiming_normal_", (200, 30, 3, 3), **kwargs)
    assert abs(d.std() / _kaiming_std((200, 30, 3, 3), kwargs) - 1) < 0.02


@pytest.mark.parametrize("shape", [(300, 300), (200, 500), (500, 200), (64, 16, 3, 3)])
@pytest.mark.parametrize("gain", [1.0, 0.5])
def test_orthogonal_(shape, gain):
    d, _ = assert_same_distribution("orthogonal_", shape, gain=gain)
    q = d.reshape(shape[0], -1) / gain
    if q.shape[0] >= q.shape[1]:
        np.testing.assert_allclose(q.T @ q, np.eye(q.shape[1]), atol=1e-5)
    else:
        np.testing.assert_allclose(q @ q.T, np.eye(q.shape[0]), atol=1e-5)


@pytest.mark.parametrize("sparsity", [0.1, 0.35, 0.9])
def test_sparse_(sparsity):
    dg.manual_seed(2)
    torch.manual_seed(2)
    _, d = sample(dg, "sparse_", (400, 300), sparsity=sparsity, std=0.05)
    _, t = sample(torch, "sparse_", (400, 300), sparsity=sparsity, std=0.05)
    np.testing.assert_array_equal((d == 0).sum(0), (t == 0).sum(0))  # zeros per column
    assert (d == 0).mean() == pytest.approx((t == 0).mean())
    assert ks_distance(d[d != 0], t[t != 0]) < 0.02
    assert abs(d[d != 0].std() / 0.05 - 1) < 0.03
    rows_with_zero = (d == 0).any(axis=1).mean()  # the zeros move between columns
    assert rows_with_zero > sparsity


def test_random_inits_keep_dtype_and_do_not_record_grad():
    for fn, kwargs in [("uniform_", {}), ("normal_", {}), ("trunc_normal_", {}),
                       ("xavier_uniform_", {}), ("kaiming_normal_", {}), ("orthogonal_", {}),
                       ("sparse_", {"sparsity": 0.5}), ("constant_", {"val": 2.0}),
                       ("eye_", {}), ("zeros_", {}), ("ones_", {})]:
        p = dg.nn.Parameter(dg.empty(20, 10, dtype=dg.float64))
        out = getattr(dg.nn.init, fn)(p, **kwargs)
        assert out is p and p.dtype == dg.float64 and p.grad_fn is None and p.requires_grad
        (p * 2).sum().backward()  # still a usable leaf


def test_generator_makes_inits_reproducible():
    for fn in ("uniform_", "normal_", "trunc_normal_", "kaiming_uniform_", "orthogonal_",
               "xavier_normal_"):
        a = getattr(dg.nn.init, fn)(dg.empty(30, 20), generator=dg.Generator().manual_seed(5))
        b = getattr(dg.nn.init, fn)(dg.empty(30, 20), generator=dg.Generator().manual_seed(5))
        c = getattr(dg.nn.init, fn)(dg.empty(30, 20), generator=dg.Generator().manual_seed(6))
        np.testing.assert_array_equal(np_of(a), np_of(b))
        assert not np.array_equal(np_of(a), np_of(c)), fn
    dg.manual_seed(3)
    x = np_of(dg.nn.init.normal_(dg.empty(10)))
    dg.manual_seed(3)
    np.testing.assert_array_equal(x, np_of(dg.nn.init.normal_(dg.empty(10))))


# ---------------------------------------------------------------------------- deterministic
@pytest.mark.parametrize("fn,shape,kwargs", [
    ("constant_", (3, 4), {"val": 0.7}), ("ones_", (2, 5), {}), ("zeros_", (4,), {}),
    ("eye_", (3, 5), {}), ("eye_", (5, 3), {}), ("dirac_", (4, 4, 3), {}),
    ("dirac_", (6, 3, 3, 3), {}), ("dirac_", (4, 2, 3, 3, 3), {}),
    ("dirac_", (6, 2, 3, 3), {"groups": 3}), ("dirac_", (8, 2, 5), {"groups": 2}),
])
def test_deterministic_inits_equal_torch(fn, shape, kwargs):
    _, d = sample(dg, fn, shape, **kwargs)
    _, t = sample(torch, fn, shape, **kwargs)
    np.testing.assert_array_equal(d, t)


def test_dirac_gives_an_identity_convolution():
    w = dg.nn.init.dirac_(dg.empty(3, 3, 3, 3))
    x = np.random.default_rng(0).standard_normal((2, 3, 6, 6)).astype(np.float32)
    out = torch.nn.functional.conv2d(torch.tensor(x), torch.tensor(np_of(w).astype(np.float32)),
                                     padding=1)
    np.testing.assert_allclose(out.numpy(), x, atol=1e-6)


@pytest.mark.parametrize("fn,shape,kwargs", [
    ("xavier_uniform_", (5,), {}), ("xavier_normal_", (), {}), ("kaiming_uniform_", (4,), {}),
    ("kaiming_normal_", (3, 4), {"mode": "fan_avg"}), ("eye_", (2, 3, 4), {}),
    ("dirac_", (3, 3), {}), ("dirac_", (5, 2, 3), {"groups": 2}), ("orthogonal_", (4,), {}),
    ("sparse_", (2, 3, 4), {"sparsity": 0.1}),
    ("kaiming_uniform_", (3, 4), {"nonlinearity": "softmax"}),
])
def test_init_errors_match_torch(fn, shape, kwargs):
    for m in (dg, torch):
        with pytest.raises(ValueError):
            getattr(m.nn.init, fn)(m.empty(shape), **kwargs)


def test_zero_element_tensors_are_left_alone():
    for fn in ("kaiming_uniform_", "kaiming_normal_", "orthogonal_"):
        for m in (dg, torch):
            t = m.empty(0, 3)
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                assert getattr(m.nn.init, fn)(t) is t
            assert (len(caught) > 0) == fn.startswith("kaiming"), (m, fn)


def test_trunc_normal_warns_when_the_mean_is_far_outside():
    for m in (dg, torch):
        with pytest.warns(UserWarning, match="more than 2 std"):
            m.nn.init.trunc_normal_(m.empty(10), mean=5.0, std=1.0, a=-1.0, b=1.0)


# ---------------------------------------------------------------------------- layer defaults
def _layer_values(m, ctor, name, repeats):
    m.manual_seed(4)
    return np.concatenate([np_of(getattr(ctor(m.nn), name)).ravel() for _ in range(repeats)])


@pytest.mark.parametrize("ctor,name,bound,repeats", [
    (lambda nn: nn.Linear(50, 400), "weight", 1 / math.sqrt(50), 5),
    (lambda nn: nn.Linear(50, 400), "bias", 1 / math.sqrt(50), 300),
    (lambda nn: nn.Linear(7, 3000), "weight", 1 / math.sqrt(7), 5),
    (lambda nn: nn.Bilinear(20, 30, 100), "weight", 1 / math.sqrt(20), 2),
    (lambda nn: nn.Bilinear(20, 2, 400), "bias", 1 / math.sqrt(20), 300),
])
def test_default_layer_init_matches_torch(ctor, name, bound, repeats):
    d = _layer_values(dg, ctor, name, repeats)
    t = _layer_values(torch, ctor, name, repeats)
    assert ks_distance(d, t) < KS_LIMIT * 1.5
    assert d.min() >= -bound and d.max() <= bound and d.max() > 0.99 * bound
    assert abs(d.std() / (bound / math.sqrt(3)) - 1) < 0.02
    assert abs(d.mean()) < 5 * bound / math.sqrt(3 * d.size)


def test_default_init_dtype_and_prelu_constant():
    for m in (dg, torch):
        p = m.nn.PReLU(4, init=0.1)
        np.testing.assert_array_equal(np_of(p.weight), np.full(4, 0.1, np.float32))
        assert np_of(m.nn.PReLU().weight).tolist() == [0.25]
        lin = m.nn.Linear(3, 2, dtype=m.float64)
        assert str(lin.weight.dtype).endswith("float64") and str(lin.bias.dtype).endswith(
            "float64")
    lin = dg.nn.Linear(6, 4)
    before = np_of(lin.weight).copy()
    lin.reset_parameters()
    assert not np.array_equal(before, np_of(lin.weight))
    assert np.abs(np_of(lin.weight)).max() <= 1 / math.sqrt(6)
