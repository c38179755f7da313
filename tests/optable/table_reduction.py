"""Op table: reduction ops (sums, extremes, statistics, norms, scans, sorting, softmax).

Sample arguments that name a dtype do so as a string (``dtype="float64"``); ``_dt`` turns it
into the running framework's dtype object, so one lambda serves deepgrad and torch alike.
Samples with ties, NaN or infinities sit at kinks or poles where central differences are
meaningless; they live in separate ``*_ties`` / ``*_special`` entries with ``gradcheck=False``
(their forward values and gradients are still compared with torch, so torch's tie and NaN
conventions are checked).
"""
import importlib

import numpy as np

from .harness import ErrorCase, OpSpec, Sample, distinct, positive, randn

INF = np.inf
NAN = np.nan


def _dt(m, kwargs):
    """``kwargs`` with a dtype name replaced by framework ``m``'s dtype object."""
    if isinstance(kwargs.get("dtype"), str):
        return {**kwargs, "dtype": getattr(m, kwargs["dtype"])}
    return kwargs


def _linalg(m):
    """``m.linalg`` as a module import (``deepgrad.linalg`` / ``torch.linalg``)."""
    return importlib.import_module(m.__name__ + ".linalg")


def _arr(values, dtype=np.float32):
    return np.array(values, dtype=dtype)


def _ints(rng, *shape, dtype=np.int32):
    return rng.integers(-5, 6, shape).astype(dtype)


def _bools(rng, *shape):
    return np.asarray(rng.random(shape) < 0.5)


def _distinct_ints(rng, *shape):
    """Integers without ties (so indices of sort/topk/kthvalue are unambiguous)."""
    return rng.permutation(int(np.prod(shape))).reshape(shape).astype(np.int32) - 3


def _with_zeros(rng, *shape, frac=0.3):
    x = rng.standard_normal(shape)
    x[rng.random(shape) < frac] = 0.0
    return x.astype(np.float32)


def S(*args, note="", **kwargs):
    return Sample(args, kwargs, note=note)


# ---------------------------------------------------------------------------- common shapes
SHAPES = [(), (5,), (3, 4), (2, 3, 4), (0, 3), (1, 1)]


def _dim_samples(gen, rng, empty_dims=(0, 1), scalar=True):
    """Samples for a reduction taking ``(x, dim, keepdim)``."""
    x3 = gen(rng, 2, 3, 4)
    out = [S(gen(rng, *s)) for s in SHAPES]
    out += [S(x3, 1), S(x3, -1), S(x3, (0, 2)), S(x3, (-1, -3)), S(x3, [2, 0]),
            S(x3, 1, keepdim=True), S(x3, (0, 1), keepdim=True), S(gen(rng, 3, 4), None, True),
            S(gen(rng, 3, 4), ()), S(gen(rng, 1, 4), 0), S(gen(rng, 4, 1), -1, True)]
    if scalar:
        out += [S(gen(rng), 0), S(gen(rng), -1, True), S(gen(rng), ())]
    out += [S(gen(rng, 0, 3), d) for d in empty_dims]
    return out


_X23 = randn(np.random.default_rng(0), 2, 3)
_X3 = randn(np.random.default_rng(0), 2, 3, 4)
_I23 = _ints(np.random.default_rng(0), 2, 3)
_EMPTY = np.zeros((0, 2), np.float32)
DIM_ERRORS = [ErrorCase((_X23, 2), exc=IndexError), ErrorCase((_X23, -3), exc=IndexError)]
DUP_ERRORS = [ErrorCase((_X23, (0, 0)), exc=RuntimeError),
              ErrorCase((_X23, (1, -1)), exc=RuntimeError)]


# ---------------------------------------------------------------------------- sum, mean, prod
def sum_samples(rng):
    x = randn(rng, 3, 4)
    return _dim_samples(randn, rng) + [
        S(x, 1, dtype="float64"), S(x, dtype="float64"), S(x, (0, 1), True, dtype="float64"),
        S(_ints(rng, 3, 4)), S(_ints(rng, 3, 4), 1), S(_ints(rng, 3, 4, dtype=np.int64), 0, True),
        S(_ints(rng, 5, dtype=np.int8)), S(_ints(rng, 2, 3, dtype=np.int16), -1),
        S(rng.integers(0, 200, (4, 3)).astype(np.uint8), 0), S(_bools(rng, 3, 4)),
        S(_bools(rng, 3, 4), 1, True), S(_ints(rng, 3, 4), 1, dtype="float32"),
        S(_bools(rng, 0, 2), 0), S(_ints(rng, 3, 4), dtype="int32"),
    ]


def mean_samples(rng):
    x = randn(rng, 3, 4)
    return _dim_samples(randn, rng) + [
        S(x, 1, dtype="float64"), S(x, dtype="float64"), S(_ints(rng, 3, 4), 0, dtype="float32"),
        S(_arr([[1.0, 2.0], [3.0, 4.0]], np.float64), 0, True)]


def prod_samples(rng):
    out = [S(positive(rng, *s)) for s in SHAPES] + [S(randn(rng, 3, 4))]
    x = randn(rng, 2, 3, 4)
    out += [S(x, 1), S(x, -1, True), S(x, 0), S(randn(rng), 0), S(randn(rng), -1, True),
            S(randn(rng, 0, 3), 0), S(randn(rng, 0, 3), 1), S(randn(rng, 3, 1), 1),
            S(_ints(rng, 3, 4)), S(_ints(rng, 3, 4), 1), S(_bools(rng, 2, 3), 0),
            S(randn(rng, 3, 4), 1, dtype="float64"), S(_ints(rng, 2, 3), dtype="float32")]
    return out


