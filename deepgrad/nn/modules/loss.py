"""Loss modules: thin wrappers over ``nn.functional`` with torch's constructor arguments.

Every loss takes ``reduction='mean' | 'sum' | 'none'``; the deprecated ``size_average`` and
``reduce`` flags, where torch accepts them, map to a reduction and override it. Class weights
are registered as buffers (``weight``, ``pos_weight``), so they appear in ``state_dict`` and
follow ``.to()`` like torch's.
"""
from __future__ import annotations

from .. import functional as F
from ..functional.loss import _legacy_reduction
from .module import Module

__all__ = [
    "BCELoss", "BCEWithLogitsLoss", "CosineEmbeddingLoss", "CrossEntropyLoss",
    "GaussianNLLLoss", "HingeEmbeddingLoss", "HuberLoss", "KLDivLoss", "L1Loss",
    "MarginRankingLoss", "MSELoss", "MultiLabelSoftMarginLoss", "MultiMarginLoss", "NLLLoss",
    "PoissonNLLLoss", "SmoothL1Loss", "SoftMarginLoss", "TripletMarginLoss",
    "TripletMarginWithDistanceLoss",
]


class _Loss(Module):
    """Base of the losses: holds ``reduction`` (resolved from the legacy flags if given)."""

    def __init__(self, size_average=None, reduce=None, reduction: str = "mean") -> None:
        super().__init__()
        if size_average is not None or reduce is not None:
            self.reduction = _legacy_reduction(size_average, reduce)
        else:
            self.reduction = reduction


class _WeightedLoss(_Loss):
    """A loss with a per-class ``weight`` buffer (None when not given)."""

    def __init__(self, weight=None, size_average=None, reduce=None,
                 reduction: str = "mean") -> None:
        super().__init__(size_average, reduce, reduction)
        self.register_buffer("weight", weight)


class L1Loss(_Loss):
    """Mean absolute error ``|input - target|``.

    Shapes: input (*), target (*); output () or (*) for ``reduction='none'``.

    Example::

        >>> loss = nn.L1Loss()(deepgrad.randn(3, 5, requires_grad=True), deepgrad.randn(3, 5))
    """

    def forward(self, input, target):
        return F.l1_loss(input, target, reduction=self.reduction)


class MSELoss(_Loss):
    """Mean squared error ``(input - target) ** 2``.

    Shapes: input (*), target (*); output () or (*) for ``reduction='none'``.

    Example::

        >>> loss = nn.MSELoss()(deepgrad.randn(3, 5, requires_grad=True), deepgrad.randn(3, 5))
    """

    def forward(self, input, target):
        return F.mse_loss(input, target, reduction=self.reduction)


class SmoothL1Loss(_Loss):
    """Quadratic below ``beta``, linear above: ``F.smooth_l1_loss``.

    Shapes: input (*), target (*); output () or (*).

    Example::

        >>> loss = nn.SmoothL1Loss(beta=0.5)(deepgrad.randn(4), deepgrad.zeros(4))
    """

    def __init__(self, size_average=None, reduce=None, reduction: str = "mean",
                 beta: float = 1.0) -> None:
        super().__init__(size_average, reduce, reduction)
        self.beta = beta

    def forward(self, input, target):
        return F.smooth_l1_loss(input, target, reduction=self.reduction, beta=self.beta)


class HuberLoss(_Loss):
    """Quadratic below ``delta``, linear (slope ``delta``) above: ``F.huber_loss``.

    Shapes: input (*), target (*); output () or (*).

    Example::

        >>> loss = nn.HuberLoss(delta=2.0)(deepgrad.randn(4), deepgrad.zeros(4))
    """

    def __init__(self, reduction: str = "mean", delta: float = 1.0) -> None:
        if not isinstance(delta, (float, int)):
            raise TypeError(f"delta must be a float or int, got: {type(delta)}")
        super().__init__(reduction=reduction)
        self.delta = delta

    def forward(self, input, target):
        return F.huber_loss(input, target, reduction=self.reduction, delta=self.delta)


