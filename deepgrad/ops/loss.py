"""Loss primitives with hand-written gradients, used by ``nn.functional.loss``.

Each exists for speed or numerical safety; everything else in the losses is composed:

* ``CrossEntropy``: class-index cross-entropy fused with its log-softmax. The forward makes one
  stable pass over the logits (max subtracted) and keeps the softmax; the backward is
  ``(softmax - onehot) * weight * scale`` computed directly on arrays. Under ``create_graph``
  the same gradient is built from differentiable tensor ops, so double backward works.
* ``NLLLoss``: ``-input[target]`` picked by index; its gradient is a scatter of the (weighted)
  upstream gradient, without ``np.add.at``.
* ``LogSigmoid``: ``log(sigmoid(x))`` that neither overflows nor loses its gradient at any
  logit (``x = +-1e4`` included; the gradient at 0 is exactly 0.5).
* ``BinaryCrossEntropy``: torch's clamped logs (at -100) and its gradient
  ``(x - t) / max(x (1 - x), 1e-12)``, finite even at probabilities of exactly 0 or 1.

``class_targets`` validates class-index targets once (torch's checks and exception types) and
precomputes what both class-index primitives need.
"""
from __future__ import annotations

import numpy as np

from .._tensor import Tensor
from ..autograd.function import Function
from ..autograd.grad_mode import is_grad_enabled
from ..backend import xp
from . import elementwise as ew
from . import reduction as red
from ._util import to_tensor

class LogSigmoid(Function):
    """``log(sigmoid(x)) = min(x, 0) - log1p(exp(-|x|))``: finite for every finite ``x``."""

    _array_forward = True

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        a = x.data
        return xp.minimum(a, 0) - xp.log1p(xp.exp(-xp.abs(a)))

    @staticmethod
    def backward(ctx, g):
        (x,) = ctx.saved_tensors
        return g * (-x).sigmoid()


class BinaryCrossEntropy(Function):
    """Elementwise ``-(t log(x) + (1 - t) log(1 - x))`` with each log clamped at -100."""

    _array_forward = True

    @staticmethod
    def forward(ctx, x, t):
        ctx.save_for_backward(x, t)
        a, b = x.data, t.data
        with np.errstate(divide="ignore"):
            return ((b - 1) * xp.maximum(xp.log1p(-a), -100.0)
                    - b * xp.maximum(xp.log(a), -100.0)).astype(a.dtype, copy=False)

    @staticmethod
    def backward(ctx, g):
        x, t = ctx.saved_tensors
        gx = gt = None
        if ctx.needs_input_grad[0]:
            gx = g * (x - t) / ew.clamp((1 - x) * x, min=1e-12)
        if ctx.needs_input_grad[1]:
            gt = g * ((-x).log1p() - x.log())  # -logit(x)
        return gx, gt


class ClassTargets:
    """Validated class-index targets for (N, C, *S) scores.

    ``index`` picks each target's score (a tuple for fancy indexing); ``ignored`` marks entries
    equal to ``ignore_index`` (None if there are none); ``weights`` is the per-entry weight
    ``weight[target]`` with ignored entries at 0 (None when every entry weighs 1);
    ``class_weight`` is ``weight`` (C,) or None; ``denominator`` is what ``'mean'`` divides by
    (the sum of ``weights``); ``shape`` is the shape of the unreduced loss.
    """

    __slots__ = ("index", "ignored", "weights", "class_weight", "denominator", "shape",
                 "n_classes")


