"""All tensor ops, and their binding as ``Tensor`` methods and operators.

Each op is written once as a function; the same function object becomes the method, so
``deepgrad.exp(x)`` and ``x.exp()`` cannot drift apart.
"""
from __future__ import annotations

from .. import _dtype
from .._tensor import Tensor, _check_device
from . import elementwise, indexing, inplace, linalg, movement, reduction
from ._util import cast, shape_arg, to_tensor
from .elementwise import *  # noqa: F401,F403
from .elementwise import UNARY_NAMES
from .indexing import *  # noqa: F401,F403
from .linalg import *  # noqa: F401,F403
from .movement import *  # noqa: F401,F403
from .reduction import *  # noqa: F401,F403

_FUNCTION_MODULES = (elementwise, reduction, movement, indexing, linalg)

# Functions that are also Tensor methods under the same name.
_METHODS = list(UNARY_NAMES) + """
    square round add sub subtract rsub mul multiply div divide true_divide floor_divide
    remainder fmod pow float_power atan2 arctan2 maximum minimum fmax fmin positive
    eq ne lt le gt ge greater greater_equal less less_equal not_equal logical_and logical_or
    logical_xor logical_not bitwise_and bitwise_or bitwise_xor bitwise_not equal allclose isclose
    isnan isinf isposinf isneginf isfinite signbit where clamp clip clamp_min clamp_max
    nan_to_num lerp addcmul addcdiv xlogy heaviside hypot deg2rad rad2deg negative absolute
    arcsin arccos arctan arcsinh arccosh arctanh fix
    sum nansum mean nanmean amax amin argmax argmin max min prod var std logsumexp softmax
    log_softmax norm cumsum cumprod all any count_nonzero sort argsort msort topk kthvalue
    median aminmax logcumsumexp
    reshape view view_as reshape_as flatten unflatten squeeze unsqueeze permute transpose
    swapaxes swapdims t movedim moveaxis expand expand_as broadcast_to flip fliplr flipud roll
    split chunk tensor_split unbind narrow select clone contiguous repeat tile
    repeat_interleave tril triu diagonal diag diag_embed
    gather scatter scatter_add take_along_dim index_select index_add masked_fill masked_select
    nonzero argwhere
    matmul mm bmm mv dot vdot inner outer ger addmm baddbmm addmv tensordot
""".split()

for _name in _METHODS:
    for _mod in _FUNCTION_MODULES:
        if hasattr(_mod, _name):
            setattr(Tensor, _name, getattr(_mod, _name))
            break
    else:  # pragma: no cover - a typo in the list above
        raise AttributeError(f"no op named {_name}")


# ---------------------------------------------------------------------------- operators
def _reflected(fn):
    def method(self, other):
        return fn(other, self)
    return method


def _logic_or_bitwise(bool_fn, int_fn):
    def op(self, other):
        o = to_tensor(other)
        if self.data.dtype.kind == "b" and o.data.dtype.kind == "b":
            return bool_fn(self, o)
        return int_fn(self, other)
    return op


_OPS = {
    "__add__": elementwise.add, "__radd__": _reflected(elementwise.add),
    "__sub__": elementwise.sub, "__rsub__": _reflected(elementwise.sub),
    "__mul__": elementwise.mul, "__rmul__": _reflected(elementwise.mul),
    "__truediv__": elementwise.div, "__rtruediv__": _reflected(elementwise.div),
    "__floordiv__": elementwise.floor_divide,
    "__rfloordiv__": _reflected(elementwise.floor_divide),
    "__mod__": elementwise.remainder, "__rmod__": _reflected(elementwise.remainder),
    "__pow__": elementwise.pow, "__rpow__": _reflected(elementwise.pow),
    "__matmul__": linalg.matmul, "__rmatmul__": _reflected(linalg.matmul),
    "__eq__": elementwise.eq, "__ne__": elementwise.ne, "__lt__": elementwise.lt,
    "__le__": elementwise.le, "__gt__": elementwise.gt, "__ge__": elementwise.ge,
    "__and__": _logic_or_bitwise(elementwise.logical_and, elementwise.bitwise_and),
    "__or__": _logic_or_bitwise(elementwise.logical_or, elementwise.bitwise_or),
    "__xor__": _logic_or_bitwise(elementwise.logical_xor, elementwise.bitwise_xor),
    "__rand__": _reflected(elementwise.bitwise_and),
    "__ror__": _reflected(elementwise.bitwise_or),
    "__rxor__": _reflected(elementwise.bitwise_xor),
    "__neg__": elementwise.neg, "__abs__": elementwise.abs, "__pos__": elementwise.positive,
    "__getitem__": indexing.getitem, "__setitem__": inplace.setitem,
}
for _name, _fn in _OPS.items():
    setattr(Tensor, _name, _fn)


def _invert(self):
    if self.data.dtype.kind == "b":
        return elementwise.logical_not(self)
    return elementwise.bitwise_not(self)


Tensor.__invert__ = _invert
Tensor.__hash__ = lambda self: id(self)


# ---------------------------------------------------------------------------- in-place methods
def _iop(method):
    def op(self, other):
        return method(self, other)
    return op


Tensor.add_ = inplace.add_
Tensor.sub_ = inplace.sub_
Tensor.subtract_ = inplace.sub_
Tensor.mul_ = inplace.mul_
Tensor.multiply_ = inplace.mul_
Tensor.div_ = inplace.div_
Tensor.divide_ = inplace.div_
Tensor.true_divide_ = inplace.div_
Tensor.__iadd__ = _iop(inplace.add_)
Tensor.__isub__ = _iop(inplace.sub_)
Tensor.__imul__ = _iop(inplace.mul_)
Tensor.__itruediv__ = _iop(inplace.div_)
for _name in ("zero_", "fill_", "copy_", "index_put_", "index_put", "uniform_", "normal_",
              "bernoulli_", "exponential_", "random_", "geometric_", "log_normal_", "cauchy_"):
    setattr(Tensor, _name, getattr(inplace, _name))

