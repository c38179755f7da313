"""Random number generation: ``Generator``, ``manual_seed`` and the sampling factories.

A ``Generator`` wraps NumPy's PCG64 bit generator. The default generator starts from a fixed
seed (as torch's does), so a program is reproducible even without ``manual_seed``. Streams do
not match torch's bit for bit; seeds make deepgrad runs reproducible, not torch-identical.
"""
from __future__ import annotations

import json

import numpy as np

from . import _dtype
from ._tensor import Tensor, _check_device
from ._creation import size_arg

_DEFAULT_SEED = 67280421310721


class Generator:
    """A source of random numbers; pass it as ``generator=`` to sampling functions.

    Example::

        g = deepgrad.Generator().manual_seed(0)
        x = deepgrad.rand(3, generator=g)
    """

    def __init__(self, device="cpu"):
        _check_device(device)
        self.device = device
        self.manual_seed(_DEFAULT_SEED)

    def manual_seed(self, seed: int) -> "Generator":
        seed = int(seed)
        self._initial_seed = seed
        self._rng = np.random.Generator(np.random.PCG64(seed & (2 ** 64 - 1)))
        return self

    def seed(self) -> int:
        """Re-seed from the OS's entropy; returns the new seed."""
        s = int(np.random.SeedSequence().entropy % (2 ** 63))
        self.manual_seed(s)
        return s

    def initial_seed(self) -> int:
        return self._initial_seed

    def get_state(self) -> Tensor:
        """The generator's full state as a uint8 tensor (restore it with ``set_state``)."""
        blob = json.dumps({"seed": self._initial_seed,
                           "state": self._rng.bit_generator.state}).encode()
        return Tensor._make(np.frombuffer(blob, dtype=np.uint8).copy())

    def set_state(self, new_state: Tensor) -> "Generator":
        info = json.loads(bytes(np.asarray(new_state.data, dtype=np.uint8)).decode())
        self._initial_seed = info["seed"]
        self._rng = np.random.Generator(np.random.PCG64())
        self._rng.bit_generator.state = info["state"]
        return self


default_generator = Generator()


def _resolve(generator) -> np.random.Generator:
    return (default_generator if generator is None else generator)._rng


def manual_seed(seed: int) -> Generator:
    """Seed the default generator; returns it."""
    return default_generator.manual_seed(seed)


def seed() -> int:
    return default_generator.seed()


def initial_seed() -> int:
    return default_generator.initial_seed()


def get_rng_state() -> Tensor:
    return default_generator.get_state()


def set_rng_state(new_state: Tensor) -> None:
    default_generator.set_state(new_state)


def _float_dtype(dtype) -> np.dtype:
    d = _dtype.get_default_dtype() if dtype is None else _dtype.to_dtype(dtype)
    if not d.is_floating_point:
        raise RuntimeError(f"expected a floating point dtype for random sampling, got {d}")
    return d.np_dtype


def _finish(arr, requires_grad, device=None) -> Tensor:
    _check_device(device)
    t = Tensor._make(arr)
    if requires_grad:
        t.requires_grad = True
    return t


def rand(*size, generator=None, dtype=None, requires_grad=False, device=None, out=None):
    """Uniform samples in [0, 1) of the given size (default dtype float32)."""
    np_dt = _float_dtype(dtype)
    rng = _resolve(generator)
    shape = size_arg(size)
    if np_dt in (np.float32, np.float64):
        arr = rng.random(shape, dtype=np_dt)
    else:
        # Rounding float32 samples to half precision could give 1.0; draw on the type's own
        # grid k / 2**digits instead (11 significand bits for float16, 8 for bfloat16).
        digits = 11 if np_dt == np.float16 else 8
        arr = (np.floor(rng.random(shape, dtype=np.float32) * 2 ** digits) / 2 ** digits)
        arr = arr.astype(np_dt)
    return _finish(arr, requires_grad, device)


def randn(*size, generator=None, dtype=None, requires_grad=False, device=None, out=None):
    """Standard normal samples of the given size (default dtype float32)."""
    np_dt = _float_dtype(dtype)
    rng = _resolve(generator)
    shape = size_arg(size)
    arr = rng.standard_normal(shape, dtype=np_dt) if np_dt in (np.float32, np.float64) else (
        rng.standard_normal(shape, dtype=np.float32).astype(np_dt))
    return _finish(arr, requires_grad, device)


