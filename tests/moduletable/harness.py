"""Module-table machinery: one ``ModuleSpec`` per module drives the generated module tests.

``ctor(nn)`` builds the module from either framework's ``nn`` namespace, so the same
constructor call runs against ``deepgrad.nn`` and ``torch.nn``. The torch module's
``state_dict`` is copied into the deepgrad module (through NumPy arrays, with strict loading,
which also checks that both have the same keys), then both run the same inputs in train and
eval mode; outputs, input gradients, parameter gradients and buffers (e.g. running stats) are
compared. See tests/test_modules.py.
"""
from __future__ import annotations

import dataclasses
from typing import Callable


from tests.optable.harness import Raw, Sample, positive, randn, uniform  # noqa: F401


@dataclasses.dataclass
class ModuleSpec:
    name: str
    ctor: Callable  # ctor(nn) -> module, nn = deepgrad.nn or torch.nn
    samples: Callable  # samples(rng) -> list[Sample]; float arrays require grad unless no_grad
    modes: tuple = ("train", "eval")
    atol: float = 1e-5
    rtol: float = 1e-4
    grad_atol: float | None = None
    grad_rtol: float | None = None
    random_in_train: bool = False  # e.g. Dropout: outputs are compared only in eval mode
    call: Callable | None = None  # call(module, *args) when not module(*args)
    steps: int = 1  # forward/backward repetitions (running statistics accumulate)

    def __repr__(self):
        return self.name
