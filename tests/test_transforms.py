"""vision.transforms: shapes and dtypes, seeding, values against independent NumPy computations
and against torch's interpolate / grid_sample / conv2d where torch has the same operation."""
from __future__ import annotations

import colorsys
import math

import numpy as np
import pytest
import torch

import deepgrad as dg
from deepgrad.vision import functional as F
from deepgrad.vision import transforms as T

RNG = np.random.default_rng(1234)
IMG = RNG.integers(0, 256, (20, 27, 3)).astype(np.uint8)  # (H, W, C) uint8, odd width
GRAY = RNG.integers(0, 256, (20, 27)).astype(np.uint8)
FLOAT = RNG.random((3, 19, 26)).astype(np.float32)  # (C, H, W)
BATCH = RNG.random((4, 3, 16, 16)).astype(np.float32)


def tensor(a) -> dg.Tensor:
    return dg.Tensor._make(np.array(a))


def arr(x) -> np.ndarray:
    return x.numpy() if isinstance(x, dg.Tensor) else np.asarray(x)


def torch_kernel1d(k: int, sigma: float) -> torch.Tensor:
    x = torch.linspace(-(k - 1) / 2, (k - 1) / 2, k)
    pdf = torch.exp(-0.5 * (x / sigma) ** 2)
    return pdf / pdf.sum()


def torch_warp(x: np.ndarray, inverse: np.ndarray, mode: str, fill: float) -> np.ndarray:
    """torchvision's warp with torch ops: ``inverse`` (2x3, pixel units, origin at the image
    center) turned into affine_grid's normalized theta, grid_sample on the image plus a ones
    channel, and the fill blended in with that mask."""
    n, c, h, w = x.shape
    m = inverse
    theta = torch.tensor([[m[0, 0], m[0, 1] * h / w, m[0, 2] * 2 / w],
                          [m[1, 0] * w / h, m[1, 1], m[1, 2] * 2 / h]], dtype=torch.float64)
    grid = torch.nn.functional.affine_grid(theta.expand(n, 2, 3), [n, c, h, w],
                                           align_corners=False)
    xm = torch.cat([torch.from_numpy(x).double(), torch.ones(n, 1, h, w, dtype=torch.float64)], 1)
    out = torch.nn.functional.grid_sample(xm, grid, mode=mode, padding_mode="zeros",
                                          align_corners=False)
    img, mask = out[:, :-1], out[:, -1:]
    if mode == "nearest":
        return torch.where(mask < 0.5, torch.full_like(img, fill), img).numpy()
    return (img * mask + (1 - mask) * fill).numpy()


# ---------------------------------------------------------------------------------------------
# Shapes, dtypes, layouts, seeding.

SAME_SHAPE = [
    lambda: T.RandomHorizontalFlip(0.7), lambda: T.RandomVerticalFlip(0.7),
    lambda: T.RandomRotation(25), lambda: T.RandomRotation(25, "bilinear", fill=7),
    lambda: T.RandomAffine(15, (0.1, 0.2), (0.8, 1.2), (-5, 5, -5, 5)),
    lambda: T.ColorJitter(0.4, 0.4, 0.4, 0.1), lambda: T.GaussianBlur(5, (0.5, 2.0)),
    lambda: T.RandomGrayscale(0.5), lambda: T.RandomCrop((20, 27), padding=3),
]


@pytest.mark.parametrize("make", SAME_SHAPE)
@pytest.mark.parametrize("image", [IMG, GRAY, tensor(FLOAT), tensor(BATCH),
                                   tensor(IMG.transpose(2, 0, 1))],
                         ids=["hwc-u8", "hw-u8", "chw-f32", "nchw-f32", "chw-u8"])
def test_shape_dtype_and_layout_kept(make, image):
    t = make()
    if isinstance(t, T.RandomCrop):
        _, h, w = F.get_dimensions(image)
        t = T.RandomCrop((h, w), padding=3)
    before = arr(image).copy()
    out = t(image)
    assert type(out) is type(image)
    assert arr(out).shape == arr(image).shape and arr(out).dtype == arr(image).dtype
    np.testing.assert_array_equal(arr(image), before)  # the input is never modified


