"""The ``Tensor`` class: an array from the backend plus the autograd bookkeeping.

Only the core lives here (attributes, conversion, repr, the autograd entry points). Math, shape
and indexing methods are defined once as functions in ``deepgrad.ops`` and attached to the
class there, so ``deepgrad.exp(x)`` and ``x.exp()`` are the same code.
"""
from __future__ import annotations

import math

import numpy as np

from . import _dtype
from .backend import xp


class _VersionCounter:
    """Counts in-place writes to a tensor's memory; views share their base's counter."""

    __slots__ = ("value",)

    def __init__(self):
        self.value = 0


def bump_version(t) -> None:
    """Count one in-place write to ``t``'s memory (checked by backward; views share it)."""
    vc = t._vc
    if vc is None:
        vc = t._vc = _VersionCounter()
    vc.value += 1


class Size(tuple):
    """A tensor's shape: a tuple of ints, like ``torch.Size``."""

    def numel(self) -> int:
        n = 1
        for s in self:
            n *= s
        return n

    def __repr__(self) -> str:
        return f"deepgrad.Size({list(self)})"

    def __getitem__(self, item):
        r = tuple.__getitem__(self, item)
        return Size(r) if isinstance(item, slice) else r


class device:
    """A device descriptor; deepgrad computes on the CPU (``device('cpu')``)."""

    __slots__ = ("type", "index")

    def __init__(self, type="cpu", index=None):
        if isinstance(type, device):
            type, index = type.type, type.index
        type = str(type)
        if ":" in type:
            type, idx = type.split(":", 1)
            if not idx.isdigit():
                raise RuntimeError(f"Invalid device string: '{type}:{idx}'")
            index = int(idx)
        if type not in ("cpu", "cuda", "mps", "meta"):
            raise RuntimeError(f"Expected one of cpu, cuda, mps device type at start of device "
                               f"string: {type}")
        self.type = type
        self.index = index

    def __eq__(self, other):
        if isinstance(other, str):
            other = device(other)
        return isinstance(other, device) and (self.type, self.index) == (other.type, other.index)

    def __hash__(self):
        return hash((self.type, self.index))

    def __repr__(self):
        idx = "" if self.index is None else f", index={self.index}"
        return f"device(type='{self.type}'{idx})"

    def __str__(self):
        return self.type if self.index is None else f"{self.type}:{self.index}"


_CPU = device("cpu")


def _check_device(d) -> None:
    if d is not None and device(d).type != "cpu":
        raise RuntimeError(
            f"deepgrad computes on the CPU only; device '{device(d)}' is not available"
        )


def _type_name(t) -> str:
    names = {"float32": "FloatTensor", "float64": "DoubleTensor", "float16": "HalfTensor",
             "bfloat16": "BFloat16Tensor", "int64": "LongTensor", "int32": "IntTensor",
             "int16": "ShortTensor", "int8": "CharTensor", "uint8": "ByteTensor",
             "bool": "BoolTensor"}
    return "deepgrad." + names.get(t.dtype.name, "Tensor")


_new = object.__new__


