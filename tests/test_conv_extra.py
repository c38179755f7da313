"""Convolution and pooling beyond the tables: double backward, a small CNN against torch, and
module-constructor errors.

Second order: ``gradgradcheck`` in float64 differentiates the (``create_graph``) gradient
w.r.t. the inputs, and the Hessian-vector product test compares with torch the gradient of
``<dL/d(inputs, upstream grad), v>`` w.r.t. the inputs *and* the upstream gradient, so every
backward-of-backward path is exercised (``ConvInputGrad`` <-> ``ConvNd`` <-> ``ConvWeightGrad``,
``WindowScatter`` <-> ``WindowSum``, ``MaxScatter`` <-> ``MaxGather``). Pools and
interpolation are linear in their input, so they are squared (``op(x) ** 2``): the gradient
then depends on the input through the op's backward, whose own backward is what is tested.
"""
from __future__ import annotations

import numpy as np
import pytest

import deepgrad as dg

torch = pytest.importorskip("torch")


def _distinct(rng, *shape):
    n = int(np.prod(shape))
    return (rng.permutation(n) / n * 4 - 2 + rng.uniform(0, 0.5 / n, n)).reshape(shape)


def _cases():
    rng = np.random.default_rng(0)
    r = rng.standard_normal
    return [
        ("conv2d", lambda m, x, w, b: m.nn.functional.conv2d(x, w, b, stride=2, padding=1),
         [r((2, 2, 5, 4)), r((3, 2, 3, 2)), r(3)]),
        ("conv2d_groups_dilation",
         lambda m, x, w: m.nn.functional.conv2d(x, w, groups=2, dilation=(2, 1),
                                                padding="same"),
         [r((1, 4, 5, 5)), r((4, 2, 2, 3))]),
        ("conv_transpose2d_output_padding",
         lambda m, x, w, b: m.nn.functional.conv_transpose2d(x, w, b, stride=2, padding=1,
                                                             output_padding=1),
         [r((2, 2, 3, 3)), r((2, 3, 3, 3)), r(3)]),
        ("conv_transpose2d_groups_output_padding",
         lambda m, x, w: m.nn.functional.conv_transpose2d(x, w, stride=(3, 2),
                                                          output_padding=(2, 1), groups=2),
         [r((1, 4, 2, 3)), r((4, 1, 2, 2))]),
        ("max_pool2d_sq",
         lambda m, x: m.nn.functional.max_pool2d(x, 3, stride=2, padding=1, ceil_mode=True) ** 2,
         [_distinct(rng, 2, 2, 5, 6)]),
        ("avg_pool2d_sq",
         lambda m, x: m.nn.functional.avg_pool2d(x, 3, stride=2, padding=1,
                                                 count_include_pad=False) ** 2,
         [r((2, 2, 5, 6))]),
        ("interpolate_bilinear_sq",
         lambda m, x: m.nn.functional.interpolate(x, scale_factor=1.5, mode="bilinear") ** 2,
         [r((1, 2, 3, 4))]),
        ("interpolate_bilinear_align_corners_sq",
         lambda m, x: m.nn.functional.interpolate(x, size=(5, 3), mode="bilinear",
                                                  align_corners=True) ** 2,
         [r((1, 2, 3, 4))]),
    ]


CASES = _cases()
IDS = [c[0] for c in CASES]


def _leaves(m, arrays):
    out = []
    for a in arrays:
        t = m.tensor(a.copy(), dtype=m.float64)
        t.requires_grad_(True)
        out.append(t)
    return out


@pytest.mark.parametrize("fn, arrays", [c[1:] for c in CASES], ids=IDS)
def test_gradgradcheck_float64(fn, arrays):
    leaves = _leaves(dg, arrays)
    assert dg.autograd.gradgradcheck(lambda *xs: fn(dg, *xs), tuple(leaves), eps=1e-6,
                                     atol=1e-5, rtol=1e-3)