def prod_zero_samples(rng):
    one_zero = _arr([[1.5, 0.0, 2.0, -0.5], [0.7, 1.2, -1.1, 0.9]])
    two_zeros = _arr([[0.0, 2.0, 0.0, 3.0], [1.5, 0.0, 0.0, -2.0]])
    mixed = _arr([[1.0, 0.0, 2.0, 3.0], [0.0, 2.0, 0.0, 4.0], [1.0, 2.0, 3.0, 4.0]])
    return [S(one_zero, note="one zero"), S(_arr([2.0, 0.0, -3.0]), note="one zero 1-d"),
            S(_arr([[1.5, 0.0], [0.0, 2.0]]), note="two zeros"),
            S(_arr([0.0, 0.0, 0.0]), note="all zeros"),
            S(mixed, 1), S(mixed, 0, True), S(one_zero, 1), S(two_zeros, 1), S(two_zeros, -2),
            S(_arr(0.0), 0), S(_arr([[0.0]]), 1)]


# ---------------------------------------------------------------------------- max, min
TIES = _arr([[1.0, 3.0, 3.0, -2.0], [2.0, 2.0, 0.0, 2.0], [5.0, 5.0, 5.0, 5.0]])


def extreme_all_samples(rng):
    return [S(randn(rng, *s)) for s in SHAPES if 0 not in s] + [
        S(_ints(rng, 3, 4)), S(_bools(rng, 3, 4))]


def extreme_ties_samples(rng):
    return [S(TIES), S(_arr([4.0, 4.0])), S(_arr([[-1.0, -1.0], [-1.0, -1.0]])),
            S(_arr([7.0])), S(_arr([1.0, NAN, 3.0, NAN]), note="NaN: the NaNs share the grad"),
            S(_arr([[INF, 1.0], [INF, -INF]]))]


def extreme_dim_samples(rng):
    x = distinct(rng, 2, 3, 4)
    return [S(x, 1), S(x, -1), S(x, 0, True), S(x, -2, keepdim=True),
            S(distinct(rng, 5), 0), S(distinct(rng), 0), S(distinct(rng), -1, True),
            S(distinct(rng, 1, 4), 0), S(distinct(rng, 4, 1), 1), S(distinct(rng, 0, 3), 1),
            S(_ints(rng, 3, 4), 1), S(_distinct_ints(rng, 3, 4), 0), S(_bools(rng, 3, 4), 1)]


def extreme_binary_samples(rng):
    return [S(randn(rng, 3, 4), randn(rng, 3, 4)), S(randn(rng, 3, 4), randn(rng, 4)),
            S(randn(rng, 2, 1, 3), randn(rng, 4, 1)), S(randn(rng), randn(rng, 3))]


def extreme_binary_ties_samples(rng):
    return [S(_arr([1.0, 2.0, 3.0]), _arr([1.0, 0.0, 3.0])),
            S(_arr([[0.5, -1.0]]), _arr([[0.5], [-1.0]]))]


def amax_samples(rng):
    x = distinct(rng, 2, 3, 4)
    return [S(distinct(rng, *s)) for s in SHAPES if 0 not in s] + [
        S(x, 1), S(x, -1), S(x, (0, 2)), S(x, (-1, -3), True), S(x, 1, keepdim=True),
        S(x, [0, 1, 2]), S(distinct(rng), 0), S(distinct(rng), -1, True),
        S(distinct(rng, 0, 3), 1), S(distinct(rng, 1, 4), 0), S(_ints(rng, 3, 4), 1),
        S(_ints(rng, 3, 4)), S(_bools(rng, 3, 4), 0)]


def amax_ties_samples(rng):
    return [S(TIES), S(TIES, 1), S(TIES, 0), S(TIES, -1, True), S(TIES, (0, 1)),
            S(_arr([[2.0, 2.0], [2.0, 2.0]]), 0), S(_arr([-3.0, -3.0, 1.0, -3.0]), 0),
            S(_arr([[1.0, NAN, 3.0], [0.0, 2.0, 2.0]]), 1, note="NaN: nan gradient")]


def arg_extreme_samples(rng):
    x = distinct(rng, 2, 3, 4)
    return [S(distinct(rng, *s)) for s in SHAPES if 0 not in s] + [
        S(x, 1), S(x, -1), S(x, 0, True), S(x, None, True), S(distinct(rng), 0),
        S(distinct(rng), -1, True), S(distinct(rng, 0, 3), 1), S(_ints(rng, 3, 4), 0),
        S(_ints(rng, 3, 4)), S(TIES, 1, note="ties: first index wins"), S(TIES),
        S(_arr([1.0, NAN, 3.0, NAN]), note="NaN wins"), S(_arr([[1.0, NAN], [2.0, 0.5]]), 1)]


# ---------------------------------------------------------------------------- var, std
def var_samples(rng):
    x = randn(rng, 2, 3, 4)
    y = randn(rng, 3, 4)
    return [S(randn(rng, *s)) for s in [(5,), (3, 4), (2, 3, 4)]] + [
        S(x, 1), S(x, -1, keepdim=True), S(x, (0, 2)), S(x, [-1, 0], keepdim=True),
        S(y, 1, correction=0), S(y, 1, correction=1), S(y, 0, correction=2),
        S(y, correction=0), S(y, 1, unbiased=False), S(y, unbiased=False),
        S(y, False, note="positional unbiased=False"), S(y, True), S(y, 1, True, True),
        S(y, 0, False), S(y, None, keepdim=True), S(randn(rng, 1, 4), 1),
        S(randn(rng), correction=0), S(randn(rng, 3, 4).astype(np.float64), 1)]


