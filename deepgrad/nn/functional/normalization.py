"""Normalization functions (being written)."""
__all__ = []
