"""batchnorm modules (being written)."""
__all__ = []
