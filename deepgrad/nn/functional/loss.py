"""Loss functions with torch's formulas, defaults, argument names and reductions.

Most losses are composed from tensor primitives and need no gradient code of their own; the
few with a hand-written gradient (the fused class-index cross-entropy, nll, a stable
log-sigmoid and the clamped binary cross-entropy) live in ``deepgrad.ops.loss``.

Reductions: ``'none'`` keeps one loss per element (or per sample), ``'mean'`` averages (weighted
where torch weights), ``'sum'`` adds up. The deprecated ``size_average``/``reduce`` flags map to
a reduction as in torch and override ``reduction`` when given.
"""
from __future__ import annotations

import math
import warnings

from ..._tensor import Tensor
from ...backend import xp
from ...ops import elementwise as ew
from ...ops import reduction as red
from ...ops._util import broadcast_shapes, to_tensor
from ...ops.loss import (BinaryCrossEntropy, CrossEntropy, LogSigmoid, NLLLoss,
                               class_targets)
from .linear import pairwise_distance

__all__ = [
    "binary_cross_entropy", "binary_cross_entropy_with_logits", "cosine_embedding_loss",
    "cross_entropy", "gaussian_nll_loss", "hinge_embedding_loss", "huber_loss", "kl_div",
    "l1_loss", "margin_ranking_loss", "mse_loss", "multi_margin_loss",
    "multilabel_soft_margin_loss", "nll_loss", "poisson_nll_loss", "smooth_l1_loss",
    "soft_margin_loss", "triplet_margin_loss", "triplet_margin_with_distance_loss",
]

_REDUCTIONS = ("none", "mean", "sum")


# ---------------------------------------------------------------------------- reductions
def _legacy_reduction(size_average, reduce) -> str:
    """torch's mapping of the deprecated ``size_average``/``reduce`` flags to ``reduction``."""
    warnings.warn("size_average and reduce args will be deprecated, please use reduction='"
                  + ("mean" if (size_average is not False and reduce is not False) else
                     "sum" if reduce is not False else "none") + "' instead.", stacklevel=4)
    size_average = True if size_average is None else size_average
    reduce = True if reduce is None else reduce
    if size_average and reduce:
        return "mean"
    return "sum" if reduce else "none"


def _get_reduction(reduction, size_average=None, reduce=None) -> str:
    if size_average is not None or reduce is not None:
        return _legacy_reduction(size_average, reduce)
    if reduction not in _REDUCTIONS:
        raise ValueError(f"{reduction} is not a valid value for reduction")
    return reduction


def _reduce(loss: Tensor, reduction: str) -> Tensor:
    if reduction == "mean":
        return loss.mean()
    if reduction == "sum":
        return loss.sum()
    return loss


def _nan_mean(total: Tensor, count: int) -> Tensor:
    """``total / count``, NaN (as torch gives) when ``count`` is 0."""
    return total / count if count else total * float("nan")


def _check_broadcast(name: str, input: Tensor, target: Tensor) -> None:
    """Warn, as torch does, when ``target`` only matches ``input`` by broadcasting."""
    if input.shape != target.shape:
        broadcast_shapes(input.shape, target.shape)  # RuntimeError if impossible
        warnings.warn(
            f"{name}: Using a target size ({tuple(target.shape)}) that is different to the "
            f"input size ({tuple(input.shape)}). This will likely lead to incorrect results due "
            "to broadcasting. Please ensure they have the same size.", stacklevel=3)


def _weighted(loss: Tensor, input: Tensor, weight, reduction: str, mean_by_weight: bool):
    weight = to_tensor(weight)
    if weight.shape != input.shape:
        raise ValueError("Weights and input must have the same size.")
    loss = loss * weight
    if reduction == "mean" and mean_by_weight:
        return loss.sum() / weight.sum()
    return _reduce(loss, reduction)


def _require_float_target(name: str, target: Tensor) -> None:
    if not target.is_floating_point():
        raise RuntimeError(f"{name}: expected a floating-point target, got {target.dtype.name}")