_GENERIC_INPLACE = list(UNARY_NAMES) + """
    pow clamp clip clamp_min clamp_max masked_fill lerp addcmul addcdiv floor_divide remainder
    fmod nan_to_num square round scatter scatter_add index_add atan2 maximum minimum
    tril triu eq ne lt le gt ge logical_and logical_or logical_xor logical_not sign hypot
""".split()
for _name in _GENERIC_INPLACE:
    setattr(Tensor, _name + "_", inplace._unary_inplace(_name, getattr(Tensor, _name)))
Tensor.__ipow__ = _iop(Tensor.pow_)
for _name, _fn in (("bitwise_and", _OPS["__and__"]), ("bitwise_or", _OPS["__or__"]),
                   ("bitwise_xor", _OPS["__xor__"])):
    setattr(Tensor, _name + "_", inplace._unary_inplace(_name, _fn))
Tensor.__iand__ = _iop(Tensor.bitwise_and_)
Tensor.__ior__ = _iop(Tensor.bitwise_or_)
Tensor.__ixor__ = _iop(Tensor.bitwise_xor_)
Tensor.__ifloordiv__ = _iop(Tensor.floor_divide_)
Tensor.__imod__ = _iop(Tensor.remainder_)


def _where_method(self, condition, y):
    return elementwise.where(condition, self, y)


Tensor.where = _where_method


# As methods, softmax and log_softmax require ``dim`` (the functions only warn without it).
def _softmax_method(self, dim, dtype=None):
    return reduction.softmax(self, dim, dtype)


def _log_softmax_method(self, dim, dtype=None):
    return reduction.log_softmax(self, dim, dtype)


Tensor.softmax = _softmax_method
Tensor.log_softmax = _log_softmax_method


def _masked_fill_inplace(self, mask, value):
    return inplace.apply_inplace(self, indexing.masked_fill, "masked_fill_", mask, value)


Tensor.masked_fill_ = _masked_fill_inplace


# ---------------------------------------------------------------------------- conversions
def _to(self, *args, **kwargs):
    """``to(dtype)``, ``to(device)``, ``to(other_tensor)`` or ``to(device, dtype)``.

    Returns ``self`` when nothing changes (like torch), else a converted copy in the graph.
    """
    dtype = kwargs.pop("dtype", None)
    device = kwargs.pop("device", None)
    copy = kwargs.pop("copy", False)
    kwargs.pop("non_blocking", None)
    kwargs.pop("memory_format", None)
    for a in args:
        if isinstance(a, Tensor):
            dtype = a.dtype
        elif isinstance(a, (_dtype.dtype, type)) or (
                hasattr(a, "__module__") and str(a).startswith("torch.") and a is not None
                and not isinstance(a, str)):
            dtype = a
        elif a is not None:
            device = a
    _check_device(device)
    if dtype is None:
        return movement.clone(self) if copy else self
    d = _dtype.to_dtype(dtype)
    out = cast(self, d)
    if copy and out is self:
        out = movement.clone(self)
    return out


Tensor.to = _to
Tensor.type_as = lambda self, other: cast(self, other.dtype)


def _type(self, dtype=None, non_blocking=False):
    if dtype is None:
        from .._tensor import _type_name

        return _type_name(self)
    return cast(self, _dtype.to_dtype(dtype))


Tensor.type = _type


def _caster(d):
    def method(self, memory_format=None):
        return cast(self, d)
    method.__doc__ = f"``self.to({d!r})``"
    return method


for _name, _d in (("float", _dtype.float32), ("double", _dtype.float64),
                  ("half", _dtype.float16), ("bfloat16", _dtype.bfloat16),
                  ("long", _dtype.int64), ("int", _dtype.int32), ("short", _dtype.int16),
                  ("char", _dtype.int8), ("byte", _dtype.uint8), ("bool", _dtype.bool_)):
    setattr(Tensor, _name, _caster(_d))


def _cpu(self, memory_format=None):
    return self


def _cuda(self, device=None, non_blocking=False, memory_format=None):
    raise RuntimeError("deepgrad computes on the CPU only; CUDA is not available")


Tensor.cpu = _cpu
Tensor.cuda = _cuda
Tensor.T = property(movement._T)
Tensor.mT = property(movement._mT)
Tensor.H = property(movement._T)
Tensor.mH = property(movement._mT)


# ---------------------------------------------------------------------------- new_* factories
def _new_factory(factory):
    def method(self, *size, dtype=None, device=None, requires_grad=False, **kw):
        return factory(shape_arg(size), dtype=dtype or self.dtype, requires_grad=requires_grad)
    return method


def _bind_factories():
    from .. import _creation

    Tensor.new_zeros = _new_factory(_creation.zeros)
    Tensor.new_ones = _new_factory(_creation.ones)
    Tensor.new_empty = _new_factory(_creation.empty)

    def new_full(self, size, fill_value, *, dtype=None, device=None, requires_grad=False):
        return _creation.full(size, fill_value, dtype=dtype or self.dtype,
                              requires_grad=requires_grad)

    def new_tensor(self, data, dtype=None, device=None, requires_grad=False):
        return _creation.tensor(data, dtype=dtype or self.dtype, requires_grad=requires_grad)

    Tensor.new_full = new_full
    Tensor.new_tensor = new_tensor


_bind_factories()
