"""Graph nodes and the ``Function`` API.

Every differentiable op is a ``Function`` subclass with ``forward`` and ``backward`` side by side.
``forward(ctx, *args)`` receives tensors (and plain Python values) and returns an array or a
tuple of arrays; ``backward(ctx, *grad_outputs)`` receives gradient *tensors* and returns one
gradient tensor (or ``None``) per ``forward`` argument. Because backward rules are written with
tensor ops, running them with recording enabled builds a graph of the backward pass, which is
how ``create_graph=True`` (higher-order gradients) works.

Each call of ``apply`` creates one ``ctx`` object, which is also the graph node that the outputs
point to as their ``grad_fn``.
"""
from __future__ import annotations

import weakref

import numpy as np

from .._tensor import Tensor, _VersionCounter
from .grad_mode import _state, no_grad

_new = object.__new__
_make = Tensor._make
_ndarray = np.ndarray
_generic = np.generic
_asarray = np.asarray
_FALSES = tuple((False,) * n for n in range(8))  # needs_input_grad when nothing is recorded


class Node:
    """A node of the backward graph (a tensor's ``grad_fn``).

    ``_next`` holds, per forward input, ``(node, output_index)`` of the input's own producer
    (its ``grad_fn`` or, for a leaf, its ``AccumulateGrad``), or ``None`` if the input needs no
    gradient.
    """

    _next: tuple = ()
    _n_outputs = 1
    _hooks = None  # {output_index: [hook, ...]} for tensor.register_hook on non-leaf outputs
    _freed = False

    def name(self) -> str:
        return type(self).__name__ + "Backward0"

    @property
    def next_functions(self) -> tuple:
        return tuple((e[0], e[1]) if e is not None else (None, 0) for e in self._next)

    def __repr__(self) -> str:
        return f"<{self.name()} object at {hex(id(self))}>"

    def _apply_backward(self, grads):  # pragma: no cover - overridden
        raise NotImplementedError

    def _release(self) -> None:
        """Free what backward saved; called after a backward pass without retain_graph."""


class AccumulateGrad(Node):
    """Sink node of a leaf tensor: adds the incoming gradient into ``variable.grad``."""

    def __init__(self, variable: Tensor):
        self.variable = variable

    def name(self) -> str:
        return "AccumulateGrad"


def _refresh_view(view: Tensor) -> None:
    """The base of ``view`` was modified in place after ``view`` was made: rebuild the view's
    history from the base's current one (torch regenerates view grad_fns the same way)."""
    from ..ops.inplace import refresh_view

    refresh_view(view)


def _edge_of(t: Tensor):
    """The graph edge that gradients for ``t`` flow along."""
    fn = t.grad_fn
    if fn is not None:
        return (fn, t._out_idx)
    acc = t._acc() if t._acc is not None else None
    if acc is None:
        acc = AccumulateGrad(t)
        t._acc = weakref.ref(acc)
    return (acc, 0)


class _SavedTensorsMixin:
    def save_for_backward(self, *tensors) -> None:
        """Save tensors (or raw arrays) that backward needs; tensors are version-checked."""
        self._saved = tensors
        # a tensor without a counter has never been written in place: version 0 (the first
        # in-place write creates the counter, so the mismatch is still seen)
        self._saved_versions = tuple(
            (t._vc.value if t._vc is not None else 0) if isinstance(t, Tensor) else None
            for t in tensors
        )

    @property
    def saved_tensors(self) -> tuple:
        saved = self._saved
        if saved is None:
            raise RuntimeError(
                "Trying to backward through the graph a second time (or directly access saved "
                "tensors after they have already been freed). Saved intermediate values of the "
                "graph are freed when you call .backward() or autograd.grad(). Specify "
                "retain_graph=True if you need to backward through the graph a second time or "
                "if you need to access saved tensors after calling backward."
            )
        for t, v in zip(saved, self._saved_versions):
            if v is not None and t._vc is not None and t._vc.value != v:
                _raise_modified(t, self, v)
        return saved


def _raise_modified(t: Tensor, node, expected: int) -> None:
    from .._tensor import _type_name

    raise RuntimeError(
        "one of the variables needed for gradient computation has been modified by an inplace "
        f"operation: [{_type_name(t)} {list(t.shape)}], which is used by {node.name()}, is at "
        f"version {t._vc.value}; expected version {expected} instead. Hint: the tensor was "
        "changed in place after being saved for backward; use an out-of-place op instead."
    )


