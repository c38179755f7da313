"""Module table: convolution, pooling, upsampling, pixel shuffle, fold and padding layers.

Every ``Conv*`` entry runs a batched and an unbatched input (and batch 1); padding covers
int / tuple / 'same' (incl. even kernels, where torch pads asymmetrically) / 'valid' and every
``padding_mode``. ``ConvTranspose*`` entries pass ``output_size`` through ``call``. Max pools
run on ``distinct`` inputs (no ties) so their indices are unique and compared too;
``MaxUnpool*`` entries are fed by the same framework's ``max_pool`` with ``return_indices``.

Tolerances: the defaults (atol 1e-5, rtol 1e-4) for every layer, convolutions included: at
these sizes float32 summation-order differences from torch stay near 1e-6 relative.
"""
from __future__ import annotations

import importlib

import deepgrad as dg
from tests.optable.harness import distinct

from .harness import ModuleSpec, Sample, positive, randn

SPECS = []


def add(name, ctor, samples, **kw):
    SPECS.append(ModuleSpec(name, ctor=ctor, samples=samples, **kw))


def shapes(*shape_list, gen=randn):
    """One sample per input shape."""
    def samples(rng):
        return [Sample((gen(rng, *s),)) for s in shape_list]
    return samples


def functional_of(x):
    """The functional namespace of the framework that ``x`` belongs to."""
    if isinstance(x, dg.Tensor):
        return dg.nn.functional
    return importlib.import_module("torch").nn.functional


# ---------------------------------------------------------------------------- convolutions
add("Conv1d", lambda nn: nn.Conv1d(4, 6, 3), shapes((2, 4, 9), (1, 4, 5), (4, 7)))
add("Conv1d_stride_dilation_nobias",
    lambda nn: nn.Conv1d(4, 6, 4, stride=2, padding=2, dilation=2, bias=False),
    shapes((2, 4, 11), (4, 10)))
add("Conv1d_depthwise_same_reflect",
    lambda nn: nn.Conv1d(4, 8, 3, groups=4, padding="same", padding_mode="reflect"),
    shapes((2, 4, 9), (4, 6)))
add("Conv1d_same_even_circular",
    lambda nn: nn.Conv1d(3, 2, 4, padding="same", padding_mode="circular"),
    shapes((2, 3, 7), (3, 6)))
add("Conv1d_replicate_stride",
    lambda nn: nn.Conv1d(3, 2, 3, stride=2, padding=2, padding_mode="replicate"),
    shapes((2, 3, 8), (3, 9)))
add("Conv1d_valid", lambda nn: nn.Conv1d(3, 2, 3, padding="valid"), shapes((2, 3, 6)))

add("Conv2d", lambda nn: nn.Conv2d(3, 4, 3), shapes((2, 3, 7, 6), (1, 3, 5, 5), (3, 5, 4)))
add("Conv2d_nonsquare_stride_dilation_nobias",
    lambda nn: nn.Conv2d(3, 4, (2, 3), stride=(2, 1), padding=(1, 2), dilation=(1, 2),
                         bias=False),
    shapes((2, 3, 7, 6), (3, 6, 5)))
for _mode in ("zeros", "reflect", "replicate", "circular"):
    add(f"Conv2d_same_{_mode}",
        lambda nn, m=_mode: nn.Conv2d(3, 4, 3, padding="same", padding_mode=m),
        shapes((2, 3, 6, 5), (3, 4, 5)))
    add(f"Conv2d_padding_tuple_{_mode}",
        lambda nn, m=_mode: nn.Conv2d(2, 3, (3, 2), stride=2, padding=(2, 1),
                                      padding_mode=m),
        shapes((2, 2, 7, 6), (2, 5, 5)))
    add(f"Conv2d_same_even_kernel_{_mode}",
        lambda nn, m=_mode: nn.Conv2d(2, 3, (2, 4), padding="same", padding_mode=m,
                                      dilation=(1, 1)),
        shapes((2, 2, 5, 6)))
add("Conv2d_depthwise_reflect",
    lambda nn: nn.Conv2d(3, 6, 3, padding=1, groups=3, padding_mode="reflect"),
    shapes((2, 3, 6, 7)))
add("Conv2d_groups_circular",
    lambda nn: nn.Conv2d(4, 6, 3, stride=2, padding=(1, 2), groups=2,
                         padding_mode="circular"),
    shapes((2, 4, 7, 6)))
add("Conv2d_same_dilated", lambda nn: nn.Conv2d(2, 3, 3, padding="same", dilation=2),
    shapes((2, 2, 7, 6)))
add("Conv2d_valid", lambda nn: nn.Conv2d(3, 4, 3, padding="valid"), shapes((2, 3, 5, 6)))

