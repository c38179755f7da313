"""Loss functions (being written)."""
__all__ = []
