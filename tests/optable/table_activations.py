"""Op table: nn.functional (activations), run as `m.nn.functional.<fn>` in both frameworks."""
from .harness import OpSpec, randn, unary_samples  # noqa: F401

SPECS = []
