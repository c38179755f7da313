"""Op table: nn.functional (nn_functional), run as `m.nn.functional.<fn>` in both frameworks.

Normalization, linear maps, embeddings, dropout (in its deterministic settings: eval mode,
p=0, p=1) and vector utilities. Running statistics are float arrays that must not require
grad (``no_grad``); entries that update them in place return them as extra outputs (with
``gradcheck=False``: every call of the function blends them again).

Tolerances: normalization gradients go through ``rstd * (g - mean(g) - xhat * mean(g xhat))``,
a difference of O(1) terms scaled by rstd, so float32 rounding of ~1e-6 relative in each term
shows up as ~1e-5 absolute; ``grad_atol=1e-4`` covers that (values are O(1)).
"""
import numpy as np

from .harness import ErrorCase, OpSpec, Raw, Sample, positive, randn

NORM_GRAD_ATOL = 1e-4


def S(*args, note="", no_grad=(), **kwargs):
    return Sample(args, kwargs, note=note, no_grad=no_grad)


def _fn(m):
    return m.nn.functional


def _ints(rng, high, *shape):
    return rng.integers(0, high, shape).astype(np.int64)


_R = np.random.default_rng(123)  # error-case inputs


# ---------------------------------------------------------------------------- linear maps
def _linear_samples(rng):
    return [
        S(randn(rng, 4, 3), randn(rng, 5, 3), randn(rng, 5), note="2-D with bias"),
        S(randn(rng, 4, 3), randn(rng, 5, 3), Raw(None), note="2-D without bias"),
        S(randn(rng, 3), randn(rng, 5, 3), randn(rng, 5), note="1-D input"),
        S(randn(rng, 2, 4, 3), randn(rng, 5, 3), randn(rng, 5), note="3-D input"),
        S(randn(rng, 2, 2, 4, 3), randn(rng, 5, 3), Raw(None), note="4-D input, no bias"),
        S(randn(rng, 4, 3), randn(rng, 3), Raw(None), note="1-D weight"),
        S(randn(rng, 0, 3), randn(rng, 5, 3), randn(rng, 5), note="empty batch"),
    ]


def _bilinear_samples(rng):
    return [
        S(randn(rng, 4, 3), randn(rng, 4, 2), randn(rng, 5, 3, 2), randn(rng, 5)),
        S(randn(rng, 4, 3), randn(rng, 4, 2), randn(rng, 5, 3, 2), Raw(None)),
        S(randn(rng, 2, 4, 3), randn(rng, 2, 4, 2), randn(rng, 5, 3, 2), randn(rng, 5)),
        S(randn(rng, 3), randn(rng, 2), randn(rng, 5, 3, 2), randn(rng, 5), note="1-D inputs"),
    ]


LINEAR_SPECS = [
    OpSpec("linear", lambda m, x, w, b=None: _fn(m).linear(x, w, b), _linear_samples,
           errors=[ErrorCase((randn(_R, 2, 3), randn(_R, 4, 5)), exc=RuntimeError,
                             match="cannot be multiplied"),
                   ErrorCase((randn(_R, 2, 3), randn(_R, 4)), exc=RuntimeError)]),
    OpSpec("bilinear", lambda m, a, b, w, bias=None: _fn(m).bilinear(a, b, w, bias),
           _bilinear_samples,
           errors=[ErrorCase((randn(_R, 2, 3), randn(_R, 3, 4), randn(_R, 5, 3, 4)),
                             match="batch dimensions"),
                   ErrorCase((randn(_R, 2, 3), randn(_R, 2, 4), randn(_R, 5, 3, 3)),
                             match="input2 size"),
                   ErrorCase((randn(_R, 2, 3), randn(_R, 2, 4), randn(_R, 5, 3, 4),
                              randn(_R, 4)), match="bias size"),
                   ErrorCase((randn(_R, 2, 3), randn(_R, 4), randn(_R, 5, 3, 4)),
                             match="dimensions do not match")]),
]