# ---------------------------------------------------------------------------- regression
def mse_loss(input, target, size_average=None, reduce=None, reduction: str = "mean",
             weight=None) -> Tensor:
    """Mean squared error ``(input - target) ** 2``, reduced.

    Shapes: ``input`` (*), ``target`` (*) (broadcast with a warning if different), optional
    ``weight`` (*) (weighted mean = ``sum(w * l) / sum(w)``); output () or (*) for ``'none'``.

    Example::

        >>> x = deepgrad.randn(3, 5, requires_grad=True)
        >>> F.mse_loss(x, deepgrad.randn(3, 5)).backward()
    """
    input, target = to_tensor(input), to_tensor(target)
    _check_broadcast("mse_loss", input, target)
    reduction = _get_reduction(reduction, size_average, reduce)
    loss = (input - target).square()
    if weight is not None:
        return _weighted(loss, input, weight, reduction, True)
    return _reduce(loss, reduction)


def l1_loss(input, target, size_average=None, reduce=None, reduction: str = "mean",
            weight=None) -> Tensor:
    """Mean absolute error ``|input - target|``, reduced (shapes as ``mse_loss``).

    Example::

        >>> F.l1_loss(deepgrad.tensor([1.0, 2.0]), deepgrad.tensor([0.0, 4.0]))
        tensor(1.5000)
    """
    input, target = to_tensor(input), to_tensor(target)
    _check_broadcast("l1_loss", input, target)
    reduction = _get_reduction(reduction, size_average, reduce)
    loss = (input - target).abs()
    if weight is not None:
        return _weighted(loss, input, weight, reduction, True)
    return _reduce(loss, reduction)


def smooth_l1_loss(input, target, size_average=None, reduce=None, reduction: str = "mean",
                   beta: float = 1.0) -> Tensor:
    """``0.5 z**2 / beta`` if ``z = |input - target| < beta``, else ``z - 0.5 beta``.

    ``beta = 0`` is the L1 loss. Shapes: input (*), target (*); output () or (*).

    Example::

        >>> F.smooth_l1_loss(deepgrad.tensor([0.5, 3.0]), deepgrad.zeros(2))
        tensor(1.3125)
    """
    input, target = to_tensor(input), to_tensor(target)
    _check_broadcast("smooth_l1_loss", input, target)
    reduction = _get_reduction(reduction, size_average, reduce)
    if beta < 0:
        raise RuntimeError("smooth_l1_loss does not support negative values for beta.")
    z = (input - target).abs()
    if beta == 0.0:  # the quadratic branch would divide by zero
        return _reduce(z, reduction)
    loss = ew.where(z < beta, z.square() * (0.5 / beta), z - 0.5 * beta)
    return _reduce(loss, reduction)


def huber_loss(input, target, reduction: str = "mean", delta: float = 1.0,
               weight=None) -> Tensor:
    """``0.5 z**2`` if ``z = |input - target| < delta``, else ``delta (z - 0.5 delta)``.

    Shapes: input (*), target (*), optional ``weight`` (*) (mean of ``w * l``); output () or (*).

    Example::

        >>> F.huber_loss(deepgrad.tensor([0.5, 3.0]), deepgrad.zeros(2), delta=2.0)
        tensor(2.0625)
    """
    input, target = to_tensor(input), to_tensor(target)
    _check_broadcast("huber_loss", input, target)
    reduction = _get_reduction(reduction)
    if not delta > 0:
        raise RuntimeError("huber_loss does not support non-positive values for delta.")
    z = (input - target).abs()
    loss = ew.where(z < delta, z.square() * 0.5, (z - 0.5 * delta) * delta)
    if weight is not None:
        return _weighted(loss, input, weight, reduction, False)
    return _reduce(loss, reduction)