add("Conv3d", lambda nn: nn.Conv3d(2, 3, (2, 3, 2)), shapes((1, 2, 4, 5, 3), (2, 3, 4, 3)))
for _mode in ("zeros", "reflect", "replicate", "circular"):
    add(f"Conv3d_{_mode}",
        lambda nn, m=_mode: nn.Conv3d(2, 4, 3, padding=1, stride=(1, 2, 1), groups=2,
                                      padding_mode=m),
        shapes((2, 2, 4, 5, 3)))
add("Conv3d_same_even", lambda nn: nn.Conv3d(2, 2, 2, padding="same", bias=False),
    shapes((1, 2, 3, 4, 3), (2, 3, 3, 3)))


# ---------------------------------------------------------------------------- transposed
def with_output_size(size):
    """Call a ConvTranspose module with ``output_size``."""
    def call(mod, x):
        return mod(x, output_size=size)
    return call


add("ConvTranspose1d", lambda nn: nn.ConvTranspose1d(4, 3, 3, stride=2, padding=1,
                                                     output_padding=1),
    shapes((2, 4, 5), (4, 6)))
add("ConvTranspose1d_output_size",
    lambda nn: nn.ConvTranspose1d(4, 6, 3, stride=3, groups=2, dilation=2),
    shapes((2, 4, 5)), call=with_output_size([19]))
add("ConvTranspose2d", lambda nn: nn.ConvTranspose2d(3, 2, 3), shapes((2, 3, 4, 5),
                                                                     (3, 3, 4)))
add("ConvTranspose2d_groups_output_padding",
    lambda nn: nn.ConvTranspose2d(4, 6, (3, 2), stride=(2, 3), padding=(1, 0),
                                  output_padding=(1, 2), groups=2, bias=False),
    shapes((2, 4, 3, 4), (4, 3, 3)))
add("ConvTranspose2d_output_size",
    lambda nn: nn.ConvTranspose2d(3, 2, 3, stride=2, padding=1),
    shapes((2, 3, 4, 5)), call=with_output_size((8, 10)))
add("ConvTranspose2d_output_size_dilation",
    lambda nn: nn.ConvTranspose2d(2, 2, 3, stride=(2, 1), dilation=2),
    shapes((1, 2, 3, 3)), call=with_output_size((1, 2, 10, 7)))
add("ConvTranspose3d", lambda nn: nn.ConvTranspose3d(2, 3, 2, stride=2),
    shapes((1, 2, 2, 3, 2), (2, 2, 2, 2)))
add("ConvTranspose3d_output_size",
    lambda nn: nn.ConvTranspose3d(2, 2, (2, 3, 2), stride=(2, 2, 1), padding=(0, 1, 0)),
    shapes((1, 2, 2, 3, 2)), call=with_output_size((5, 6, 3)))


# ---------------------------------------------------------------------------- pooling
def distinct_shapes(*shape_list):
    return shapes(*shape_list, gen=distinct)


add("MaxPool1d", lambda nn: nn.MaxPool1d(3, stride=2, padding=1, ceil_mode=True),
    distinct_shapes((2, 3, 8), (3, 9)))
add("MaxPool1d_indices", lambda nn: nn.MaxPool1d(2, return_indices=True),
    distinct_shapes((2, 3, 9), (3, 6)))
add("MaxPool2d", lambda nn: nn.MaxPool2d(2), distinct_shapes((2, 3, 6, 7), (3, 5, 4)))
add("MaxPool2d_options",
    lambda nn: nn.MaxPool2d((3, 2), stride=(2, 1), padding=1, dilation=(1, 2), ceil_mode=True),
    distinct_shapes((2, 2, 7, 8)))
add("MaxPool2d_indices", lambda nn: nn.MaxPool2d(3, 2, 1, return_indices=True),
    distinct_shapes((2, 2, 7, 6), (2, 5, 5)))
add("MaxPool3d_indices", lambda nn: nn.MaxPool3d(2, return_indices=True),
    distinct_shapes((1, 2, 4, 5, 4)))
add("MaxPool3d_ceil", lambda nn: nn.MaxPool3d(3, stride=2, padding=1, ceil_mode=True),
    distinct_shapes((1, 2, 4, 5, 6), (2, 4, 4, 4)))
add("AvgPool1d", lambda nn: nn.AvgPool1d(3, 2, 1, ceil_mode=True, count_include_pad=False),
    shapes((2, 3, 8), (3, 9)))
add("AvgPool2d", lambda nn: nn.AvgPool2d(3, stride=2, padding=1),
    shapes((2, 3, 7, 6), (3, 5, 5)))
add("AvgPool2d_ceil_exclude_pad",
    lambda nn: nn.AvgPool2d((3, 2), padding=(1, 0), ceil_mode=True, count_include_pad=False),
    shapes((2, 2, 7, 5)))
