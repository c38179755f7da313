"""Autograd against torch: accumulation, ``grad``, higher order, graph lifetime, grad modes,
hooks, custom Functions, gradcheck and ``autograd.functional``."""
import gc
import sys
import threading
import weakref

import numpy as np
import pytest
import torch

import deepgrad as dg
from deepgrad.autograd import GradcheckError

# torch.autograd.gradcheck is shadowed by the function of that name; fetch the module itself
TorchGradcheckError = sys.modules["torch.autograd.gradcheck"].GradcheckError
RNG = np.random.default_rng(1234)
# torch warns that backward(create_graph=True) makes a reference cycle; that is intended here
pytestmark = pytest.mark.filterwarnings("ignore:Using backward\\(\\) with create_graph=True")


def arr(*shape, dtype=np.float64, positive=False):
    a = RNG.standard_normal(shape)
    if positive:
        a = np.abs(a) + 0.5
    return a.astype(dtype)


def pair(a, requires_grad=True):
    """The same data as a deepgrad and a torch leaf."""
    return (dg.tensor(a, requires_grad=requires_grad),
            torch.tensor(a, requires_grad=requires_grad))


def close(d, t, rtol=1e-6, atol=1e-8):
    assert d is not None and t is not None, (d, t)
    dn = np.asarray(d.detach().numpy(), dtype=np.float64)
    tn = t.detach().numpy().astype(np.float64)
    assert dn.shape == tn.shape, (dn.shape, tn.shape)
    np.testing.assert_allclose(dn, tn, rtol=rtol, atol=atol)


# ---------------------------------------------------------------------------- backward basics
def test_backward_accumulates_into_leaves():
    a = arr(3, 4)
    for m, x in zip((dg, torch), pair(a)):
        (x * x).sum().backward()
        (x * x).sum().backward()
        first = x.grad.clone()
        (x.sin()).sum().backward()
        if m is dg:
            dx, dfirst = x, first
        else:
            tx, tfirst = x, first
    close(dfirst, tfirst)
    close(dx.grad, tx.grad)
    np.testing.assert_allclose(dfirst.numpy(), 4 * a)


def test_backward_with_gradient_for_non_scalar():
    a, g = arr(2, 3), arr(2, 3)
    dx, tx = pair(a)
    (dx * 3).exp().backward(gradient=dg.tensor(g))
    (tx * 3).exp().backward(gradient=torch.tensor(g))
    close(dx.grad, tx.grad)


def test_implicit_grad_for_non_scalar_raises():
    dx, tx = pair(arr(2, 3))
    with pytest.raises(RuntimeError, match="implicitly created only for scalar outputs"):
        (tx * 2).backward()
    with pytest.raises(RuntimeError, match="implicitly created only for scalar outputs"):
        (dx * 2).backward()


def test_backward_on_tensor_without_grad_raises():
    with pytest.raises(RuntimeError):
        torch.ones(2).sum().backward()
    with pytest.raises(RuntimeError):
        dg.ones(2).sum().backward()


def test_backward_gradient_shape_mismatch_raises():
    dx, tx = pair(arr(2, 3))
    with pytest.raises(RuntimeError):
        (tx * 2).backward(torch.ones(3))
    with pytest.raises(RuntimeError):
        (dx * 2).backward(dg.ones(3))


def test_backward_inputs_restricts_accumulation():
    a, b = arr(3), arr(3)
    dx, tx = pair(a)
    dy, ty = pair(b)
    (dx * dy).sum().backward(inputs=[dx])
    (tx * ty).sum().backward(inputs=[tx])
    close(dx.grad, tx.grad)
    assert dy.grad is None and ty.grad is None


def test_acceptance_example_softmax():
    a = arr(3, 4, dtype=np.float32)
    x = dg.tensor(a, requires_grad=True)
    (x.softmax(-1) * dg.arange(4.)).sum().backward()
    t = torch.tensor(a, requires_grad=True)
    (t.softmax(-1) * torch.arange(4.)).sum().backward()
    assert x.grad.dtype == dg.float32
    close(x.grad, t.grad, rtol=1e-5, atol=1e-6)


def test_acceptance_example_with_randn():
    dg.manual_seed(7)
    x = dg.randn(3, 4, requires_grad=True)
    t = torch.tensor(x.detach().numpy(), requires_grad=True)
    (x.softmax(-1) * dg.arange(4.)).sum().backward()
    (t.softmax(-1) * torch.arange(4.)).sum().backward()
    close(x.grad, t.grad, rtol=1e-5, atol=1e-6)


