"""Op table: convolution, pooling and resampling (nn.functional), run as
``m.nn.functional.<fn>`` in both frameworks.

Samples cover what users hit: odd sizes, strides > 1, non-square kernels, dilation, groups
(including depthwise), bias or not, padding as int / tuple / 'same' (incl. the asymmetric
case of an even kernel) / 'valid', batch 1 and unbatched inputs, ceil_mode, count_include_pad,
divisor_override, return_indices (the indices are compared too), adaptive pools whose output
sizes do and do not divide the input, interpolate in every mode, unpool and fold roundtrips.

Max pools run on ``distinct`` inputs (no ties), so the argmax and the indices are unique.

Tolerances: every entry keeps the defaults (atol 1e-5, rtol 1e-4). A float32 convolution
sums C*K products per output (its weight gradient N*L per weight) in another order than torch,
but at these sizes the rounding stays near 1e-6 relative; larger layers are checked at 1e-4
in tests/test_conv_extra.py (a small CNN).
"""
import warnings

import numpy as np

from .harness import ErrorCase, OpSpec, Raw, Sample, distinct, positive, randn



def S(*args, note="", no_grad=(), **kwargs):
    return Sample(args, kwargs, note=note, no_grad=no_grad)


def fn(name):
    """``m.nn.functional.<name>(*args, **kwargs)`` for either framework ``m``."""
    def op(m, *args, **kwargs):
        return getattr(m.nn.functional, name)(*args, **kwargs)
    op.__name__ = name
    return op


_R = np.random.default_rng(321)  # error-case inputs
NONE = Raw(None)


# ---------------------------------------------------------------------------- convolution
def _conv1d_samples(rng):
    return [
        S(randn(rng, 2, 4, 9), randn(rng, 6, 4, 3), randn(rng, 6), note="basic, bias"),
        S(randn(rng, 2, 4, 10), randn(rng, 5, 4, 4), NONE, stride=2, padding=1, dilation=2,
          note="stride 2, padding 1, dilation 2, no bias"),
        S(randn(rng, 2, 4, 11), randn(rng, 6, 2, 3), randn(rng, 6), stride=3, groups=2,
          note="groups 2, stride 3 not dividing"),
        S(randn(rng, 1, 4, 8), randn(rng, 8, 1, 3), randn(rng, 8), padding="same", groups=4,
          note="depthwise x2 multiplier, 'same'"),
        S(randn(rng, 2, 3, 7), randn(rng, 2, 3, 4), NONE, padding="same",
          note="'same' with even kernel (asymmetric)"),
        S(randn(rng, 2, 3, 9), randn(rng, 2, 3, 3), NONE, padding="same", dilation=3,
          note="'same' with dilation"),
        S(randn(rng, 2, 3, 7), randn(rng, 4, 3, 3), randn(rng, 4), padding="valid",
          note="'valid'"),
        S(randn(rng, 3, 9), randn(rng, 4, 3, 2), randn(rng, 4), padding=(2,),
          note="unbatched (C, L), tuple padding"),
        S(randn(rng, 2, 3, 3), randn(rng, 4, 3, 3), NONE, note="kernel == input"),
    ]


def _conv2d_samples(rng):
    return [
        S(randn(rng, 2, 3, 7, 6), randn(rng, 4, 3, 3, 3), randn(rng, 4), note="basic, bias"),
        S(randn(rng, 2, 3, 9, 8), randn(rng, 4, 3, 2, 3), NONE, stride=2, padding=1,
          note="non-square kernel, stride 2, no bias"),
        S(randn(rng, 1, 2, 9, 7), randn(rng, 3, 2, 3, 2), randn(rng, 3), stride=(2, 1),
          padding=(1, 2), dilation=(2, 1), note="batch 1, tuple stride/padding/dilation"),
        S(randn(rng, 2, 3, 6, 7), randn(rng, 6, 1, 3, 3), randn(rng, 6), padding=1, groups=3,
          note="depthwise (groups == C), multiplier 2"),
        S(randn(rng, 2, 4, 5, 6), randn(rng, 6, 2, 3, 3), NONE, groups=2, stride=3,
          note="groups 2, stride 3 not dividing"),
        S(randn(rng, 2, 2, 7, 8), randn(rng, 3, 2, 4, 3), randn(rng, 3), padding="same",
          dilation=2, note="'same', dilated non-square kernel (symmetric)"),
        S(randn(rng, 2, 2, 5, 6), randn(rng, 3, 2, 2, 4), NONE, padding="same",
          note="'same', even kernels (asymmetric)"),
        S(randn(rng, 2, 2, 6, 5), randn(rng, 3, 2, 3, 2), randn(rng, 3), padding="valid",
          note="'valid'"),
        S(randn(rng, 3, 6, 5), randn(rng, 4, 3, 3, 3), randn(rng, 4), padding=1,
          note="unbatched (C, H, W)"),
        S(randn(rng, 2, 3, 5, 4), randn(rng, 2, 3, 1, 1), randn(rng, 2), note="1x1 kernel"),
        S(randn(rng, 2, 2, 5, 5), randn(rng, 3, 2, 3, 3), NONE, stride=2, padding=(0, 2),
          dilation=2, note="stride + dilation + padding"),
        S(randn(rng, 2, 2, 5, 4, dtype=np.float64), randn(rng, 3, 2, 2, 2, dtype=np.float64),
          randn(rng, 3, dtype=np.float64), note="float64 stays float64"),
        S(randn(rng, 0, 3, 5, 5), randn(rng, 4, 3, 3, 3), randn(rng, 4), note="empty batch"),
    ]


