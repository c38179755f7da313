"""The op table: every op's OpSpec, gathered from the per-family table modules."""
from . import (table_activations, table_conv, table_elementwise, table_indexing, table_linalg,
               table_losses, table_movement, table_nn_functional, table_reduction)

ALL_SPECS = [
    *table_elementwise.SPECS,
    *table_reduction.SPECS,
    *table_movement.SPECS,
    *table_indexing.SPECS,
    *table_linalg.SPECS,
    *table_activations.SPECS,
    *table_losses.SPECS,
    *table_nn_functional.SPECS,
    *table_conv.SPECS,
]

_names = [s.name for s in ALL_SPECS]
assert len(_names) == len(set(_names)), "duplicate op-table entry names"