# ---------------------------------------------------------------------------- autograd.grad
def test_grad_with_grad_outputs_multiple_outputs_and_inputs():
    a, b = arr(3, 2), arr(2, 4)
    g1, g2 = arr(3, 4), arr(3, 2)
    res = []
    for m, (x, y) in ((dg, (dg.tensor(a, requires_grad=True), dg.tensor(b, requires_grad=True))),
                      (torch, (torch.tensor(a, requires_grad=True),
                               torch.tensor(b, requires_grad=True)))):
        out1 = x @ y
        out2 = x.tanh() * 2
        gs = m.autograd.grad((out1, out2), (x, y), grad_outputs=(m.tensor(g1), m.tensor(g2)))
        assert isinstance(gs, tuple) and len(gs) == 2
        assert x.grad is None and y.grad is None  # grad() does not touch .grad
        res.append(gs)
    for d, t in zip(*res):
        close(d, t)


def test_grad_single_tensor_input_returns_tuple():
    dx, tx = pair(arr(3))
    (dg_g,) = dg.autograd.grad((dx ** 2).sum(), dx)
    (t_g,) = torch.autograd.grad((tx ** 2).sum(), tx)
    close(dg_g, t_g)
    assert not dg_g.requires_grad


def test_grad_allow_unused():
    a = arr(3)
    for m in (dg, torch):
        x = m.tensor(a, requires_grad=True)
        z = m.tensor(a, requires_grad=True)
        with pytest.raises(RuntimeError, match="not have been used in the graph"):
            m.autograd.grad((x * 2).sum(), (x, z))
        gx, gz = m.autograd.grad((x * 2).sum(), (x, z), allow_unused=True)
        assert gz is None
        np.testing.assert_allclose(gx.numpy(), 2.0)
        gx, gz = m.autograd.grad((x * 2).sum(), (x, z), materialize_grads=True)
        assert gz is not None and gz.shape == z.shape
        np.testing.assert_array_equal(gz.numpy(), 0.0)


def test_grad_requires_inputs_that_require_grad():
    for m in (dg, torch):
        x = m.tensor([1.0, 2.0], requires_grad=True)
        c = m.tensor([1.0, 2.0])
        with pytest.raises(RuntimeError, match="does not require grad"):
            m.autograd.grad((x * c).sum(), c)


def test_grad_non_leaf_inputs():
    a = arr(4)
    res = []
    for m in (dg, torch):
        x = m.tensor(a, requires_grad=True)
        h = x.exp()
        y = (h * h.sin()).sum()
        gh, gx = m.autograd.grad(y, (h, x))
        res.append((gh, gx))
    close(res[0][0], res[1][0])
    close(res[0][1], res[1][1])


def test_grad_same_input_twice():
    a = arr(3)
    res = []
    for m in (dg, torch):
        x = m.tensor(a, requires_grad=True)
        res.append(m.autograd.grad((x ** 3).sum(), (x, x)))
    for d, t in zip(*res):
        close(d, t)


# ---------------------------------------------------------------------------- higher order
SECOND_ORDER_FNS = {
    "arith": lambda x, y: ((x * y + x / (y * y + 1) - 3 * x) ** 2).sum(),
    "exp": lambda x, y: (x.exp() * y).sum(),
    "log": lambda x, y: ((x * x + 1).log() * y).sum(),
    "sin": lambda x, y: (x.sin() * y.sin()).sum(),
    "tanh": lambda x, y: (x.tanh() * y).sum(),
    "sigmoid": lambda x, y: (x.sigmoid() * y * x).sum(),
    "pow": lambda x, y: ((x * x + 1) ** 1.5 * y + (y * y + 1) ** x).sum(),
    "sum_mean": lambda x, y: (x * y).sum(dim=1).pow(2).mean() + (x * x).mean(dim=0).sum(),
    "matmul": lambda x, y: ((x @ y.T).tanh() ** 2).sum(),
}


@pytest.mark.parametrize("name", list(SECOND_ORDER_FNS))
def test_hessian_vector_product_vs_torch(name):
    f = SECOND_ORDER_FNS[name]
    a, b, v = arr(3, 4), arr(3, 4), arr(3, 4)
    res = []
    for m in (dg, torch):
        x = m.tensor(a, requires_grad=True)
        y = m.tensor(b, requires_grad=True)
        (gx,) = m.autograd.grad(f(x, y), x, create_graph=True)
        assert gx.requires_grad
        hv_x, hv_y = m.autograd.grad(gx, (x, y), grad_outputs=m.tensor(v))
        res.append((gx, hv_x, hv_y))
    for d, t in zip(*res):
        close(d, t, rtol=1e-6, atol=1e-9)


