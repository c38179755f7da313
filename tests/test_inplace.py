"""In-place ops against torch 2.13.0.

Values, dtypes and aliasing of ``add_``/``x += y``/``clamp_``/``masked_fill_``/``zero_``/
``fill_``/``copy_``/``x[idx] = v``; gradients through in-place writes on non-leaf tensors and
views; the errors torch raises (leaf that requires grad, version counter, result dtype,
broadcast); optimizer-style updates under ``no_grad``; and the random fills.
"""
from __future__ import annotations

import numpy as np
import pytest

import deepgrad as dg

torch = pytest.importorskip("torch")

FRAMEWORKS = (dg, torch)


def make(m, arr, requires_grad=False):
    t = dg.tensor(arr) if m is dg else torch.tensor(arr)
    if requires_grad:
        t.requires_grad_(True)
    return t


def numpy_of(t):
    return np.asarray(t.detach().numpy())


def assert_same(ours, ref, atol=1e-6, rtol=1e-5):
    """Same shape, dtype and values (NaNs equal)."""
    assert tuple(ours.shape) == tuple(ref.shape), f"shape {tuple(ours.shape)} != {ref.shape}"
    assert ours.dtype.name == str(ref.dtype).replace("torch.", ""), (ours.dtype, ref.dtype)
    np.testing.assert_allclose(numpy_of(ours).astype(np.float64),
                               numpy_of(ref).astype(np.float64), atol=atol, rtol=rtol,
                               equal_nan=True)


def run_both(fn):
    """``fn(m)`` for deepgrad and torch; returns (deepgrad result, torch result)."""
    return fn(dg), fn(torch)


def raises_in_both(fn, exc=RuntimeError, match=None):
    """``fn(m)`` raises ``exc`` in both frameworks; deepgrad's message contains ``match``."""
    for m in (torch, dg):
        with pytest.raises(exc) as info:
            fn(m)
        if m is dg and match is not None:
            assert match in str(info.value), str(info.value)


RNG = np.random.default_rng(0)
A34 = RNG.standard_normal((3, 4)).astype(np.float32)
B34 = RNG.standard_normal((3, 4)).astype(np.float32)
B4 = RNG.standard_normal(4).astype(np.float32)
POS34 = RNG.uniform(0.5, 2.0, (3, 4)).astype(np.float32)
POS4 = RNG.uniform(0.5, 2.0, 4).astype(np.float32)
I34 = RNG.integers(-5, 6, (3, 4))


# ---------------------------------------------------------------------------- arithmetic
_OTHERS = {
    "tensor": lambda m: make(m, POS34),
    "broadcast": lambda m: make(m, POS4),
    "0-d": lambda m: make(m, np.array(1.5, np.float32)),
    "float64": lambda m: make(m, POS4.astype(np.float64)),
    "int tensor": lambda m: make(m, np.array([1, 2, 3, 4])),
    "float scalar": lambda m: 1.75,
    "int scalar": lambda m: 3,
    "bool scalar": lambda m: True,
}


@pytest.mark.parametrize("other", list(_OTHERS))
@pytest.mark.parametrize("op", ["add_", "sub_", "mul_", "div_"])
def test_binary_inplace_matches_torch(op, other):
    if op == "sub_" and other == "bool scalar":
        raises_in_both(lambda m: make(m, A34).sub_(True), match="with a bool tensor")
        return

    def fn(m):
        x = make(m, A34)
        ptr = x.data_ptr()
        out = getattr(x, op)(_OTHERS[other](m))
        assert out is x and x.data_ptr() == ptr  # returns self, wrote into its memory
        return x

    assert_same(*run_both(fn))


@pytest.mark.parametrize("alpha", [2, -0.5])
@pytest.mark.parametrize("op", ["add_", "sub_"])
def test_alpha_matches_torch(op, alpha):
    d, t = run_both(lambda m: getattr(make(m, A34), op)(make(m, B4), alpha=alpha))
    assert_same(d, t)
    d, t = run_both(lambda m: getattr(make(m, I34), op)(make(m, I34), alpha=3))
    assert_same(d, t)
    raises_in_both(lambda m: getattr(make(m, I34), op)(make(m, I34), alpha=0.5),
                   match="alpha must not be a floating point")