class BCELoss(_WeightedLoss):
    """Binary cross-entropy of probabilities (logs clamped at -100), ``weight`` broadcast.

    Shapes: input (*) in [0, 1], target (*) (same shape); output () or (*).

    Example::

        >>> p = deepgrad.randn(3, requires_grad=True).sigmoid()
        >>> loss = nn.BCELoss()(p, deepgrad.tensor([1.0, 0.0, 1.0]))
    """

    def forward(self, input, target):
        return F.binary_cross_entropy(input, target, weight=self.weight,
                                      reduction=self.reduction)


class BCEWithLogitsLoss(_Loss):
    """Sigmoid + binary cross-entropy, stable for any logit; ``weight`` and ``pos_weight``
    (weight of positives, e.g. (C,)) are buffers.

    Shapes: input (*) logits, target (*) (same shape); output () or (*).

    Example::

        >>> crit = nn.BCEWithLogitsLoss(pos_weight=deepgrad.tensor([2.0, 1.0, 1.0]))
        >>> loss = crit(deepgrad.randn(4, 3, requires_grad=True), deepgrad.ones(4, 3))
    """

    def __init__(self, weight=None, size_average=None, reduce=None, reduction: str = "mean",
                 pos_weight=None) -> None:
        super().__init__(size_average, reduce, reduction)
        self.register_buffer("weight", weight)
        self.register_buffer("pos_weight", pos_weight)

    def forward(self, input, target):
        return F.binary_cross_entropy_with_logits(input, target, self.weight,
                                                  pos_weight=self.pos_weight,
                                                  reduction=self.reduction)


class NLLLoss(_WeightedLoss):
    """Negative log-likelihood of class indices given log-probabilities.

    Shapes: input (N, C), (C,) or (N, C, d1, ..., dK); target (N,), () or (N, d1, ..., dK)
    int64; weight (C,); output () or the target's shape for ``'none'``.

    Example::

        >>> logp = deepgrad.randn(3, 5, requires_grad=True).log_softmax(1)
        >>> loss = nn.NLLLoss()(logp, deepgrad.tensor([1, 0, 4]))
    """

    def __init__(self, weight=None, size_average=None, ignore_index: int = -100, reduce=None,
                 reduction: str = "mean") -> None:
        super().__init__(weight, size_average, reduce, reduction)
        self.ignore_index = ignore_index

    def forward(self, input, target):
        return F.nll_loss(input, target, weight=self.weight, ignore_index=self.ignore_index,
                          reduction=self.reduction)


class CrossEntropyLoss(_WeightedLoss):
    """Cross-entropy of logits against class indices or class probabilities.

    Fused log-softmax + loss (see ``F.cross_entropy``), with ``weight``, ``ignore_index`` and
    ``label_smoothing``. Shapes: input (N, C), (C,) or (N, C, d1, ..., dK); target (N,), () or
    (N, d1, ..., dK) int64, or probabilities shaped like input; output () or per entry.

    Example::

        >>> crit = nn.CrossEntropyLoss(label_smoothing=0.1)
        >>> loss = crit(deepgrad.randn(4, 10, requires_grad=True), deepgrad.tensor([3, 0, 9, 1]))
        >>> loss.backward()
    """

    def __init__(self, weight=None, size_average=None, ignore_index: int = -100, reduce=None,
                 reduction: str = "mean", label_smoothing: float = 0.0) -> None:
        super().__init__(weight, size_average, reduce, reduction)
        self.ignore_index = ignore_index
        self.label_smoothing = label_smoothing

    def forward(self, input, target):
        return F.cross_entropy(input, target, weight=self.weight, ignore_index=self.ignore_index,
                               reduction=self.reduction, label_smoothing=self.label_smoothing)


class KLDivLoss(_Loss):
    """Kullback-Leibler divergence of log-probability ``input`` from ``target``
    (``reduction='batchmean'`` gives the true KL; ``log_target`` if target is in log space).

    Shapes: input (*), target (*); output () or (*).

    Example::

        >>> crit = nn.KLDivLoss(reduction="batchmean")
        >>> loss = crit(deepgrad.randn(3, 5).log_softmax(1), deepgrad.randn(3, 5).softmax(1))
    """

    def __init__(self, size_average=None, reduce=None, reduction: str = "mean",
                 log_target: bool = False) -> None:
        super().__init__(size_average, reduce, reduction)
        self.log_target = log_target

    def forward(self, input, target):
        return F.kl_div(input, target, reduction=self.reduction, log_target=self.log_target)


