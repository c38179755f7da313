"""``nn.utils`` (gradient clipping, parameter/vector conversion) against torch 2.13.0: the same
gradients go in, the same gradients and returned norms must come out."""
from __future__ import annotations

import math
import warnings

import numpy as np
import pytest

import deepgrad as dg

torch = pytest.importorskip("torch")

INF = float("inf")


def np_of(t):
    if isinstance(t, torch.Tensor):
        return t.detach().numpy()
    return np.asarray(t.detach().data)


def params_with_grads(m, grads, dtypes=None, none_at=()):
    """Parameters (values irrelevant) whose ``.grad`` are the given arrays (None at
    ``none_at``)."""
    out = []
    for i, g in enumerate(grads):
        dtype = None if dtypes is None else dtypes[i]
        p = m.nn.Parameter(m.zeros(g.shape, dtype=dtype or m.float32))
        if i not in none_at:
            p.grad = m.tensor(g.astype(np.float64 if dtype is m.float64 else g.dtype))
        out.append(p)
    return out


def random_grads(seed=0, scale=1.0):
    rng = np.random.default_rng(seed)
    return [(rng.standard_normal(s) * scale).astype(np.float32)
            for s in [(4, 3), (3,), (), (2, 2, 2)]]


def compare(d_params, t_params, d_out, t_out, atol=1e-6, rtol=1e-5):
    if t_out is None:
        assert d_out is None
    else:
        assert isinstance(d_out, dg.Tensor) and d_out.dim() == t_out.dim() == 0
        np.testing.assert_allclose(np_of(d_out), np_of(t_out), atol=atol, rtol=rtol)
        assert d_out.dtype.name == str(t_out.dtype).replace("torch.", "")
    for dp, tp in zip(d_params, t_params):
        assert (dp.grad is None) == (tp.grad is None)
        if tp.grad is not None:
            np.testing.assert_allclose(np_of(dp.grad), np_of(tp.grad), atol=atol, rtol=rtol,
                                       equal_nan=True)
            assert dp.grad.dtype.name == str(tp.grad.dtype).replace("torch.", "")


# ---------------------------------------------------------------------------- clip_grad_norm_
@pytest.mark.parametrize("norm_type", [2.0, 1, 3.5, INF, 0.5, "inf"])
@pytest.mark.parametrize("max_norm", [0.5, 1e3])
def test_clip_grad_norm_matches_torch(norm_type, max_norm):
    grads = random_grads(1, scale=2.0)
    norm_type = float(norm_type)
    d_params, t_params = params_with_grads(dg, grads), params_with_grads(torch, grads)
    d_out = dg.nn.utils.clip_grad_norm_(d_params, max_norm, norm_type=norm_type)
    t_out = torch.nn.utils.clip_grad_norm_(t_params, max_norm, norm_type=norm_type)
    compare(d_params, t_params, d_out, t_out)


def test_clip_grad_norm_accepts_a_single_tensor_a_generator_and_skips_missing_grads():
    grads = random_grads(2, scale=3.0)
    d_params = params_with_grads(dg, grads, none_at=(1,))
    t_params = params_with_grads(torch, grads, none_at=(1,))
    d_out = dg.nn.utils.clip_grad_norm_((p for p in d_params), 1.0)
    t_out = torch.nn.utils.clip_grad_norm_((p for p in t_params), 1.0)
    compare(d_params, t_params, d_out, t_out)
    d_one, t_one = params_with_grads(dg, grads[:1]), params_with_grads(torch, grads[:1])
    compare(d_one, t_one, dg.nn.utils.clip_grad_norm_(d_one[0], 0.1),
            torch.nn.utils.clip_grad_norm_(t_one[0], 0.1))


def test_clip_grad_norm_of_a_model_after_backward():
    torch.manual_seed(0)
    t_net = torch.nn.Sequential(torch.nn.Linear(5, 7), torch.nn.Tanh(), torch.nn.Linear(7, 2))
    d_net = dg.nn.Sequential(dg.nn.Linear(5, 7), dg.nn.Tanh(), dg.nn.Linear(7, 2))
    d_net.load_state_dict({k: v.numpy() for k, v in t_net.state_dict().items()})
    x = np.random.default_rng(3).standard_normal((16, 5)).astype(np.float32)
    (t_net(torch.tensor(x)) ** 2).sum().backward()
    (d_net(dg.tensor(x)) ** 2).sum().backward()
    compare(list(d_net.parameters()), list(t_net.parameters()),
            dg.nn.utils.clip_grad_norm_(d_net.parameters(), 0.25),
            torch.nn.utils.clip_grad_norm_(t_net.parameters(), 0.25))
    total = math.sqrt(sum(float((np_of(p.grad) ** 2).sum()) for p in d_net.parameters()))
    assert total == pytest.approx(0.25, rel=1e-4)


