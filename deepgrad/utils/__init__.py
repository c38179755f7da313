"""Utilities: ``deepgrad.utils.data`` (datasets and loaders), thread control."""
from . import data  # noqa: F401