def _conv3d_samples(rng):
    return [
        S(randn(rng, 1, 2, 4, 5, 3), randn(rng, 3, 2, 2, 3, 2), randn(rng, 3),
          note="basic, non-cubic kernel"),
        S(randn(rng, 2, 2, 5, 6, 5), randn(rng, 2, 2, 3, 3, 3), NONE, stride=(1, 2, 2),
          padding=(1, 0, 1), dilation=(2, 1, 1), note="stride, padding, dilation tuples"),
        S(randn(rng, 2, 4, 3, 4, 4), randn(rng, 4, 2, 2, 2, 2), randn(rng, 4), groups=2,
          stride=2, note="groups 2"),
        S(randn(rng, 1, 2, 4, 4, 3), randn(rng, 2, 2, 3, 2, 3), NONE, padding="same",
          note="'same' with an even kernel dim"),
        S(randn(rng, 2, 4, 4, 3), randn(rng, 2, 2, 2, 2, 2), randn(rng, 2), padding=1,
          note="unbatched (C, D, H, W)"),
    ]


def _conv_t1d_samples(rng):
    return [
        S(randn(rng, 2, 4, 5), randn(rng, 4, 3, 3), randn(rng, 3), note="basic"),
        S(randn(rng, 2, 4, 5), randn(rng, 4, 2, 4), NONE, stride=2, padding=1,
          output_padding=1, note="stride 2, output_padding 1"),
        S(randn(rng, 1, 4, 6), randn(rng, 4, 3, 3), randn(rng, 6), stride=3, groups=2,
          output_padding=2, note="groups 2, output_padding 2 < stride 3"),
        S(randn(rng, 2, 3, 5), randn(rng, 3, 2, 3), randn(rng, 2), dilation=2,
          output_padding=1, padding=2, note="dilation 2, output_padding 1 < dilation"),
        S(randn(rng, 4, 6), randn(rng, 4, 2, 3), randn(rng, 2), stride=2,
          note="unbatched (C, L)"),
        S(randn(rng, 2, 3, 5), randn(rng, 3, 1, 3), randn(rng, 3), groups=3, padding=1,
          note="depthwise"),
    ]


def _conv_t2d_samples(rng):
    return [
        S(randn(rng, 2, 3, 4, 5), randn(rng, 3, 2, 3, 3), randn(rng, 2), note="basic"),
        S(randn(rng, 2, 3, 4, 3), randn(rng, 3, 2, 3, 2), NONE, stride=(2, 3), padding=(1, 0),
          output_padding=(1, 2), note="non-square, output_padding (1, 2)"),
        S(randn(rng, 1, 4, 3, 4), randn(rng, 4, 3, 3, 3), randn(rng, 6), stride=2, padding=1,
          output_padding=1, groups=2, note="groups 2, output_padding"),
        S(randn(rng, 2, 2, 4, 4), randn(rng, 2, 3, 2, 3), randn(rng, 3), dilation=(2, 3),
          padding=1, note="dilation"),
        S(randn(rng, 2, 2, 3, 4), randn(rng, 2, 2, 3, 3), NONE, dilation=2, output_padding=1,
          note="output_padding < dilation, stride 1"),
        S(randn(rng, 3, 4, 3), randn(rng, 3, 2, 2, 2), randn(rng, 2), stride=2,
          note="unbatched (C, H, W)"),
        S(randn(rng, 2, 4, 3, 3), randn(rng, 4, 1, 3, 3), randn(rng, 4), stride=2, groups=4,
          note="depthwise"),
    ]


def _conv_t3d_samples(rng):
    return [
        S(randn(rng, 1, 2, 2, 3, 2), randn(rng, 2, 3, 2, 2, 3), randn(rng, 3), note="basic"),
        S(randn(rng, 2, 2, 2, 3, 2), randn(rng, 2, 2, 3, 2, 2), NONE, stride=(2, 1, 2),
          padding=(1, 0, 0), output_padding=(1, 0, 1), note="stride, output_padding"),
        S(randn(rng, 1, 4, 2, 2, 3), randn(rng, 4, 1, 2, 2, 2), randn(rng, 2), groups=2,
          dilation=(1, 2, 1), note="groups 2, dilation"),
        S(randn(rng, 2, 2, 2, 2), randn(rng, 2, 2, 2, 2, 2), randn(rng, 2), stride=2,
          note="unbatched"),
    ]