def var_degenerate_samples(rng):
    # fewer elements than the correction: torch returns inf/nan (and warns)
    return [S(randn(rng, 4, 1), 1), S(randn(rng), 0), S(randn(rng, 0, 3), 0),
            S(randn(rng, 2, 3), 0, correction=2), S(randn(rng, 2, 3), 0, correction=3)]


def var_mean_samples(rng):
    y = randn(rng, 3, 4)
    return [S(randn(rng, 5)), S(y, 1), S(y, -1, keepdim=True), S(y, (0, 1)),
            S(y, 0, correction=0), S(y, 1, correction=2), S(y, False), S(y, 1, True, True),
            S(y, unbiased=False), S(randn(rng, 2, 3, 4), [0, 2])]


# ---------------------------------------------------------------------------- logsumexp
def logsumexp_samples(rng):
    x = randn(rng, 2, 3, 4)
    return [S(randn(rng, 5), 0), S(randn(rng, 3, 4), 1), S(x, -1), S(x, (0, 2)),
            S(x, (0, 1, 2)), S(x, 1, True), S(x, [-1, 0], keepdim=True), S(randn(rng), 0),
            S(randn(rng), -1, True), S(randn(rng, 1, 4), 0), S(randn(rng, 0, 3), 1),
            S(_arr([[1000.0, 1000.5, -1000.0], [-1000.0, -999.0, -1001.0]]), 1,
              note="large magnitudes"),
            S(randn(rng, 3, 4) * 30, 0)]


def logsumexp_special_samples(rng):
    return [S(_arr([[-INF, 0.0, 1.0], [-INF, -INF, 2.0]]), 1, note="-inf entries"),
            S(_arr([[-INF, -INF], [0.5, -INF]]), 0, note="all -inf column"),
            S(randn(rng, 0, 3), 0, note="empty -> -inf"),
            S(_ints(rng, 3, 4), 1, note="int input"), S(_bools(rng, 3), 0)]


# ---------------------------------------------------------------------------- softmax
def softmax_samples(rng):
    x = randn(rng, 2, 3, 4)
    return [S(randn(rng, 5), 0), S(randn(rng, 3, 4), 1), S(randn(rng, 3, 4), 0),
            S(randn(rng, 3, 4), -1), S(x, -2), S(x, -3), S(x, 2), S(randn(rng), 0),
            S(randn(rng), -1), S(randn(rng, 1, 1), 1), S(randn(rng, 4, 1), 1),
            S(randn(rng, 0, 3), 1), S(randn(rng, 0, 3), 0),
            S(_arr([[1000.0, -1000.0, 0.0], [1000.0, 1000.0, 999.0]]), 1, note="+-1000"),
            S(_arr([[1000.0, -1000.0, 0.0], [-1000.0, -1000.0, -999.0]]), 0, note="+-1000"),
            S(randn(rng, 3, 4), 1, dtype="float64"),
            S(_ints(rng, 3, 4), 1, dtype="float64", note="int input with dtype")]


def softmax_dtype_samples(rng):
    # computes in float32: gradcheck's float64 central differences do not apply
    return [S(randn(rng, 3, 4).astype(np.float64), 0, dtype="float32"),
            S(randn(rng, 3, 4), -1, dtype="float32"),
            S(_ints(rng, 3, 4), 1, dtype="float32", note="int input with dtype")]


def softmax_special_samples(rng):
    return [S(_arr([[-INF, 0.0, 1.0], [2.0, -INF, -INF]]), 1, note="-inf logits"),
            S(_arr([[-INF, -INF, 0.0]]), 0, note="column all -inf -> nan")]


# ---------------------------------------------------------------------------- norms
def norm_samples(rng):
    x = randn(rng, 3, 4)
    x3 = randn(rng, 2, 3, 4)
    out = [S(randn(rng, 5)), S(x), S(x3), S(randn(rng))]
    for p in (1, 2, 3, 1.5, INF, -INF, "fro"):
        out += [S(x, p), S(x3, p, 1), S(x3, p, -1, True)]
    out += [S(x3, "fro", (0, 2)), S(x3, 2, (1, 2), True), S(x, 1, (0, 1)), S(x, 0),
            S(x, 0, 1), S(x, -1, 0), S(x, 0.5, 1), S(randn(rng, 1, 1), 2),
            S(randn(rng, 0, 3), 2, 1), S(randn(rng, 0, 3), "fro", 1),
            S(x, 2, 0, False, dtype="float64")]
    return out


def norm_zero_samples(rng):
    # the norm is not differentiable at the origin; torch's subgradient there is 0
    z = _arr([[0.0, 0.0, 0.0], [1.0, -2.0, 0.5]])
    return [S(z, p, 1) for p in (1, 2, 3, 1.5, INF, "fro")] + [
        S(_arr([0.0, 0.0]), 2), S(_arr([0.0, 0.0]), 3), S(z, 2, 1, keepdim=True),
        S(_arr([[3.0, -3.0, 1.0]]), INF, 1, note="ties")]


def vector_norm_samples(rng):
    x = randn(rng, 3, 4)
    x3 = randn(rng, 2, 3, 4)
    out = [S(randn(rng, 5)), S(x), S(x3), S(randn(rng)), S(randn(rng, 0, 3))]
    for p in (1, 2, 3, 0.5, -1, INF, -INF, 0):
        out += [S(x, p), S(x3, p, 1), S(x3, p, (0, 2), True)]
    out += [S(x3, dim=-1), S(x3, 2, [-1, -2]), S(x, keepdim=True), S(x, 2, None, True),
            S(x, 2, 1, dtype="float64"), S(randn(rng, 0, 3), 2, 1), S(randn(rng, 0, 3), 1, 0)]
    return out