def test_clip_grad_norm_with_mixed_dtypes():
    grads = random_grads(4, scale=2.0)
    dtypes_d = [dg.float32, dg.float64, dg.float32, dg.float64]
    dtypes_t = [torch.float32, torch.float64, torch.float32, torch.float64]
    d_params = params_with_grads(dg, grads, dtypes_d)
    t_params = params_with_grads(torch, grads, dtypes_t)
    compare(d_params, t_params, dg.nn.utils.clip_grad_norm_(d_params, 1.0),
            torch.nn.utils.clip_grad_norm_(t_params, 1.0))


def test_clip_grad_norm_with_no_gradients_returns_zero():
    d_out = dg.nn.utils.clip_grad_norm_([dg.nn.Parameter(dg.ones(2))], 1.0)
    t_out = torch.nn.utils.clip_grad_norm_([torch.nn.Parameter(torch.ones(2))], 1.0)
    compare([], [], d_out, t_out)
    for m in (dg, torch):
        with pytest.warns(UserWarning, match="empty generator"):
            m.nn.utils.clip_grad_norm_((p for p in []), 1.0)


@pytest.mark.parametrize("bad", [INF, -INF, float("nan")])
def test_clip_grad_norm_nonfinite(bad):
    grads = random_grads(5)
    grads[0] = grads[0].copy()
    grads[0][1, 1] = bad
    for error in (False, True):
        d_params, t_params = params_with_grads(dg, grads), params_with_grads(torch, grads)
        if error:
            for m, params in ((dg, d_params), (torch, t_params)):
                with pytest.raises(RuntimeError, match="non-finite"):
                    m.nn.utils.clip_grad_norm_(params, 1.0, error_if_nonfinite=True)
            compare(d_params, t_params, None, None)  # gradients untouched
        else:
            compare(d_params, t_params, dg.nn.utils.clip_grad_norm_(d_params, 1.0),
                    torch.nn.utils.clip_grad_norm_(t_params, 1.0))


def test_clip_grad_norm_does_not_record_a_graph():
    p = dg.nn.Parameter(dg.ones(3))
    p.grad = dg.full((3,), 5.0)
    total = dg.nn.utils.clip_grad_norm_([p], 1.0)
    assert not total.requires_grad and p.grad.grad_fn is None


def test_get_total_norm_and_clip_grads_with_norm_match_torch():
    grads = random_grads(6, scale=2.0)
    for norm_type in (2.0, INF, 1.0):
        d_total = dg.nn.utils.get_total_norm([dg.tensor(g) for g in grads], norm_type)
        t_total = torch.nn.utils.get_total_norm([torch.tensor(g) for g in grads], norm_type)
        np.testing.assert_allclose(np_of(d_total), np_of(t_total), rtol=1e-6)
        d_params, t_params = params_with_grads(dg, grads), params_with_grads(torch, grads)
        dg.nn.utils.clip_grads_with_norm_(d_params, 0.3, d_total)
        torch.nn.utils.clip_grads_with_norm_(t_params, 0.3, t_total)
        compare(d_params, t_params, d_total, t_total)
    np.testing.assert_allclose(np_of(dg.nn.utils.get_total_norm(dg.tensor(grads[0]))),
                               np_of(torch.nn.utils.get_total_norm(torch.tensor(grads[0]))),
                               rtol=1e-6)
    assert float(dg.nn.utils.get_total_norm([])) == float(torch.nn.utils.get_total_norm([]))


def test_clip_grad_norm_deprecated_alias_warns():
    for m in (dg, torch):
        p = m.nn.Parameter(m.ones(2))
        p.grad = m.full((2,), 3.0)
        with pytest.warns(FutureWarning):
            m.nn.utils.clip_grad_norm([p], 1.0)
        np.testing.assert_allclose(np.sqrt((np_of(p.grad) ** 2).sum()), 1.0, rtol=1e-5)


