"""Op table: movement ops (reshape/view, squeeze, expand, permute, cat/split, flip, pad, ...).

Shapes and dims are plain Python values in the samples; integer arrays become int tensors
(no gradient); a list of arrays becomes a list of tensors (cat/stack).
"""
import numpy as np

from .harness import ErrorCase, OpSpec, Raw, Sample, randn


def _s(*args, note="", no_grad=(), **kwargs):
    return Sample(args, kwargs, note=note, no_grad=no_grad)


def _reshape_samples(rng):
    return [
        _s(randn(rng, 3, 4), Raw((2, 6))),
        _s(randn(rng, 3, 4), Raw((-1,))),
        _s(randn(rng, 2, 3, 4), Raw((4, -1))),
        _s(randn(rng, 2, 3, 4), Raw((2, -1, 2))),
        _s(randn(rng), Raw((1, 1))),
        _s(randn(rng, 5), Raw((1, 5, 1))),
        _s(randn(rng, 1, 1), Raw(())),
        _s(randn(rng, 0, 3), Raw((3, -1))),
        _s(np.arange(12).reshape(3, 4), Raw((6, 2)), note="int64"),
    ]


def _view_of_transposed_samples(rng):
    # x.mT of a (.., 3, 4) array stored as (.., 4, 3): only dims that stay separate can be
    # viewed without a copy
    return [
        _s(randn(rng, 3, 4), Raw((1, 4, 3))),
        _s(randn(rng, 3, 4), Raw((4, 3, 1))),
        _s(randn(rng, 2, 3, 4), Raw((2, 4, 3))),
        _s(randn(rng, 6, 3, 4), Raw((2, 3, 4, 3))),
    ]


def _flatten_samples(rng):
    return [
        _s(randn(rng, 2, 3, 4)),
        _s(randn(rng, 2, 3, 4), start_dim=1),
        _s(randn(rng, 2, 3, 4), start_dim=0, end_dim=1),
        _s(randn(rng, 2, 3, 4, 5), start_dim=1, end_dim=-2),
        _s(randn(rng, 2, 3), start_dim=-1),
        _s(randn(rng)),
        _s(randn(rng, 5)),
        _s(randn(rng, 2, 0, 3), start_dim=1),
    ]


def _unflatten_samples(rng):
    return [
        _s(randn(rng, 2, 12), 1, Raw((3, 4))),
        _s(randn(rng, 2, 12), -1, Raw((2, -1, 3))),
        _s(randn(rng, 6), 0, Raw((2, 3))),
        _s(randn(rng, 6, 5), 0, Raw((-1, 1, 2))),
    ]


def _squeeze_samples(rng):
    return [
        _s(randn(rng, 1, 3, 1, 4)),
        _s(randn(rng, 1, 3, 1, 4), 0),
        _s(randn(rng, 1, 3, 1, 4), 1, note="non-singleton dim: unchanged"),
        _s(randn(rng, 1, 3, 1, 4), -2),
        _s(randn(rng, 1, 3, 1, 4), Raw((0, 2))),
        _s(randn(rng, 1, 3, 1, 4), Raw((0, 1, -1)), note="tuple with non-singleton dims"),
        _s(randn(rng)),
        _s(randn(rng), 0),
        _s(randn(rng, 1, 1)),
        _s(randn(rng, 0, 1), -1),
    ]


def _unsqueeze_samples(rng):
    return [_s(randn(rng, 3, 4), d) for d in (0, 1, 2, -1, -2, -3)] + [
        _s(randn(rng), 0), _s(randn(rng), -1), _s(randn(rng, 0, 2), 1)]


def _expand_samples(rng):
    return [
        _s(randn(rng, 3, 1), Raw((3, 4))),
        _s(randn(rng, 3, 1), Raw((-1, 4))),
        _s(randn(rng, 1, 4), Raw((2, 3, 4)), note="new leading dims"),
        _s(randn(rng, 1, 4), Raw((2, 5, -1))),
        _s(randn(rng, 3, 1, 2), Raw((2, -1, 4, -1))),
        _s(randn(rng), Raw((3, 2))),
        _s(randn(rng, 3, 4), Raw((3, 4)), note="same shape"),
        _s(randn(rng, 1, 3), Raw((0, 3)), note="expand to empty"),
    ]


