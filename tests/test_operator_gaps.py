"""Python operators outside the op table's reach: reflected xor and in-place bitwise operators
behave as in torch."""
from __future__ import annotations

import numpy as np
import pytest

import deepgrad as dg

torch = pytest.importorskip("torch")

INTS = np.array([[3, -2, 7], [0, 5, -8]])


def test_reflected_xor():
    ours = 6 ^ dg.tensor(INTS)
    ref = 6 ^ torch.tensor(INTS)
    np.testing.assert_array_equal(ours.numpy(), ref.numpy())


@pytest.mark.parametrize("op", ["&=", "|=", "^="])
def test_inplace_bitwise_operators_write_into_the_tensor(op):
    for m in (torch, dg):
        x = m.tensor(INTS)
        alias = x[0]
        ns = {"x": x, "y": m.tensor(INTS[::-1].copy())}
        exec(f"x {op} y", ns)
        assert ns["x"] is x
        assert alias[0].item() == ns["x"][0, 0].item()