_AUGMENTED = {
    "+=": lambda x, y: x.__iadd__(y),
    "-=": lambda x, y: x.__isub__(y),
    "*=": lambda x, y: x.__imul__(y),
    "/=": lambda x, y: x.__itruediv__(y),
    "**=": lambda x, y: x.__ipow__(y),
    "//=": lambda x, y: x.__ifloordiv__(y),
    "%=": lambda x, y: x.__imod__(y),
}


def _augmented(m, name, x, y):
    """Run ``x <op>= y`` as Python statements do (the result is rebound to ``x``)."""
    ns = {"x": x, "y": y}
    exec(f"x {name} y", ns)
    return ns["x"]


@pytest.mark.parametrize("other", ["tensor", "broadcast", "float scalar", "int scalar"])
@pytest.mark.parametrize("name", list(_AUGMENTED))
def test_augmented_assignment_matches_torch(name, other):
    def fn(m):
        x = make(m, POS34)
        alias = x[1:]  # a view created before must see the write
        out = _augmented(m, name, x, _OTHERS[other](m))
        assert out is x
        return x, alias

    (dx, dv), (tx, tv) = run_both(fn)
    assert_same(dx, tx)
    assert_same(dv, tv)


def test_augmented_assignment_on_int_tensors():
    for name in ("+=", "-=", "*=", "//=", "%="):
        d, t = run_both(lambda m: _augmented(m, name, make(m, I34), make(m, I34[0] + 6)))
        assert_same(d, t)
    raises_in_both(lambda m: _augmented(m, "/=", make(m, I34), 2), match="can't be cast")
    raises_in_both(lambda m: _augmented(m, "+=", make(m, I34), 1.5), match="can't be cast")


def test_inplace_writes_are_seen_through_views():
    def fn(m):
        x = make(m, A34)
        row, col, tr = x[1], x[:, 2], x.t()
        row.mul_(2)         # through a basic-index view
        tr[0].add_(10)      # through a view of a transposed view: column 0 of x
        x.sub_(make(m, B4))  # through the base: all views see it
        return x, row, col, tr

    for d, t in zip(*run_both(fn)):
        assert_same(d, t)


# ---------------------------------------------------------------------------- dtype and shape
@pytest.mark.parametrize("case", [
    ("int add_ float scalar", lambda m: make(m, I34).add_(1.5)),
    ("int add_ float tensor", lambda m: make(m, I34).add_(make(m, B4))),
    ("int mul_ float tensor", lambda m: make(m, I34).mul_(make(m, B34))),
    ("int div_ int", lambda m: make(m, I34).div_(2)),
    ("int sub_ float64 0-d", lambda m: make(m, I34).sub_(make(m, np.array(1.0)))),
    ("bool add_ int", lambda m: make(m, I34 > 0).add_(1)),
    ("int sqrt_", lambda m: make(m, I34).sqrt_()),
    ("int clamp_ float", lambda m: make(m, I34).clamp_(min=1.5)),
], ids=lambda c: c[0])
def test_inplace_result_dtype_errors(case):
    raises_in_both(case[1], match="can't be cast to the desired output type")


def test_inplace_keeps_dtype_when_castable():
    cases = [
        lambda m: make(m, A34).add_(make(m, B4.astype(np.float64))),  # float64 into float32
        lambda m: make(m, A34).mul_(make(m, I34)),                    # int into float
        lambda m: make(m, I34.astype(np.int32)).add_(make(m, I34)),   # int64 into int32
        lambda m: make(m, I34.astype(np.int8)).add_(200),             # wraps around, as torch
        lambda m: make(m, np.abs(I34).astype(np.uint8)).mul_(-1),
        lambda m: make(m, I34 > 0).mul_(True),
    ]
    for fn in cases:
        assert_same(*run_both(fn))