@pytest.mark.parametrize("name", list(SECOND_ORDER_FNS))
def test_gradient_penalty_backward_vs_torch(name):
    f = SECOND_ORDER_FNS[name]
    a, b = arr(3, 4), arr(3, 4)
    res = []
    for m in (dg, torch):
        x = m.tensor(a, requires_grad=True)
        w = m.tensor(b, requires_grad=True)  # the "discriminator" weights
        (gx,) = m.autograd.grad(f(x, w), x, create_graph=True)
        penalty = (gx ** 2).sum()
        penalty.backward()
        res.append((penalty, x.grad, w.grad))
    for d, t in zip(*res):
        close(d, t, rtol=1e-6, atol=1e-9)


def test_backward_create_graph_then_differentiate_grad():
    a = arr(5)
    res = []
    for m in (dg, torch):
        x = m.tensor(a, requires_grad=True)
        (x ** 3).sum().backward(create_graph=True)
        g = x.grad
        assert g.requires_grad
        (g2,) = m.autograd.grad(g.sum(), x)
        res.append((g, g2))
    close(res[0][0], res[1][0])
    close(res[0][1], res[1][1])


def test_third_order_derivative():
    a = arr(4)
    res = []
    for m in (dg, torch):
        x = m.tensor(a, requires_grad=True)
        y = (x.sin() * x * x).sum()
        (g1,) = m.autograd.grad(y, x, create_graph=True)
        (g2,) = m.autograd.grad(g1.sum(), x, create_graph=True)
        (g3,) = m.autograd.grad(g2.sum(), x)
        res.append(g3)
    close(*res)


# ---------------------------------------------------------------------------- retain_graph
SAVING_OPS = {
    "mul": lambda x: (x * x).sum(),
    "exp": lambda x: x.exp().sum(),
    "tanh": lambda x: x.tanh().sum(),
    "matmul": lambda x: (x @ x.T).sum(),
    "sigmoid": lambda x: x.sigmoid().sum(),
}


@pytest.mark.parametrize("name", list(SAVING_OPS))
def test_second_backward_without_retain_graph_raises(name):
    f = SAVING_OPS[name]
    for m in (dg, torch):
        x = m.tensor(arr(3, 3), requires_grad=True)
        y = f(x)
        y.backward()
        with pytest.raises(RuntimeError, match="backward through the graph a second time"):
            y.backward()


@pytest.mark.parametrize("name", list(SAVING_OPS))
def test_retain_graph_allows_second_backward(name):
    f = SAVING_OPS[name]
    a = arr(3, 3)
    res = []
    for m in (dg, torch):
        x = m.tensor(a, requires_grad=True)
        y = f(x)
        y.backward(retain_graph=True)
        y.backward()
        res.append(x.grad)
    close(*res)


def test_autograd_grad_frees_graph_too():
    for m in (dg, torch):
        x = m.tensor(arr(3), requires_grad=True)
        y = x.exp().sum()
        m.autograd.grad(y, x)
        with pytest.raises(RuntimeError, match="backward through the graph a second time"):
            m.autograd.grad(y, x)


def test_graph_freed_after_backward_releases_saved_tensors():
    x = dg.tensor(arr(100), requires_grad=True)
    h = x * 2  # an intermediate saved by the next op
    y = (h * h).sum()
    node = y.grad_fn.next_functions[0][0]  # MulBackward0 of h * h
    assert node.name() == "MulBackward0"
    assert len(node.saved_tensors) > 0
    y.backward()
    assert node._saved is None
    with pytest.raises(RuntimeError, match="backward through the graph a second time"):
        node.saved_tensors


def test_graph_nodes_collected_after_backward():
    x = dg.tensor(arr(10), requires_grad=True)
    y = x.exp()
    node_ref = weakref.ref(y.grad_fn)
    loss = (y * 3).sum()
    loss.backward()
    del y, loss
    gc.collect()
    assert node_ref() is None


# ---------------------------------------------------------------------------- grad modes
def test_no_grad_context_and_decorator():
    x = dg.ones(3, requires_grad=True)
    with dg.no_grad():
        assert not dg.is_grad_enabled()
        y = x * 2
    assert dg.is_grad_enabled()
    assert not y.requires_grad and y.grad_fn is None

    @dg.no_grad()
    def f(t):
        assert not dg.is_grad_enabled()
        return t * 2

    assert not f(x).requires_grad
    assert dg.is_grad_enabled()
    assert f.__name__ == "f"


