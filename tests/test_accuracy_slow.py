"""Real-data accuracy runs of the examples, shortened (thresholds below the full runs' results
in the README, with margin for the shorter schedules). Marked slow: the default suite skips
them; CI runs them in a separate, time-bounded step (``pytest -m slow``)."""
from __future__ import annotations

import importlib.util
import os
import pathlib

import pytest

pytestmark = pytest.mark.slow

EXAMPLES = pathlib.Path(__file__).resolve().parents[1] / "examples"
DATA = os.environ.get("DEEPGRAD_DATA", "")
needs_mnist = pytest.mark.skipif(not os.path.exists(os.path.join(DATA, "mnist")),
                                 reason="needs $DEEPGRAD_DATA/mnist")


def _example(name):
    spec = importlib.util.spec_from_file_location(name, EXAMPLES / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@needs_mnist
def test_mnist_mlp_one_epoch(tmp_path):
    acc = _example("mnist_mlp").main(["--epochs", "1", "--out", str(tmp_path)])
    assert acc >= 0.95


@needs_mnist
def test_lenet_two_epochs(tmp_path):
    acc = _example("lenet_mnist").main(["--epochs", "2", "--out", str(tmp_path)])
    assert acc >= 0.98
    for png in ("curves.png", "filters.png", "feature_maps.png"):
        assert (tmp_path / png).stat().st_size > 1000


def test_unet_synthetic_segmentation(tmp_path):
    miou = _example("unet_shapes").main(["--epochs", "3", "--train-size", "1024",
                                         "--out", str(tmp_path)])
    assert miou >= 0.75
