"""Module table: losses."""
from .harness import ModuleSpec, Sample, randn  # noqa: F401

SPECS = []
