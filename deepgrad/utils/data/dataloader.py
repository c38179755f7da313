"""``DataLoader``: batches from a dataset, in the main process or in worker processes."""
from __future__ import annotations

import itertools
import multiprocessing
import queue
import warnings

from .collate import default_collate, default_convert
from .dataset import IterableDataset
from .sampler import BatchSampler, RandomSampler, Sampler, SequentialSampler
from .worker import (RESET, ExceptionWrapper, _IterableDone, _next_iterable_batch, fetch_batch,
                     worker_loop)


class _InfiniteConstantSampler(Sampler):
    def __iter__(self):
        while True:
            yield None


class DataLoader:
    """Iterate over ``dataset`` in batches, with torch's arguments and semantics.

    ``batch_size`` (None disables batching), ``shuffle``, ``sampler`` / ``batch_sampler``,
    ``drop_last``, ``collate_fn`` (default: ``default_collate``), ``generator`` (reproducible
    shuffles), ``num_workers`` worker processes with ``worker_init_fn``, per-worker seeds
    (``base_seed + worker_id``), ``prefetch_factor`` batches in flight per worker,
    ``persistent_workers``, ``timeout``. ``pin_memory`` is accepted and has no effect.

    Example::

        loader = DataLoader(TensorDataset(x, y), batch_size=64, shuffle=True, num_workers=2)
        for xb, yb in loader:
            ...
    """

    def __init__(self, dataset, batch_size=1, shuffle=None, sampler=None, batch_sampler=None,
                 num_workers=0, collate_fn=None, pin_memory=False, drop_last=False, timeout=0,
                 worker_init_fn=None, multiprocessing_context=None, generator=None, *,
                 prefetch_factor=None, persistent_workers=False, pin_memory_device="",
                 in_order=True):
        if num_workers < 0:
            raise ValueError("num_workers option should be non-negative; use num_workers=0 to "
                             "disable multiprocessing.")
        if timeout < 0:
            raise ValueError("timeout option should be non-negative")
        if num_workers == 0 and prefetch_factor is not None:
            raise ValueError("prefetch_factor option could only be specified in "
                             "multiprocessing.let num_workers > 0 to enable multiprocessing, "
                             "otherwise set prefetch_factor to None.")
        if persistent_workers and num_workers == 0:
            raise ValueError("persistent_workers option needs num_workers > 0")
        self.dataset = dataset
        self.num_workers = num_workers
        self.prefetch_factor = 2 if (num_workers > 0 and prefetch_factor is None) else (
            prefetch_factor)
        self.pin_memory = pin_memory
        self.timeout = timeout
        self.worker_init_fn = worker_init_fn
        self.multiprocessing_context = multiprocessing_context
        self.persistent_workers = persistent_workers
        self.generator = generator
        self._is_iterable = isinstance(dataset, IterableDataset)

        if self._is_iterable:
            if shuffle not in (None, False):
                raise ValueError(f"DataLoader with IterableDataset: expected unspecified shuffle "
                                 f"option, but got shuffle={shuffle}")
            if sampler is not None:
                raise ValueError(f"DataLoader with IterableDataset: expected unspecified sampler "
                                 f"option, but got sampler={sampler}")
            if batch_sampler is not None:
                raise ValueError("DataLoader with IterableDataset: expected unspecified "
                                 f"batch_sampler option, but got batch_sampler={batch_sampler}")
        else:
            shuffle = bool(shuffle)
        if sampler is not None and shuffle:
            raise ValueError("sampler option is mutually exclusive with shuffle")
        if batch_sampler is not None:
            if batch_size != 1 or shuffle or sampler is not None or drop_last:
                raise ValueError("batch_sampler option is mutually exclusive with batch_size, "
                                 "shuffle, sampler, and drop_last")
            batch_size = None
            drop_last = False
        elif batch_size is None and drop_last:
            raise ValueError("batch_size=None option disables auto-batching and is mutually "
                             "exclusive with drop_last")
        if sampler is None:
            if self._is_iterable:
                sampler = _InfiniteConstantSampler()
            elif shuffle:
                sampler = RandomSampler(dataset, generator=generator)
            else:
                sampler = SequentialSampler(dataset)
        if batch_size is not None and batch_sampler is None:
            batch_sampler = BatchSampler(sampler, batch_size, drop_last)
        self.batch_size = batch_size
        self.drop_last = drop_last
        self.sampler = sampler
        self.batch_sampler = batch_sampler
        if collate_fn is None:
            collate_fn = default_collate if self._auto_collation else default_convert
        self.collate_fn = collate_fn
        self._iterator = None

    @property
    def _auto_collation(self) -> bool:
        return self.batch_sampler is not None

    @property
    def _index_sampler(self):
        return self.batch_sampler if self._auto_collation else self.sampler

    def __len__(self) -> int:
        if self._is_iterable:
            n = len(self.dataset)
            if self.batch_size is not None:
                n = n // self.batch_size if self.drop_last else -(-n // self.batch_size)
            return n
        return len(self._index_sampler)

    def __iter__(self):
        if self.num_workers == 0:
            return _SingleProcessIter(self)
        if self.persistent_workers:
            if self._iterator is None:
                self._iterator = _MultiProcessIter(self)
            else:
                self._iterator._reset()
            return self._iterator
        return _MultiProcessIter(self)

    def _base_seed(self) -> int:
        from ...random import default_generator

        gen = self.generator if self.generator is not None else default_generator
        return int(gen._rng.integers(0, 2 ** 63 - 1))


