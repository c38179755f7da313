"""Module table: layers (normalization, dropout, embeddings).

Each entry runs train then eval mode on the same module pair, so eval mode uses the running
statistics accumulated by ``steps`` training steps (and compares those buffers every step).

Tolerances: normalization input gradients are ``rstd * (g - mean(g) - xhat * mean(g xhat))``,
a difference of O(1) terms; float32 rounding of each (~1e-6 relative, different summation
order than torch) leaves ~1e-5 absolute error, so those entries use ``grad_atol=1e-4``.
"""
import numpy as np

from .harness import ModuleSpec, Sample, randn

NORM_GRAD_ATOL = 1e-4


def _x(*shape, gen=randn):
    """Samples: one float input of ``shape`` (requires grad)."""
    return lambda rng: [Sample((gen(rng, *shape),))]


def _norm(name, ctor, shape, steps=3, **kw):
    return ModuleSpec(name, ctor, _x(*shape), steps=steps, grad_atol=NORM_GRAD_ATOL, **kw)


BATCHNORM = [
    _norm("BatchNorm1d_2d", lambda nn: nn.BatchNorm1d(4), (8, 4)),
    _norm("BatchNorm1d_3d", lambda nn: nn.BatchNorm1d(4, momentum=0.3), (4, 4, 5)),
    _norm("BatchNorm1d_momentum_none", lambda nn: nn.BatchNorm1d(4, momentum=None), (6, 4)),
    _norm("BatchNorm1d_no_affine", lambda nn: nn.BatchNorm1d(3, affine=False), (5, 3, 2)),
    _norm("BatchNorm1d_no_bias", lambda nn: nn.BatchNorm1d(3, bias=False), (5, 3)),
    _norm("BatchNorm1d_untracked", lambda nn: nn.BatchNorm1d(3, track_running_stats=False),
          (5, 3, 4)),
    _norm("BatchNorm2d", lambda nn: nn.BatchNorm2d(3), (4, 3, 5, 5)),
    _norm("BatchNorm2d_eps_momentum", lambda nn: nn.BatchNorm2d(2, eps=1e-3, momentum=0.9),
          (3, 2, 4, 3)),
    _norm("BatchNorm2d_untracked_no_affine",
          lambda nn: nn.BatchNorm2d(2, affine=False, track_running_stats=False), (3, 2, 3, 3)),
    _norm("BatchNorm3d", lambda nn: nn.BatchNorm3d(3, momentum=None), (2, 3, 3, 4, 2)),
    ModuleSpec("BatchNorm2d_float64", lambda nn: nn.BatchNorm2d(3).double(),
               _x(4, 3, 2, 2, gen=lambda rng, *s: randn(rng, *s, dtype=np.float64)), steps=3),
]

LAYERNORM = [
    _norm("LayerNorm", lambda nn: nn.LayerNorm(6), (4, 6), steps=1),
    _norm("LayerNorm_2d_shape", lambda nn: nn.LayerNorm((3, 4), eps=1e-3), (2, 3, 4), steps=1),
    _norm("LayerNorm_no_affine", lambda nn: nn.LayerNorm(5, elementwise_affine=False),
          (2, 3, 5), steps=1),
    _norm("LayerNorm_no_bias", lambda nn: nn.LayerNorm([4], bias=False), (3, 4), steps=1),
    _norm("LayerNorm_wide", lambda nn: nn.LayerNorm(256), (4, 256), steps=1),
    _norm("GroupNorm", lambda nn: nn.GroupNorm(2, 6), (4, 6, 5), steps=1),
    _norm("GroupNorm_no_affine", lambda nn: nn.GroupNorm(3, 6, affine=False), (2, 6, 3, 3),
          steps=1),
    _norm("GroupNorm_one_group_no_bias", lambda nn: nn.GroupNorm(1, 4, bias=False), (3, 4, 2),
          steps=1),
    _norm("GroupNorm_instance_like", lambda nn: nn.GroupNorm(4, 4, eps=1e-3), (2, 4, 3, 3),
          steps=1),
    _norm("RMSNorm", lambda nn: nn.RMSNorm(5), (3, 5), steps=1),
    _norm("RMSNorm_2d_shape_eps", lambda nn: nn.RMSNorm((3, 4), eps=1e-4), (2, 3, 4), steps=1),
    _norm("RMSNorm_no_affine", lambda nn: nn.RMSNorm([4], elementwise_affine=False), (3, 4),
          steps=1),
    _norm("LocalResponseNorm", lambda nn: nn.LocalResponseNorm(3), (2, 5, 4, 4), steps=1),
    _norm("LocalResponseNorm_3d", lambda nn: nn.LocalResponseNorm(2, alpha=0.5, beta=0.6, k=2.0),
          (2, 4, 6), steps=1),
]

