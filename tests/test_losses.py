"""Losses beyond the op table: the fused cross-entropy against a composed reference and torch,
both of its backward paths, double backward, stability at extreme logits, freed graphs,
error messages, and the loss modules' constructor contracts.

The composed reference (``composed_cross_entropy``) is written once against the torch-style
API and runs in both frameworks: with torch it is checked against ``torch.nn.functional.
cross_entropy`` (so the reference itself is right), with deepgrad it is compared with the fused
primitive.
"""
from __future__ import annotations

import warnings

import numpy as np
import pytest

import deepgrad as dg
import deepgrad.nn.functional as F

torch = pytest.importorskip("torch")
TF = torch.nn.functional

ATOL, RTOL = 1e-5, 1e-4


def _np(t):
    t = t.detach()
    return t.numpy() if isinstance(t, torch.Tensor) else np.asarray(t.data)


def _close(ours, ref, atol=ATOL, rtol=RTOL, what=""):
    o, r = _np(ours), _np(ref)
    assert o.shape == r.shape, f"{what}: shape {o.shape} != {r.shape}"
    np.testing.assert_allclose(o, r, atol=atol, rtol=rtol, equal_nan=True, err_msg=what)


def _framework(m):
    return dg if m is dg else torch


# ---------------------------------------------------------------------------- cases
# (logits shape, options): every option of the class-index path, alone and combined
CASES = {
    "plain": ((6, 5), {}),
    "sum": ((6, 5), dict(reduction="sum")),
    "none": ((6, 5), dict(reduction="none")),
    "weight": ((6, 5), dict(weight=True)),
    "ignore": ((6, 5), dict(ignore=True)),
    "smoothing": ((6, 5), dict(label_smoothing=0.2)),
    "all_options": ((6, 5), dict(weight=True, ignore=True, label_smoothing=0.3)),
    "all_options_none": ((6, 5), dict(weight=True, ignore=True, label_smoothing=0.3,
                                      reduction="none")),
    "k1": ((2, 4, 3), dict(ignore=True, label_smoothing=0.1)),
    "k2_weight_sum": ((2, 3, 2, 2), dict(weight=True, label_smoothing=0.25, reduction="sum")),
    "k2_none": ((2, 3, 2, 2), dict(weight=True, ignore=True, reduction="none")),
}


def make_case(name, dtype=np.float32, seed=0):
    """NumPy logits, targets, weight (or None) and the remaining keyword arguments."""
    shape, opts = CASES[name]
    opts = dict(opts)
    rng = np.random.default_rng(seed)
    x = (rng.standard_normal(shape) * 2).astype(dtype)
    t_shape = (shape[0],) + shape[2:]
    t = rng.integers(0, shape[1], t_shape).astype(np.int64)
    if opts.pop("ignore", False):
        t.flat[::3] = -100
    w = rng.uniform(0.5, 2.0, shape[1]).astype(dtype) if opts.pop("weight", False) else None
    return x, t, w, opts


def composed_cross_entropy(m, x, t, weight=None, ignore_index=-100, reduction="mean",
                           label_smoothing=0.0):
    """Cross-entropy from log_softmax, gather and where only (either framework)."""
    n_classes = x.shape[1]
    log_probs = x.log_softmax(1)
    valid = t != ignore_index
    safe = m.where(valid, t, m.zeros_like(t))
    picked = log_probs.gather(1, safe.unsqueeze(1)).squeeze(1)
    w = m.ones(n_classes, dtype=x.dtype) if weight is None else weight
    w_target = m.where(valid, w[safe], m.zeros_like(picked))
    smooth = -(log_probs * w.reshape((1, n_classes) + (1,) * (x.dim() - 2))).sum(1)
    smooth = m.where(valid, smooth, m.zeros_like(smooth))
    eps = label_smoothing
    loss = -picked * w_target * (1 - eps) + smooth * (eps / n_classes)
    if reduction == "none":
        return loss
    if reduction == "sum":
        return loss.sum()
    return loss.sum() / w_target.sum()


def _tensors(m, x, t, w, requires_grad=True):
    fw = _framework(m)
    xt = fw.tensor(x, requires_grad=requires_grad)
    return xt, fw.tensor(t), (None if w is None else fw.tensor(w))


