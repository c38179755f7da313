"""Op table: movement ops."""
from .harness import OpSpec, randn, unary_samples  # noqa: F401

SPECS = []
