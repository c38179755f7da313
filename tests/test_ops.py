"""Generated op tests: every entry of the op table against torch 2.13.0.

The table lives in tests/optable/table_*.py; the machinery in tests/optable/harness.py.
"""
from __future__ import annotations

import numpy as np
import pytest

import deepgrad as dg
from tests.optable import ALL_SPECS
from tests.optable.harness import as_numpy, dtype_name, flatten_outputs, to_framework

torch = pytest.importorskip("torch")

SPEC_IDS = [s.name for s in ALL_SPECS]


def _build(m, spec, sample, transposed=False, float64=False):
    """Framework-``m`` arguments for ``sample``: (leaves that require grad, args)."""
    leaves, args = [], []
    for i, a in enumerate(sample.args):
        if isinstance(a, np.ndarray) and float64 and a.dtype.kind == "f":
            a = a.astype(np.float64)
        needs = (spec.differentiable and isinstance(a, np.ndarray) and a.dtype.kind == "f"
                 and i not in sample.no_grad)
        if isinstance(a, list) and a and isinstance(a[0], np.ndarray):
            needs = spec.differentiable and a[0].dtype.kind == "f"
            if float64:
                a = [v.astype(np.float64) if v.dtype.kind == "f" else v for v in a]
        conv = to_framework(m, a, needs, transposed)
        if isinstance(a, np.ndarray) or (isinstance(a, list) and a and isinstance(a[0],
                                                                                  np.ndarray)):
            leaf, t = conv
            if needs:
                leaves.extend(leaf if isinstance(leaf, list) else [leaf])
            args.append(t)
        else:
            args.append(conv)
    return leaves, args


def _run(m, spec, sample, transposed=False):
    leaves, args = _build(m, spec, sample, transposed)
    fn = spec.torch_op if (m is torch and spec.torch_op is not None) else spec.op
    return leaves, fn(m, *args, **sample.kwargs)


def _samples(spec):
    return spec.samples(np.random.default_rng(0))


def _compare(ours, ref, spec, what, atol=None, rtol=None):
    o, r = as_numpy(ours), as_numpy(ref)
    assert o.shape == r.shape, f"{what}: shape {o.shape} != torch {r.shape}"
    if o.dtype.kind == "b" or r.dtype.kind == "b":
        np.testing.assert_array_equal(o, r, err_msg=what)
    else:
        np.testing.assert_allclose(o.astype(np.float64), r.astype(np.float64),
                                   atol=spec.atol if atol is None else atol,
                                   rtol=spec.rtol if rtol is None else rtol, err_msg=what,
                                   equal_nan=True)


def _forward_and_grad(spec, transposed):
    rng = np.random.default_rng(1)
    for sample in _samples(spec):
        if transposed and not any(isinstance(a, np.ndarray) and a.ndim >= 2 for a in sample.args):
            continue
        d_leaves, d_out = _run(dg, spec, sample, transposed)
        t_leaves, t_out = _run(torch, spec, sample, transposed)
        d_list, t_list = flatten_outputs(d_out), flatten_outputs(t_out)
        assert len(d_list) == len(t_list), f"{sample}: {len(d_list)} outputs vs {len(t_list)}"
        for k, (o, r) in enumerate(zip(d_list, t_list)):
            if k in spec.skip_outputs:
                continue
            if isinstance(r, torch.Tensor):
                assert isinstance(o, dg.Tensor), f"{sample}: output {k} is not a Tensor"
                if spec.check_dtype:
                    assert dtype_name(o) == dtype_name(r), (
                        f"{sample}: output {k} dtype {dtype_name(o)} != torch {dtype_name(r)}")
                _compare(o, r, spec, f"{spec.name} {sample} output {k}")
            else:
                assert o == r or np.allclose(o, r), f"{sample}: output {k} {o} != {r}"
        if not (spec.differentiable and d_leaves):
            continue
        pairs = [(o, r) for o, r in zip(d_list, t_list) if isinstance(r, torch.Tensor)
                 and r.requires_grad]
        if not pairs:
            continue
        d_total, t_total = 0, 0
        for o, r in pairs:
            g = rng.standard_normal(tuple(r.shape)).astype(as_numpy(r).dtype)
            d_total = d_total + (o * dg.tensor(g)).sum()
            t_total = t_total + (r * torch.tensor(g)).sum()
        t_grads = torch.autograd.grad(t_total, t_leaves, allow_unused=True)
        d_grads = dg.autograd.grad(d_total, d_leaves, allow_unused=True)
        for i, (dgr, tgr) in enumerate(zip(d_grads, t_grads)):
            if tgr is None:
                assert dgr is None or not np.any(as_numpy(dgr)), f"{sample}: grad {i} not None"
                continue
            assert dgr is not None, f"{sample}: no gradient for input {i}"
            _compare(dgr, tgr, spec, f"{spec.name} {sample} grad of input {i}",
                     atol=spec.grad_atol, rtol=spec.grad_rtol)


