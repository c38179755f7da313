"""Op table: linalg ops (matmul and its 2-D/batched/vector forms, einsum, addmm, tensordot)."""
import numpy as np

from .harness import ErrorCase, OpSpec, Raw, Sample, randn


def _s(*args, note="", **kwargs):
    return Sample(args, kwargs, note=note)


def _err_input(*shape, dtype=np.float32):
    return randn(np.random.default_rng(0), *shape, dtype=dtype)


def _pairs(*shape_pairs):
    def samples(rng):
        return [_s(randn(rng, *a), randn(rng, *b)) for a, b in shape_pairs]
    return samples


_MATMUL_PAIRS = [
    ((3,), (3,)), ((3,), (3, 4)), ((2, 3), (3,)), ((2, 3), (3, 4)),
    ((2, 2, 3), (3, 4)), ((3,), (2, 3, 4)), ((2, 3, 4), (4,)), ((2, 3, 4), (2, 4, 5)),
    ((2, 3), (2, 3, 4)), ((2, 1, 3, 4), (5, 4, 2)), ((1, 3, 4), (2, 2, 4, 5)),
    ((2, 3, 2, 4), (3, 4, 1)), ((4,), (2, 3, 4, 2)), ((2, 3, 1, 4), (4,)),
    ((0, 3), (3, 4)), ((3, 0), (0, 4)), ((2, 0, 3), (3, 2)), ((1, 1), (1, 1)),
]


def _matmul_samples(rng):
    return [_s(randn(rng, *a), randn(rng, *b)) for a, b in _MATMUL_PAIRS] + [
        _s(randn(rng, 2, 3, dtype=np.float64), randn(rng, 3, 2, dtype=np.float64)),
        _s(np.arange(6).reshape(2, 3), np.arange(12).reshape(3, 4), note="int64"),
        _s(np.arange(3), np.arange(3), note="int64 dot"),
    ]


def _matmul_large_samples(rng):
    return [_s(randn(rng, 33, 64), randn(rng, 64, 17)),
            _s(randn(rng, 4, 16, 48), randn(rng, 48, 20)),
            _s(randn(rng, 3, 1, 8, 40), randn(rng, 5, 40, 9))]


_MATMUL_ERRORS = [
    ErrorCase((_err_input(4, 5), _err_input(3, 6)), match="(4, 5)"),
    ErrorCase((_err_input(4, 5), _err_input(3, 6)), match="(3, 6)"),
    ErrorCase((_err_input(4, 5), _err_input(3, 6)), match="matmul"),
    ErrorCase((_err_input(2, 3, 4), _err_input(3, 4, 5)), match="(2, 3, 4)"),
    ErrorCase((_err_input(5), _err_input(4)), match="matmul"),
    ErrorCase((_err_input(2, 5), _err_input(4)), match="(2, 5)"),
    ErrorCase((_err_input(), _err_input(3))),
    ErrorCase((_err_input(2, 3), _err_input(3, 2, dtype=np.float64))),
]


def _addmm_samples(rng):
    return [
        _s(randn(rng, 2, 4), randn(rng, 2, 3), randn(rng, 3, 4)),
        _s(randn(rng, 4), randn(rng, 2, 3), randn(rng, 3, 4), note="broadcast input"),
        _s(randn(rng, 2, 1), randn(rng, 2, 3), randn(rng, 3, 4), beta=0.5, alpha=2.0),
        _s(randn(rng, 2, 4), randn(rng, 2, 3), randn(rng, 3, 4), beta=0),
        _s(np.full((2, 4), np.nan, np.float32), randn(rng, 2, 3), randn(rng, 3, 4), beta=0,
           alpha=-1.5, note="beta=0 ignores NaN in input"),
        _s(randn(rng), randn(rng, 2, 3), randn(rng, 3, 4), alpha=0),
    ]


def _baddbmm_samples(rng):
    return [
        _s(randn(rng, 2, 3, 5), randn(rng, 2, 3, 4), randn(rng, 2, 4, 5)),
        _s(randn(rng, 3, 5), randn(rng, 2, 3, 4), randn(rng, 2, 4, 5), note="broadcast input"),
        _s(randn(rng, 1, 1, 5), randn(rng, 2, 3, 4), randn(rng, 2, 4, 5), beta=-1.0,
           alpha=0.5),
        _s(randn(rng, 2, 3, 5), randn(rng, 2, 3, 4), randn(rng, 2, 4, 5), beta=0),
        _s(np.full((2, 3, 5), np.inf, np.float32), randn(rng, 2, 3, 4), randn(rng, 2, 4, 5),
           beta=0, alpha=3.0, note="beta=0 ignores inf in input"),
    ]


