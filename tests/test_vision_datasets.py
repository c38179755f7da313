"""CIFAR10 (official binary format) and ImageFolder on small files written here; CIFAR10 on the
real files when $DEEPGRAD_DATA has them."""
from __future__ import annotations

import io
import os
import sys
import tarfile
import urllib.error
import urllib.request

import numpy as np
import pytest

import deepgrad as dg
from deepgrad.datasets import CIFAR10, DatasetFileError, DatasetFolder, ImageFolder
from deepgrad.vision import transforms as T

CLASSES = ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship",
           "truck"]
DATA = os.environ.get("DEEPGRAD_DATA")


def _records(images: np.ndarray, labels) -> bytes:
    """The official layout written plainly: label byte, then the R, G and B planes (row-major
    32x32 each) of every image."""
    out = bytearray()
    for img, label in zip(images, labels):
        out.append(int(label))
        for channel in range(3):
            out += img[:, :, channel].tobytes()
    return bytes(out)


def _fake_cifar(root, folder="cifar-10", per_batch=3, meta=True):
    rng = np.random.default_rng(0)
    path = root / folder
    path.mkdir(parents=True, exist_ok=True)
    written = {}
    names = [f"data_batch_{i}.bin" for i in range(1, 6)] + ["test_batch.bin"]
    for k, name in enumerate(names):
        images = rng.integers(0, 256, (per_batch, 32, 32, 3)).astype(np.uint8)
        labels = (np.arange(per_batch) + k) % 10
        (path / name).write_bytes(_records(images, labels))
        written[name] = (images, labels)
    if meta:
        (path / "batches.meta.txt").write_text("\n".join(CLASSES) + "\n\n")
    return written


def test_cifar10_reads_binary_records(tmp_path):
    written = _fake_cifar(tmp_path)
    train = CIFAR10(tmp_path, train=True)
    images = np.concatenate([written[f"data_batch_{i}.bin"][0] for i in range(1, 6)])
    labels = np.concatenate([written[f"data_batch_{i}.bin"][1] for i in range(1, 6)])
    assert len(train) == 15 and train.data.shape == (15, 32, 32, 3)
    assert train.data.dtype is dg.uint8 and train.targets.dtype is dg.int64
    np.testing.assert_array_equal(train.data.numpy(), images)
    np.testing.assert_array_equal(train.targets.numpy(), labels)
    assert train.classes == CLASSES and train.class_to_idx["cat"] == 3
    img, label = train[4]
    assert isinstance(img, np.ndarray) and img.shape == (32, 32, 3) and img.dtype == np.uint8
    np.testing.assert_array_equal(img, images[4])
    assert label == labels[4] and isinstance(label, int)
    test = CIFAR10(tmp_path, train=False, transform=T.ToTensor(),
                   target_transform=lambda y: y + 100)
    x, y = test[2]
    assert len(test) == 3 and tuple(x.shape) == (3, 32, 32) and x.dtype is dg.float32
    np.testing.assert_allclose(x.numpy(), written["test_batch.bin"][0][2].transpose(2, 0, 1)
                               / 255.0, rtol=1e-6)
    assert y == written["test_batch.bin"][1][2] + 100
    assert "Number of datapoints: 3" in repr(test)


def test_cifar10_other_folder_name_and_default_root(tmp_path, monkeypatch):
    _fake_cifar(tmp_path, folder="cifar-10-batches-bin", meta=False)
    monkeypatch.setenv("DEEPGRAD_DATA", str(tmp_path))
    ds = CIFAR10(train=False)
    assert len(ds) == 3 and ds.classes == CLASSES


def test_cifar10_corrupt_files(tmp_path):
    _fake_cifar(tmp_path)
    bad = tmp_path / "cifar-10" / "data_batch_3.bin"
    good = bad.read_bytes()
    bad.write_bytes(good[:-5])
    with pytest.raises(DatasetFileError, match="data_batch_3.bin"):
        CIFAR10(tmp_path)
    bad.write_bytes(bytes([10]) + good[1:])
    with pytest.raises(DatasetFileError, match="data_batch_3.bin.*label 10"):
        CIFAR10(tmp_path)
    bad.write_bytes(good)
    (tmp_path / "cifar-10" / "batches.meta.txt").write_text("cat\ndog\n")
    with pytest.raises(DatasetFileError, match="batches.meta.txt"):
        CIFAR10(tmp_path)


def test_cifar10_missing_files_and_offline_download(tmp_path, monkeypatch):
    with pytest.raises(RuntimeError, match="not found.*download=True"):
        CIFAR10(tmp_path)

    def offline(*args, **kwargs):
        raise urllib.error.URLError("no network")

    monkeypatch.setattr(urllib.request, "urlopen", offline)
    with pytest.raises(RuntimeError, match="cifar-10-binary.tar.gz") as info:
        CIFAR10(tmp_path, download=True)
    assert str(tmp_path) in str(info.value) and "c32a1d4ab5d03f1284b67883e8d87530" in str(
        info.value)


