"""Data types with torch's names and torch's type-promotion rules."""
from __future__ import annotations

import numpy as np

try:  # bfloat16 storage comes from ml_dtypes, an optional extra.
    import ml_dtypes as _ml_dtypes

    _BF16 = np.dtype(_ml_dtypes.bfloat16)
except ImportError:  # pragma: no cover
    _BF16 = None


class dtype:
    """A tensor element type, e.g. ``deepgrad.float32``.

    Attributes mirror torch's: ``is_floating_point``, ``is_signed``, ``itemsize``.
    """

    __slots__ = ("name", "np_dtype", "is_floating_point", "is_signed", "itemsize", "_category")

    def __init__(self, name: str, np_dtype, category: int):
        self.name = name
        self.np_dtype = None if np_dtype is None else np.dtype(np_dtype)
        self.is_floating_point = category == 2
        self.is_signed = name not in ("uint8", "bool")
        self.itemsize = 0 if np_dtype is None else self.np_dtype.itemsize
        self._category = category  # 0 bool, 1 integer, 2 floating: the promotion categories

    @property
    def is_complex(self) -> bool:
        return False

    def to_complex(self):  # pragma: no cover - complex dtypes are not supported
        raise NotImplementedError("deepgrad has no complex dtypes")

    def __repr__(self) -> str:
        return f"deepgrad.{self.name}"

    def __reduce__(self):
        return (_dtype_by_name, (self.name,))


bool_ = dtype("bool", np.bool_, 0)
uint8 = dtype("uint8", np.uint8, 1)
int8 = dtype("int8", np.int8, 1)
int16 = dtype("int16", np.int16, 1)
int32 = dtype("int32", np.int32, 1)
int64 = dtype("int64", np.int64, 1)
float16 = dtype("float16", np.float16, 2)
bfloat16 = dtype("bfloat16", _BF16, 2)
float32 = dtype("float32", np.float32, 2)
float64 = dtype("float64", np.float64, 2)

ALL_DTYPES = (bool_, uint8, int8, int16, int32, int64, float16, bfloat16, float32, float64)
_BY_NAME = {d.name: d for d in ALL_DTYPES}
_BY_NAME.update(
    float=float32, double=float64, half=float16, long=int64, int=int32, short=int16
)
_FROM_NP = {d.np_dtype: d for d in ALL_DTYPES if d.np_dtype is not None}


def _dtype_by_name(name: str) -> dtype:
    return _BY_NAME[name]


class _DefaultDtype:
    value = float32


def get_default_dtype() -> dtype:
    """The floating dtype used for Python floats and float factories (float32 unless set)."""
    return _DefaultDtype.value


def set_default_dtype(d: dtype) -> None:
    """Set the default floating dtype (float32 or float64, like torch)."""
    d = to_dtype(d)
    if not d.is_floating_point:
        raise TypeError(f"only floating-point types are supported as the default type, got {d}")
    _DefaultDtype.value = d


def from_numpy_dtype(np_dtype) -> dtype:
    """Map a NumPy dtype to deepgrad's; raises TypeError for unsupported ones."""
    try:
        return _FROM_NP[np_dtype]
    except KeyError:
        pass
    try:
        return _FROM_NP[np.dtype(np_dtype)]
    except (KeyError, TypeError):
        raise TypeError(f"can't convert NumPy dtype {np_dtype} to a deepgrad dtype") from None


def to_dtype(d) -> dtype:
    """Accept a deepgrad dtype, a NumPy dtype or type, a Python type, or a name."""
    if isinstance(d, dtype):
        if d.np_dtype is None:
            raise RuntimeError(f"{d} needs the optional package ml_dtypes (pip install ml_dtypes)")
        return d
    if d is float:
        return get_default_dtype()
    if d is int:
        return int64
    if d is bool:
        return bool_
    if isinstance(d, str):
        if d in _BY_NAME:
            return _BY_NAME[d]
        if d.startswith("torch.") and d[6:] in _BY_NAME:
            return _BY_NAME[d[6:]]
    name = getattr(d, "__module__", "")
    if name.startswith("torch") and str(d).startswith("torch."):
        return _BY_NAME[str(d)[6:]]
    return from_numpy_dtype(d)


def promote_types(a: dtype, b: dtype) -> dtype:
    """Torch's promotion of two dtypes: the higher category wins; within one, the wider type."""
    if a is b:
        return a
    if a._category != b._category:
        return a if a._category > b._category else b
    if {a, b} == {float16, bfloat16}:
        return float32
    if bfloat16 in (a, b):
        other = b if a is bfloat16 else a
        return float32 if other is float32 else (float64 if other is float64 else bfloat16)
    return _FROM_NP[np.promote_types(a.np_dtype, b.np_dtype)]


def scalar_dtype(value) -> dtype:
    """The dtype a Python scalar takes when it has to stand alone (default dtype for floats)."""
    if isinstance(value, bool):
        return bool_
    if isinstance(value, int):
        return int64
    if isinstance(value, float):
        return get_default_dtype()
    if isinstance(value, np.generic):
        return from_numpy_dtype(value.dtype)
    if isinstance(value, complex):
        raise TypeError("deepgrad has no complex dtypes")
    raise TypeError(f"expected a number, got {type(value).__name__}")


def result_type_of(dims: dtype | None, zero_dims: dtype | None, scalars: dtype | None) -> dtype:
    """Combine the three promotion tiers (dimensioned tensors > 0-d tensors > Python scalars).

    A lower tier changes the result only when its category is higher (torch's rule).
    """
    result = dims
    for tier in (zero_dims, scalars):
        if tier is None:
            continue
        if result is None:
            result = tier
        elif tier._category > result._category:
            # A float scalar over integer tensors gives the default float dtype, as in torch.
            result = tier
    return result
