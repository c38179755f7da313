"""Checkpoints: ``deepgrad.save(obj, path)`` and ``deepgrad.load(path)``.

The native format is a zip archive holding ``deepgrad.json`` (the object tree with references
to arrays) and one ``.npy`` file per tensor, read back with ``allow_pickle=False``: loading
never executes code. Saves are atomic (temporary file, fsync, rename), so a crash mid-save
leaves the previous checkpoint intact.

``.safetensors`` paths use the safetensors format instead (a flat dict of tensors; needs the
optional ``safetensors`` package): ``load`` reads weights saved by PyTorch that way, and
``save`` writes state dicts that ``safetensors.torch.load_file`` + ``load_state_dict`` accept.
"""
from __future__ import annotations

import io
import json
import os
import tempfile
import zipfile
from collections import OrderedDict

import numpy as np

from . import _dtype
from ._tensor import Tensor

FORMAT = "deepgrad-checkpoint"
VERSION = 1
_META = "deepgrad.json"


class CheckpointError(RuntimeError):
    """Raised for files that are not valid deepgrad checkpoints."""


# ---------------------------------------------------------------------------- encoding
class _Encoder:
    def __init__(self):
        self.arrays: dict[str, np.ndarray] = {}
        self._ids: dict[int, str] = {}

    def _array_ref(self, obj, array: np.ndarray) -> dict:
        key = self._ids.get(id(obj))
        if key is None:
            key = f"a{len(self._ids)}"
            self._ids[id(obj)] = key
            self.arrays[key] = array
        return {"ref": key}

    def encode(self, obj):
        from .nn.parameter import Parameter

        if obj is None or isinstance(obj, (bool, int, float, str)):
            return {"t": "py", "v": obj}
        if isinstance(obj, Tensor):
            node = self._array_ref(obj, np.asarray(obj.data))
            node.update(t="tensor", dtype=obj.dtype.name, requires_grad=bool(obj.requires_grad),
                        parameter=isinstance(obj, Parameter))
            return node
        if isinstance(obj, np.ndarray):
            if obj.dtype == object:
                raise TypeError("deepgrad.save: object arrays cannot be saved")
            node = self._array_ref(obj, obj)
            node["t"] = "ndarray"
            return node
        if isinstance(obj, np.generic):
            return {"t": "py", "v": obj.item()}
        if isinstance(obj, _dtype.dtype):
            return {"t": "dtype", "v": obj.name}
        if isinstance(obj, dict):
            keys = list(obj.keys())
            for k in keys:
                if not (k is None or isinstance(k, (bool, int, float, str))):
                    raise TypeError(f"deepgrad.save: dict keys must be numbers or strings, got "
                                    f"{type(k).__name__}")
            return {"t": "odict" if isinstance(obj, OrderedDict) else "dict", "k": keys,
                    "v": [self.encode(obj[k]) for k in keys]}
        if isinstance(obj, (list, tuple)):
            return {"t": "list" if isinstance(obj, list) else "tuple",
                    "v": [self.encode(v) for v in obj]}
        raise TypeError(f"deepgrad.save: cannot save an object of type {type(obj).__name__}; "
                        "checkpoints hold tensors, arrays, numbers, strings, None and "
                        "lists/tuples/dicts of them (save a module's state_dict(), not the "
                        "module)")


def _decode(node, arrays, memo=None):
    """Rebuild the object tree; a tensor saved twice comes back as one object."""
    from .nn.parameter import Parameter

    if memo is None:
        memo = {}
    t = node.get("t")
    if t == "py":
        return node["v"]
    if t == "tensor":
        if node["ref"] in memo:
            return memo[node["ref"]]
        arr = arrays[node["ref"]]
        d = _dtype.to_dtype(node["dtype"])
        if arr.dtype != d.np_dtype:
            arr = arr.view(d.np_dtype) if arr.dtype.itemsize == d.itemsize else arr.astype(
                d.np_dtype)
        if node.get("parameter"):
            out = Parameter(Tensor._make(arr), node.get("requires_grad", True))
        else:
            out = Tensor._make(arr)
            if node.get("requires_grad"):
                out.requires_grad = True
        memo[node["ref"]] = out
        return out
    if t == "ndarray":
        return arrays[node["ref"]]
    if t == "dtype":
        return _dtype.to_dtype(node["v"])
    if t in ("dict", "odict"):
        cls = OrderedDict if t == "odict" else dict
        return cls((k, _decode(v, arrays, memo)) for k, v in zip(node["k"], node["v"]))
    if t == "list":
        return [_decode(v, arrays, memo) for v in node["v"]]
    if t == "tuple":
        return tuple(_decode(v, arrays, memo) for v in node["v"])
    raise CheckpointError(f"deepgrad.load: unknown entry type {t!r} in checkpoint")


# ---------------------------------------------------------------------------- atomic write
def _atomic_write(path: str, write) -> None:
    """Call ``write(fileobj)`` on a temporary file next to ``path``, fsync, then rename."""
    path = os.fspath(path)
    directory = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=os.path.basename(path), dir=directory)
    try:
        with os.fdopen(fd, "wb") as f:
            write(f)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    try:  # make the rename itself durable
        dir_fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
    except OSError:
        pass