def _hvp(m, fn, arrays, g_out, v):
    """(dL/dinputs, d<dL/dinputs, v>/d(inputs, g_out)) for L = <fn(inputs), g_out>."""
    leaves = _leaves(m, arrays)
    upstream = m.tensor(g_out.copy(), dtype=m.float64)
    upstream.requires_grad_(True)
    y = fn(m, *leaves)
    grads = m.autograd.grad([(y * upstream).sum()], leaves, create_graph=True)
    total = sum((g * m.tensor(vi)).sum() for g, vi in zip(grads, v))
    second = m.autograd.grad([total], leaves + [upstream], allow_unused=True)
    return grads, second


@pytest.mark.parametrize("fn, arrays", [c[1:] for c in CASES], ids=IDS)
def test_double_backward_matches_torch(fn, arrays):
    rng = np.random.default_rng(1)
    out_shape = tuple(fn(torch, *[torch.tensor(a) for a in arrays]).shape)
    g_out = rng.standard_normal(out_shape)
    v = [rng.standard_normal(a.shape) for a in arrays]
    t_first, t_second = _hvp(torch, fn, arrays, g_out, v)
    d_first, d_second = _hvp(dg, fn, arrays, g_out, v)
    for i, (d, t) in enumerate(zip(d_first, t_first)):
        np.testing.assert_allclose(d.detach().numpy(), t.detach().numpy(), rtol=1e-9,
                                   atol=1e-12, err_msg=f"gradient {i}")
    for i, (d, t) in enumerate(zip(d_second, t_second)):
        if t is None:
            assert d is None or not np.any(d.numpy()), f"second-order grad {i} should be zero"
            continue
        assert d is not None, f"no second-order gradient for input {i}"
        np.testing.assert_allclose(d.numpy(), t.numpy(), rtol=1e-9, atol=1e-12,
                                   err_msg=f"second-order gradient {i}")


# ---------------------------------------------------------------------------- a small CNN
def _cnn(nn):
    """Conv-BN-ReLU-pool twice, then global average pool and Linear (3 weight layers)."""
    has_bn = hasattr(nn, "BatchNorm2d")
    norm = (lambda c: nn.BatchNorm2d(c)) if has_bn else (lambda c: nn.Identity())
    return nn.Sequential(
        nn.Conv2d(3, 8, 3, padding=1), norm(8), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(8, 16, 3, stride=1, padding="same", padding_mode="reflect", bias=False),
        norm(16), nn.ReLU(), nn.AvgPool2d(2, ceil_mode=True),
        nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(16, 10),
    )


def _run_cnn(m, model, images, labels):
    x = m.tensor(images)
    x.requires_grad_(True)
    loss = m.nn.functional.cross_entropy(model(x), m.tensor(labels))
    loss.backward()
    return loss, x


