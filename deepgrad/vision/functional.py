"""Image operations behind ``deepgrad.vision.transforms`` (torchvision's
``transforms.functional``): flips, crops, padding, resizing, affine warps, color adjustments,
blur, erasing and dtype conversion.

Every function takes an image in one of two layouts and returns it in the same layout:

* a NumPy array (H, W) or (H, W, C), the layout images have before ``ToTensor`` (PIL images are
  read with ``np.asarray``, so they come back as arrays);
* a deepgrad ``Tensor`` (..., C, H, W): (C, H, W) or a batch (N, C, H, W), all images of a
  batch getting the same operation.

Both are viewed as one channel-first array (..., C, H, W), so each op is written once and runs
vectorized over channels and batch. Integer images are computed in float32 and rounded back
(clamped to the dtype's range); float images keep their dtype. The results are data, not graph
nodes: no gradient flows through these ops.

Example::

    >>> import numpy as np
    >>> from deepgrad.vision import functional as F
    >>> img = np.zeros((32, 48, 3), np.uint8)
    >>> F.resize(img, 16).shape
    (16, 24, 3)
"""
from __future__ import annotations

import math
import numbers
from enum import Enum

import numpy as np

from .._tensor import Tensor


class InterpolationMode(str, Enum):
    """Interpolation modes, as in torchvision (strings such as ``"bilinear"`` work too)."""

    NEAREST = "nearest"
    NEAREST_EXACT = "nearest-exact"
    BILINEAR = "bilinear"
    BICUBIC = "bicubic"


def _mode(interpolation) -> str:
    try:
        return InterpolationMode(interpolation).value
    except ValueError:
        raise ValueError(f"unsupported interpolation {interpolation!r}; expected one of "
                         f"{[m.value for m in InterpolationMode]}") from None


# ---------------------------------------------------------------------------------------------
# Layouts: everything is processed as a channel-first array (..., C, H, W).

def _unpack(img, name: str) -> tuple[np.ndarray, str]:
    """The channel-first view of ``img`` and a tag saying how to give results back."""
    if isinstance(img, Tensor):
        arr = np.asarray(img.data)
        if arr.ndim < 2:
            raise TypeError(f"{name}: expected a tensor (..., H, W), got shape {arr.shape}")
        return (arr[None], "tensor_hw") if arr.ndim == 2 else (arr, "tensor")
    arr = np.asarray(img)
    if arr.ndim == 2:
        return arr[None], "hw"
    if arr.ndim == 3:
        return arr.transpose(2, 0, 1), "hwc"
    raise TypeError(f"{name}: expected an (H, W) or (H, W, C) image, got "
                    f"{type(img).__name__} of shape {arr.shape}")


def _pack(arr: np.ndarray, kind: str):
    if kind == "hw":
        return np.ascontiguousarray(arr[0])
    if kind == "hwc":
        return np.ascontiguousarray(arr.transpose(1, 2, 0))
    if kind == "tensor_hw":
        arr = arr[0]
    return Tensor._make(np.ascontiguousarray(arr))


def get_dimensions(img) -> list[int]:
    """``[channels, height, width]`` of an image in either layout."""
    arr, _ = _unpack(img, "get_dimensions")
    return [int(s) for s in arr.shape[-3:]]


def _work_dtype(dtype: np.dtype) -> np.dtype:
    """float32 for integer and half images, the image's own dtype for float32/float64."""
    return dtype if dtype in (np.float32, np.float64) else np.dtype(np.float32)


def _to_float(arr: np.ndarray) -> np.ndarray:
    return arr.astype(_work_dtype(arr.dtype), copy=False)


def _from_float(out: np.ndarray, dtype: np.dtype) -> np.ndarray:
    if np.issubdtype(dtype, np.integer):
        info = np.iinfo(dtype)
        return np.clip(np.rint(out), info.min, info.max).astype(dtype)
    return out.astype(dtype, copy=False)


def _max_value(dtype: np.dtype) -> float:
    return float(np.iinfo(dtype).max) if np.issubdtype(dtype, np.integer) else 1.0


