"""Module table: every loss module against torch's, with a few option combinations each.

Class weights are built in the constructing framework (``_t(nn, array)``) and registered as
buffers, so the strict ``state_dict`` copy also checks that the buffer names match torch's
(``weight``, ``pos_weight``; absent when None). Float targets are marked ``no_grad``.
"""
from __future__ import annotations

import importlib

import numpy as np

from .harness import ModuleSpec, Sample, positive, randn

_RNG = np.random.default_rng(123)
_W5 = positive(_RNG, 5)
_W3 = positive(_RNG, 3)
_POS3 = positive(_RNG, 3)


def _t(nn, array):
    """``array`` as a tensor of the framework whose ``nn`` namespace this is."""
    return importlib.import_module(nn.__name__.split(".")[0]).tensor(array)


def labels(rng, n_classes, *shape):
    return rng.integers(0, n_classes, shape).astype(np.int64)


def simplex(rng, *shape, dim=-1):
    p = rng.uniform(0.1, 1.0, shape)
    return (p / p.sum(axis=dim, keepdims=True)).astype(np.float32)


def unit(rng, *shape):
    return rng.uniform(0.05, 0.95, shape).astype(np.float32)


def signs(rng, *shape):
    return np.where(rng.random(shape) < 0.5, -1.0, 1.0).astype(np.float32)


def pairs(target=randn, shapes=((4, 5), (7,))):
    def samples(rng):
        return [Sample((randn(rng, *s), target(rng, *s)), no_grad=(1,)) for s in shapes]
    return samples


def class_samples(rng):
    t = labels(rng, 5, 6)
    t[1] = -100
    return [
        Sample((randn(rng, 6, 5), t)),
        Sample((randn(rng, 2, 5, 3), labels(rng, 5, 2, 3))),
        Sample((randn(rng, 5), np.array(2))),
    ]


def ignore_samples(rng):
    t = labels(rng, 5, 6)
    t[::2] = 3
    return [Sample((randn(rng, 6, 5), t))]


def triplets(rng):
    return [Sample((randn(rng, 4, 6), randn(rng, 4, 6), randn(rng, 4, 6)))]


