"""Module table: convolution, pooling, upsampling and padding layers."""
from .harness import ModuleSpec, Sample, randn  # noqa: F401

SPECS = []