_X4 = randn(_R, 1, 3, 5, 5)
_W4 = randn(_R, 4, 3, 3, 3)
CONV_ERRORS = [
    ErrorCase((randn(_R, 1, 2, 5, 5), _W4), match="(4, 3, 3, 3)"),  # channel mismatch:
    ErrorCase((randn(_R, 1, 2, 5, 5), _W4), match="(1, 2, 5, 5)"),  # both shapes named
    ErrorCase((randn(_R, 1, 3, 2, 2), _W4), match="too small"),  # kernel bigger than input
    ErrorCase((_X4, _W4), {"stride": 2, "padding": "same"}, match="strided"),
    ErrorCase((_X4, _W4), {"padding": "foo"}),
    ErrorCase((randn(_R, 1, 4, 5, 5), randn(_R, 4, 2, 3, 3)), {"groups": 3}),
    ErrorCase((randn(_R, 1, 4, 5, 5), randn(_R, 6, 2, 3, 3)), {"groups": 3}),
    ErrorCase((randn(_R, 5, 5), _W4)),  # 2-D input
    ErrorCase((_X4, randn(_R, 4, 3, 3))),  # 3-D weight
    ErrorCase((_X4, _W4, randn(_R, 3)), match="bias"),
    ErrorCase((_X4.astype(np.float64), _W4)),
    ErrorCase((_X4, _W4), {"stride": 0}),
    ErrorCase((_X4, _W4), {"padding": -1}),
    ErrorCase((_X4, _W4), {"dilation": 0}),
    ErrorCase((_X4, _W4), {"groups": 0}),
    ErrorCase((_X4, _W4), {"padding": (1, 1, 1)}),
]

CONV_SPECS = [
    OpSpec("conv1d", fn("conv1d"), _conv1d_samples,
           errors=[ErrorCase((randn(_R, 2, 3, 6), randn(_R, 4, 2, 3)), match="(4, 2, 3)"),
                   ErrorCase((randn(_R, 2, 3, 2), randn(_R, 4, 3, 3)))]),
    OpSpec("conv2d", fn("conv2d"), _conv2d_samples, errors=CONV_ERRORS),
    OpSpec("conv3d", fn("conv3d"), _conv3d_samples,
           errors=[ErrorCase((randn(_R, 1, 2, 4, 4, 4), randn(_R, 3, 3, 2, 2, 2)),
                             match="(1, 2, 4, 4, 4)"),
                   ErrorCase((randn(_R, 1, 2, 4, 4, 4), randn(_R, 3, 2, 2, 2, 2)),
                             {"stride": 2, "padding": "same"})]),
    OpSpec("conv_transpose1d", fn("conv_transpose1d"), _conv_t1d_samples,
           errors=[ErrorCase((randn(_R, 1, 3, 5), randn(_R, 4, 2, 3)), match="(1, 3, 5)"),
                   ErrorCase((randn(_R, 1, 4, 1), randn(_R, 4, 2, 2)), {"padding": 2}),
                   ErrorCase((randn(_R, 1, 4, 5), randn(_R, 4, 2, 3)), {"output_padding": 1}),
                   ErrorCase((randn(_R, 1, 4, 5), randn(_R, 4, 2, 3)),
                             {"stride": 2, "output_padding": 2})]),
    OpSpec("conv_transpose2d", fn("conv_transpose2d"), _conv_t2d_samples,
           errors=[ErrorCase((randn(_R, 1, 3, 5, 5), _W4), match="(4, 3, 3, 3)"),
                   ErrorCase((_X4, randn(_R, 3, 2, 3, 3)), {"groups": 2}),
                   ErrorCase((_X4, randn(_R, 3, 2, 3, 3), randn(_R, 3)), match="bias"),
                   ErrorCase((_X4, randn(_R, 3, 2, 3, 3)), {"padding": -1}),
                   ErrorCase((randn(_R, 1, 4, 3, 3), _W4), {"stride": (2, 1),
                                                            "output_padding": (0, 1)})]),
    OpSpec("conv_transpose3d", fn("conv_transpose3d"), _conv_t3d_samples,
           errors=[ErrorCase((randn(_R, 1, 3, 2, 2, 2), randn(_R, 2, 2, 2, 2, 2)))]),
]


# ---------------------------------------------------------------------------- max pooling
def _max_pool1d_samples(rng):
    return [
        S(distinct(rng, 2, 3, 9), 2, note="kernel 2, stride = kernel"),
        S(distinct(rng, 2, 3, 10), 3, stride=2, padding=1, note="padding 1, stride 2"),
        S(distinct(rng, 1, 2, 9), 3, stride=2, ceil_mode=True, note="ceil_mode"),
        S(distinct(rng, 1, 2, 5), 2, stride=2, padding=1, ceil_mode=True,
          note="ceil_mode: last window would start in the padding"),
        S(distinct(rng, 2, 2, 11), 3, stride=2, padding=1, dilation=2, ceil_mode=True,
          note="dilation + ceil_mode + padding"),
        S(distinct(rng, 2, 3, 8), 3, stride=1, return_indices=True, note="indices"),
        S(distinct(rng, 3, 9), 2, stride=3, return_indices=True, note="unbatched + indices"),
        S(distinct(rng, 0, 2, 6), 2, note="empty batch"),
    ]


