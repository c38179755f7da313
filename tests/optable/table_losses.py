"""Op table: nn.functional losses, run as ``m.nn.functional.<loss>`` in both frameworks.

Targets that torch does not differentiate (class indices, and float targets marked with
``no_grad``) do not require grad; a few samples leave a float target differentiable to check
its gradient too. Sample kwargs are passed through unconverted, so tensors such as class
weights are positional sample arguments that the entry's lambda routes to the keyword
(``lambda m, x, t, w, **kw: F(m).cross_entropy(x, t, weight=w, **kw)``). Every loss runs every
reduction; the deprecated ``size_average``/``reduce`` flags are exercised on a few entries.
"""
import numpy as np

from .harness import ErrorCase, OpSpec, Raw, Sample, positive, randn

REDUCTIONS = ("mean", "sum", "none")


def F(m):
    """``m.nn.functional`` of either framework."""
    return m.nn.functional


def S(*args, no_grad=(), note="", **kwargs):
    return Sample(args, kwargs, note=note, no_grad=no_grad)


def labels(rng, n_classes, *shape):
    return rng.integers(0, n_classes, shape).astype(np.int64)


def probs(rng, *shape, low=0.05, high=0.95):
    return np.asarray(rng.uniform(low, high, shape), dtype=np.float32)


def simplex(rng, *shape, dim=-1):
    """Probability vectors along ``dim`` (strictly positive)."""
    p = rng.uniform(0.1, 1.0, shape)
    return (p / p.sum(axis=dim, keepdims=True)).astype(np.float32)


def signs(rng, *shape):
    return np.asarray(np.where(rng.random(shape) < 0.5, -1.0, 1.0), dtype=np.float32)


def binary(rng, *shape):
    return np.asarray(rng.random(shape) < 0.5, dtype=np.float32)


def away(rng, *shape, kinks=(0.0,), gap=0.1, scale=1.0):
    """Normal samples at least ``gap`` away from each kink (for hinge-type losses)."""
    x = rng.standard_normal(shape) * scale
    for k in kinks:
        near = np.abs(x - k) < gap
        x = np.where(near, k + np.where(x >= k, 1.0, -1.0) * gap * 1.5, x)
    return np.asarray(x, dtype=np.float32)


def with_ignored(t, value=-100, every=3):
    t = t.copy()
    t.flat[::every] = value
    return t


def each_reduction(make, reductions=REDUCTIONS):
    """``make(rng, reduction)`` samples for every reduction."""
    def samples(rng):
        return [s for r in reductions for s in make(rng, r)]
    return samples


def pair_samples(target=randn, shapes=((3, 4), (5,), ()), target_grad=True):
    """(input, target) of equal shapes per reduction; empty inputs; a differentiable target."""
    def make(rng, r):
        out = [S(randn(rng, *s), target(rng, *s), no_grad=(1,), reduction=r) for s in shapes]
        out.append(S(randn(rng, 0, 3), target(rng, 0, 3), no_grad=(1,), reduction=r,
                     note="empty"))
        if target_grad:
            out.append(S(randn(rng, 2, 3), target(rng, 2, 3), reduction=r, note="target grad"))
        return out
    return each_reduction(make)


LEGACY = [dict(size_average=False), dict(reduce=False), dict(size_average=True, reduce=True)]


def legacy_samples(gen_input=randn, gen_target=randn):
    def samples(rng):
        return [S(gen_input(rng, 3, 4), gen_target(rng, 3, 4), no_grad=(1,), **kw)
                for kw in LEGACY]
    return samples


BAD_REDUCTION = ErrorCase((np.zeros((2, 3), np.float32), np.zeros((2, 3), np.float32)),
                          dict(reduction="average"), ValueError, "not a valid value")

SPECS = []

# ---------------------------------------------------------------------------- regression
_MISMATCH = ErrorCase((np.zeros(3, np.float32), np.zeros(4, np.float32)), {}, RuntimeError)
_WEIGHT_SHAPE = ErrorCase((np.zeros((2, 3), np.float32), np.zeros((2, 3), np.float32),
                           np.ones(3, np.float32)), {}, ValueError, "same size")

