"""Module table: activations."""
from .harness import ModuleSpec, Sample, randn  # noqa: F401

SPECS = []