# ---------------------------------------------------------------------------- fused vs composed
@pytest.mark.parametrize("name", list(CASES))
def test_composed_reference_matches_torch(name):
    """Guards the reference: composed in torch == torch's own cross_entropy."""
    x, t, w, kw = make_case(name, np.float64)
    xt, tt, wt = _tensors(torch, x, t, w)
    ref = composed_cross_entropy(torch, xt, tt, wt, **kw)
    out = TF.cross_entropy(xt, tt, weight=wt, **kw)
    _close(ref, out, 1e-10, 1e-10, name)


@pytest.mark.parametrize("name", list(CASES))
def test_fused_cross_entropy_matches_composed_and_torch(name):
    x, t, w, kw = make_case(name)
    xd, td, wd = _tensors(dg, x, t, w)
    xc, _, _ = _tensors(dg, x, t, w)
    xt, tt, wt = _tensors(torch, x, t, w)
    fused = F.cross_entropy(xd, td, weight=wd, **kw)
    composed = composed_cross_entropy(dg, xc, td, wd, **kw)
    ref = TF.cross_entropy(xt, tt, weight=wt, **kw)
    _close(fused, composed, what=f"{name} fused vs composed")
    _close(fused, ref, what=f"{name} fused vs torch")
    g = np.random.default_rng(1).standard_normal(ref.shape).astype(np.float32)
    (fused * dg.tensor(g)).sum().backward()
    (composed * dg.tensor(g)).sum().backward()
    (ref * torch.tensor(g)).sum().backward()
    _close(xd.grad, xc.grad, what=f"{name} grad fused vs composed")
    _close(xd.grad, xt.grad, what=f"{name} grad fused vs torch")


def test_nll_of_log_softmax_matches_fused_cross_entropy():
    x, t, w, _ = make_case("all_options")
    for red in ("mean", "sum", "none"):
        xa, td, wd = _tensors(dg, x, t, w)
        xb, _, _ = _tensors(dg, x, t, w)
        fused = F.cross_entropy(xa, td, weight=wd, reduction=red)
        composed = F.nll_loss(F.log_softmax(xb, 1), td, weight=wd, reduction=red)
        _close(fused, composed, what=red)
        fused.sum().backward()
        composed.sum().backward()
        _close(xa.grad, xb.grad, what=red)


def test_fused_cross_entropy_is_one_graph_node_on_the_logits():
    x = dg.randn(8, 10, requires_grad=True)
    loss = F.cross_entropy(x, dg.tensor(np.arange(8) % 10))
    node = loss.grad_fn
    assert "CrossEntropy" in node.name()
    (nxt, _), = [e for e in node.next_functions if e[0] is not None]
    assert nxt.name() == "AccumulateGrad" and nxt.variable is x


@pytest.mark.parametrize("name", list(CASES))
def test_create_graph_path_equals_fast_path(name):
    """The differentiable (create_graph) backward and the array backward agree."""
    x, t, w, kw = make_case(name, np.float64)
    xd, td, wd = _tensors(dg, x, t, w)
    loss = F.cross_entropy(xd, td, weight=wd, **kw)
    g = dg.tensor(np.random.default_rng(2).standard_normal(tuple(loss.shape)))
    (fast,) = dg.autograd.grad(loss, xd, g, retain_graph=True)
    (graph,) = dg.autograd.grad(loss, xd, g, create_graph=True)
    assert graph.requires_grad and not fast.requires_grad
    _close(graph, fast, 1e-12, 1e-10, name)


# ---------------------------------------------------------------------------- double backward
@pytest.mark.parametrize("name", ["plain", "none", "all_options", "all_options_none", "k1",
                                  "k2_weight_sum"])
@pytest.mark.parametrize("loss_name", ["cross_entropy", "nll_loss"])
def test_double_backward_matches_torch(name, loss_name):
    """Hessian-vector products (and the gradient's dependence on grad_output) vs torch."""
    x, t, w, kw = make_case(name, np.float64)
    if loss_name == "nll_loss":
        kw.pop("label_smoothing", None)
    rng = np.random.default_rng(3)
    results = {}
    for m in (dg, torch):
        fw = _framework(m)
        xt, tt, wt = _tensors(m, x, t, w)
        loss = getattr(m.nn.functional, loss_name)(xt, tt, weight=wt, **kw)
        go = fw.tensor(rng.standard_normal(tuple(loss.shape)), requires_grad=True)
        (gx,) = fw.autograd.grad(loss, xt, go, create_graph=True)
        v = fw.tensor(np.random.default_rng(4).standard_normal(x.shape))
        hx, hgo = fw.autograd.grad((gx * v).sum(), (xt, go), allow_unused=True)
        results[m] = (gx, hx, hgo)
        rng = np.random.default_rng(3)
    for k, what in enumerate(("grad", "d/dx", "d/dgrad_output")):
        ours, ref = results[dg][k], results[torch][k]
        if ref is None or not np.any(_np(ref)):
            assert ours is None or not np.any(_np(ours)), what
            continue
        _close(ours, ref, 1e-10, 1e-8, f"{loss_name} {name} {what}")