for _name in ("mse_loss", "l1_loss"):
    SPECS += [
        OpSpec(_name, op=lambda m, x, t, _n=_name, **kw: getattr(F(m), _n)(x, t, **kw),
               samples=pair_samples(), errors=[_MISMATCH, BAD_REDUCTION]),
        OpSpec(_name + "_broadcast_target",
               op=lambda m, x, t, _n=_name, **kw: getattr(F(m), _n)(x, t, **kw),
               samples=lambda rng: [S(randn(rng, 3, 4), randn(rng, 4), reduction=r)
                                    for r in REDUCTIONS]),
        OpSpec(_name + "_legacy_args",
               op=lambda m, x, t, _n=_name, **kw: getattr(F(m), _n)(x, t, **kw),
               samples=legacy_samples()),
        OpSpec(_name + "_weight",
               op=lambda m, x, t, w, _n=_name, **kw: getattr(F(m), _n)(x, t, weight=w, **kw),
               samples=lambda rng: [S(randn(rng, 3, 4), randn(rng, 3, 4), positive(rng, 3, 4),
                                      no_grad=(1, 2), reduction=r) for r in REDUCTIONS],
               errors=[_WEIGHT_SHAPE]),
    ]


def _smooth_l1_samples(rng, r):
    out = []
    for beta in (1.0, 0.5, 2.0):
        out.append(S(randn(rng, 4, 5) * 2, randn(rng, 4, 5), no_grad=(1,), reduction=r,
                     beta=beta))
    out.append(S(randn(rng, 4, 5), randn(rng, 4, 5), no_grad=(1,), reduction=r, beta=0.0,
                 note="beta=0 is l1"))
    out.append(S(randn(rng, 3), randn(rng, 3), reduction=r, beta=0.7, note="target grad"))
    return out


def _huber_samples(rng, r):
    out = [S(randn(rng, 4, 5) * 2, randn(rng, 4, 5), no_grad=(1,), reduction=r, delta=d)
           for d in (1.0, 0.5, 2.5)]
    out.append(S(randn(rng, 3), randn(rng, 3), reduction=r, note="target grad"))
    out.append(S(randn(rng), randn(rng), no_grad=(1,), reduction=r, note="0-d"))
    return out


SPECS += [
    OpSpec("smooth_l1_loss", op=lambda m, x, t, **kw: F(m).smooth_l1_loss(x, t, **kw),
           samples=each_reduction(_smooth_l1_samples),
           errors=[BAD_REDUCTION,
                   ErrorCase((np.zeros(3, np.float32), np.zeros(3, np.float32)),
                             dict(beta=-1.0), RuntimeError, "negative values for beta")]),
    OpSpec("smooth_l1_loss_legacy_args",
           op=lambda m, x, t, **kw: F(m).smooth_l1_loss(x, t, **kw), samples=legacy_samples()),
    OpSpec("huber_loss", op=lambda m, x, t, **kw: F(m).huber_loss(x, t, **kw),
           samples=each_reduction(_huber_samples),
           errors=[BAD_REDUCTION,
                   ErrorCase((np.zeros(3, np.float32), np.zeros(3, np.float32)),
                             dict(delta=0.0), RuntimeError, "non-positive values for delta")]),
    OpSpec("huber_loss_weight",
           op=lambda m, x, t, w, **kw: F(m).huber_loss(x, t, weight=w, **kw),
           samples=lambda rng: [S(randn(rng, 3, 4) * 2, randn(rng, 3, 4), positive(rng, 3, 4),
                                  no_grad=(1, 2), reduction=r, delta=1.5) for r in REDUCTIONS],
           errors=[_WEIGHT_SHAPE]),
]


# ---------------------------------------------------------------------------- likelihoods
def _counts(rng, *shape):
    return rng.integers(0, 6, shape).astype(np.float32)


def _poisson_samples(rng, r):
    return [
        S(randn(rng, 3, 4), _counts(rng, 3, 4), no_grad=(1,), reduction=r),
        S(randn(rng, 3, 4), _counts(rng, 3, 4), no_grad=(1,), reduction=r, full=True),
        S(positive(rng, 3, 4), _counts(rng, 3, 4), no_grad=(1,), reduction=r, log_input=False),
        S(positive(rng, 5), _counts(rng, 5), no_grad=(1,), reduction=r, log_input=False,
          full=True, eps=1e-3),
        S(randn(rng, 4), positive(rng, 4), reduction=r, note="target grad"),
    ]


def _gaussian_clamp_samples(rng, r):
    tiny = positive(rng, 3, 4)
    tiny[0, :2] = 1e-8  # clamped up to eps in the value, gradient untouched (torch's clamp_)
    return [S(randn(rng, 3, 4), randn(rng, 3, 4), tiny, no_grad=(1,), reduction=r, eps=1e-4)]