def matrix_norm_samples(rng):
    x = randn(rng, 3, 4)
    x3 = randn(rng, 2, 3, 4)
    out = [S(x), S(x3), S(randn(rng, 1, 1))]
    for o in ("fro", 1, -1, INF, -INF):
        out += [S(x, o), S(x3, o), S(x3, o, (0, 2)), S(x3, o, (-1, -2), True),
                S(x3, o, (2, 0))]
    out += [S(x, "fro", (0, 1), dtype="float64"), S(x3, keepdim=True)]
    return out


def linalg_norm_samples(rng):
    x = randn(rng, 3, 4)
    x3 = randn(rng, 2, 3, 4)
    out = [S(randn(rng, 5)), S(x), S(x3), S(randn(rng)), S(x3, keepdim=True)]
    for o in (1, 2, INF, -INF, 3):
        out += [S(randn(rng, 5), o), S(x3, o, 1), S(x3, o, -1, True)]
    for o in ("fro", 1, -1, INF, -INF):
        out += [S(x, o), S(x3, o, (1, 2)), S(x3, o, (0, -1), True)]
    out += [S(x, None, (0, 1)), S(x, None, 0), S(x, dtype="float64")]
    return out


# ---------------------------------------------------------------------------- scans
def cumsum_samples(rng):
    x = randn(rng, 2, 3, 4)
    return [S(x, 0), S(x, 1), S(x, -1), S(randn(rng, 5), 0), S(randn(rng), 0),
            S(randn(rng), -1), S(randn(rng, 0, 3), 0), S(randn(rng, 0, 3), 1),
            S(randn(rng, 1, 1), 1), S(_ints(rng, 3, 4), 1), S(_bools(rng, 3, 4), 0),
            S(randn(rng, 3, 4), 1, dtype="float64"), S(_ints(rng, 3, 4), 0, dtype="float32"),
            S(_ints(rng, 3, 4, dtype=np.int8), 1)]


def cumprod_samples(rng):
    x = randn(rng, 2, 3, 4)
    return [S(x, 0), S(x, 1), S(x, -1), S(randn(rng, 5), 0), S(randn(rng), 0),
            S(randn(rng), -1), S(randn(rng, 0, 3), 0), S(randn(rng, 0, 3), 1),
            S(randn(rng, 1, 1), 1), S(_ints(rng, 3, 4), 1), S(_bools(rng, 3, 4), 0),
            S(randn(rng, 3, 4), 1, dtype="float64"), S(_ints(rng, 3, 4, dtype=np.int8), 1),
            S(_arr([[1.5, 0.0, 2.0, -0.5], [0.0, 1.2, 0.0, 0.9]]), 1, note="zeros"),
            S(_arr([[1.5, 0.0, 2.0, -0.5], [0.0, 1.2, 0.0, 0.9]]), 0, note="zeros"),
            S(_arr([0.0, 0.0, 2.0]), 0, note="two zeros"), S(_arr([3.0, 2.0, 0.0]), -1),
            S(_with_zeros(rng, 2, 3, 4), 2, note="zeros"), S(_arr(0.0), 0)]


def logcumsumexp_samples(rng):
    x = randn(rng, 2, 3, 4)
    return [S(x, 0), S(x, 1), S(x, -1), S(randn(rng, 5), 0), S(randn(rng), 0),
            S(randn(rng, 0, 3), 1), S(randn(rng, 1, 1), 1),
            S(_arr([[1000.0, -1000.0, 999.0], [-1000.0, -999.0, 1000.0]]), 1, note="large"),
            S(randn(rng, 3, 4) * 20, 0)]


def logcumsumexp_special_samples(rng):
    return [S(_arr([[-INF, 0.0, 1.0], [-INF, -INF, 2.0]]), 1, note="-inf entries"),
            S(_arr([[0.0, -INF], [-INF, -INF]]), 0)]


# ---------------------------------------------------------------------------- logical
def bool_reduce_samples(rng):
    b = _bools(rng, 2, 3, 4)
    f = _with_zeros(rng, 3, 4, frac=0.2)
    return [S(_bools(rng, *s)) for s in SHAPES] + [
        S(b, 1), S(b, -1, True), S(b, (0, 2)), S(b, (0, -1), keepdim=True), S(b, None, True),
        S(f), S(f, 1), S(_ints(rng, 3, 4), 0), S(np.ones((3, 4), bool), 1),
        S(np.zeros((3, 4), bool), 0), S(rng.integers(0, 3, (3, 4)).astype(np.uint8), 1),
        S(rng.integers(0, 3, (3, 4)).astype(np.uint8)), S(_bools(rng), 0),
        S(_bools(rng, 0, 3), 0), S(_bools(rng, 0, 3), 1), S(_arr([NAN, 0.0]))]


def count_nonzero_samples(rng):
    f = _with_zeros(rng, 2, 3, 4)
    return [S(_with_zeros(rng, *s)) for s in SHAPES] + [
        S(f, 1), S(f, -1), S(f, (0, 2)), S(f, [2, 1]), S(_ints(rng, 3, 4), 0),
        S(_bools(rng, 3, 4), 1), S(_bools(rng, 3, 4)), S(_with_zeros(rng, 0, 3), 0),
        S(_arr([NAN, 0.0, -0.0]))]