# ---------------------------------------------------------------------------- normalization
def _bn_samples(rng):
    return [
        S(randn(rng, 6, 3), randn(rng, 3), positive(rng, 3), randn(rng, 3), randn(rng, 3),
          training=True, no_grad=(1, 2), note="(N, C) training"),
        S(randn(rng, 4, 3, 5), randn(rng, 3), positive(rng, 3), randn(rng, 3), randn(rng, 3),
          training=True, momentum=0.3, no_grad=(1, 2), note="(N, C, L) training"),
        S(randn(rng, 2, 3, 4, 5), Raw(None), Raw(None), randn(rng, 3), randn(rng, 3),
          training=True, eps=1e-3, note="(N, C, H, W) no running stats"),
        S(randn(rng, 2, 3, 2, 3, 2), Raw(None), Raw(None), Raw(None), Raw(None),
          training=True, note="5-D, no affine"),
        S(randn(rng, 2, 3, 4), Raw(None), Raw(None), Raw(None), randn(rng, 3),
          training=True, note="bias only"),
        S(randn(rng, 4, 3, 5), randn(rng, 3), positive(rng, 3), randn(rng, 3), randn(rng, 3),
          training=False, no_grad=(1, 2), note="eval"),
        S(randn(rng, 4, 3, 5), randn(rng, 3), positive(rng, 3), Raw(None), Raw(None),
          training=False, no_grad=(1, 2), note="eval, no affine"),
        S(randn(rng, 4, 3, 5), randn(rng, 3), positive(rng, 3), randn(rng, 3), Raw(None),
          training=False, no_grad=(1, 2), note="eval, weight only"),
    ]


def _bn_stats_samples(rng):
    return [
        S(randn(rng, 6, 3), randn(rng, 3), positive(rng, 3), training=True, momentum=0.25,
          no_grad=(1, 2)),
        S(randn(rng, 4, 3, 2, 2), randn(rng, 3), positive(rng, 3), training=True, momentum=1.0,
          no_grad=(1, 2)),
        S(randn(rng, 4, 3, 5), randn(rng, 3), positive(rng, 3), training=False,
          no_grad=(1, 2), note="eval leaves the stats alone"),
    ]


def _bn(m, x, rm, rv, w=None, b=None, **kw):
    return _fn(m).batch_norm(x, rm, rv, w, b, **kw)


def _ln(m, x, shape, w=None, b=None, **kw):
    return _fn(m).layer_norm(x, shape, w, b, **kw)


def _gn(m, x, groups, w=None, b=None, **kw):
    return _fn(m).group_norm(x, groups, w, b, **kw)


def _bn_with_stats(m, x, rm, rv, **kw):
    return _fn(m).batch_norm(x, rm, rv, **kw), rm, rv


def _ln_samples(rng):
    return [
        S(randn(rng, 4, 5), Raw((5,)), randn(rng, 5), randn(rng, 5)),
        S(randn(rng, 2, 3, 4), Raw((3, 4)), randn(rng, 3, 4), randn(rng, 3, 4), note="2 dims"),
        S(randn(rng, 2, 3, 4), Raw([2, 3, 4]), Raw(None), Raw(None), note="all dims"),
        S(randn(rng, 3, 6), Raw((6,)), randn(rng, 6), Raw(None), eps=1e-3, note="no bias"),
        S(randn(rng, 3, 6), Raw((6,)), Raw(None), randn(rng, 6), note="bias only"),
        S(randn(rng, 5), Raw((5,)), randn(rng, 5), randn(rng, 5), note="1-D"),
        S(randn(rng, 0, 4), Raw((4,)), randn(rng, 4), randn(rng, 4), note="empty batch"),
        S(randn(rng, 3, 1), Raw((1,)), randn(rng, 1), randn(rng, 1), note="one element"),
    ]


def _gn_samples(rng):
    return [
        S(randn(rng, 2, 6, 4), 3, randn(rng, 6), randn(rng, 6)),
        S(randn(rng, 2, 6, 4), 1, randn(rng, 6), randn(rng, 6), note="one group"),
        S(randn(rng, 2, 4, 3, 3), 4, Raw(None), Raw(None), note="group per channel"),
        S(randn(rng, 3, 4), 2, randn(rng, 4), Raw(None), eps=1e-3, note="(N, C)"),
        S(randn(rng, 2, 6, 2, 2, 2), 2, randn(rng, 6), randn(rng, 6), note="5-D"),
    ]