def _gaussian_samples(rng, r):
    return [
        S(randn(rng, 3, 4), randn(rng, 3, 4), positive(rng, 3, 4), no_grad=(1,), reduction=r),
        S(randn(rng, 3, 4), randn(rng, 3, 4), positive(rng, 3), no_grad=(1,), reduction=r,
          note="var one dim short"),
        S(randn(rng, 3, 4), randn(rng, 3, 4), positive(rng, 3, 1), no_grad=(1,), reduction=r,
          full=True, note="var broadcast dim"),
        S(randn(rng, 3, 4), randn(rng, 3, 4), Raw(0.7), no_grad=(1,), reduction=r,
          note="float var"),
        S(randn(rng, 5), randn(rng, 5), positive(rng, 5), reduction=r, note="target grad"),
    ]


def _kl_samples(rng, r):
    logq = np.log(simplex(rng, 3, 5))
    p = simplex(rng, 3, 5)
    p_zeros = p.copy()
    p_zeros[0, :2] = 0.0  # xlogy(0, 0) = 0
    return [
        S(logq, p, no_grad=(1,), reduction=r),
        S(logq, p_zeros, no_grad=(1,), reduction=r, note="zero targets"),
        S(logq, np.log(p), no_grad=(1,), reduction=r, log_target=True),
        S(logq, p, reduction=r, note="target grad"),
        S(logq, np.log(p), reduction=r, log_target=True, note="log target grad"),
        S(np.log(simplex(rng, 4)), simplex(rng, 4), no_grad=(1,), reduction=r, note="1-d"),
    ]


SPECS += [
    OpSpec("poisson_nll_loss", op=lambda m, x, t, **kw: F(m).poisson_nll_loss(x, t, **kw),
           samples=each_reduction(_poisson_samples), errors=[BAD_REDUCTION]),
    OpSpec("poisson_nll_loss_legacy_args",
           op=lambda m, x, t, **kw: F(m).poisson_nll_loss(x, t, **kw),
           samples=legacy_samples(gen_target=_counts)),
    OpSpec("gaussian_nll_loss",
           op=lambda m, x, t, v, **kw: F(m).gaussian_nll_loss(x, t, v, **kw),
           samples=each_reduction(_gaussian_samples),
           errors=[
               ErrorCase((np.zeros(3, np.float32), np.zeros(3, np.float32),
                          np.array([1.0, -1.0, 1.0], np.float32)), {}, ValueError, "negative"),
               ErrorCase((np.zeros((3, 4), np.float32), np.zeros((3, 4), np.float32),
                          np.ones(2, np.float32)), {}, ValueError, "incorrect size"),
               ErrorCase((np.zeros((3, 4), np.float32), np.zeros((3, 4), np.float32),
                          np.ones((3, 4), np.float32)), dict(reduction="avg"), ValueError),
           ]),
    # var below eps: the value is clamped but the gradient is not, so no numeric gradcheck
    OpSpec("gaussian_nll_loss_var_clamp",
           op=lambda m, x, t, v, **kw: F(m).gaussian_nll_loss(x, t, v, **kw),
           samples=each_reduction(_gaussian_clamp_samples), gradcheck=False),
    OpSpec("kl_div", op=lambda m, x, t, **kw: F(m).kl_div(x, t, **kw),
           samples=each_reduction(_kl_samples, REDUCTIONS + ("batchmean",)),
           errors=[BAD_REDUCTION]),
    OpSpec("kl_div_legacy_args", op=lambda m, x, t, **kw: F(m).kl_div(x, t, **kw),
           samples=legacy_samples(gen_input=lambda rng, *s: np.log(simplex(rng, *s)),
                                  gen_target=simplex)),
]


# ---------------------------------------------------------------------------- binary
def _bce_samples(rng, r):
    return [
        S(probs(rng, 3, 4), probs(rng, 3, 4, low=0.0, high=1.0), no_grad=(1,), reduction=r),
        S(probs(rng, 6), binary(rng, 6), no_grad=(1,), reduction=r, note="hard targets"),
        S(probs(rng, 2, 3, 2), probs(rng, 2, 3, 2), reduction=r, note="target grad"),
        S(probs(rng), probs(rng), no_grad=(1,), reduction=r, note="0-d"),
        S(probs(rng, 0, 3), probs(rng, 0, 3), no_grad=(1,), reduction=r, note="empty"),
    ]


def _bce_weight_samples(rng, r):
    return [
        S(probs(rng, 3, 4), binary(rng, 3, 4), positive(rng, 3, 4), no_grad=(1, 2),
          reduction=r),
        S(probs(rng, 3, 4), binary(rng, 3, 4), positive(rng, 4), no_grad=(1, 2), reduction=r,
          note="weight broadcast"),
    ]