add("AvgPool2d_divisor_override", lambda nn: nn.AvgPool2d(2, divisor_override=3),
    shapes((2, 2, 5, 6)))
add("AvgPool3d", lambda nn: nn.AvgPool3d(2, stride=(1, 2, 2), padding=1, divisor_override=5),
    shapes((1, 2, 3, 4, 5)))
add("AvgPool3d_ceil", lambda nn: nn.AvgPool3d(3, 2, 1, ceil_mode=True, count_include_pad=False),
    shapes((1, 2, 4, 5, 6), (2, 4, 4, 4)))
add("AdaptiveAvgPool1d", lambda nn: nn.AdaptiveAvgPool1d(3), shapes((2, 3, 7), (3, 9)))
add("AdaptiveAvgPool2d", lambda nn: nn.AdaptiveAvgPool2d((3, None)),
    shapes((2, 3, 7, 5), (3, 6, 4)))
add("AdaptiveAvgPool2d_global", lambda nn: nn.AdaptiveAvgPool2d(1), shapes((2, 3, 5, 6)))
add("AdaptiveMaxPool1d", lambda nn: nn.AdaptiveMaxPool1d(3, return_indices=True),
    distinct_shapes((2, 3, 7), (3, 6)))
add("AdaptiveMaxPool2d", lambda nn: nn.AdaptiveMaxPool2d((2, 3)),
    distinct_shapes((2, 3, 5, 7), (3, 4, 6)))
add("AdaptiveMaxPool2d_indices", lambda nn: nn.AdaptiveMaxPool2d((None, 3), return_indices=True),
    distinct_shapes((2, 2, 4, 5)))
add("AdaptiveAvgPool3d", lambda nn: nn.AdaptiveAvgPool3d((2, None, 3)),
    shapes((1, 2, 5, 4, 7), (2, 4, 3, 6)))
add("AdaptiveMaxPool3d", lambda nn: nn.AdaptiveMaxPool3d(2, return_indices=True),
    distinct_shapes((1, 2, 5, 4, 3)))
add("LPPool1d", lambda nn: nn.LPPool1d(2, 3, stride=2), shapes((2, 3, 9), (3, 8), gen=positive))
add("LPPool2d", lambda nn: nn.LPPool2d(1.5, (2, 3), ceil_mode=True),
    shapes((2, 2, 5, 7), (2, 4, 6), gen=positive))
add("LPPool3d", lambda nn: nn.LPPool3d(2, 2, stride=(1, 2, 2)),
    shapes((1, 2, 3, 4, 5), gen=positive))


def unpool_call(kernel_size, stride=None, padding=0, with_size=False):
    """Pool with ``return_indices`` in the input's framework, then call the MaxUnpool module."""
    def call(mod, x):
        F = functional_of(x)
        nd = _unpool_dims(mod)
        pool = (F.max_pool1d, F.max_pool2d, F.max_pool3d)[nd - 1]
        out, idx = pool(x, kernel_size, stride, padding, return_indices=True)
        if with_size:
            return mod(out, idx, output_size=x.shape[-nd:])
        return mod(out, idx)
    return call


def _unpool_dims(mod):
    """1, 2 or 3 from the module's class name (MaxUnpool1d ... MaxUnpool3d)."""
    return int(type(mod).__name__[-2])


add("MaxUnpool1d", lambda nn: nn.MaxUnpool1d(2), distinct_shapes((2, 3, 8), (3, 6)),
    call=unpool_call(2))
add("MaxUnpool2d", lambda nn: nn.MaxUnpool2d(2, stride=2), distinct_shapes((2, 3, 4, 6)),
    call=unpool_call(2, 2))
add("MaxUnpool2d_output_size", lambda nn: nn.MaxUnpool2d(3, stride=3, padding=1),
    distinct_shapes((2, 2, 7, 8)), call=unpool_call(3, 3, 1, with_size=True))
add("MaxUnpool3d", lambda nn: nn.MaxUnpool3d(2), distinct_shapes((1, 2, 4, 5, 4), (2, 4, 5, 4)),
    call=unpool_call(2, with_size=True))


# ---------------------------------------------------------------------------- upsampling
add("Upsample_nearest", lambda nn: nn.Upsample(scale_factor=2),
    shapes((2, 3, 4), (2, 2, 3, 4), (1, 2, 2, 3, 2)))
add("Upsample_nearest_exact", lambda nn: nn.Upsample(scale_factor=(2, 1.5), mode="nearest-exact"),
    shapes((2, 2, 3, 4)))
add("Upsample_linear", lambda nn: nn.Upsample(size=7, mode="linear"), shapes((2, 3, 4)))
add("Upsample_bilinear", lambda nn: nn.Upsample(size=(5, 7), mode="bilinear"),
    shapes((2, 2, 3, 4)))