def _in_samples(rng):
    return [
        S(randn(rng, 2, 3, 5), Raw(None), Raw(None), Raw(None), Raw(None)),
        S(randn(rng, 2, 3, 4, 4), Raw(None), Raw(None), randn(rng, 3), randn(rng, 3),
          note="affine"),
        S(randn(rng, 2, 3, 5), randn(rng, 3), positive(rng, 3), randn(rng, 3), Raw(None),
          momentum=0.2, no_grad=(1, 2), note="running stats"),
        S(randn(rng, 2, 3, 5), randn(rng, 3), positive(rng, 3), randn(rng, 3), randn(rng, 3),
          use_input_stats=False, no_grad=(1, 2), note="running stats used"),
    ]


def _in(m, x, rm, rv, w, b, **kw):
    out = _fn(m).instance_norm(x, rm, rv, w, b, **kw)
    return (out,) + tuple(t for t in (rm, rv) if t is not None)


def _rms_samples(rng):
    return [
        S(randn(rng, 4, 5), Raw((5,)), randn(rng, 5)),
        S(randn(rng, 2, 3, 4), Raw((3, 4)), randn(rng, 3, 4), eps=1e-3),
        S(randn(rng, 2, 3, 4), Raw([4]), Raw(None), note="no weight, eps=None"),
        S(randn(rng, 2, 3, 4).astype(np.float64), Raw([4]), Raw(None), note="float64 eps"),
    ]


def _lrn_samples(rng):
    return [
        S(randn(rng, 2, 5, 4), 3),
        S(randn(rng, 2, 6, 3, 3), 2, alpha=0.1, beta=0.5, k=2.0),
        S(randn(rng, 1, 4, 2, 2, 2), 4, alpha=0.5),
        S(randn(rng, 2, 3, 4), 1),
    ]


_X = randn(_R, 2, 3)
NORM_SPECS = [
    OpSpec("batch_norm", _bn, _bn_samples, grad_atol=NORM_GRAD_ATOL, errors=[
        ErrorCase((_X, randn(_R, 4), positive(_R, 4)), match="running_mean should contain 3"),
        ErrorCase((_X, Raw(None), Raw(None), randn(_R, 4)), {"training": True},
                  match="weight should contain 3"),
        ErrorCase((_X, Raw(None), Raw(None), Raw(None), randn(_R, 4)), {"training": True},
                  match="bias should contain 3"),
        ErrorCase((randn(_R, 1, 3), Raw(None), Raw(None)), {"training": True},
                  exc=ValueError, match="Expected more than 1 value per channel"),
        ErrorCase((randn(_R, 1, 3, 1), Raw(None), Raw(None)), {"training": True},
                  exc=ValueError, match="Expected more than 1 value per channel"),
        ErrorCase((_X, Raw(None), Raw(None)), {"training": False},
                  match="must be defined in evaluation mode"),
        ErrorCase((_X, Raw(None), Raw(None)), {"training": True, "eps": 0.0}, exc=ValueError),
    ]),
    OpSpec("batch_norm_running_stats", _bn_with_stats, _bn_stats_samples, gradcheck=False,
           grad_atol=NORM_GRAD_ATOL),
    OpSpec("layer_norm", _ln, _ln_samples, grad_atol=NORM_GRAD_ATOL, errors=[
               ErrorCase((_X, Raw((4,))), match="expected input with shape [*, 4]"),
               ErrorCase((_X, Raw((3,)), randn(_R, 4)), match="Expected weight to be of same"),
               ErrorCase((_X, Raw((3,)), Raw(None), randn(_R, 4)),
                         match="Expected bias to be of same"),
               ErrorCase((_X, Raw(3)), exc=TypeError),
           ]),
    OpSpec("group_norm", _gn, _gn_samples, grad_atol=NORM_GRAD_ATOL, errors=[
               ErrorCase((randn(_R, 2, 6, 4), 4), match="divisible by num_groups"),
               ErrorCase((randn(_R, 2, 6, 4), 3, randn(_R, 4)), match="weight of shape [4]"),
               ErrorCase((randn(_R, 6), 3), match="at least 2 dimensions"),
               ErrorCase((randn(_R, 1, 3), 3), exc=ValueError, match="more than 1 value"),
           ]),
    OpSpec("instance_norm", _in, _in_samples, grad_atol=NORM_GRAD_ATOL, gradcheck=False),
    OpSpec("instance_norm_stateless",
           lambda m, x, w, b: _fn(m).instance_norm(x, weight=w, bias=b),
           lambda rng: [S(randn(rng, 2, 3, 5), randn(rng, 3), randn(rng, 3)),
                        S(randn(rng, 2, 2, 3, 3), Raw(None), Raw(None))],
           grad_atol=NORM_GRAD_ATOL, errors=[
               ErrorCase((randn(_R, 2, 3, 1), Raw(None), Raw(None)), exc=ValueError,
                         match="more than 1 spatial element"),
               ErrorCase((randn(_R, 2, 3, 4), randn(_R, 4), Raw(None)),
                         match="weight should contain 6 elements not 8"),
           ]),
    OpSpec("rms_norm", lambda m, x, shape, w=None, **kw: _fn(m).rms_norm(x, shape, w, **kw),
           _rms_samples, grad_atol=NORM_GRAD_ATOL, errors=[
               ErrorCase((_X, Raw((4,))), match="expected input with shape"),
               ErrorCase((_X, Raw((3,)), randn(_R, 4)), match="Expected weight"),
           ]),
    OpSpec("local_response_norm",
           lambda m, x, size, **kw: _fn(m).local_response_norm(x, size, **kw), _lrn_samples,
           noncontig=False,  # torch's own local_response_norm .view()s and rejects these
           errors=[ErrorCase((_X, 2), exc=ValueError, match="Expected 3D or higher")]),
]