def test_no_grad_decorator_without_parentheses_matches_torch():
    @torch.no_grad
    def tf(t):
        return t * 2

    @dg.no_grad
    def df(t):
        return t * 2

    assert not tf(torch.ones(2, requires_grad=True)).requires_grad
    assert not df(dg.ones(2, requires_grad=True)).requires_grad

    @dg.inference_mode
    def di(t):
        return t * 2

    @dg.enable_grad
    def de(t):
        return t * 2

    assert not di(dg.ones(2, requires_grad=True)).requires_grad
    with dg.no_grad():
        assert de(dg.ones(2, requires_grad=True)).requires_grad
    assert di.__name__ == "di" and dg.is_grad_enabled()


def test_enable_grad_inside_no_grad_and_nesting():
    x = dg.ones(3, requires_grad=True)
    with dg.no_grad():
        with dg.enable_grad():
            assert dg.is_grad_enabled()
            y = x * 2
            with dg.no_grad():
                z = x * 2
            assert dg.is_grad_enabled()
        assert not dg.is_grad_enabled()
    assert y.requires_grad and not z.requires_grad

    @dg.enable_grad()
    def g(t):
        return t * 2

    with dg.no_grad():
        assert g(x).requires_grad
        assert not dg.is_grad_enabled()


def test_set_grad_enabled_function_context_and_decorator():
    x = dg.ones(3, requires_grad=True)
    with dg.set_grad_enabled(False):
        assert not (x * 2).requires_grad
    assert dg.is_grad_enabled()
    with dg.no_grad():
        with dg.set_grad_enabled(True):
            assert (x * 2).requires_grad
        assert not dg.is_grad_enabled()
    # called as a function it switches immediately (torch semantics)
    dg.set_grad_enabled(False)
    try:
        assert not dg.is_grad_enabled()
    finally:
        dg.set_grad_enabled(True)
    assert dg.is_grad_enabled()

    @dg.set_grad_enabled(False)
    def f(t):
        return t * 2

    assert dg.is_grad_enabled()
    assert not f(x).requires_grad
    assert dg.is_grad_enabled()


def test_inference_mode():
    x = dg.ones(3, requires_grad=True)
    with dg.inference_mode():
        assert not dg.is_grad_enabled()
        assert not (x * 2).requires_grad
    assert dg.is_grad_enabled()
    with dg.inference_mode(False):
        assert (x * 2).requires_grad

    @dg.inference_mode()
    def f(t):
        return t * 2

    assert not f(x).requires_grad
    assert dg.is_grad_enabled()


def test_grad_mode_restored_after_exception():
    with pytest.raises(ValueError):
        with dg.no_grad():
            raise ValueError
    assert dg.is_grad_enabled()


def test_grad_mode_is_thread_local():
    x = dg.ones(3, requires_grad=True)
    seen = {}

    def worker():
        seen["enabled"] = dg.is_grad_enabled()
        seen["records"] = (x * 2).requires_grad

    with dg.no_grad():
        th = threading.Thread(target=worker)
        th.start()
        th.join()
        assert not dg.is_grad_enabled()
    assert seen == {"enabled": True, "records": True}

    # and the reverse: no_grad in a thread does not leak into this one
    def disabling_worker():
        with dg.no_grad():
            seen["inner"] = dg.is_grad_enabled()
            barrier.wait()
            barrier.wait()

    barrier = threading.Barrier(2)
    th = threading.Thread(target=disabling_worker)
    th.start()
    barrier.wait()
    assert dg.is_grad_enabled() and (x * 2).requires_grad
    barrier.wait()
    th.join()
    assert seen["inner"] is False


# ---------------------------------------------------------------------------- tensor autograd API
def test_requires_grad_flag_and_is_leaf():
    for m in (dg, torch):
        x = m.ones(3)
        assert not x.requires_grad and x.is_leaf
        assert x.requires_grad_() is x
        assert x.requires_grad and x.is_leaf
        y = x * 2
        assert y.requires_grad and not y.is_leaf
        with pytest.raises(RuntimeError):
            y.requires_grad_(False)
        x.requires_grad_(False)
        assert not x.requires_grad
        z = x * 2
        assert z.is_leaf and not z.requires_grad


def test_detach_shares_memory_and_cuts_graph():
    for m in (dg, torch):
        x = m.ones(3, requires_grad=True)
        y = x * 2
        d = y.detach()
        assert not d.requires_grad and d.is_leaf and d.grad_fn is None
        d[0] = 5.0
        assert y[0].item() == 5.0
        assert np.shares_memory(x.detach().numpy(), x.detach().numpy())


def test_detach_in_place():
    for m in (dg, torch):
        x = m.ones(3, requires_grad=True)
        y = x * 2
        assert y.detach_() is y
        assert y.is_leaf and not y.requires_grad and y.grad_fn is None