def test_inplace_broadcast_to_bigger_shape_raises():
    raises_in_both(lambda m: make(m, A34[:, :1]).add_(make(m, B34)), match="[3, 1]")
    raises_in_both(lambda m: make(m, B4).mul_(make(m, A34)))
    raises_in_both(lambda m: (make(m, A34[:, :1], requires_grad=True) * 1).add_(make(m, B34)))
    raises_in_both(lambda m: make(m, A34).add_(make(m, POS4[:3])))


def test_inplace_on_expanded_tensor_raises():
    raises_in_both(lambda m: make(m, B4).expand(3, 4).add_(1), match="single memory location")


# ---------------------------------------------------------------------------- clamp_, fills, copy_
@pytest.mark.parametrize("kwargs", [dict(min=-0.5, max=0.5), dict(min=0.0), dict(max=0.25),
                                    dict(min=0.5, max=-0.5)])
def test_clamp_inplace_values_and_gradients(kwargs):
    def fn(m):
        x = make(m, A34, requires_grad=True)
        y = x * 2
        out = y.clamp_(**kwargs)
        assert out is y
        (y * make(m, B34)).sum().backward()
        return y, x.grad

    for d, t in zip(*run_both(fn)):
        assert_same(d, t)
    assert_same(*run_both(lambda m: make(m, I34).clamp_(-2, 3)))
    assert_same(*run_both(lambda m: make(m, A34).clip_(max=0.1)))


def test_masked_fill_inplace_values_and_gradients():
    mask = A34 > 0

    def fn(m):
        x = make(m, A34, requires_grad=True)
        v = make(m, np.array(0.75, np.float32), requires_grad=True)
        y = x * 3
        y.masked_fill_(make(m, mask), v)
        y.masked_fill_(make(m, mask[0]), -1.0)  # mask broadcast over the rows
        (y * y).sum().backward()
        return y, x.grad, v.grad

    for d, t in zip(*run_both(fn)):
        assert_same(d, t)
    assert_same(*run_both(lambda m: make(m, I34).masked_fill_(make(m, I34 > 2), 9)))
    raises_in_both(lambda m: make(m, B4).masked_fill_(make(m, mask), 1.0))


def test_zero_and_fill_inplace():
    def fn(m):
        x = make(m, A34, requires_grad=True)
        v = make(m, np.array(2.5, np.float32), requires_grad=True)
        y, z = x * 2, x * 3
        y.zero_()
        z.fill_(v)
        (y + x * z).sum().backward()
        return y, z, x.grad, v.grad

    for d, t in zip(*run_both(fn)):
        assert_same(d, t)
    assert_same(*run_both(lambda m: make(m, I34).fill_(2.7)))  # truncates, as torch
    assert_same(*run_both(lambda m: make(m, A34).fill_(make(m, np.array(3)))))
    assert_same(*run_both(lambda m: make(m, I34 > 0).zero_()))
    raises_in_both(lambda m: make(m, A34).fill_(make(m, np.array([1.0, 2.0]))),
                   match="0-dimension")
    raises_in_both(lambda m: make(m, A34).fill_(make(m, np.array([1.0]))), match="0-dimension")


@pytest.mark.parametrize("src", [
    ("same shape", lambda m: make(m, B34)),
    ("broadcast row", lambda m: make(m, B4)),
    ("0-d", lambda m: make(m, np.array(4.0, np.float32))),
    ("float64 broadcast", lambda m: make(m, B4.astype(np.float64))),
    ("int", lambda m: make(m, I34)),
    ("bool", lambda m: make(m, I34 > 0)),
], ids=lambda c: c[0])
def test_copy_inplace_broadcasts_and_casts(src):
    def fn(m):
        x = make(m, A34)
        ptr = x.data_ptr()
        out = x.copy_(src[1](m))
        assert out is x and x.data_ptr() == ptr
        return x

    assert_same(*run_both(fn))
    # into an int tensor: floats truncate toward zero
    assert_same(*run_both(lambda m: make(m, I34).copy_(src[1](m))))


