"""The one seam to the array library.

Every op reaches arrays through ``xp`` (NumPy today). A CuPy backend can be added by pointing
``xp`` at ``cupy`` and providing the few special functions below, without touching the ops.
"""
from __future__ import annotations

import ctypes
import ctypes.util
import math
import os
import sys

import numpy as np

xp = np
"""The array module used by every op (NumPy-compatible API)."""

_M_TOP_PAD = -2  # glibc mallopt parameter


def tune_malloc(top_pad: int = 64 << 20) -> bool:
    """Ask glibc to keep ``top_pad`` bytes of freed heap instead of returning it to the OS.

    Training steps allocate and free the same large arrays every step; by default glibc trims
    them back to the OS and the next step faults the pages in again, which is slow on VMs that
    back memory lazily (the benchmark suite measured ~700 minor faults per step and up to 2x
    slower small workloads). Linux/glibc only; set ``DEEPGRAD_MALLOC_TUNING=0`` to skip it.
    Returns True if the setting was applied.
    """
    if not sys.platform.startswith("linux") or os.environ.get("DEEPGRAD_MALLOC_TUNING") == "0":
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        return bool(libc.mallopt(_M_TOP_PAD, int(top_pad)))
    except (OSError, AttributeError):  # not glibc (e.g. musl): nothing to tune
        return False


tune_malloc()

ndarray = np.ndarray

try:  # SciPy's special functions are faster; they are an optional extra.
    from scipy import special as _scipy_special
except ImportError:  # pragma: no cover - exercised when SciPy is absent
    _scipy_special = None

_blas = "unset"


def _axpy_blas():
    """SciPy's BLAS wrappers with SciPy's own OpenBLAS pinned to one thread, or None.

    SciPy ships its own OpenBLAS: left at several threads, its idle workers spin and fight
    NumPy's BLAS threads for the cores (an MLP step took 3-4x longer at 2 threads). axpy is
    memory-bound and gains nothing from threads, so the pin costs nothing; without
    threadpoolctl to set it, axpy falls back to NumPy.
    """
    try:
        from scipy.linalg import blas
        from threadpoolctl import ThreadpoolController
    except ImportError:
        return None
    try:
        for lib in ThreadpoolController().lib_controllers:
            if "scipy.libs" in lib.filepath:  # SciPy's own copy, not NumPy's scipy_openblas
                lib.set_num_threads(1)
    except Exception:  # noqa: BLE001 - an unknown BLAS setup: do not risk contention
        return None
    return blas


def axpy(alpha: float, x: np.ndarray, y: np.ndarray) -> None:
    """``y += alpha * x`` in place; one pass through BLAS axpy when available (optimizer
    updates are memory-bound: this saves the temporary and a full pass over the parameter)."""
    global _blas
    if _blas == "unset":
        _blas = _axpy_blas()
    if (_blas is not None and x.shape == y.shape and x.dtype == y.dtype and y.size
            and x.dtype in (np.float32, np.float64) and x.flags.c_contiguous
            and y.flags.c_contiguous and y.flags.writeable):
        fn = _blas.saxpy if x.dtype == np.float32 else _blas.daxpy
        fn(x.reshape(-1), y.reshape(-1), a=alpha)
        return
    y += x * y.dtype.type(alpha)


def _erf_series(x):
    # erf(x) = 2/sqrt(pi) * exp(-x^2) * sum_n 2^n x^(2n+1) / (1*3*...*(2n+1)); all terms positive,
    # so no cancellation. Used for |x| < 2.5 where 60 terms reach double precision.
    x2 = x * x
    term = x.copy()
    total = x.copy()
    for n in range(1, 60):
        term *= 2.0 * x2 / (2 * n + 1)
        total += term
    return 2.0 / math.sqrt(math.pi) * np.exp(-x2) * total


def _erfc_continued_fraction(x):
    # erfc(x) = exp(-x^2)/sqrt(pi) * 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + ...)))) for x > 0,
    # evaluated bottom-up; converges quickly for x >= 2.5.
    frac = np.zeros_like(x)
    for k in range(60, 0, -1):
        frac = (k / 2.0) / (x + frac)
    return np.exp(-x * x) / math.sqrt(math.pi) / (x + frac)


def erf(x):
    """Elementwise error function, accurate to double precision."""
    if _scipy_special is not None:
        return _scipy_special.erf(x)
    x64 = np.asarray(x, dtype=np.float64)
    out = np.empty_like(x64)
    small = np.abs(x64) < 2.5
    out[small] = _erf_series(x64[small])
    big = ~small
    ax = np.abs(x64[big])
    out[big] = np.sign(x64[big]) * (1.0 - _erfc_continued_fraction(np.maximum(ax, 2.5)))
    return out.astype(np.result_type(x, np.float32), copy=False)


def erfc(x):
    """Elementwise complementary error function, accurate in the tails."""
    if _scipy_special is not None:
        return _scipy_special.erfc(x)
    x64 = np.asarray(x, dtype=np.float64)
    out = 1.0 - erf(x64)
    tail = x64 >= 2.5
    out[tail] = _erfc_continued_fraction(x64[tail])
    return out.astype(np.result_type(x, np.float32), copy=False)


def erfinv(y):
    """Elementwise inverse error function (Newton refinement of a closed-form start)."""
    if _scipy_special is not None:
        return _scipy_special.erfinv(y)
    y64 = np.asarray(y, dtype=np.float64)
    # Giles' single-precision approximation as the starting point, then Newton steps.
    w = -np.log((1.0 - y64) * (1.0 + y64))
    x = np.where(w < 5.0, y64 * (0.886226925 + 0.2 * (w - 2.5)), y64 * np.sqrt(w) * 0.8)
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        for _ in range(60):
            err = erf(x) - y64
            x = x - err / (2.0 / math.sqrt(math.pi) * np.exp(-x * x))
    x = np.where(y64 == 1.0, np.inf, np.where(y64 == -1.0, -np.inf, x))
    return x.astype(np.result_type(y, np.float32), copy=False)


def to_numpy(array) -> np.ndarray:
    """Return a host NumPy array for ``array`` (a no-op on the NumPy backend)."""
    return np.asarray(array)