# ---------------------------------------------------------------------------- dropout
def _dropout_eval_samples(rng):
    return [S(randn(rng, 3, 4), p=0.5, training=False),
            S(randn(rng, 3, 4), p=0.0, training=True, note="p=0 training"),
            S(randn(rng, 2, 3, 4), p=1.0, training=True, note="p=1 training drops all")]


def _channel_samples(*shapes):
    def samples(rng):
        out = []
        for shape in shapes:
            out.append(S(randn(rng, *shape), p=0.5, training=False, note=f"eval {shape}"))
            out.append(S(randn(rng, *shape), p=1.0, training=True, note=f"p=1 {shape}"))
        return out
    return samples


_P_ERRORS = [ErrorCase((_X,), {"p": 1.5}, exc=ValueError, match="between 0 and 1"),
             ErrorCase((_X,), {"p": -0.1}, exc=ValueError, match="between 0 and 1")]

DROPOUT_SPECS = [
    OpSpec("dropout", lambda m, x, **kw: _fn(m).dropout(x, **kw), _dropout_eval_samples,
           errors=_P_ERRORS),
    OpSpec("alpha_dropout", lambda m, x, **kw: _fn(m).alpha_dropout(x, **kw),
           _dropout_eval_samples, errors=_P_ERRORS),
    OpSpec("feature_alpha_dropout", lambda m, x, **kw: _fn(m).feature_alpha_dropout(x, **kw),
           _channel_samples((2, 3, 4)), errors=_P_ERRORS),
    OpSpec("dropout1d", lambda m, x, **kw: _fn(m).dropout1d(x, **kw),
           _channel_samples((2, 3, 4), (3, 4)),
           errors=_P_ERRORS + [ErrorCase((randn(_R, 2, 3, 4, 5),), match="Expected 2D or 3D")]),
    OpSpec("dropout2d", lambda m, x, **kw: _fn(m).dropout2d(x, **kw),
           _channel_samples((2, 3, 4, 4)), errors=_P_ERRORS),
    OpSpec("dropout3d", lambda m, x, **kw: _fn(m).dropout3d(x, **kw),
           _channel_samples((2, 3, 2, 2, 2), (3, 2, 2, 2)), errors=_P_ERRORS),
]


# ---------------------------------------------------------------------------- vector utilities
def _one_hot_samples(rng):
    return [S(_ints(rng, 4, 5)), S(_ints(rng, 4, 2, 3), 6), S(np.array(2, dtype=np.int64), 3),
            S(np.zeros((0,), dtype=np.int64), 3, note="empty with num_classes")]


def _pair_samples(rng):
    return [S(randn(rng, 3, 4), randn(rng, 3, 4)),
            S(randn(rng, 3, 4), randn(rng, 4), note="broadcast"),
            S(randn(rng, 4), randn(rng, 4), note="1-D")]