def poisson_nll_loss(input, target, log_input: bool = True, full: bool = False,
                     size_average=None, eps: float = 1e-8, reduce=None,
                     reduction: str = "mean") -> Tensor:
    """Poisson negative log-likelihood: ``exp(input) - target * input`` (``log_input``) or
    ``input - target * log(input + eps)``; ``full`` adds Stirling's term for targets > 1.

    Shapes: input (*), target (*); output () or (*).

    Example::

        >>> rate = deepgrad.randn(4, requires_grad=True)
        >>> F.poisson_nll_loss(rate, deepgrad.tensor([0.0, 1.0, 2.0, 5.0])).backward()
    """
    input, target = to_tensor(input), to_tensor(target)
    reduction = _get_reduction(reduction, size_average, reduce)
    if log_input:
        loss = input.exp() - target * input
    else:
        loss = input - target * (input + eps).log()
    if full:
        above = target > 1
        t = ew.where(above, target, 1.0)  # keeps log() finite where the term is masked out
        stirling = t * t.log() - t + (t * (2 * math.pi)).log() * 0.5
        loss = loss + ew.where(above, stirling, 0.0)
    return _reduce(loss, reduction)


def gaussian_nll_loss(input, target, var, full: bool = False, eps: float = 1e-6,
                      reduction: str = "mean") -> Tensor:
    """Gaussian negative log-likelihood ``0.5 (log(var) + (input - target)**2 / var)``.

    ``var`` is clamped to at least ``eps`` for stability without changing its gradient (as in
    torch). Shapes: input (N, *) or (*), target like input, var like input, or with one dim of
    size 1, or without the last dim, or a number; output () or like input.

    Example::

        >>> mu, var = deepgrad.randn(5, 2, requires_grad=True), deepgrad.ones(5, 1)
        >>> F.gaussian_nll_loss(mu, deepgrad.randn(5, 2), var).backward()
    """
    input, target = to_tensor(input), to_tensor(target)
    if isinstance(var, (int, float)) and not isinstance(var, bool):
        if var < 0:
            raise ValueError("var has negative entry/entries")
        var = Tensor._make(xp.full(input.data.shape, var, dtype=input.data.dtype))
    else:
        var = to_tensor(var)
        if xp.any(var.data < 0):
            raise ValueError("var has negative entry/entries")
    if var.shape != input.shape:
        if input.shape[:-1] == var.shape:
            var = var.unsqueeze(-1)
        elif not (input.dim() == var.dim() and sum(
                v for i, v in zip(input.shape, var.shape) if i != v) == 1):
            raise ValueError("var is of incorrect size")
    if reduction not in _REDUCTIONS:
        raise ValueError(reduction + " is not valid")
    clamped = Tensor._make(xp.maximum(var.data, xp.asarray(eps, dtype=var.data.dtype)))
    # the value is clamped, the gradient is that of ``var`` itself (var - var.detach() is 0)
    var = (var - var.detach()) + clamped if var.requires_grad else clamped
    loss = (var.log() + (input - target).square() / var) * 0.5
    if full:
        loss = loss + 0.5 * math.log(2 * math.pi)
    return _reduce(loss, reduction)


def kl_div(input, target, size_average=None, reduce=None, reduction: str = "mean",
           log_target: bool = False) -> Tensor:
    """Kullback-Leibler divergence, pointwise ``target * (log(target) - input)``.

    ``input`` holds log-probabilities; ``target`` probabilities (log-probabilities if
    ``log_target``). ``reduction='batchmean'`` divides the sum by the batch size (the true KL);
    ``'mean'`` divides by the number of elements (with torch's warning).
    Shapes: input (*), target (*); output () or (*).

    Example::

        >>> logq = deepgrad.randn(3, 5).log_softmax(1)
        >>> loss = F.kl_div(logq, deepgrad.randn(3, 5).softmax(1), reduction="batchmean")
    """
    input, target = to_tensor(input), to_tensor(target)
    if size_average is not None or reduce is not None:
        reduction = _legacy_reduction(size_average, reduce)
    elif reduction == "mean":
        warnings.warn("reduction: 'mean' divides the total loss by both the batch size and the "
                      "support size.'batchmean' divides only by the batch size, and aligns with "
                      "the KL div math definition.'mean' will be changed to behave the same as "
                      "'batchmean' in the next major release.", stacklevel=2)
    elif reduction not in ("none", "sum", "batchmean"):
        raise ValueError(f"{reduction} is not a valid value for reduction")
    if log_target:
        loss = target.exp() * (target - input)
    else:
        loss = ew.xlogy(target, target) - target * input
    if reduction == "batchmean":
        total = loss.sum()
        return total / input.shape[0] if input.dim() else total
    return _reduce(loss, reduction)