def _max_pool2d_samples(rng):
    return [
        S(distinct(rng, 2, 3, 6, 7), 2, note="kernel 2, odd width"),
        S(distinct(rng, 2, 2, 7, 6), (3, 2), stride=(2, 1), padding=(1, 0),
          note="non-square kernel, tuple stride/padding"),
        S(distinct(rng, 1, 2, 7, 7), 3, stride=2, ceil_mode=True, note="ceil_mode"),
        S(distinct(rng, 1, 2, 6, 8), 3, stride=2, padding=1, ceil_mode=True,
          note="ceil_mode with padding"),
        S(distinct(rng, 1, 2, 5, 7), 2, stride=2, padding=1, ceil_mode=True,
          note="ceil_mode: a last window starting in the right padding is dropped"),
        S(distinct(rng, 2, 2, 7, 8), 2, stride=2, dilation=(2, 3), note="dilation"),
        S(distinct(rng, 2, 3, 5, 6), 3, stride=2, padding=1, return_indices=True,
          note="indices with padding"),
        S(distinct(rng, 2, 5, 5), 2, stride=1, dilation=2, return_indices=True,
          ceil_mode=True, note="unbatched + dilation + indices"),
    ]


def _max_pool3d_samples(rng):
    return [
        S(distinct(rng, 1, 2, 4, 5, 4), 2, note="kernel 2"),
        S(distinct(rng, 2, 1, 5, 4, 5), (2, 3, 2), stride=2, padding=(1, 1, 0),
          ceil_mode=True, note="non-cubic, padding, ceil_mode"),
        S(distinct(rng, 1, 2, 5, 5, 5), 2, stride=1, dilation=2, return_indices=True,
          note="dilation + indices"),
        S(distinct(rng, 2, 4, 4, 3), 2, return_indices=True, note="unbatched + indices"),
    ]


_POOL_X = randn(_R, 1, 3, 5, 5)
MAX_POOL_SPECS = [
    OpSpec("max_pool1d", fn("max_pool1d"), _max_pool1d_samples,
           errors=[ErrorCase((randn(_R, 1, 3, 5), 3), {"padding": 2}),
                   ErrorCase((randn(_R, 1, 3, 5), 7))]),
    OpSpec("max_pool2d", fn("max_pool2d"), _max_pool2d_samples,
           errors=[ErrorCase((_POOL_X, 3), {"padding": 2}, match="pad should be at most half"),
                   ErrorCase((_POOL_X, 7)),
                   ErrorCase((randn(_R, 5, 5), 2)),
                   ErrorCase((randn(_R, 1, 0, 5, 5), 2)),
                   ErrorCase((_POOL_X, 2), {"stride": 0}),
                   ErrorCase((_POOL_X, 0)),
                   ErrorCase((_POOL_X, 2), {"dilation": 0}),
                   ErrorCase((_POOL_X, 2), {"padding": -1})]),
    OpSpec("max_pool3d", fn("max_pool3d"), _max_pool3d_samples,
           errors=[ErrorCase((randn(_R, 1, 1, 4, 4, 4), 2), {"padding": 2})]),
]


# ---------------------------------------------------------------------------- avg pooling
def _avg_pool1d_samples(rng):
    return [
        S(randn(rng, 2, 3, 9), 2, note="kernel 2, odd length"),
        S(randn(rng, 2, 3, 10), 3, stride=2, padding=1, note="padding counts"),
        S(randn(rng, 2, 3, 10), 3, stride=2, padding=1, count_include_pad=False,
          note="count_include_pad False"),
        S(randn(rng, 1, 2, 8), 3, stride=2, padding=1, ceil_mode=True,
          note="ceil_mode + padding"),
        S(randn(rng, 3, 7), 2, stride=3, ceil_mode=True, count_include_pad=False,
          note="unbatched, ceil_mode"),
    ]


def _avg_pool2d_samples(rng):
    return [
        S(randn(rng, 2, 3, 6, 7), 2, note="kernel 2, odd width"),
        S(randn(rng, 2, 2, 7, 6), (3, 2), stride=(2, 1), padding=(1, 0),
          note="non-square kernel, tuple stride/padding"),
        S(randn(rng, 2, 2, 7, 6), 3, stride=2, padding=1, count_include_pad=False,
          note="count_include_pad False"),
        S(randn(rng, 1, 2, 6, 7), 3, stride=2, padding=1, ceil_mode=True,
          note="ceil_mode + padding: overhang never counts"),
        S(randn(rng, 1, 2, 6, 7), 3, stride=2, padding=1, ceil_mode=True,
          count_include_pad=False, note="ceil_mode, count_include_pad False"),
        S(randn(rng, 2, 2, 5, 5), 2, stride=2, ceil_mode=True, note="ceil_mode, no padding"),
        S(randn(rng, 1, 2, 5, 7), 2, stride=2, padding=1, ceil_mode=True,
          note="ceil_mode: a last window starting in the right padding is dropped"),
        S(randn(rng, 2, 2, 6, 6), 3, stride=2, padding=1, divisor_override=4,
          note="divisor_override"),
        S(randn(rng, 3, 5, 6), 2, stride=1, note="unbatched (C, H, W)"),
        S(randn(rng, 0, 2, 4, 4), 2, note="empty batch"),
    ]


def _avg_pool3d_samples(rng):
    return [
        S(randn(rng, 1, 2, 4, 5, 4), 2, note="kernel 2"),
        S(randn(rng, 2, 1, 5, 4, 5), (2, 3, 2), stride=2, padding=(1, 1, 0), ceil_mode=True,
          note="non-cubic, padding, ceil_mode"),
        S(randn(rng, 1, 2, 4, 4, 4), 3, stride=2, padding=1, count_include_pad=False,
          note="count_include_pad False"),
        S(randn(rng, 1, 2, 4, 4, 4), 2, divisor_override=3, note="divisor_override"),
        S(randn(rng, 2, 3, 4, 4), 2, stride=1, note="unbatched"),
    ]