def test_detach_shares_version_counter():
    for m in (dg, torch):
        x = m.ones(3, requires_grad=True)
        y = x.exp()
        y.detach().add_(1)
        with pytest.raises(RuntimeError, match="modified by an inplace operation"):
            y.sum().backward()


def test_retain_grad_on_non_leaf():
    a = arr(3)
    res = []
    for m in (dg, torch):
        x = m.tensor(a, requires_grad=True)
        h = x.exp()
        h.retain_grad()
        assert h.retains_grad
        (h * h).sum().backward()
        res.append(h.grad)
    close(*res)


def test_non_leaf_grad_is_none_without_retain_grad():
    x = dg.ones(3, requires_grad=True)
    h = x * 2
    (h * h).sum().backward()
    assert h.grad is None
    assert x.grad is not None


def test_register_hook_on_leaf_modifies_grad_and_removes():
    a = arr(3)
    res = []
    for m in (dg, torch):
        x = m.tensor(a, requires_grad=True)
        calls = []

        def hook(g, calls=calls):
            calls.append(g.clone())
            return g * 10

        handle = x.register_hook(hook)
        (x * x).sum().backward()
        first = x.grad.clone()
        handle.remove()
        x.grad = None
        (x * x).sum().backward()
        res.append((first, x.grad, calls[0], len(calls)))
    close(res[0][0], res[1][0])
    close(res[0][1], res[1][1])
    close(res[0][2], res[1][2])
    assert res[0][3] == res[1][3] == 1


def test_register_hook_on_non_leaf_changes_upstream_grad():
    a = arr(4)
    res = []
    for m in (dg, torch):
        x = m.tensor(a, requires_grad=True)
        h = x.sin()
        seen = []
        h.register_hook(lambda g, seen=seen: seen.append(g.clone()))
        h.register_hook(lambda g: g * 2 + 1)
        h.retain_grad()
        (h * h).sum().backward()
        res.append((x.grad, seen[0], h.grad))
    for d, t in zip(*res):
        close(d, t)


def test_register_hook_on_non_leaf_removal():
    x = dg.ones(3, requires_grad=True)
    h = x * 2
    handle = h.register_hook(lambda g: g * 0)
    handle.remove()
    h.sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), 2.0)


def test_register_hook_requires_grad():
    for m in (dg, torch):
        with pytest.raises(RuntimeError):
            m.ones(2).register_hook(lambda g: g)


GRAD_FN_NAMES = [
    ("ExpBackward0", lambda x: x.exp()),
    ("MulBackward0", lambda x: x * x),
    ("AddBackward0", lambda x: x + x),
    ("SubBackward0", lambda x: x - 1),
    ("SumBackward0", lambda x: x.sum()),
    ("TanhBackward0", lambda x: x.tanh()),
    ("SigmoidBackward0", lambda x: x.sigmoid()),
    ("DivBackward0", lambda x: x / 2),
    ("NegBackward0", lambda x: -x),
    ("MmBackward0", lambda x: x @ x.T),
    ("MeanBackward0", lambda x: x.mean()),
]


@pytest.mark.parametrize("name, f", GRAD_FN_NAMES, ids=lambda v: v if isinstance(v, str) else "")
def test_grad_fn_names_match_torch(name, f):
    dx, tx = pair(arr(2, 3))
    assert type(f(tx).grad_fn).__name__ == name
    assert f(dx).grad_fn.name() == name
    assert f"grad_fn=<{name}>" in repr(f(dx))


def test_next_functions():
    a = arr(2, 3)
    dx, tx = pair(a)
    y = dx.exp() * dx
    nf = y.grad_fn.next_functions
    assert len(nf) == 2
    assert nf[0][0].name() == "ExpBackward0" and nf[0][1] == 0
    acc = nf[1][0]
    assert acc.name() == "AccumulateGrad" and acc.variable is dx
    assert nf[0][0].next_functions[0][0] is acc  # one AccumulateGrad per leaf
    # a constant operand has no edge
    z = dx * dg.ones(2, 3)
    tz = tx * torch.ones(2, 3)
    assert z.grad_fn.next_functions[1][0] is None
    assert tz.grad_fn.next_functions[1][0] is None
    assert dx.grad_fn is None


