"""Optimizers against torch: 30-step trajectories from identical parameters and gradients,
parameter groups, state_dict layout, round trips and resumption."""
from __future__ import annotations

import numpy as np
import pytest

import deepgrad as dg

torch = pytest.importorskip("torch")

CASES = [
    ("SGD", dict(lr=0.1)),
    ("SGD", dict(lr=0.1, momentum=0.9)),
    ("SGD", dict(lr=0.1, momentum=0.9, nesterov=True, weight_decay=0.01)),
    ("SGD", dict(lr=0.1, momentum=0.9, dampening=0.1, maximize=True)),
    ("Adam", dict(lr=0.01)),
    ("Adam", dict(lr=0.01, amsgrad=True, weight_decay=0.1)),
    ("Adam", dict(lr=0.01, betas=(0.8, 0.99), eps=1e-6, maximize=True)),
    ("Adam", dict(lr=0.01, weight_decay=0.1, decoupled_weight_decay=True)),
    ("AdamW", dict(lr=0.01)),
    ("AdamW", dict(lr=0.01, weight_decay=0.1, amsgrad=True)),
    ("RMSprop", dict(lr=0.01)),
    ("RMSprop", dict(lr=0.01, momentum=0.9, centered=True, weight_decay=0.1)),
    ("RMSprop", dict(lr=0.01, alpha=0.9, centered=True)),
    ("Adagrad", dict(lr=0.1)),
    ("Adagrad", dict(lr=0.1, lr_decay=0.01, initial_accumulator_value=0.1, weight_decay=0.1)),
    ("NAdam", dict(lr=0.01)),
    ("NAdam", dict(lr=0.01, weight_decay=0.1, momentum_decay=0.01)),
    ("NAdam", dict(lr=0.01, weight_decay=0.1, decoupled_weight_decay=True)),
    ("Adamax", dict(lr=0.01)),
    ("Adamax", dict(lr=0.01, weight_decay=0.1)),
    ("Adadelta", dict(lr=1.0)),
    ("Adadelta", dict(lr=0.5, rho=0.8, weight_decay=0.1)),
    ("RAdam", dict(lr=0.01)),
    ("RAdam", dict(lr=0.01, weight_decay=0.1, decoupled_weight_decay=True)),
]


def _data(seed=0, steps=30):
    rng = np.random.default_rng(seed)
    w0 = [rng.standard_normal((5, 4)).astype(np.float32),
          rng.standard_normal(7).astype(np.float32)]
    grads = [[rng.standard_normal(w.shape).astype(np.float32) for w in w0]
             for _ in range(steps)]
    return w0, grads


def _params(m, w0):
    return [m.nn.Parameter(m.tensor(w.copy())) for w in w0]


def _run(m, name, kw, w0, grads, groups=False, opt=None, params=None, start=0):
    if params is None:
        params = _params(m, w0)
    if opt is None:
        spec = ([{"params": [params[0]]}, {"params": [params[1]], "lr": kw["lr"] * 0.5}]
                if groups else params)
        opt = getattr(m.optim, name)(spec, **kw)
    for g in grads[start:]:
        for p, gv in zip(params, g):
            p.grad = m.tensor(gv)
        opt.step()
    return params, opt


def _close(ours, ref):
    for a, b in zip(ours, ref):
        np.testing.assert_allclose(a.detach().numpy(), b.detach().numpy(), rtol=1e-5,
                                   atol=1e-6)


@pytest.mark.parametrize("name,kw", CASES, ids=[f"{n}-{i}" for i, (n, _) in enumerate(CASES)])
@pytest.mark.parametrize("groups", [False, True])
def test_trajectory_matches_torch(name, kw, groups):
    w0, grads = _data()
    ours, _ = _run(dg, name, kw, w0, grads, groups)
    ref, _ = _run(torch, name, kw, w0, grads, groups)
    _close(ours, ref)