def _expand_as_samples(rng):
    return [
        _s(randn(rng, 3, 1), randn(rng, 3, 4), no_grad=(1,)),
        _s(randn(rng, 4), randn(rng, 2, 3, 4), no_grad=(1,)),
        _s(randn(rng), randn(rng, 2, 2), no_grad=(1,)),
    ]


def _repeat_samples(rng):
    return [
        _s(randn(rng, 3, 4), Raw((2, 3))),
        _s(randn(rng, 3, 4), Raw((2, 1, 2)), note="new leading dim"),
        _s(randn(rng, 3), Raw((2, 2))),
        _s(randn(rng), Raw((3,))),
        _s(randn(rng, 2, 3), Raw((1, 1))),
        _s(randn(rng, 2, 3), Raw((0, 2))),
    ]


def _repeat_interleave_samples(rng):
    return [
        _s(randn(rng, 2, 3), 2, note="int repeats, dim None (flattened)"),
        _s(randn(rng, 2, 3), 3, dim=1),
        _s(randn(rng, 2, 3), 2, dim=-2),
        _s(randn(rng, 3, 2), np.array([1, 0, 3]), dim=0, note="tensor repeats"),
        _s(randn(rng, 3, 2), np.array([2, 1]), dim=1),
        _s(randn(rng, 2, 2), np.array([1, 2, 0, 1]), note="tensor repeats, dim None"),
        _s(randn(rng, 2, 2), np.array([3]), dim=0, note="one repeat count broadcast"),
    ]


def _permute_samples(rng):
    return [
        _s(randn(rng, 2, 3, 4), Raw((2, 0, 1))),
        _s(randn(rng, 2, 3, 4), Raw((-1, 0, 1))),
        _s(randn(rng, 2, 3, 4, 5), Raw((1, 3, 0, 2))),
        _s(randn(rng, 3, 4), Raw((1, 0))),
        _s(randn(rng), Raw(())),
        _s(randn(rng, 0, 3), Raw((1, 0))),
    ]


def _transpose_samples(rng):
    return [
        _s(randn(rng, 2, 3, 4), 0, 2),
        _s(randn(rng, 2, 3, 4), -1, -2),
        _s(randn(rng, 2, 3, 4), 1, 1),
        _s(randn(rng, 5), 0, -1),
        _s(randn(rng, 3, 4), 1, 0),
    ]


def _movedim_samples(rng):
    return [
        _s(randn(rng, 2, 3, 4), 0, 2),
        _s(randn(rng, 2, 3, 4), -1, 0),
        _s(randn(rng, 2, 3, 4, 5), Raw((0, 1)), Raw((2, 0))),
        _s(randn(rng, 2, 3, 4, 5), Raw((3, 0)), Raw((0, -1))),
        _s(randn(rng, 2, 3, 4), Raw(()), Raw(())),
    ]


def _cat_samples(rng):
    return [
        _s([randn(rng, 2, 3), randn(rng, 4, 3)]),
        _s([randn(rng, 2, 3), randn(rng, 2, 1), randn(rng, 2, 4)], dim=1),
        _s([randn(rng, 2, 3, 2), randn(rng, 2, 3, 1)], dim=-1),
        _s([randn(rng, 2, 3), randn(rng, 2, 3, dtype=np.float64)], dim=-2,
           note="float32 + float64 promotes"),
        _s([np.arange(6).reshape(2, 3), randn(rng, 1, 3)], note="int64 + float32 promotes"),
        _s([np.arange(3, dtype=np.int32), np.arange(2)], note="int32 + int64 promotes"),
        _s([randn(rng, 2, 3)], note="single tensor"),
        _s([randn(rng, 0, 3), randn(rng, 2, 3)], note="empty part"),
    ]