# ---------------------------------------------------------------------------- nan-aware
def nan_samples(rng):
    x = randn(rng, 3, 4)
    x[0, 1] = x[2, 0] = x[2, 3] = NAN
    x3 = randn(rng, 2, 3, 4)
    x3[1, 2, :] = NAN
    x3[0, 0, 1] = NAN
    return [S(randn(rng, *s)) for s in SHAPES] + [
        S(x), S(x, 1), S(x, 0, True), S(x3, (0, 2)), S(x3, -1), S(x3, -1, keepdim=True),
        S(randn(rng), 0), S(_arr([NAN, NAN]), note="all NaN")]


def nansum_samples(rng):
    return nan_samples(rng) + [S(_ints(rng, 3, 4), 1), S(_bools(rng, 3, 4)),
                               S(randn(rng, 3, 4), 1, dtype="float64")]


def nanmean_samples(rng):
    return nan_samples(rng) + [S(randn(rng, 3, 4), 1, dtype="float64")]


# ---------------------------------------------------------------------------- order statistics
def median_all_samples(rng):
    return [S(distinct(rng, *s)) for s in [(), (5,), (4,), (3, 4), (3, 3), (2, 3, 4), (1, 1)]] + [
        S(_ints(rng, 7)), S(_ints(rng, 2, 3))]


def median_ties_samples(rng):
    return [S(_arr([1.0, 2.0, 2.0, 2.0, 3.0])), S(_arr([[4.0, 1.0], [1.0, 4.0]])),
            S(_arr([5.0, 5.0, 5.0])), S(TIES), S(_arr([1.0, NAN, 3.0, NAN, 2.0]), note="NaN"),
            S(_arr([[INF, -INF], [INF, 0.0]]))]


NAN_ROWS = _arr([[1.0, NAN, 3.0, 2.0], [NAN, 4.0, 1.0, NAN], [0.5, 0.1, 0.2, 0.3]])


def median_dim_special_samples(rng):
    return [S(NAN_ROWS, 1, note="NaN propagates"), S(NAN_ROWS, 0, True),
            S(_arr([[1.0, INF, -INF, 0.0, 2.0]]), -1)]


def topk_special_samples(rng):
    return [S(NAN_ROWS, 2, 1, note="NaN is the largest"), S(NAN_ROWS, 2, 1, False),
            S(_arr([[1.0, INF, -INF, 0.0, 2.0]]), 3)]


def kthvalue_special_samples(rng):
    return [S(NAN_ROWS, 4, 1, note="NaN is the largest"), S(NAN_ROWS, 3, 1), S(NAN_ROWS, 2, 0),
            S(_arr([[1.0, INF, -INF, 0.0, 2.0]]), 1)]


def median_dim_samples(rng):
    return [S(distinct(rng, 2, 3, 5), -1), S(distinct(rng, 2, 4, 3), 1),
            S(distinct(rng, 3, 4), 1), S(distinct(rng, 3, 4), 0), S(distinct(rng, 3, 4), 0, True),
            S(distinct(rng, 6), -1, keepdim=True), S(distinct(rng), 0), S(distinct(rng), -1, True),
            S(distinct(rng, 1, 4), 0), S(distinct(rng, 4, 1), 1), S(distinct(rng, 0, 3), 1),
            S(_distinct_ints(rng, 3, 5), 1), S(_distinct_ints(rng, 4, 2), 0)]


def topk_samples(rng):
    x = distinct(rng, 3, 6)
    x3 = distinct(rng, 2, 5, 3)
    return [S(x, 2), S(x, 6), S(x, 0), S(x, 1, 0), S(x, 3, -2), S(x, 2, largest=False),
            S(x, 4, 1, False, True), S(x3, 2, 1), S(x3, 3, -1, largest=False),
            S(distinct(rng, 7), 3), S(distinct(rng), 1), S(distinct(rng), 0),
            S(distinct(rng, 0, 3), 2, 1), S(distinct(rng, 0, 3), 0, 0),
            S(_distinct_ints(rng, 3, 6), 2),
            S(distinct(rng, 3, 6), 2, sorted=True)]


def sort_samples(rng):
    x = distinct(rng, 3, 6)
    x3 = distinct(rng, 2, 5, 3)
    return [S(x), S(x, 0), S(x, descending=True), S(x, 0, True), S(x3, 1), S(x3, -3, True),
            S(distinct(rng, 7)), S(distinct(rng)), S(distinct(rng), 0, True),
            S(distinct(rng, 0, 3)), S(distinct(rng, 0, 3), 0), S(distinct(rng, 1, 1), 1),
            S(_distinct_ints(rng, 3, 6), 1, True), S(_distinct_ints(rng, 4, 3), 0)]


def sort_special_samples(rng):
    # stable=True makes torch's order among equal values defined: the original order
    return [S(_arr([[1.0, NAN, -2.0, INF, -INF]]), note="nan sorts last"),
            S(_arr([[1.0, NAN, -2.0, INF, -INF]]), descending=True),
            S(_arr([[INF, NAN, 2.0, NAN, INF]]), 1, True),
            S(TIES, stable=True, note="ties"), S(TIES, stable=True, descending=True),
            S(TIES, stable=True, dim=0, descending=True), S(_ints(rng, 3, 6), stable=True),
            S(_ints(rng, 4, 5), stable=True, dim=0, descending=True),
            S(_bools(rng, 3, 4), stable=True), S(_bools(rng, 3, 4), stable=True, descending=True),
            S(_arr([[1.0, NAN, 1.0, NAN, INF]]), stable=True, descending=True),
            S(_arr([[1.0, NAN, 1.0, NAN, INF]]), stable=True)]