@pytest.mark.parametrize("name", ["plain", "all_options", "k1"])
def test_cross_entropy_gradgradcheck(name):
    x, t, w, kw = make_case(name, np.float64)
    xd, td, wd = _tensors(dg, x, t, w)
    assert dg.autograd.gradgradcheck(
        lambda a: F.cross_entropy(a, td, weight=wd, **kw), (xd,), eps=1e-6, atol=1e-6)


@pytest.mark.parametrize("fn", [
    lambda x: F.binary_cross_entropy_with_logits(x, dg.tensor([0.0, 1.0, 0.3, 1.0])),
    lambda x: F.binary_cross_entropy(x.sigmoid(), dg.tensor([0.0, 1.0, 0.3, 1.0])),
    lambda x: F.soft_margin_loss(x, dg.tensor([1.0, -1.0, 1.0, -1.0]), reduction="sum"),
    lambda x: F.kl_div(x.log_softmax(0), dg.tensor([0.1, 0.2, 0.3, 0.4]), reduction="sum"),
], ids=["bce_with_logits", "bce", "soft_margin", "kl_div"])
def test_other_primitives_gradgradcheck(fn):
    x = dg.tensor(np.array([-1.3, 0.4, 2.1, -0.2]), requires_grad=True)
    assert dg.autograd.gradgradcheck(fn, (x,), eps=1e-6, atol=1e-6)


# ---------------------------------------------------------------------------- extreme values
def test_cross_entropy_large_and_masked_logits_match_torch():
    x = np.array([[1e4, -1e4, 0.0], [-3e4, 2e4, 1e4], [5.0, -np.inf, 1.0],
                  [-np.inf, 2.0, 3.0]], np.float32)
    t = np.array([1, 0, 2, -100])  # the ignored row has -inf at the class-0 placeholder
    for red in ("mean", "sum", "none"):
        xd, td, _ = _tensors(dg, x, t, None)
        xt, tt, _ = _tensors(torch, x, t, None)
        ours = F.cross_entropy(xd, td, reduction=red)
        ref = TF.cross_entropy(xt, tt, reduction=red)
        assert np.all(np.isfinite(_np(ours))), _np(ours)
        _close(ours, ref, what=red)
        ours.sum().backward()
        ref.sum().backward()
        assert np.all(np.isfinite(_np(xd.grad)))
        _close(xd.grad, xt.grad, what=red)


@pytest.mark.parametrize("pos_weight", [None, [3.0, 0.5, 2.0, 1.0, 4.0, 0.2, 1.5, 2.5]])
def test_bce_with_logits_is_finite_for_huge_logits(pos_weight):
    x = np.array([-1e4, -100.0, 100.0, 1e4, 1e30, -1e30, 88.7, -88.7], np.float32)
    t = np.array([1.0, 1.0, 0.0, 0.0, 0.0, 1.0, 0.5, 0.5], np.float32)
    for red in ("none", "mean"):
        xd, xt = dg.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
        pwd = None if pos_weight is None else dg.tensor(pos_weight)
        pwt = None if pos_weight is None else torch.tensor(pos_weight)
        ours = F.binary_cross_entropy_with_logits(xd, dg.tensor(t), pos_weight=pwd,
                                                  reduction=red)
        ref = TF.binary_cross_entropy_with_logits(xt, torch.tensor(t), pos_weight=pwt,
                                                  reduction=red)
        assert np.all(np.isfinite(_np(ours))), _np(ours)
        _close(ours, ref, rtol=1e-5, what=red)
        ours.sum().backward()
        ref.sum().backward()
        assert np.all(np.isfinite(_np(xd.grad))), _np(xd.grad)
        _close(xd.grad, xt.grad, what=red)