# ---------------------------------------------------------------------------- custom Function
def make_cube(m):
    class Cube(m.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x ** 3

        @staticmethod
        def backward(ctx, grad):
            (x,) = ctx.saved_tensors
            return grad * 3 * x ** 2

    return Cube


def test_custom_function_forward_backward():
    a = arr(5)
    res = []
    for m in (dg, torch):
        x = m.tensor(a, requires_grad=True)
        y = make_cube(m).apply(x)
        assert y.requires_grad and not y.is_leaf
        y.sum().backward()
        res.append((y, x.grad))
    close(res[0][0], res[1][0])
    close(res[0][1], res[1][1])


def test_custom_function_double_backward():
    a, v = arr(5), arr(5)
    res = []
    for m in (dg, torch):
        x = m.tensor(a, requires_grad=True)
        y = make_cube(m).apply(x)
        (g,) = m.autograd.grad(y.sum(), x, create_graph=True)
        (gg,) = m.autograd.grad(g, x, grad_outputs=m.tensor(v))
        res.append((g, gg))
    close(res[0][0], res[1][0])
    close(res[0][1], res[1][1])
    np.testing.assert_allclose(res[0][1].numpy(), 6 * a * v)


def make_multi(m, log):
    class MulAddNonDiff(m.autograd.Function):
        """Returns (x * y, x + y, argmax) with the index marked non-differentiable."""

        @staticmethod
        def forward(ctx, x, y, scale):
            ctx.save_for_backward(x, y)
            ctx.scale = scale
            log.append(tuple(ctx.needs_input_grad))
            idx = x.argmax()
            ctx.mark_non_differentiable(idx)
            return x * y * scale, x + y, idx

        @staticmethod
        def backward(ctx, g_prod, g_sum, g_idx):
            x, y = ctx.saved_tensors
            gx = gy = None
            if ctx.needs_input_grad[0]:
                gx = g_prod * y * ctx.scale + g_sum
            if ctx.needs_input_grad[1]:
                gy = g_prod * x * ctx.scale + g_sum
            return gx, gy, None

    return MulAddNonDiff


def test_custom_function_multiple_outputs_needs_input_grad_non_differentiable():
    a, b = arr(4), arr(4)
    res = []
    for m in (dg, torch):
        log = []
        x = m.tensor(a, requires_grad=True)
        y = m.tensor(b)  # does not require grad
        p, s, idx = make_multi(m, log).apply(x, y, 2.0)
        assert log == [(True, False, False)]
        assert p.requires_grad and s.requires_grad and not idx.requires_grad
        (p.sum() + (s * s).sum()).backward()
        res.append((p, s, idx, x.grad))
    for d, t in zip(res[0][:2], res[1][:2]):
        close(d, t)
    assert res[0][2].item() == res[1][2].item()
    close(res[0][3], res[1][3])


def test_custom_function_unused_output_gets_zero_grad():
    a, b = arr(4), arr(4)
    res = []
    for m in (dg, torch):
        x = m.tensor(a, requires_grad=True)
        y = m.tensor(b, requires_grad=True)
        p, _, _ = make_multi(m, []).apply(x, y, 3.0)
        p.sum().backward()  # g_sum is materialized as zeros
        res.append((x.grad, y.grad))
    close(res[0][0], res[1][0])
    close(res[0][1], res[1][1])


def test_custom_function_set_materialize_grads_false():
    for m in (dg, torch):
        seen = []

        class Two(m.autograd.Function):
            @staticmethod
            def forward(ctx, x):
                ctx.set_materialize_grads(False)
                return x * 2, x * 3

            @staticmethod
            def backward(ctx, g1, g2):
                seen.append((g1 is None, g2 is None))
                return g1 * 2 if g1 is not None else None

        x = m.ones(3, requires_grad=True)
        a, _ = Two.apply(x)
        a.sum().backward()
        assert seen == [(False, True)]
        np.testing.assert_array_equal(x.grad.numpy(), 2.0)


def test_custom_function_returning_none_grad():
    for m in (dg, torch):
        class Scale(m.autograd.Function):
            @staticmethod
            def forward(ctx, x, w):
                ctx.save_for_backward(w)
                return x * w

            @staticmethod
            def backward(ctx, g):
                (w,) = ctx.saved_tensors
                return g * w, None  # no gradient for w

        x = m.ones(3, requires_grad=True)
        w = m.full((3,), 4.0, requires_grad=True)
        Scale.apply(x, w).sum().backward()
        np.testing.assert_array_equal(x.grad.numpy(), 4.0)
        assert w.grad is None


def test_custom_function_wrong_number_of_grads_raises():
    for m in (dg, torch):
        class Bad(m.autograd.Function):
            @staticmethod
            def forward(ctx, x, y):
                return x * y

            @staticmethod
            def backward(ctx, g):
                return g, g, g

        x = m.ones(3, requires_grad=True)
        with pytest.raises(RuntimeError):
            Bad.apply(x, m.ones(3)).sum().backward()


def test_custom_function_forward_runs_without_recording():
    for m in (dg, torch):
        class Probe(m.autograd.Function):
            @staticmethod
            def forward(ctx, x):
                inner = x * 2
                ctx.inner_requires_grad = inner.requires_grad
                return inner

            @staticmethod
            def backward(ctx, g):
                return g * 2

        x = m.ones(2, requires_grad=True)
        y = Probe.apply(x)
        assert not y.grad_fn.inner_requires_grad
        assert y.requires_grad


def test_custom_function_no_grad_inputs_gives_no_graph():
    Cube = make_cube(dg)
    y = Cube.apply(dg.ones(3))
    assert not y.requires_grad and y.grad_fn is None
    with dg.no_grad():
        y = Cube.apply(dg.ones(3, requires_grad=True))
    assert not y.requires_grad


# ---------------------------------------------------------------------------- long chains
def test_long_chain_mul_no_recursion_error():
    n = 10_000
    for m in (dg, torch):
        x = m.tensor([1.0, 2.0], dtype=m.float64, requires_grad=True)
        y = x
        for _ in range(n):
            y = y * 1.0001
        y.sum().backward()
        np.testing.assert_allclose(x.grad.numpy(), 1.0001 ** n, rtol=1e-10)


def test_long_chain_add_no_recursion_error():
    n = 10_000
    x = dg.tensor([0.5, -1.0], requires_grad=True)
    y = dg.zeros(2)
    for _ in range(n):
        y = y + x
    y.sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), float(n))