VECTOR_SPECS = [
    OpSpec("one_hot", lambda m, t, *a: _fn(m).one_hot(t, *a), _one_hot_samples,
           differentiable=False, errors=[
               ErrorCase((np.array([-1], dtype=np.int64),), match="non-negative"),
               ErrorCase((np.array([3], dtype=np.int64), 3), match="smaller than num_classes"),
               ErrorCase((np.array([1], dtype=np.int32),), match="LongTensor"),
               ErrorCase((np.zeros((0,), dtype=np.int64),), match="empty tensor"),
           ]),
    OpSpec("normalize", lambda m, x, **kw: _fn(m).normalize(x, **kw), lambda rng: [
        S(randn(rng, 3, 4)), S(randn(rng, 3, 4), p=1.0, dim=0), S(randn(rng, 2, 3, 4), dim=-1),
        S(randn(rng, 5), dim=0), S(randn(rng, 2, 3), p=3.0)],
        errors=[ErrorCase((randn(_R, 4),), exc=IndexError)]),
    OpSpec("cosine_similarity", lambda m, a, b, **kw: _fn(m).cosine_similarity(a, b, **kw),
           lambda rng: [S(randn(rng, 3, 4), randn(rng, 3, 4)),
                        S(randn(rng, 3, 4), randn(rng, 3, 4), dim=0),
                        S(randn(rng, 3, 1), randn(rng, 3, 4), note="broadcast along dim"),
                        S(randn(rng, 2, 3, 4), randn(rng, 3, 4), dim=-1),
                        S(randn(rng, 4), randn(rng, 4), dim=0)],
           errors=[ErrorCase((np.ones((1, 2), np.int64), np.ones((1, 2), np.int64)),
                             match="floating point")]),
    OpSpec("pairwise_distance", lambda m, a, b, **kw: _fn(m).pairwise_distance(a, b, **kw),
           lambda rng: _pair_samples(rng) + [
               S(randn(rng, 3, 4), randn(rng, 3, 4), p=1.0, keepdim=True),
               S(randn(rng, 3, 4), randn(rng, 3, 4), p=3.0, eps=0.0)]),
    OpSpec("pdist", lambda m, x, **kw: _fn(m).pdist(x, **kw),
           lambda rng: [S(randn(rng, 4, 3)), S(randn(rng, 5, 2), p=1.0)], noncontig=False,
           errors=[ErrorCase((randn(_R, 2, 3, 4),), match="2D")]),
]


# ---------------------------------------------------------------------------- embeddings
def _emb_samples(rng):
    return [
        S(_ints(rng, 6, 5), randn(rng, 6, 3)),
        S(_ints(rng, 6, 2, 4), randn(rng, 6, 3), note="2-D indices"),
        S(np.array(4, dtype=np.int64), randn(rng, 6, 3), note="0-d index"),
        S(np.array([1, 3], dtype=np.int32), randn(rng, 6, 3), note="int32 indices"),
    ]


def _emb_padding_samples(rng):
    return [
        S(np.array([0, 2, 2, 5, 2], dtype=np.int64), randn(rng, 6, 3), padding_idx=2,
          note="padding_idx"),
        S(np.array([[0, 5], [5, 1]], dtype=np.int64), randn(rng, 6, 3), padding_idx=-1,
          note="negative padding_idx"),
        S(np.array([1, 1, 3, 1], dtype=np.int64), randn(rng, 6, 3), scale_grad_by_freq=True),
        S(np.array([1, 1, 3, 0], dtype=np.int64), randn(rng, 6, 3), padding_idx=0,
          scale_grad_by_freq=True),
    ]


def _bag_samples(rng):
    idx = np.array([1, 2, 4, 5, 4, 3, 2, 0], dtype=np.int64)
    return [
        S(idx, randn(rng, 6, 3), np.array([0, 3, 3, 6], dtype=np.int64), mode="sum",
          note="sum, empty bag"),
        S(idx, randn(rng, 6, 3), np.array([0, 3, 3, 6], dtype=np.int64), mode="mean"),
        S(idx, randn(rng, 6, 3), np.array([0, 3, 3, 6], dtype=np.int64), mode="max"),
        # include_last_offset: the last offset must be len(input) (torch's contract; torch's
        # kernels disagree with each other on anything else)
        S(idx, randn(rng, 6, 3), np.array([0, 2, 5, 8], dtype=np.int64), mode="mean",
          include_last_offset=True),
        S(idx, randn(rng, 6, 3), np.array([0, 2, 5, 8], dtype=np.int64), mode="max",
          include_last_offset=True),
        S(idx, randn(rng, 6, 3), np.array([0, 4], dtype=np.int64), mode="mean", padding_idx=4),
        S(idx, randn(rng, 6, 3), np.array([0, 4], dtype=np.int64), mode="max", padding_idx=2),
        S(_ints(rng, 6, 3, 4), randn(rng, 6, 3), Raw(None), mode="sum", note="2-D input"),
        S(_ints(rng, 6, 3, 4), randn(rng, 6, 3), Raw(None), mode="mean", note="2-D mean"),
    ]