def _bce_logits_samples(rng, r):
    return [
        S(randn(rng, 3, 4) * 3, probs(rng, 3, 4, low=0.0, high=1.0), no_grad=(1,), reduction=r),
        S(randn(rng, 6), binary(rng, 6), no_grad=(1,), reduction=r, note="hard targets"),
        S(randn(rng, 2, 3), probs(rng, 2, 3), reduction=r, note="target grad"),
        S(randn(rng), binary(rng), no_grad=(1,), reduction=r, note="0-d"),
        S(np.array([-1e4, -100.0, -30.0, 0.0, 30.0, 100.0, 1e4, 88.0], np.float32),
          np.array([1.0, 1.0, 0.0, 1.0, 1.0, 0.0, 0.0, 0.3], np.float32), no_grad=(1,),
          reduction=r, note="huge logits"),
    ]


def _bce_logits_weight_samples(rng, r):
    return [
        S(randn(rng, 4, 3) * 2, binary(rng, 4, 3), positive(rng, 4, 3), positive(rng, 3),
          no_grad=(1, 2, 3), reduction=r, note="weight, pos_weight"),
        S(randn(rng, 4, 3) * 2, probs(rng, 4, 3), positive(rng, 3), positive(rng, 4, 3),
          no_grad=(1, 2, 3), reduction=r, note="broadcast weight"),
        S(randn(rng, 2, 3, 2) * 2, probs(rng, 2, 3, 2), positive(rng, 2), positive(rng, 3, 1),
          no_grad=(2, 3), reduction=r, note="target grad, pos_weight (C, 1)"),
        S(np.array([[-200.0, 200.0, 0.0]], np.float32), np.array([[1.0, 0.0, 1.0]], np.float32),
          np.ones((1, 3), np.float32), np.array([3.0, 0.5, 2.0], np.float32),
          no_grad=(1, 2, 3), reduction=r, note="huge logits, pos_weight"),
    ]


_BCE_MISMATCH = ErrorCase((np.full(3, 0.5, np.float32), np.full((3, 1), 0.5, np.float32)), {},
                          ValueError)
_INT_TARGET = ErrorCase((np.full(3, 0.5, np.float32), np.array([1, 0, 1])), {}, RuntimeError)

SPECS += [
    OpSpec("binary_cross_entropy",
           op=lambda m, x, t, **kw: F(m).binary_cross_entropy(x, t, **kw),
           samples=each_reduction(_bce_samples),
           errors=[_BCE_MISMATCH, _INT_TARGET, BAD_REDUCTION,
                   ErrorCase((np.array([1.5, 0.5], np.float32), np.ones(2, np.float32)), {},
                             RuntimeError, "input should be between 0 and 1"),
                   ErrorCase((np.array([0.5, 0.5], np.float32),
                              np.array([1.5, 0.0], np.float32)), {}, RuntimeError,
                             "target should be between 0 and 1")]),
    OpSpec("binary_cross_entropy_weight",
           op=lambda m, x, t, w, **kw: F(m).binary_cross_entropy(x, t, weight=w, **kw),
           samples=each_reduction(_bce_weight_samples)),
    OpSpec("binary_cross_entropy_legacy_args",
           op=lambda m, x, t, **kw: F(m).binary_cross_entropy(x, t, **kw),
           samples=legacy_samples(gen_input=probs, gen_target=binary)),
    # probabilities of exactly 0 and 1: logs clamped at -100, gradient (x-t)/max(x(1-x), 1e-12)
    OpSpec("binary_cross_entropy_saturated",
           op=lambda m, x, t, **kw: F(m).binary_cross_entropy(x, t, **kw),
           samples=lambda rng: [S(np.array([0.0, 1.0, 0.0, 1.0, 1e-30, 0.5], np.float32),
                                  np.array([0.0, 1.0, 1.0, 0.0, 0.5, 0.5], np.float32),
                                  no_grad=(1,), reduction=r) for r in REDUCTIONS],
           gradcheck=False),
    OpSpec("binary_cross_entropy_with_logits",
           op=lambda m, x, t, **kw: F(m).binary_cross_entropy_with_logits(x, t, **kw),
           samples=each_reduction(_bce_logits_samples),
           errors=[ErrorCase(_BCE_MISMATCH.args, {}, ValueError, "must be the same"),
                   _INT_TARGET, BAD_REDUCTION]),
    OpSpec("binary_cross_entropy_with_logits_weights",
           op=lambda m, x, t, w, pw, **kw: F(m).binary_cross_entropy_with_logits(
               x, t, weight=w, pos_weight=pw, **kw),
           samples=each_reduction(_bce_logits_weight_samples)),
    OpSpec("binary_cross_entropy_with_logits_legacy_args",
           op=lambda m, x, t, **kw: F(m).binary_cross_entropy_with_logits(x, t, **kw),
           samples=legacy_samples(gen_target=binary)),
    OpSpec("soft_margin_loss", op=lambda m, x, t, **kw: F(m).soft_margin_loss(x, t, **kw),
           samples=pair_samples(target=signs, target_grad=False), errors=[BAD_REDUCTION]),
    OpSpec("multilabel_soft_margin_loss",
           op=lambda m, x, t, **kw: F(m).multilabel_soft_margin_loss(x, t, **kw),
           samples=each_reduction(lambda rng, r: [
               S(randn(rng, 3, 5) * 2, binary(rng, 3, 5), no_grad=(1,), reduction=r),
               S(randn(rng, 5), binary(rng, 5), no_grad=(1,), reduction=r, note="1-d"),
               S(randn(rng, 2, 4), probs(rng, 2, 4), reduction=r, note="target grad")]),
           errors=[BAD_REDUCTION]),
    OpSpec("multilabel_soft_margin_loss_weight",
           op=lambda m, x, t, w, **kw: F(m).multilabel_soft_margin_loss(x, t, weight=w, **kw),
           samples=each_reduction(lambda rng, r: [
               S(randn(rng, 3, 5), binary(rng, 3, 5), positive(rng, 5), no_grad=(1, 2),
                 reduction=r)])),
]