_EINSUM_CASES = [
    ("ij,jk->ik", (2, 3), (3, 4)),
    ("bij,bjk->bik", (2, 3, 4), (2, 4, 5)),
    ("ij,jk", (2, 3), (3, 4)),  # implicit output
    ("ba", (2, 3)),  # implicit output is alphabetical: a transpose
    ("ij->ji", (2, 3)),
    ("ij->", (2, 3)),
    ("ijk->j", (2, 3, 4)),
    ("i,j->ij", (3,), (4,)),  # outer product
    ("i,j", (3,), (4,)),
    ("ij,k->ijk", (2, 3), (4,)),
    ("i,i->", (5,), (5,)),
    ("ijk,jl->il", (2, 3, 4), (3, 5)),  # k only in the first operand: summed
    ("ij,kl->", (2, 3), (4, 5)),
    ("bhqd,bhkd->bhqk", (2, 3, 4, 5), (2, 3, 6, 5)),  # attention scores
    ("...ij,...jk->...ik", (2, 3, 4), (2, 4, 5)),
    ("...ij,...jk->...ik", (2, 1, 3, 4), (5, 4, 2)),  # ellipsis dims broadcast
    ("...ij,jk", (2, 2, 3, 4), (4, 5)),
    ("i...->...", (3, 2, 4)),
    ("...,...->...", (3, 4), (4,)),
    ("ij,jk,kl->il", (2, 3), (3, 4), (4, 5)),
    ("i,ij,j->", (3,), (3, 4), (4,)),
    ("ij , jk -> ik", (2, 3), (3, 4)),  # spaces
    ("ii->i", (3, 3)),  # diagonal
    ("ii", (4, 4)),  # trace
    ("bii->b", (2, 3, 3)),
    ("iij,jk->ik", (3, 3, 2), (2, 4)),
]


def _einsum_samples(rng):
    return [_s(Raw(eq), *[randn(rng, *s) for s in shapes], note=eq)
            for eq, *shapes in _EINSUM_CASES]


def _tensordot_samples(rng):
    return [
        _s(randn(rng, 2, 3, 4), randn(rng, 3, 4, 5)),
        _s(randn(rng, 2, 3, 4), randn(rng, 4, 5), dims=1),
        _s(randn(rng, 2, 3), randn(rng, 4, 5), dims=0),
        _s(randn(rng, 2, 3, 4), randn(rng, 4, 3, 5), dims=([1, 2], [1, 0])),
        _s(randn(rng, 2, 3, 4), randn(rng, 5, 2), dims=([0], [1])),
        _s(randn(rng, 2, 3, 4), randn(rng, 4, 2), dims=[[-1, 0], [0, -1]]),
    ]


def _inner_samples(rng):
    return [_s(randn(rng, 3), randn(rng, 3)),
            _s(randn(rng, 2, 3), randn(rng, 4, 3)),
            _s(randn(rng, 2, 1, 3), randn(rng, 3)),
            _s(randn(rng), randn(rng, 2, 3), note="0-d multiplies")]


