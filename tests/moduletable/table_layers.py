"""Module table: layers."""
from .harness import ModuleSpec, Sample, randn  # noqa: F401

SPECS = []
