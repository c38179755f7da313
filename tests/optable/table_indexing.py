"""Op table: indexing ops (getitem, gather/scatter, index_select/index_add, masks, nonzero).

``x[idx]`` entries pass basic indices (ints, slices, None, ...) as ``Raw`` values and index
tensors as integer or bool arrays (which become tensors in each framework). Negative-step slices,
which torch rejects, are tested against NumPy in tests/test_getitem_negative_step.py.
"""
import numpy as np

from .harness import ErrorCase, OpSpec, Raw, Sample, randn

_ALL = slice(None)


def _s(*args, note="", no_grad=(), **kwargs):
    return Sample(args, kwargs, note=note, no_grad=no_grad)


def _err_input(*shape):
    return randn(np.random.default_rng(0), *shape)


def _idx(*values):
    return np.array(values, dtype=np.int64)


def _getitem_basic_samples(rng):
    x = randn(rng, 3, 4, 5)
    return [_s(x, Raw(i)) for i in [
        1, -1, (1, 2), (-1, -2, 0), (0, 0, 0),
        slice(1, None), slice(None, None, 2), (_ALL, slice(None, None, 2)),
        (slice(1, None), slice(None, None, 3), slice(-3, -1)), (slice(0, 3, 2), 1, slice(1, 5, 3)),
        slice(5, 10), (_ALL, slice(3, 1)), (_ALL, slice(-10, 10)),
        None, (None, 1), (_ALL, None, slice(1, 3), None),
        Ellipsis, (Ellipsis, 1), (1, Ellipsis, None), (Ellipsis, slice(None, None, 2), 0),
        (None, Ellipsis, None), (),
    ]] + [
        _s(randn(rng), Raw(Ellipsis), note="0-d x[...]"),
        _s(randn(rng), Raw(None), note="0-d x[None]"),
        _s(randn(rng), Raw(()), note="0-d x[()]"),
        _s(randn(rng, 5), Raw(slice(1, -1, 2))),
        _s(np.arange(12).reshape(3, 4), Raw((slice(None, None, 2), -1)), note="int64"),
    ]


def _getitem_bool_scalar_samples(rng):
    return [_s(randn(rng, 3, 4), Raw(True)), _s(randn(rng, 3, 4), Raw(False)),
            _s(randn(rng, 3, 4), Raw((True, 1)))]


def _getitem_tensor_samples(rng):
    return [
        _s(randn(rng, 4, 3), _idx(0, 2, 0, -1), note="duplicates and a negative index"),
        _s(randn(rng, 4, 3), _idx(3)),
        _s(randn(rng, 4, 3), np.array(2), note="0-d index tensor"),
        _s(randn(rng, 4, 3), np.array([[0, 1], [1, 1], [3, 3]]), note="2-D index"),
        _s(randn(rng, 4, 3), np.zeros(0, dtype=np.int64), note="empty index"),
        _s(randn(rng, 5), _idx(4, 4, 4)),
        _s(randn(rng, 4, 3), np.array([1, 0, 1], dtype=np.int32), note="int32 index"),
    ]


def _getitem_list_samples(rng):
    return [
        _s(randn(rng, 4, 3), Raw([0, 2, 0])),
        _s(randn(rng, 4, 3), Raw([-1])),
        _s(randn(rng, 4, 3, 2), Raw((_ALL, [2, 2, 0]))),
        _s(randn(rng, 4, 3, 2), Raw(([0, 1], _ALL, [1, 1]))),
    ]


def _mask_samples(rng):
    x = randn(rng, 3, 4)
    return [
        _s(x, x > 0, note="full-shape mask"),
        _s(x, np.array([True, False, True]), note="mask over dim 0"),
        _s(x, np.zeros((3, 4), dtype=bool), note="all False"),
        _s(randn(rng, 2, 3, 4), np.array([[True, False, True], [False, False, True]]),
           note="mask over the leading two dims"),
        _s(randn(rng), np.array(True), note="0-d"),
    ]


