"""Checkpoints: round trips, atomic writes, refusing non-checkpoints, safetensors interop,
and bitwise-reproducible training resumed from a checkpoint."""
from __future__ import annotations

import os
import pickle
from collections import OrderedDict

import numpy as np
import pytest

import deepgrad as dg
import deepgrad.nn as nn
from deepgrad.serialization import CheckpointError

torch = pytest.importorskip("torch")


def _model():
    return nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 3))


def test_round_trip_nested_checkpoint(tmp_path):
    model = _model()
    opt = dg.optim.Adam(model.parameters(), lr=0.01)
    model(dg.randn(5, 4)).sum().backward()
    opt.step()
    ck = {"model": model.state_dict(), "optim": opt.state_dict(), "epoch": 3, "name": "run",
          "losses": [1.5, 0.25], "shape": (2, None), "flag": True, "dtype": dg.float64,
          "f64": dg.randn(3, dtype=dg.float64), "ints": dg.arange(4), "arr": np.eye(2),
          "bf16": dg.ones(2, dtype=dg.bfloat16), "rng": dg.get_rng_state(),
          "nested": {1: {"x": [dg.zeros(1)]}}}
    path = tmp_path / "ck.dg"
    dg.save(ck, path)
    back = dg.load(path)
    assert isinstance(back["model"], OrderedDict)
    assert list(back["model"]) == list(ck["model"])
    for k, v in ck["model"].items():
        np.testing.assert_array_equal(back["model"][k].numpy(), v.numpy())
    assert back["epoch"] == 3 and back["name"] == "run" and back["losses"] == [1.5, 0.25]
    assert back["shape"] == (2, None) and back["flag"] is True and back["dtype"] is dg.float64
    assert back["f64"].dtype is dg.float64 and back["ints"].dtype is dg.int64
    assert back["bf16"].dtype is dg.bfloat16 and back["bf16"].tolist() == [1.0, 1.0]
    np.testing.assert_array_equal(back["arr"], np.eye(2))
    assert back["nested"][1]["x"][0].shape == (1,)
    model2 = _model()
    model2.load_state_dict(back["model"])
    opt2 = dg.optim.Adam(model2.parameters(), lr=0.01)
    opt2.load_state_dict(back["optim"])
    assert float(opt2.state[model2[0].weight]["step"]) == 1.0


def test_shared_tensors_saved_once(tmp_path):
    t = dg.randn(3)
    dg.save({"a": t, "b": t}, tmp_path / "s.dg")
    back = dg.load(tmp_path / "s.dg")
    assert back["a"] is back["b"]


def test_crash_during_save_keeps_previous_checkpoint(tmp_path, monkeypatch):
    path = tmp_path / "ck.dg"
    dg.save({"v": dg.ones(3)}, path)
    before = path.read_bytes()

    def explode(*args, **kwargs):
        raise OSError("disk full (simulated)")

    monkeypatch.setattr(np.lib.format, "write_array", explode)
    with pytest.raises(OSError):
        dg.save({"v": dg.zeros(3)}, path)
    monkeypatch.undo()
    assert path.read_bytes() == before
    assert dg.load(path)["v"].tolist() == [1.0, 1.0, 1.0]
    assert [p.name for p in tmp_path.iterdir()] == ["ck.dg"]  # no temp file left behind


def test_refuses_pickle_random_bytes_truncated_and_unsavable(tmp_path):
    pkl = tmp_path / "evil.pkl"
    with open(pkl, "wb") as f:
        pickle.dump({"a": 1}, f)
    with pytest.raises(CheckpointError, match="pickle"):
        dg.load(pkl)
    junk = tmp_path / "junk.bin"
    junk.write_bytes(os.urandom(4096))
    with pytest.raises(CheckpointError):
        dg.load(junk)
    good = tmp_path / "good.dg"
    dg.save({"w": dg.randn(100)}, good)
    cut = tmp_path / "cut.dg"
    cut.write_bytes(good.read_bytes()[:300])
    with pytest.raises(CheckpointError, match="corrupt or truncated"):
        dg.load(cut)
    with pytest.raises(TypeError, match="state_dict"):
        dg.save(_model(), tmp_path / "m.dg")
    with pytest.raises(FileNotFoundError):
        dg.load(tmp_path / "missing.dg")


def test_safetensors_interop_with_torch(tmp_path):
    pytest.importorskip("safetensors")
    from safetensors.torch import load_file, save_file

    model = _model()
    path = tmp_path / "w.safetensors"
    dg.save(model.state_dict(), path)
    tmodel = torch.nn.Sequential(torch.nn.Linear(4, 8), torch.nn.ReLU(), torch.nn.Linear(8, 3))
    tmodel.load_state_dict(load_file(str(path)))
    x = np.random.default_rng(0).standard_normal((2, 4)).astype(np.float32)
    np.testing.assert_allclose(tmodel(torch.tensor(x)).detach().numpy(),
                               model(dg.tensor(x)).detach().numpy(), rtol=1e-5, atol=1e-6)
    tmodel2 = torch.nn.Sequential(torch.nn.Linear(4, 8), torch.nn.ReLU(), torch.nn.Linear(8, 3))
    save_file(tmodel2.state_dict(), str(path))
    model2 = _model()
    model2.load_state_dict(dg.load(path))
    np.testing.assert_allclose(tmodel2(torch.tensor(x)).detach().numpy(),
                               model2(dg.tensor(x)).detach().numpy(), rtol=1e-5, atol=1e-6)


def _train(steps, seed=0, resume_at=None, ckpt=None):
    """A tiny run with dropout (RNG), shuffled batches (loader generator) and Adam."""
    dg.manual_seed(seed)
    data = dg.utils.data.TensorDataset(dg.randn(64, 4), dg.randint(0, 3, (64,)))
    gen = dg.Generator().manual_seed(seed)
    model = nn.Sequential(nn.Linear(4, 16), nn.ReLU(), nn.Dropout(0.3), nn.Linear(16, 3))
    opt = dg.optim.Adam(model.parameters(), lr=0.01)
    step = 0
    if resume_at is not None:
        state = dg.load(ckpt)
        model.load_state_dict(state["model"])
        opt.load_state_dict(state["opt"])
        dg.set_rng_state(state["rng"])
        gen.set_state(state["gen"])
        step = state["step"]
    while step < steps:
        for x, y in dg.utils.data.DataLoader(data, batch_size=16, shuffle=True, generator=gen):
            opt.zero_grad()
            dg.nn.functional.cross_entropy(model(x), y).backward()
            opt.step()
            step += 1
        if ckpt is not None and resume_at is None and step == 8:  # epoch boundary
            dg.save({"model": model.state_dict(), "opt": opt.state_dict(), "step": step,
                     "rng": dg.get_rng_state(), "gen": gen.get_state()}, ckpt)
    return [p.detach().numpy().copy() for p in model.parameters()]


def test_same_seed_bitwise_identical_and_resume_bitwise_identical(tmp_path):
    a = _train(16)
    b = _train(16)
    for x, y in zip(a, b):
        assert np.array_equal(x, y)
    ckpt = tmp_path / "mid.dg"
    full = _train(16, ckpt=ckpt)
    resumed = _train(16, resume_at=8, ckpt=ckpt)
    for x, y in zip(full, resumed):
        assert np.array_equal(x, y)