def test_bce_with_logits_gradient_at_zero_logit():
    """d/dx at x = 0 is sigmoid(0) - t = 0.5 - t (zero-initialized heads start here)."""
    x = dg.zeros(3, requires_grad=True)
    F.binary_cross_entropy_with_logits(x, dg.tensor([0.0, 1.0, 0.25]), reduction="sum").backward()
    xt = torch.zeros(3, requires_grad=True)
    TF.binary_cross_entropy_with_logits(xt, torch.tensor([0.0, 1.0, 0.25]),
                                        reduction="sum").backward()
    _close(x.grad, xt.grad)


def test_bce_saturated_probabilities_are_finite_like_torch():
    x = np.array([0.0, 1.0, 0.0, 1.0, 1e-30], np.float32)
    t = np.array([0.0, 1.0, 1.0, 0.0, 0.5], np.float32)
    xd, xt = dg.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    ours = F.binary_cross_entropy(xd, dg.tensor(t), reduction="sum")
    ref = TF.binary_cross_entropy(xt, torch.tensor(t), reduction="sum")
    _close(ours, ref)
    ours.backward()
    ref.backward()
    assert np.all(np.isfinite(_np(xd.grad)))
    _close(xd.grad, xt.grad)


@pytest.mark.parametrize("red", ["mean", "sum", "none"])
@pytest.mark.parametrize("smoothing", [0.0, 0.2])
def test_all_targets_ignored(red, smoothing):
    """'mean' over nothing is NaN (as in torch) but the gradient stays 0, not NaN."""
    x = np.random.default_rng(0).standard_normal((3, 4)).astype(np.float32)
    t = np.full(3, -100)
    xd, td, _ = _tensors(dg, x, t, None)
    xt, tt, _ = _tensors(torch, x, t, None)
    ours = F.cross_entropy(xd, td, reduction=red, label_smoothing=smoothing)
    ref = TF.cross_entropy(xt, tt, reduction=red, label_smoothing=smoothing)
    _close(ours, ref)
    ours.sum().backward()
    ref.sum().backward()
    _close(xd.grad, xt.grad)


def test_float64_stays_float64():
    x = dg.randn(4, 3, dtype=dg.float64, requires_grad=True)
    loss = F.cross_entropy(x, dg.tensor([0, 1, 2, 0]), label_smoothing=0.1)
    assert loss.dtype is dg.float64
    loss.backward()
    assert x.grad.dtype is dg.float64


# ---------------------------------------------------------------------------- graph lifetime
def test_backward_twice_raises_and_retain_graph_accumulates():
    x = dg.randn(4, 3, requires_grad=True)
    t = dg.tensor([0, 1, 2, 0])
    loss = F.cross_entropy(x, t)
    loss.backward(retain_graph=True)
    first = x.grad.numpy().copy()
    loss.backward()
    np.testing.assert_allclose(x.grad.numpy(), 2 * first, rtol=1e-6)
    with pytest.raises(RuntimeError, match="second time"):
        loss.backward()


def test_nll_backward_twice_raises_like_torch():
    for m in (torch, dg):
        x = _framework(m).randn(4, 3, requires_grad=True)
        loss = m.nn.functional.nll_loss(x, _framework(m).tensor([0, 1, 2, 0]))
        loss.backward()
        with pytest.raises(RuntimeError, match="second time"):
            loss.backward()

def test_logits_changed_in_place_after_the_loss_still_backprop_like_torch():
    """torch's cross-entropy keeps its own softmax, so the logits may change afterwards."""
    x = np.random.default_rng(0).standard_normal((4, 3)).astype(np.float32)
    grads = []
    for m in (dg, torch):
        leaf = _framework(m).tensor(x, requires_grad=True)
        logits = leaf * 2.0
        loss = m.nn.functional.cross_entropy(logits, _framework(m).tensor([0, 1, 2, 0]))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            logits.add_(1.0)
        loss.backward()
        grads.append(leaf.grad)
    _close(grads[0], grads[1])


