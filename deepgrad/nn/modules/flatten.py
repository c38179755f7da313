"""Identity, Flatten, Unflatten: shape plumbing as modules (for use inside ``Sequential``)."""
from __future__ import annotations

from .module import Module

__all__ = ["Identity", "Flatten", "Unflatten"]


class Identity(Module):
    """Returns its input unchanged: (*) -> (*). Constructor arguments are accepted and ignored
    (handy as a drop-in placeholder for another layer).

    Example::

        >>> deepgrad.nn.Identity(54, unused="argument")(deepgrad.ones(2)).shape
        deepgrad.Size([2])
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__()

    def forward(self, input):
        return input


class Flatten(Module):
    """Flatten dims ``start_dim`` .. ``end_dim`` into one: (N, C, H, W) -> (N, C*H*W) with the
    defaults ``start_dim=1, end_dim=-1``.

    Example::

        >>> deepgrad.nn.Flatten()(deepgrad.ones(32, 1, 5, 5)).shape
        deepgrad.Size([32, 25])
    """

    def __init__(self, start_dim: int = 1, end_dim: int = -1) -> None:
        super().__init__()
        self.start_dim = start_dim
        self.end_dim = end_dim

    def forward(self, input):
        return input.flatten(self.start_dim, self.end_dim)

    def extra_repr(self) -> str:
        return f"start_dim={self.start_dim}, end_dim={self.end_dim}"


class Unflatten(Module):
    """Split dim ``dim`` into ``unflattened_size``: (*, S, *) -> (*, U1, ..., Un, *) where
    ``prod(unflattened_size) == S`` (one entry may be -1).

    Example::

        >>> deepgrad.nn.Unflatten(1, (2, 5, 5))(deepgrad.ones(2, 50)).shape
        deepgrad.Size([2, 2, 5, 5])
    """

    def __init__(self, dim: int, unflattened_size) -> None:
        super().__init__()
        if not isinstance(unflattened_size, (tuple, list)):
            raise TypeError("unflattened_size must be a tuple of ints, but found type "
                            f"{type(unflattened_size).__name__}")
        for i, size in enumerate(unflattened_size):
            if not isinstance(size, int):
                raise TypeError("unflattened_size must be tuple of ints, but found element of "
                                f"type {type(size).__name__} at pos {i}")
        self.dim = dim
        self.unflattened_size = unflattened_size

    def forward(self, input):
        return input.unflatten(self.dim, self.unflattened_size)

    def extra_repr(self) -> str:
        return f"dim={self.dim}, unflattened_size={self.unflattened_size}"