def kthvalue_samples(rng):
    x = distinct(rng, 3, 6)
    x3 = distinct(rng, 2, 5, 3)
    return [S(x, 1), S(x, 6), S(x, 3), S(x, 2, 0), S(x, 3, 0, True), S(x3, 4, 1),
            S(x3, 2, -1, keepdim=True), S(distinct(rng, 7), 4), S(distinct(rng), 1),
            S(distinct(rng), 1, 0, True), S(distinct(rng, 0, 3), 2, 1),
            S(_distinct_ints(rng, 3, 6), 2)]


def aminmax_samples(rng):
    x = distinct(rng, 2, 3, 4)
    return [S(distinct(rng, *s)) for s in SHAPES if 0 not in s] + [
        S(x, dim=1), S(x, dim=-1, keepdim=True), S(x, dim=0), S(distinct(rng), dim=0),
        S(distinct(rng, 0, 3), dim=1), S(_ints(rng, 3, 4), dim=1), S(_ints(rng, 3, 4)),
        S(_bools(rng, 3, 4), dim=0)]


def aminmax_ties_samples(rng):
    return [S(TIES), S(TIES, dim=1), S(TIES, dim=0, keepdim=True)]


def median_empty_samples(rng):
    return [S(randn(rng, 0)), S(randn(rng, 2, 0)), S(_arr(NAN))]


