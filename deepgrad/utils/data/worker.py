"""Worker processes of the DataLoader: the loop each worker runs, and ``get_worker_info``."""
from __future__ import annotations

import dataclasses
import queue
import random
import sys
import traceback

import numpy as np

_worker_info = None


@dataclasses.dataclass(frozen=True)
class WorkerInfo:
    """What ``get_worker_info()`` returns inside a worker process."""

    id: int
    num_workers: int
    seed: int
    dataset: object


def get_worker_info():
    """``WorkerInfo(id, num_workers, seed, dataset)`` in a DataLoader worker, else None.

    Use it in an ``IterableDataset.__iter__`` to give each worker its own share of the data.
    """
    return _worker_info


class ExceptionWrapper:
    """An exception raised in a worker, carried to the main process with its traceback."""

    def __init__(self, exc_info, where: str):
        self.exc_type = exc_info[0]
        self.msg = "".join(traceback.format_exception(*exc_info))
        self.where = where

    def reraise(self):
        msg = f"Caught {self.exc_type.__name__} {self.where}.\nOriginal {self.msg}"
        try:
            exc = self.exc_type(msg)
        except Exception:  # noqa: BLE001 - exception types with unusual constructors
            raise RuntimeError(msg) from None
        raise exc


class _IterableDone:
    """Sent by a worker whose IterableDataset copy is exhausted."""

    def __init__(self, worker_id):
        self.worker_id = worker_id


RESET = "__reset__"


def worker_loop(dataset, is_iterable, index_queue, data_queue, collate_fn, auto_collation,
                batch_size, drop_last, seed, worker_id, num_workers, init_fn):
    """Fetch and collate batches for the indices received, until told to stop (None)."""
    global _worker_info
    try:
        from ... import random as dg_random

        dg_random.manual_seed(seed)
        random.seed(seed)
        np.random.seed(seed % (2 ** 32))
        _worker_info = WorkerInfo(worker_id, num_workers, seed, dataset)
        init_error = None
        try:
            if init_fn is not None:
                init_fn(worker_id)
        except Exception:  # noqa: BLE001 - reported to the main process
            init_error = ExceptionWrapper(sys.exc_info(), f"in DataLoader worker process "
                                                          f"{worker_id}")
        iterator = iter(dataset) if is_iterable and init_error is None else None
        exhausted = False
        while True:
            try:
                task = index_queue.get(timeout=5.0)
            except queue.Empty:
                continue
            if task is None:
                break
            if task == RESET:
                iterator = iter(dataset) if is_iterable else None
                exhausted = False
                continue
            send_idx, indices = task
            if init_error is not None:
                data_queue.put((send_idx, init_error))
                continue
            try:
                if is_iterable:
                    if exhausted:
                        data_queue.put((send_idx, _IterableDone(worker_id)))
                        continue
                    data = _next_iterable_batch(iterator, auto_collation, batch_size, drop_last)
                    if data is None:
                        exhausted = True
                        data_queue.put((send_idx, _IterableDone(worker_id)))
                        continue
                    data = collate_fn(data)
                elif auto_collation:
                    data = fetch_batch(dataset, indices, collate_fn)
                else:
                    data = collate_fn(dataset[indices])
            except Exception:  # noqa: BLE001 - reported to the main process
                data = ExceptionWrapper(sys.exc_info(), f"in DataLoader worker process "
                                                        f"{worker_id}")
            data_queue.put((send_idx, data))
    except KeyboardInterrupt:
        pass


def fetch_batch(dataset, indices, collate_fn):
    """``collate_fn([dataset[i] for i in indices])``; for a TensorDataset under the default
    collate, the same batch by one fancy index per tensor (no per-sample objects)."""
    from .collate import default_collate
    from .dataset import TensorDataset

    if collate_fn is default_collate and type(dataset) is TensorDataset:
        from ..._tensor import Tensor

        idx = np.asarray(indices, dtype=np.int64)
        return [Tensor._make(t.data[idx]) for t in dataset.tensors]
    return collate_fn(_fetch_many(dataset, indices))


def _fetch_many(dataset, indices):
    getitems = getattr(dataset, "__getitems__", None)
    if callable(getitems):
        return getitems(indices)
    return [dataset[i] for i in indices]


def _next_iterable_batch(iterator, auto_collation, batch_size, drop_last):
    if not auto_collation:
        try:
            return next(iterator)
        except StopIteration:
            return None
    batch = []
    for item in iterator:
        batch.append(item)
        if len(batch) == batch_size:
            break
    if not batch or (drop_last and len(batch) < batch_size):
        return None
    return batch