def _stack_samples(rng):
    return [
        _s([randn(rng, 2, 3), randn(rng, 2, 3), randn(rng, 2, 3)]),
        _s([randn(rng, 2, 3), randn(rng, 2, 3)], dim=1),
        _s([randn(rng, 2, 3), randn(rng, 2, 3)], dim=-1),
        _s([randn(rng), randn(rng)]),
        _s([randn(rng, 3), randn(rng, 3, dtype=np.float64)], note="float32 + float64"),
    ]


def _split_samples(rng):
    return [
        _s(randn(rng, 5, 4), 2),
        _s(randn(rng, 6, 4), 3),
        _s(randn(rng, 5, 4), Raw([1, 3, 1])),
        _s(randn(rng, 2, 7), 3, dim=-1),
        _s(randn(rng, 2, 7), Raw([0, 7]), dim=1, note="empty piece"),
        _s(randn(rng, 2, 3), 5, note="one piece"),
    ]


def _chunk_samples(rng):
    return [
        _s(randn(rng, 5, 4), 3),
        _s(randn(rng, 5, 4), 2, dim=1),
        _s(randn(rng, 6), 4, note="fewer chunks than asked"),
        _s(randn(rng, 2, 3), 5, dim=-1),
    ]


def _unbind_samples(rng):
    return [
        _s(randn(rng, 3, 4)),
        _s(randn(rng, 3, 4), 1),
        _s(randn(rng, 2, 3, 4), -1),
        _s(randn(rng, 4)),
    ]


def _tensor_split_samples(rng):
    return [
        _s(randn(rng, 7), 3),
        _s(randn(rng, 7, 2), Raw([1, 4])),
        _s(randn(rng, 2, 7), Raw([2, 10]), dim=1, note="index past the end"),
        _s(randn(rng, 2, 7), Raw([5, 2]), dim=-1, note="decreasing indices"),
        _s(randn(rng, 2, 7), Raw([-2, 3]), dim=1, note="negative index"),
        _s(randn(rng, 3, 2), 5, note="more sections than elements"),
        _s(randn(rng, 7, 2), np.array([2, 5]), note="index tensor"),
        _s(randn(rng, 7, 2), np.array(3), note="0-d sections tensor"),
    ]


def _flip_samples(rng):
    return [
        _s(randn(rng, 3, 4), Raw((0,))),
        _s(randn(rng, 3, 4), Raw((0, 1))),
        _s(randn(rng, 2, 3, 4), Raw((-1, 0))),
        _s(randn(rng, 5), Raw((0,))),
        _s(randn(rng, 2, 3), Raw(())),
    ]


def _roll_samples(rng):
    return [
        _s(randn(rng, 3, 4), 2, note="no dims: flattened"),
        _s(randn(rng, 3, 4), -5),
        _s(randn(rng, 3, 4), 1, 1),
        _s(randn(rng, 3, 4), -1, -1),
        _s(randn(rng, 3, 4), Raw((1, -2)), Raw((0, 1))),
        _s(randn(rng, 2, 3, 4), Raw((5, 1)), Raw((-1, 0)), note="shift larger than dim"),
        _s(randn(rng, 5), 7, 0),
    ]


def _narrow_samples(rng):
    return [
        _s(randn(rng, 4, 3), 0, 1, 2),
        _s(randn(rng, 4, 5), -1, -3, 2, note="negative start"),
        _s(randn(rng, 4, 5), 1, 0, 0),
        _s(randn(rng, 4, 5), 1, 5, 0),
    ]


def _tri_samples(rng):
    return [
        _s(randn(rng, 4, 4)),
        _s(randn(rng, 3, 5), 1),
        _s(randn(rng, 5, 3), -1),
        _s(randn(rng, 2, 3, 4), 2, note="batched"),
        _s(randn(rng, 2, 3, 4), -5),
        _s(np.arange(12).reshape(3, 4), 0, note="int64"),
        _s(randn(rng, 0, 3)),
    ]


