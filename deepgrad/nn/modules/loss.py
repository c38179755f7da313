"""loss modules (being written)."""
__all__ = []