def test_copy_inplace_gradients_reach_src_in_its_dtype():
    def fn(m):
        x = make(m, A34, requires_grad=True)
        s = make(m, B4.astype(np.float64), requires_grad=True)
        y = x * 2
        y.copy_(s)
        (y * y * make(m, POS34)).sum().backward()
        return y, x.grad, s.grad

    for d, t in zip(*run_both(fn)):
        assert_same(d, t)


def test_copy_inplace_bad_broadcast_raises():
    raises_in_both(lambda m: make(m, A34).copy_(make(m, POS4[:3])))
    raises_in_both(lambda m: make(m, B4).copy_(make(m, A34)))


# ---------------------------------------------------------------------------- x[idx] = v
_INDICES = {
    "int": lambda m: 1,
    "negative int": lambda m: -1,
    "slice": lambda m: slice(1, 3),
    "step slice": lambda m: (slice(None), slice(None, None, 2)),
    "int and slice": lambda m: (2, slice(1, None)),
    "ellipsis": lambda m: (Ellipsis, 0),
    "bool mask": lambda m: make(m, A34 > 0.3),
    "bool row mask": lambda m: make(m, np.array([True, False, True])),
    "int tensor": lambda m: make(m, np.array([2, 0])),
    "int tensor pair": lambda m: (make(m, np.array([0, 2, 1])), make(m, np.array([3, 0, 1]))),
    "list": lambda m: [0, 2],
}


def _value_for(m, x, index, kind):
    shape = tuple(x[index].shape)
    if kind == "scalar":
        return 0.5
    if kind == "broadcast" and len(shape) >= 1:
        return make(m, RNG_VALUES[: shape[-1]].copy())
    return make(m, RNG_VALUES[: int(np.prod(shape))].reshape(shape).copy())


RNG_VALUES = np.random.default_rng(5).standard_normal(64).astype(np.float32)


@pytest.mark.parametrize("kind", ["scalar", "tensor", "broadcast"])
@pytest.mark.parametrize("index", list(_INDICES))
def test_setitem_values_match_torch(index, kind):
    def fn(m):
        x = make(m, A34)
        x[_INDICES[index](m)] = _value_for(m, x, _INDICES[index](m), kind)
        return x

    assert_same(*run_both(fn))


@pytest.mark.parametrize("index", list(_INDICES))
def test_setitem_gradients_reach_value_and_untouched_part(index):
    def fn(m):
        leaf = make(m, A34, requires_grad=True)
        x = leaf * 1
        idx = _INDICES[index](m)
        v = _value_for(m, x, idx, "tensor").requires_grad_(True)
        x[idx] = v * 2
        (x * make(m, B34)).sum().backward()
        return x, leaf.grad, v.grad

    for d, t in zip(*run_both(fn)):
        assert_same(d, t)


def test_setitem_with_grad_value_into_plain_tensor():
    def fn(m):
        x = m.zeros(3, 4)
        v = make(m, B4, requires_grad=True)
        x[1] = v
        x[:, 0] = v[:3] * 3
        assert x.requires_grad and not x.is_leaf
        (x * x).sum().backward()
        return x, v.grad

    for d, t in zip(*run_both(fn)):
        assert_same(d, t)


def test_setitem_casts_to_the_tensor_dtype():
    def fn(m):
        x = make(m, I34)
        x[0] = 2.7
        x[1] = make(m, np.array(5.9))
        x[2, :2] = make(m, np.array([True, False]))
        return x

    assert_same(*run_both(fn))


def test_setitem_errors():
    raises_in_both(lambda m: make(m, A34).__setitem__(0, make(m, POS4[:3])))
    raises_in_both(lambda m: make(m, A34).__setitem__(5, 1.0), exc=IndexError)