def _combo_samples(rng):
    return [
        _s(randn(rng, 3, 4, 5), Raw(lambda i: (_ALL, i)), _idx(3, 0, 3)),
        _s(randn(rng, 3, 4, 5), Raw(lambda i: (i, slice(1, None))), _idx(-1, 1, 1)),
        _s(randn(rng, 3, 4, 5), Raw(lambda i: (Ellipsis, i)), np.array([[0, 4], [4, 4]])),
        _s(randn(rng, 3, 4, 5), Raw(lambda i: (None, i, 2)), _idx(0, 2)),
        _s(randn(rng, 3, 4, 5), Raw(lambda m: (_ALL, m)),
           np.array([True, False, True, True])),
        _s(randn(rng, 3, 4, 5), Raw(lambda m: (m, slice(None, None, 2), 1)),
           np.array([False, True, True])),
        _s(randn(rng, 3, 4, 5), Raw(lambda m: (1, m)),
           np.array([[True, False, True, False, False]] * 4)),
    ]


def _pair_samples(rng):
    return [
        _s(randn(rng, 3, 4), _idx(0, 2, 0), _idx(1, 3, 1), note="duplicate pairs"),
        _s(randn(rng, 3, 4), np.array([[0], [2]]), _idx(1, 3, -1), note="broadcast indices"),
        _s(randn(rng, 3, 4, 5), _idx(0, 1), _idx(3, 3), note="trailing dim kept"),
        _s(randn(rng, 3, 4), np.array(1), _idx(0, 0, 3), note="0-d and 1-D"),
    ]


def _separated_samples(rng):
    # advanced indices separated by a slice: the indexed dims move to the front
    return [
        _s(randn(rng, 3, 4, 5), _idx(0, 2, 2), _idx(1, 4, 4)),
        _s(randn(rng, 3, 4, 5), np.array([[0], [1]]), _idx(3, 0)),
    ]


def _gather_samples(rng):
    return [
        _s(randn(rng, 3, 4), 1, np.array([[0, 0], [3, 1], [2, 2]]), note="duplicates"),
        _s(randn(rng, 3, 4), 0, np.array([[2, 0, 1, 1], [0, 0, 0, 2]])),
        _s(randn(rng, 3, 4), -1, np.array([[3], [0]]), note="index smaller than input"),
        _s(randn(rng, 2, 3, 4), 1, rng.integers(0, 3, (2, 5, 4))),
        _s(randn(rng, 5), 0, _idx(4, 0, 4)),
        _s(randn(rng), 0, np.array(0), note="0-d"),
        _s(randn(rng, 3, 4), 1, np.zeros((3, 0), dtype=np.int64), note="empty index"),
        _s(np.arange(12).reshape(3, 4), 1, np.array([[0], [1], [2]]), note="int64 input"),
    ]


def _scatter_samples(rng):
    # no duplicate positions: which duplicate write wins is unspecified in torch
    return [
        _s(randn(rng, 3, 4), 1, np.array([[0, 2], [3, 1], [1, 0]]), randn(rng, 3, 2)),
        _s(randn(rng, 3, 4), 0, np.array([[2, 0, 1, 1], [0, 1, 2, 0]]), randn(rng, 2, 4)),
        _s(randn(rng, 5), 0, _idx(4, 0), randn(rng, 2)),
        _s(randn(rng, 3, 4), 1, np.array([[0, 2], [3, 1]]), Raw(2.5), note="scalar value"),
        _s(randn(rng, 3, 4), 0, np.array([[2, 0, 1, 1]]), Raw(-1), note="int value"),
    ]


def _src_larger_samples(rng):
    return [
        _s(randn(rng, 3, 4), -1, np.array([[3], [0]]), randn(rng, 3, 5)),
        _s(randn(rng, 3, 4), 0, np.array([[2, 1], [0, 2]]), randn(rng, 4, 3)),
    ]


def _torch_on_src_part(name):
    """torch's scatter backward fails when src is larger than index (the gradient keeps the
    index's shape); the oracle scatters the part of src that is read, which is the same op."""
    def op(m, x, d, i, src):
        return getattr(m, name)(x, d, i, src[tuple(slice(0, n) for n in i.shape)])
    return op