def _fill_array(fill, channels: int, dtype) -> np.ndarray | float:
    """``fill`` (a number or one value per channel) as something that broadcasts against
    (..., C, H, W)."""
    if fill is None:
        return 0.0
    if isinstance(fill, numbers.Number):
        return float(fill)
    values = [float(f) for f in fill]
    if len(values) == 1:
        return values[0]
    if len(values) != channels:
        raise ValueError(f"fill has {len(values)} values but the image has {channels} channels")
    return np.asarray(values, dtype=dtype).reshape(channels, 1, 1)


def _size_pair(size, name: str) -> tuple[int, int]:
    """An int or a 1- or 2-sequence as (h, w)."""
    if isinstance(size, numbers.Integral):
        return int(size), int(size)
    size = tuple(int(s) for s in size)
    if len(size) == 1:
        return size[0], size[0]
    if len(size) != 2:
        raise ValueError(f"{name}: size should be an int or a sequence of 1 or 2 ints, got "
                         f"{size}")
    return size


# ---------------------------------------------------------------------------------------------
# Flips, crops, padding.

def hflip(img):
    """Mirror left-right (the last axis of a tensor, the W axis of an array)."""
    arr, kind = _unpack(img, "hflip")
    return _pack(arr[..., ::-1], kind)


def vflip(img):
    """Mirror top-bottom."""
    arr, kind = _unpack(img, "vflip")
    return _pack(arr[..., ::-1, :], kind)


def _parse_padding(padding) -> tuple[int, int, int, int]:
    """torchvision's padding forms -> (left, top, right, bottom)."""
    if isinstance(padding, numbers.Integral):
        p = int(padding)
        return p, p, p, p
    padding = [int(p) for p in padding]
    if len(padding) == 1:
        return (padding[0],) * 4
    if len(padding) == 2:
        return padding[0], padding[1], padding[0], padding[1]
    if len(padding) == 4:
        return tuple(padding)
    raise ValueError(f"padding must be an int or a 1, 2 or 4 element sequence, got {padding}")


def _pad_array(arr, ltrb, fill=0, padding_mode="constant") -> np.ndarray:
    left, top, right, bottom = ltrb
    if min(ltrb) < 0:  # negative padding crops, as in torchvision
        h, w = arr.shape[-2:]
        arr = arr[..., max(-top, 0):h - max(-bottom, 0), max(-left, 0):w - max(-right, 0)]
        left, top, right, bottom = (max(p, 0) for p in ltrb)
    if padding_mode == "constant":
        c, h, w = arr.shape[-3:]
        out = np.empty(arr.shape[:-2] + (h + top + bottom, w + left + right), arr.dtype)
        out[...] = _fill_array(fill, c, np.float64)
        out[..., top:top + h, left:left + w] = arr
        return out
    if padding_mode not in ("edge", "reflect", "symmetric"):
        raise ValueError(f"padding_mode should be constant, edge, reflect or symmetric, got "
                         f"{padding_mode!r}")
    widths = [(0, 0)] * (arr.ndim - 2) + [(top, bottom), (left, right)]
    return np.pad(arr, widths, mode=padding_mode)


def pad(img, padding, fill=0, padding_mode: str = "constant"):
    """Pad the borders: ``padding`` is an int (all sides), (left/right, top/bottom) or
    (left, top, right, bottom); ``padding_mode`` is constant (with ``fill``: a number or one
    value per channel), edge, reflect or symmetric. (C, H, W) -> (C, H + t + b, W + l + r)."""
    arr, kind = _unpack(img, "pad")
    return _pack(_pad_array(arr, _parse_padding(padding), fill, padding_mode), kind)


def _crop_array(arr, top: int, left: int, height: int, width: int) -> np.ndarray:
    h, w = arr.shape[-2:]
    bottom, right = top + height, left + width
    if top < 0 or left < 0 or bottom > h or right > w:  # outside parts are zero, as torchvision
        inner = arr[..., max(top, 0):min(bottom, h), max(left, 0):min(right, w)]
        ltrb = (max(-left, 0), max(-top, 0), max(right - w, 0), max(bottom - h, 0))
        return _pad_array(inner, ltrb, 0)
    return arr[..., top:bottom, left:right]


def crop(img, top: int, left: int, height: int, width: int):
    """The (height, width) window whose top-left corner is (top, left); parts outside the image
    are zero."""
    arr, kind = _unpack(img, "crop")
    return _pack(_crop_array(arr, int(top), int(left), int(height), int(width)), kind)