class PoissonNLLLoss(_Loss):
    """Poisson negative log-likelihood (``F.poisson_nll_loss``).

    Shapes: input (*), target (*); output () or (*).

    Example::

        >>> loss = nn.PoissonNLLLoss()(deepgrad.randn(4), deepgrad.tensor([0.0, 1.0, 2.0, 3.0]))
    """

    def __init__(self, log_input: bool = True, full: bool = False, size_average=None,
                 eps: float = 1e-8, reduce=None, reduction: str = "mean") -> None:
        super().__init__(size_average, reduce, reduction)
        self.log_input = log_input
        self.full = full
        self.eps = eps

    def forward(self, log_input, target):
        return F.poisson_nll_loss(log_input, target, log_input=self.log_input, full=self.full,
                                  eps=self.eps, reduction=self.reduction)


class GaussianNLLLoss(_Loss):
    """Gaussian negative log-likelihood with predicted variance (``F.gaussian_nll_loss``).

    Shapes: input (N, *), target like input, var like input (or one dim of size 1, or without
    the last dim); output () or like input.

    Example::

        >>> crit = nn.GaussianNLLLoss()
        >>> loss = crit(deepgrad.randn(5, 2), deepgrad.randn(5, 2), deepgrad.ones(5, 1))
    """

    def __init__(self, *, full: bool = False, eps: float = 1e-6,
                 reduction: str = "mean") -> None:
        super().__init__(None, None, reduction)
        self.full = full
        self.eps = eps

    def forward(self, input, target, var):
        return F.gaussian_nll_loss(input, target, var, full=self.full, eps=self.eps,
                                   reduction=self.reduction)


class HingeEmbeddingLoss(_Loss):
    """``input`` for target 1, ``max(0, margin - input)`` for target -1.

    Shapes: input (*), target (*) of +-1; output () or (*).

    Example::

        >>> loss = nn.HingeEmbeddingLoss()(deepgrad.randn(4), deepgrad.tensor([1., -1., 1., -1.]))
    """

    def __init__(self, margin: float = 1.0, size_average=None, reduce=None,
                 reduction: str = "mean") -> None:
        super().__init__(size_average, reduce, reduction)
        self.margin = margin

    def forward(self, input, target):
        return F.hinge_embedding_loss(input, target, margin=self.margin,
                                      reduction=self.reduction)


class MarginRankingLoss(_Loss):
    """``max(0, -target * (input1 - input2) + margin)``.

    Shapes: input1 (N,) or (), input2 and target alike; output () or (N,).

    Example::

        >>> loss = nn.MarginRankingLoss(0.5)(deepgrad.randn(3), deepgrad.randn(3), deepgrad.ones(3))
    """

    def __init__(self, margin: float = 0.0, size_average=None, reduce=None,
                 reduction: str = "mean") -> None:
        super().__init__(size_average, reduce, reduction)
        self.margin = margin

    def forward(self, input1, input2, target):
        return F.margin_ranking_loss(input1, input2, target, margin=self.margin,
                                     reduction=self.reduction)


class CosineEmbeddingLoss(_Loss):
    """``1 - cos(x1, x2)`` for target 1, ``max(0, cos(x1, x2) - margin)`` for target -1.

    Shapes: input1 (N, D) or (D,), input2 alike, target (N,) or (); output () or (N,).

    Example::

        >>> crit = nn.CosineEmbeddingLoss(margin=0.2)
        >>> loss = crit(deepgrad.randn(3, 8), deepgrad.randn(3, 8), deepgrad.tensor([1., -1., 1.]))
    """

    def __init__(self, margin: float = 0.0, size_average=None, reduce=None,
                 reduction: str = "mean") -> None:
        super().__init__(size_average, reduce, reduction)
        self.margin = margin

    def forward(self, input1, input2, target):
        return F.cosine_embedding_loss(input1, input2, target, margin=self.margin,
                                       reduction=self.reduction)


class SoftMarginLoss(_Loss):
    """Two-class logistic loss ``log(1 + exp(-target * input))``.

    Shapes: input (*), target (*) of +-1; output () or (*).

    Example::

        >>> loss = nn.SoftMarginLoss()(deepgrad.randn(4), deepgrad.tensor([1., -1., 1., 1.]))
    """

    def forward(self, input, target):
        return F.soft_margin_loss(input, target, reduction=self.reduction)


