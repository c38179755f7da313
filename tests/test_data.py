"""utils.data: datasets, samplers, collate and the DataLoader (incl. worker processes)."""
from __future__ import annotations

import collections

import numpy as np
import pytest

import deepgrad as dg
from deepgrad.utils.data import (BatchSampler, ConcatDataset, DataLoader, Dataset,
                                 IterableDataset, RandomSampler, SequentialSampler, Subset,
                                 SubsetRandomSampler, TensorDataset, WeightedRandomSampler,
                                 default_collate, get_worker_info, random_split)

torch = pytest.importorskip("torch")


def _ds(n=50):
    return TensorDataset(dg.arange(2.0 * n).reshape(n, 2), dg.arange(n))


def _batches(loader):
    return [(x.numpy().copy(), y.numpy().copy()) for x, y in loader]


def test_batching_and_drop_last():
    loader = DataLoader(_ds(50), batch_size=8)
    batches = _batches(loader)
    assert len(loader) == len(batches) == 7
    assert batches[-1][0].shape == (2, 2)
    assert np.array_equal(np.concatenate([b[1] for b in batches]), np.arange(50))
    loader = DataLoader(_ds(50), batch_size=8, drop_last=True)
    assert len(loader) == len(_batches(loader)) == 6


def test_shuffle_reproducible_with_generator_and_global_seed():
    a = _batches(DataLoader(_ds(), batch_size=8, shuffle=True,
                            generator=dg.Generator().manual_seed(1)))
    b = _batches(DataLoader(_ds(), batch_size=8, shuffle=True,
                            generator=dg.Generator().manual_seed(1)))
    c = _batches(DataLoader(_ds(), batch_size=8, shuffle=True,
                            generator=dg.Generator().manual_seed(2)))
    assert all(np.array_equal(x[1], y[1]) for x, y in zip(a, b))
    assert not all(np.array_equal(x[1], y[1]) for x, y in zip(a, c))
    assert sorted(np.concatenate([x[1] for x in a]).tolist()) == list(range(50))
    dg.manual_seed(5)
    d = _batches(DataLoader(_ds(), batch_size=8, shuffle=True))
    dg.manual_seed(5)
    e = _batches(DataLoader(_ds(), batch_size=8, shuffle=True))
    assert all(np.array_equal(x[1], y[1]) for x, y in zip(d, e))


@pytest.mark.parametrize("num_workers", [1, 2, 3])
def test_workers_give_same_batches_as_main_process(num_workers):
    gen = dict(generator=dg.Generator().manual_seed(7))
    main = _batches(DataLoader(_ds(), batch_size=6, shuffle=True, **gen))
    gen = dict(generator=dg.Generator().manual_seed(7))
    multi = _batches(DataLoader(_ds(), batch_size=6, shuffle=True, num_workers=num_workers,
                                prefetch_factor=1, **gen))
    assert len(main) == len(multi)
    for (x1, y1), (x2, y2) in zip(main, multi):
        assert np.array_equal(x1, x2) and np.array_equal(y1, y2)


class _Boom(Dataset):
    def __len__(self):
        return 10

    def __getitem__(self, i):
        if i == 5:
            raise KeyError("sample 5 is broken")
        return i


def test_worker_exception_surfaces_with_traceback():
    with pytest.raises(KeyError) as info:
        list(DataLoader(_Boom(), batch_size=2, num_workers=2))
    msg = str(info.value)
    assert "sample 5 is broken" in msg and "worker process" in msg and "Traceback" in msg


class _Range(IterableDataset):
    def __init__(self, n):
        self.n = n

    def __iter__(self):
        info = get_worker_info()
        start, step = (0, 1) if info is None else (info.id, info.num_workers)
        return iter(range(start, self.n, step))

    def __len__(self):
        return self.n


@pytest.mark.parametrize("num_workers", [0, 2])
def test_iterable_dataset_sharded_by_worker_info(num_workers):
    got = [int(v) for b in DataLoader(_Range(23), batch_size=4, num_workers=num_workers)
           for v in b.tolist()]
    assert sorted(got) == list(range(23))


class _Seeds(Dataset):
    def __len__(self):
        return 4

    def __getitem__(self, i):
        info = get_worker_info()
        return (info.id, info.seed, float(dg.rand(1).item()))


def test_worker_seeds_and_init_fn():
    calls = []

    def init(worker_id):
        calls.append(worker_id)  # runs in the worker: the parent's list stays empty
        assert get_worker_info().id == worker_id

    out = list(DataLoader(_Seeds(), batch_size=1, num_workers=2, worker_init_fn=init,
                          generator=dg.Generator().manual_seed(3)))
    ids = [int(b[0][0]) for b in out]
    seeds = {int(b[0][0]): int(b[1][0]) for b in out}
    assert sorted(set(ids)) == [0, 1]
    assert seeds[1] == seeds[0] + 1
    draws = [float(b[2][0]) for b in out]
    assert len(set(draws)) == len(draws)  # workers do not repeat each other's random stream
    assert calls == []