AVG_POOL_SPECS = [
    OpSpec("avg_pool1d", fn("avg_pool1d"), _avg_pool1d_samples,
           errors=[ErrorCase((randn(_R, 1, 3, 5), 3), {"padding": 2})]),
    OpSpec("avg_pool2d", fn("avg_pool2d"), _avg_pool2d_samples,
           errors=[ErrorCase((_POOL_X, 3), {"padding": 2}, match="pad should be at most half"),
                   ErrorCase((_POOL_X, 7)),
                   ErrorCase((_POOL_X, 2), {"stride": 0}),
                   ErrorCase((_POOL_X, 2), {"divisor_override": 0})]),
    OpSpec("avg_pool3d", fn("avg_pool3d"), _avg_pool3d_samples,
           errors=[ErrorCase((randn(_R, 1, 1, 4, 4, 4), 2), {"padding": 2}),
                   # unlike the 1-D/2-D pools, the unpadded input must hold the kernel
                   ErrorCase((randn(_R, 1, 1, 1, 4, 4), 2), {"padding": 1})]),
]


# ---------------------------------------------------------------------------- adaptive pools
def _adaptive_1d_samples(gen, indices=False):
    def samples(rng):
        kw = {"return_indices": True} if indices else {}
        return [
            S(gen(rng, 2, 3, 8), 4, note="divides", **kw),
            S(gen(rng, 2, 3, 7), 3, note="does not divide (overlapping windows)", **kw),
            S(gen(rng, 2, 3, 5), 3, note="does not divide", **kw),
            S(gen(rng, 1, 2, 3), 5, note="output larger than input", **kw),
            S(gen(rng, 2, 6), 1, note="unbatched, global", **kw),
        ]
    return samples


def _adaptive_2d_samples(gen, indices=False):
    def samples(rng):
        kw = {"return_indices": True} if indices else {}
        return [
            S(gen(rng, 2, 3, 6, 6), (2, 3), note="divides", **kw),
            S(gen(rng, 2, 3, 7, 9), (3, 4), note="does not divide", **kw),
            S(gen(rng, 1, 2, 5, 7), 3, note="int output size", **kw),
            S(gen(rng, 2, 2, 5, 6), (None, 4), note="None keeps the input size", **kw),
            S(gen(rng, 2, 2, 5, 6), 1, note="global", **kw),
            S(gen(rng, 2, 3, 4), (4, 6), note="output larger than input", **kw),
            S(gen(rng, 3, 7, 5), (2, None), note="unbatched, None", **kw),
        ]
    return samples


def _adaptive_3d_samples(gen, indices=False):
    def samples(rng):
        kw = {"return_indices": True} if indices else {}
        return [
            S(gen(rng, 1, 2, 4, 6, 4), (2, 3, 2), note="divides", **kw),
            S(gen(rng, 1, 2, 5, 4, 7), (3, None, 2), note="does not divide, None", **kw),
            S(gen(rng, 2, 3, 3, 5), 2, note="unbatched, int", **kw),
        ]
    return samples


ADAPTIVE_SPECS = [
    OpSpec("adaptive_avg_pool1d", fn("adaptive_avg_pool1d"), _adaptive_1d_samples(randn)),
    OpSpec("adaptive_avg_pool2d", fn("adaptive_avg_pool2d"), _adaptive_2d_samples(randn),
           errors=[ErrorCase((randn(_R, 2, 3), 2)),
                   ErrorCase((randn(_R, 1, 2, 4, 4), (2, 2, 2)))]),
    OpSpec("adaptive_max_pool1d", fn("adaptive_max_pool1d"),
           _adaptive_1d_samples(distinct, indices=True)),
    OpSpec("adaptive_max_pool1d_values", fn("adaptive_max_pool1d"),
           _adaptive_1d_samples(distinct)),
    OpSpec("adaptive_max_pool2d", fn("adaptive_max_pool2d"),
           _adaptive_2d_samples(distinct, indices=True),
           errors=[ErrorCase((randn(_R, 1, 2, 4, 4), (2, 2, 2)))]),
    OpSpec("adaptive_max_pool2d_values", fn("adaptive_max_pool2d"),
           _adaptive_2d_samples(distinct)),
    OpSpec("adaptive_avg_pool3d", fn("adaptive_avg_pool3d"), _adaptive_3d_samples(randn)),
    OpSpec("adaptive_max_pool3d", fn("adaptive_max_pool3d"),
           _adaptive_3d_samples(distinct, indices=True)),
]


# ---------------------------------------------------------------------------- lp pools
def _lp_pool1d_samples(rng):
    return [
        S(positive(rng, 2, 3, 9), 2, 3, stride=2, note="p=2"),
        S(positive(rng, 2, 3, 8), 1, 2, note="p=1"),
        S(positive(rng, 2, 3, 8), 3.5, 3, stride=2, ceil_mode=True, note="p=3.5, ceil_mode"),
        S(positive(rng, 3, 7), 2, 2, note="unbatched"),
        S(distinct(rng, 2, 3, 8), float("inf"), 3, stride=2, note="p=inf: max of |x|"),
    ]


