"""Batch normalization layers: BatchNorm1d, BatchNorm2d, BatchNorm3d."""
from __future__ import annotations

from ... import _creation, _dtype
from .. import functional as F
from .. import init
from ..parameter import Parameter
from .module import Module

__all__ = ["BatchNorm1d", "BatchNorm2d", "BatchNorm3d"]


def _factory(dtype):
    return {} if dtype is None else {"dtype": dtype}


class _NormBase(Module):
    """Parameters and running statistics shared by batch and instance norm.

    Registers, in torch's order, ``weight`` (ones) and ``bias`` (zeros) of shape
    (num_features,) when ``affine``, and the buffers ``running_mean`` (zeros),
    ``running_var`` (ones) and ``num_batches_tracked`` (int64 0) when
    ``track_running_stats`` (otherwise all are registered as None).
    """

    _version = 2

    def __init__(self, num_features: int, eps: float = 1e-5, momentum: float | None = 0.1,
                 affine: bool = True, track_running_stats: bool = True, device=None,
                 dtype=None, *, bias: bool = True) -> None:
        super().__init__()
        self.num_features = num_features
        self.eps = eps
        self.momentum = momentum
        self.affine = affine
        self.track_running_stats = track_running_stats
        if affine:
            self.weight = Parameter(_creation.empty(num_features, **_factory(dtype)))
            if bias:
                self.bias = Parameter(_creation.empty(num_features, **_factory(dtype)))
            else:
                self.register_parameter("bias", None)
        else:
            self.register_parameter("weight", None)
            self.register_parameter("bias", None)
        if track_running_stats:
            self.register_buffer("running_mean", _creation.zeros(num_features, **_factory(dtype)))
            self.register_buffer("running_var", _creation.ones(num_features, **_factory(dtype)))
            self.register_buffer("num_batches_tracked", _creation.tensor(0, dtype=_dtype.int64))
        else:
            self.register_buffer("running_mean", None)
            self.register_buffer("running_var", None)
            self.register_buffer("num_batches_tracked", None)
        self.reset_parameters()

    def reset_running_stats(self) -> None:
        """Running mean 0, running variance 1, batch count 0."""
        if self.track_running_stats:
            self.running_mean.zero_()
            self.running_var.fill_(1)
            self.num_batches_tracked.zero_()

    def reset_parameters(self) -> None:
        self.reset_running_stats()
        if self.affine:
            init.ones_(self.weight)
            if self.bias is not None:
                init.zeros_(self.bias)

    def _check_input_dim(self, input) -> None:
        raise NotImplementedError

    def extra_repr(self) -> str:
        return (f"{self.num_features}, eps={self.eps}, momentum={self.momentum}, "
                f"affine={self.affine}, bias={self.bias is not None}, "
                f"track_running_stats={self.track_running_stats}")

    def _load_from_state_dict(self, state_dict, prefix, local_metadata, strict, missing_keys,
                              unexpected_keys, error_msgs):
        # Checkpoints from before version 2 have no num_batches_tracked: start it at 0.
        version = local_metadata.get("version", None)
        key = prefix + "num_batches_tracked"
        if (version is None or version < 2) and self.track_running_stats and (
                key not in state_dict):
            state_dict[key] = (self.num_batches_tracked if self.num_batches_tracked is not None
                               else _creation.tensor(0, dtype=_dtype.int64))
        super()._load_from_state_dict(state_dict, prefix, local_metadata, strict, missing_keys,
                                      unexpected_keys, error_msgs)


class _BatchNorm(_NormBase):
    def forward(self, input):
        self._check_input_dim(input)
        factor = 0.0 if self.momentum is None else self.momentum
        if self.training and self.track_running_stats and self.num_batches_tracked is not None:
            self.num_batches_tracked.add_(1)
            if self.momentum is None:  # cumulative moving average
                factor = 1.0 / float(self.num_batches_tracked)
        # Batch statistics in training, and in eval when there are no running statistics.
        use_batch_stats = self.training or (self.running_mean is None
                                            and self.running_var is None)
        track = not self.training or self.track_running_stats
        return F.batch_norm(input, self.running_mean if track else None,
                            self.running_var if track else None, self.weight, self.bias,
                            use_batch_stats, factor, self.eps)


class BatchNorm1d(_BatchNorm):
    """Batch normalization of (N, C) or (N, C, L) input over N (and L), per channel C.

    ``y = (x - mean) / sqrt(var + eps) * weight + bias`` with the batch mean and biased
    variance in training, which also updates ``running_mean`` / ``running_var`` (unbiased
    variance) with ``momentum`` (None: cumulative average over ``num_batches_tracked``
    batches); eval mode normalizes with the running statistics. ``affine=False`` drops
    ``weight``/``bias``; ``track_running_stats=False`` keeps no buffers and always uses batch
    statistics. Output shape = input shape.

    Example::

        >>> bn = deepgrad.nn.BatchNorm1d(16)
        >>> bn(deepgrad.randn(32, 16)).shape
        deepgrad.Size([32, 16])
    """

    def _check_input_dim(self, input) -> None:
        if input.dim() != 2 and input.dim() != 3:
            raise ValueError(f"expected 2D or 3D input (got {input.dim()}D input)")


class BatchNorm2d(_BatchNorm):
    """Batch normalization of (N, C, H, W) input per channel C (see ``BatchNorm1d``).

    Example::

        >>> bn = deepgrad.nn.BatchNorm2d(8)
        >>> bn(deepgrad.randn(4, 8, 5, 5)).shape
        deepgrad.Size([4, 8, 5, 5])
    """

    def _check_input_dim(self, input) -> None:
        if input.dim() != 4:
            raise ValueError(f"expected 4D input (got {input.dim()}D input)")


class BatchNorm3d(_BatchNorm):
    """Batch normalization of (N, C, D, H, W) input per channel C (see ``BatchNorm1d``).

    Example::

        >>> bn = deepgrad.nn.BatchNorm3d(4)
        >>> bn(deepgrad.randn(2, 4, 3, 5, 5)).shape
        deepgrad.Size([2, 4, 3, 5, 5])
    """

    def _check_input_dim(self, input) -> None:
        if input.dim() != 5:
            raise ValueError(f"expected 5D input (got {input.dim()}D input)")