# ---------------------------------------------------------------------------- class indices
def _ce_samples(rng, r):
    t4 = labels(rng, 5, 4)
    return [
        S(randn(rng, 4, 5), t4, reduction=r),
        S(randn(rng, 5), np.array(3), reduction=r, note="unbatched"),
        S(randn(rng, 2, 4, 3), labels(rng, 4, 2, 3), reduction=r, note="K=1"),
        S(randn(rng, 2, 3, 2, 2), labels(rng, 3, 2, 2, 2), reduction=r, note="K=2"),
        S(randn(rng, 6, 4), with_ignored(labels(rng, 4, 6)), reduction=r, note="ignored"),
        S(randn(rng, 6, 4), labels(rng, 4, 6), reduction=r, ignore_index=2,
          note="ignore_index=2"),
        S(randn(rng, 2, 4, 3), with_ignored(labels(rng, 4, 2, 3), 7), reduction=r,
          ignore_index=7, note="K=1 ignored"),
        S(randn(rng, 4, 5) * 30, t4, reduction=r, note="large logits"),
        S(randn(rng, 0, 5), labels(rng, 5, 0), reduction=r, note="empty"),
        S(randn(rng, 1, 1), np.array([0]), reduction=r, note="one class"),
    ]


def _ce_smoothing_samples(rng, r):
    return [
        S(randn(rng, 4, 5), labels(rng, 5, 4), reduction=r, label_smoothing=0.1),
        S(randn(rng, 4, 5), labels(rng, 5, 4), reduction=r, label_smoothing=1.0),
        S(randn(rng, 4, 5), labels(rng, 5, 4), reduction=r, label_smoothing=-0.2,
          note="negative smoothing is off"),
        S(randn(rng, 6), np.array(2), reduction=r, label_smoothing=0.3, note="unbatched"),
        S(randn(rng, 2, 4, 3), with_ignored(labels(rng, 4, 2, 3)), reduction=r,
          label_smoothing=0.25, note="K=1 ignored"),
        S(randn(rng, 2, 3, 2, 2), labels(rng, 3, 2, 2, 2), reduction=r, label_smoothing=0.2,
          note="K=2"),
    ]


def _ce_weight_samples(rng, r):
    return [
        S(randn(rng, 4, 5), labels(rng, 5, 4), positive(rng, 5), no_grad=(2,), reduction=r),
        S(randn(rng, 6, 4), with_ignored(labels(rng, 4, 6)), positive(rng, 4), no_grad=(2,),
          reduction=r, note="ignored"),
        S(randn(rng, 6, 4), with_ignored(labels(rng, 4, 6)), positive(rng, 4), no_grad=(2,),
          reduction=r, label_smoothing=0.15, note="ignored, smoothing"),
        S(randn(rng, 2, 4, 3), labels(rng, 4, 2, 3), positive(rng, 4), no_grad=(2,),
          reduction=r, label_smoothing=0.1, note="K=1, smoothing"),
        S(randn(rng, 5), np.array(1), positive(rng, 5), no_grad=(2,), reduction=r,
          note="unbatched"),
        S(randn(rng, 5), np.array(1), positive(rng, 5), no_grad=(2,), reduction=r,
          label_smoothing=0.4, note="unbatched, smoothing"),
    ]