class _SingleProcessIter:
    def __init__(self, loader: DataLoader):
        self.loader = loader
        self._sampler_iter = iter(loader._index_sampler)
        # drawn (and unused) as with workers, so both paths consume the generator alike
        self._base_seed = loader._base_seed()
        self._dataset_iter = iter(loader.dataset) if loader._is_iterable else None

    def __iter__(self):
        return self

    def __len__(self):
        return len(self.loader)

    def __next__(self):
        loader = self.loader
        indices = next(self._sampler_iter)
        if loader._is_iterable:
            data = _next_iterable_batch(self._dataset_iter, loader._auto_collation,
                                        loader.batch_size, loader.drop_last)
            if data is None:
                raise StopIteration
        elif loader._auto_collation:
            return fetch_batch(loader.dataset, indices, loader.collate_fn)
        else:
            data = loader.dataset[indices]
        return loader.collate_fn(data)


class _MultiProcessIter:
    """Workers fetch batches; results are returned in sampler order (reordered by index)."""

    def __init__(self, loader: DataLoader):
        self.loader = loader
        ctx = loader.multiprocessing_context
        if ctx is None:
            ctx = multiprocessing.get_context("fork")
        elif isinstance(ctx, str):
            ctx = multiprocessing.get_context(ctx)
        self._ctx = ctx
        self._num_workers = loader.num_workers
        self._data_queue = ctx.Queue()
        self._index_queues = []
        self._workers = []
        # the sampler iterator is created first but draws lazily, after the seed (as torch)
        self._sampler_iter = iter(loader._index_sampler)
        base_seed = loader._base_seed()
        for wid in range(self._num_workers):
            iq = ctx.Queue()
            w = ctx.Process(target=worker_loop, daemon=True, args=(
                loader.dataset, loader._is_iterable, iq, self._data_queue, loader.collate_fn,
                loader._auto_collation, loader.batch_size, loader.drop_last, base_seed + wid,
                wid, self._num_workers, loader.worker_init_fn))
            w.start()
            self._index_queues.append(iq)
            self._workers.append(w)
        self._shutdown = False
        self._start_epoch()

    def _start_epoch(self, first=True):
        if not first:
            self._sampler_iter = iter(self.loader._index_sampler)
        self._send_idx = 0
        self._rcvd_idx = 0
        self._task_info = {}  # send_idx -> worker id (outstanding) or the data once arrived
        self._outstanding = 0
        self._worker_cycle = itertools.cycle(range(self._num_workers))
        self._active = [True] * self._num_workers
        for _ in range(self.loader.prefetch_factor * self._num_workers):
            self._try_put_index()

    def _reset(self):
        for iq in self._index_queues:
            if self.loader._is_iterable:
                iq.put(RESET)
        self._start_epoch(first=False)

    def __iter__(self):
        return self

    def __len__(self):
        return len(self.loader)

    def _try_put_index(self):
        if not any(self._active):
            return
        try:
            indices = next(self._sampler_iter)
        except StopIteration:
            return
        for _ in range(self._num_workers):
            wid = next(self._worker_cycle)
            if self._active[wid]:
                break
        else:
            return
        self._index_queues[wid].put((self._send_idx, indices))
        self._task_info[self._send_idx] = (wid,)
        self._send_idx += 1
        self._outstanding += 1

    def _get_data(self):
        timeout = self.loader.timeout
        waited = 0.0
        while True:
            try:
                return self._data_queue.get(timeout=1.0)
            except queue.Empty:
                waited += 1.0
                dead = [w for w in self._workers if not w.is_alive()]
                if dead:
                    self._shutdown_workers()
                    pids = ", ".join(str(w.pid) for w in dead)
                    raise RuntimeError(f"DataLoader worker (pid(s) {pids}) exited unexpectedly "
                                       f"(exit code {dead[0].exitcode})") from None
                if timeout and waited >= timeout:
                    self._shutdown_workers()
                    raise RuntimeError(f"DataLoader timed out after {timeout} seconds") from None

    def __next__(self):
        while True:
            if self._outstanding == 0 and self._rcvd_idx >= self._send_idx:
                if not self.loader.persistent_workers:
                    self._shutdown_workers()
                raise StopIteration
            info = self._task_info.get(self._rcvd_idx)
            if info is not None and len(info) == 2:  # already arrived
                del self._task_info[self._rcvd_idx]
                self._rcvd_idx += 1
                data = info[1]
                if isinstance(data, _IterableDone):
                    self._active[data.worker_id] = False
                    continue
                self._try_put_index()
                return self._process(data)
            if info is None and self._rcvd_idx < self._send_idx:
                self._rcvd_idx += 1  # skipped slot (iterable worker finished)
                continue
            idx, data = self._get_data()
            self._outstanding -= 1
            if isinstance(data, _IterableDone):
                self._active[data.worker_id] = False
                self._task_info[idx] = (data.worker_id, data)
                continue
            if idx == self._rcvd_idx:
                del self._task_info[idx]
                self._rcvd_idx += 1
                self._try_put_index()
                return self._process(data)
            self._task_info[idx] = (self._task_info[idx][0], data)

    def _process(self, data):
        if isinstance(data, ExceptionWrapper):
            self._shutdown_workers()
            data.reraise()
        return data

    def _shutdown_workers(self):
        if self._shutdown:
            return
        self._shutdown = True
        for iq in self._index_queues:
            try:
                iq.put(None)
            except (OSError, ValueError):
                pass
        for w in self._workers:
            w.join(timeout=5.0)
            if w.is_alive():
                w.terminate()
        for q in self._index_queues + [self._data_queue]:
            q.cancel_join_thread()
            q.close()

    def __del__(self):
        try:
            self._shutdown_workers()
        except Exception:  # noqa: BLE001 - interpreter shutdown
            warnings.warn("DataLoader workers could not be shut down cleanly", RuntimeWarning,
                          stacklevel=1)