class Tensor:
    """A multi-dimensional array with reverse-mode automatic differentiation.

    Create tensors with the factories (``deepgrad.tensor``, ``deepgrad.zeros``,
    ``deepgrad.randn``, ...). ``Tensor(data)`` builds a float tensor from data and
    ``Tensor(2, 3)`` an uninitialized 2x3 float tensor, as in torch.

    Example::

        >>> x = deepgrad.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
        >>> (x * x).sum().backward()
        >>> x.grad
        tensor([[2., 4.],
                [6., 8.]])
    """

    # The five fields every tensor sets are slots; the rarely used ones default to these
    # class attributes and land in the instance __dict__ only when set, so creating a tensor
    # (the hottest path in the framework) costs five attribute writes.
    __slots__ = ("data", "_rg", "grad", "grad_fn", "_out_idx", "__weakref__", "__dict__")
    __array_priority__ = 1000  # numpy scalars defer to Tensor's reflected operators
    _vc = None  # version counter, shared with views; created when first needed
    _base = None  # the tensor this one is a view of
    _view_src_fn = None  # the base's grad_fn when this view's history was last derived
    _acc = None  # weakref to this leaf's AccumulateGrad node
    _hooks = None  # hooks on a leaf's gradient
    _retains_grad = False

    def __init__(self, *args, requires_grad: bool = False):
        if len(args) == 1 and not isinstance(args[0], int):
            src = args[0]
            arr = src.data.astype(_dtype.get_default_dtype().np_dtype) if isinstance(
                src, Tensor) else np.asarray(src, dtype=_dtype.get_default_dtype().np_dtype)
        else:
            shape = args[0] if len(args) == 1 and isinstance(args[0], tuple) else args
            arr = xp.empty(tuple(shape), dtype=_dtype.get_default_dtype().np_dtype)
        self._init(arr, requires_grad, None, 0)

    def _init(self, data, requires_grad, grad_fn, out_idx):
        self.data = data
        self._rg = False
        self.grad = None
        self.grad_fn = grad_fn
        self._out_idx = out_idx
        if requires_grad:
            self.requires_grad = True

    @classmethod
    def _make(cls, data, requires_grad=False, grad_fn=None, out_idx=0):
        """Fast internal constructor: wraps an array without copying or checking."""
        t = _new(cls)
        t.data = data
        t._rg = requires_grad
        t.grad = None
        t.grad_fn = grad_fn
        t._out_idx = out_idx
        return t

    # ------------------------------------------------------------------ metadata
    @property
    def shape(self) -> Size:
        return Size(self.data.shape)

    def size(self, dim: int | None = None):
        """The shape as a ``Size``, or the length of dimension ``dim``."""
        if dim is None:
            return Size(self.data.shape)
        return self.data.shape[_wrap_dim(dim, self.data.ndim, "size")]

    def dim(self) -> int:
        return self.data.ndim

    ndimension = dim

    @property
    def ndim(self) -> int:
        return self.data.ndim

    def numel(self) -> int:
        return int(self.data.size)

    nelement = numel

    @property
    def dtype(self) -> _dtype.dtype:
        return _dtype._FROM_NP[self.data.dtype]

    @property
    def device(self) -> device:
        return _CPU

    @property
    def is_cuda(self) -> bool:
        return False

    @property
    def is_leaf(self) -> bool:
        return self.grad_fn is None

    @property
    def layout(self) -> str:
        return "strided"

    def is_floating_point(self) -> bool:
        return self.data.dtype.kind == "f" or self.dtype is _dtype.bfloat16

    def is_complex(self) -> bool:
        return False

    def element_size(self) -> int:
        return self.data.itemsize

    def stride(self, dim: int | None = None):
        strides = tuple(s // self.data.itemsize for s in self.data.strides)
        return strides if dim is None else strides[_wrap_dim(dim, self.data.ndim, "stride")]

    def is_contiguous(self) -> bool:
        return bool(self.data.flags.c_contiguous)

    def data_ptr(self) -> int:
        return self.data.__array_interface__["data"][0]

    @property
    def _version(self) -> int:
        return 0 if self._vc is None else self._vc.value

    @property
    def names(self):
        return (None,) * self.data.ndim

    # ------------------------------------------------------------------ autograd flags
    @property
    def requires_grad(self) -> bool:
        return self._rg

    @requires_grad.setter
    def requires_grad(self, value: bool) -> None:
        if self.grad_fn is not None and not value:
            raise RuntimeError(
                "you can only change requires_grad flags of leaf variables. If you want to use a "
                "computed variable in a subgraph that doesn't require differentiation use "
                "var_no_grad = var.detach().")
        if value and not self.is_floating_point():
            raise RuntimeError("only Tensors of floating point dtype can require gradients")
        self._rg = bool(value)

    def requires_grad_(self, requires_grad: bool = True) -> "Tensor":
        """Set ``requires_grad`` in place (leaves only, like torch); returns self."""
        self.requires_grad = requires_grad
        return self

    def detach(self) -> "Tensor":
        """A new tensor sharing this one's memory, cut from the graph."""
        t = Tensor._make(self.data)
        if self._vc is None:
            self._vc = _VersionCounter()
        t._vc = self._vc
        return t

    def detach_(self) -> "Tensor":
        """Cut this tensor from the graph in place, making it a leaf."""
        self.grad_fn = None
        self._rg = False
        return self

    def retain_grad(self) -> None:
        """Keep ``.grad`` for this non-leaf tensor after backward."""
        if not self.requires_grad:
            raise RuntimeError("can't retain_grad on Tensor that has requires_grad=False")
        if self.grad_fn is None or self._retains_grad:
            return
        self._retains_grad = True
        import weakref

        ref = weakref.ref(self)

        def _store(grad):
            t = ref()
            if t is not None:
                t.grad = grad if t.grad is None else t.grad + grad
            return None

        _store._retain_grad_hook = True
        self._add_node_hook(_store)

    @property
    def retains_grad(self) -> bool:
        return self._retains_grad

    def register_hook(self, hook):
        """Register ``hook(grad) -> grad or None`` called when this tensor's gradient is computed.

        Returns a handle whose ``remove()`` unregisters the hook.
        """
        if not self.requires_grad:
            raise RuntimeError("cannot register a hook on a tensor that doesn't require gradient")
        if self.grad_fn is None:
            if self._hooks is None:
                self._hooks = []
            hooks = self._hooks
        else:
            hooks = self._add_node_hook(hook)
            return _RemovableHandle(hooks, hook)
        hooks.append(hook)
        return _RemovableHandle(hooks, hook)

    def _add_node_hook(self, hook):
        fn = self.grad_fn
        if fn._hooks is None:
            fn._hooks = {}
        hooks = fn._hooks.setdefault(self._out_idx, [])
        # retain_grad hooks run after user hooks, so .grad sees the hooked value (as in torch)
        retain = [h for h in hooks if getattr(h, "_retain_grad_hook", False)]
        for h in retain:
            hooks.remove(h)
        hooks.append(hook)
        hooks.extend(retain)
        return hooks

    def backward(self, gradient=None, retain_graph=None, create_graph=False, inputs=None):
        """Accumulate the gradient of this tensor into the ``.grad`` of graph leaves.

        ``gradient`` is required for non-scalar tensors (the vector in the vector-Jacobian
        product). ``retain_graph`` keeps saved values for another backward (defaults to
        ``create_graph``); ``create_graph`` records the backward pass for higher-order
        gradients; ``inputs`` restricts accumulation to these tensors.
        """
        from .autograd import engine

        if self._base is not None and self._base.grad_fn is not self._view_src_fn:
            from .autograd.function import _refresh_view

            _refresh_view(self)
        engine.backward((self,), None if gradient is None else (gradient,), retain_graph,
                        create_graph, inputs)

    # ------------------------------------------------------------------ conversion
    def item(self):
        """The value of a one-element tensor as a Python number."""
        if self.data.size != 1:
            raise RuntimeError(
                f"a Tensor with {self.data.size} elements cannot be converted to Scalar")
        return self.data.reshape(()).item() if self.dtype is not _dtype.bfloat16 else float(
            self.data.reshape(()))

    def tolist(self):
        if self.dtype is _dtype.bfloat16:
            return self.data.astype(np.float32).tolist()
        return self.data.tolist()

    def numpy(self, force: bool = False) -> np.ndarray:
        """The data as a NumPy array sharing memory (like torch: not for tensors in a graph)."""
        if self.requires_grad and not force:
            raise RuntimeError(
                "Can't call numpy() on Tensor that requires grad. Use tensor.detach().numpy() "
                "instead.")
        return np.asarray(self.data)

    def __array__(self, dtype=None, copy=None):
        arr = np.asarray(self.data)
        return arr if dtype is None else arr.astype(dtype)

    def __len__(self) -> int:
        if self.data.ndim == 0:
            raise TypeError("len() of a 0-d tensor")
        return self.data.shape[0]

    def __iter__(self):
        if self.data.ndim == 0:
            raise TypeError("iteration over a 0-d tensor")
        return iter(self.unbind(0))

    def __bool__(self) -> bool:
        if self.data.size != 1:
            raise RuntimeError(
                "Boolean value of Tensor with more than one value is ambiguous")
        return bool(self.data)

    def __float__(self) -> float:
        return float(self.item())

    def __int__(self) -> int:
        return int(self.item())

    def __index__(self) -> int:
        if self.data.ndim != 0 or self.data.dtype.kind not in "iub":
            raise TypeError("only integer tensors of a single element can be converted to an "
                            "index")
        return int(self.data)

    def __complex__(self):
        return complex(self.item())

    def __hash__(self):
        return id(self)

    def __reduce_ex__(self, protocol):
        # Tensors pickle as (array, requires_grad); used by DataLoader worker processes.
        return (_rebuild_tensor, (np.asarray(self.data), self.requires_grad))

    def __deepcopy__(self, memo):
        if self.grad_fn is not None:
            raise RuntimeError("Only Tensors created explicitly by the user (graph leaves) "
                               "support the deepcopy protocol at the moment.")
        new = type(self)._make(self.data.copy(), self._rg)
        for k, v in self.__dict__.items():  # user attributes; autograd bookkeeping is per tensor
            if k not in ("_vc", "_base", "_acc", "_hooks", "_retains_grad"):
                new.__dict__[k] = v
        if self.grad is not None:
            new.grad = self.grad.__deepcopy__(memo)
        memo[id(self)] = new
        return new

    def __repr__(self) -> str:
        return _format_tensor(self)

    __str__ = __repr__

    def __format__(self, spec):
        if self.data.ndim == 0 and spec:
            return format(self.item(), spec)
        return repr(self)


def _rebuild_tensor(array, requires_grad):
    return Tensor._make(array, requires_grad)


class _RemovableHandle:
    """Handle returned by ``register_hook``; ``remove()`` unregisters."""

    def __init__(self, hooks: list, hook):
        self._hooks = hooks
        self._hook = hook

    def remove(self) -> None:
        if self._hook in self._hooks:
            self._hooks.remove(self._hook)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.remove()


def _wrap_dim(dim: int, ndim: int, op: str = "") -> int:
    """Normalize a possibly negative dim; raises IndexError like torch when out of range."""
    n = max(ndim, 1)
    if not -n <= dim < n:
        raise IndexError(
            f"{op + ': ' if op else ''}Dimension out of range (expected to be in range of "
            f"[{-n}, {n - 1}], but got {dim})")
    return dim % n if ndim else 0


_PRINT_THRESHOLD = 1000  # summarize tensors with more elements than this (torch's defaults)
_PRINT_EDGEITEMS = 3
_PRINT_LINEWIDTH = 80


class _Formatter:
    """Torch's element formatting: one width for all elements; floats print as integers with a
    trailing dot, fixed point with 4 decimals, or scientific when the range is wide."""

    def __init__(self, values: np.ndarray):
        self.floating = values.dtype.kind == "f"
        self.int_mode = True
        self.sci_mode = False
        self.width = 1
        flat = values.reshape(-1)
        if not self.floating:
            self.width = max((len(self._plain(v)) for v in flat.tolist()), default=1)
            return
        vals = flat[np.isfinite(flat) & (flat != 0)].astype(np.float64)
        if vals.size == 0:
            return
        mags = np.abs(vals)
        lo, hi = mags.min(), mags.max()
        self.int_mode = bool(np.all(vals == np.ceil(vals)))
        if self.int_mode:
            self.sci_mode = hi / lo > 1000.0 or hi > 1.0e8
        else:
            self.sci_mode = hi / lo > 1000.0 or hi > 1.0e8 or lo < 1.0e-4
        if self.sci_mode:
            self.width = max(len(f"{v:.4e}") for v in vals.tolist())
        elif self.int_mode:
            self.width = max(len(f"{v:.0f}") + 1 for v in vals.tolist())
        else:
            self.width = max(len(f"{v:.4f}") for v in vals.tolist())

    @staticmethod
    def _plain(v) -> str:
        return str(v)

    def format(self, v) -> str:
        if not self.floating:
            s = self._plain(v)
        elif self.sci_mode:
            s = f"{v:.4e}"
        elif self.int_mode:
            s = f"{v:.0f}" + ("" if math.isinf(v) or math.isnan(v) else ".")
        else:
            s = f"{v:.4f}"
        return s.rjust(self.width)


def _summarized(arr: np.ndarray) -> np.ndarray:
    """The elements that a summarized print shows (the first and last few along each dim)."""
    if arr.ndim == 0:
        return arr
    e = _PRINT_EDGEITEMS
    if arr.shape[0] > 2 * e:
        arr = np.concatenate((arr[:e], arr[-e:]))
    if arr.ndim == 1:
        return arr
    return np.stack([_summarized(row) for row in arr])


def _format_array(arr: np.ndarray, indent: int, summarize: bool, fmt: _Formatter) -> str:
    e = _PRINT_EDGEITEMS
    if arr.ndim == 0:
        return fmt.format(arr.item())
    if arr.ndim == 1:
        if summarize and arr.shape[0] > 2 * e:
            items = ([fmt.format(v) for v in arr[:e].tolist()] + [" ..."]
                     + [fmt.format(v) for v in arr[-e:].tolist()])
        else:
            items = [fmt.format(v) for v in arr.tolist()]
        per_line = max(1, (_PRINT_LINEWIDTH - indent) // (fmt.width + 2))
        lines = [", ".join(items[i:i + per_line]) for i in range(0, len(items), per_line)]
        return "[" + (",\n" + " " * (indent + 1)).join(lines) + "]"
    if summarize and arr.shape[0] > 2 * e:
        rows = ([_format_array(arr[i], indent + 1, summarize, fmt) for i in range(e)] + ["..."]
                + [_format_array(arr[i], indent + 1, summarize, fmt)
                   for i in range(arr.shape[0] - e, arr.shape[0])])
    else:
        rows = [_format_array(row, indent + 1, summarize, fmt) for row in arr]
    return "[" + ("," + "\n" * (arr.ndim - 1) + " " * (indent + 1)).join(rows) + "]"


def _format_tensor(t: Tensor) -> str:
    """``repr`` in torch's layout: aligned columns, summarized past 1000 elements."""
    prefix = "tensor("
    indent = len(prefix)
    arr = np.asarray(t.data)
    dt = t.dtype
    if dt is _dtype.bfloat16:
        arr = arr.astype(np.float32)
    suffixes = []
    if arr.size == 0:
        body = "[]"
        if arr.ndim != 1:
            suffixes.append(f"size={tuple(arr.shape)}")
        if dt is not _dtype.get_default_dtype():
            suffixes.append(f"dtype={dt!r}")
    else:
        summarize = arr.size > _PRINT_THRESHOLD
        fmt = _Formatter(_summarized(arr) if summarize else arr)
        body = _format_array(arr, indent, summarize, fmt)
        if dt not in (_dtype.get_default_dtype(), _dtype.int64, _dtype.bool_):
            suffixes.append(f"dtype={dt!r}")
    if t.grad_fn is not None:
        suffixes.append(f"grad_fn=<{t.grad_fn.name()}>")
    elif t.requires_grad:
        suffixes.append("requires_grad=True")
    out = prefix + body
    last_line = len(out) - out.rfind("\n") + 1
    for suffix in suffixes:
        if last_line + len(suffix) + 2 > _PRINT_LINEWIDTH:
            out += ",\n" + " " * indent + suffix
            last_line = indent + len(suffix)
        else:
            out += ", " + suffix
            last_line += len(suffix) + 2
    return out + ")"