def _ce_prob_samples(rng, r):
    return [
        S(randn(rng, 4, 5), simplex(rng, 4, 5), no_grad=(1,), reduction=r),
        S(randn(rng, 4, 5), simplex(rng, 4, 5), no_grad=(1,), reduction=r,
          label_smoothing=0.2),
        S(randn(rng, 5), simplex(rng, 5), no_grad=(1,), reduction=r, note="unbatched"),
        S(randn(rng, 2, 3, 4), simplex(rng, 2, 3, 4, dim=1), no_grad=(1,), reduction=r,
          note="K=1"),
        S(randn(rng, 3, 4), simplex(rng, 3, 4), reduction=r, note="target grad"),
        S(randn(rng, 0, 4), simplex(rng, 0, 4), no_grad=(1,), reduction=r, note="empty"),
    ]


def _ce_prob_weight_samples(rng, r):
    return [
        S(randn(rng, 4, 5), simplex(rng, 4, 5), positive(rng, 5), no_grad=(1, 2), reduction=r),
        S(randn(rng, 2, 3, 2), simplex(rng, 2, 3, 2, dim=1), positive(rng, 3), no_grad=(1, 2),
          reduction=r, label_smoothing=0.3, note="K=1, smoothing"),
    ]


_X45 = np.zeros((4, 5), np.float32)
_CE_ERRORS = [
    ErrorCase((_X45, np.array([1, 2, 5, 3])), {}, IndexError, "Target 5 is out of bounds"),
    ErrorCase((_X45, np.array([1, -1, 0, 3])), {}, IndexError, "Target -1"),
    ErrorCase((_X45, np.array([1, -100, 7, 3])), {}, IndexError, "Target 7"),
    ErrorCase((np.zeros((2, 5, 3), np.float32), np.array([[0, 1, 2], [3, 4, 5]])), {},
              IndexError, "Target 5"),
    ErrorCase((np.zeros(5, np.float32), np.array(5)), {}, IndexError, "Target 5"),
    ErrorCase((_X45, np.array([1, 2, 3])), {}, ValueError, "batch_size"),
    ErrorCase((_X45, np.zeros((4, 2), np.int64)), {}, RuntimeError, "multi-target"),
    ErrorCase((np.zeros((2, 5, 3), np.float32), np.zeros((2, 4), np.int64)), {}, RuntimeError,
              "size mismatch"),
    ErrorCase((_X45, np.array([1, 2, 3, 4], np.int32)), {}, RuntimeError, "target dtype"),
    ErrorCase((_X45, np.zeros(4, np.float32)), {}, RuntimeError, "target dtype"),
    ErrorCase((_X45, np.array([1, 2, 3, 4]), np.ones(4, np.float32)), {}, RuntimeError,
              "weight tensor"),
    ErrorCase((_X45, np.array([1, 2, 3, 4]), np.ones((1, 5), np.float32)), {}, RuntimeError,
              "weight tensor"),
    ErrorCase((_X45, np.array([1, 2, 3, 4])), dict(reduction="avg"), ValueError),
    ErrorCase((np.zeros(5, np.float32), np.array([1, 2])), {}, ValueError, "1D target"),
]