# ---------------------------------------------------------------------------- autograd
_CHAINS = {
    "mul_": lambda m, y, x, w: y.mul_(3),
    "add_ tensor alpha": lambda m, y, x, w: y.add_(w, alpha=-2),
    "sub_": lambda m, y, x, w: y.sub_(x * w),
    "div_": lambda m, y, x, w: y.div_(w + 3),
    "+=": lambda m, y, x, w: y.__iadd__(w * x),
    "pow_": lambda m, y, x, w: y.pow_(2),
    "exp_": lambda m, y, x, w: y.exp_(),
    "sigmoid_": lambda m, y, x, w: y.sigmoid_(),
    "tanh_": lambda m, y, x, w: y.tanh_(),
    "abs_ then sqrt_": lambda m, y, x, w: y.abs_().sqrt_(),
    "neg_": lambda m, y, x, w: y.neg_(),
    "addcmul_": lambda m, y, x, w: y.addcmul_(x, w, value=0.5),
    "addcdiv_": lambda m, y, x, w: y.addcdiv_(x, w + 3, value=2),
    "lerp_": lambda m, y, x, w: y.lerp_(w, 0.25),
    "clamp_ tensor": lambda m, y, x, w: y.clamp_(min=w - 0.5),
    "chain": lambda m, y, x, w: y.mul_(2).add_(1).mul_(x).sub_(w, alpha=0.5),
}


@pytest.mark.parametrize("chain", list(_CHAINS))
def test_inplace_on_non_leaf_gradients_match_torch(chain):
    def fn(m):
        x = make(m, A34, requires_grad=True)
        w = make(m, B4, requires_grad=True)
        y = x * 2
        out = _CHAINS[chain](m, y, x, w)
        assert out is y and not y.is_leaf
        (y * make(m, POS34)).sum().backward()
        return y, x.grad, w.grad

    for d, t in zip(*run_both(fn)):
        if t is None:
            assert d is None or not np.any(numpy_of(d))
        else:
            assert_same(d, t, atol=1e-5)


def test_brief_example_mul_inplace_gradient():
    def fn(m):
        x = make(m, A34, requires_grad=True)
        y = x * 2
        y.mul_(3)
        y.sum().backward()
        return x.grad

    assert_same(*run_both(fn))


_VIEW_CASES = {
    "slice": lambda m, y, w: y[1:].mul_(w),
    "row": lambda m, y, w: y[0].add_(w),
    "step": lambda m, y, w: y[:, ::2].sub_(w[:2], alpha=3),
    "transpose row": lambda m, y, w: y.t()[1].mul_(w[:3]),
    "reshape": lambda m, y, w: y.reshape(12).mul_(2),
    "row *=": lambda m, y, w: y[2].__imul__(w),
    "setitem +=": lambda m, y, w: y.__setitem__((0, 1), y[0, 1] + 10),
    "view of view": lambda m, y, w: y[1:][0].div_(w + 3),
    "view copy_": lambda m, y, w: y[1].copy_(w * 5),
    "view zero_": lambda m, y, w: y[:, 1].zero_(),
}


@pytest.mark.parametrize("case", list(_VIEW_CASES))
def test_inplace_on_view_gradients_match_torch(case):
    def fn(m):
        x = make(m, A34, requires_grad=True)
        w = make(m, B4, requires_grad=True)
        y = x * 1
        _VIEW_CASES[case](m, y, w)
        (y * y * make(m, POS34)).sum().backward()
        return y, x.grad, w.grad

    for d, t in zip(*run_both(fn)):
        if t is None:
            assert d is None or not np.any(numpy_of(d))
        else:
            assert_same(d, t, atol=1e-5)


def test_view_used_after_its_own_inplace_op():
    def fn(m):
        x = make(m, A34, requires_grad=True)
        y = x * 1
        v = y[:2]
        v.mul_(2)
        (v.sum() * 3 + (y * y).sum()).backward()
        return x.grad

    assert_same(*run_both(fn))