@pytest.mark.parametrize("mode", ["train", "eval"])
def test_small_cnn_matches_torch(mode):
    # float32 end to end; a gradient here sums over the whole batch and every pixel, so the
    # comparison allows 1e-4 (torch and NumPy accumulate in different orders)
    torch.manual_seed(0)
    t_model = _cnn(torch.nn)
    d_model = _cnn(dg.nn)
    state = {k: v.detach().numpy().copy() for k, v in t_model.state_dict().items()}
    assert list(d_model.state_dict()) == list(state)
    d_model.load_state_dict(state, strict=True)
    t_model.train(mode == "train")
    d_model.train(mode == "train")
    rng = np.random.default_rng(0)
    images = rng.standard_normal((6, 3, 13, 12)).astype(np.float32)
    labels = rng.integers(0, 10, 6).astype(np.int64)
    t_loss, t_x = _run_cnn(torch, t_model, images, labels)
    d_loss, d_x = _run_cnn(dg, d_model, images, labels)
    np.testing.assert_allclose(d_loss.item(), t_loss.item(), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(d_x.grad.numpy(), t_x.grad.numpy(), rtol=1e-4, atol=1e-4,
                               err_msg="input gradient")
    d_params = dict(d_model.named_parameters())
    for name, tp in t_model.named_parameters():
        np.testing.assert_allclose(d_params[name].grad.numpy(), tp.grad.numpy(), rtol=1e-4,
                                   atol=1e-4, err_msg=f"grad of {name}")
    d_bufs = dict(d_model.named_buffers())
    for name, tb in t_model.named_buffers():
        np.testing.assert_allclose(d_bufs[name].numpy(), tb.numpy(), rtol=1e-5, atol=1e-6,
                                   err_msg=f"buffer {name}")


# ---------------------------------------------------------------------------- module errors
MODULE_ERRORS = [
    ("same_with_stride", lambda nn: nn.Conv2d(3, 4, 3, stride=2, padding="same"), ValueError),
    ("bad_padding_string", lambda nn: nn.Conv2d(3, 4, 3, padding="full"), ValueError),
    ("bad_padding_mode", lambda nn: nn.Conv1d(3, 4, 3, padding_mode="mirror"), ValueError),
    ("in_channels_vs_groups", lambda nn: nn.Conv2d(3, 4, 3, groups=2), ValueError),
    ("out_channels_vs_groups", lambda nn: nn.Conv2d(4, 3, 3, groups=2), ValueError),
    ("zero_groups", lambda nn: nn.Conv2d(4, 4, 3, groups=0), ValueError),
    ("transpose_reflect", lambda nn: nn.ConvTranspose2d(3, 4, 3, padding_mode="reflect"),
     ValueError),
]


@pytest.mark.parametrize("ctor, exc", [c[1:] for c in MODULE_ERRORS],
                         ids=[c[0] for c in MODULE_ERRORS])
def test_module_constructor_errors_match_torch(ctor, exc):
    for m in (torch, dg):
        with pytest.raises(exc):
            ctor(m.nn)


@pytest.mark.parametrize("output_size", [(6, 6), (9, 9), (7,), (1, 1, 1, 7, 7)])
def test_conv_transpose_bad_output_size_raises_like_torch(output_size):
    # valid sizes for this layer and input are 7..8 per dim (less than a stride beyond)
    x = np.random.default_rng(0).standard_normal((1, 2, 4, 4)).astype(np.float32)
    for m in (torch, dg):
        layer = m.nn.ConvTranspose2d(2, 3, 3, stride=2, padding=1)
        with pytest.raises(ValueError):
            layer(m.tensor(x), output_size=output_size)


def test_conv_padding_modes_need_padding_match_torch():
    # a reflect pad wider than the input is an error in both (RuntimeError)
    x = np.random.default_rng(0).standard_normal((1, 1, 2, 2)).astype(np.float32)
    for m in (torch, dg):
        layer = m.nn.Conv2d(1, 1, 3, padding=2, padding_mode="reflect")
        with pytest.raises(RuntimeError):
            layer(m.tensor(x))


# ---------------------------------------------------------------------------- edge cases
# (a conv_transpose whose padding eats the whole output is left out: torch returns an empty
# result or raises depending on its thread count, i.e. on which kernel it picks)
EMPTY_RESULTS = [
    ("adaptive_avg_pool2d_zero", lambda m, x: m.nn.functional.adaptive_avg_pool2d(x, (2, 0)),
     (1, 2, 4, 4)),
    ("adaptive_max_pool2d_zero",
     lambda m, x: m.nn.functional.adaptive_max_pool2d(x, (0, 3), return_indices=True),
     (1, 2, 4, 4)),
    ("interpolate_area_zero",
     lambda m, x: m.nn.functional.interpolate(x, scale_factor=(2.6, 0.6), mode="area"),
     (1, 1, 1, 1)),
]


@pytest.mark.parametrize("fn, shape", [c[1:] for c in EMPTY_RESULTS],
                         ids=[c[0] for c in EMPTY_RESULTS])
def test_empty_results_match_torch(fn, shape):
    # forward only: torch's own backward rejects these empty outputs
    x = np.random.default_rng(0).standard_normal(shape).astype(np.float32)
    t_out = fn(torch, torch.tensor(x))
    d_out = fn(dg, dg.tensor(x))
    t_out = t_out if isinstance(t_out, tuple) else (t_out,)
    d_out = d_out if isinstance(d_out, tuple) else (d_out,)
    for d, t in zip(d_out, t_out):
        assert tuple(d.shape) == tuple(t.shape)
        assert d.dtype.name == str(t.dtype).replace("torch.", "")


def test_max_pool_indices_of_windows_wholly_in_padding_match_torch():
    # dilated windows can lie entirely in the padding: the value is -inf and torch reports
    # the window's first tap at a non-negative position (forward only: torch's backward then
    # writes out of bounds)
    F_t, F_d = torch.nn.functional, dg.nn.functional
    cases = [((1, 1, 1), dict(kernel_size=2, stride=3, padding=1, dilation=2)),
             ((1, 2, 7, 1), dict(kernel_size=(3, 2), stride=(2, 3), padding=(0, 1),
                                 dilation=2)),
             ((1, 1, 4, 4), dict(kernel_size=3, stride=2, padding=1))]
    rng = np.random.default_rng(0)
    for shape, kw in cases:
        x = rng.standard_normal(shape).astype(np.float32)
        if len(shape) == 4 and shape[-1] == 4:
            x[..., :2, :2] = -np.inf  # -inf inputs: no strict maximum either
        pool_t = F_t.max_pool1d if len(shape) == 3 else F_t.max_pool2d
        pool_d = F_d.max_pool1d if len(shape) == 3 else F_d.max_pool2d
        with torch.no_grad():
            t_val, t_idx = pool_t(torch.tensor(x), return_indices=True, **kw)
        d_val, d_idx = pool_d(dg.tensor(x), return_indices=True, **kw)
        np.testing.assert_array_equal(d_val.numpy(), t_val.numpy())
        np.testing.assert_array_equal(d_idx.numpy(), t_idx.numpy())


@pytest.mark.parametrize("shape, scale", [((1, 2, 2), (2.4,)), ((1, 2, 3), (1.3,)),
                                          ((1, 1, 2, 3, 3), (2.4, 1.3, 1.7)),
                                          ((1, 2, 2, 3), (2.4, 1.3))])
def test_nearest_forward_matches_torch_and_gradient_is_its_derivative(shape, scale):
    """When a non-integer scale_factor keeps a size or doubles it, torch's 1-D and 3-D
    'nearest' forward uses ``floor(i / scale)`` but its backward the shortcut indices (copy,
    ``i // 2``), so torch's gradient is not the derivative of its own output; the 2-D kernel
    uses the shortcuts both ways. We match torch's forward everywhere and give the gradient
    of that forward, checked against torch autograd through the same gather."""
    x = np.random.default_rng(0).standard_normal(shape)
    kw = dict(scale_factor=scale, mode="nearest")
    t_x = torch.tensor(x, requires_grad=True)
    d_x = dg.tensor(x.copy(), requires_grad=True)
    t_out = torch.nn.functional.interpolate(t_x, **kw)
    d_out = dg.nn.functional.interpolate(d_x, **kw)
    np.testing.assert_array_equal(d_out.detach().numpy(), t_out.detach().numpy())
    # torch's source index per output position, read off a forward on coordinates
    ref = t_x
    for dim, n in enumerate(shape[2:], start=2):
        coords = torch.arange(n, dtype=torch.float64).reshape(
            [n if d == dim else 1 for d in range(len(shape))]).expand(shape)
        src = torch.nn.functional.interpolate(coords.contiguous(), **kw)
        index = src.select(1, 0).select(0, 0)  # the spatial grid of source coordinates
        sel = [0] * (len(shape) - 2)
        sel[dim - 2] = slice(None)
        ref = ref.index_select(dim, index[tuple(sel)].long())
    g = np.random.default_rng(1).standard_normal(tuple(t_out.shape))
    (t_grad,) = torch.autograd.grad((ref * torch.tensor(g)).sum(), t_x)
    (d_out * dg.tensor(g)).sum().backward()
    np.testing.assert_allclose(d_x.grad.numpy(), t_grad.numpy(), rtol=1e-12, atol=1e-12)
    assert dg.autograd.gradcheck(lambda t: dg.nn.functional.interpolate(t, **kw), (d_x,))