def _lp_pool2d_samples(rng):
    return [
        S(positive(rng, 2, 3, 6, 7), 2, 2, note="p=2"),
        S(positive(rng, 2, 2, 7, 6), 1.5, (3, 2), stride=(2, 1), note="non-square, p=1.5"),
        S(positive(rng, 1, 2, 7, 7), 3, 3, stride=2, ceil_mode=True, note="ceil_mode"),
        S(positive(rng, 2, 5, 6), 2, 2, note="unbatched"),
        S(distinct(rng, 1, 2, 4, 6), float("inf"), 2, note="p=inf: max of |x|"),
    ]


def _lp_pool3d_samples(rng):
    return [
        S(positive(rng, 1, 2, 4, 5, 4), 2, 2, note="p=2"),
        S(positive(rng, 1, 2, 5, 4, 5), 1.5, (2, 3, 2), stride=2, ceil_mode=True,
          note="p=1.5, ceil_mode"),
    ]


LP_SPECS = [
    OpSpec("lp_pool1d", fn("lp_pool1d"), _lp_pool1d_samples),
    OpSpec("lp_pool2d", fn("lp_pool2d"), _lp_pool2d_samples),
    OpSpec("lp_pool3d", fn("lp_pool3d"), _lp_pool3d_samples),
]


# ---------------------------------------------------------------------------- max unpool
def _unpool_roundtrip(nd):
    """max_pool with return_indices, then max_unpool with those indices."""
    def op(m, x, kernel_size, stride=None, padding=0, output_size=None, unpool_size=False):
        F = m.nn.functional
        pool = (F.max_pool1d, F.max_pool2d, F.max_pool3d)[nd - 1]
        unpool = (F.max_unpool1d, F.max_unpool2d, F.max_unpool3d)[nd - 1]
        out, idx = pool(x, kernel_size, stride, padding, return_indices=True)
        size = x.shape[-nd:] if unpool_size else output_size
        return unpool(out, idx, kernel_size, stride, padding, output_size=size), idx
    return op


def _unpool1d_samples(rng):
    return [
        S(distinct(rng, 2, 3, 8), 2, note="kernel 2"),
        S(distinct(rng, 2, 3, 9), 3, 3, 1, unpool_size=True, note="odd, padding, output_size"),
        S(distinct(rng, 3, 8), 2, note="unbatched"),
    ]


def _unpool2d_samples(rng):
    return [
        S(distinct(rng, 2, 3, 4, 6), 2, note="kernel 2"),
        S(distinct(rng, 2, 2, 5, 7), 2, unpool_size=True, note="odd sizes, output_size"),
        S(distinct(rng, 1, 2, 6, 5), (3, 2), (3, 2), (1, 0), unpool_size=True,
          note="stride/padding tuples, output_size"),
        S(distinct(rng, 2, 4, 6), 2, note="unbatched"),
    ]


def _unpool3d_samples(rng):
    return [
        S(distinct(rng, 1, 2, 4, 4, 6), 2, note="kernel 2"),
        S(distinct(rng, 1, 2, 5, 4, 7), (2, 2, 3), unpool_size=True, note="odd, output_size"),
        S(distinct(rng, 2, 4, 4, 4), 2, note="unbatched"),
    ]


def _unpool_overlap_samples(rng):
    # Overlapping windows: one element can be the max of two windows, so two pooled values
    # go to the same index. torch's unpool backward then sends the gradient back through both
    # (2 where the function's true derivative is 1), hence no gradcheck for these; we match
    # torch's gradient.
    return [
        S(distinct(rng, 2, 3, 9), 3, 2, 1, unpool_size=True, note="1-D, kernel 3 stride 2"),
        S(distinct(rng, 1, 2, 5, 5), 2, 1, note="2-D, stride 1"),
    ]


def _unpool_overlap(m, x, *args, **kw):
    """Batched roundtrip: 3-D input -> 1-D pools, 4-D input -> 2-D pools."""
    return _unpool_roundtrip(x.dim() - 2)(m, x, *args, **kw)


def _unpool_direct(rng):
    # explicit indices (in range, unique per plane) rather than from a pool
    idx = np.stack([rng.permutation(16)[:4] for _ in range(6)]).reshape(2, 3, 2, 2)
    return [S(randn(rng, 2, 3, 2, 2), idx.astype(np.int64), 2),
            S(randn(rng, 2, 3, 2, 2), idx.astype(np.int64), 2, output_size=(5, 4)),
            S(randn(rng, 2, 3, 2, 2), idx.astype(np.int64), 2, output_size=(2, 3, 4, 5),
              note="output_size with N and C")]


UNPOOL_SPECS = [
    OpSpec("max_unpool1d_roundtrip", _unpool_roundtrip(1), _unpool1d_samples),
    OpSpec("max_unpool2d_roundtrip", _unpool_roundtrip(2), _unpool2d_samples),
    OpSpec("max_unpool3d_roundtrip", _unpool_roundtrip(3), _unpool3d_samples),
    OpSpec("max_unpool_roundtrip_overlapping", _unpool_overlap, _unpool_overlap_samples,
           gradcheck=False),
    # noncontig=False: torch's own max_unpool2d backward fails on transposed indices (.view)
    OpSpec("max_unpool2d", fn("max_unpool2d"), _unpool_direct, noncontig=False,
           errors=[ErrorCase((randn(_R, 1, 1, 2, 2), np.array([[[[0, 1], [2, 100]]]]), 2)),
                   ErrorCase((randn(_R, 1, 1, 2, 2), np.zeros((1, 1, 2, 3), np.int64), 2)),
                   ErrorCase((randn(_R, 1, 1, 2, 2), np.zeros((1, 1, 2, 2), np.int64), 2),
                             {"output_size": (9, 9)}, exc=ValueError),
                   ErrorCase((randn(_R, 1, 1, 2, 2), np.zeros((1, 1, 2, 2), np.int64), 2),
                             {"output_size": (5,)}, exc=ValueError)]),
]