def class_targets(name: str, input: Tensor, target, weight, ignore_index: int):
    """Check ``target`` against ``input`` as torch's nll_loss does; raise torch's errors."""
    nd = input.data.ndim
    t = to_tensor(target).data
    if nd < 1:
        raise ValueError(f"{name}: Expected 1 or more dimensions (got {nd})")
    if nd > 1 and (t.ndim == 0 or input.shape[0] != t.shape[0]):
        raise ValueError(f"{name}: Expected input batch_size ({input.shape[0]}) to match "
                         f"target batch_size ({t.shape[0] if t.ndim else 0}).")
    if nd <= 2 and t.ndim > 1:
        raise RuntimeError(f"{name}: 0D or 1D target tensor expected, multi-target not "
                           f"supported (got target of shape {tuple(t.shape)})")
    if nd == 1 and t.ndim == 1 and t.shape[0] != 1:
        raise ValueError(f"{name}: For 1D input, 1D target must have size 1, but got target "
                         f"size: {t.shape[0]}")
    if nd > 2 and t.shape != (input.shape[0],) + tuple(input.shape[2:]):
        raise RuntimeError(f"{name}: size mismatch (got input: {list(input.shape)} , target: "
                           f"{list(t.shape)})")
    if t.dtype != np.int64 and t.dtype != np.uint8:
        raise RuntimeError(f"{name}: expected target dtype to be Long or Byte (int64 or uint8), "
                           f"but got {to_tensor(target).dtype.name}")
    n_classes = input.shape[1] if nd > 1 else input.shape[0]
    if weight is not None:
        weight = to_tensor(weight)
        if weight.dim() != 1 or weight.numel() != n_classes:
            raise RuntimeError(f"{name}: weight tensor should be defined either for all "
                               f"{n_classes} classes or no classes but got weight tensor of "
                               f"shape: {list(weight.shape)}")
    spec = ClassTargets()
    spec.n_classes = n_classes
    spec.shape = () if nd == 1 else t.shape
    t = (t.reshape(-1) if nd == 1 else t).astype(np.int64, copy=False)
    ignored = t == ignore_index
    if ignored.any():
        t = xp.where(ignored, 0, t)
    else:
        ignored = None
    if t.size and (t.min() < 0 or t.max() >= n_classes):
        bad = t[(t < 0) | (t >= n_classes)].flat[0]
        raise IndexError(f"{name}: Target {int(bad)} is out of bounds: class indices must lie "
                         f"in [0, {n_classes}) or equal ignore_index ({ignore_index}).")
    if t.ndim <= 1:
        spec.index = (xp.arange(t.shape[0]), t)
    else:
        grids = xp.indices(t.shape, sparse=True)
        spec.index = (grids[0], t) + tuple(grids[1:])
    dtype = input.data.dtype
    if weight is None:
        spec.class_weight = None
        spec.weights = None if ignored is None else (~ignored).astype(dtype)
    else:
        spec.class_weight = weight.data.astype(dtype, copy=False)
        spec.weights = spec.class_weight[t]
        if ignored is not None:
            spec.weights[ignored] = 0
    spec.ignored = ignored
    spec.denominator = float(t.size if spec.weights is None else spec.weights.sum())
    return spec


def _mean_scale(spec, reduction) -> float:
    """The gradient's factor for the reduction: ``1 / denominator`` for a non-empty mean."""
    if reduction != "mean":
        return 1.0
    return 1.0 / spec.denominator if spec.denominator else 0.0


def _reduce_array(loss, spec, reduction, dtype):
    if reduction == "none":
        return loss
    total = loss.sum()
    if reduction == "mean":
        with np.errstate(invalid="ignore", divide="ignore"):
            total = total / dtype.type(spec.denominator)
    return xp.asarray(total, dtype=dtype)


def _expand_class_dim(v):
    """A per-entry array (N, *S) as (N, 1, *S) to broadcast over classes; scalars unchanged."""
    return v if xp.ndim(v) == 0 else xp.expand_dims(v, 1)


def _upstream(g: Tensor, scale: float, reduction: str) -> Tensor:
    """The upstream gradient as a tensor that broadcasts over (N, C, *S)."""
    if scale != 1.0:
        g = g * scale
    return g.unsqueeze(1) if reduction == "none" else g