# ---------------------------------------------------------------------------- binary
def _check_unit_interval(name: str, what: str, t: Tensor) -> None:
    a = t.data
    if a.size and not bool(xp.all((a >= 0) & (a <= 1))):
        raise RuntimeError(f"{name}: all elements of {what} should be between 0 and 1")


def binary_cross_entropy(input, target, weight=None, size_average=None, reduce=None,
                         reduction: str = "mean") -> Tensor:
    """Binary cross-entropy of probabilities: ``-w (t log(x) + (1 - t) log(1 - x))``.

    Logs are clamped at -100 as in torch, so probabilities of exactly 0 or 1 give finite
    losses and gradients. Shapes: input (*) in [0, 1], target (*) (the same shape, else
    ValueError), ``weight`` broadcastable to (*); output () or (*).

    Example::

        >>> p = deepgrad.randn(4, requires_grad=True).sigmoid()
        >>> loss = F.binary_cross_entropy(p, deepgrad.tensor([0.0, 1.0, 1.0, 0.0]))
    """
    input, target = to_tensor(input), to_tensor(target)
    reduction = _get_reduction(reduction, size_average, reduce)
    if target.shape != input.shape:
        raise ValueError(
            f"binary_cross_entropy: Using a target size ({tuple(target.shape)}) that is "
            f"different to the input size ({tuple(input.shape)}) is deprecated. Please ensure "
            "they have the same size.")
    _require_float_target("binary_cross_entropy", target)
    _check_unit_interval("binary_cross_entropy", "input", input)
    _check_unit_interval("binary_cross_entropy", "target", target)
    loss = BinaryCrossEntropy.apply(input, target)
    if weight is not None:
        weight = to_tensor(weight)
        if broadcast_shapes(target.shape, weight.shape) != tuple(target.shape):
            raise RuntimeError(f"binary_cross_entropy: weight of shape {tuple(weight.shape)} "
                               f"cannot be broadcast to the target's {tuple(target.shape)}")
        loss = loss * weight
    return _reduce(loss, reduction)


def binary_cross_entropy_with_logits(input, target, weight=None, size_average=None,
                                     reduce=None, reduction: str = "mean",
                                     pos_weight=None) -> Tensor:
    """Sigmoid and binary cross-entropy in one stable expression.

    ``loss = (1 - t) x - (1 + (pos_weight - 1) t) log(sigmoid(x))``, times ``weight``; finite
    (no NaN or inf) for logits of any size. Shapes: input (*), target (*) (the same shape,
    else ValueError), ``weight`` and ``pos_weight`` broadcastable to (*) (``pos_weight`` is
    typically (C,) for (N, C) input); output () or (*).

    Example::

        >>> logits = deepgrad.randn(4, 3, requires_grad=True)
        >>> F.binary_cross_entropy_with_logits(logits, deepgrad.ones(4, 3)).backward()
    """
    input, target = to_tensor(input), to_tensor(target)
    reduction = _get_reduction(reduction, size_average, reduce)
    if target.shape != input.shape:
        raise ValueError(f"Target size ({tuple(target.shape)}) must be the same as input size "
                         f"({tuple(input.shape)})")
    _require_float_target("binary_cross_entropy_with_logits", target)
    log_sig = LogSigmoid.apply(input)
    if pos_weight is not None:
        log_sig = log_sig * ((to_tensor(pos_weight) - 1) * target + 1)
    loss = (1 - target) * input - log_sig
    if weight is not None:
        loss = loss * to_tensor(weight)
    return _reduce(loss, reduction)