def _scatter_value_samples(rng):
    return [_s(randn(rng, 3, 4), 1, np.array([[0, 2], [3, 1]]), value=0.5)]


def _scatter_add_samples(rng):
    return [
        _s(randn(rng, 3, 4), 1, np.array([[0, 0], [3, 1], [2, 2]]), randn(rng, 3, 2),
           note="duplicates"),
        _s(randn(rng, 3, 4), 0, np.array([[2, 2, 2, 2], [2, 0, 2, 1]]), randn(rng, 2, 4)),
        _s(randn(rng, 5), 0, _idx(4, 0, 4, 4), randn(rng, 4)),
        _s(np.arange(12).reshape(3, 4), 1, np.array([[0, 0]]),
           np.arange(2).reshape(1, 2), note="int64"),
    ]


def _index_select_samples(rng):
    return [
        _s(randn(rng, 4, 3), 0, _idx(0, 2, 0, 3)),
        _s(randn(rng, 4, 3), 1, _idx(2, 2)),
        _s(randn(rng, 2, 4, 3), -2, _idx(3, 1)),
        _s(randn(rng, 5), 0, _idx(4)),
        _s(randn(rng, 4, 3), 0, np.array(1), note="0-d index"),
        _s(randn(rng, 4, 3), 1, np.zeros(0, dtype=np.int64)),
        _s(randn(rng, 4, 3), 1, np.array([2, 0], dtype=np.int32), note="int32 index"),
        _s(randn(rng), 0, _idx(0), note="0-d input"),
        _s(randn(rng), 0, np.array(0), note="0-d input and index"),
    ]


def _index_add_samples(rng):
    return [
        _s(randn(rng, 4, 3), 0, _idx(0, 2, 0), randn(rng, 3, 3), note="duplicates"),
        _s(randn(rng, 4, 3), 1, _idx(2, 2, 1, 2), randn(rng, 4, 4), alpha=2.5),
        _s(randn(rng, 2, 4, 3), -2, _idx(3, 1), randn(rng, 2, 2, 3), alpha=-1),
        _s(randn(rng, 5), 0, _idx(4, 4), randn(rng, 2)),
        _s(np.arange(12).reshape(4, 3), 0, _idx(1, 1), np.ones((2, 3), dtype=np.int64),
           alpha=3, note="int64"),
    ]


def _masked_fill_samples(rng):
    x = randn(rng, 3, 4)
    return [
        _s(x, x > 0.3, Raw(0.5)),
        _s(randn(rng, 3, 4), np.array([True, False, False, True]), Raw(-2.0),
           note="broadcast mask"),
        _s(randn(rng, 3, 4), np.array([[True], [False], [True]]), Raw(-1e4)),
        _s(randn(rng, 3, 4), np.array([True, False, False, True]), np.array(1.5, np.float32),
           note="0-d tensor value (gets a gradient)"),
        _s(randn(rng, 3, 4), np.array([True, False, False, True]), np.array(3),
           note="0-d int tensor value"),
        _s(randn(rng, 4), np.array([[True, False, False, True], [False] * 4]), Raw(1.0),
           note="mask broadcasts the input"),
        _s(np.arange(12).reshape(3, 4), np.arange(12).reshape(3, 4) % 3 == 0, Raw(7),
           note="int64"),
        _s(randn(rng), np.array(True), Raw(2.0), note="0-d"),
    ]


def _masked_select_samples(rng):
    x = randn(rng, 3, 4)
    return [
        _s(x, x > 0),
        _s(randn(rng, 3, 4), np.array([True, False, False, True]), note="broadcast mask"),
        _s(randn(rng, 4), np.array([[True, False, False, True], [True] * 4]),
           note="mask broadcasts the input"),
        _s(randn(rng, 3, 4), np.zeros((3, 4), dtype=bool)),
        _s(np.arange(6).reshape(2, 3), np.array([True, False, True]), note="int64"),
    ]


def _take_along_dim_samples(rng):
    return [
        _s(randn(rng, 3, 4), np.array([[0, 0], [3, 1], [2, 2]]), 1),
        _s(randn(rng, 3, 4), np.array([[3, 1]]), 1, note="index broadcasts"),
        _s(randn(rng, 3, 4), np.array([[1], [0], [2]]), -2),
        _s(randn(rng, 2, 1, 4), rng.integers(0, 4, (1, 3, 2)), 2, note="both broadcast"),
    ]