# ---------------------------------------------------------------------------- the table
SPECS = [
    # -- sum / mean / prod
    OpSpec("sum", lambda m, x, *a, **k: m.sum(x, *a, **_dt(m, k)), sum_samples, method="sum",
           errors=DIM_ERRORS + DUP_ERRORS
           + [ErrorCase((_X3, (0, 2, -1)), exc=RuntimeError, match="multiple")]),
    OpSpec("nansum", lambda m, x, *a, **k: m.nansum(x, *a, **_dt(m, k)), nansum_samples,
           method="nansum", gradcheck=False,  # NaN inputs: the numeric Jacobian is undefined
           errors=DIM_ERRORS),
    OpSpec("mean", lambda m, x, *a, **k: m.mean(x, *a, **_dt(m, k)), mean_samples, method="mean",
           errors=DIM_ERRORS + DUP_ERRORS + [ErrorCase((_I23,), exc=RuntimeError),
                                             ErrorCase((_I23, 1), exc=RuntimeError)]),
    OpSpec("nanmean", lambda m, x, *a, **k: m.nanmean(x, *a, **_dt(m, k)), nanmean_samples,
           method="nanmean", gradcheck=False,  # NaN inputs: the numeric Jacobian is undefined
           errors=DIM_ERRORS + [ErrorCase((_I23,), exc=RuntimeError)]),
    OpSpec("prod", lambda m, x, *a, **k: m.prod(x, *a, **_dt(m, k)), prod_samples, method="prod",
           errors=DIM_ERRORS),
    OpSpec("prod_zeros", lambda m, x, *a, **k: m.prod(x, *a, **k), prod_zero_samples,
           method="prod"),
    # -- max / min / amax / amin / argmax / argmin / aminmax
    OpSpec("max", lambda m, x: m.max(x), extreme_all_samples, method="max",
           errors=[ErrorCase((_EMPTY,), exc=RuntimeError)]),
    OpSpec("min", lambda m, x: m.min(x), extreme_all_samples, method="min",
           errors=[ErrorCase((_EMPTY,), exc=RuntimeError)]),
    # ties sit on a kink: compared with torch's even split, not gradchecked
    OpSpec("max_ties", lambda m, x: m.max(x), extreme_ties_samples, method="max",
           gradcheck=False),
    OpSpec("min_ties", lambda m, x: m.min(x), extreme_ties_samples, method="min",
           gradcheck=False),
    OpSpec("max_dim", lambda m, x, *a, **k: m.max(x, *a, **k), extreme_dim_samples, method="max",
           errors=DIM_ERRORS + [ErrorCase((_EMPTY, 0), exc=IndexError)]),
    OpSpec("min_dim", lambda m, x, *a, **k: m.min(x, *a, **k), extreme_dim_samples, method="min",
           errors=DIM_ERRORS + [ErrorCase((_EMPTY, 0), exc=IndexError)]),
    OpSpec("max_binary", lambda m, x, y: m.max(x, y), extreme_binary_samples, method="max"),
    OpSpec("min_binary", lambda m, x, y: m.min(x, y), extreme_binary_samples, method="min"),
    OpSpec("max_binary_ties", lambda m, x, y: m.max(x, y), extreme_binary_ties_samples,
           method="max", gradcheck=False),
    OpSpec("min_binary_ties", lambda m, x, y: m.min(x, y), extreme_binary_ties_samples,
           method="min", gradcheck=False),
    OpSpec("amax", lambda m, x, *a, **k: m.amax(x, *a, **k), amax_samples, method="amax",
           errors=DIM_ERRORS + DUP_ERRORS + [
               ErrorCase((_EMPTY,), exc=RuntimeError),
               ErrorCase((_EMPTY, 0), exc=IndexError)]),
    OpSpec("amin", lambda m, x, *a, **k: m.amin(x, *a, **k), amax_samples, method="amin",
           errors=DIM_ERRORS + DUP_ERRORS + [
               ErrorCase((_EMPTY,), exc=RuntimeError),
               ErrorCase((_EMPTY, 0), exc=IndexError)]),
    OpSpec("amax_ties", lambda m, x, *a, **k: m.amax(x, *a, **k), amax_ties_samples,
           method="amax", gradcheck=False),
    OpSpec("amin_ties", lambda m, x, *a, **k: m.amin(x, *a, **k), amax_ties_samples,
           method="amin", gradcheck=False),
    OpSpec("argmax", lambda m, x, *a, **k: m.argmax(x, *a, **k), arg_extreme_samples,
           method="argmax", differentiable=False,
           errors=DIM_ERRORS + [ErrorCase((_EMPTY,), exc=IndexError),
                                ErrorCase((_EMPTY, 0), exc=IndexError),
                                ErrorCase((np.ones((2, 3), bool), 1), exc=RuntimeError)]),
    OpSpec("argmin", lambda m, x, *a, **k: m.argmin(x, *a, **k), arg_extreme_samples,
           method="argmin", differentiable=False,
           errors=DIM_ERRORS + [ErrorCase((_EMPTY,), exc=IndexError),
                                ErrorCase((_EMPTY, 0), exc=IndexError),
                                ErrorCase((np.ones((2, 3), bool),), exc=RuntimeError)]),
    OpSpec("aminmax", lambda m, x, **k: m.aminmax(x, **k), aminmax_samples, method="aminmax",
           errors=[ErrorCase((_X23,), {"dim": 2}, exc=IndexError),
                   ErrorCase((_EMPTY,), exc=RuntimeError),
                   ErrorCase((_EMPTY,), {"dim": 0}, exc=IndexError)]),
    OpSpec("aminmax_ties", lambda m, x, **k: m.aminmax(x, **k), aminmax_ties_samples,
           method="aminmax", gradcheck=False),
    # -- statistics
    OpSpec("var", lambda m, x, *a, **k: m.var(x, *a, **k), var_samples, method="var",
           errors=DIM_ERRORS + DUP_ERRORS + [ErrorCase((_I23,), exc=RuntimeError)]),
    OpSpec("std", lambda m, x, *a, **k: m.std(x, *a, **k), var_samples, method="std",
           errors=DIM_ERRORS + [ErrorCase((_I23,), exc=RuntimeError)]),
    # too few elements for the correction: inf/nan values and gradients, compared with torch
    OpSpec("var_degenerate", lambda m, x, *a, **k: m.var(x, *a, **k), var_degenerate_samples,
           method="var", gradcheck=False),
    OpSpec("std_degenerate", lambda m, x, *a, **k: m.std(x, *a, **k), var_degenerate_samples,
           method="std", gradcheck=False),
    OpSpec("var_mean", lambda m, x, *a, **k: m.var_mean(x, *a, **k), var_mean_samples,
           errors=DIM_ERRORS + [ErrorCase((_I23,), exc=RuntimeError)]),
    OpSpec("std_mean", lambda m, x, *a, **k: m.std_mean(x, *a, **k), var_mean_samples,
           errors=DIM_ERRORS + [ErrorCase((_I23,), exc=RuntimeError)]),
    # -- logsumexp / softmax
    OpSpec("logsumexp", lambda m, x, *a, **k: m.logsumexp(x, *a, **k), logsumexp_samples,
           method="logsumexp", errors=DIM_ERRORS + DUP_ERRORS),
    OpSpec("logsumexp_special", lambda m, x, *a, **k: m.logsumexp(x, *a, **k),
           logsumexp_special_samples, method="logsumexp", gradcheck=False),
    OpSpec("softmax", lambda m, x, *a, **k: m.softmax(x, *a, **_dt(m, k)), softmax_samples,
           method="softmax", errors=DIM_ERRORS + [ErrorCase((_I23, 1), exc=NotImplementedError)]),
    OpSpec("softmax_dtype", lambda m, x, *a, **k: m.softmax(x, *a, **_dt(m, k)),
           softmax_dtype_samples, method="softmax", gradcheck=False),
    OpSpec("softmax_special", lambda m, x, *a, **k: m.softmax(x, *a, **k),
           softmax_special_samples, method="softmax", gradcheck=False),
    OpSpec("log_softmax", lambda m, x, *a, **k: m.log_softmax(x, *a, **_dt(m, k)),
           softmax_samples, method="log_softmax",
           errors=DIM_ERRORS + [ErrorCase((_I23, 1), exc=NotImplementedError)]),
    OpSpec("log_softmax_dtype", lambda m, x, *a, **k: m.log_softmax(x, *a, **_dt(m, k)),
           softmax_dtype_samples, method="log_softmax", gradcheck=False),
    OpSpec("log_softmax_special", lambda m, x, *a, **k: m.log_softmax(x, *a, **k),
           softmax_special_samples, method="log_softmax", gradcheck=False),
    OpSpec("softmin", lambda m, x, *a, **k: m.softmin(x, *a, **_dt(m, k)), softmax_samples,
           torch_op=lambda m, x, *a, **k: m.nn.functional.softmin(x, *a, **_dt(m, k))),
    # -- norms
    OpSpec("norm", lambda m, x, *a, **k: m.norm(x, *a, **_dt(m, k)), norm_samples, method="norm",
           errors=[ErrorCase((_X23, 2, 2), exc=IndexError), ErrorCase((_I23,), exc=RuntimeError),
                   ErrorCase((_X23, "fro", (1, -1)), exc=RuntimeError)]),
    OpSpec("norm_zero", lambda m, x, *a, **k: m.norm(x, *a, **k), norm_zero_samples,
           method="norm", gradcheck=False),  # at the origin: a kink
    # deepgrad.linalg is imported as a module: see test_deepgrad_linalg_attribute_is_the_module
    OpSpec("linalg.vector_norm",
           lambda m, x, *a, **k: _linalg(m).vector_norm(x, *a, **_dt(m, k)),
           vector_norm_samples,
           errors=[ErrorCase((_X23, 2, 2), exc=IndexError), ErrorCase((_I23,), exc=RuntimeError),
                   ErrorCase((_EMPTY, INF, 0), exc=RuntimeError),
                   ErrorCase((_EMPTY, -1, 0), exc=RuntimeError)]),
    OpSpec("linalg.matrix_norm",
           lambda m, x, *a, **k: _linalg(m).matrix_norm(x, *a, **_dt(m, k)),
           matrix_norm_samples,
           errors=[ErrorCase((randn(np.random.default_rng(0), 4),), exc=RuntimeError),
                   ErrorCase((_X3, "fro", (0, 3)), exc=IndexError),
                   ErrorCase((_X3, "fro", (1, 1)), exc=RuntimeError)]),
    OpSpec("linalg.norm", lambda m, x, *a, **k: _linalg(m).norm(x, *a, **_dt(m, k)),
           linalg_norm_samples,
           errors=[ErrorCase((_X3, 1), exc=RuntimeError), ErrorCase((_X23, 2, 2), exc=IndexError),
                   ErrorCase((_I23,), exc=RuntimeError)]),
    # -- scans
    OpSpec("cumsum", lambda m, x, *a, **k: m.cumsum(x, *a, **_dt(m, k)), cumsum_samples,
           method="cumsum", errors=DIM_ERRORS),
    OpSpec("cumprod", lambda m, x, *a, **k: m.cumprod(x, *a, **_dt(m, k)), cumprod_samples,
           method="cumprod", errors=DIM_ERRORS),
    # no method=: Tensor.logcumsumexp is not bound yet (ops/__init__.py's _METHODS list)
    OpSpec("logcumsumexp", lambda m, x, *a: m.logcumsumexp(x, *a), logcumsumexp_samples,
           errors=DIM_ERRORS + [ErrorCase((_I23, 1), exc=NotImplementedError)]),
    OpSpec("logcumsumexp_special", lambda m, x, *a: m.logcumsumexp(x, *a),
           logcumsumexp_special_samples, gradcheck=False),
    # -- logical
    OpSpec("all", lambda m, x, *a, **k: m.all(x, *a, **k), bool_reduce_samples, method="all",
           differentiable=False, errors=DIM_ERRORS),
    OpSpec("any", lambda m, x, *a, **k: m.any(x, *a, **k), bool_reduce_samples, method="any",
           differentiable=False, errors=DIM_ERRORS),
    OpSpec("count_nonzero", lambda m, x, *a: m.count_nonzero(x, *a), count_nonzero_samples,
           method="count_nonzero", differentiable=False, errors=DIM_ERRORS + DUP_ERRORS),
    # -- order statistics
    OpSpec("median", lambda m, x: m.median(x), median_all_samples, method="median"),
    OpSpec("median_ties", lambda m, x: m.median(x), median_ties_samples, method="median",
           gradcheck=False),
    OpSpec("median_empty", lambda m, x: m.median(x), median_empty_samples, method="median",
           gradcheck=False),
    OpSpec("median_dim", lambda m, x, *a, **k: m.median(x, *a, **k), median_dim_samples,
           method="median",
           errors=DIM_ERRORS + [ErrorCase((_EMPTY, 0), exc=IndexError)]),
    OpSpec("median_dim_special", lambda m, x, *a, **k: m.median(x, *a, **k),
           median_dim_special_samples, method="median", gradcheck=False),
    OpSpec("topk", lambda m, x, *a, **k: m.topk(x, *a, **k), topk_samples, method="topk",
           errors=[ErrorCase((_X23, 4), exc=RuntimeError), ErrorCase((_X23, -1), exc=RuntimeError),
                   ErrorCase((_X23, 3, 0), exc=RuntimeError),
                   ErrorCase((_X23, 1, 2), exc=IndexError)]),
    OpSpec("topk_special", lambda m, x, *a, **k: m.topk(x, *a, **k), topk_special_samples,
           method="topk", gradcheck=False),
    OpSpec("sort", lambda m, x, *a, **k: m.sort(x, *a, **k), sort_samples, method="sort",
           errors=DIM_ERRORS),
    OpSpec("sort_special", lambda m, x, *a, **k: m.sort(x, *a, **k), sort_special_samples,
           method="sort", gradcheck=False),  # ties and infinities: no central differences
    OpSpec("argsort", lambda m, x, *a, **k: m.argsort(x, *a, **k), sort_samples,
           method="argsort", differentiable=False, errors=DIM_ERRORS),
    OpSpec("argsort_special", lambda m, x, *a, **k: m.argsort(x, *a, **k), sort_special_samples,
           method="argsort", differentiable=False),
    OpSpec("msort", lambda m, x: m.msort(x), lambda rng: [S(distinct(rng, 4, 3)),
                                                          S(distinct(rng, 5))], method="msort"),
    OpSpec("kthvalue", lambda m, x, *a, **k: m.kthvalue(x, *a, **k), kthvalue_samples,
           method="kthvalue",
           errors=[ErrorCase((_X23, 4), exc=RuntimeError), ErrorCase((_X23, 0), exc=RuntimeError),
                   ErrorCase((_X23, 1, 2), exc=IndexError)]),
    OpSpec("kthvalue_special", lambda m, x, *a, **k: m.kthvalue(x, *a, **k),
           kthvalue_special_samples, method="kthvalue", gradcheck=False),
]