@pytest.mark.parametrize("name,kw", CASES[::3], ids=[n for n, _ in CASES[::3]])
def test_state_dict_layout_matches_torch(name, kw):
    w0, grads = _data(steps=3)
    _, d_opt = _run(dg, name, kw, w0, grads, groups=True)
    _, t_opt = _run(torch, name, kw, w0, grads, groups=True)
    d_sd, t_sd = d_opt.state_dict(), t_opt.state_dict()
    assert [sorted(g) for g in d_sd["param_groups"]] == [sorted(g) for g in t_sd["param_groups"]]
    for dgr, tgr in zip(d_sd["param_groups"], t_sd["param_groups"]):
        assert dgr["params"] == tgr["params"]
        for k in tgr:
            if k != "params":
                assert dgr[k] == tgr[k], k
    assert sorted(d_sd["state"]) == sorted(t_sd["state"])
    for idx in t_sd["state"]:
        assert sorted(d_sd["state"][idx]) == sorted(t_sd["state"][idx])
        for k, tv in t_sd["state"][idx].items():
            dv = d_sd["state"][idx][k]
            if isinstance(tv, torch.Tensor):
                assert isinstance(dv, dg.Tensor)
                assert dv.dtype.name == str(tv.dtype).replace("torch.", ""), k
                np.testing.assert_allclose(dv.numpy(), tv.numpy(), rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("name,kw", CASES[::2], ids=[n for n, _ in CASES[::2]])
def test_resume_from_state_dict_continues_identically(name, kw, tmp_path):
    w0, grads = _data()
    full, _ = _run(dg, name, kw, w0, grads)
    params, opt = _run(dg, name, kw, w0, grads[:12])
    dg.save({"params": [p.detach() for p in params], "opt": opt.state_dict()},
            tmp_path / "ck.dg")
    ck = dg.load(tmp_path / "ck.dg")
    params2 = [dg.nn.Parameter(t) for t in ck["params"]]
    opt2 = getattr(dg.optim, name)(params2, **kw)
    opt2.load_state_dict(ck["opt"])
    resumed, _ = _run(dg, name, kw, w0, grads, opt=opt2, params=params2, start=12)
    for a, b in zip(resumed, full):
        np.testing.assert_array_equal(a.detach().numpy(), b.detach().numpy())


def test_zero_grad_and_param_group_errors():
    p = dg.nn.Parameter(dg.ones(3))
    q = dg.nn.Parameter(dg.ones(2))
    opt = dg.optim.SGD([p], lr=0.1)
    p.grad = dg.ones(3)
    opt.zero_grad(set_to_none=False)
    assert p.grad is not None and float(p.grad.abs().sum()) == 0
    opt.zero_grad()
    assert p.grad is None
    with pytest.raises(ValueError):
        opt.add_param_group({"params": [p]})
    opt.add_param_group({"params": [q], "lr": 0.5})
    assert opt.param_groups[1]["momentum"] == 0 and opt.param_groups[1]["lr"] == 0.5
    with pytest.raises(ValueError):
        dg.optim.SGD([], lr=0.1)
    with pytest.raises(ValueError):
        dg.optim.SGD([p], lr=0.1, nesterov=True)
    with pytest.raises(ValueError):
        dg.optim.Adam([p], lr=-1)
    with pytest.raises(TypeError):
        dg.optim.SGD({p}, lr=0.1)


def test_step_records_no_graph():
    p = dg.nn.Parameter(dg.ones(3))
    opt = dg.optim.Adam([p], lr=0.1)
    (p * 2).sum().backward()
    opt.step()
    assert p.grad_fn is None and p.is_leaf and p.requires_grad


@pytest.mark.parametrize("line_search", [None, "strong_wolfe"])
def test_lbfgs_matches_torch(line_search):
    rng = np.random.default_rng(3)
    a = rng.standard_normal((6, 6))
    a = a @ a.T + np.eye(6)
    b = rng.standard_normal(6)
    out = []
    for m in (torch, dg):
        x = m.zeros(6, dtype=m.float64, requires_grad=True)
        am, bm = m.tensor(a), m.tensor(b)
        opt = m.optim.LBFGS([x], lr=1, max_iter=10, line_search_fn=line_search)

        def closure(opt=opt, x=x, am=am, bm=bm):
            opt.zero_grad()
            loss = 0.5 * (x * (am @ x.reshape(6, 1)).reshape(6)).sum() - (bm * x).sum()
            loss.backward()
            return loss

        for _ in range(3):
            opt.step(closure)
        out.append(x.detach().numpy())
    np.testing.assert_allclose(out[1], out[0], rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(out[1], np.linalg.solve(a, b), rtol=1e-3, atol=1e-4)


def test_backward_after_optimizer_step_on_saved_weight_raises_like_torch():
    for m in (torch, dg):
        w = m.nn.Parameter(m.ones(3, 3))
        x = m.ones(2, 3, requires_grad=True)
        loss = (x @ w).sum()  # matmul saves w for x's gradient
        opt = m.optim.SGD([w], lr=0.1)
        w.grad = m.ones(3, 3)
        opt.step()  # an in-place update of a tensor the graph saved
        with pytest.raises(RuntimeError, match="modified by an inplace operation"):
            loss.backward()