class CrossEntropy(Function):
    """Log-softmax and class-index cross-entropy over dim 1 of (N, C, *S) logits, fused.

    Per entry, with ``p = softmax(x)``, ``w = weight`` and smoothing ``e``::

        loss = (1 - e) w[y] (-log p[y]) + (e / C) sum_c w[c] (-log p[c])
        dloss/dx = (1 - e) w[y] (p - onehot(y)) + (e / C) (sum_c w[c] p - w)
    """

    _array_forward = True

    @staticmethod
    def forward(ctx, x, spec, smoothing, reduction):
        a = x.data
        weights, cw = spec.weights, spec.class_weight
        shifted = a - a.max(axis=1, keepdims=True)
        picked = shifted[spec.index]
        if smoothing:
            if cw is None:
                total, weight_sum = shifted.sum(axis=1), spec.n_classes
            else:
                cw_b = cw.reshape((1, -1) + (1,) * (a.ndim - 2))
                total, weight_sum = (shifted * cw_b).sum(axis=1), cw.sum()
        probs = xp.exp(shifted, out=shifted)
        sums = probs.sum(axis=1, keepdims=True)
        probs /= sums
        log_sums = xp.log(sums[:, 0])
        loss = log_sums - picked  # -log p[y]
        if weights is not None:
            loss *= weights
        if smoothing:
            smooth = log_sums * weight_sum - total  # -sum_c w[c] log p[c]
            loss = loss * (1.0 - smoothing) + smooth * (smoothing / spec.n_classes)
        if spec.ignored is not None:
            loss[spec.ignored] = 0  # also where an ignored entry's class-0 logit is -inf
        ctx.save_for_backward(x, probs)
        ctx.spec, ctx.smoothing, ctx.reduction = spec, smoothing, reduction
        return _reduce_array(loss, spec, reduction, a.dtype)

    @staticmethod
    def backward(ctx, g):
        spec, eps, reduction = ctx.spec, ctx.smoothing, ctx.reduction
        scale = _mean_scale(spec, reduction)
        dtype = g.data.dtype
        # per entry: the coefficient of -onehot(y), and that of softmax (the entry's target mass)
        onehot_coef = (1.0 - eps) if spec.weights is None else spec.weights * (1.0 - eps)
        probs_coef = onehot_coef
        if eps:
            valid = 1.0 if spec.ignored is None else (~spec.ignored).astype(dtype)
            smooth_coef = valid * (eps / spec.n_classes)
            cw = spec.class_weight
            probs_coef = onehot_coef + smooth_coef * (spec.n_classes if cw is None else cw.sum())
        if is_grad_enabled():  # create_graph: the same gradient from differentiable tensor ops
            x, probs = ctx.saved_tensors
            target_dist = xp.zeros_like(probs)
            target_dist[spec.index] = onehot_coef
            if eps:
                target_dist += _expand_class_dim(smooth_coef) * _class_weight_b(spec, probs.ndim)
            softmax = red.softmax(x, 1)
            if xp.ndim(probs_coef) or probs_coef != 1.0:
                softmax = softmax * Tensor._make(
                    xp.asarray(_expand_class_dim(probs_coef), dtype=dtype))
            return (softmax - Tensor._make(target_dist)) * _upstream(g, scale, reduction)
        probs = _saved_array(ctx, 1)
        r = g.data * scale if scale != 1.0 else g.data
        grad = probs * _expand_class_dim(r * probs_coef)
        grad[spec.index] -= r * onehot_coef
        if eps:
            grad -= _expand_class_dim(r * smooth_coef) * _class_weight_b(spec, grad.ndim)
        return Tensor._make(grad)


def _class_weight_b(spec, ndim: int):
    """The class weights shaped (1, C, 1, ...) to broadcast over (N, C, *S); 1 if none."""
    cw = spec.class_weight
    return 1.0 if cw is None else cw.reshape((1, -1) + (1,) * (ndim - 2))


def _saved_array(ctx, i: int):
    """Saved item ``i`` without the version check of the saved logits: the fast backward uses
    only the saved softmax, so (as in torch) changing the logits in place afterwards is fine."""
    if ctx._saved is None:
        ctx.saved_tensors  # raises "Trying to backward through the graph a second time"
    return ctx._saved[i]


class NLLLoss(Function):
    """``-input[target] * weight[target]`` over dim 1 of (N, C, *S) log-probabilities."""

    _array_forward = True

    @staticmethod
    def forward(ctx, x, spec, reduction):
        a = x.data
        loss = -a[spec.index]
        if spec.weights is not None:
            loss *= spec.weights
        if spec.ignored is not None:
            loss[spec.ignored] = 0
        ctx.save_for_backward(spec)  # freed after backward, like saved tensors
        ctx.reduction, ctx.shape = reduction, a.shape
        return _reduce_array(loss, spec, reduction, a.dtype)

    @staticmethod
    def backward(ctx, g):
        (spec,), reduction = ctx.saved_tensors, ctx.reduction
        scale = _mean_scale(spec, reduction)
        coef = -1.0 if spec.weights is None else -spec.weights
        if is_grad_enabled():  # linear in g: a constant scatter pattern times g
            pattern = xp.zeros(ctx.shape, dtype=g.data.dtype)
            pattern[spec.index] = coef
            return Tensor._make(pattern) * _upstream(g, scale, reduction)
        r = g.data * scale if scale != 1.0 else g.data
        grad = xp.zeros(ctx.shape, dtype=g.data.dtype)
        grad[spec.index] = r * coef
        return Tensor._make(grad)
