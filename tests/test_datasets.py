"""Dataset readers on the real files in $DEEPGRAD_DATA and on broken files made here."""
from __future__ import annotations

import gzip
import hashlib
import os

import numpy as np
import pytest

import deepgrad as dg
from deepgrad.datasets import MNIST, CharDataset, DatasetFileError, FashionMNIST, TinyShakespeare

DATA = os.environ.get("DEEPGRAD_DATA")
needs_data = pytest.mark.skipif(
    not DATA or not os.path.exists(os.path.join(DATA or "", "mnist")),
    reason="DEEPGRAD_DATA with mnist/ is not available")


@needs_data
def test_mnist_real_files():
    train, test = MNIST(train=True), MNIST(train=False)
    assert len(train) == 60000 and len(test) == 10000
    assert train.data.shape == (60000, 28, 28) and train.data.dtype is dg.uint8
    assert train.targets.dtype is dg.int64
    assert set(np.unique(train.targets.numpy())) == set(range(10))
    # The pixel bytes equal the official file's (its decompressed SHA-256 is in the data README).
    raw = bytes(np.array([0, 0, 8, 3, 0, 0, 234, 96, 0, 0, 0, 28, 0, 0, 0, 28], np.uint8))
    digest = hashlib.sha256(raw + train.data.numpy().tobytes()).hexdigest()
    assert digest == "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db"
    img, label = train[0]
    assert img.shape == (28, 28) and label == int(train.targets[0])
    t = dg.vision.transforms.Compose([dg.vision.transforms.ToTensor(),
                                      dg.vision.transforms.Normalize((0.1307,), (0.3081,))])
    x, _ = MNIST(train=False, transform=t)[0]
    assert x.shape == (1, 28, 28) and x.dtype is dg.float32


@needs_data
def test_fashion_mnist_and_tinyshakespeare():
    f = FashionMNIST(train=False)
    assert len(f) == 10000 and np.bincount(f.targets.numpy()).tolist() == [1000] * 10
    ts = TinyShakespeare(block_size=16)
    x, y = ts[0]
    assert ts.vocab_size == 65 and x.dtype is dg.int64
    assert ts.decode(x).startswith("First Citizen")
    assert np.array_equal(x.numpy()[1:], y.numpy()[:-1])


def _write_idx(path, arr, magic):
    header = magic.to_bytes(4, "big") + b"".join(s.to_bytes(4, "big") for s in arr.shape)
    with gzip.open(path, "wb") as f:
        f.write(header + arr.astype(np.uint8).tobytes())


def _fake_mnist(root, n=5, truncate=False):
    folder = root / "mnist"
    folder.mkdir(parents=True, exist_ok=True)
    imgs = np.random.default_rng(0).integers(0, 255, (n, 28, 28))
    _write_idx(folder / "t10k-images-idx3-ubyte.gz", imgs, 2051)
    _write_idx(folder / "t10k-labels-idx1-ubyte.gz", np.arange(n) % 10, 2049)
    if truncate:
        p = folder / "t10k-images-idx3-ubyte.gz"
        raw = gzip.decompress(p.read_bytes())
        p.write_bytes(gzip.compress(raw[:-100]))
    return imgs


def test_reader_on_small_files_and_errors(tmp_path):
    imgs = _fake_mnist(tmp_path)
    ds = MNIST(root=tmp_path, train=False)
    assert np.array_equal(ds.data.numpy(), imgs) and ds.targets.tolist() == [0, 1, 2, 3, 4]
    _fake_mnist(tmp_path, truncate=True)
    with pytest.raises(DatasetFileError, match="truncated"):
        MNIST(root=tmp_path, train=False)
    p = tmp_path / "mnist" / "t10k-images-idx3-ubyte.gz"
    p.write_bytes(p.read_bytes()[:50])
    with pytest.raises(DatasetFileError):
        MNIST(root=tmp_path, train=False)
    with pytest.raises(RuntimeError, match="not found"):
        MNIST(root=tmp_path / "nowhere", train=False)


def test_char_dataset():
    ds = CharDataset("hello world", block_size=4)
    assert ds.vocab_size == len(set("hello world")) and len(ds) == 7
    x, y = ds[2]
    assert ds.decode(x) == "llo " and ds.decode(y) == "lo w"
    assert ds.decode(ds.encode("hold")) == "hold"
    with pytest.raises(ValueError):
        CharDataset("ab", block_size=4)


def test_download_verifies_checksum_and_fails_clearly(tmp_path, monkeypatch):
    """download=True against a mirror served from a local folder: a file with the wrong MD5 is
    rejected (and not left behind); with no reachable mirror the error says where to put it."""
    from deepgrad.datasets import _common

    mirror = tmp_path / "mirror"
    mirror.mkdir()
    (mirror / "t10k-images-idx3-ubyte.gz").write_bytes(b"not the real file")
    monkeypatch.setattr(MNIST, "mirrors", [mirror.as_uri() + "/"])
    root = tmp_path / "root"
    with pytest.raises(RuntimeError, match="checksum mismatch") as info:
        MNIST(root=root, train=False, download=True)
    assert "t10k-images-idx3-ubyte.gz" in str(info.value) and "MD5" in str(info.value)
    assert not any((root / "mnist").glob("*.gz"))
    good = _common.md5sum(str(mirror / "t10k-images-idx3-ubyte.gz"))
    assert len(good) == 32
