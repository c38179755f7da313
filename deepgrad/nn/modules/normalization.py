"""normalization modules (being written)."""
__all__ = []