def _take_along_flat_samples(rng):
    return [
        _s(randn(rng, 3, 4), _idx(11, 0, 5, 5)),
        _s(randn(rng, 3, 4), np.array([[0, 11]]), note="2-D indices"),
        _s(randn(rng, 2, 3, 2), np.array([[0, 11], [3, 3]])),
    ]


def _nonzero_inputs(rng):
    x = randn(rng, 3, 4)
    x[x < 0.2] = 0
    return [x, np.array([[True, False], [True, True]]), np.array([0, 3, 0, -1]),
            np.zeros((2, 3), np.float32), np.array(1.5, np.float32), np.array(0),
            np.zeros((0, 3), np.float32), (randn(rng, 2, 3, 2) > 0)]


def _nonzero_samples(rng):
    return [_s(a) for a in _nonzero_inputs(rng)]


def _nonzero_tuple_samples(rng):
    return [_s(a, as_tuple=True) for a in _nonzero_inputs(rng)]


SPECS = [
    OpSpec("getitem_basic", lambda m, x, i: x[i], _getitem_basic_samples,
           errors=[ErrorCase((_err_input(3, 4), Raw(3)), exc=IndexError),
                   ErrorCase((_err_input(3, 4), Raw(-4)), exc=IndexError),
                   ErrorCase((_err_input(3, 4), Raw((0, 4))), exc=IndexError),
                   ErrorCase((_err_input(3, 4), Raw((0, 0, 0))), exc=IndexError),
                   ErrorCase((_err_input(), Raw(0)), exc=IndexError)]),
    OpSpec("getitem_bool_scalar", lambda m, x, i: x[i], _getitem_bool_scalar_samples),
    OpSpec("getitem_tensor", lambda m, x, i: x[i], _getitem_tensor_samples,
           errors=[ErrorCase((_err_input(3, 4), _idx(0, 3)), exc=IndexError),
                   ErrorCase((_err_input(3, 4), _idx(-4)), exc=IndexError),
                   ErrorCase((_err_input(3, 4), np.array([0.0, 1.0], np.float32)),
                             exc=IndexError)]),
    OpSpec("getitem_list", lambda m, x, i: x[i], _getitem_list_samples,
           errors=[ErrorCase((_err_input(3, 4), Raw([0, 5])), exc=IndexError)]),
    OpSpec("getitem_mask", lambda m, x, b: x[b], _mask_samples,
           errors=[ErrorCase((_err_input(3, 4), np.ones((3, 3), dtype=bool)),
                             exc=IndexError)]),
    OpSpec("getitem_combo", lambda m, x, where, i: x[where(i)], _combo_samples),
    OpSpec("getitem_pair", lambda m, x, i, j: x[i, j], _pair_samples),
    OpSpec("getitem_separated", lambda m, x, i, j: x[i, :, j], _separated_samples,
           errors=[ErrorCase((_err_input(3, 4, 5), _idx(0, 1), _idx(0, 1, 2)),
                             exc=IndexError)]),
    OpSpec("gather", lambda m, x, d, i: m.gather(x, d, i), _gather_samples, method="gather",
           errors=[ErrorCase((_err_input(3, 4), 1, np.array([[4]]))),
                   ErrorCase((_err_input(3, 4), 1, np.array([[-1]]))),
                   ErrorCase((_err_input(3, 4), 1, _idx(0, 1))),
                   ErrorCase((_err_input(3, 4), 1, np.array([[0.0]], np.float32))),
                   ErrorCase((_err_input(3, 4), 2, np.array([[0]])), exc=IndexError)]),
    OpSpec("scatter", lambda m, x, d, i, src: m.scatter(x, d, i, src), _scatter_samples,
           method="scatter",
           errors=[ErrorCase((_err_input(3, 4), 1, np.array([[4]]), _err_input(3, 4))),
                   ErrorCase((_err_input(3, 4), 1, np.array([[0]]),
                              np.ones((3, 4), np.float64)))]),
    OpSpec("scatter_src_larger", lambda m, x, d, i, src: m.scatter(x, d, i, src),
           _src_larger_samples, torch_op=_torch_on_src_part("scatter")),
    OpSpec("scatter_value_kwarg", lambda m, x, d, i, **kw: m.scatter(x, d, i, **kw),
           _scatter_value_samples),
    OpSpec("scatter_add", lambda m, x, d, i, src: m.scatter_add(x, d, i, src),
           _scatter_add_samples, method="scatter_add",
           errors=[ErrorCase((_err_input(3, 4), 1, np.array([[4]]), _err_input(3, 4))),
                   ErrorCase((_err_input(3, 4), 0, np.array([[0, 1, 2]]), _err_input(1, 2)))]),
    OpSpec("scatter_add_src_larger", lambda m, x, d, i, src: m.scatter_add(x, d, i, src),
           _src_larger_samples, torch_op=_torch_on_src_part("scatter_add")),
    OpSpec("index_select", lambda m, x, d, i: m.index_select(x, d, i), _index_select_samples,
           method="index_select",
           errors=[ErrorCase((_err_input(3, 4), 0, _idx(3)), exc=IndexError),
                   ErrorCase((_err_input(3, 4), 0, _idx(-1)), exc=IndexError),
                   ErrorCase((_err_input(3, 4), 0, np.array([[0]])), exc=IndexError),
                   ErrorCase((_err_input(), 0, _idx(0, 0))),
                   ErrorCase((_err_input(3, 4), 0, np.array([0.0], np.float32)))]),
    OpSpec("index_add", lambda m, x, d, i, src, **kw: m.index_add(x, d, i, src, **kw),
           _index_add_samples, method="index_add",
           errors=[ErrorCase((_err_input(3, 4), 0, _idx(3), _err_input(1, 4))),
                   ErrorCase((_err_input(3, 4), 0, _idx(0, 1), _err_input(1, 4)))]),
    OpSpec("masked_fill", lambda m, x, mask, v: m.masked_fill(x, mask, v), _masked_fill_samples,
           method="masked_fill",
           errors=[ErrorCase((_err_input(3, 4), np.ones((3, 4), np.int64), Raw(1.0))),
                   ErrorCase((_err_input(3, 4), np.ones(4, bool), _err_input(2))),
                   ErrorCase((_err_input(3, 4), np.ones(3, bool), Raw(1.0)))]),
    # -inf as in attention masks; the numeric gradient check cannot difference infinities
    OpSpec("masked_fill_inf", lambda m, x, mask: m.masked_fill(x, mask, float("-inf")),
           lambda rng: [_s(randn(rng, 3, 4), np.array([[True], [False], [True]]))],
           gradcheck=False),
    OpSpec("masked_select", lambda m, x, mask: m.masked_select(x, mask), _masked_select_samples,
           method="masked_select",
           errors=[ErrorCase((_err_input(3, 4), np.ones(3, bool)))]),
    OpSpec("take_along_dim", lambda m, x, i, *d: m.take_along_dim(x, i, *d),
           _take_along_dim_samples, method="take_along_dim",
           errors=[ErrorCase((_err_input(3, 4), np.array([[0.0]], np.float32), 1))]),
    # torch's take_along_dim without dim calls view(-1), which fails on a non-contiguous input
    OpSpec("take_along_dim_flat", lambda m, x, i: m.take_along_dim(x, i),
           _take_along_flat_samples, method="take_along_dim", noncontig=False),
    OpSpec("nonzero", lambda m, x, **kw: m.nonzero(x, **kw), _nonzero_samples, method="nonzero",
           differentiable=False),
    OpSpec("nonzero_as_tuple", lambda m, x, **kw: m.nonzero(x, **kw), _nonzero_tuple_samples,
           method="nonzero", differentiable=False),
    OpSpec("argwhere", lambda m, x: m.argwhere(x), _nonzero_samples, method="argwhere",
           differentiable=False),
    OpSpec("where_condition_only", lambda m, c: m.where(c), _nonzero_samples,
           differentiable=False),
]
