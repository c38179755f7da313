"""``Parameter``: a leaf tensor that a ``Module`` registers as one of its parameters."""
from __future__ import annotations

from .._tensor import Tensor
from ..ops._util import to_tensor


class Parameter(Tensor):
    """A tensor that is a module parameter: assigning it to a ``Module`` attribute registers it.

    ``Parameter(data, requires_grad=True)`` shares memory with ``data``. Operations on a
    parameter return plain tensors.

    Example::

        >>> w = deepgrad.nn.Parameter(deepgrad.zeros(3, 4))
        >>> w.requires_grad
        True
    """

    __slots__ = ()

    def __new__(cls, data=None, requires_grad: bool = True):
        if data is None:
            from .._creation import empty

            data = empty(0)
        t = cls._make(to_tensor(data).data)
        if requires_grad:
            t.requires_grad = True
        return t

    def __init__(self, data=None, requires_grad: bool = True):
        pass  # everything happens in __new__

    def __repr__(self) -> str:
        return "Parameter containing:\n" + super().__repr__()

    def __reduce_ex__(self, protocol):
        import numpy as np

        return (_rebuild_parameter, (np.asarray(self.data), self.requires_grad))


def _rebuild_parameter(array, requires_grad):
    return Parameter(Tensor._make(array), requires_grad)


class UninitializedParameter(Parameter):
    """Placeholder for a lazy module's parameter; its shape is set at the first forward.

    It holds no values (0 elements) but knows its dtype; ``materialize(shape)`` allocates the
    storage and turns it into an ordinary ``Parameter`` (the same object).

    Example::

        >>> w = deepgrad.nn.UninitializedParameter()
        >>> w.materialize((3, 4))
        >>> type(w).__name__, tuple(w.shape)
        ('Parameter', (3, 4))
    """

    __slots__ = ()

    def __new__(cls, requires_grad: bool = True, device=None, dtype=None):
        from .._creation import empty

        return super().__new__(cls, empty(0, dtype=dtype, device=device), requires_grad)

    def __init__(self, requires_grad: bool = True, device=None, dtype=None):
        pass

    def materialize(self, shape, device=None, dtype=None) -> None:
        """Allocate uninitialized storage of ``shape`` (dtype: ``dtype`` or the placeholder's)
        and become a plain ``Parameter``."""
        from .. import _dtype
        from ..backend import xp

        d = self.dtype if dtype is None else _dtype.to_dtype(dtype)
        self.data = xp.empty(tuple(shape), dtype=d.np_dtype)
        self.__class__ = Parameter

    def __repr__(self) -> str:
        return "<UninitializedParameter>"


def is_lazy(param) -> bool:
    return isinstance(param, UninitializedParameter)


class Buffer(Tensor):
    """Marks a tensor to be registered as a buffer when assigned to a module attribute."""

    __slots__ = ()

    def __new__(cls, data=None, *, persistent: bool = True):
        t = cls._make(to_tensor(data).data)
        t.__dict__["persistent"] = persistent
        return t

    def __init__(self, data=None, *, persistent: bool = True):
        pass