# ---------------------------------------------------------------------------- interpolate
def _interp_samples(rng):
    x3, x4, x5 = randn(rng, 2, 3, 5), randn(rng, 2, 2, 4, 5), randn(rng, 1, 2, 3, 4, 3)
    cases = []
    for mode in ("nearest", "nearest-exact"):
        cases += [
            S(x3, size=8, mode=mode, note=f"{mode} 1-D size"),
            S(x3, scale_factor=1.7, mode=mode, note=f"{mode} 1-D non-integer scale"),
            S(x4, scale_factor=2, mode=mode, note=f"{mode} 2-D x2"),
            S(x4, size=(3, 7), mode=mode, note=f"{mode} 2-D size (down, up)"),
            S(x4, scale_factor=(0.6, 1.5), mode=mode, note=f"{mode} 2-D tuple scale"),
            S(x5, scale_factor=1.5, mode=mode, note=f"{mode} 3-D"),
        ]
    for ac in (False, True):
        cases += [
            S(x3, size=9, mode="linear", align_corners=ac, note=f"linear size ac={ac}"),
            S(x3, scale_factor=0.7, mode="linear", align_corners=ac,
              note=f"linear downscale ac={ac}"),
            S(x4, scale_factor=1.7, mode="bilinear", align_corners=ac,
              note=f"bilinear x1.7 ac={ac}"),
            S(x4, size=(7, 3), mode="bilinear", align_corners=ac, note=f"bilinear size ac={ac}"),
            S(x4, scale_factor=(1.5, 0.7), mode="bicubic", align_corners=ac,
              note=f"bicubic tuple scale ac={ac}"),
            S(x4, size=(6, 9), mode="bicubic", align_corners=ac, note=f"bicubic size ac={ac}"),
            S(x5, size=(4, 3, 5), mode="trilinear", align_corners=ac,
              note=f"trilinear size ac={ac}"),
            S(x5, scale_factor=(2, 0.5, 1.3), mode="trilinear", align_corners=ac,
              note=f"trilinear tuple scale ac={ac}"),
        ]
    cases += [
        S(x4, scale_factor=1.7, mode="bilinear", note="bilinear, align_corners None"),
        S(x4, scale_factor=1.7, mode="bilinear", recompute_scale_factor=True,
          note="recompute_scale_factor True"),
        S(x3, scale_factor=1.3, mode="linear", recompute_scale_factor=False,
          note="recompute_scale_factor False"),
        S(x3, scale_factor=1.1, mode="linear", note="scale_factor keeping the size: a copy"),
        S(x4, scale_factor=2.5, mode="nearest", recompute_scale_factor=True,
          note="nearest, recompute_scale_factor"),
        S(x3, size=3, mode="area", note="area 1-D down"),
        S(x4, size=(3, 2), mode="area", note="area 2-D, sizes not dividing"),
        S(x4, scale_factor=0.5, mode="area", note="area scale_factor"),
        S(x5, size=(2, 3, 2), mode="area", note="area 3-D"),
        S(x4, size=(4, 5), mode="bilinear", align_corners=False, note="identity size"),
        S(x4, scale_factor=(2.2, 1.1), mode="nearest",
          note="2-D nearest: a doubled dim maps i -> i // 2, an unchanged dim is copied"),
        S(x4, scale_factor=(2.2, 1.1), mode="nearest-exact", note="nearest-exact: no shortcut"),
    ]
    return cases


_IX = randn(_R, 1, 2, 4, 4)
INTERP_SPECS = [
    OpSpec("interpolate", fn("interpolate"), _interp_samples, errors=[
        ErrorCase((_IX,), {"size": 4, "scale_factor": 2.0}, exc=ValueError,
                  match="only one of size or scale_factor"),
        ErrorCase((_IX,), {}, exc=ValueError),
        ErrorCase((_IX,), {"scale_factor": 2.0, "align_corners": True}, exc=ValueError),
        ErrorCase((_IX,), {"size": 4, "recompute_scale_factor": True}, exc=ValueError),
        ErrorCase((_IX,), {"size": (4, 4, 4)}, exc=ValueError),
        ErrorCase((_IX,), {"scale_factor": (2.0, 2.0, 2.0)}, exc=ValueError),
        ErrorCase((_IX,), {"size": (2.5, 3)}, exc=TypeError),
        ErrorCase((_IX,), {"scale_factor": 0.2}),
        ErrorCase((_IX,), {"size": 5, "mode": "nearest", "antialias": True}, exc=ValueError),
        ErrorCase((randn(_R, 3, 4),), {"size": 5}, exc=NotImplementedError),
        ErrorCase((randn(_R, 1, 2, 4),), {"size": 4, "mode": "bilinear"},
                  exc=NotImplementedError),
    ]),
]