def _diag_samples(rng):
    return [
        _s(randn(rng, 4)),
        _s(randn(rng, 4), 1),
        _s(randn(rng, 4), -2),
        _s(randn(rng, 3, 4)),
        _s(randn(rng, 3, 4), 1),
        _s(randn(rng, 3, 4), -1),
        _s(randn(rng, 3, 4), 5, note="empty diagonal"),
        _s(np.arange(3), note="int64"),
    ]


def _diagonal_samples(rng):
    return [
        _s(randn(rng, 3, 4)),
        _s(randn(rng, 3, 4), 1),
        _s(randn(rng, 3, 4), offset=-2),
        _s(randn(rng, 2, 3, 4), -1, 1, 2),
        _s(randn(rng, 2, 3, 4), 0, -1, 0),
        _s(randn(rng, 2, 3, 4), offset=1, dim1=2, dim2=0),
    ]


def _diag_embed_samples(rng):
    return [
        _s(randn(rng, 2, 3)),
        _s(randn(rng, 2, 3), 1),
        _s(randn(rng, 2, 3), -2),
        _s(randn(rng, 2, 3), 0, 0, 2),
        _s(randn(rng, 4), offset=1, dim1=-1, dim2=0),
    ]


def _pad_samples(rng):
    return [
        _s(randn(rng, 3, 4), Raw((1, 2))),
        _s(randn(rng, 3, 4), Raw((1, 1, 2, 0)), value=1.5),
        _s(randn(rng, 2, 3, 4), Raw((1, 0, 0, 1, 2, 1)), note="3 padded dims"),
        _s(randn(rng, 3, 4), Raw((-1, 2)), note="negative padding crops"),
        _s(randn(rng, 3, 4), Raw((1, -2, -1, 0)), value=-3.0),
        _s(np.arange(6).reshape(2, 3), Raw((1, 1)), value=7, note="int64"),
        _s(randn(rng, 2, 3, 5), Raw((2, 1)), mode="reflect"),
        _s(randn(rng, 1, 2, 3, 4), Raw((1, 2, 2, 1)), mode="reflect"),
        _s(randn(rng, 1, 2, 3, 3, 4), Raw((1, 2, 2, 1, 1, 0)), mode="reflect"),
        _s(randn(rng, 2, 3, 5), Raw((3, 1)), mode="replicate"),
        _s(randn(rng, 1, 2, 3, 4), Raw((1, 0, 4, 2)), mode="replicate"),
        _s(randn(rng, 1, 2, 2, 3, 4), Raw((1, 1, 1, 1, 1, 1)), mode="replicate"),
        _s(randn(rng, 2, 3, 5), Raw((2, 3)), mode="circular"),
        _s(randn(rng, 1, 2, 3, 4), Raw((1, 2, 3, 0)), mode="circular"),
        _s(randn(rng, 1, 2, 2, 3, 4), Raw((1, 0, 0, 2, 1, 1)), mode="circular"),
        _s(randn(rng, 2, 3, 5), Raw((-1, 2)), mode="circular", note="negative circular"),
        _s(randn(rng, 2, 3, 5), Raw((-1, 2)), mode="replicate", note="negative replicate"),
    ]


def _unary_shapes(rng):
    return [_s(randn(rng, *s)) for s in [(), (5,), (3, 4), (2, 3, 4), (0, 3)]]


def _t_samples(rng):
    return [_s(randn(rng, 3, 4)), _s(randn(rng, 5)), _s(randn(rng)), _s(randn(rng, 0, 2))]


def _T_samples(rng):
    # x.T on a tensor of other than 2 dims is deprecated in torch (it warns)
    return [_s(randn(rng, 3, 4)), _s(randn(rng, 1, 5)), _s(randn(rng, 0, 2))]


def _err_input(*shape):
    return randn(np.random.default_rng(0), *shape)


def _pad_torch(m, x, p, **kw):
    return m.nn.functional.pad(x, p, **kw)


