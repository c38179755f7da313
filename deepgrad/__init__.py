"""deepgrad: a deep-learning framework on NumPy that speaks PyTorch's API.

    >>> import deepgrad as dg
    >>> x = dg.randn(3, 4, requires_grad=True)
    >>> (x.softmax(-1) * dg.arange(4.)).sum().backward()
    >>> x.grad.shape
    deepgrad.Size([3, 4])
"""
import importlib as _importlib

from ._dtype import (bfloat16, bool_ as bool, dtype, float16, float32, float64, get_default_dtype,
                     int8, int16, int32, int64, promote_types, set_default_dtype, uint8)
from ._tensor import Size, Tensor, device
from . import ops  # binds the Tensor methods
from .ops import *  # noqa: F401,F403
from .ops import linalg as _linalg_ops
from ._creation import (arange, as_tensor, asarray, empty, empty_like, eye, from_numpy, full,
                        full_like, linspace, logspace, meshgrid, ones, ones_like, range_ as range,
                        scalar_tensor, tensor, tril_indices, triu_indices, zeros, zeros_like)
from .random import (Generator, bernoulli, default_generator, get_rng_state, initial_seed,
                     manual_seed, multinomial, normal, rand, rand_like, randint, randint_like,
                     randn, randn_like, randperm, seed, set_rng_state)
from . import autograd, datasets, nn, optim, utils, vision
from .serialization import load, save
from .autograd import enable_grad, inference_mode, is_grad_enabled, no_grad, set_grad_enabled
from .ops._util import result_dtype as _result_dtype

# ``from .ops import *`` above bound the name ``linalg`` to deepgrad.ops.linalg; bind the
# public deepgrad.linalg module explicitly.
linalg = _importlib.import_module(".linalg", __name__)

float = float32
double = float64
half = float16
long = int64
int = int32
short = int16
cfloat = None

__version__ = "0.1.0"


def result_type(tensor1, tensor2):
    """The dtype an arithmetic op on these operands would produce (torch's promotion)."""
    return _result_dtype(tensor1, tensor2)


def is_tensor(obj) -> bool:
    return isinstance(obj, Tensor)


def is_floating_point(input) -> bool:
    return input.is_floating_point()


def numel(input) -> int:
    return input.numel()


def can_cast(from_, to) -> bool:
    return from_._category <= to._category


def get_num_threads() -> int:
    from .utils import threads

    return threads.get_num_threads()


def set_num_threads(n: int) -> None:
    from .utils import threads

    threads.set_num_threads(n)


def _export_functions():
    # rsub etc. exist as functions; a few torch functions are aliases of methods
    g = globals()
    g["clone"] = ops.movement.clone
    g["t"] = ops.movement.t


_export_functions()
del _export_functions