def soft_margin_loss(input, target, size_average=None, reduce=None,
                     reduction: str = "mean") -> Tensor:
    """Two-class logistic loss ``log(1 + exp(-target * input))`` for targets +-1.

    Shapes: input (*), target (*); output () or (*).

    Example::

        >>> loss = F.soft_margin_loss(deepgrad.randn(4), deepgrad.tensor([1.0, -1.0, 1.0, 1.0]))
    """
    input, target = to_tensor(input), to_tensor(target)
    reduction = _get_reduction(reduction, size_average, reduce)
    return _reduce(-LogSigmoid.apply(target * input), reduction)


def multilabel_soft_margin_loss(input, target, weight=None, size_average=None, reduce=None,
                                reduction: str = "mean") -> Tensor:
    """Multi-label one-versus-all logistic loss, averaged over the C classes of each sample.

    ``-(t log(sigmoid(x)) + (1 - t) log(sigmoid(-x)))``, times ``weight`` (C,), summed over the
    last dim and divided by C. Shapes: input (N, C) or (C,), target like input; output (),
    or (N,) for ``'none'``.

    Example::

        >>> target = deepgrad.tensor([[1.0, 0.0, 1.0], [0.0, 0.0, 1.0]])
        >>> loss = F.multilabel_soft_margin_loss(deepgrad.randn(2, 3), target)
    """
    input, target = to_tensor(input), to_tensor(target)
    reduction = _get_reduction(reduction, size_average, reduce)
    # log(sigmoid(-x)) = log(sigmoid(x)) - x folds the two terms into one
    loss = (1 - target) * input - LogSigmoid.apply(input)
    if weight is not None:
        loss = loss * to_tensor(weight)
    class_dim = input.dim() - 1
    loss = loss.sum(class_dim) / input.shape[class_dim]
    return _reduce(loss, reduction)


# ---------------------------------------------------------------------------- class indices
def _as_batched(input: Tensor, spec, out: Tensor, reduction: str) -> Tensor:
    """Give unbatched (C,) input's unreduced loss the target's shape."""
    if reduction == "none" and input.dim() == 1:
        return out.reshape(spec.shape)
    return out


def nll_loss(input, target, weight=None, size_average=None, ignore_index: int = -100,
             reduce=None, reduction: str = "mean") -> Tensor:
    """Negative log-likelihood of class-index targets given log-probabilities.

    ``loss[i] = -weight[t_i] * input[i, t_i]``; entries whose target equals ``ignore_index``
    count 0 and are left out of the ``'mean'`` (which is weighted: ``sum / sum(weight[t])``).
    Shapes: input (N, C), (C,) or (N, C, d1, ..., dK) log-probabilities; target (N,), () or
    (N, d1, ..., dK) int64 in [0, C); weight (C,); output () or the target's shape for
    ``'none'``. Out-of-range targets raise IndexError.

    Example::

        >>> logp = deepgrad.randn(3, 5, requires_grad=True).log_softmax(1)
        >>> F.nll_loss(logp, deepgrad.tensor([1, 0, 4])).backward()
    """
    input = to_tensor(input)
    reduction = _get_reduction(reduction, size_average, reduce)
    spec = class_targets("nll_loss", input, target, weight, ignore_index)
    x = input.reshape(1, -1) if input.dim() == 1 else input
    return _as_batched(input, spec, NLLLoss.apply(x, spec, reduction), reduction)


