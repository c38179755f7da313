"""The op table: every op's OpSpec, gathered from the per-family table modules."""
from . import table_elementwise, table_indexing, table_linalg, table_movement, table_reduction

ALL_SPECS = [
    *table_elementwise.SPECS,
    *table_reduction.SPECS,
    *table_movement.SPECS,
    *table_indexing.SPECS,
    *table_linalg.SPECS,
]

_names = [s.name for s in ALL_SPECS]
assert len(_names) == len(set(_names)), "duplicate op-table entry names"