def randint(low=0, high=None, size=None, *, generator=None, dtype=None, requires_grad=False,
            device=None):
    """Integers uniform in [low, high); ``randint(high, size)`` or ``randint(low, high, size)``."""
    if size is None:  # randint(high, size)
        if high is None:
            raise TypeError("randint() missing required argument 'size'")
        low, high, size = 0, low, high
    d = _dtype.int64 if dtype is None else _dtype.to_dtype(dtype)
    if high <= low:
        raise RuntimeError(f"random_ expects 'from' to be less than 'to', but got from={low} >= "
                           f"to={high}")
    shape = size_arg((size,) if isinstance(size, int) else size)
    arr = _resolve(generator).integers(low, high, shape).astype(d.np_dtype)
    return _finish(arr, requires_grad, device)


def randperm(n, *, generator=None, dtype=None, requires_grad=False, device=None):
    """A random permutation of 0..n-1 (int64)."""
    d = _dtype.int64 if dtype is None else _dtype.to_dtype(dtype)
    return _finish(_resolve(generator).permutation(n).astype(d.np_dtype), requires_grad, device)


def normal(mean=0.0, std=1.0, size=None, *, generator=None, dtype=None, requires_grad=False,
           device=None):
    """Normal samples: ``mean``/``std`` may be tensors (broadcast) or numbers with ``size``."""
    rng = _resolve(generator)
    m = mean.data if isinstance(mean, Tensor) else mean
    s = std.data if isinstance(std, Tensor) else std
    if size is None:
        shape = np.broadcast_shapes(np.shape(m), np.shape(s))
    else:
        shape = size_arg((size,) if isinstance(size, int) else size)
    if isinstance(mean, Tensor):
        np_dt = mean.data.dtype
    elif isinstance(std, Tensor):
        np_dt = std.data.dtype
    else:
        np_dt = _float_dtype(dtype)
    arr = (rng.standard_normal(shape) * s + m).astype(np_dt)
    return _finish(arr, requires_grad, device)


def rand_like(input, *, dtype=None, generator=None, requires_grad=False, device=None):
    return rand(input.shape, dtype=dtype or input.dtype, generator=generator,
                requires_grad=requires_grad)


def randn_like(input, *, dtype=None, generator=None, requires_grad=False, device=None):
    return randn(input.shape, dtype=dtype or input.dtype, generator=generator,
                 requires_grad=requires_grad)


def randint_like(input, low=0, high=None, *, dtype=None, generator=None, device=None):
    if high is None:
        low, high = 0, low
    return randint(low, high, input.shape, dtype=dtype or input.dtype, generator=generator)


def bernoulli(input, p=None, *, generator=None):
    """0/1 samples, 1 with probability ``input`` (elementwise) or ``p``."""
    probs = input.data if p is None else np.full(input.shape, p)
    arr = (_resolve(generator).random(np.shape(probs)) < probs).astype(input.data.dtype)
    return Tensor._make(arr)


def multinomial(input, num_samples, replacement=False, *, generator=None):
    """Sample category indices from (rows of) non-negative weights ``input``."""
    rng = _resolve(generator)
    w = np.asarray(input.data, dtype=np.float64)
    rows = w.reshape(-1, w.shape[-1])
    if (rows < 0).any() or not np.isfinite(rows).all():
        raise RuntimeError("multinomial: probability tensor contains either `inf`, `nan` or "
                           "element < 0")
    if not replacement and num_samples > rows.shape[1]:
        raise RuntimeError("multinomial: cannot sample n_sample > prob_dist.size(-1) samples "
                           "without replacement")
    out = np.empty((rows.shape[0], num_samples), dtype=np.int64)
    for i, r in enumerate(rows):  # one call per distribution row, not per sample
        total = r.sum()
        if total <= 0:
            raise RuntimeError("multinomial: invalid multinomial distribution (sum of "
                               "probabilities <= 0)")
        out[i] = rng.choice(r.shape[0], size=num_samples, replace=replacement, p=r / total)
    return Tensor._make(out.reshape(w.shape[:-1] + (num_samples,)))