SPECS += [
    OpSpec("cross_entropy",
           op=lambda m, x, t, w=None, **kw: F(m).cross_entropy(x, t, weight=w, **kw),
           samples=each_reduction(_ce_samples),
           errors=_CE_ERRORS + [
               ErrorCase((_X45, np.array([1, 2, 3, 4])), dict(label_smoothing=1.5),
                         RuntimeError, "label_smoothing"),
               ErrorCase((_X45, np.full((4, 5), 0.2, np.float32)), dict(ignore_index=1),
                         RuntimeError, "ignore_index"),
               ErrorCase((_X45, np.zeros((4, 5), np.int64)), {}, RuntimeError,
                         "floating point type"),
               ErrorCase((np.zeros((), np.float32), np.array(0)), {}, RuntimeError),
           ]),
    OpSpec("cross_entropy_label_smoothing",
           op=lambda m, x, t, **kw: F(m).cross_entropy(x, t, **kw),
           samples=each_reduction(_ce_smoothing_samples)),
    OpSpec("cross_entropy_weight",
           op=lambda m, x, t, w, **kw: F(m).cross_entropy(x, t, weight=w, **kw),
           samples=each_reduction(_ce_weight_samples)),
    OpSpec("cross_entropy_probs",
           op=lambda m, x, t, **kw: F(m).cross_entropy(x, t, **kw),
           samples=each_reduction(_ce_prob_samples),
           errors=[ErrorCase((_X45, np.full((4, 5), 0.2, np.float32)),
                             dict(label_smoothing=2.0), RuntimeError, "label_smoothing")]),
    OpSpec("cross_entropy_probs_weight",
           op=lambda m, x, t, w, **kw: F(m).cross_entropy(x, t, weight=w, **kw),
           samples=each_reduction(_ce_prob_weight_samples),
           errors=[ErrorCase((_X45, np.full((4, 5), 0.2, np.float32), np.ones(4, np.float32)),
                             {}, RuntimeError, "weight tensor")]),
    OpSpec("cross_entropy_legacy_args",
           op=lambda m, x, t, **kw: F(m).cross_entropy(x, t, **kw),
           samples=lambda rng: [S(randn(rng, 4, 5), labels(rng, 5, 4), **kw) for kw in LEGACY]),
    # noncontig=False: torch's nll_loss2d backward rejects non-contiguous input (cross_entropy
    # covers non-contiguous logits)
    OpSpec("nll_loss",
           op=lambda m, x, t, w=None, **kw: F(m).nll_loss(x, t, weight=w, **kw),
           samples=each_reduction(_ce_samples), noncontig=False,
           errors=_CE_ERRORS + [
               ErrorCase((np.zeros((), np.float32), np.array(0)), {}, ValueError,
                         "1 or more dimensions")]),
    OpSpec("nll_loss_weight",
           op=lambda m, x, t, w, **kw: F(m).nll_loss(x, t, weight=w, **kw),
           samples=each_reduction(lambda rng, r: [
               s for s in _ce_weight_samples(rng, r) if "label_smoothing" not in s.kwargs])),
    OpSpec("nll_loss_legacy_args", op=lambda m, x, t, **kw: F(m).nll_loss(x, t, **kw),
           samples=lambda rng: [S(randn(rng, 4, 5), labels(rng, 5, 4), **kw) for kw in LEGACY]),
]


def _multi_margin_samples(rng, r):
    return [
        S(away(rng, 4, 5), labels(rng, 5, 4), reduction=r),
        S(away(rng, 4, 5), labels(rng, 5, 4), reduction=r, p=2, margin=0.5),
        S(away(rng, 5), np.array(2), reduction=r, note="1-d"),
        S(away(rng, 5), np.array([4]), reduction=r, margin=2.0, note="1-d, 1-element target"),
    ]


_MM_ERRORS = [
    ErrorCase((_X45, np.array([0, 1, 2, 3])), dict(p=3), ValueError, "p == 1"),
    ErrorCase((_X45, np.array([0, 1, 5, 3])), {}, RuntimeError, "target out of range"),
    ErrorCase((_X45, np.array([0, 1, -1, 3])), {}, RuntimeError, "target out of range"),
    ErrorCase((np.zeros((2, 3, 4), np.float32), np.array([0, 1])), {}, RuntimeError),
    ErrorCase((_X45, np.array([0, 1])), {}, RuntimeError, "target tensor"),
    ErrorCase((_X45, np.array([0, 1, 2, 3]), np.ones((1, 5), np.float32)), {}, ValueError,
              "one-dimensional"),
]

SPECS += [
    OpSpec("multi_margin_loss",
           op=lambda m, x, t, w=None, **kw: F(m).multi_margin_loss(x, t, weight=w, **kw),
           samples=each_reduction(_multi_margin_samples), errors=_MM_ERRORS),
    OpSpec("multi_margin_loss_weight",
           op=lambda m, x, t, w, **kw: F(m).multi_margin_loss(x, t, weight=w, **kw),
           samples=each_reduction(lambda rng, r: [
               S(away(rng, 4, 5), labels(rng, 5, 4), positive(rng, 5), no_grad=(2,),
                 reduction=r, p=p) for p in (1, 2)])),
]


# ---------------------------------------------------------------------------- embeddings
def _hinge_samples(rng, r):
    return [
        S(away(rng, 3, 4, kinks=(1.0,)), signs(rng, 3, 4), no_grad=(1,), reduction=r),
        S(away(rng, 6, kinks=(0.5,)), signs(rng, 6), no_grad=(1,), reduction=r, margin=0.5),
        S(away(rng, kinks=(1.0,)), signs(rng), no_grad=(1,), reduction=r, note="0-d"),
        S(away(rng, 4, kinks=(1.0,)), np.array([1, -1, 0, 2]), reduction=r,
          note="int target, other values"),
    ]


