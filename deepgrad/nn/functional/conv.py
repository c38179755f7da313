"""Convolutions, unfold/fold and pixel shuffles (functional forms)."""
from __future__ import annotations

from ...ops.conv import ConvParams, _tuple, conv_transposend, convnd
from ...ops.pooling import Fold, Unfold

__all__ = ["conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d",
           "conv_transpose3d", "unfold", "fold", "pixel_shuffle", "pixel_unshuffle"]


def conv1d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    """(N, C_in, L) * (C_out, C_in/groups, k) -> (N, C_out, L_out); padding int/tuple/'same'/
    'valid'."""
    return convnd(input, weight, bias, stride, padding, dilation, groups, 1, "conv1d")


def conv2d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    """(N, C_in, H, W) * (C_out, C_in/groups, kh, kw) -> (N, C_out, H_out, W_out)."""
    return convnd(input, weight, bias, stride, padding, dilation, groups, 2, "conv2d")


def conv3d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    """(N, C_in, D, H, W) * (C_out, C_in/groups, kd, kh, kw) -> (N, C_out, D', H', W')."""
    return convnd(input, weight, bias, stride, padding, dilation, groups, 3, "conv3d")


def conv_transpose1d(input, weight, bias=None, stride=1, padding=0, output_padding=0, groups=1,
                     dilation=1):
    """Transposed convolution: (N, C_in, L) with weight (C_in, C_out/groups, k)."""
    return conv_transposend(input, weight, bias, stride, padding, output_padding, groups,
                            dilation, 1, "conv_transpose1d")


def conv_transpose2d(input, weight, bias=None, stride=1, padding=0, output_padding=0, groups=1,
                     dilation=1):
    """Transposed convolution: (N, C_in, H, W) with weight (C_in, C_out/groups, kh, kw)."""
    return conv_transposend(input, weight, bias, stride, padding, output_padding, groups,
                            dilation, 2, "conv_transpose2d")


def conv_transpose3d(input, weight, bias=None, stride=1, padding=0, output_padding=0, groups=1,
                     dilation=1):
    return conv_transposend(input, weight, bias, stride, padding, output_padding, groups,
                            dilation, 3, "conv_transpose3d")


def unfold(input, kernel_size, dilation=1, padding=0, stride=1):
    """Sliding blocks as columns: (N, C, H, W) -> (N, C*kh*kw, L), or unbatched (C, H, W) ->
    (C*kh*kw, L); L is the number of block positions.

    Example::

        >>> F.unfold(deepgrad.randn(2, 3, 5, 5), 2).shape
        deepgrad.Size([2, 12, 16])
    """
    if input.dim() < 3:  # torch fails indexing the missing spatial dims: IndexError
        raise IndexError(f"unfold: expected a 3D (C, H, W) or 4D (N, C, H, W) input, got "
                         f"shape {tuple(input.shape)}")
    if input.dim() > 4:
        raise RuntimeError(f"unfold: expected 3D or 4D (batch mode) tensor for input, but got "
                           f"shape {tuple(input.shape)}")
    x = input.unsqueeze(0) if input.dim() == 3 else input
    k = _tuple(kernel_size, 2, "kernel_size")
    p = ConvParams(x.shape[2:], k, _tuple(stride, 2, "stride"),
                   _tuple(padding, 2, "padding"), _tuple(dilation, 2, "dilation"), 1)
    if any(o <= 0 for o in p.out_spatial):
        raise RuntimeError(f"unfold: input of shape {tuple(input.shape)} is too small for "
                           f"kernel_size={k}, dilation={p.dilation}, padding={p.padding}, "
                           f"stride={p.stride} (calculated output size {p.out_spatial})")
    out = Unfold.apply(x, p)
    return out.squeeze(0) if input.dim() == 3 else out


def fold(input, output_size, kernel_size, dilation=1, padding=0, stride=1):
    """Columns back to an image, summing overlaps: (N, C*kh*kw, L) -> (N, C, H, W), or
    unbatched (C*kh*kw, L) -> (C, H, W). The adjoint of ``unfold``.

    Example::

        >>> cols = F.unfold(deepgrad.randn(2, 3, 5, 5), 2)
        >>> F.fold(cols, (5, 5), 2).shape
        deepgrad.Size([2, 3, 5, 5])
    """
    if input.dim() not in (2, 3):
        raise RuntimeError(f"fold: expected 2D or 3D (batch mode) input tensor with possibly "
                           f"0 batch size and non-zero dimensions for input, but got: "
                           f"{tuple(input.shape)}")
    x = input.unsqueeze(0) if input.dim() == 2 else input
    k = _tuple(kernel_size, 2, "kernel_size")
    out = _tuple(output_size, 2, "output_size")
    p = ConvParams(out, k, _tuple(stride, 2, "stride"), _tuple(padding, 2, "padding"),
                   _tuple(dilation, 2, "dilation"), 1)
    ck = x.shape[1]
    if ck % (k[0] * k[1]):
        raise RuntimeError(f"fold: expected size of input's dimension 1 to be divisible by the "
                           f"product of kernel_size, but got input.size(1)={ck} and "
                           f"kernel_size={k}")
    L = p.out_spatial[0] * p.out_spatial[1]
    if x.shape[2] != L:
        raise RuntimeError(f"fold: given output_size={out}, kernel_size={k}, the expected "
                           f"number of blocks is {L}, but got input.size(2)={x.shape[2]}")
    res = Fold.apply(x, p, (x.shape[0], ck // (k[0] * k[1])))
    return res.squeeze(0) if input.dim() == 2 else res


def _check_shuffle(input, r, op, name):
    if input.dim() < 3:
        raise RuntimeError(f"{op} expects input to have at least 3 dimensions, but got input "
                           f"with {input.dim()} dimension(s)")
    if r <= 0:
        raise RuntimeError(f"{op} expects a positive {name}, but got {r}")


def pixel_shuffle(input, upscale_factor: int):
    """(*, C*r^2, H, W) -> (*, C, H*r, W*r)."""
    r = upscale_factor
    _check_shuffle(input, r, "pixel_shuffle", "upscale_factor")
    *lead, c, h, w = input.shape
    if c % (r * r):
        raise RuntimeError(f"pixel_shuffle expects its input's 'channel' dimension to be "
                           f"divisible by the square of upscale_factor, but input.size(-3)={c} "
                           f"is not divisible by {r * r}")
    x = input.reshape(*lead, c // (r * r), r, r, h, w)
    n = len(lead)
    x = x.permute(*range(n), n, n + 3, n + 1, n + 4, n + 2)
    return x.reshape(*lead, c // (r * r), h * r, w * r)


def pixel_unshuffle(input, downscale_factor: int):
    """(*, C, H*r, W*r) -> (*, C*r^2, H, W)."""
    r = downscale_factor
    _check_shuffle(input, r, "pixel_unshuffle", "downscale_factor")
    *lead, c, h, w = input.shape
    if h % r or w % r:
        raise RuntimeError(f"pixel_unshuffle expects height and width to be divisible by "
                           f"downscale_factor, got {h}x{w} and {r}")
    x = input.reshape(*lead, c, h // r, r, w // r, r)
    n = len(lead)
    x = x.permute(*range(n), n, n + 2, n + 4, n + 1, n + 3)
    return x.reshape(*lead, c * r * r, h // r, w // r)