@pytest.mark.parametrize("t, shape", [
    (T.Resize(10), (10, 13, 3)), (T.Resize((7, 30)), (7, 30, 3)), (T.Resize([8]), (8, 10, 3)),
    (T.Resize(10, max_size=12), (9, 12, 3)), (T.CenterCrop(6), (6, 6, 3)),
    (T.CenterCrop((30, 5)), (30, 5, 3)), (T.RandomCrop(8), (8, 8, 3)),
    (T.RandomCrop(30, pad_if_needed=True), (30, 30, 3)), (T.RandomResizedCrop(12), (12, 12, 3)),
    (T.RandomResizedCrop((5, 9)), (5, 9, 3)), (T.Pad(2), (24, 31, 3)),
    (T.Pad((1, 2)), (24, 29, 3)), (T.Pad((1, 2, 3, 4), padding_mode="symmetric"), (26, 31, 3)),
    (T.Grayscale(), (20, 27)), (T.Grayscale(3), (20, 27, 3)),
    (T.RandomRotation((30, 30), expand=True), (32, 35, 3)),
])
def test_output_shapes(t, shape):
    out = t(IMG)
    assert out.shape == shape and out.dtype == np.uint8
    chw = t(tensor(IMG.transpose(2, 0, 1)))
    assert tuple(chw.shape) == ((1,) + shape[:2] if len(shape) == 2 else
                                (shape[2],) + shape[:2])
    assert chw.dtype is dg.uint8