def test_persistent_workers_reuse_across_epochs():
    loader = DataLoader(_ds(20), batch_size=5, num_workers=2, persistent_workers=True)
    first = _batches(loader)
    it = loader._iterator
    second = _batches(loader)
    assert loader._iterator is it
    assert all(np.array_equal(a[1], b[1]) for a, b in zip(first, second))


def test_default_collate_nested_structures_like_torch():
    Point = collections.namedtuple("Point", "x y")
    samples = [{"a": np.ones(3, np.float32) * i, "b": (i, float(i)), "c": f"s{i}",
                "d": Point(i, [i, i + 1])} for i in range(4)]
    ours = default_collate(samples)
    from torch.utils.data import default_collate as torch_collate

    ref = torch_collate(samples)
    assert ours["a"].shape == tuple(ref["a"].shape) and ours["a"].dtype.name == "float32"
    np.testing.assert_array_equal(ours["a"].numpy(), ref["a"].numpy())
    assert isinstance(ours["b"], list) and isinstance(ref["b"], list)
    assert ours["b"][0].dtype.name == str(ref["b"][0].dtype).replace("torch.", "")
    assert ours["b"][1].dtype.name == str(ref["b"][1].dtype).replace("torch.", "")
    assert ours["c"] == ref["c"]
    assert isinstance(ours["d"], Point)
    np.testing.assert_array_equal(ours["d"].y[1].numpy(), ref["d"].y[1].numpy())
    with pytest.raises(RuntimeError):
        default_collate([[1, 2], [1]])
    with pytest.raises(TypeError):
        default_collate([object(), object()])


def test_batch_size_none_and_samplers():
    ds = _ds(10)
    items = list(DataLoader(ds, batch_size=None))
    assert len(items) == 10 and items[3][1].item() == 3
    assert list(SequentialSampler(range(4))) == [0, 1, 2, 3]
    g = dg.Generator().manual_seed(0)
    assert sorted(RandomSampler(range(9), generator=g)) == list(range(9))
    draws = list(RandomSampler(range(3), replacement=True, num_samples=20, generator=g))
    assert len(draws) == 20 and set(draws) <= {0, 1, 2}
    assert sorted(SubsetRandomSampler([2, 5, 7], generator=g)) == [2, 5, 7]
    w = list(WeightedRandomSampler([0.0, 1.0, 0.0], 10, generator=g))
    assert w == [1] * 10
    assert list(BatchSampler(range(7), 3, False)) == [[0, 1, 2], [3, 4, 5], [6]]
    assert list(BatchSampler(range(7), 3, True)) == [[0, 1, 2], [3, 4, 5]]
    loader = DataLoader(ds, batch_sampler=BatchSampler(SequentialSampler(ds), 4, False))
    assert [len(y) for _, y in loader] == [4, 4, 2]
    with pytest.raises(ValueError):
        DataLoader(ds, shuffle=True, sampler=SequentialSampler(ds))
    with pytest.raises(ValueError):
        DataLoader(ds, batch_size=None, drop_last=True)


def test_dataset_combinators_and_random_split():
    ds = _ds(10)
    cat = ConcatDataset([ds, _ds(5)])
    assert len(cat) == 15 and cat[12][1].item() == 2 and cat[-1][1].item() == 4
    sub = Subset(ds, [9, 0])
    assert len(sub) == 2 and sub[0][1].item() == 9
    parts = random_split(range(10), [0.5, 0.3, 0.2], generator=dg.Generator().manual_seed(0))
    assert [len(p) for p in parts] == [5, 3, 2]
    assert sorted(i for p in parts for i in p) == list(range(10))
    parts = random_split(range(7), [3, 4])
    assert [len(p) for p in parts] == [3, 4]
    with pytest.raises(ValueError):
        random_split(range(7), [3, 3])
    with pytest.raises(ValueError):
        TensorDataset(dg.zeros(3), dg.zeros(4))


def test_tensor_dataset_batch_fast_path_equals_per_sample_collate():
    ds = _ds(30)
    fast = _batches(DataLoader(ds, batch_size=7, shuffle=True,
                               generator=dg.Generator().manual_seed(4)))
    slow = _batches(DataLoader(ds, batch_size=7, shuffle=True,
                               generator=dg.Generator().manual_seed(4),
                               collate_fn=lambda b: default_collate(b)))
    for (x1, y1), (x2, y2) in zip(fast, slow):
        assert np.array_equal(x1, x2) and np.array_equal(y1, y2)
        assert x1.dtype == x2.dtype and y1.dtype == y2.dtype