def _deprecated_upsample_samples(rng):
    return [S(randn(rng, 2, 2, 3, 4), size=(5, 7)), S(randn(rng, 2, 2, 3, 4), scale_factor=2)]


def _quiet(name):
    """The deprecated ``upsample*`` forms, with their DeprecationWarning silenced."""
    def op(m, *args, **kwargs):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return getattr(m.nn.functional, name)(*args, **kwargs)
    return op


INTERP_SPECS += [
    OpSpec("upsample", _quiet("upsample"), lambda rng: [
        S(randn(rng, 2, 2, 3, 4), scale_factor=1.5, mode="bilinear", align_corners=True),
        S(randn(rng, 2, 3, 4), size=6)]),
    OpSpec("upsample_nearest", _quiet("upsample_nearest"), _deprecated_upsample_samples),
    OpSpec("upsample_bilinear", _quiet("upsample_bilinear"), _deprecated_upsample_samples),
]


# ---------------------------------------------------------------------------- fold / unfold
def _unfold_samples(rng):
    return [
        S(randn(rng, 2, 3, 5, 6), 2, note="kernel 2"),
        S(randn(rng, 1, 2, 7, 6), (3, 2), dilation=(1, 2), padding=1, stride=(2, 1),
          note="non-square, dilation, padding, stride"),
        S(randn(rng, 2, 2, 5, 5), 5, note="kernel == input"),
        S(randn(rng, 2, 5, 4), 2, stride=2, note="unbatched (C, H, W)"),
    ]


def _fold_samples(rng):
    return [
        S(randn(rng, 2, 12, 20), (5, 6), 2, note="kernel 2 (overlaps summed)"),
        S(randn(rng, 1, 12, 24), (7, 6), (3, 2), dilation=(1, 2), padding=1, stride=(2, 1),
          note="non-square, dilation, padding, stride"),
        S(randn(rng, 12, 6), (4, 6), 2, stride=2, note="unbatched (C*K, L)"),
    ]


def _fold_unfold(m, x, kernel_size, **kw):
    F = m.nn.functional
    return F.fold(F.unfold(x, kernel_size, **kw), x.shape[-2:], kernel_size, **kw)


def _roundtrip_samples(rng):
    return [
        S(randn(rng, 2, 3, 5, 6), 2, note="kernel 2"),
        S(randn(rng, 1, 2, 7, 6), (3, 2), dilation=(1, 2), padding=1, stride=(2, 1),
          note="stride, padding, dilation"),
        S(randn(rng, 2, 4, 6), 2, stride=2, note="unbatched, non-overlapping = identity"),
    ]


FOLD_SPECS = [
    OpSpec("unfold", fn("unfold"), _unfold_samples,
           errors=[ErrorCase((randn(_R, 4, 5), 2), exc=IndexError),
                   ErrorCase((randn(_R, 1, 1, 2, 4, 5), 2)),
                   ErrorCase((randn(_R, 1, 2, 3, 3), 4))]),
    OpSpec("fold", fn("fold"), _fold_samples, errors=[
        ErrorCase((randn(_R, 1, 12, 15), (5, 5), 2)),
        ErrorCase((randn(_R, 1, 13, 16), (5, 5), 2)),
        ErrorCase((randn(_R, 12), (5, 5), 2)),
    ]),
    OpSpec("fold_unfold_roundtrip", _fold_unfold, _roundtrip_samples),
]


# ---------------------------------------------------------------------------- pixel shuffle
def _pixel_shuffle_samples(rng):
    return [
        S(randn(rng, 1, 8, 3, 4), 2, note="batch 1"),
        S(randn(rng, 2, 3, 9, 2, 3), 3, note="extra leading dims"),
        S(randn(rng, 4, 2, 3), 2, note="unbatched (C, H, W)"),
        S(randn(rng, 2, 3, 2, 2), 1, note="factor 1"),
    ]


def _pixel_unshuffle_samples(rng):
    return [
        S(randn(rng, 1, 2, 6, 4), 2, note="batch 1"),
        S(randn(rng, 2, 3, 1, 6, 9), 3, note="extra leading dims"),
        S(randn(rng, 2, 4, 6), 2, note="unbatched (C, H, W)"),
    ]


SHUFFLE_SPECS = [
    OpSpec("pixel_shuffle", fn("pixel_shuffle"), _pixel_shuffle_samples,
           errors=[ErrorCase((randn(_R, 1, 3, 2, 2), 2), match="divisible"),
                   ErrorCase((randn(_R, 4, 4), 2)),
                   ErrorCase((randn(_R, 1, 4, 2, 2), 0))]),
    OpSpec("pixel_unshuffle", fn("pixel_unshuffle"), _pixel_unshuffle_samples,
           errors=[ErrorCase((randn(_R, 1, 3, 5, 4), 2), match="divisible")]),
]


SPECS = [*CONV_SPECS, *MAX_POOL_SPECS, *AVG_POOL_SPECS, *ADAPTIVE_SPECS, *LP_SPECS,
         *UNPOOL_SPECS, *INTERP_SPECS, *FOLD_SPECS, *SHUFFLE_SPECS]
