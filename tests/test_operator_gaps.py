"""Python operators the op table cannot mark as known failures (it has no xfail): each test
states torch's behaviour and is a strict xfail until deepgrad matches it."""
from __future__ import annotations

import numpy as np
import pytest

import deepgrad as dg

torch = pytest.importorskip("torch")

INTS = np.array([[3, -2, 7], [0, 5, -8]])


@pytest.mark.xfail(strict=True, reason=(
    "ops/__init__.py binds no Tensor.__rxor__, so `6 ^ x` raises TypeError (torch: bitwise xor)"))
def test_reflected_xor():
    ours = 6 ^ dg.tensor(INTS)
    ref = 6 ^ torch.tensor(INTS)
    np.testing.assert_array_equal(ours.numpy(), ref.numpy())


@pytest.mark.xfail(strict=True, reason=(
    "ops/__init__.py binds no Tensor.__iand__/__ior__/__ixor__ (nor bitwise_and_ & co.), so "
    "`x &= y` rebinds x to a new tensor instead of writing into x as torch does"))
@pytest.mark.parametrize("op", ["&=", "|=", "^="])
def test_inplace_bitwise_operators_write_into_the_tensor(op):
    for m in (torch, dg):
        x = m.tensor(INTS)
        alias = x[0]
        ns = {"x": x, "y": m.tensor(INTS[::-1].copy())}
        exec(f"x {op} y", ns)
        assert ns["x"] is x
        assert alias[0].item() == ns["x"][0, 0].item()