@pytest.mark.parametrize("spec", ALL_SPECS, ids=SPEC_IDS)
def test_forward_and_gradients_match_torch(spec):
    _forward_and_grad(spec, transposed=False)


@pytest.mark.parametrize("spec", [s for s in ALL_SPECS if s.noncontig],
                         ids=[s.name for s in ALL_SPECS if s.noncontig])
def test_noncontiguous_inputs_match_torch(spec):
    _forward_and_grad(spec, transposed=True)


GRADCHECK_SPECS = [s for s in ALL_SPECS if s.differentiable and s.gradcheck]


@pytest.mark.parametrize("spec", GRADCHECK_SPECS, ids=[s.name for s in GRADCHECK_SPECS])
def test_gradcheck_float64(spec):
    for sample in _samples(spec):
        leaves, args = _build(dg, spec, sample, float64=True)
        if not leaves or any(leaf.numel() == 0 for leaf in leaves):
            continue
        if not all(leaf.dtype is dg.float64 for leaf in leaves):
            continue

        def fn(*xs, _args=args, _leaves=leaves):
            return spec.op(dg, *_args, **sample.kwargs)

        big = sum(leaf.numel() for leaf in leaves) > 60
        assert dg.autograd.gradcheck(fn, tuple(leaves), eps=1e-6, atol=1e-5, rtol=1e-3,
                                     fast_mode=big), f"{spec.name} {sample}"


METHOD_SPECS = [s for s in ALL_SPECS if s.method]


@pytest.mark.parametrize("spec", METHOD_SPECS, ids=[s.name for s in METHOD_SPECS])
def test_method_matches_function(spec):
    for sample in _samples(spec):
        _, args = _build(dg, spec, sample)
        if not isinstance(args[0], dg.Tensor):
            continue
        fn_out = flatten_outputs(spec.op(dg, *args, **sample.kwargs))
        m_out = flatten_outputs(getattr(args[0], spec.method)(*args[1:], **sample.kwargs))
        for a, b in zip(fn_out, m_out):
            np.testing.assert_array_equal(as_numpy(a), as_numpy(b))


ERROR_SPECS = [s for s in ALL_SPECS if s.errors]


@pytest.mark.parametrize("spec", ERROR_SPECS, ids=[s.name for s in ERROR_SPECS])
def test_errors_match_torch_exception_type(spec):
    for case in spec.errors:
        for m in (torch, dg):
            args = [to_framework(m, a, False)[1] if isinstance(a, np.ndarray) else
                    to_framework(m, a, False) for a in case.args]
            fn = spec.torch_op if (m is torch and spec.torch_op is not None) else spec.op
            with pytest.raises(case.exc) as info:
                fn(m, *args, **case.kwargs)
            if m is dg and case.match:
                assert case.match in str(info.value), str(info.value)