class Function(_SavedTensorsMixin, Node):
    """Base class of differentiable operations, deepgrad's ``torch.autograd.Function``.

    Subclass it with static ``forward(ctx, *args)`` and ``backward(ctx, *grad_outputs)``, then
    call ``MyFunction.apply(*args)``. In ``forward``, save what backward needs with
    ``ctx.save_for_backward(*tensors)``; read it back in ``backward`` as ``ctx.saved_tensors``;
    ``ctx.needs_input_grad[i]`` tells whether argument ``i`` needs a gradient.

    Example::

        class Cube(deepgrad.autograd.Function):
            @staticmethod
            def forward(ctx, x):
                ctx.save_for_backward(x)
                return x ** 3

            @staticmethod
            def backward(ctx, grad):
                (x,) = ctx.saved_tensors
                return grad * 3 * x ** 2

    The built-in ops subclass ``Function`` too, with ``forward`` returning raw arrays (set
    ``_array_forward = True``), which skips the tensor round trip on the hot path.
    """

    _array_forward = False  # built-in ops compute on arrays and need no no_grad guard
    saves_output = False  # built-in ops that need their output in backward set this
    _saved = ()
    _saved_versions = ()
    _out = None
    _materialize_grads = True
    needs_input_grad: tuple = ()  # per forward argument: does it need a gradient?

    @staticmethod
    def forward(ctx, *args, **kwargs):  # pragma: no cover - abstract
        raise NotImplementedError

    @staticmethod
    def backward(ctx, *grad_outputs):  # pragma: no cover - abstract
        raise NotImplementedError

    vjp = backward

    @classmethod
    def apply(cls, *args, **kwargs):
        ctx = _new(cls)
        record = False
        if _state.enabled:
            edges = []
            needs = []
            for a in args:
                if isinstance(a, Tensor):  # one type check per argument (hot path)
                    base = a._base
                    if base is not None and base.grad_fn is not a._view_src_fn:
                        _refresh_view(a)
                    if a._rg:
                        # the edge gradients for ``a`` flow along (inlined _edge_of)
                        fn = a.grad_fn
                        edges.append((fn, a._out_idx) if fn is not None else _edge_of(a))
                        needs.append(True)
                        record = True
                        continue
                edges.append(None)
                needs.append(False)
            if record:
                ctx._next = tuple(edges)
                ctx.needs_input_grad = tuple(needs)
        if not record:
            n = len(args)
            ctx.needs_input_grad = _FALSES[n] if n < 8 else (False,) * n
        if cls._array_forward:
            result = cls.forward(ctx, *args, **kwargs)
        else:
            with no_grad():
                result = cls.forward(ctx, *args, **kwargs)
        if isinstance(result, _generic):  # NumPy returns scalars for full reductions
            result = _asarray(result)
        if type(result) is _ndarray:  # the common case: one array out
            if record:
                out = _make(result, True, ctx, 0)
                if cls.saves_output:
                    ctx._remember_outputs((out,))
                return out
            return _make(result, False, None, 0)
        return ctx._wrap_outputs(result, record, args)

    def _wrap_outputs(self, result, record, args):
        make = Tensor._make
        if isinstance(result, tuple):
            self._n_outputs = len(result)
            non_diff = getattr(self, "_non_differentiable_ids", ())
            outs = []
            for i, r in enumerate(result):
                t = self._as_output(r)
                if record and t.dtype.is_floating_point and id(r) not in non_diff:
                    t = make(t.data, True, self, i)
                outs.append(t)
            self._out_meta = tuple((t.shape, t.data.dtype) for t in outs)
            if record and self.saves_output:
                self._remember_outputs(outs)
            return tuple(outs)
        if isinstance(result, Tensor):
            result = result.data
        if record:
            out = make(result, True, self, 0)
            if self.saves_output:
                self._remember_outputs((out,))
            return out
        return make(result, False, None, 0)

    @staticmethod
    def _as_output(r):
        # A forward that returns an input unchanged still gets a new output tensor; NumPy
        # scalars become 0-d arrays (tensors always hold arrays).
        data = r.data if isinstance(r, Tensor) else r
        if isinstance(data, _generic):
            data = _asarray(data)
        return Tensor._make(data, False, None, 0)

    def mark_non_differentiable(self, *tensors) -> None:
        """Declare outputs (e.g. indices) that have no gradient; only for tuple outputs."""
        self._non_differentiable_ids = {id(t) for t in tensors}

    def set_materialize_grads(self, value: bool) -> None:
        """If False, backward receives ``None`` instead of zeros for outputs without gradient."""
        self._materialize_grads = value

    def mark_dirty(self, *tensors) -> None:
        """Accepted for API compatibility; in-place user Functions are not supported."""

    def _remember_outputs(self, outs) -> None:
        for o in outs:
            if o._vc is None:
                o._vc = _VersionCounter()
        self._out = tuple((o.data, o._vc, o._vc.value, o._rg, o._out_idx) for o in outs)

    @property
    def saved_outputs(self) -> tuple:
        """The op's outputs as tensors attached to this node (built-in ops that set
        ``saves_output``); differentiable, so double backward works through them."""
        if self._out is None:
            self.saved_tensors  # raises the 'backward a second time' error
            raise RuntimeError(f"{self.name()} did not save its outputs")
        outs = []
        for data, vc, version, requires_grad, idx in self._out:
            t = Tensor._make(data, requires_grad, self if requires_grad else None, idx)
            t._vc = vc
            if vc.value != version:
                _raise_modified(t, self, version)
            outs.append(t)
        return tuple(outs)

    def _apply_backward(self, grads):
        if self._n_outputs == 1:
            result = type(self).backward(self, grads[0])
        else:
            if self._materialize_grads:
                from .. import _creation

                grads = [
                    _creation.zeros(shape, dtype=dt) if g is None else g
                    for g, (shape, dt) in zip(grads, self._out_meta)
                ]
            result = type(self).backward(self, *grads)
        if not isinstance(result, tuple):
            result = (result,)
        n = len(self._next)
        if len(result) != n:
            # Built-in ops may leave off trailing None gradients for non-tensor arguments.
            if not self._array_forward or any(g is not None for g in result[n:]):
                raise RuntimeError(
                    f"function {self.name()} returned an incorrect number of gradients "
                    f"(expected {n}, got {len(result)})"
                )
            result = (result + (None,) * n)[:n]
        return result

    def _release(self) -> None:
        if "_saved" in self.__dict__ or self._out is not None:
            self._saved = None
            self._out = None


def once_differentiable(fn):
    """Decorator for ``backward`` methods that do not support double backward (no-op here)."""
    return fn