# ---------------------------------------------------------------------------- version counter
def test_inplace_modification_of_saved_tensor_raises():
    for m in (dg, torch):
        x = m.ones(3, requires_grad=True)
        y = x.exp()
        y.add_(1)
        with pytest.raises(RuntimeError, match="modified by an inplace operation"):
            y.sum().backward()


def test_inplace_modification_of_saved_input_raises():
    for m in (dg, torch):
        x = m.ones(3, requires_grad=True)
        h = x * 1
        y = h * h
        h.mul_(2)
        with pytest.raises(RuntimeError, match="modified by an inplace operation"):
            y.sum().backward()


def test_inplace_on_unsaved_tensor_is_fine():
    a = arr(3)
    res = []
    for m in (dg, torch):
        x = m.tensor(a, requires_grad=True)
        h = x * 2  # MulBackward with a constant saves nothing of h
        h.add_(1)
        (h * 3).sum().backward()
        res.append(x.grad)
    close(*res)


def test_version_counter_increments_for_saved_tensors():
    for m in (dg, torch):
        x = m.ones(3, requires_grad=True)
        h = x * 1
        h * h  # saves h
        v0 = h._version
        h.add_(1)
        h.mul_(2)
        assert h._version == v0 + 2


# ---------------------------------------------------------------------------- gradcheck
def test_gradcheck_passes_on_correct_functions():
    x = dg.tensor(arr(3, 4), requires_grad=True)
    y = dg.tensor(arr(4, 2), requires_grad=True)
    assert dg.autograd.gradcheck(lambda a, b: (a @ b).tanh(), (x, y))
    assert dg.autograd.gradcheck(lambda a: a.softmax(-1), (x,))
    assert dg.autograd.gradcheck(lambda a, b: (a @ b).sigmoid(), (x, y), fast_mode=True)
    assert dg.autograd.gradgradcheck(lambda a, b: (a @ b).tanh(), (x, y))
    assert dg.autograd.gradgradcheck(lambda a: (a.exp() * a.sin()).sum(dim=0), (x,))
    assert dg.autograd.gradcheck(make_cube(dg).apply, (x,))
    assert dg.autograd.gradgradcheck(make_cube(dg).apply, (x,))