RANDOM = [
    lambda g: T.RandomCrop(12, padding=2, generator=g),
    lambda g: T.RandomResizedCrop(10, generator=g),
    lambda g: T.RandomHorizontalFlip(generator=g), lambda g: T.RandomVerticalFlip(generator=g),
    lambda g: T.RandomRotation(40, generator=g),
    lambda g: T.RandomAffine(20, (0.2, 0.2), (0.7, 1.3), 10, generator=g),
    lambda g: T.ColorJitter(0.5, 0.5, 0.5, 0.2, generator=g),
    lambda g: T.GaussianBlur(5, generator=g), lambda g: T.RandomGrayscale(0.5, generator=g),
    lambda g: T.RandomApply([T.Lambda(lambda x: 255 - x)], generator=g),
    lambda g: T.RandomChoice([T.Lambda(lambda x: x // 2), T.Lambda(lambda x: x // 3)],
                             generator=g),
    lambda g: T.RandomOrder([T.Lambda(lambda x: x // 2), T.Lambda(lambda x: x + 7)],
                            generator=g),
]


@pytest.mark.parametrize("make", RANDOM)
def test_seeding_reproduces_and_varies(make):
    t = make(None)

    def run(seed):
        dg.manual_seed(seed)
        return [t(IMG) for _ in range(3)]

    a, b = run(5), run(5)
    for x, y in zip(a, b):
        np.testing.assert_array_equal(x, y)
    outputs = [run(s) for s in range(6, 12)]
    assert any(not all(np.array_equal(x, y) for x, y in zip(a, o)) for o in outputs)
    # A private generator gives the same stream whatever the default generator does.
    t1, t2 = make(dg.Generator().manual_seed(3)), make(dg.Generator().manual_seed(3))
    dg.manual_seed(1)
    x = t1(IMG)
    dg.manual_seed(2)
    np.testing.assert_array_equal(x, t2(IMG))


def test_random_erasing_seeding():
    t = T.RandomErasing(p=1.0, value="random")
    x = tensor(FLOAT)
    dg.manual_seed(3)
    a = t(x).numpy()
    dg.manual_seed(3)
    np.testing.assert_array_equal(a, t(x).numpy())
    dg.manual_seed(4)
    assert not np.array_equal(a, t(x).numpy())


# ---------------------------------------------------------------------------------------------
# Conversions and normalization.

def test_to_tensor_and_pil_to_tensor():
    x = T.ToTensor()(IMG)
    assert x.dtype is dg.float32 and tuple(x.shape) == (3, 20, 27)
    np.testing.assert_allclose(x.numpy(), IMG.transpose(2, 0, 1) / 255.0, rtol=1e-6)
    assert tuple(T.ToTensor()(GRAY).shape) == (1, 20, 27)
    y = T.PILToTensor()(IMG)
    assert y.dtype is dg.uint8
    np.testing.assert_array_equal(y.numpy(), IMG.transpose(2, 0, 1))
    with pytest.raises(TypeError):
        T.ToTensor()(x)
    pil = pytest.importorskip("PIL.Image")
    np.testing.assert_array_equal(T.ToTensor()(pil.fromarray(IMG)).numpy(), x.numpy())


def test_convert_image_dtype():
    u8 = tensor(IMG.transpose(2, 0, 1))
    f = T.ConvertImageDtype(dg.float32)(u8)
    assert f.dtype is dg.float32
    np.testing.assert_allclose(f.numpy(), IMG.transpose(2, 0, 1) / 255.0, rtol=1e-6)
    back = T.ConvertImageDtype(dg.uint8)(f)
    np.testing.assert_array_equal(back.numpy(), IMG.transpose(2, 0, 1))  # round trip
    np.testing.assert_array_equal(T.ConvertImageDtype(dg.uint8)(tensor(FLOAT)).numpy(),
                                  (FLOAT.astype(np.float64) * 255.999).astype(np.uint8))
    i16 = T.ConvertImageDtype(dg.int16)(u8)
    np.testing.assert_array_equal(i16.numpy(), IMG.transpose(2, 0, 1).astype(np.int16) * 128)
    np.testing.assert_array_equal(T.ConvertImageDtype(dg.uint8)(i16).numpy(), u8.numpy())
    with pytest.raises(RuntimeError):
        T.ConvertImageDtype(dg.int64)(f)


def test_normalize_formula_and_batch():
    mean, std = (0.1, 0.5, 0.9), (0.2, 0.3, 0.4)
    out = T.Normalize(mean, std)(tensor(FLOAT)).numpy()
    ref = (FLOAT - np.array(mean, np.float32)[:, None, None]) / np.array(std,
                                                                         np.float32)[:, None,
                                                                                     None]
    np.testing.assert_allclose(out, ref, rtol=1e-6)
    batch = T.Normalize(mean, std)(tensor(BATCH)).numpy()
    np.testing.assert_allclose(batch[2], T.Normalize(mean, std)(tensor(BATCH[2])).numpy())
    with pytest.raises(TypeError):
        T.Normalize(mean, std)(tensor(IMG.transpose(2, 0, 1)))
    with pytest.raises(ValueError):
        T.Normalize(mean, (1, 0, 1))


# ---------------------------------------------------------------------------------------------
# Flips, crops, padding.

def test_flips_equal_np_flip():
    np.testing.assert_array_equal(T.RandomHorizontalFlip(1.0)(IMG), np.flip(IMG, 1))
    np.testing.assert_array_equal(T.RandomVerticalFlip(1.0)(IMG), np.flip(IMG, 0))
    np.testing.assert_array_equal(T.RandomHorizontalFlip(0.0)(IMG), IMG)
    np.testing.assert_array_equal(T.RandomHorizontalFlip(1.0)(tensor(BATCH)).numpy(),
                                  np.flip(BATCH, -1))
    np.testing.assert_array_equal(T.RandomVerticalFlip(1.0)(tensor(FLOAT)).numpy(),
                                  np.flip(FLOAT, -2))


def test_center_crop_equals_slicing():
    np.testing.assert_array_equal(T.CenterCrop((10, 11))(IMG), IMG[5:15, 8:19])
    # Odd margins: Python's round, as torchvision (round(1.5) == 2).
    np.testing.assert_array_equal(T.CenterCrop((17, 24))(IMG), IMG[2:19, 2:26])
    np.testing.assert_array_equal(T.CenterCrop(7)(tensor(FLOAT)).numpy(), FLOAT[:, 6:13, 10:17])
    big = T.CenterCrop((24, 30))(IMG)  # larger than the image: zero padding around it
    np.testing.assert_array_equal(big[2:22, 1:28], IMG)
    assert big[:2].sum() == 0 and big[:, :1].sum() == 0 and big[:, 28:].sum() == 0


@pytest.mark.parametrize("mode, np_mode, torch_mode", [
    ("constant", "constant", "constant"), ("edge", "edge", "replicate"),
    ("reflect", "reflect", "reflect"), ("symmetric", "symmetric", None)])
def test_pad_modes(mode, np_mode, torch_mode):
    ltrb = (1, 2, 3, 4)
    out = T.Pad(ltrb, padding_mode=mode)(IMG)
    np.testing.assert_array_equal(out, np.pad(IMG, ((2, 4), (1, 3), (0, 0)), mode=np_mode))
    if torch_mode is not None:
        # torch orders the pads (left, right, top, bottom)
        ref = torch.nn.functional.pad(torch.from_numpy(FLOAT)[None], (1, 3, 2, 4),
                                      mode=torch_mode)[0]
        np.testing.assert_array_equal(T.Pad(ltrb, padding_mode=mode)(tensor(FLOAT)).numpy(),
                                      ref.numpy())


def test_pad_fill_and_negative_padding():
    out = T.Pad(2, fill=(10, 20, 30))(IMG)
    assert (out[0, 0] == [10, 20, 30]).all() and (out[-1, -1] == [10, 20, 30]).all()
    np.testing.assert_array_equal(out[2:-2, 2:-2], IMG)
    np.testing.assert_array_equal(F.pad(IMG, (-1, -2, 0, 1)), np.pad(IMG[2:, 1:],
                                                                     ((0, 1), (0, 0), (0, 0))))


def _is_window(small: np.ndarray, big: np.ndarray) -> bool:
    h, w = small.shape[-2:]
    return any(np.array_equal(big[..., i:i + h, j:j + w], small)
               for i in range(big.shape[-2] - h + 1) for j in range(big.shape[-1] - w + 1))


def test_random_crop_is_a_window_of_the_padded_image():
    x = tensor(FLOAT)
    padded = np.pad(FLOAT, ((0, 0), (3, 3), (3, 3)))
    for _ in range(5):
        assert _is_window(T.RandomCrop(15, padding=3)(x).numpy(), padded)
    out = T.RandomCrop((22, 30), pad_if_needed=True, fill=9)(IMG)  # pads 3 left/right, 2 t/b
    assert out.shape == (22, 30, 3)
    assert _is_window(out.transpose(2, 0, 1), np.pad(IMG, ((2, 2), (3, 3), (0, 0)),
                                                      constant_values=9).transpose(2, 0, 1))
    with pytest.raises(ValueError):
        T.RandomCrop(30)(IMG)


def test_random_resized_crop_matches_its_params():
    t = T.RandomResizedCrop(11, scale=(0.2, 0.6), ratio=(0.5, 2.0))
    for seed in range(5):
        g = dg.Generator().manual_seed(seed)
        i, j, h, w = T.RandomResizedCrop.get_params(IMG, t.scale, t.ratio, generator=g)
        assert 0.2 * 540 * 0.8 <= h * w <= 0.6 * 540 * 1.2 and 0 <= i <= 20 - h
        expected = F.resize(IMG[i:i + h, j:j + w], (11, 11))
        t.generator = dg.Generator().manual_seed(seed)
        np.testing.assert_array_equal(t(IMG), expected)
    whole = T.RandomResizedCrop((10, 13), scale=(1, 1), ratio=(27 / 20, 27 / 20))(IMG)
    np.testing.assert_array_equal(whole, T.Resize((10, 13))(IMG))


# ---------------------------------------------------------------------------------------------
# Resize.

@pytest.mark.parametrize("mode", ["bilinear", "bicubic", "nearest", "nearest-exact"])
def test_resize_constant_stays_constant(mode):
    img = np.full((13, 17, 3), 77, np.uint8)
    for size in [(40, 9), (5, 50), 6]:
        out = T.Resize(size, mode)(img)
        assert (out == 77).all()
    f = np.full((2, 9, 8), 0.3, np.float32)
    np.testing.assert_allclose(T.Resize((20, 3), mode)(tensor(f)).numpy(), 0.3, rtol=1e-6)


@pytest.mark.parametrize("size", [(40, 55), (7, 9), (19, 60), (38, 5)])
@pytest.mark.parametrize("mode", ["bilinear", "bicubic"])
@pytest.mark.parametrize("antialias", [False, True])
def test_resize_matches_torch_interpolate(size, mode, antialias):
    ours = T.Resize(size, mode, antialias=antialias)(tensor(BATCH.repeat(2, axis=-1)))
    ref = torch.nn.functional.interpolate(torch.from_numpy(BATCH.repeat(2, axis=-1)), size=size,
                                          mode=mode, align_corners=False, antialias=antialias)
    np.testing.assert_allclose(ours.numpy(), ref.numpy(), atol=1e-5)


@pytest.mark.parametrize("mode", ["nearest", "nearest-exact"])
def test_resize_nearest_matches_torch_exactly(mode):
    for size in [(40, 55), (7, 9), (33, 5)]:
        ours = T.Resize(size, mode)(tensor(FLOAT)).numpy()
        ref = torch.nn.functional.interpolate(torch.from_numpy(FLOAT)[None], size=size,
                                              mode=mode)[0].numpy()
        np.testing.assert_array_equal(ours, ref)


def test_resize_uint8_rounds_like_torch():
    x = IMG.transpose(2, 0, 1)
    ours = T.Resize((9, 40))(tensor(x)).numpy()
    ref = torch.nn.functional.interpolate(torch.from_numpy(x)[None].float(), size=(9, 40),
                                          mode="bilinear", antialias=True)[0]
    ref = ref.round().clamp(0, 255).numpy()
    assert np.abs(ours.astype(int) - ref.astype(int)).max() <= 1
    # The HWC array path gives the same pixels as the CHW tensor path.
    np.testing.assert_array_equal(T.Resize((9, 40))(IMG), ours.transpose(1, 2, 0))


# ---------------------------------------------------------------------------------------------
# Rotation and affine warps.

def test_rotation_and_affine_identity():
    for interp in ["nearest", "bilinear"]:
        np.testing.assert_array_equal(T.RandomRotation(0, interp)(IMG), IMG)
        np.testing.assert_array_equal(T.RandomRotation((0, 0), interp, fill=3)(tensor(FLOAT))
                                      .numpy(), FLOAT)
        np.testing.assert_array_equal(T.RandomAffine(0, interpolation=interp)(IMG), IMG)
        ident = T.RandomAffine(0, translate=(0, 0), scale=(1, 1), shear=0, interpolation=interp)
        np.testing.assert_array_equal(ident(tensor(BATCH)).numpy(), BATCH)


def test_rotate_90_equals_rot90():
    sq = IMG[:, :20]
    np.testing.assert_array_equal(T.RandomRotation((90, 90))(sq), np.rot90(sq))
    np.testing.assert_array_equal(T.RandomRotation((-90, -90))(sq), np.rot90(sq, -1))
    np.testing.assert_array_equal(T.RandomRotation((180, 180))(IMG), np.rot90(IMG, 2))
    even = IMG[:, :26]
    np.testing.assert_array_equal(T.RandomRotation((90, 90), expand=True)(even), np.rot90(even))


def test_rotate_expand_size_matches_pil():
    pil = pytest.importorskip("PIL.Image")
    for angle in (45, 30, -17, 123):
        w, h = pil.fromarray(IMG).rotate(angle, expand=True).size
        assert F.rotate(IMG, angle, expand=True).shape == (h, w, 3)


@pytest.mark.parametrize("angle", [17.0, -63.0, 145.0])
@pytest.mark.parametrize("mode", ["bilinear", "nearest"])
@pytest.mark.parametrize("center", [None, (3.0, 5.0)])
def test_rotate_matches_torch_grid_sample(angle, mode, center):
    x = BATCH[:, :, :, :13]
    h, w = x.shape[-2:]
    cx, cy = (0.0, 0.0) if center is None else (center[0] - w / 2, center[1] - h / 2)
    a = math.radians(angle)
    # Counter-clockwise on screen (y down): output pixel p reads input c + R (p - c) with
    # R = [[cos, -sin], [sin, cos]], coordinates relative to the image center.
    rot = np.array([[math.cos(a), -math.sin(a)], [math.sin(a), math.cos(a)]])
    c = np.array([cx, cy])
    inverse = np.concatenate([rot, (c - rot @ c)[:, None]], axis=1)
    ours = T.RandomRotation((angle, angle), mode, center=center, fill=0.25)(tensor(x))
    np.testing.assert_allclose(ours.numpy(), torch_warp(x, inverse, mode, 0.25), atol=1e-5)


@pytest.mark.parametrize("mode", ["bilinear", "nearest"])
def test_affine_matches_torch_grid_sample(mode):
    angle, (tx, ty), scale, (shx, shy) = 23.0, (2, -3), 1.3, (11.0, -7.0)
    # torchvision's definition: M = T * R(angle) * S(scale) * ShY(shy) * ShX(shx) about the
    # center; the warp samples the input at M^-1 applied to each output pixel.
    rad = np.radians
    rot = np.array([[np.cos(rad(angle)), -np.sin(rad(angle)), 0], [np.sin(rad(angle)),
                                                                   np.cos(rad(angle)), 0],
                    [0, 0, 1]])
    shear_x = np.array([[1, -np.tan(rad(shx)), 0], [0, 1, 0], [0, 0, 1]])
    shear_y = np.array([[1, 0, 0], [-np.tan(rad(shy)), 1, 0], [0, 0, 1]])
    forward = np.array([[1, 0, tx], [0, 1, ty], [0, 0, 1]]) @ rot @ np.diag(
        [scale, scale, 1]) @ shear_y @ shear_x
    inverse = np.linalg.inv(forward)[:2]
    x = BATCH[:, :, 1:, :]
    ours = F.affine(tensor(x), angle, (tx, ty), scale, (shx, shy), mode, fill=0.5)
    np.testing.assert_allclose(ours.numpy(), torch_warp(x, inverse, mode, 0.5), atol=1e-5)


def test_affine_integer_translation_shifts():
    out = F.affine(IMG, 0, (3, -2), 1.0, 0)  # right by 3, up by 2, zero fill
    ref = np.zeros_like(IMG)
    ref[:-2, 3:] = IMG[2:, :-3]
    np.testing.assert_array_equal(out, ref)


# ---------------------------------------------------------------------------------------------
# Color, blur, erasing.

def test_grayscale_itu_601_weights():
    gray = T.Grayscale()(tensor(FLOAT)).numpy()
    ref = 0.299 * FLOAT[0] + 0.587 * FLOAT[1] + 0.114 * FLOAT[2]
    np.testing.assert_allclose(gray[0], ref, rtol=1e-6)
    u8 = T.Grayscale(3)(IMG).astype(np.float64)
    ref8 = np.rint(IMG.astype(np.float64) @ [0.299, 0.587, 0.114])
    assert np.abs(u8[..., 0] - ref8).max() <= 1 and (u8[..., 0] == u8[..., 2]).all()
    assert T.Grayscale()(np.full((2, 2, 3), 255, np.uint8)).min() == 255
    out = T.RandomGrayscale(1.0)(IMG)
    assert out.shape == IMG.shape and (out[..., 0] == out[..., 1]).all()
    np.testing.assert_array_equal(T.RandomGrayscale(0.0)(IMG), IMG)


def test_color_jitter_zero_is_identity():
    t = T.ColorJitter(0, 0, 0, 0)
    np.testing.assert_array_equal(t(IMG), IMG)
    np.testing.assert_array_equal(t(tensor(FLOAT)).numpy(), FLOAT)


def test_color_adjustments_formulas():
    x = FLOAT.astype(np.float64)
    gray = 0.299 * x[0] + 0.587 * x[1] + 0.114 * x[2]
    out = T.ColorJitter(brightness=(1.4, 1.4))(tensor(FLOAT)).numpy()
    np.testing.assert_allclose(out, np.clip(1.4 * x, 0, 1), atol=1e-6)
    out = T.ColorJitter(contrast=(0.3, 0.3))(tensor(FLOAT)).numpy()
    np.testing.assert_allclose(out, 0.3 * x + 0.7 * gray.mean(), atol=1e-6)
    out = T.ColorJitter(saturation=(0, 0))(tensor(FLOAT)).numpy()
    np.testing.assert_allclose(out, np.broadcast_to(gray, x.shape), atol=1e-6)
    out8 = T.ColorJitter(brightness=(0.5, 0.5))(IMG)
    np.testing.assert_array_equal(out8, np.rint(IMG * np.float32(0.5)).astype(np.uint8))


def test_color_jitter_random_order():
    x = tensor(FLOAT)
    bright_first = F.adjust_contrast(F.adjust_brightness(x, 1.5), 0.5).numpy()
    contrast_first = F.adjust_brightness(F.adjust_contrast(x, 0.5), 1.5).numpy()
    assert not np.allclose(bright_first, contrast_first)
    t = T.ColorJitter(brightness=(1.5, 1.5), contrast=(0.5, 0.5))
    seen = set()
    for _ in range(20):
        out = t(x).numpy()
        seen.add("b" if np.array_equal(out, bright_first) else
                 "c" if np.array_equal(out, contrast_first) else "?")
    assert seen == {"b", "c"}


def test_hue_matches_colorsys():
    small = FLOAT[:, :5, :6]
    for shift in (0.2, -0.45):
        out = F.adjust_hue(tensor(small), shift).numpy()
        ref = np.empty_like(small)
        for i in range(small.shape[1]):
            for j in range(small.shape[2]):
                h, s, v = colorsys.rgb_to_hsv(*small[:, i, j])
                ref[:, i, j] = colorsys.hsv_to_rgb((h + shift) % 1.0, s, v)
        np.testing.assert_allclose(out, ref, atol=1e-5)
    np.testing.assert_allclose(F.adjust_hue(tensor(FLOAT), 0.0).numpy(), FLOAT, atol=1e-6)


def test_gaussian_blur_constant_and_kernel():
    for k, s in [(3, 0.5), (7, 2.0), (11, 0.1)]:
        kernel = F.gaussian_kernel1d(k, s)
        assert kernel.shape == (k,) and abs(kernel.sum() - 1) < 1e-6
        np.testing.assert_allclose(kernel, kernel[::-1])
    img = np.full((9, 12, 3), 123, np.uint8)
    np.testing.assert_array_equal(T.GaussianBlur(7, (0.3, 3.0))(img), img)


def test_gaussian_blur_matches_torch_conv2d():
    kx, ky, sx, sy = 5, 3, 1.3, 0.7
    ours = F.gaussian_blur(tensor(BATCH), (kx, ky), (sx, sy)).numpy()
    kernel = torch_kernel1d(ky, sy)[:, None] * torch_kernel1d(kx, sx)[None, :]  # (ky, kx)
    x = torch.nn.functional.pad(torch.from_numpy(BATCH), (kx // 2, kx // 2, ky // 2, ky // 2),
                                mode="reflect")
    ref = torch.nn.functional.conv2d(x, kernel.expand(3, 1, ky, kx), groups=3)
    np.testing.assert_allclose(ours, ref.numpy(), atol=1e-6)
    t = T.GaussianBlur(5, sigma=1.1)
    x8 = IMG.transpose(2, 0, 1)[None].astype(np.float32)
    ref8 = torch.nn.functional.conv2d(
        torch.nn.functional.pad(torch.from_numpy(x8), (2, 2, 2, 2), mode="reflect"),
        (torch_kernel1d(5, 1.1)[:, None] * torch_kernel1d(5, 1.1)).expand(3, 1, 5, 5), groups=3)
    np.testing.assert_array_equal(t(IMG), ref8[0].round().numpy().astype(np.uint8)
                                  .transpose(1, 2, 0))


def test_random_erasing_rectangle():
    x = tensor(FLOAT + 1.0)  # no zeros before erasing
    for seed in range(5):
        dg.manual_seed(seed)
        out = T.RandomErasing(p=1.0, scale=(0.1, 0.3), ratio=(0.5, 2.0))(x).numpy()
        zero = (out == 0).all(axis=0)
        rows, cols = np.nonzero(zero)
        h, w = np.ptp(rows) + 1, np.ptp(cols) + 1
        assert zero.sum() == h * w and 0.1 * 494 * 0.7 <= h * w <= 0.3 * 494 * 1.3
        np.testing.assert_array_equal(out[:, ~zero], FLOAT[:, ~zero] + 1.0)
    colored = T.RandomErasing(1.0, value=(1, 2, 3))(tensor(FLOAT)).numpy()
    assert {1.0, 2.0, 3.0} <= set(np.unique(colored).tolist())
    np.testing.assert_array_equal(T.RandomErasing(p=0.0)(x).numpy(), x.numpy())
    with pytest.raises(TypeError):
        T.RandomErasing()(IMG)


# ---------------------------------------------------------------------------------------------
# Containers and batch augmentation.

def test_random_apply_choice_order():
    neg = T.Lambda(lambda x: 255 - x)
    np.testing.assert_array_equal(T.RandomApply([neg], p=1.0)(IMG), 255 - IMG)
    np.testing.assert_array_equal(T.RandomApply([neg], p=0.0)(IMG), IMG)
    picks = {int(T.RandomChoice([T.Lambda(lambda x: 1), T.Lambda(lambda x: 2)])(None))
             for _ in range(20)}
    assert picks == {1, 2}
    assert T.RandomChoice([T.Lambda(lambda x: 1), T.Lambda(lambda x: 2)], p=[0, 1])(None) == 2
    orders = {T.RandomOrder([T.Lambda(lambda s: s + "a"), T.Lambda(lambda s: s + "b")])("")
              for _ in range(20)}
    assert orders == {"ab", "ba"}
    pipeline = T.Compose([T.RandomCrop(16), T.ToTensor(), T.Normalize((0.5,) * 3, (0.5,) * 3)])
    out = pipeline(IMG)
    assert tuple(out.shape) == (3, 16, 16) and out.dtype is dg.float32
    assert "RandomCrop" in repr(pipeline) and "Normalize" in repr(pipeline)


def test_batch_random_crop():
    x = tensor(BATCH)
    out = T.batch_random_crop(x, 16, padding=2)
    assert tuple(out.shape) == (4, 3, 16, 16) and out.dtype is dg.float32
    padded = np.pad(BATCH, ((0, 0), (0, 0), (2, 2), (2, 2)))
    for n in range(4):
        assert _is_window(out.numpy()[n], padded[n])
    # Pixel values that encode their position reveal each sample's offset.
    coded = np.broadcast_to(np.arange(16 * 16.0).reshape(16, 16), (64, 1, 16, 16))
    crops = T.batch_random_crop(coded, (12, 14))  # NumPy in, NumPy out
    assert isinstance(crops, np.ndarray) and crops.shape == (64, 1, 12, 14)
    tops, lefts = np.divmod(crops[:, 0, 0, 0].astype(int), 16)
    assert set(tops) == set(range(5)) and set(lefts) == set(range(3))
    np.testing.assert_array_equal(crops, np.stack([coded[n, :, t:t + 12, u:u + 14] for n, (t, u)
                                                   in enumerate(zip(tops, lefts))]))
    dg.manual_seed(7)
    a = T.batch_random_crop(x, 16, padding=4).numpy()
    dg.manual_seed(7)
    np.testing.assert_array_equal(a, T.batch_random_crop(x, 16, padding=4).numpy())
    with pytest.raises(ValueError):
        T.batch_random_crop(tensor(FLOAT), 8)


def test_batch_random_hflip():
    big = tensor(RNG.random((64, 2, 5, 7)).astype(np.float32))
    out = T.batch_random_hflip(big, generator=dg.Generator().manual_seed(1)).numpy()
    flipped = [np.array_equal(o, np.flip(b, -1)) for o, b in zip(out, big.numpy())]
    kept = [np.array_equal(o, b) for o, b in zip(out, big.numpy())]
    assert all(f or k for f, k in zip(flipped, kept)) and 10 < sum(flipped) < 54
    np.testing.assert_array_equal(T.batch_random_hflip(big, p=0.0).numpy(), big.numpy())
    np.testing.assert_array_equal(T.batch_random_hflip(big, p=1.0).numpy(),
                                  np.flip(big.numpy(), -1))


# ---------------------------------------------------------------------------------------------
# API surface.

def test_reprs_and_docstrings():
    for name in T.__all__:
        obj = getattr(T, name)
        if name in ("functional", "InterpolationMode"):
            continue
        assert obj.__doc__, name
    assert repr(T.RandomHorizontalFlip(0.3)) == "RandomHorizontalFlip(p=0.3)"
    assert repr(T.ColorJitter(brightness=0.4)).startswith("ColorJitter(brightness=(0.6, 1.4)")
    assert "antialias=True" in repr(T.Resize(8))
    assert "kernel_size=(3, 3)" in repr(T.GaussianBlur(3))


def test_argument_errors():
    with pytest.raises(ValueError):
        T.GaussianBlur(4)
    with pytest.raises(ValueError):
        T.ColorJitter(hue=0.6)
    with pytest.raises(ValueError):
        T.RandomRotation(-3)
    with pytest.raises(ValueError):
        T.Pad(1, padding_mode="wrap")
    with pytest.raises(ValueError):
        T.Resize(10, "lanczos")(IMG)
    with pytest.raises(TypeError):
        T.ColorJitter(0.5)(RNG.integers(0, 255, (5, 5, 2)).astype(np.uint8))