class MultiLabelSoftMarginLoss(_WeightedLoss):
    """Multi-label one-versus-all logistic loss, averaged over classes (``weight`` (C,)).

    Shapes: input (N, C) or (C,), target alike (0/1); output () or (N,).

    Example::

        >>> crit = nn.MultiLabelSoftMarginLoss()
        >>> loss = crit(deepgrad.randn(2, 3), deepgrad.tensor([[1., 0., 1.], [0., 0., 1.]]))
    """

    def forward(self, input, target):
        return F.multilabel_soft_margin_loss(input, target, weight=self.weight,
                                             reduction=self.reduction)


class MultiMarginLoss(_WeightedLoss):
    """Multi-class hinge loss (``p`` = 1 or 2, ``margin``, class ``weight`` (C,)).

    Shapes: input (N, C) or (C,); target (N,) or () int64; output () or (N,).

    Example::

        >>> loss = nn.MultiMarginLoss()(deepgrad.randn(3, 4), deepgrad.tensor([0, 3, 1]))
    """

    def __init__(self, p: int = 1, margin: float = 1.0, weight=None, size_average=None,
                 reduce=None, reduction: str = "mean") -> None:
        super().__init__(weight, size_average, reduce, reduction)
        if p != 1 and p != 2:
            raise ValueError("only p == 1 and p == 2 supported")
        if weight is not None and weight.dim() != 1:
            raise ValueError(f"MultiMarginLoss: expected weight to be None or 1D tensor, got "
                             f"{weight.dim()}D instead")
        self.p = p
        self.margin = margin

    def forward(self, input, target):
        return F.multi_margin_loss(input, target, p=self.p, margin=self.margin,
                                   weight=self.weight, reduction=self.reduction)


class TripletMarginLoss(_Loss):
    """``max(0, ||a - p||_p - ||a - n||_p + margin)`` (``swap`` uses ``min(d(a,n), d(p,n))``).

    Shapes: anchor, positive, negative (N, D) or (D,); output () or (N,).

    Example::

        >>> a, p, n = deepgrad.randn(4, 8), deepgrad.randn(4, 8), deepgrad.randn(4, 8)
        >>> loss = nn.TripletMarginLoss(margin=0.5, swap=True)(a, p, n)
    """

    def __init__(self, margin: float = 1.0, p: float = 2.0, eps: float = 1e-6,
                 swap: bool = False, size_average=None, reduce=None,
                 reduction: str = "mean") -> None:
        super().__init__(size_average, reduce, reduction)
        if margin <= 0:
            raise ValueError(f"TripletMarginLoss: expected margin to be greater than 0, got "
                             f"{margin} instead")
        self.margin = margin
        self.p = p
        self.eps = eps
        self.swap = swap

    def forward(self, anchor, positive, negative):
        return F.triplet_margin_loss(anchor, positive, negative, margin=self.margin, p=self.p,
                                     eps=self.eps, swap=self.swap, reduction=self.reduction)


class TripletMarginWithDistanceLoss(_Loss):
    """Triplet loss with any ``distance_function(x1, x2)`` (default: pairwise L2 distance).

    Shapes: anchor, positive, negative (N, D) or (D,); output () or (N,).

    Example::

        >>> crit = nn.TripletMarginWithDistanceLoss(distance_function=F.pairwise_distance)
        >>> loss = crit(deepgrad.randn(4, 8), deepgrad.randn(4, 8), deepgrad.randn(4, 8))
    """

    def __init__(self, *, distance_function=None, margin: float = 1.0, swap: bool = False,
                 reduction: str = "mean") -> None:
        super().__init__(None, None, reduction)
        if margin <= 0:
            raise ValueError(f"TripletMarginWithDistanceLoss: expected margin to be greater "
                             f"than 0, got {margin} instead")
        self.distance_function = distance_function
        self.margin = margin
        self.swap = swap

    def forward(self, anchor, positive, negative):
        return F.triplet_margin_with_distance_loss(
            anchor, positive, negative, distance_function=self.distance_function,
            margin=self.margin, swap=self.swap, reduction=self.reduction)