SPECS = [
    OpSpec("matmul", lambda m, a, b: m.matmul(a, b), _matmul_samples, method="matmul",
           errors=_MATMUL_ERRORS),
    OpSpec("matmul_operator", lambda m, a, b: a @ b, _pairs(*_MATMUL_PAIRS[:8])),
    # sums of 64 float32 products: rounding differs from torch's GEMM by more than 1e-5
    OpSpec("matmul_large", lambda m, a, b: m.matmul(a, b), _matmul_large_samples,
           atol=1e-4, rtol=1e-4),
    OpSpec("mm", lambda m, a, b: m.mm(a, b), _pairs(((2, 3), (3, 4)), ((1, 5), (5, 1)),
                                                   ((0, 2), (2, 3)), ((3, 0), (0, 2))),
           method="mm",
           errors=[ErrorCase((_err_input(2, 3, 4), _err_input(4, 5))),
                   ErrorCase((_err_input(3), _err_input(3, 4))),
                   ErrorCase((_err_input(2, 3), _err_input(4, 5)))]),
    OpSpec("bmm", lambda m, a, b: m.bmm(a, b), _pairs(((2, 3, 4), (2, 4, 5)),
                                                     ((1, 2, 3), (1, 3, 1))),
           method="bmm",
           errors=[ErrorCase((_err_input(2, 3, 4), _err_input(3, 4, 5))),
                   ErrorCase((_err_input(3, 4), _err_input(4, 5))),
                   ErrorCase((_err_input(2, 3, 4), _err_input(2, 5, 4)))]),
    OpSpec("mv", lambda m, a, v: m.mv(a, v), _pairs(((2, 3), (3,)), ((1, 4), (4,))),
           method="mv",
           errors=[ErrorCase((_err_input(2, 3), _err_input(4))),
                   ErrorCase((_err_input(2, 3), _err_input(3, 1)))]),
    OpSpec("dot", lambda m, a, b: m.dot(a, b), _pairs(((3,), (3,)), ((1,), (1,)), ((0,), (0,))),
           method="dot",
           errors=[ErrorCase((_err_input(3), _err_input(4))),
                   ErrorCase((_err_input(2, 3), _err_input(3))),
                   ErrorCase((_err_input(3), _err_input(3, dtype=np.float64)))]),
    # no method="vdot": Tensor.vdot is not bound (ops/__init__.py's method list lacks it)
    OpSpec("vdot", lambda m, a, b: m.vdot(a, b), _pairs(((4,), (4,)))),
    OpSpec("inner", lambda m, a, b: m.inner(a, b), _inner_samples, method="inner",
           errors=[ErrorCase((_err_input(2, 3), _err_input(2, 4)))]),
    OpSpec("outer", lambda m, a, b: m.outer(a, b), _pairs(((3,), (4,)), ((1,), (2,)),
                                                         ((0,), (3,))),
           method="outer",
           errors=[ErrorCase((_err_input(2, 3), _err_input(3))),
                   ErrorCase((_err_input(3), _err_input()))]),
    OpSpec("ger", lambda m, a, b: m.ger(a, b), _pairs(((3,), (4,))), method="ger"),
    OpSpec("einsum", lambda m, eq, *ops: m.einsum(eq, *ops), _einsum_samples,
           errors=[ErrorCase((Raw("ij,jk->ik"), _err_input(2, 3))),
                   ErrorCase((Raw("ij,jk->ik"), _err_input(2, 3), _err_input(4, 5))),
                   ErrorCase((Raw("ijk,jk->i"), _err_input(2, 3), _err_input(3, 4))),
                   ErrorCase((Raw("ij,jk"), _err_input(2, 3),
                              _err_input(3, 4, dtype=np.float64)))]),
    OpSpec("einsum_operand_list", lambda m, eq, a, b: m.einsum(eq, [a, b]),
           lambda rng: [_s(Raw("ij,jk"), randn(rng, 2, 3), randn(rng, 3, 4))]),
    OpSpec("tensordot", lambda m, a, b, **kw: m.tensordot(a, b, **kw), _tensordot_samples),
    OpSpec("addmm", lambda m, x, a, b, **kw: m.addmm(x, a, b, **kw), _addmm_samples,
           method="addmm",
           errors=[ErrorCase((_err_input(2, 4), _err_input(2, 3), _err_input(4, 4))),
                   ErrorCase((_err_input(2, 4), _err_input(2, 3, 1), _err_input(3, 4)))]),
    OpSpec("baddbmm", lambda m, x, a, b, **kw: m.baddbmm(x, a, b, **kw), _baddbmm_samples,
           method="baddbmm",
           errors=[ErrorCase((_err_input(2, 3, 5), _err_input(2, 3, 4), _err_input(3, 4, 5)))]),
    OpSpec("addmv", lambda m, x, a, v, **kw: m.addmv(x, a, v, **kw),
           lambda rng: [_s(randn(rng, 2), randn(rng, 2, 3), randn(rng, 3)),
                        _s(randn(rng, 1), randn(rng, 2, 3), randn(rng, 3), beta=2.0, alpha=0.5),
                        _s(randn(rng, 2), randn(rng, 2, 3), randn(rng, 3), beta=0)],
           method="addmv"),
]