add("Upsample_bilinear_align_corners",
    lambda nn: nn.Upsample(scale_factor=1.5, mode="bilinear", align_corners=True),
    shapes((2, 2, 3, 4)))
add("Upsample_bicubic", lambda nn: nn.Upsample(scale_factor=1.5, mode="bicubic"),
    shapes((2, 2, 3, 4)))
add("Upsample_trilinear_recompute",
    lambda nn: nn.Upsample(scale_factor=1.7, mode="trilinear", align_corners=False,
                      recompute_scale_factor=True),
    shapes((1, 2, 2, 3, 4)))
add("Upsample_area", lambda nn: nn.Upsample(size=(3, 3), mode="area"), shapes((2, 2, 5, 7)))
add("UpsamplingNearest2d", lambda nn: nn.UpsamplingNearest2d(scale_factor=2),
    shapes((2, 2, 3, 4)))
add("UpsamplingNearest2d_size", lambda nn: nn.UpsamplingNearest2d(size=(5, 3)),
    shapes((2, 2, 3, 4)))
add("UpsamplingBilinear2d", lambda nn: nn.UpsamplingBilinear2d(scale_factor=2),
    shapes((2, 2, 3, 4)))
add("UpsamplingBilinear2d_size", lambda nn: nn.UpsamplingBilinear2d(size=(7, 5)),
    shapes((2, 2, 3, 4)))
add("PixelShuffle", lambda nn: nn.PixelShuffle(2), shapes((2, 8, 3, 4), (4, 2, 3)))
add("PixelUnshuffle", lambda nn: nn.PixelUnshuffle(3), shapes((2, 2, 6, 9), (1, 3, 3)))
add("Fold", lambda nn: nn.Fold(output_size=(5, 6), kernel_size=2), shapes((2, 12, 20), (8, 20)))
add("Unfold", lambda nn: nn.Unfold(kernel_size=(2, 3), dilation=(1, 2), padding=1, stride=2),
    shapes((2, 3, 6, 7), (2, 5, 5)))


# ---------------------------------------------------------------------------- padding layers
add("ZeroPad1d", lambda nn: nn.ZeroPad1d((1, 3)), shapes((2, 3, 4), (3, 4)))
add("ZeroPad2d", lambda nn: nn.ZeroPad2d((1, 2, 0, 3)), shapes((2, 3, 4, 5), (3, 4, 5)))
add("ZeroPad2d_negative_crops", lambda nn: nn.ZeroPad2d((-1, 2, 1, -2)), shapes((2, 3, 4, 5)))
add("ZeroPad3d", lambda nn: nn.ZeroPad3d(1), shapes((1, 2, 2, 3, 4), (2, 2, 3, 2)))
add("ConstantPad1d", lambda nn: nn.ConstantPad1d(2, 3.5), shapes((2, 3, 4), (3, 4)))
add("ConstantPad2d", lambda nn: nn.ConstantPad2d((1, 0, 2, 1), -1.0),
    shapes((2, 3, 4, 5), (3, 4, 5)))
add("ConstantPad3d", lambda nn: nn.ConstantPad3d((1, 2, 0, 1, 1, 0), 0.5),
    shapes((1, 2, 2, 3, 4), (2, 2, 3, 2)))
add("ReflectionPad1d", lambda nn: nn.ReflectionPad1d(2), shapes((2, 3, 4), (3, 5)))
add("ReflectionPad2d", lambda nn: nn.ReflectionPad2d((1, 2, 2, 1)),
    shapes((2, 3, 4, 5), (3, 4, 5)))
add("ReflectionPad3d", lambda nn: nn.ReflectionPad3d(1), shapes((1, 2, 2, 3, 4), (2, 2, 3, 2)))
add("ReplicationPad1d", lambda nn: nn.ReplicationPad1d((2, 3)), shapes((2, 3, 4), (3, 4)))
add("ReplicationPad2d", lambda nn: nn.ReplicationPad2d(2), shapes((2, 3, 4, 5), (3, 4, 5)))
add("ReplicationPad3d", lambda nn: nn.ReplicationPad3d((1, 0, 2, 1, 0, 1)),
    shapes((1, 2, 2, 3, 4), (2, 2, 3, 2)))
add("CircularPad1d", lambda nn: nn.CircularPad1d(2), shapes((2, 3, 4), (3, 4)))
add("CircularPad2d", lambda nn: nn.CircularPad2d((1, 2, 2, 0)), shapes((2, 3, 4, 5), (3, 4, 5)))
add("CircularPad3d", lambda nn: nn.CircularPad3d(1), shapes((1, 2, 2, 3, 4), (2, 2, 3, 2)))
