"""In-place ops (``add_``, ``x += y``, ``x[idx] = v``, ``zero_``, ``uniform_``, ...).

Two paths:
- not recording (``no_grad``, or nothing involved requires grad): write straight into the
  tensor's memory with NumPy's ``out=``; no temporaries for optimizer-style updates.
- recording: compute the out-of-place result from a snapshot of the old value (so backward
  sees the values it needs), write it into the tensor's memory (views and aliases see the
  change), and make the op's node the tensor's new ``grad_fn``. On a view, the base's new
  value is recorded as its old value with the view's elements replaced, so gradients reach
  the base's history too (torch's CopySlices).
Either way the tensor's version counter is bumped, so a backward that saved the old value
raises the same error torch's version counter gives.
"""
from __future__ import annotations

import numpy as np

from .. import _dtype
from .._tensor import Tensor, bump_version
from ..autograd.function import Function
from ..autograd.grad_mode import _state
from ..backend import xp
from . import elementwise as ew
from ._util import cast, result_dtype, to_tensor, unbroadcast
from .indexing import GetItem, _convert_index, _is_basic
from .movement import Reshape


def _bump(t: Tensor) -> None:
    """Count an in-place write (``t._version``); views share their base's counter."""
    bump_version(t)


def _own_array(t: Tensor) -> None:
    """Give ``t`` a writable array: a 0-d op result may be stored as an (immutable) NumPy
    scalar, which no other tensor can alias, so replacing it by a 0-d array is safe."""
    if not isinstance(t.data, xp.ndarray):
        t.data = xp.array(t.data)


def _recording(self: Tensor, *others) -> bool:
    if not _state.enabled:
        return False
    if self._rg:
        return True
    for o in others:
        if isinstance(o, Tensor) and o._rg:
            return True
    return False


def _check_leaf(self: Tensor, op: str) -> None:
    if self.grad_fn is None and self._rg:
        raise RuntimeError(
            f"{op}: a leaf Variable that requires grad is being used in an in-place operation.")
    base = self._base
    if base is not None and base.grad_fn is None and base._rg:
        raise RuntimeError(f"{op}: a view of a leaf Variable that requires grad is being used in "
                           "an in-place operation.")


_TORCH_TYPE_NAMES = {"bool": "Bool", "uint8": "Byte", "int8": "Char", "int16": "Short",
                     "int32": "Int", "int64": "Long", "float16": "Half", "bfloat16": "BFloat16",
                     "float32": "Float", "float64": "Double"}


def _check_castable(src: _dtype.dtype, dst: _dtype.dtype, op: str) -> None:
    """In-place results may not go down a category (float into int, int into bool)."""
    if src._category > dst._category:
        raise RuntimeError(f"{op}: result type {_TORCH_TYPE_NAMES[src.name]} can't be cast to "
                           f"the desired output type {_TORCH_TYPE_NAMES[dst.name]}")


def _write_result(self: Tensor, out: Tensor, op: str) -> Tensor:
    """Store ``out`` (computed out of place) into ``self``'s memory and graph position."""
    if out.data.shape != self.data.shape:
        raise RuntimeError(
            f"{op}: output with shape {list(self.data.shape)} doesn't match the broadcast shape "
            f"{list(out.data.shape)}")
    if out.data.dtype != self.data.dtype:
        _check_castable(out.dtype, self.dtype, op)
        out = cast(out, self.dtype)
    _own_array(self)
    _check_writeable(self, op)
    self.data[...] = out.data
    self.grad_fn = out.grad_fn
    self._out_idx = out._out_idx
    self._rg = out._rg
    _bump(self)
    return self


def _check_writeable(self: Tensor, op: str) -> None:
    if not self.data.flags.writeable:
        raise RuntimeError(
            f"{op}: unsupported operation: more than one element of the written-to tensor "
            "refers to a single memory location. Please clone() the tensor before performing "
            "the operation.")