# ---------------------------------------------------------------------------- errors
@pytest.mark.parametrize("fn_name", ["cross_entropy", "nll_loss"])
@pytest.mark.parametrize("bad", [10, -3, 11])
def test_out_of_range_target_names_the_op_and_the_value(fn_name, bad):
    x = np.zeros((3, 10), np.float32)
    t = np.array([1, bad, 2])
    with pytest.raises(IndexError):
        getattr(TF, fn_name)(torch.tensor(x), torch.tensor(t))
    with pytest.raises(IndexError) as info:
        getattr(F, fn_name)(dg.tensor(x), dg.tensor(t))
    assert fn_name in str(info.value) and f"Target {bad} " in str(info.value)


def test_mse_loss_broadcast_warns_like_torch():
    with pytest.warns(UserWarning, match="target size"):
        TF.mse_loss(torch.zeros(3, 4), torch.zeros(4))
    with pytest.warns(UserWarning, match="target size"):
        F.mse_loss(dg.zeros(3, 4), dg.zeros(4))


def test_kl_div_mean_warns_like_torch():
    with pytest.warns(UserWarning, match="batchmean"):
        TF.kl_div(torch.zeros(3), torch.ones(3) / 3)
    with pytest.warns(UserWarning, match="batchmean"):
        F.kl_div(dg.zeros(3), dg.ones(3) / 3)


# ---------------------------------------------------------------------------- modules
_ATTRS = ("reduction", "ignore_index", "label_smoothing", "margin", "p", "eps", "swap", "beta",
          "delta", "log_input", "full", "log_target")


@pytest.mark.parametrize("name", dg.nn.modules.loss.__all__)
def test_module_defaults_match_torch(name):
    ours, ref = getattr(dg.nn, name)(), getattr(torch.nn, name)()
    for attr in _ATTRS:
        assert hasattr(ours, attr) == hasattr(ref, attr), f"{name}.{attr}"
        if hasattr(ref, attr):
            assert getattr(ours, attr) == getattr(ref, attr), f"{name}.{attr}"
    assert list(ours.state_dict()) == list(ref.state_dict())


@pytest.mark.parametrize("size_average", [None, True, False])
@pytest.mark.parametrize("reduce", [None, True, False])
def test_legacy_flags_map_to_reduction_like_torch(size_average, reduce):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for name in ("MSELoss", "NLLLoss", "CrossEntropyLoss", "BCEWithLogitsLoss", "KLDivLoss"):
            ours = getattr(dg.nn, name)(size_average=size_average, reduce=reduce,
                                        reduction="sum")
            ref = getattr(torch.nn, name)(size_average=size_average, reduce=reduce,
                                          reduction="sum")
            assert ours.reduction == ref.reduction, name


def test_weight_buffers_are_in_state_dict_like_torch():
    w = np.array([1.0, 2.0, 3.0], np.float32)
    for ctor in (lambda nn, fw: nn.CrossEntropyLoss(weight=fw.tensor(w)),
                 lambda nn, fw: nn.BCEWithLogitsLoss(pos_weight=fw.tensor(w)),
                 lambda nn, fw: nn.BCEWithLogitsLoss(weight=fw.tensor(w),
                                                     pos_weight=fw.tensor(w)),
                 lambda nn, fw: nn.MultiMarginLoss(weight=fw.tensor(w))):
        ours, ref = ctor(dg.nn, dg), ctor(torch.nn, torch)
        assert list(ours.state_dict()) == list(ref.state_dict())
        assert [n for n, _ in ours.named_buffers()] == [n for n, _ in ref.named_buffers()]


@pytest.mark.parametrize("ctor, exc", [
    (lambda nn: nn.HuberLoss(delta="1"), TypeError),
    (lambda nn: nn.TripletMarginLoss(margin=0.0), ValueError),
    (lambda nn: nn.TripletMarginWithDistanceLoss(margin=-1.0), ValueError),
    (lambda nn: nn.MultiMarginLoss(p=3), ValueError),
])
def test_module_constructor_errors_match_torch(ctor, exc):
    for nn in (torch.nn, dg.nn):
        with pytest.raises(exc):
            ctor(nn)


# ---------------------------------------------------------------------------- known bugs elsewhere
@pytest.mark.parametrize("fn", ["logsigmoid", "softplus"])
def test_activation_gradient_at_zero_matches_torch(fn):
    x = dg.zeros(2, requires_grad=True)
    getattr(F, fn)(x).sum().backward()
    xt = torch.zeros(2, requires_grad=True)
    getattr(TF, fn)(xt).sum().backward()
    _close(x.grad, xt.grad)