def test_inplace_on_zero_dim_results():
    def fn(m):
        x = make(m, np.array(1.5, np.float32), requires_grad=True)
        y = x * 2
        y.mul_(3)
        y.add_(x)
        z = (make(m, A34) * 2).sum()
        z.add_(1)
        y.backward()
        return y, z, x.grad

    for d, t in zip(*run_both(fn)):
        assert_same(d, t, atol=1e-4)


_LEAF_OPS = {
    "add_": lambda m, x: x.add_(1),
    "mul_ tensor": lambda m, x: x.mul_(make(m, B34)),
    "+=": lambda m, x: x.__iadd__(1),
    "zero_": lambda m, x: x.zero_(),
    "fill_": lambda m, x: x.fill_(2.0),
    "copy_": lambda m, x: x.copy_(make(m, B34)),
    "clamp_": lambda m, x: x.clamp_(0, 1),
    "masked_fill_": lambda m, x: x.masked_fill_(make(m, A34 > 0), 0.0),
    "setitem": lambda m, x: x.__setitem__(0, 1.0),
    "uniform_": lambda m, x: x.uniform_(),
    "normal_": lambda m, x: x.normal_(),
    "exp_": lambda m, x: x.exp_(),
    "view add_": lambda m, x: x[1:].add_(1),
    "view of view mul_": lambda m, x: x.t()[0].mul_(2),
}


@pytest.mark.parametrize("op", list(_LEAF_OPS))
def test_inplace_on_leaf_that_requires_grad_raises(op):
    def fn(m):
        x = make(m, A34, requires_grad=True)
        _LEAF_OPS[op](m, x)

    raises_in_both(fn, match="leaf Variable that requires grad")


def test_version_counter_error_matches_torch():
    def sigmoid_then_mul(m):
        x = make(m, A34, requires_grad=True)
        y = x.sigmoid()
        y.mul_(2)
        y.sum().backward()

    def saved_input_modified(m):
        a = make(m, A34, requires_grad=True)
        b = a * 1
        c = b * b
        b.add_(1)
        c.sum().backward()

    def exp_output_modified(m):
        x = make(m, A34, requires_grad=True)
        y = x.exp()
        y.exp_()  # exp's backward needs its output, now overwritten
        y.sum().backward()

    def multiplied_by_itself(m):
        x = make(m, A34, requires_grad=True)
        y = x * 2
        y *= y  # mul's backward needs the old y, which the write replaced
        y.sum().backward()

    def modified_through_view(m):
        x = make(m, A34, requires_grad=True)
        y = x.tanh()
        y[0].zero_()
        y.sum().backward()

    for fn in (sigmoid_then_mul, saved_input_modified, exp_output_modified,
               multiplied_by_itself, modified_through_view):
        raises_in_both(fn, match="modified by an inplace operation")


def test_inplace_on_tensor_not_saved_for_backward_is_fine():
    def fn(m):
        x = make(m, A34, requires_grad=True)
        y = x * 2
        z = y + 1        # add saves nothing
        s = y * 3        # y is not needed: d(y*3)/dy = 3
        y.mul_(5)
        (z.sum() + s.sum() + y.sum()).backward()
        return x.grad, y._version > 0

    (dg_grad, dg_bumped), (t_grad, t_bumped) = run_both(fn)
    assert_same(dg_grad, t_grad)
    assert dg_bumped and t_bumped


def test_version_counter_increments_like_torch():
    def fn(m):
        x = make(m, A34)
        v0 = x._version
        x.add_(1)
        x.mul_(2)
        x[0] = 1.0
        x[1:].zero_()  # a view shares its base's counter
        return x._version - v0

    d, t = run_both(fn)
    assert d == t == 4


def test_no_grad_inplace_update_of_leaves_like_an_optimizer():
    def fn(m):
        w = make(m, A34, requires_grad=True)
        b = make(m, B4, requires_grad=True)
        data = make(m, POS34)
        for _ in range(3):
            loss = ((data * w + b) ** 2).mean()
            loss.backward()
            with m.no_grad():
                w.sub_(w.grad, alpha=0.1)
                b -= 0.1 * b.grad
                w[0, 0] = 0.0
                w.clamp_(-1.0, 1.0)
            w.grad.zero_()
            b.grad = None
        assert w.is_leaf and w.requires_grad and w.grad_fn is None
        assert b.is_leaf and b.requires_grad and b.grad_fn is None
        return w, b

    for d, t in zip(*run_both(fn)):
        assert_same(d, t, atol=1e-5)