def _view_positions(view: Tensor, base: Tensor):
    """Flat (C-order) positions in ``base`` of every element of ``view``, found from the
    view's memory offset and strides; None if ``base`` is not C-contiguous."""
    b, v = base.data, view.data
    if not (isinstance(b, xp.ndarray) and b.flags.c_contiguous and v.dtype == b.dtype):
        return None
    item = b.itemsize
    offset = (v.__array_interface__["data"][0] - b.__array_interface__["data"][0]) // item
    pos = xp.full(v.shape, offset, dtype=xp.int64)
    for k, (n, stride) in enumerate(zip(v.shape, v.strides)):
        shape = [1] * v.ndim
        shape[k] = n
        pos = pos + (xp.arange(n, dtype=xp.int64) * (stride // item)).reshape(shape)
    return pos


def _apply_inplace_to_view(self: Tensor, fn, op: str, *args, **kwargs) -> Tensor:
    """In-place op on a view while recording: the base's new value is its old value with the
    view's elements replaced (an IndexPut at the view's positions), so gradients reach the
    base's history, the view's old values and the op's other inputs, as in torch."""
    base = self._base
    pos = _view_positions(self, base)
    if pos is None:
        raise RuntimeError(
            f"{op}: in-place modification of this view of a tensor that requires grad is not "
            "supported while recording; write through the base tensor (e.g. x[idx] = value) "
            "or use an out-of-place op.")
    old_base = Tensor._make(base.data.copy(), base._rg, base.grad_fn, base._out_idx)
    old_flat = old_base.reshape(-1)
    new_view = fn(GetItem.apply(old_flat, pos, False), *args, **kwargs)
    if new_view.data.shape != self.data.shape:
        raise RuntimeError(
            f"{op}: output with shape {list(self.data.shape)} doesn't match the broadcast shape "
            f"{list(new_view.data.shape)}")
    if new_view.data.dtype != self.data.dtype:
        _check_castable(new_view.dtype, self.dtype, op)
        new_view = cast(new_view, self.dtype)
    _check_writeable(self, op)
    new_base = IndexPut.apply(old_flat, pos, new_view, False).reshape(base.data.shape)
    self.data[...] = new_view.data  # the view's memory is the base's: both see the change
    base.grad_fn, base._out_idx, base._rg = new_base.grad_fn, new_base._out_idx, new_base._rg
    self.grad_fn, self._out_idx, self._rg = new_view.grad_fn, new_view._out_idx, new_view._rg
    self._view_src_fn = base.grad_fn  # this view's history is current; other views refresh
    _bump(self)
    return self


def refresh_view(view: Tensor) -> None:
    """Re-derive ``view``'s history from its base's current history (after the base, or
    another view of it, was modified in place): the view is the base's elements at the view's
    memory positions."""
    base = view._base
    view._view_src_fn = base.grad_fn
    if not (base._rg or view._rg):
        return
    pos = _view_positions(view, base)
    if pos is None:
        raise RuntimeError(
            "a view of a tensor that was later modified in place is used in a computation that "
            "requires grad, and its history cannot be rebuilt (the base is not contiguous); "
            "clone() the view before modifying the base")
    flat = Reshape.apply(Tensor._make(base.data, base._rg, base.grad_fn, base._out_idx), (-1,))
    fresh = GetItem.apply(flat, pos, False)
    view.grad_fn, view._out_idx, view._rg = fresh.grad_fn, fresh._out_idx, fresh._rg


def apply_inplace(self: Tensor, fn, op: str, *args, **kwargs) -> Tensor:
    """Generic in-place: ``self <- fn(self, *args, **kwargs)`` recorded for autograd."""
    if _recording(self, *args):
        _check_leaf(self, op)
        if self._base is not None:
            return _apply_inplace_to_view(self, fn, op, *args, **kwargs)
        old = Tensor._make(self.data.copy(), self._rg, self.grad_fn, self._out_idx)
        return _write_result(self, fn(old, *args, **kwargs), op)
    # not recording: only the values change; grad_fn and requires_grad stay (as in torch)
    out = fn(Tensor._make(self.data), *args, **kwargs)
    grad_fn, out_idx, requires_grad = self.grad_fn, self._out_idx, self._rg
    _write_result(self, out, op)
    self.grad_fn, self._out_idx, self._rg = grad_fn, out_idx, requires_grad
    return self


def _fast_binary(ufunc, op):
    """In-place ``self = ufunc(self, other)`` writing into self's memory when not recording."""

    def method(self, other, *, alpha=1):
        if _recording(self, other):
            return apply_inplace(self, _OUT_OF_PLACE[op], op + "_", other, **(
                {"alpha": alpha} if op in ("add", "sub") else {}))
        if op == "sub" and (ew._is_bool(self) or ew._is_bool(other)):
            return ew.sub(self, other)  # raises torch's error for bool operands
        if op == "div" and self.data.dtype.kind in "iub":
            _check_castable(_dtype.get_default_dtype(), self.dtype, "div_")
        if alpha != 1:
            ew._check_alpha(self, other, alpha)
        if self.data.dtype.kind != "f":  # nothing promotes past a float tensor
            _check_castable(result_dtype(self, other), self.dtype, op + "_")
        o = other.data if isinstance(other, Tensor) else other
        if isinstance(o, int) and not isinstance(o, bool):
            o = ew._scalar_against(o, self)  # out-of-range ints wrap around, as in torch
        if alpha != 1:
            o = o * alpha
        data = self.data
        if not isinstance(data, xp.ndarray) or not data.flags.writeable:
            _own_array(self)
            _check_writeable(self, op + "_")
            data = self.data
        try:
            try:
                ufunc(data, o, out=data, casting="same_kind")
            except TypeError:  # e.g. int64 into uint8: allowed within torch's category
                ufunc(data, o, out=data, casting="unsafe")
        except ValueError:
            raise RuntimeError(
                f"{op}_: output with shape {list(self.data.shape)} doesn't match the broadcast "
                f"shape of the operands {list(self.data.shape)} and "
                f"{list(np.shape(o))}") from None
        _bump(self)
        return self

    method.__name__ = op + "_"
    method.__doc__ = f"In-place ``{op}``; returns ``self``."
    return method


_OUT_OF_PLACE = {
    "add": ew.add, "sub": ew.sub, "mul": ew.mul, "div": ew.div,
}

add_ = _fast_binary(xp.add, "add")
sub_ = _fast_binary(xp.subtract, "sub")
mul_ = _fast_binary(xp.multiply, "mul")
div_ = _fast_binary(xp.true_divide, "div")


def _unary_inplace(name, fn):
    def method(self, *args, **kwargs):
        return apply_inplace(self, fn, name + "_", *args, **kwargs)

    method.__name__ = name + "_"
    method.__doc__ = f"In-place ``{name}``; returns ``self``."
    return method


def zero_(self):
    """Fill with zeros in place."""
    if _recording(self):
        return apply_inplace(self, lambda old: old * 0, "zero_")
    _own_array(self)
    _check_writeable(self, "zero_")
    self.data.fill(0)
    _bump(self)
    return self


def fill_(self, value):
    """Fill with ``value`` (a number or 0-d tensor) in place."""
    if isinstance(value, Tensor) and value.data.ndim != 0:
        raise RuntimeError("fill_ only supports 0-dimension value tensor but got tensor with "
                           f"{value.data.ndim} dimensions.")
    if _recording(self, value):
        return apply_inplace(self, lambda old, v: old * 0 + v, "fill_", value)
    _own_array(self)
    _check_writeable(self, "fill_")
    self.data.fill(value.item() if isinstance(value, Tensor) else value)
    _bump(self)
    return self


def copy_(self, src, non_blocking=False):
    """Copy ``src`` (broadcast, cast to this dtype) into this tensor in place."""
    src = to_tensor(src)
    if _recording(self, src):
        return apply_inplace(self, _CopyInto.apply, "copy_", src)
    _own_array(self)
    _check_writeable(self, "copy_")
    try:
        xp.copyto(self.data, src.data, casting="unsafe")
    except ValueError:
        raise RuntimeError(f"copy_: the size of src {list(src.shape)} does not broadcast to "
                           f"{list(self.shape)}") from None
    _bump(self)
    return self


class _CopyInto(Function):
    """``old`` replaced by ``src`` broadcast to its shape and cast to its dtype."""

    _array_forward = True

    @staticmethod
    def forward(ctx, old, src):
        ctx.src_shape, ctx.src_dtype = src.data.shape, src.data.dtype
        out = xp.empty_like(old.data)
        xp.copyto(out, src.data, casting="unsafe")
        return out

    @staticmethod
    def backward(ctx, g):
        gsrc = None
        if ctx.needs_input_grad[1]:
            from ._util import cast

            gsrc = cast(unbroadcast(g, ctx.src_shape), _dtype.from_numpy_dtype(ctx.src_dtype))
        return (g * 0 if ctx.needs_input_grad[0] else None), gsrc


class IndexPut(Function):
    """``old`` with ``value`` written at ``index`` (``x[index] = value``)."""

    _array_forward = True

    @staticmethod
    def forward(ctx, old, index, value, accumulate):
        ctx.index, ctx.accumulate = index, accumulate
        v = value.data if isinstance(value, Tensor) else value
        out = old.data.copy()
        if accumulate:
            xp.add.at(out, index, v)
        else:
            out[index] = v
        ctx.value_shape = xp.shape(v)
        return out

    @staticmethod
    def backward(ctx, g):
        from .indexing import GetItem

        basic = _is_basic(ctx.index)
        gold = None
        if ctx.needs_input_grad[0]:
            if ctx.accumulate:
                gold = g
            else:
                mask = xp.ones(g.shape, dtype=bool)
                mask[ctx.index] = False
                gold = g * Tensor._make(mask)
        gval = None
        if ctx.needs_input_grad[2]:
            gval = unbroadcast(GetItem.apply(g, ctx.index, basic), ctx.value_shape)
        return gold, None, gval


def setitem(self, index, value):
    """``self[index] = value`` (value: number or tensor, broadcast to the indexed shape)."""
    idx = _convert_index(index)
    if isinstance(value, Tensor) and value.data.dtype != self.data.dtype:
        from ._util import cast

        value = cast(value, self.dtype)
    if _recording(self, value):
        apply_inplace(self, IndexPut.apply, "setitem", idx, value, False)
        return
    _own_array(self)
    try:
        self.data[idx] = value.data if isinstance(value, Tensor) else value
    except ValueError as e:
        if not self.data.flags.writeable:
            raise RuntimeError("setitem: the tensor is a read-only (expanded) view; clone() it "
                               "first") from None
        raise RuntimeError(f"setitem: shape mismatch: value of shape {list(np.shape(value))} "
                           f"cannot be broadcast to the indexed shape ({e})") from None
    _bump(self)


def index_put_(self, indices, values, accumulate=False):
    """``self[indices] = values`` (or ``+=`` with ``accumulate=True``, duplicates summed)."""
    idx = _convert_index(tuple(indices))
    values = to_tensor(values)
    if values.data.dtype != self.data.dtype:
        from ._util import cast

        values = cast(values, self.dtype)
    if _recording(self, values):
        return apply_inplace(self, IndexPut.apply, "index_put_", idx, values, accumulate)
    _own_array(self)
    _check_writeable(self, "index_put_")
    if accumulate:
        xp.add.at(self.data, idx, values.data)
    else:
        self.data[idx] = values.data
    _bump(self)
    return self


def index_put(self, indices, values, accumulate=False):
    idx = _convert_index(tuple(indices))
    values = to_tensor(values)
    return IndexPut.apply(self, idx, values, accumulate)


# ---------------------------------------------------------------------------- random fills
def _check_floating(self, op, kernel):
    """Continuous distributions need a floating-point tensor (torch's NotImplementedError)."""
    if self.data.dtype.kind != "f" and self.dtype is not _dtype.bfloat16:
        raise NotImplementedError(f'"{kernel}" not implemented for '
                                  f"'{_TORCH_TYPE_NAMES[self.dtype.name]}'")


def _random_fill(self, sample, op):
    if _state.enabled and self._rg and self.grad_fn is None:
        raise RuntimeError(
            f"{op}: a leaf Variable that requires grad is being used in an in-place operation.")
    _own_array(self)
    values = sample(self.data.shape)
    if _recording(self):
        return apply_inplace(self, lambda old: old * 0 + Tensor._make(values), op)
    self.data[...] = values
    _bump(self)
    return self


def _gen(generator):
    from ..random import _resolve

    return _resolve(generator)


def uniform_(self, a=0.0, b=1.0, *, generator=None):
    """Fill with samples from U(a, b) in place."""
    _check_floating(self, "uniform_", "check_uniform_bounds")
    rng = _gen(generator)
    return _random_fill(self, lambda s: (rng.random(s) * (b - a) + a).astype(self.data.dtype),
                        "uniform_")


def normal_(self, mean=0.0, std=1.0, *, generator=None):
    """Fill with samples from N(mean, std^2) in place."""
    _check_floating(self, "normal_", "normal_kernel_cpu")
    rng = _gen(generator)
    return _random_fill(
        self, lambda s: (rng.standard_normal(s) * std + mean).astype(self.data.dtype), "normal_")


def bernoulli_(self, p=0.5, *, generator=None):
    """Fill with 0/1 samples, 1 with probability ``p`` (number or tensor), in place."""
    rng = _gen(generator)
    pv = p.data if isinstance(p, Tensor) else p
    return _random_fill(self, lambda s: (rng.random(s) < pv).astype(self.data.dtype),
                        "bernoulli_")


def exponential_(self, lambd=1.0, *, generator=None):
    rng = _gen(generator)
    return _random_fill(self, lambda s: (rng.exponential(1.0 / lambd, s)).astype(
        self.data.dtype), "exponential_")


def random_(self, from_=0, to=None, *, generator=None):
    rng = _gen(generator)
    if to is None:
        to, from_ = from_, 0
        if to == 0:
            to = 2 ** 24 if self.data.dtype.kind == "f" else np.iinfo(self.data.dtype).max
    return _random_fill(self, lambda s: rng.integers(from_, to, s).astype(self.data.dtype),
                        "random_")


def geometric_(self, p, *, generator=None):
    rng = _gen(generator)
    return _random_fill(self, lambda s: rng.geometric(p, s).astype(self.data.dtype),
                        "geometric_")


def log_normal_(self, mean=1.0, std=2.0, *, generator=None):
    _check_floating(self, "log_normal_", "log_normal_cpu")
    rng = _gen(generator)
    return _random_fill(self, lambda s: rng.lognormal(mean, std, s).astype(self.data.dtype),
                        "log_normal_")


def cauchy_(self, median=0.0, sigma=1.0, *, generator=None):
    rng = _gen(generator)
    return _random_fill(self, lambda s: (median + sigma * rng.standard_cauchy(s)).astype(
        self.data.dtype), "cauchy_")