def cross_entropy(input, target, weight=None, size_average=None, ignore_index: int = -100,
                  reduce=None, reduction: str = "mean", label_smoothing: float = 0.0) -> Tensor:
    """Cross-entropy between logits and class-index or class-probability targets.

    Class indices (one fused, numerically stable primitive)::

        p_i = softmax(x_i)
        loss[i] = (1 - e) w[t_i] (-log p_i[t_i]) + (e / C) sum_c w[c] (-log p_i[c])

    with ``e = label_smoothing`` and ``w = weight`` (ones if None); entries whose target equals
    ``ignore_index`` count 0, and ``'mean'`` divides by ``sum_i w[t_i]`` over the others.
    Probabilities (target shaped like input): ``loss[i] = -sum_c w[c] q[i, c] log softmax(x_i)[c]``
    with ``q = (1 - e) target + e / C``; ``'mean'`` divides by the number of entries.

    Shapes: input (N, C), (C,) or (N, C, d1, ..., dK) logits; target (N,), () or
    (N, d1, ..., dK) int64 class indices in [0, C), or probabilities shaped like input;
    weight (C,); output (), or per entry (N,), () or (N, d1, ..., dK) for ``'none'``.
    Out-of-range class indices raise IndexError naming the value.

    Example::

        >>> logits = deepgrad.randn(4, 10, requires_grad=True)
        >>> loss = F.cross_entropy(logits, deepgrad.tensor([3, 0, 9, 1]), label_smoothing=0.1)
        >>> loss.backward()
    """
    input, target = to_tensor(input), to_tensor(target)
    reduction = _get_reduction(reduction, size_average, reduce)
    if input.shape == target.shape:
        return _cross_entropy_probs(input, target, weight, reduction, ignore_index,
                                    label_smoothing)
    smoothing = 0.0
    if label_smoothing > 0.0:
        _check_smoothing(label_smoothing)
        smoothing = float(label_smoothing)
    spec = class_targets("cross_entropy", input, target, weight, ignore_index)
    x = input.reshape(1, -1) if input.dim() == 1 else input
    out = CrossEntropy.apply(x, spec, smoothing, reduction)
    return _as_batched(input, spec, out, reduction)


def _check_smoothing(label_smoothing: float) -> None:
    if label_smoothing > 1.0:
        raise RuntimeError(f"cross_entropy: label_smoothing must be between 0.0 and 1.0. Got: "
                           f"{label_smoothing}")