def test_cifar10_download_unpacks_archive(tmp_path, monkeypatch):
    source = tmp_path / "src"
    written = _fake_cifar(source, folder="cifar-10-batches-bin")
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz") as tar:
        tar.add(source / "cifar-10-batches-bin", arcname="cifar-10-batches-bin")
    calls = []

    def fake_download(filename, folder, mirrors, md5):
        calls.append((filename, mirrors, md5))
        os.makedirs(folder, exist_ok=True)
        target = os.path.join(folder, filename)
        with open(target, "wb") as f:
            f.write(buf.getvalue())
        return target

    monkeypatch.setattr("deepgrad.datasets.cifar.download", fake_download)
    root = tmp_path / "root"
    ds = CIFAR10(root, train=False, download=True)
    assert calls == [("cifar-10-binary.tar.gz", ["https://www.cs.toronto.edu/~kriz/"],
                      "c32a1d4ab5d03f1284b67883e8d87530")]
    np.testing.assert_array_equal(ds.data.numpy(), written["test_batch.bin"][0])
    CIFAR10(root, train=True, download=True)  # already there: no second download
    assert len(calls) == 1


@pytest.mark.skipif(not DATA or not any(
    os.path.exists(os.path.join(DATA or "", f, "test_batch.bin"))
    for f in ("cifar-10", "cifar-10-batches-bin")), reason="CIFAR-10 not in $DEEPGRAD_DATA")
def test_cifar10_real_files():
    train, test = CIFAR10(train=True), CIFAR10(train=False)
    assert len(train) == 50000 and len(test) == 10000
    assert np.bincount(test.targets.numpy()).tolist() == [1000] * 10
    assert test.classes == CLASSES


# ---------------------------------------------------------------------------------------------
# ImageFolder.

def _tree(root, image_module):
    """root/{cat,dog,bird}/... PNGs (one nested, one grayscale) plus a stray text file."""
    rng = np.random.default_rng(0)
    arrays = {}
    layout = {"dog": ["b.png", "a.png"], "cat": ["x.png", "sub/y.png"], "bird": ["z.png"]}
    for cls, files in layout.items():
        for name in files:
            path = root / cls / name
            path.parent.mkdir(parents=True, exist_ok=True)
            arr = rng.integers(0, 256, (5, 7, 3)).astype(np.uint8)
            image_module.fromarray(arr).save(path)
            arrays[str(path)] = arr
    gray = rng.integers(0, 256, (4, 6)).astype(np.uint8)
    image_module.fromarray(gray).save(root / "bird" / "g.png")
    arrays[str(root / "bird" / "g.png")] = np.repeat(gray[:, :, None], 3, axis=2)
    (root / "cat" / "notes.txt").write_text("not an image")
    return arrays


def test_image_folder_classes_samples_pixels(tmp_path):
    image = pytest.importorskip("PIL.Image")
    arrays = _tree(tmp_path, image)
    ds = ImageFolder(tmp_path)
    assert ds.classes == ["bird", "cat", "dog"]
    assert ds.class_to_idx == {"bird": 0, "cat": 1, "dog": 2}
    rel = [(os.path.relpath(p, tmp_path), i) for p, i in ds.samples]
    assert rel == [(os.path.join("bird", "g.png"), 0), (os.path.join("bird", "z.png"), 0),
                   (os.path.join("cat", "x.png"), 1), (os.path.join("cat", "sub", "y.png"), 1),
                   (os.path.join("dog", "a.png"), 2), (os.path.join("dog", "b.png"), 2)]
    assert ds.targets == [0, 0, 1, 1, 2, 2] and len(ds) == 6
    for i, (path, target) in enumerate(ds.samples):
        img, label = ds[i]
        assert label == target and img.dtype == np.uint8 and img.shape[2] == 3
        np.testing.assert_array_equal(img, arrays[path])
    ds = ImageFolder(tmp_path, transform=T.Compose([T.ToTensor(), T.Resize((8, 8))]),
                     target_transform=lambda y: -y)
    x, y = ds[5]
    assert tuple(x.shape) == (3, 8, 8) and x.dtype is dg.float32 and y == -2


def test_image_folder_npy_without_pillow(tmp_path, monkeypatch):
    rng = np.random.default_rng(1)
    for cls in ("b", "a"):
        (tmp_path / cls).mkdir()
        np.save(tmp_path / cls / "0.npy", rng.integers(0, 256, (4, 4, 3)).astype(np.uint8))
    (tmp_path / "a" / "1.png").write_bytes(b"\x89PNG not really")
    monkeypatch.setitem(sys.modules, "PIL", None)  # as if Pillow were not installed
    ds = ImageFolder(tmp_path)
    assert ds.classes == ["a", "b"] and [t for _, t in ds.samples] == [0, 0, 1]
    img, label = ds[0]
    np.testing.assert_array_equal(img, np.load(tmp_path / "a" / "0.npy"))
    with pytest.raises(ImportError, match="Pillow"):
        ds[1]


def test_image_folder_filters_and_errors(tmp_path):
    for cls in ("a", "b"):
        (tmp_path / cls).mkdir()
        np.save(tmp_path / cls / "keep.npy", np.zeros((2, 2), np.uint8))
        np.save(tmp_path / cls / "skip.npy", np.ones((2, 2), np.uint8))
    ds = ImageFolder(tmp_path, is_valid_file=lambda p: "keep" in p)
    assert [os.path.basename(p) for p, _ in ds.samples] == ["keep.npy", "keep.npy"]
    ds = ImageFolder(tmp_path, loader=lambda p: p.upper())
    assert ds[0][0].endswith("KEEP.NPY")
    (tmp_path / "c").mkdir()
    with pytest.raises(FileNotFoundError, match="classes c"):
        ImageFolder(tmp_path)
    assert len(ImageFolder(tmp_path, allow_empty=True)) == 4
    with pytest.raises(FileNotFoundError):
        ImageFolder(tmp_path / "missing")
    with pytest.raises(ValueError):
        DatasetFolder(tmp_path, np.load, extensions=(".npy",), is_valid_file=lambda p: True)
