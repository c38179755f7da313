"""instancenorm modules (being written)."""
__all__ = []
