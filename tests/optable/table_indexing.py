"""Op table: indexing ops (getitem, gather/scatter, index_select/index_add, masks)."""
from .harness import OpSpec, randn, unary_samples  # noqa: F401

SPECS = []
