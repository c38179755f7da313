"""Op table: convolution, pooling and resampling (nn.functional)."""
from .harness import OpSpec, randn, unary_samples  # noqa: F401

SPECS = []