def _bag_psw_samples(rng):
    idx = np.array([1, 2, 4, 5, 4, 3], dtype=np.int64)
    return [S(idx, randn(rng, 6, 3), np.array([0, 2, 2], dtype=np.int64), randn(rng, 6)),
            S(_ints(rng, 6, 2, 3), randn(rng, 6, 3), Raw(None), randn(rng, 2, 3),
              note="2-D input"),
            S(idx, randn(rng, 6, 3), np.array([0, 3], dtype=np.int64), randn(rng, 6),
              padding_idx=4, note="with padding")]


_IDX = np.array([1, 2, 4], dtype=np.int64)
_OFF = np.array([0, 1], dtype=np.int64)
_W = randn(_R, 6, 3)
EMBEDDING_SPECS = [
    OpSpec("embedding", lambda m, i, w, **kw: _fn(m).embedding(i, w, **kw), _emb_samples,
           errors=[
               ErrorCase((np.array([6], dtype=np.int64), _W), exc=IndexError,
                         match="index out of range"),
               ErrorCase((np.array([-1], dtype=np.int64), _W), exc=IndexError,
                         match="index out of range"),
               ErrorCase((randn(_R, 2), _W), match="'indices'"),
               ErrorCase((_IDX, _W), {"padding_idx": 6}, exc=AssertionError),
               ErrorCase((_IDX, randn(_R, 6)), match="must be 2-D"),
           ]),
    # padding_idx and scale_grad_by_freq change the gradient on purpose: no gradcheck
    OpSpec("embedding_padding", lambda m, i, w, **kw: _fn(m).embedding(i, w, **kw),
           _emb_padding_samples, gradcheck=False),
    OpSpec("embedding_bag",
           lambda m, i, w, off, **kw: _fn(m).embedding_bag(i, w, off, **kw), _bag_samples,
           errors=[
               ErrorCase((_IDX, _W, np.array([1, 2], dtype=np.int64)),
                         match="offsets[0] has to be 0"),
               ErrorCase((_IDX, _W, np.array([0, 9], dtype=np.int64)),
                         match="can not be greater"),
               ErrorCase((_IDX, _W, Raw(None)), exc=ValueError, match="offsets has to be"),
               ErrorCase((_IDX.reshape(1, 3), _W, _OFF), exc=ValueError,
                         match="offsets has to be None"),
               ErrorCase((_IDX, _W, _OFF), {"mode": "median"}, exc=ValueError,
                         match="mode has to be one of"),
               ErrorCase((np.array([1, 7], dtype=np.int64), _W, _OFF)),
               ErrorCase((_IDX, _W, _OFF), {"padding_idx": 6},
                         match="padding_idx must be within"),
               ErrorCase((_IDX, _W, _OFF), {"mode": "max", "scale_grad_by_freq": True},
                         exc=ValueError),
           ]),
    OpSpec("embedding_bag_per_sample_weights",
           lambda m, i, w, off, psw, mode="sum", **kw: _fn(m).embedding_bag(
               i, w, off, mode=mode, per_sample_weights=psw, **kw), _bag_psw_samples,
           errors=[ErrorCase((_IDX, _W, _OFF, randn(_R, 3)), {"mode": "mean"},
                             exc=NotImplementedError, match="only supported for mode='sum'"),
                   ErrorCase((_IDX, _W, _OFF, randn(_R, 2)), exc=ValueError,
                             match="same shape as the input")]),
]

SPECS = LINEAR_SPECS + NORM_SPECS + DROPOUT_SPECS + VECTOR_SPECS + EMBEDDING_SPECS