def make_wrong(m):
    class WrongCube(m.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x ** 3

        @staticmethod
        def backward(ctx, grad):
            (x,) = ctx.saved_tensors
            return grad * 2 * x ** 2  # should be 3 x^2

    return WrongCube


def make_wrong_second_order(m):
    class WrongSecond(m.autograd.Function):
        # Right first derivative (3 x^2) but written with a detached x, so the second
        # derivative through backward is wrong (zero).
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x ** 3

        @staticmethod
        def backward(ctx, grad):
            (x,) = ctx.saved_tensors
            return grad * 3 * x.detach() ** 2

    return WrongSecond


@pytest.mark.parametrize("fast_mode", [False, True])
def test_gradcheck_raises_on_wrong_function(fast_mode):
    a = arr(3)
    for m, err in ((dg, GradcheckError), (torch, TorchGradcheckError)):
        x = m.tensor(a, requires_grad=True)
        with pytest.raises(err):
            m.autograd.gradcheck(make_wrong(m).apply, (x,), fast_mode=fast_mode)
        assert m.autograd.gradcheck(make_wrong(m).apply, (x,), fast_mode=fast_mode,
                                    raise_exception=False) is False
    assert issubclass(GradcheckError, RuntimeError)


def test_gradgradcheck_raises_on_wrong_second_derivative():
    a = arr(3)
    for m, err in ((dg, GradcheckError), (torch, TorchGradcheckError)):
        x = m.tensor(a, requires_grad=True)
        assert m.autograd.gradcheck(make_wrong_second_order(m).apply, (x,))
        with pytest.raises(err):
            m.autograd.gradgradcheck(make_wrong_second_order(m).apply, (x,))


# ---------------------------------------------------------------------------- functional
def _f_vec(m):
    return lambda x: (x.sin() * x.sum()).exp()


def _f_two(m):
    return lambda x, y: x @ y.tanh()


def _f_scalar(m):
    return lambda x: (x.exp() * x.sin()).sum() + (x * x).sum() ** 2


def test_functional_jacobian_vs_torch():
    a, b = arr(4), arr(4, 3)
    jd = dg.autograd.functional.jacobian(_f_vec(dg), dg.tensor(a))
    jt = torch.autograd.functional.jacobian(_f_vec(torch), torch.tensor(a))
    close(jd, jt)
    jd = dg.autograd.functional.jacobian(_f_two(dg), (dg.tensor(a), dg.tensor(b)))
    jt = torch.autograd.functional.jacobian(_f_two(torch), (torch.tensor(a), torch.tensor(b)))
    assert isinstance(jd, tuple) and len(jd) == 2
    for d, t in zip(jd, jt):
        close(d, t)


def test_functional_jacobian_matrix_input():
    a = arr(2, 3)
    f_d = lambda x: x.softmax(-1)  # noqa: E731
    jd = dg.autograd.functional.jacobian(f_d, dg.tensor(a))
    jt = torch.autograd.functional.jacobian(lambda x: x.softmax(-1), torch.tensor(a))
    close(jd, jt)


def test_functional_hessian_vs_torch():
    a = arr(4)
    hd = dg.autograd.functional.hessian(_f_scalar(dg), dg.tensor(a))
    ht = torch.autograd.functional.hessian(_f_scalar(torch), torch.tensor(a))
    close(hd, ht)


def test_functional_vjp_vs_torch():
    a, b, v = arr(4), arr(4, 3), arr(4)
    od, gd = dg.autograd.functional.vjp(_f_vec(dg), dg.tensor(a), dg.tensor(v))
    ot, gt = torch.autograd.functional.vjp(_f_vec(torch), torch.tensor(a), torch.tensor(v))
    close(od, ot)
    close(gd, gt)
    v2 = arr(3)
    od, gd = dg.autograd.functional.vjp(_f_two(dg), (dg.tensor(a), dg.tensor(b)), dg.tensor(v2))
    ot, gt = torch.autograd.functional.vjp(_f_two(torch), (torch.tensor(a), torch.tensor(b)),
                                           torch.tensor(v2))
    close(od, ot)
    for d, t in zip(gd, gt):
        close(d, t)


def test_functional_hvp_vs_torch():
    a, v = arr(4), arr(4)
    od, hd = dg.autograd.functional.hvp(_f_scalar(dg), dg.tensor(a), dg.tensor(v))
    ot, ht = torch.autograd.functional.hvp(_f_scalar(torch), torch.tensor(a), torch.tensor(v))
    close(od, ot)
    close(hd, ht)


def test_functional_does_not_touch_inputs():
    x = dg.tensor(arr(3))
    dg.autograd.functional.jacobian(lambda t: t.exp(), x)
    assert not x.requires_grad and x.grad is None


def test_retain_grad_accumulates_and_grad_of_input_itself():
    res = []
    for m in (dg, torch):
        x = m.tensor([1.0, -2.0, 3.0], requires_grad=True)
        h = x * 2
        h.retain_grad()
        (h * h).sum().backward(retain_graph=True)
        (h * h).sum().backward()
        (same,) = m.autograd.grad(x, x, m.tensor([4.0, 5.0, 6.0]))
        res.append((h.grad, x.grad, same))
    for d, t in zip(*res):
        close(d, t)


def test_second_backward_through_nodes_that_save_nothing_is_allowed():
    for m in (dg, torch):
        x = m.ones(3, requires_grad=True)
        y = (x + 1).sum()
        y.backward()
        y.backward()  # neither add nor sum saved tensors: no error in torch
        np.testing.assert_array_equal(x.grad.numpy(), 2.0)


def test_leaf_grad_dtype_follows_leaf():
    for m in (dg, torch):
        x = m.ones(3, requires_grad=True)
        (x * 2).backward(m.ones(3, dtype=m.float64))
        assert x.grad.dtype == m.float32
