"""In-place ops (``add_``, ``x += y``, ``x[idx] = v``, ``zero_``, ``uniform_``, ...).

Two paths:
- not recording (``no_grad``, or nothing involved requires grad): write straight into the
  tensor's memory with NumPy's ``out=``; no temporaries for optimizer-style updates.
- recording: compute the out-of-place result from a snapshot of the old value (so backward
  sees the values it needs), write it into the tensor's memory (views and aliases see the
  change), and make the op's node the tensor's new ``grad_fn``.
Either way the tensor's version counter is bumped, so a backward that saved the old value
raises the same error torch's version counter gives.
"""
from __future__ import annotations

import numpy as np

from .. import _dtype
from .._tensor import Tensor
from ..autograd.function import Function
from ..autograd.grad_mode import _state
from ..backend import xp
from . import elementwise as ew
from ._util import to_tensor, unbroadcast
from .indexing import _convert_index, _is_basic


def _bump(t: Tensor) -> None:
    if t._vc is not None:
        t._vc.value += 1


def _recording(self: Tensor, *others) -> bool:
    if not _state.enabled:
        return False
    if self._rg:
        return True
    for o in others:
        if isinstance(o, Tensor) and o._rg:
            return True
    return False


def _check_inplace_allowed(self: Tensor, op: str) -> None:
    if self.grad_fn is None and self._rg:
        raise RuntimeError(
            f"{op}: a leaf Variable that requires grad is being used in an in-place operation.")
    if self._base is not None and (self._base._rg or self._rg):
        raise RuntimeError(
            f"{op}: in-place modification of a view of a tensor that requires grad is not "
            "supported while recording; write through the base tensor (e.g. x[idx] = value) "
            "or use an out-of-place op.")


def _write_result(self: Tensor, out: Tensor, op: str) -> Tensor:
    """Store ``out`` (computed out of place) into ``self``'s memory and graph position."""
    if out.data.shape != self.data.shape:
        raise RuntimeError(
            f"{op}: output with shape {list(self.data.shape)} doesn't match the broadcast shape "
            f"{list(out.data.shape)}")
    if out.data.dtype != self.data.dtype:
        _check_castable(out.data.dtype, self.data.dtype, op)
    if not self.data.flags.writeable:
        raise RuntimeError(
            f"{op}: unsupported operation: more than one element of the written-to tensor "
            "refers to a single memory location. Please clone() the tensor before performing "
            "the operation.")
    self.data[...] = out.data
    self.grad_fn = out.grad_fn
    self._out_idx = out._out_idx
    self._rg = out._rg
    _bump(self)
    return self


def _check_castable(src, dst, op):
    s, d = _dtype.from_numpy_dtype(src), _dtype.from_numpy_dtype(dst)
    if s._category > d._category:
        raise RuntimeError(f"{op}: result type {s.name.capitalize()} can't be cast to the "
                           f"desired output type {d.name.capitalize()}")


def apply_inplace(self: Tensor, fn, op: str, *args, **kwargs) -> Tensor:
    """Generic in-place: ``self <- fn(self, *args, **kwargs)`` recorded for autograd."""
    if _recording(self, *args):
        _check_inplace_allowed(self, op)
        old = Tensor._make(self.data.copy(), self._rg, self.grad_fn, self._out_idx)
        return _write_result(self, fn(old, *args, **kwargs), op)
    out = fn(Tensor._make(self.data), *args, **kwargs)
    return _write_result(self, out, op)


def _fast_binary(ufunc, op):
    """In-place ``self = ufunc(self, other)`` writing into self's memory when not recording."""

    def method(self, other, *, alpha=1):
        if _recording(self, other):
            return apply_inplace(self, _OUT_OF_PLACE[op], op + "_", other, **(
                {"alpha": alpha} if op in ("add", "sub") else {}))
        o = other.data if isinstance(other, Tensor) else other
        if alpha != 1:
            o = o * alpha
        if op == "div" and self.data.dtype.kind in "iub":
            raise RuntimeError("div_: result type Float can't be cast to the desired output "
                               "type " + self.dtype.name.capitalize())
        try:
            ufunc(self.data, o, out=self.data, casting="same_kind")
        except TypeError:  # NumPy refuses e.g. float results into an int tensor, like torch
            _check_castable(np.result_type(self.data, o), self.data.dtype, op + "_")
            raise
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
    self.data.fill(0)
    _bump(self)
    return self


def fill_(self, value):
    """Fill with ``value`` (a number or 0-d tensor) in place."""
    if _recording(self, value):
        return apply_inplace(self, lambda old, v: old * 0 + v, "fill_", value)
    self.data.fill(value.item() if isinstance(value, Tensor) else value)
    _bump(self)
    return self


def copy_(self, src, non_blocking=False):
    """Copy ``src`` (broadcast, cast to this dtype) into this tensor in place."""
    src = to_tensor(src)
    if _recording(self, src):
        return apply_inplace(self, _CopyInto.apply, "copy_", src)
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
def _random_fill(self, sample, op):
    if _state.enabled and self._rg and self.grad_fn is None:
        raise RuntimeError(
            f"{op}: a leaf Variable that requires grad is being used in an in-place operation.")
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
    rng = _gen(generator)
    return _random_fill(self, lambda s: (rng.random(s) * (b - a) + a).astype(self.data.dtype),
                        "uniform_")


def normal_(self, mean=0.0, std=1.0, *, generator=None):
    """Fill with samples from N(mean, std^2) in place."""
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
    rng = _gen(generator)
    return _random_fill(self, lambda s: rng.lognormal(mean, std, s).astype(self.data.dtype),
                        "log_normal_")


def cauchy_(self, median=0.0, sigma=1.0, *, generator=None):
    rng = _gen(generator)
    return _random_fill(self, lambda s: (median + sigma * rng.standard_cauchy(s)).astype(
        self.data.dtype), "cauchy_")