# ---------------------------------------------------------------------------- random fills
def test_uniform_fill_shape_range_and_statistics():
    x = dg.empty(200, 300)
    ptr = x.data_ptr()
    assert x.uniform_(-2.0, 3.0) is x and x.data_ptr() == ptr
    a = x.numpy()
    assert x.shape == (200, 300) and x.dtype is dg.float32
    assert a.min() >= -2.0 and a.max() < 3.0
    assert abs(a.mean() - 0.5) < 0.05 and abs(a.var() - 25 / 12) < 0.05
    assert dg.zeros(4, dtype=dg.float64).uniform_().dtype is dg.float64


def test_normal_fill_statistics():
    x = dg.zeros(200, 300).normal_(1.5, 0.5)
    a = x.numpy()
    assert x.dtype is dg.float32 and a.shape == (200, 300)
    assert abs(a.mean() - 1.5) < 0.01 and abs(a.std() - 0.5) < 0.01
    assert dg.zeros(5, dtype=dg.float64).normal_().dtype is dg.float64


def test_bernoulli_fill_statistics():
    x = dg.empty(200, 300).bernoulli_(0.3)
    a = x.numpy()
    assert set(np.unique(a)) <= {0.0, 1.0} and x.dtype is dg.float32
    assert abs(a.mean() - 0.3) < 0.01
    p = dg.tensor([[0.0, 1.0, 0.5]]).expand(50000, 3).contiguous()
    b = dg.empty(50000, 3).bernoulli_(p).numpy()
    assert b[:, 0].sum() == 0 and b[:, 1].all() and abs(b[:, 2].mean() - 0.5) < 0.01
    assert_same(dg.zeros(3, dtype=dg.int64).bernoulli_(1.0),
                torch.zeros(3, dtype=torch.int64).bernoulli_(1.0))


@pytest.mark.parametrize("fill", [lambda x: x.uniform_(), lambda x: x.normal_(2.0, 3.0),
                                  lambda x: x.bernoulli_(0.5)])
def test_random_fills_are_reproducible_under_manual_seed(fill):
    dg.manual_seed(123)
    a = fill(dg.empty(5, 7)).numpy().copy()
    b = fill(dg.empty(5, 7)).numpy().copy()
    dg.manual_seed(123)
    c = fill(dg.empty(5, 7)).numpy().copy()
    np.testing.assert_array_equal(a, c)
    assert not np.array_equal(a, b)


def test_random_fills_on_integer_tensors_raise_like_torch():
    raises_in_both(lambda m: m.zeros(3, dtype=m.int64).uniform_(), exc=NotImplementedError)
    raises_in_both(lambda m: m.zeros(3, dtype=m.int64).normal_(), exc=NotImplementedError)
    raises_in_both(lambda m: m.zeros(3, dtype=m.bool).normal_(), exc=NotImplementedError)


def test_random_fill_under_no_grad_keeps_leaf():
    w = dg.zeros(3, 4, requires_grad=True)
    with dg.no_grad():
        w.uniform_(-0.1, 0.1)
    assert w.is_leaf and w.requires_grad and float(w.abs().max()) <= 0.1


def test_inplace_on_zero_dim_view_writes_into_base():
    def fn(m):
        x = make(m, B4)
        x[0].add_(1)
        x[1, ...].mul_(10)
        return x

    assert_same(*run_both(fn))


def test_view_created_before_base_inplace_gets_the_new_history():
    def fn(m):
        x = make(m, A34, requires_grad=True)
        y = x * 1
        v = y[:2]
        y.mul_(2)
        (v * v).sum().backward()
        return x.grad

    assert_same(*run_both(fn))