SPECS = [
    OpSpec("reshape", lambda m, x, s: m.reshape(x, s), _reshape_samples, method="reshape",
           errors=[ErrorCase((_err_input(3, 4), Raw((5, -1)))),
                   ErrorCase((_err_input(3, 4), Raw((-1, -1))))]),
    OpSpec("view", lambda m, x, s: x.view(s), _reshape_samples,
           # view of the transposed input needs a copy: the case has its own entry below
           noncontig=False,
           errors=[ErrorCase((_err_input(3, 4), Raw((5,))))]),
    OpSpec("view_varargs", lambda m, x: x.view(2, -1, 3), lambda rng: [_s(randn(rng, 3, 4))],
           noncontig=False),
    OpSpec("view_of_transposed", lambda m, x, s: x.mT.view(s), _view_of_transposed_samples,
           noncontig=False,
           errors=[ErrorCase((_err_input(3, 4), Raw((-1,)))),
                   ErrorCase((_err_input(2, 3, 4), Raw((2, 12))))]),
    OpSpec("view_as", lambda m, x, y: x.view_as(y),
           lambda rng: [_s(randn(rng, 3, 4), randn(rng, 2, 6), no_grad=(1,)),
                        _s(randn(rng, 6), randn(rng, 1, 6, 1), no_grad=(1,))],
           noncontig=False),
    OpSpec("reshape_as", lambda m, x, y: x.reshape_as(y),
           lambda rng: [_s(randn(rng, 3, 4), randn(rng, 2, 6), no_grad=(1,)),
                        _s(randn(rng, 2, 3, 4), randn(rng, 4, 6), no_grad=(1,))]),
    OpSpec("flatten", lambda m, x, **kw: m.flatten(x, **kw), _flatten_samples, method="flatten",
           errors=[ErrorCase((_err_input(2, 3, 4),),
                             {"start_dim": 2, "end_dim": 1}),
                   ErrorCase((_err_input(2, 3),), {"start_dim": 3},
                             exc=IndexError)]),
    OpSpec("unflatten", lambda m, x, d, s: m.unflatten(x, d, s), _unflatten_samples,
           method="unflatten",
           errors=[ErrorCase((_err_input(2, 12), 1, Raw((5, -1))))]),
    OpSpec("squeeze", lambda m, x, *d: m.squeeze(x, *d), _squeeze_samples, method="squeeze",
           errors=[ErrorCase((_err_input(1, 3), 2), exc=IndexError)]),
    OpSpec("unsqueeze", lambda m, x, d: m.unsqueeze(x, d), _unsqueeze_samples,
           method="unsqueeze",
           errors=[ErrorCase((_err_input(3, 4), 3), exc=IndexError),
                   ErrorCase((_err_input(3, 4), -4), exc=IndexError)]),
    OpSpec("expand", lambda m, x, s: x.expand(s), _expand_samples,
           errors=[ErrorCase((_err_input(3, 2), Raw((3, 4)))),
                   ErrorCase((_err_input(3, 2), Raw((2,))))]),
    OpSpec("expand_varargs", lambda m, x: x.expand(2, -1, 4),
           lambda rng: [_s(randn(rng, 3, 1))]),
    OpSpec("expand_as", lambda m, x, y: x.expand_as(y), _expand_as_samples),
    OpSpec("broadcast_to", lambda m, x, s: m.broadcast_to(x, s), _expand_samples,
           method="broadcast_to"),
    OpSpec("repeat", lambda m, x, s: x.repeat(s), _repeat_samples,
           errors=[ErrorCase((_err_input(3, 4), Raw((2,))))]),
    OpSpec("repeat_varargs", lambda m, x: x.repeat(2, 1, 3), lambda rng: [_s(randn(rng, 2, 3))]),
    OpSpec("repeat_interleave", lambda m, x, r, **kw: m.repeat_interleave(x, r, **kw),
           _repeat_interleave_samples, method="repeat_interleave"),
    OpSpec("repeat_interleave_counts", lambda m, r: m.repeat_interleave(r),
           lambda rng: [_s(np.array([2, 0, 1, 3])), _s(np.array([1]))], differentiable=False),
    OpSpec("permute", lambda m, x, d: m.permute(x, d), _permute_samples, method="permute",
           errors=[ErrorCase((_err_input(2, 3), Raw((0,)))),
                   ErrorCase((_err_input(2, 3), Raw((0, 0))))]),
    OpSpec("permute_varargs", lambda m, x: x.permute(2, 0, 1),
           lambda rng: [_s(randn(rng, 2, 3, 4))]),
    OpSpec("transpose", lambda m, x, a, b: m.transpose(x, a, b), _transpose_samples,
           method="transpose",
           errors=[ErrorCase((_err_input(2, 3), 0, 2), exc=IndexError)]),
    OpSpec("swapaxes", lambda m, x, a, b: m.swapaxes(x, a, b), _transpose_samples,
           method="swapaxes"),
    OpSpec("swapdims", lambda m, x, a, b: m.swapdims(x, a, b), _transpose_samples,
           method="swapdims"),
    OpSpec("movedim", lambda m, x, s, d: m.movedim(x, s, d), _movedim_samples, method="movedim"),
    OpSpec("moveaxis", lambda m, x, s, d: m.moveaxis(x, s, d), _movedim_samples,
           method="moveaxis"),
    OpSpec("t", lambda m, x: m.t(x), _t_samples, method="t",
           errors=[ErrorCase((_err_input(2, 3, 4),))]),
    OpSpec("T", lambda m, x: x.T, _T_samples),
    OpSpec("mT", lambda m, x: x.mT,
           lambda rng: [_s(randn(rng, 3, 4)), _s(randn(rng, 2, 3, 4)), _s(randn(rng, 2, 1, 0, 3))],
           errors=[ErrorCase((_err_input(3),))]),
    OpSpec("cat", lambda m, ts, **kw: m.cat(ts, **kw), _cat_samples),
    # error inputs cannot be lists of arrays: this entry puts two tensors in the list itself
    OpSpec("cat_pair", lambda m, a, b, **kw: m.cat([a, b], **kw),
           lambda rng: [_s(randn(rng, 2, 3), randn(rng, 2, 5), dim=-1)],
           errors=[ErrorCase((_err_input(2, 3), _err_input(3, 2))),
                   ErrorCase((_err_input(2, 3), _err_input(2, 3)), {"dim": 2}, exc=IndexError),
                   ErrorCase((_err_input(), _err_input())),
                   ErrorCase((_err_input(2, 3), _err_input(2, 3, 1)))]),
    OpSpec("stack_pair", lambda m, a, b, **kw: m.stack([a, b], **kw),
           lambda rng: [_s(randn(rng, 2, 3), randn(rng, 2, 3), dim=2)],
           errors=[ErrorCase((_err_input(2, 3), _err_input(3, 2))),
                   ErrorCase((_err_input(2, 3), _err_input(2, 3)), {"dim": 3}, exc=IndexError)]),
    OpSpec("concat", lambda m, ts, **kw: m.concat(ts, **kw), _cat_samples),
    OpSpec("stack", lambda m, ts, **kw: m.stack(ts, **kw), _stack_samples),
    OpSpec("split", lambda m, x, s, **kw: m.split(x, s, **kw), _split_samples, method="split"),
    OpSpec("chunk", lambda m, x, c, **kw: m.chunk(x, c, **kw), _chunk_samples, method="chunk"),
    OpSpec("unbind", lambda m, x, *d: m.unbind(x, *d), _unbind_samples, method="unbind"),
    OpSpec("tensor_split", lambda m, x, s, **kw: m.tensor_split(x, s, **kw),
           _tensor_split_samples, method="tensor_split"),
    OpSpec("flip", lambda m, x, d: m.flip(x, d), _flip_samples, method="flip"),
    OpSpec("fliplr", lambda m, x: m.fliplr(x), lambda rng: [_s(randn(rng, 3, 4))],
           method="fliplr"),
    OpSpec("flipud", lambda m, x: m.flipud(x), lambda rng: [_s(randn(rng, 3, 4))],
           method="flipud"),
    OpSpec("roll", lambda m, x, s, *d: m.roll(x, s, *d), _roll_samples, method="roll",
           errors=[ErrorCase((_err_input(3, 4), Raw((1, 2)), 0))]),
    OpSpec("narrow", lambda m, x, d, s, n: m.narrow(x, d, s, n), _narrow_samples,
           method="narrow",
           errors=[ErrorCase((_err_input(4, 3), 0, 3, 2)),
                   ErrorCase((_err_input(4, 3), 0, 1, -1)),
                   ErrorCase((_err_input(4, 3), 0, -5, 1), exc=IndexError),
                   ErrorCase((_err_input(4, 3), 0, 5, 0), exc=IndexError)]),
    OpSpec("tril", lambda m, x, *d: m.tril(x, *d), _tri_samples, method="tril"),
    OpSpec("triu", lambda m, x, *d: m.triu(x, *d), _tri_samples, method="triu"),
    OpSpec("diag", lambda m, x, *d: m.diag(x, *d), _diag_samples, method="diag",
           errors=[ErrorCase((_err_input(2, 3, 4),))]),
    OpSpec("diagonal", lambda m, x, *a, **kw: m.diagonal(x, *a, **kw), _diagonal_samples,
           method="diagonal",
           errors=[ErrorCase((_err_input(3, 4), 0, 1, 1))]),
    OpSpec("diag_embed", lambda m, x, *a, **kw: m.diag_embed(x, *a, **kw), _diag_embed_samples,
           method="diag_embed"),
    OpSpec("pad", lambda m, x, p, **kw: m.pad(x, p, **kw), _pad_samples, torch_op=_pad_torch,
           errors=[ErrorCase((_err_input(2, 3, 4), Raw((1,)))),
                   ErrorCase((_err_input(2, 3, 4), Raw((4, 0))),
                             {"mode": "reflect"})]),
    OpSpec("select", lambda m, x, d, i: m.select(x, d, i),
           lambda rng: [_s(randn(rng, 3, 4), 0, 1), _s(randn(rng, 3, 4), -1, -2),
                        _s(randn(rng, 2, 3, 4), 1, 2), _s(randn(rng, 5), 0, 4)],
           method="select",
           errors=[ErrorCase((_err_input(3, 4), 1, 4), exc=IndexError)]),
    OpSpec("tile", lambda m, x, d: m.tile(x, d),
           lambda rng: [_s(randn(rng, 3, 4), Raw((2,))), _s(randn(rng, 3, 4), Raw((2, 1, 3))),
                        _s(randn(rng, 3), Raw((2, 2))), _s(randn(rng), Raw((3,)))],
           method="tile"),
    OpSpec("hstack", lambda m, ts: m.hstack(ts),
           lambda rng: [_s([randn(rng, 2, 3), randn(rng, 2, 1)]),
                        _s([randn(rng, 3), randn(rng, 2)])]),
    OpSpec("vstack", lambda m, ts: m.vstack(ts),
           lambda rng: [_s([randn(rng, 2, 3), randn(rng, 1, 3)]),
                        _s([randn(rng, 3), randn(rng, 3)]),
                        _s([randn(rng, 2, 3), randn(rng, 3)])]),
    OpSpec("atleast_2d", lambda m, x: m.atleast_2d(x), _unary_shapes),
    OpSpec("broadcast_tensors", lambda m, a, b: m.broadcast_tensors(a, b),
           lambda rng: [_s(randn(rng, 3, 1), randn(rng, 4)), _s(randn(rng), randn(rng, 2, 3)),
                        _s(randn(rng, 2, 3), randn(rng, 2, 3))],
           errors=[ErrorCase((_err_input(3, 2), _err_input(3)))]),
    OpSpec("clone", lambda m, x: m.clone(x), _unary_shapes, method="clone"),
    OpSpec("contiguous", lambda m, x: x.contiguous(), _unary_shapes),
]