INSTANCENORM = [
    _norm("InstanceNorm1d", lambda nn: nn.InstanceNorm1d(3), (2, 3, 8)),
    _norm("InstanceNorm1d_unbatched", lambda nn: nn.InstanceNorm1d(3, affine=True), (3, 8)),
    _norm("InstanceNorm1d_affine_tracked",
          lambda nn: nn.InstanceNorm1d(3, affine=True, track_running_stats=True), (2, 3, 8)),
    _norm("InstanceNorm2d_affine", lambda nn: nn.InstanceNorm2d(3, affine=True), (2, 3, 4, 4)),
    _norm("InstanceNorm2d_tracked",
          lambda nn: nn.InstanceNorm2d(2, track_running_stats=True, momentum=0.4),
          (3, 2, 3, 3)),
    _norm("InstanceNorm2d_tracked_momentum_none",
          lambda nn: nn.InstanceNorm2d(2, track_running_stats=True, momentum=None),
          (3, 2, 3, 3)),
    _norm("InstanceNorm3d", lambda nn: nn.InstanceNorm3d(2, affine=True, bias=False),
          (2, 2, 3, 2, 2)),
]


def _dropout(name, ctor, shape):
    return ModuleSpec(name, ctor, _x(*shape), random_in_train=True)


DROPOUT = [
    _dropout("Dropout", lambda nn: nn.Dropout(0.3), (4, 5)),
    _dropout("Dropout_p0", lambda nn: nn.Dropout(0.0), (4, 5)),
    _dropout("Dropout1d", lambda nn: nn.Dropout1d(0.4), (2, 3, 5)),
    _dropout("Dropout2d", lambda nn: nn.Dropout2d(0.4), (2, 3, 4, 4)),
    _dropout("Dropout3d", lambda nn: nn.Dropout3d(), (2, 3, 2, 2, 2)),
    _dropout("AlphaDropout", lambda nn: nn.AlphaDropout(0.2), (4, 5)),
    _dropout("FeatureAlphaDropout", lambda nn: nn.FeatureAlphaDropout(0.2), (2, 3, 4)),
    # p=0 in training: the output is the input, so train mode is compared too
    ModuleSpec("Dropout_p0_train_compared", lambda nn: nn.Dropout(0.0), _x(3, 4)),
]


def _indices(high, *shape):
    return lambda rng: [Sample((rng.integers(0, high, shape).astype(np.int64),))]


def _bag(mode_samples):
    def samples(rng):
        idx = np.array([1, 2, 4, 5, 4, 3, 2, 9, 0], dtype=np.int64)
        offsets = np.array([0, 3, 3, 7], dtype=np.int64)
        out = [Sample((idx, offsets), note="1-D input with offsets (one bag empty)"),
               Sample((rng.integers(0, 10, (3, 4)).astype(np.int64),), note="2-D input")]
        if mode_samples == "sum":
            out.append(Sample((idx, offsets, randn(rng, 9)), note="per_sample_weights"))
        return out
    return samples


EMBEDDING = [
    ModuleSpec("Embedding", lambda nn: nn.Embedding(10, 4), _indices(10, 3, 5), steps=2),
    ModuleSpec("Embedding_padding_idx", lambda nn: nn.Embedding(10, 4, padding_idx=0),
               lambda rng: [Sample((np.array([[0, 3, 0], [9, 0, 3]], dtype=np.int64),))]),
    ModuleSpec("Embedding_negative_padding_idx",
               lambda nn: nn.Embedding(6, 3, padding_idx=-2, scale_grad_by_freq=True),
               lambda rng: [Sample((np.array([4, 4, 1, 1, 1, 0], dtype=np.int64),))]),
    ModuleSpec("Embedding_max_norm", lambda nn: nn.Embedding(10, 4, max_norm=1.0),
               _indices(10, 2, 6), steps=2),
    ModuleSpec("Embedding_max_norm_p1", lambda nn: nn.Embedding(8, 3, max_norm=0.5,
                                                                 norm_type=1.0),
               _indices(8, 7)),
    ModuleSpec("EmbeddingBag_mean", lambda nn: nn.EmbeddingBag(10, 4), _bag("mean")),
    ModuleSpec("EmbeddingBag_sum", lambda nn: nn.EmbeddingBag(10, 4, mode="sum"), _bag("sum")),
    ModuleSpec("EmbeddingBag_max", lambda nn: nn.EmbeddingBag(10, 4, mode="max"), _bag("max")),
    ModuleSpec("EmbeddingBag_padding_idx",
               lambda nn: nn.EmbeddingBag(10, 4, mode="mean", padding_idx=4), _bag("mean")),
    ModuleSpec("EmbeddingBag_include_last_offset",
               lambda nn: nn.EmbeddingBag(10, 3, mode="sum", include_last_offset=True),
               lambda rng: [Sample((np.array([1, 2, 4, 5, 4], dtype=np.int64),
                                    np.array([0, 2, 2, 5], dtype=np.int64)))]),
    ModuleSpec("EmbeddingBag_max_norm", lambda nn: nn.EmbeddingBag(10, 4, max_norm=1.2),
               _bag("mean"), steps=2),
]

SPECS = BATCHNORM + LAYERNORM + INSTANCENORM + DROPOUT + EMBEDDING
