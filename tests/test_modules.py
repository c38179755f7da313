"""Generated module tests: every module-table entry against torch 2.13.0.

torch's module weights are copied into deepgrad's (strict ``load_state_dict``), then outputs,
input and parameter gradients, and buffers are compared in train and eval mode.
"""
from __future__ import annotations

import numpy as np
import pytest

import deepgrad as dg
from tests.moduletable import ALL_MODULE_SPECS
from tests.optable.harness import as_numpy, flatten_outputs, to_framework

torch = pytest.importorskip("torch")


def _inputs(m, sample):
    leaves, args = [], []
    for i, a in enumerate(sample.args):
        if isinstance(a, np.ndarray):
            needs = a.dtype.kind == "f" and i not in sample.no_grad
            leaf, t = to_framework(m, a, needs)
            if needs:
                leaves.append(leaf)
            args.append(t)
        else:
            args.append(to_framework(m, a, False))
    return leaves, args


def _close(ours, ref, atol, rtol, what):
    o, r = as_numpy(ours), as_numpy(ref)
    assert o.shape == r.shape, f"{what}: shape {o.shape} != torch {r.shape}"
    np.testing.assert_allclose(o.astype(np.float64), r.astype(np.float64), atol=atol, rtol=rtol,
                               err_msg=what, equal_nan=True)


def _copy_weights(t_mod, d_mod):
    state = {k: v.detach().numpy().copy() for k, v in t_mod.state_dict().items()}
    d_keys = list(d_mod.state_dict().keys())
    assert d_keys == list(state.keys()), f"state_dict keys differ: {d_keys} vs {list(state)}"
    d_mod.load_state_dict(state, strict=True)


@pytest.mark.parametrize("spec", ALL_MODULE_SPECS, ids=[s.name for s in ALL_MODULE_SPECS])
def test_module_matches_torch(spec):
    torch.manual_seed(0)
    t_mod = spec.ctor(torch.nn)
    d_mod = spec.ctor(dg.nn)
    _copy_weights(t_mod, d_mod)
    rng = np.random.default_rng(0)
    grad_atol = spec.atol if spec.grad_atol is None else spec.grad_atol
    grad_rtol = spec.rtol if spec.grad_rtol is None else spec.grad_rtol
    for mode in spec.modes:
        t_mod.train(mode == "train")
        d_mod.train(mode == "train")
        for sample in spec.samples(np.random.default_rng(1)):
            for _ in range(spec.steps):
                t_mod.zero_grad()
                d_mod.zero_grad()
                t_leaves, t_args = _inputs(torch, sample)
                d_leaves, d_args = _inputs(dg, sample)
                call = spec.call or (lambda mod, *a, **k: mod(*a, **k))
                t_out = flatten_outputs(call(t_mod, *t_args, **sample.kwargs))
                d_out = flatten_outputs(call(d_mod, *d_args, **sample.kwargs))
                what = f"{spec.name} [{mode}] {sample}"
                compare = not (spec.random_in_train and mode == "train")
                t_total, d_total = 0, 0
                for k, (o, r) in enumerate(zip(d_out, t_out)):
                    if not isinstance(r, torch.Tensor):
                        continue
                    if compare:
                        _close(o, r, spec.atol, spec.rtol, f"{what} output {k}")
                    if r.requires_grad:
                        g = rng.standard_normal(tuple(r.shape)).astype(as_numpy(r).dtype)
                        t_total = t_total + (r * torch.tensor(g)).sum()
                        d_total = d_total + (o * dg.tensor(g)).sum()
                if not isinstance(t_total, torch.Tensor):
                    continue
                t_total.backward()
                d_total.backward()
                if compare:
                    for i, (dl, tl) in enumerate(zip(d_leaves, t_leaves)):
                        if tl.grad is not None:
                            assert dl.grad is not None, f"{what}: no grad for input {i}"
                            _close(dl.grad, tl.grad, grad_atol, grad_rtol,
                                   f"{what} grad of input {i}")
                    d_params = dict(d_mod.named_parameters())
                    for name, tp in t_mod.named_parameters():
                        if tp.grad is None:
                            continue
                        dp = d_params[name]
                        assert dp.grad is not None, f"{what}: no grad for parameter {name}"
                        _close(dp.grad, tp.grad, grad_atol, grad_rtol, f"{what} grad of {name}")
                d_bufs = dict(d_mod.named_buffers())
                for name, tb in t_mod.named_buffers():
                    _close(d_bufs[name], tb, spec.atol, spec.rtol, f"{what} buffer {name}")