def _ranking_samples(rng, r):
    return [
        S(randn(rng, 6), randn(rng, 6), signs(rng, 6), no_grad=(2,), reduction=r),
        S(randn(rng, 6), randn(rng, 6), signs(rng, 6), no_grad=(2,), reduction=r, margin=0.3),
        S(randn(rng), randn(rng), signs(rng), no_grad=(2,), reduction=r, note="0-d"),
        S(randn(rng, 4), randn(rng, 4), randn(rng, 4), reduction=r, note="target grad"),
    ]


def _cosine_samples(rng, r):
    return [
        S(randn(rng, 4, 6), randn(rng, 4, 6), signs(rng, 4), no_grad=(2,), reduction=r),
        S(randn(rng, 4, 6), randn(rng, 4, 6), signs(rng, 4), no_grad=(2,), reduction=r,
          margin=-0.5),
        S(randn(rng, 6), randn(rng, 6), np.array(-1.0, np.float32), no_grad=(2,),
          reduction=r, note="0-d target"),
        S(randn(rng, 5), randn(rng, 5), np.array(1.0, np.float32), no_grad=(2,),
          reduction=r, note="0-d positive"),
    ]


def _triplet_samples(rng, r):
    a, p, n = randn(rng, 4, 6), randn(rng, 4, 6), randn(rng, 4, 6)
    return [
        S(a, p, n, reduction=r),
        S(a, p, n, reduction=r, margin=3.0, p=1),
        S(a, p, n, reduction=r, margin=2.0, p=3, eps=1e-3),
        S(a, p, n, reduction=r, margin=2.5, swap=True),
        S(randn(rng, 5), randn(rng, 5), randn(rng, 5), reduction=r, margin=2.0, note="1-d"),
    ]


_TRIPLET_ERRORS = [
    ErrorCase((np.zeros((3, 4), np.float32),) * 3, dict(margin=0.0), ValueError, "margin"),
    ErrorCase((np.zeros((3, 4), np.float32), np.zeros((3, 4), np.float32),
               np.zeros(4, np.float32)), {}, RuntimeError, "same number of dimensions"),
]

SPECS += [
    OpSpec("hinge_embedding_loss",
           op=lambda m, x, t, **kw: F(m).hinge_embedding_loss(x, t, **kw),
           samples=each_reduction(_hinge_samples), errors=[BAD_REDUCTION]),
    OpSpec("margin_ranking_loss",
           op=lambda m, a, b, t, **kw: F(m).margin_ranking_loss(a, b, t, **kw),
           samples=each_reduction(_ranking_samples),
           errors=[ErrorCase((np.zeros(3, np.float32), np.zeros(3, np.float32),
                              np.ones((3, 1), np.float32)), {}, RuntimeError, "same dimension")]),
    OpSpec("cosine_embedding_loss",
           op=lambda m, a, b, t, **kw: F(m).cosine_embedding_loss(a, b, t, **kw),
           samples=each_reduction(_cosine_samples),
           errors=[ErrorCase((np.ones((3, 4), np.float32), np.ones((3, 4), np.float32),
                              np.ones((3, 1), np.float32)), {}, RuntimeError, "multi-target"),
                   ErrorCase((np.ones((3, 4), np.float32), np.ones((3, 4), np.float32),
                              np.ones((), np.float32)), {}, RuntimeError, "1D input"),
                   ErrorCase((np.ones((3, 4), np.float32), np.ones((3, 5), np.float32),
                              np.ones(3, np.float32)), {}, RuntimeError)]),
    OpSpec("triplet_margin_loss",
           op=lambda m, a, pos, neg, **kw: F(m).triplet_margin_loss(a, pos, neg, **kw),
           samples=each_reduction(_triplet_samples), errors=_TRIPLET_ERRORS + [
               ErrorCase((np.zeros((3, 4), np.float32),) * 3, dict(reduction="x"),
                         ValueError)]),
    OpSpec("triplet_margin_with_distance_loss",
           op=lambda m, a, pos, neg, cosine=False, **kw: F(m).triplet_margin_with_distance_loss(
               a, pos, neg, distance_function=(
                   (lambda x, y: 1.0 - F(m).cosine_similarity(x, y)) if cosine else None),
               **kw),
           samples=each_reduction(lambda rng, r: [
               S(randn(rng, 4, 6), randn(rng, 4, 6), randn(rng, 4, 6), reduction=r, margin=2.0),
               S(randn(rng, 4, 6), randn(rng, 4, 6), randn(rng, 4, 6), reduction=r,
                 swap=True, cosine=True, margin=0.5, note="cosine distance")]),
           errors=_TRIPLET_ERRORS),
]