def save(obj, f) -> None:
    """Save tensors, state dicts or nested checkpoint dicts to ``f`` (a path) atomically.

    Example::

        deepgrad.save({"model": model.state_dict(), "optim": opt.state_dict(), "epoch": 3},
                      "ckpt.dg")
    """
    path = os.fspath(f)
    if path.endswith(".safetensors"):
        return save_safetensors(obj, path)
    enc = _Encoder()
    tree = enc.encode(obj)
    meta = {"format": FORMAT, "version": VERSION, "tree": tree,
            "arrays": {k: _array_meta(a) for k, a in enc.arrays.items()}}

    def write(fobj):
        with zipfile.ZipFile(fobj, "w", compression=zipfile.ZIP_STORED) as zf:
            zf.writestr(_META, json.dumps(meta))
            for key, arr in enc.arrays.items():
                buf = io.BytesIO()
                np.lib.format.write_array(buf, _storable(arr), allow_pickle=False)
                zf.writestr(f"arrays/{key}.npy", buf.getvalue())

    _atomic_write(path, write)


def _storable(arr: np.ndarray) -> np.ndarray:
    arr = arr if arr.flags.c_contiguous else arr.copy(order="C")
    if arr.dtype.kind == "V" or arr.dtype.name == "bfloat16":  # bfloat16: stored as raw uint16
        return arr.view(np.uint16)
    return arr


def _array_meta(arr):
    return {"shape": list(arr.shape), "dtype": str(arr.dtype)}


def load(f, map_location=None, weights_only=True, mmap=None):
    """Load an object saved by ``deepgrad.save`` (or a ``.safetensors`` file).

    Never executes code from the file; raises ``CheckpointError`` for anything that is not a
    deepgrad checkpoint (e.g. a pickle file or random bytes) or that is truncated.
    """
    path = os.fspath(f)
    if not os.path.exists(path):
        raise FileNotFoundError(f"deepgrad.load: no such file: '{path}'")
    with open(path, "rb") as fh:
        head = fh.read(16)
    if _looks_like_safetensors(head):
        return load_safetensors(path)
    if not zipfile.is_zipfile(path):
        if head[:4] == b"PK\x03\x04":
            raise CheckpointError(f"deepgrad.load: '{path}' is corrupt or truncated (an "
                                  "incomplete zip archive)")
        hint = " (it looks like a pickle file; deepgrad never unpickles)" if head[:1] == b"\x80" \
            else ""
        raise CheckpointError(f"deepgrad.load: '{path}' is not a deepgrad checkpoint{hint}")
    try:
        with zipfile.ZipFile(path) as zf:
            names = set(zf.namelist())
            if _META not in names:
                raise CheckpointError(f"deepgrad.load: '{path}' is a zip file but not a deepgrad "
                                      "checkpoint (no deepgrad.json)")
            meta = json.loads(zf.read(_META))
            if meta.get("format") != FORMAT:
                raise CheckpointError(f"deepgrad.load: '{path}' is not a deepgrad checkpoint")
            if meta.get("version", 0) > VERSION:
                raise CheckpointError(f"deepgrad.load: '{path}' was written by a newer deepgrad "
                                      f"(format version {meta['version']})")
            arrays = {}
            for key, info in meta["arrays"].items():
                with zf.open(f"arrays/{key}.npy") as af:
                    arr = np.lib.format.read_array(af, allow_pickle=False)
                if list(arr.shape) != info["shape"]:
                    raise CheckpointError(f"deepgrad.load: array {key} has shape {arr.shape}, "
                                          f"expected {info['shape']}")
                arrays[key] = arr
    except CheckpointError:
        raise
    except (zipfile.BadZipFile, KeyError, ValueError, EOFError, OSError) as e:
        raise CheckpointError(f"deepgrad.load: '{path}' is corrupt or truncated: {e}") from None
    return _decode(meta["tree"], arrays)


# ---------------------------------------------------------------------------- safetensors
def _looks_like_safetensors(head: bytes) -> bool:
    if len(head) < 9:
        return False
    n = int.from_bytes(head[:8], "little")
    return 2 <= n < 100_000_000 and head[8:9] == b"{"


def _safetensors_numpy():
    try:
        from safetensors import numpy as st_numpy
    except ImportError:
        raise ImportError("safetensors files need the optional package safetensors "
                          "(pip install 'deepgrad[checkpoint]')") from None
    return st_numpy


def save_safetensors(state_dict, path) -> None:
    """Write a flat ``{name: tensor}`` dict as safetensors (loadable by PyTorch)."""
    st = _safetensors_numpy()
    arrays = {}
    for k, v in state_dict.items():
        if not isinstance(k, str):
            raise TypeError("safetensors keys must be strings")
        if isinstance(v, Tensor):
            v = np.asarray(v.data)
        if not isinstance(v, np.ndarray):
            raise TypeError(f"safetensors holds only tensors; '{k}' is {type(v).__name__}")
        arrays[k] = v if v.flags.c_contiguous else v.copy(order="C")
    _atomic_write(path, lambda fobj: fobj.write(st.save(arrays)))


def load_safetensors(path) -> "OrderedDict[str, Tensor]":
    """Read a safetensors file (e.g. written by PyTorch) into an ordered dict of tensors."""
    st = _safetensors_numpy()
    try:
        with open(path, "rb") as fh:
            arrays = st.load(fh.read())
    except Exception as e:  # noqa: BLE001 - any parse failure means a bad file
        raise CheckpointError(f"deepgrad.load: '{path}' is not a valid safetensors file: "
                              f"{e}") from None
    return OrderedDict((k, Tensor._make(np.array(v))) for k, v in arrays.items())