def center_crop(img, output_size):
    """The central window of ``output_size`` (int or (h, w)); zero-padded if the image is
    smaller."""
    arr, kind = _unpack(img, "center_crop")
    th, tw = _size_pair(output_size, "center_crop")
    h, w = arr.shape[-2:]
    if th > h or tw > w:
        ltrb = ((tw - w) // 2 if tw > w else 0, (th - h) // 2 if th > h else 0,
                (tw - w + 1) // 2 if tw > w else 0, (th - h + 1) // 2 if th > h else 0)
        arr = _pad_array(arr, ltrb, 0)
        h, w = arr.shape[-2:]
    top, left = int(round((h - th) / 2.0)), int(round((w - tw) / 2.0))
    return _pack(_crop_array(arr, top, left, th, tw), kind)


# ---------------------------------------------------------------------------------------------
# Resizing: separable resampling, one (out, in) weight matrix per axis applied with matmul.

def _cubic(x: np.ndarray, a: float) -> np.ndarray:
    x = np.abs(x)
    near = ((a + 2) * x - (a + 3)) * x * x + 1
    far = (((x - 5) * x + 8) * x - 4) * a
    return np.where(x < 1, near, np.where(x < 2, far, 0.0))


def _resample_matrix(in_size: int, out_size: int, mode: str, antialias: bool) -> np.ndarray:
    """(out_size, in_size) weights of torch's interpolate (align_corners=False) on one axis.

    With antialiasing (or bilinear, where it only matters when shrinking) the filter is
    stretched by the scale when downsampling and each row is normalized, as in torch's and
    PIL's antialiased kernels; plain bicubic uses the a = -0.75 kernel on 4 clamped taps.
    """
    scale = in_size / out_size
    i = np.arange(out_size, dtype=np.float64)
    j = np.arange(in_size, dtype=np.float64)
    if mode == "bicubic" and not antialias:
        src = scale * (i + 0.5) - 0.5
        taps = np.floor(src)[:, None] + np.arange(-1, 3)
        weights = _cubic(taps - src[:, None], -0.75)
        index = np.clip(taps, 0, in_size - 1).astype(np.int64)
        one_hot = index[:, :, None] == np.arange(in_size)
        return (weights[:, :, None] * one_hot).sum(axis=1)
    interp_size, a = (2, None) if mode == "bilinear" else (4, -0.5)
    stretch = antialias and scale > 1.0
    support = interp_size * 0.5 * (scale if stretch else 1.0)
    invscale = 1.0 / scale if stretch else 1.0
    center = scale * (i + 0.5)
    lo = np.maximum(np.trunc(center - support + 0.5), 0)[:, None]
    hi = np.minimum(np.trunc(center + support + 0.5), in_size)[:, None]
    x = (j[None, :] - center[:, None] + 0.5) * invscale
    weights = np.maximum(1.0 - np.abs(x), 0.0) if a is None else _cubic(x, a)
    weights = np.where((j >= lo) & (j < hi), weights, 0.0)
    return weights / weights.sum(axis=1, keepdims=True)


def _nearest_index(in_size: int, out_size: int, exact: bool) -> np.ndarray:
    # torch computes the scale and the source index in float32; do the same so that the
    # chosen pixels agree exactly.
    scale = np.float32(in_size) / np.float32(out_size)
    i = np.arange(out_size, dtype=np.float32) + np.float32(0.5 if exact else 0.0)
    return np.minimum(np.floor(i * scale).astype(np.int64), in_size - 1)


def _resize_array(arr, out_h: int, out_w: int, mode: str, antialias: bool) -> np.ndarray:
    h, w = arr.shape[-2:]
    if (h, w) == (out_h, out_w):
        return arr
    if out_h <= 0 or out_w <= 0:
        raise ValueError(f"resize: output size ({out_h}, {out_w}) must be positive")
    if mode in ("nearest", "nearest-exact"):
        exact = mode == "nearest-exact"
        rows = _nearest_index(h, out_h, exact)
        cols = _nearest_index(w, out_w, exact)
        return arr[..., rows[:, None], cols]
    work = np.ascontiguousarray(arr, dtype=_work_dtype(arr.dtype))  # (C, H, W) memory order
    if out_h != h:
        # A dense (out, in) weight matrix and one BLAS matmul per axis: measured faster than
        # gathering the few nonzero taps, even when shrinking 3000x4000 photos.
        work = np.matmul(_resample_matrix(h, out_h, mode, antialias).astype(work.dtype), work)
    if out_w != w:
        work = np.matmul(work, _resample_matrix(w, out_w, mode, antialias).T.astype(work.dtype))
    return _from_float(work, arr.dtype)


def _resized_output_size(h: int, w: int, size, max_size=None) -> tuple[int, int]:
    if isinstance(size, numbers.Integral) or len(size) == 1:
        requested = int(size) if isinstance(size, numbers.Integral) else int(size[0])
        short, long = (w, h) if w <= h else (h, w)
        new_short, new_long = requested, int(requested * long / short)
        if max_size is not None:
            if max_size <= requested:
                raise ValueError(f"max_size = {max_size} must be strictly greater than the "
                                 f"requested size for the smaller edge size = {size}")
            if new_long > max_size:
                new_short, new_long = int(max_size * new_short / new_long), max_size
        return (new_long, new_short) if w <= h else (new_short, new_long)
    if max_size is not None:
        raise ValueError("max_size is only supported when size is an int or a 1-sequence")
    oh, ow = (int(s) for s in size)
    return oh, ow


def resize(img, size, interpolation=InterpolationMode.BILINEAR, max_size=None,
           antialias: bool = True):
    """Resize to ``size``: an int matches the shorter side (keeping the aspect ratio, the longer
    side is ``int(size * long / short)``, capped by ``max_size``); (h, w) is exact.
    ``interpolation``: nearest, nearest-exact, bilinear or bicubic, with torch's
    ``interpolate(align_corners=False)`` semantics; ``antialias`` filters when shrinking.
    (..., C, H, W) -> (..., C, h, w)."""
    arr, kind = _unpack(img, "resize")
    h, w = arr.shape[-2:]
    oh, ow = _resized_output_size(h, w, size, max_size)
    return _pack(_resize_array(arr, oh, ow, _mode(interpolation), antialias), kind)


def resized_crop(img, top: int, left: int, height: int, width: int, size,
                 interpolation=InterpolationMode.BILINEAR, antialias: bool = True):
    """``crop`` then ``resize`` to ``size``."""
    arr, kind = _unpack(img, "resized_crop")
    arr = _crop_array(arr, int(top), int(left), int(height), int(width))
    oh, ow = _resized_output_size(arr.shape[-2], arr.shape[-1], size)
    return _pack(_resize_array(arr, oh, ow, _mode(interpolation), antialias), kind)


# ---------------------------------------------------------------------------------------------
# Affine warps: an inverse coordinate map, sampled like grid_sample(align_corners=False).

def _inverse_affine_matrix(center, angle, translate, scale, shear) -> list[float]:
    """The 2x3 matrix (row-major, 6 floats) mapping output to input coordinates, relative to
    the image center, for M = T * C * R * S * Sh * C^-1 (torchvision's convention: ``angle``
    and shears in degrees, rotation clockwise for a positive angle)."""
    rot = math.radians(angle)
    sx, sy = math.radians(shear[0]), math.radians(shear[1])
    cx, cy = center
    tx, ty = translate
    # Rotation times shear, without the scale; its determinant is 1.
    a = math.cos(rot - sy) / math.cos(sy)
    b = -math.cos(rot - sy) * math.tan(sx) / math.cos(sy) - math.sin(rot)
    c = math.sin(rot - sy) / math.cos(sy)
    d = -math.sin(rot - sy) * math.tan(sx) / math.cos(sy) + math.cos(rot)
    m = [d / scale, -b / scale, 0.0, -c / scale, a / scale, 0.0]
    m[2] = cx - m[0] * (cx + tx) - m[1] * (cy + ty)
    m[5] = cy - m[3] * (cx + tx) - m[4] * (cy + ty)
    return m


def _affine_output_size(matrix, w: int, h: int) -> tuple[int, int]:
    """(width, height) of the box holding the whole transformed image (``expand=True``)."""
    corners = np.array([[-0.5 * w, -0.5 * h, 1.0], [-0.5 * w, 0.5 * h, 1.0],
                        [0.5 * w, 0.5 * h, 1.0], [0.5 * w, -0.5 * h, 1.0]])
    pts = corners @ np.asarray(matrix, dtype=np.float64).reshape(2, 3).T
    lo, hi = pts.min(axis=0) + (0.5 * w, 0.5 * h), pts.max(axis=0) + (0.5 * w, 0.5 * h)
    tol = 1e-4  # drop round-off such as 1e-15 before ceil/floor
    size = np.ceil(np.trunc(hi / tol) * tol) - np.floor(np.trunc(lo / tol) * tol)
    return int(size[0]), int(size[1])


def _warp_affine(arr, matrix, out_h: int, out_w: int, mode: str, fill) -> np.ndarray:
    """Sample ``arr`` (..., C, H, W) at ``matrix`` applied to each output pixel's center.

    Pixels mapped outside the image read zero; with ``fill`` given, a validity mask sampled the
    same way blends in the fill value (as torchvision does)."""
    if mode not in ("nearest", "bilinear"):
        raise ValueError(f"affine warps support nearest and bilinear, got {mode!r}")
    h, w = arr.shape[-2:]
    work = _to_float(arr)
    dt = work.dtype
    a, b, c, d, e, f = matrix
    xs = np.arange(out_w, dtype=np.float64) - out_w * 0.5 + 0.5
    ys = (np.arange(out_h, dtype=np.float64) - out_h * 0.5 + 0.5)[:, None]
    src_x = a * xs + b * ys + c + w * 0.5 - 0.5  # (out_h, out_w) input pixel coordinates
    src_y = d * xs + e * ys + f + h * 0.5 - 0.5
    flat = work.reshape(work.shape[:-2] + (h * w,))

    def gather(xi, yi):
        valid = (xi >= 0) & (xi < w) & (yi >= 0) & (yi < h)
        return np.take(flat, np.where(valid, yi * w + xi, 0), axis=-1), valid

    if mode == "nearest":
        values, valid = gather(np.rint(src_x).astype(np.int64), np.rint(src_y).astype(np.int64))
        mask = valid.astype(dt)
        out = values * mask
    else:
        x0, y0 = np.floor(src_x), np.floor(src_y)
        fx, fy = src_x - x0, src_y - y0
        x0, y0 = x0.astype(np.int64), y0.astype(np.int64)
        out = np.zeros(work.shape[:-2] + (out_h, out_w), dt)
        mask = np.zeros((out_h, out_w), dt)
        for dy, wy in ((0, 1.0 - fy), (1, fy)):
            for dx, wx in ((0, 1.0 - fx), (1, fx)):
                values, valid = gather(x0 + dx, y0 + dy)
                weight = (wy * wx * valid).astype(dt)
                out += values * weight
                mask += weight
    if fill is not None:
        fill_value = _fill_array(fill, work.shape[-3], dt)
        if mode == "nearest":
            out = np.where(mask > 0.5, out, fill_value)
        else:
            out = out * mask + (1.0 - mask) * fill_value
    return _from_float(out, arr.dtype)


def _center_offset(center, w: int, h: int) -> list[float]:
    if center is None:
        return [0.0, 0.0]
    return [float(center[0]) - 0.5 * w, float(center[1]) - 0.5 * h]


def rotate(img, angle: float, interpolation=InterpolationMode.NEAREST, expand: bool = False,
           center=None, fill=None):
    """Rotate counter-clockwise by ``angle`` degrees about ``center`` ((x, y) in pixels,
    default the image center). ``expand`` grows the output to hold the whole rotated image;
    uncovered pixels get ``fill`` (zero when None). (..., C, H, W) -> same (or expanded)."""
    arr, kind = _unpack(img, "rotate")
    h, w = arr.shape[-2:]
    matrix = _inverse_affine_matrix(_center_offset(center, w, h), -float(angle), [0.0, 0.0],
                                    1.0, [0.0, 0.0])
    ow, oh = _affine_output_size(matrix, w, h) if expand else (w, h)
    return _pack(_warp_affine(arr, matrix, oh, ow, _mode(interpolation), fill), kind)


def affine(img, angle: float, translate, scale: float, shear,
           interpolation=InterpolationMode.NEAREST, fill=None, center=None):
    """Affine map keeping the center: rotation by ``angle`` degrees (clockwise, torchvision's
    convention for ``affine``), translation (tx, ty) in pixels, ``scale``, and ``shear`` in
    degrees (a number shears along x; (sx, sy) both axes). Same shape out."""
    arr, kind = _unpack(img, "affine")
    h, w = arr.shape[-2:]
    if scale <= 0:
        raise ValueError("affine: scale must be positive")
    if isinstance(shear, numbers.Number):
        shear = [float(shear), 0.0]
    shear = [float(s) for s in shear] + [0.0] * (2 - len(shear))
    matrix = _inverse_affine_matrix(_center_offset(center, w, h), float(angle),
                                    [float(t) for t in translate], float(scale), shear)
    return _pack(_warp_affine(arr, matrix, h, w, _mode(interpolation), fill), kind)


# ---------------------------------------------------------------------------------------------
# Color.

_GRAY_WEIGHTS = (0.299, 0.587, 0.114)  # ITU-R 601-2 luma, as PIL's convert("L")


def _check_channels(arr, name: str) -> int:
    c = arr.shape[-3]
    if c not in (1, 3):
        raise TypeError(f"{name}: expected an image with 1 or 3 channels, got {c}")
    return c


def _gray(work: np.ndarray) -> np.ndarray:
    """Luma (..., 1, H, W) of a float (..., 3, H, W) image."""
    r, g, b = _GRAY_WEIGHTS
    return (r * work[..., 0:1, :, :] + g * work[..., 1:2, :, :]
            + b * work[..., 2:3, :, :]).astype(work.dtype, copy=False)


def rgb_to_grayscale(img, num_output_channels: int = 1):
    """Luma L = 0.299 R + 0.587 G + 0.114 B, repeated to ``num_output_channels`` (1 or 3).
    An (H, W, 3) array gives (H, W) for one channel, like a PIL "L" image."""
    if num_output_channels not in (1, 3):
        raise ValueError("num_output_channels should be either 1 or 3")
    arr, kind = _unpack(img, "rgb_to_grayscale")
    if _check_channels(arr, "rgb_to_grayscale") == 3:
        arr = _from_float(_gray(_to_float(arr)), arr.dtype)
    if num_output_channels == 3:
        arr = np.repeat(arr, 3, axis=-3)
    elif kind == "hwc":
        kind = "hw"
    return _pack(arr, kind)


def _blend(img1, img2, ratio: float, bound: float) -> np.ndarray:
    return np.clip(ratio * img1 + (1.0 - ratio) * img2, 0.0, bound)


def _check_factor(value: float, name: str) -> float:
    if value < 0:
        raise ValueError(f"{name} ({value}) is not non-negative.")
    return float(value)


def adjust_brightness(img, brightness_factor: float):
    """Multiply by ``brightness_factor`` (0 gives black, 1 the original), clamped to range."""
    f = _check_factor(brightness_factor, "brightness_factor")
    arr, kind = _unpack(img, "adjust_brightness")
    _check_channels(arr, "adjust_brightness")
    out = _blend(_to_float(arr), 0.0, f, _max_value(arr.dtype))
    return _pack(_from_float(out, arr.dtype), kind)


def adjust_contrast(img, contrast_factor: float):
    """Blend with the mean gray level: 0 gives a uniform gray image, 1 the original."""
    f = _check_factor(contrast_factor, "contrast_factor")
    arr, kind = _unpack(img, "adjust_contrast")
    c = _check_channels(arr, "adjust_contrast")
    work = _to_float(arr)
    gray = _gray(work) if c == 3 else work
    mean = gray.mean(axis=(-3, -2, -1), keepdims=True)
    return _pack(_from_float(_blend(work, mean, f, _max_value(arr.dtype)), arr.dtype), kind)


def adjust_saturation(img, saturation_factor: float):
    """Blend with the grayscale image: 0 gives gray, 1 the original, 2 doubles saturation."""
    f = _check_factor(saturation_factor, "saturation_factor")
    arr, kind = _unpack(img, "adjust_saturation")
    if _check_channels(arr, "adjust_saturation") == 1:
        return _pack(arr.copy(), kind)
    work = _to_float(arr)
    return _pack(_from_float(_blend(work, _gray(work), f, _max_value(arr.dtype)), arr.dtype),
                 kind)


def _rgb_to_hsv(rgb: np.ndarray):
    """Hue in [0, 1), saturation and value of a float (..., 3, H, W) image in [0, 1]."""
    r, g, b = rgb[..., 0, :, :], rgb[..., 1, :, :], rgb[..., 2, :, :]
    maxc = np.maximum(np.maximum(r, g), b)
    delta = maxc - np.minimum(np.minimum(r, g), b)
    s = delta / np.where(maxc > 0, maxc, 1)
    safe = np.where(delta > 0, delta, 1)
    rc, gc, bc = (maxc - r) / safe, (maxc - g) / safe, (maxc - b) / safe
    h = np.where(maxc == r, bc - gc, np.where(maxc == g, 2.0 + rc - bc, 4.0 + gc - rc))
    h = np.where(h < 0, h + 6.0, h) / 6.0  # bc - gc may be negative: wrap into [0, 1)
    return np.where(delta > 0, h, 0.0).astype(rgb.dtype, copy=False), s, maxc


def _hsv_to_rgb(h, s, v) -> np.ndarray:
    """Inverse of ``_rgb_to_hsv``: channel n (5, 3, 1 for R, G, B) is
    ``v - v * s * clip(min(k, 4 - k), 0, 1)`` with ``k = (n + 6 h) mod 6``."""
    n = np.array([5.0, 3.0, 1.0], dtype=v.dtype).reshape(3, 1, 1)
    k = (n + 6.0 * h[..., None, :, :]) % 6.0
    ramp = np.clip(np.minimum(k, 4.0 - k), 0.0, 1.0)
    v, s = v[..., None, :, :], s[..., None, :, :]
    return v - v * s * ramp


def adjust_hue(img, hue_factor: float):
    """Rotate the hue by ``hue_factor`` turns, in [-0.5, 0.5] (HSV space)."""
    if not -0.5 <= hue_factor <= 0.5:
        raise ValueError(f"hue_factor ({hue_factor}) is not in [-0.5, 0.5].")
    arr, kind = _unpack(img, "adjust_hue")
    if _check_channels(arr, "adjust_hue") == 1:
        return _pack(arr.copy(), kind)
    bound = _max_value(arr.dtype)
    work = _to_float(arr) / bound
    h, s, v = _rgb_to_hsv(work)
    h = h + np.asarray(hue_factor, dtype=h.dtype)
    h -= np.floor(h)  # back into [0, 1)
    out = _hsv_to_rgb(h, s, v).astype(work.dtype, copy=False)
    return _pack(_from_float(out * bound, arr.dtype), kind)


# ---------------------------------------------------------------------------------------------
# Blur, erasing, dtypes.

def gaussian_kernel1d(kernel_size: int, sigma: float, dtype=np.float32) -> np.ndarray:
    """The normalized Gaussian on ``kernel_size`` points centered on the middle one."""
    half = (kernel_size - 1) * 0.5
    x = np.linspace(-half, half, kernel_size)
    pdf = np.exp(-0.5 * (x / sigma) ** 2)
    return (pdf / pdf.sum()).astype(dtype)


def gaussian_blur(img, kernel_size, sigma=None):
    """Separable Gaussian blur with reflect padding. ``kernel_size``: odd int or (kx, ky);
    ``sigma``: float or (sigma_x, sigma_y), default ``0.15 * k + 0.35`` per axis.
    Same shape out."""
    kx, ky = (kernel_size, kernel_size) if isinstance(kernel_size, numbers.Integral) else \
        tuple(int(k) for k in kernel_size)
    for k in (kx, ky):
        if k <= 0 or k % 2 == 0:
            raise ValueError(f"kernel_size should have odd and positive integers, got "
                             f"{kernel_size}")
    if sigma is None:
        sx, sy = (k * 0.15 + 0.35 for k in (kx, ky))
    elif isinstance(sigma, numbers.Number):
        sx = sy = float(sigma)
    else:
        sx, sy = (float(sigma[0]), float(sigma[-1]))
    if sx <= 0 or sy <= 0:
        raise ValueError(f"sigma should have positive values, got {sigma}")
    arr, kind = _unpack(img, "gaussian_blur")
    work = _to_float(arr)
    h, w = work.shape[-2:]
    padded = _pad_array(work, (kx // 2, ky // 2, kx // 2, ky // 2), padding_mode="reflect")
    # Two 1-D passes; the loop runs over the kernel taps, each a whole-image operation.
    rows = np.zeros(padded.shape[:-1] + (w,), work.dtype)
    for k, weight in enumerate(gaussian_kernel1d(kx, sx, work.dtype)):
        rows += weight * padded[..., k:k + w]
    out = np.zeros(work.shape, work.dtype)
    for k, weight in enumerate(gaussian_kernel1d(ky, sy, work.dtype)):
        out += weight * rows[..., k:k + h, :]
    return _pack(_from_float(out, arr.dtype), kind)


def erase(img: Tensor, i: int, j: int, h: int, w: int, v, inplace: bool = False) -> Tensor:
    """Set the (h, w) window at (i, j) of a (..., C, H, W) tensor to ``v`` (a number or an
    array broadcasting to (C, h, w))."""
    if not isinstance(img, Tensor):
        raise TypeError(f"erase: img should be a Tensor, got {type(img).__name__}")
    data = img.data if inplace else img.data.copy()
    data[..., i:i + h, j:j + w] = np.asarray(v.data if isinstance(v, Tensor) else v)
    return img if inplace else Tensor._make(data)


def convert_image_dtype(image: Tensor, dtype=None) -> Tensor:
    """Convert dtype and rescale values: floats span [0, 1], integers [0, max of the type]
    (float -> int multiplies by ``max + 1 - 0.001`` and truncates, as torchvision)."""
    from .. import _dtype

    if not isinstance(image, Tensor):
        raise TypeError(f"convert_image_dtype: input should be a Tensor, got "
                        f"{type(image).__name__}")
    src_d, dst_d = image.dtype, _dtype.to_dtype(_dtype.float32 if dtype is None else dtype)
    if src_d is dst_d:
        return image
    arr, target = image.data, dst_d.np_dtype
    if src_d.is_floating_point and dst_d.is_floating_point:
        out = arr.astype(target)
    elif src_d.is_floating_point:
        if (src_d.name, dst_d.name) in (("float32", "int32"), ("float32", "int64"),
                                        ("float64", "int64")):
            raise RuntimeError(f"The cast from {src_d} to {dst_d} cannot be performed safely.")
        out = (arr.astype(np.float64) * (_max_value(target) + 1.0 - 1e-3)).astype(target)
    elif dst_d.is_floating_point:
        out = (arr.astype(np.float64) / _max_value(arr.dtype)).astype(target)
    else:
        in_max, out_max = int(_max_value(arr.dtype)), int(_max_value(target))
        if in_max > out_max:
            out = (arr // ((in_max + 1) // (out_max + 1))).astype(target)
        else:
            out = arr.astype(target) * ((out_max + 1) // (in_max + 1))
    return Tensor._make(np.ascontiguousarray(out))


def to_tensor(pic) -> Tensor:
    """(H, W) or (H, W, C) image -> (C, H, W) tensor; uint8 becomes float32 in [0, 1], other
    dtypes keep their values and dtype."""
    if isinstance(pic, Tensor):
        raise TypeError("to_tensor: pic should be a PIL image or an ndarray, got a Tensor")
    arr = np.asarray(pic)
    if arr.ndim == 2:
        arr = arr[:, :, None]
    if arr.ndim != 3:
        raise TypeError(f"to_tensor: expected an (H, W) or (H, W, C) image, got shape "
                        f"{arr.shape}")
    if arr.dtype == np.bool_:
        arr = arr.astype(np.uint8) * 255
    if arr.dtype == np.uint8:
        out = arr.transpose(2, 0, 1).astype(np.float32)
        out /= 255.0
        return Tensor._make(out)
    return Tensor._make(np.ascontiguousarray(arr.transpose(2, 0, 1)))


def pil_to_tensor(pic) -> Tensor:
    """(H, W) or (H, W, C) image -> (C, H, W) tensor of the same dtype, values unchanged."""
    if isinstance(pic, Tensor):
        raise TypeError("pil_to_tensor: pic should be a PIL image or an ndarray, got a Tensor")
    arr = np.asarray(pic)
    if arr.ndim == 2:
        arr = arr[:, :, None]
    if arr.ndim != 3:
        raise TypeError(f"pil_to_tensor: expected an (H, W) or (H, W, C) image, got shape "
                        f"{arr.shape}")
    return Tensor._make(np.ascontiguousarray(arr.transpose(2, 0, 1)))
