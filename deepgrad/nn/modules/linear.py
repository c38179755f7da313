"""Linear, Bilinear and LazyLinear layers."""
from __future__ import annotations

import math

from ... import _creation
from .. import functional as F
from .. import init
from ..parameter import Parameter, UninitializedParameter
from .module import Module


def _factory(dtype, device):
    return {"dtype": dtype, "device": device}


class Linear(Module):
    """``y = x @ weight.T + bias``: (*, in_features) -> (*, out_features).

    ``weight`` has shape (out_features, in_features) and ``bias`` (out_features,). Initialized
    as in torch: weight ~ kaiming_uniform(a=sqrt(5)), i.e. U(-1/sqrt(in_features),
    1/sqrt(in_features)), and bias ~ U(-1/sqrt(in_features), 1/sqrt(in_features)).

    Example::

        >>> fc = deepgrad.nn.Linear(20, 30)
        >>> fc(deepgrad.randn(128, 20)).shape
        deepgrad.Size([128, 30])
    """

    def __init__(self, in_features: int, out_features: int, bias: bool = True, device=None,
                 dtype=None):
        super().__init__()
        self.in_features = in_features
        self.out_features = out_features
        self.weight = Parameter(_creation.empty(out_features, in_features,
                                                **_factory(dtype, device)))
        if bias:
            self.bias = Parameter(_creation.empty(out_features, **_factory(dtype, device)))
        else:
            self.register_parameter("bias", None)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        init.kaiming_uniform_(self.weight, a=math.sqrt(5))
        if self.bias is not None:
            fan_in, _ = init._calculate_fan_in_and_fan_out(self.weight)
            bound = 1 / math.sqrt(fan_in) if fan_in > 0 else 0
            init.uniform_(self.bias, -bound, bound)

    def forward(self, input):
        return F.linear(input, self.weight, self.bias)

    def extra_repr(self) -> str:
        return (f"in_features={self.in_features}, out_features={self.out_features}, "
                f"bias={self.bias is not None}")


class LazyLinear(Linear):
    """A Linear layer whose ``in_features`` is inferred from the first input:
    (*, in_features) -> (*, out_features).

    Until the first call its ``weight`` and ``bias`` are ``UninitializedParameter``s (also when
    loading a ``state_dict``, which gives them the checkpoint's shapes); the first forward
    materializes and initializes them like ``Linear`` and the module becomes a ``Linear``.

    Example::

        >>> fc = deepgrad.nn.LazyLinear(10)
        >>> fc(deepgrad.randn(2, 7)).shape
        deepgrad.Size([2, 10])
        >>> fc
        Linear(in_features=7, out_features=10, bias=True)
    """

    cls_to_become = Linear

    def __init__(self, out_features: int, bias: bool = True, device=None, dtype=None):
        Module.__init__(self)
        self.in_features = 0
        self.out_features = out_features
        self.weight = UninitializedParameter(device=device, dtype=dtype)
        if bias:
            self.bias = UninitializedParameter(device=device, dtype=dtype)
        else:
            self.register_parameter("bias", None)

    def has_uninitialized_params(self) -> bool:
        return any(isinstance(p, UninitializedParameter) for p in self._parameters.values())

    def reset_parameters(self) -> None:
        if not self.has_uninitialized_params() and self.in_features != 0:
            super().reset_parameters()

    def initialize_parameters(self, input) -> None:
        """Materialize ``weight`` (out_features, input.shape[-1]) and ``bias`` and initialize
        them."""
        if self.has_uninitialized_params():
            self.in_features = input.shape[-1]
            self.weight.materialize((self.out_features, self.in_features))
            if self.bias is not None:
                self.bias.materialize((self.out_features,))
            self.reset_parameters()

    def forward(self, input):
        self.initialize_parameters(input)
        if self.in_features == 0:  # parameters came from load_state_dict
            self.in_features = self.weight.shape[1]
        self.__class__ = self.cls_to_become
        return F.linear(input, self.weight, self.bias)


class Bilinear(Module):
    """``y_k = x1^T W_k x2 + b_k``: (*, in1_features), (*, in2_features) -> (*, out_features).

    ``weight`` has shape (out_features, in1_features, in2_features); weight and bias are
    initialized from U(-1/sqrt(in1_features), 1/sqrt(in1_features)), as in torch.

    Example::

        >>> bl = deepgrad.nn.Bilinear(3, 4, 5)
        >>> bl(deepgrad.randn(2, 3), deepgrad.randn(2, 4)).shape
        deepgrad.Size([2, 5])
    """

    def __init__(self, in1_features: int, in2_features: int, out_features: int,
                 bias: bool = True, device=None, dtype=None):
        super().__init__()
        self.in1_features = in1_features
        self.in2_features = in2_features
        self.out_features = out_features
        self.weight = Parameter(_creation.empty(out_features, in1_features, in2_features,
                                                **_factory(dtype, device)))
        if bias:
            self.bias = Parameter(_creation.empty(out_features, **_factory(dtype, device)))
        else:
            self.register_parameter("bias", None)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        bound = 1 / math.sqrt(self.weight.shape[1])
        init.uniform_(self.weight, -bound, bound)
        if self.bias is not None:
            init.uniform_(self.bias, -bound, bound)

    def forward(self, input1, input2):
        return F.bilinear(input1, input2, self.weight, self.bias)

    def extra_repr(self) -> str:
        return (f"in1_features={self.in1_features}, in2_features={self.in2_features}, "
                f"out_features={self.out_features}, bias={self.bias is not None}")
