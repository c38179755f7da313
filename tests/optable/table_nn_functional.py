"""Op table: nn.functional (nn_functional), run as `m.nn.functional.<fn>` in both frameworks."""
from .harness import OpSpec, randn, unary_samples  # noqa: F401

SPECS = []