# ---------------------------------------------------------------------------- clip_grad_value_
@pytest.mark.parametrize("clip", [0.3, 1, 10.0])
def test_clip_grad_value_matches_torch(clip):
    grads = random_grads(7, scale=2.0)
    d_params = params_with_grads(dg, grads, none_at=(2,))
    t_params = params_with_grads(torch, grads, none_at=(2,))
    d_out = dg.nn.utils.clip_grad_value_(d_params, clip)
    t_out = torch.nn.utils.clip_grad_value_(t_params, clip)
    compare(d_params, t_params, d_out, t_out)
    d_one, t_one = params_with_grads(dg, grads[:1]), params_with_grads(torch, grads[:1])
    dg.nn.utils.clip_grad_value_(d_one[0], clip)
    torch.nn.utils.clip_grad_value_(t_one[0], clip)
    compare(d_one, t_one, None, None)


def test_clip_grad_value_keeps_grad_identity_and_nan():
    p = dg.nn.Parameter(dg.zeros(3))
    g = dg.tensor([5.0, float("nan"), -5.0])
    p.grad = g
    dg.nn.utils.clip_grad_value_([p], 1.0)
    assert p.grad is g
    t = torch.nn.Parameter(torch.zeros(3))
    t.grad = torch.tensor([5.0, float("nan"), -5.0])
    torch.nn.utils.clip_grad_value_([t], 1.0)
    np.testing.assert_array_equal(np_of(p.grad), np_of(t.grad))


# ---------------------------------------------------------------------------- vector conversion
def _net(m):
    return m.nn.Sequential(m.nn.Linear(3, 4), m.nn.ReLU(), m.nn.Linear(4, 2, bias=False))


def test_parameters_to_vector_matches_torch_and_is_differentiable():
    torch.manual_seed(0)
    t_net, d_net = _net(torch), _net(dg)
    d_net.load_state_dict({k: v.numpy() for k, v in t_net.state_dict().items()})
    t_vec = torch.nn.utils.parameters_to_vector(t_net.parameters())
    d_vec = dg.nn.utils.parameters_to_vector(d_net.parameters())
    np.testing.assert_array_equal(np_of(d_vec), np_of(t_vec))
    assert d_vec.dim() == 1 and d_vec.requires_grad
    w = np.random.default_rng(8).standard_normal(t_vec.shape[0]).astype(np.float32)
    (t_vec * torch.tensor(w)).sum().backward()
    (d_vec * dg.tensor(w)).sum().backward()
    for dp, tp in zip(d_net.parameters(), t_net.parameters()):
        np.testing.assert_allclose(np_of(dp.grad), np_of(tp.grad))


def test_vector_to_parameters_matches_torch_and_shares_memory():
    torch.manual_seed(0)
    t_net, d_net = _net(torch), _net(dg)
    n = sum(p.numel() for p in t_net.parameters())
    v = np.arange(n, dtype=np.float32) / 10
    t_vec, d_vec = torch.tensor(v), dg.tensor(v)
    torch.nn.utils.vector_to_parameters(t_vec, t_net.parameters())
    params = list(d_net.parameters())
    assert dg.nn.utils.vector_to_parameters(d_vec, d_net.parameters()) is None
    for dp, tp, before in zip(d_net.parameters(), t_net.parameters(), params):
        assert dp is before and dp.requires_grad and tuple(dp.shape) == tuple(tp.shape)
        np.testing.assert_array_equal(np_of(dp), np_of(tp))
    d_vec.data[0] = 42.0  # like torch, the parameters are views of the vector
    t_vec[0] = 42.0
    np.testing.assert_array_equal(np_of(d_net[0].weight), np_of(t_net[0].weight))
    x = np.random.default_rng(9).standard_normal((2, 3)).astype(np.float32)
    np.testing.assert_allclose(np_of(d_net(dg.tensor(x))), np_of(t_net(torch.tensor(x))),
                               rtol=1e-5, atol=1e-6)
    for m, params in ((dg, d_net.parameters()), (torch, t_net.parameters())):
        with pytest.raises(TypeError):
            m.nn.utils.vector_to_parameters(v, params)


def test_round_trip_vector_parameters():
    net = _net(dg)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        vec = dg.nn.utils.parameters_to_vector(net.parameters()).detach() * 2
    before = [np_of(p).copy() for p in net.parameters()]
    dg.nn.utils.vector_to_parameters(vec, net.parameters())
    for p, b in zip(net.parameters(), before):
        np.testing.assert_allclose(np_of(p), 2 * b)


def test_all_exports():
    for name in ("clip_grad_norm_", "clip_grad_value_", "parameters_to_vector",
                 "vector_to_parameters", "get_total_norm", "clip_grads_with_norm_"):
        assert name in dg.nn.utils.__all__ and hasattr(torch.nn.utils, name)
        assert name in dg.nn.utils.clip_grad.__all__ + dg.nn.utils.convert_parameters.__all__