SPECS = [
    ModuleSpec("L1Loss", ctor=lambda nn: nn.L1Loss(), samples=pairs()),
    ModuleSpec("L1Loss_sum", ctor=lambda nn: nn.L1Loss(reduction="sum"), samples=pairs()),
    ModuleSpec("MSELoss", ctor=lambda nn: nn.MSELoss(), samples=pairs()),
    ModuleSpec("MSELoss_none", ctor=lambda nn: nn.MSELoss(reduction="none"), samples=pairs()),
    ModuleSpec("MSELoss_legacy_size_average",
               ctor=lambda nn: nn.MSELoss(size_average=False), samples=pairs()),
    ModuleSpec("MSELoss_legacy_reduce", ctor=lambda nn: nn.MSELoss(reduce=False),
               samples=pairs()),
    ModuleSpec("SmoothL1Loss", ctor=lambda nn: nn.SmoothL1Loss(beta=0.5), samples=pairs()),
    ModuleSpec("HuberLoss", ctor=lambda nn: nn.HuberLoss(reduction="sum", delta=0.7),
               samples=pairs()),
    ModuleSpec("BCELoss", ctor=lambda nn: nn.BCELoss(),
               samples=lambda rng: [Sample((unit(rng, 4, 5), unit(rng, 4, 5)), no_grad=(1,))]),
    ModuleSpec("BCELoss_weight", ctor=lambda nn: nn.BCELoss(weight=_t(nn, _W5),
                                                            reduction="none"),
               samples=lambda rng: [Sample((unit(rng, 4, 5), unit(rng, 4, 5)), no_grad=(1,))]),
    ModuleSpec("BCEWithLogitsLoss", ctor=lambda nn: nn.BCEWithLogitsLoss(),
               samples=pairs(target=unit)),
    ModuleSpec("BCEWithLogitsLoss_weights",
               ctor=lambda nn: nn.BCEWithLogitsLoss(weight=_t(nn, _W3),
                                                    pos_weight=_t(nn, _POS3)),
               samples=pairs(target=unit, shapes=((4, 3), (2, 5, 3)))),
    ModuleSpec("CrossEntropyLoss", ctor=lambda nn: nn.CrossEntropyLoss(),
               samples=class_samples),
    ModuleSpec("CrossEntropyLoss_options",
               ctor=lambda nn: nn.CrossEntropyLoss(weight=_t(nn, _W5), ignore_index=3,
                                                   label_smoothing=0.2),
               samples=ignore_samples),
    ModuleSpec("CrossEntropyLoss_none_smoothing",
               ctor=lambda nn: nn.CrossEntropyLoss(reduction="none", label_smoothing=0.1),
               samples=class_samples),
    ModuleSpec("CrossEntropyLoss_probs",
               ctor=lambda nn: nn.CrossEntropyLoss(weight=_t(nn, _W5), label_smoothing=0.1),
               samples=lambda rng: [Sample((randn(rng, 4, 5), simplex(rng, 4, 5)),
                                           no_grad=(1,))]),
    ModuleSpec("NLLLoss", ctor=lambda nn: nn.NLLLoss(), samples=class_samples),
    ModuleSpec("NLLLoss_weight",
               ctor=lambda nn: nn.NLLLoss(weight=_t(nn, _W5), ignore_index=3, reduction="sum"),
               samples=ignore_samples),
    ModuleSpec("KLDivLoss", ctor=lambda nn: nn.KLDivLoss(reduction="batchmean"),
               samples=lambda rng: [Sample((np.log(simplex(rng, 4, 5)), simplex(rng, 4, 5)),
                                           no_grad=(1,))]),
    ModuleSpec("KLDivLoss_log_target",
               ctor=lambda nn: nn.KLDivLoss(reduction="sum", log_target=True),
               samples=lambda rng: [Sample((np.log(simplex(rng, 4, 5)),
                                            np.log(simplex(rng, 4, 5))), no_grad=(1,))]),
    ModuleSpec("PoissonNLLLoss", ctor=lambda nn: nn.PoissonNLLLoss(),
               samples=lambda rng: [Sample((randn(rng, 4, 5),
                                            rng.integers(0, 5, (4, 5)).astype(np.float32)),
                                           no_grad=(1,))]),
    ModuleSpec("PoissonNLLLoss_options",
               ctor=lambda nn: nn.PoissonNLLLoss(log_input=False, full=True, eps=1e-4),
               samples=lambda rng: [Sample((positive(rng, 4, 5),
                                            rng.integers(0, 5, (4, 5)).astype(np.float32)),
                                           no_grad=(1,))]),
    ModuleSpec("GaussianNLLLoss", ctor=lambda nn: nn.GaussianNLLLoss(),
               samples=lambda rng: [Sample((randn(rng, 4, 3), randn(rng, 4, 3),
                                            positive(rng, 4, 3)), no_grad=(1,))]),
    ModuleSpec("GaussianNLLLoss_full",
               ctor=lambda nn: nn.GaussianNLLLoss(full=True, eps=1e-3, reduction="none"),
               samples=lambda rng: [Sample((randn(rng, 4, 3), randn(rng, 4, 3),
                                            positive(rng, 4, 1)), no_grad=(1,))]),
    ModuleSpec("HingeEmbeddingLoss", ctor=lambda nn: nn.HingeEmbeddingLoss(margin=0.5),
               samples=pairs(target=signs)),
    ModuleSpec("MarginRankingLoss", ctor=lambda nn: nn.MarginRankingLoss(margin=0.1),
               samples=lambda rng: [Sample((randn(rng, 6), randn(rng, 6), signs(rng, 6)),
                                           no_grad=(2,))]),
    ModuleSpec("CosineEmbeddingLoss", ctor=lambda nn: nn.CosineEmbeddingLoss(margin=0.2),
               samples=lambda rng: [Sample((randn(rng, 4, 6), randn(rng, 4, 6), signs(rng, 4)),
                                           no_grad=(2,))]),
    ModuleSpec("SoftMarginLoss", ctor=lambda nn: nn.SoftMarginLoss(),
               samples=pairs(target=signs)),
    ModuleSpec("MultiLabelSoftMarginLoss",
               ctor=lambda nn: nn.MultiLabelSoftMarginLoss(weight=_t(nn, _W5)),
               samples=lambda rng: [Sample((randn(rng, 4, 5),
                                            (rng.random((4, 5)) < 0.5).astype(np.float32)),
                                           no_grad=(1,))]),
    ModuleSpec("MultiMarginLoss", ctor=lambda nn: nn.MultiMarginLoss(),
               samples=lambda rng: [Sample((randn(rng, 4, 5), labels(rng, 5, 4)))]),
    ModuleSpec("MultiMarginLoss_options",
               ctor=lambda nn: nn.MultiMarginLoss(p=2, margin=0.5, weight=_t(nn, _W5),
                                                  reduction="none"),
               samples=lambda rng: [Sample((randn(rng, 4, 5), labels(rng, 5, 4)))]),
    ModuleSpec("TripletMarginLoss", ctor=lambda nn: nn.TripletMarginLoss(), samples=triplets),
    ModuleSpec("TripletMarginLoss_options",
               ctor=lambda nn: nn.TripletMarginLoss(margin=2.0, p=1, swap=True, eps=1e-4),
               samples=triplets),
    ModuleSpec("TripletMarginWithDistanceLoss",
               ctor=lambda nn: nn.TripletMarginWithDistanceLoss(margin=1.5),
               samples=triplets),
]
