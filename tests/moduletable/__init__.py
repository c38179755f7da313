"""The module table: every layer/loss module's ModuleSpec, gathered per family."""
from . import table_activations, table_conv, table_layers, table_losses

ALL_MODULE_SPECS = [*table_layers.SPECS, *table_losses.SPECS, *table_activations.SPECS,
                    *table_conv.SPECS]

_names = [s.name for s in ALL_MODULE_SPECS]
assert len(_names) == len(set(_names)), "duplicate module-table entry names"