def _cross_entropy_probs(input, target, weight, reduction, ignore_index, label_smoothing):
    """Cross-entropy with probability targets, composed from the fused log-softmax."""
    if not target.is_floating_point():
        raise RuntimeError(f"cross_entropy: Expected floating point type for target with class "
                           f"probabilities, got {target.dtype.name}")
    if ignore_index >= 0:
        raise RuntimeError("cross_entropy: ignore_index is not supported for floating point "
                           "target")
    class_dim = 0 if input.dim() == 1 else 1
    n_classes = input.shape[class_dim]
    if weight is not None:
        weight = to_tensor(weight)
        if weight.dim() != 1 or weight.numel() != n_classes:
            raise RuntimeError(f"cross_entropy: weight tensor should be defined either for all "
                               f"{n_classes} classes or no classes but got weight tensor of "
                               f"shape: {list(weight.shape)}")
    log_probs = red.log_softmax(input, class_dim)
    if label_smoothing > 0.0:
        _check_smoothing(label_smoothing)
        target = target * (1 - label_smoothing) + label_smoothing / n_classes
    terms = log_probs * target
    if weight is not None:
        terms = terms * weight.reshape((n_classes,) + (1,) * (input.dim() - class_dim - 1))
    if reduction == "none":
        return -terms.sum(class_dim)
    if reduction == "sum":
        return -terms.sum()
    return _nan_mean(-terms.sum(), input.numel() // n_classes if n_classes else 0)


def multi_margin_loss(input, target, p: int = 1, margin: float = 1.0, weight=None,
                      size_average=None, reduce=None, reduction: str = "mean") -> Tensor:
    """Multi-class hinge loss: ``sum_{j != y} max(0, margin - x[y] + x[j]) ** p / C``.

    Each term is scaled by ``weight[y]``. Shapes: input (N, C) or (C,); target (N,) or () int64
    in [0, C); weight (C,); output (), or (N,) (the target's shape) for ``'none'``.

    Example::

        >>> loss = F.multi_margin_loss(deepgrad.randn(3, 4), deepgrad.tensor([0, 3, 1]))
    """
    input = to_tensor(input)
    reduction = _get_reduction(reduction, size_average, reduce)
    if p not in (1, 2):
        raise ValueError("only p == 1 and p == 2 supported")
    if weight is not None:
        weight = to_tensor(weight)
        if weight.dim() != 1:
            raise ValueError("weight must be one-dimensional")
    nd = input.dim()
    if nd > 2 or input.numel() == 0 and nd != 2:
        raise RuntimeError(f"multi_margin_loss: Expected non-empty vector or matrix with "
                           f"optional 0-dim batch size, but got: {list(input.shape)}")
    t = to_tensor(target).data
    x = input if nd == 2 else input.reshape(1, -1)
    n, n_classes = x.shape
    if nd == 2 and (t.ndim != 1 or t.shape[0] != n) or nd < 2 and t.size != 1:
        raise RuntimeError(
            f"multi_margin_loss: target tensor should be 1-D with size equal to the number of "
            f"input samples (batch size). Expected target size [{n}], but got "
            f"{list(t.shape)}.")
    t = t.reshape(-1)
    if t.size and (t.min() < 0 or t.max() >= n_classes):
        bad = t[(t < 0) | (t >= n_classes)].flat[0]
        raise RuntimeError(f"multi_margin_loss: target out of range: {int(bad)} is not a class "
                           f"index in [0, {n_classes})")
    is_target = Tensor._make(xp.arange(n_classes) == t[:, None])
    x_target = ew.where(is_target, x, 0.0).sum(1, keepdim=True)
    z = ew.clamp(x - x_target + margin, min=0.0)
    if p == 2:
        z = z.square()
    if weight is not None:
        z = z * Tensor._make(weight.data.astype(x.data.dtype)[t][:, None])
    loss = ew.where(is_target, 0.0, z).sum(1) / n_classes
    if nd < 2:
        loss = loss.reshape(to_tensor(target).shape)
    return _reduce(loss, reduction)


# ---------------------------------------------------------------------------- margins, embeddings
def hinge_embedding_loss(input, target, margin: float = 1.0, size_average=None, reduce=None,
                         reduction: str = "mean") -> Tensor:
    """``input`` where ``target == 1``, ``max(0, margin - input)`` where ``target == -1``.

    Shapes: input (*) (e.g. distances), target (*) of +-1; output () or (*).

    Example::

        >>> F.hinge_embedding_loss(deepgrad.tensor([0.3, 2.0]), deepgrad.tensor([1.0, -1.0]))
        tensor(0.1500)
    """
    input, target = to_tensor(input), to_tensor(target)
    reduction = _get_reduction(reduction, size_average, reduce)
    margin_part = ew.where(target != 1, ew.clamp(margin - input, min=0.0), 0.0)
    self_part = ew.where(target != -1, input, 0.0)
    return _reduce(margin_part + self_part, reduction)


def margin_ranking_loss(input1, input2, target, margin: float = 0, size_average=None,
                        reduce=None, reduction: str = "mean") -> Tensor:
    """``max(0, -target * (input1 - input2) + margin)``: rank input1 above input2 when
    ``target == 1``. Shapes: input1 (N,) or (), input2 and target alike; output () or (N,).

    Example::

        >>> loss = F.margin_ranking_loss(deepgrad.randn(3), deepgrad.randn(3), deepgrad.ones(3))
    """
    input1, input2, target = to_tensor(input1), to_tensor(input2), to_tensor(target)
    reduction = _get_reduction(reduction, size_average, reduce)
    if not input1.dim() == input2.dim() == target.dim():
        raise RuntimeError(
            f"margin_ranking_loss : All input tensors should have same dimension but got sizes: "
            f"input1: {tuple(input1.shape)}, input2: {tuple(input2.shape)}, target: "
            f"{tuple(target.shape)} ")
    loss = ew.clamp(-target * (input1 - input2) + margin, min=0.0)
    return _reduce(loss, reduction)


_COSINE_EPS = 1e-12


def cosine_embedding_loss(input1, input2, target, margin: float = 0, size_average=None,
                          reduce=None, reduction: str = "mean") -> Tensor:
    """``1 - cos(x1, x2)`` where ``target == 1``, ``max(0, cos(x1, x2) - margin)`` where -1.

    Shapes: input1 (N, D) or (D,), input2 alike, target (N,) or () of +-1; output () or (N,).

    Example::

        >>> a, b = deepgrad.randn(3, 8), deepgrad.randn(3, 8)
        >>> loss = F.cosine_embedding_loss(a, b, deepgrad.tensor([1.0, -1.0, 1.0]))
    """
    input1, input2, target = to_tensor(input1), to_tensor(input2), to_tensor(target)
    reduction = _get_reduction(reduction, size_average, reduce)
    dim = target.dim()
    if dim > 1:
        raise RuntimeError("cosine_embedding_loss: 0D or 1D target tensor expected, "
                           "multi-target not supported")
    if input1.dim() != dim + 1 or input2.dim() != dim + 1:
        raise RuntimeError(
            f"cosine_embedding_loss: {dim}D target tensor expects {dim + 1}D input tensors, but "
            f"found inputs with sizes {list(input1.shape)} and {list(input2.shape)}.")
    dot = (input1 * input2).sum(dim)
    mag1 = (input1 * input1).sum(dim) + _COSINE_EPS
    mag2 = (input2 * input2).sum(dim) + _COSINE_EPS
    cos = dot / (mag1 * mag2).sqrt()
    loss = (ew.where(target == 1, 1 - cos, 0.0)
            + ew.where(target == -1, ew.clamp(cos - margin, min=0.0), 0.0))
    return _reduce(loss, reduction)


def _triplet(anchor, positive, negative, distance, margin, swap, reduction):
    if margin <= 0:
        raise ValueError(f"margin must be greater than 0, got {margin}")
    if not anchor.dim() == positive.dim() == negative.dim():
        raise RuntimeError(
            f"The anchor, positive, and negative tensors are expected to have the same number "
            f"of dimensions, but got: anchor {anchor.dim()}D, positive {positive.dim()}D, and "
            f"negative {negative.dim()}D inputs")
    dist_pos = distance(anchor, positive)
    dist_neg = distance(anchor, negative)
    if swap:  # use the positive as anchor when it is closer to the negative
        dist_neg = ew.minimum(dist_neg, distance(positive, negative))
    return _reduce(ew.clamp(dist_pos - dist_neg + margin, min=0.0), reduction)


def triplet_margin_loss(anchor, positive, negative, margin: float = 1.0, p: float = 2,
                        eps: float = 1e-6, swap: bool = False, size_average=None, reduce=None,
                        reduction: str = "mean") -> Tensor:
    """``max(0, d(a, p) - d(a, n) + margin)`` with ``d(x, y) = ||x - y + eps||_p``.

    ``swap`` replaces ``d(a, n)`` by ``min(d(a, n), d(p, n))``. Shapes: anchor, positive,
    negative (N, D) or (D,); output () or (N,).

    Example::

        >>> a, p, n = deepgrad.randn(4, 8), deepgrad.randn(4, 8), deepgrad.randn(4, 8)
        >>> loss = F.triplet_margin_loss(a, p, n, margin=0.5)
    """
    anchor, positive, negative = to_tensor(anchor), to_tensor(positive), to_tensor(negative)
    reduction = _get_reduction(reduction, size_average, reduce)
    return _triplet(anchor, positive, negative,
                    lambda x1, x2: pairwise_distance(x1, x2, p, eps), margin, swap, reduction)


def triplet_margin_with_distance_loss(anchor, positive, negative, *, distance_function=None,
                                      margin: float = 1.0, swap: bool = False,
                                      reduction: str = "mean") -> Tensor:
    """``triplet_margin_loss`` with any ``distance_function(x1, x2)`` (default: pairwise L2).

    Shapes: anchor, positive, negative (N, D) or (D,); output () or (N,).

    Example::

        >>> a, p, n = deepgrad.randn(4, 8), deepgrad.randn(4, 8), deepgrad.randn(4, 8)
        >>> cosine_distance = lambda x, y: 1 - F.cosine_similarity(x, y)
        >>> loss = F.triplet_margin_with_distance_loss(a, p, n, distance_function=cosine_distance)
    """
    reduction = _get_reduction(reduction)
    return _triplet(to_tensor(anchor), to_tensor(positive), to_tensor(negative),
                    distance_function or pairwise_distance, margin, swap, reduction)
