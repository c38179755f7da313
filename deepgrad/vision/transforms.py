"""Image transforms with torchvision's names, arguments and semantics.

Images flowing through a pipeline are NumPy arrays (H, W) or (H, W, C), usually uint8 (PIL
images are read with ``np.asarray``), until ``ToTensor`` makes them float32 (C, H, W) tensors in
[0, 1]. Geometric and color transforms accept both layouts and return the layout they were
given; tensors may be (C, H, W) or batched (N, C, H, W) (one random draw for the whole batch;
``batch_random_crop`` and ``batch_random_hflip`` draw per sample). The operations themselves
live in ``deepgrad.vision.functional`` (``transforms.functional`` here too).

Randomness comes from deepgrad's generators: ``deepgrad.manual_seed(s)`` makes a pipeline
reproducible, and every random transform takes ``generator=`` for a private stream.

Example::

    >>> import numpy as np
    >>> import deepgrad as dg
    >>> from deepgrad.vision import transforms as T
    >>> train_tf = T.Compose([T.RandomCrop(32, padding=4), T.RandomHorizontalFlip(),
    ...                       T.ToTensor(), T.Normalize((0.5,) * 3, (0.25,) * 3)])
    >>> x = train_tf(np.zeros((32, 32, 3), np.uint8))
    >>> x.shape, x.dtype
    (deepgrad.Size([3, 32, 32]), deepgrad.float32)
"""
from __future__ import annotations

import math
import numbers
from collections.abc import Sequence

import numpy as np

from .._tensor import Tensor
from ..random import _resolve
from . import functional
from . import functional as F
from .functional import InterpolationMode

__all__ = ["Compose", "ToTensor", "PILToTensor", "ConvertImageDtype", "Normalize", "Resize",
           "CenterCrop", "Pad", "Lambda", "RandomApply", "RandomChoice", "RandomOrder",
           "RandomCrop", "RandomResizedCrop", "RandomHorizontalFlip", "RandomVerticalFlip",
           "RandomRotation", "RandomAffine", "ColorJitter", "GaussianBlur", "RandomErasing",
           "Grayscale", "RandomGrayscale", "InterpolationMode", "batch_random_crop",
           "batch_random_hflip", "functional"]


def _interp_name(interpolation) -> str:
    return InterpolationMode(interpolation).value


def _range(value, name: str, center: float = 1.0, bound=(0.0, math.inf),
           clip_first_on_zero: bool = True):
    """A number v -> [center - v, center + v]; a pair is checked against ``bound``. Returns
    None when the range is the no-op (center, center), as torchvision's ColorJitter."""
    if isinstance(value, numbers.Number):
        if value < 0:
            raise ValueError(f"If {name} is a single number, it must be non negative.")
        value = [center - float(value), center + float(value)]
        if clip_first_on_zero:
            value[0] = max(value[0], 0.0)
    elif isinstance(value, Sequence) and len(value) == 2:
        value = [float(value[0]), float(value[1])]
    else:
        raise TypeError(f"{name} should be a single number or a list/tuple with length 2.")
    if not bound[0] <= value[0] <= value[1] <= bound[1]:
        raise ValueError(f"{name} values should be between {bound}, but got {value}.")
    return None if value[0] == value[1] == center else tuple(value)


def _degrees(degrees, name: str) -> tuple[float, float]:
    if isinstance(degrees, numbers.Number):
        if degrees < 0:
            raise ValueError(f"If {name} is a single number, it must be positive.")
        return -float(degrees), float(degrees)
    if len(degrees) != 2:
        raise ValueError(f"If {name} is a sequence, it must be of len 2.")
    return float(degrees[0]), float(degrees[1])


class _Random:
    """Base of the random transforms: the generator they draw from."""

    def __init__(self, generator=None):
        self.generator = generator

    def _rng(self) -> np.random.Generator:
        return _resolve(self.generator)


# ---------------------------------------------------------------------------------------------
# Containers and conversions.

class Compose:
    """Apply transforms in order: ``Compose([ToTensor(), Normalize((0.5,), (0.5,))])``."""

    def __init__(self, transforms):
        self.transforms = list(transforms)

    def __call__(self, img):
        for t in self.transforms:
            img = t(img)
        return img

    def __repr__(self):
        body = "".join(f"\n    {t}" for t in self.transforms)
        return f"{type(self).__name__}({body}\n)"


class ToTensor:
    """(H, W) or (H, W, C) image -> (C, H, W) tensor; uint8 becomes float32 scaled to [0, 1]
    (other dtypes keep values and dtype).

        >>> ToTensor()(np.full((2, 2), 255, np.uint8)).tolist()
        [[[1.0, 1.0], [1.0, 1.0]]]
    """

    def __call__(self, pic) -> Tensor:
        return F.to_tensor(pic)

    def __repr__(self):
        return "ToTensor()"


class PILToTensor:
    """(H, W) or (H, W, C) image -> (C, H, W) tensor of the same dtype (uint8 stays uint8)."""

    def __call__(self, pic) -> Tensor:
        return F.pil_to_tensor(pic)

    def __repr__(self):
        return "PILToTensor()"


class ConvertImageDtype:
    """Tensor image -> ``dtype``, rescaling values: uint8 [0, 255] <-> float [0, 1].
    Shape is kept."""

    def __init__(self, dtype):
        self.dtype = dtype

    def __call__(self, image: Tensor) -> Tensor:
        return F.convert_image_dtype(image, self.dtype)

    def __repr__(self):
        return f"ConvertImageDtype(dtype={self.dtype})"


class Normalize:
    """``(x - mean) / std`` per channel of a float (C, H, W) or (N, C, H, W) tensor.

        >>> import deepgrad as dg
        >>> Normalize((0.5,), (0.5,))(dg.ones(1, 2, 2)).tolist()
        [[[1.0, 1.0], [1.0, 1.0]]]
    """

    def __init__(self, mean, std, inplace: bool = False):
        self.mean = tuple(float(m) for m in np.atleast_1d(mean))
        self.std = tuple(float(s) for s in np.atleast_1d(std))
        if any(s == 0 for s in self.std):
            raise ValueError("std evaluated to zero after conversion to float32, leading to "
                             "division by zero.")
        self.inplace = inplace

    def __call__(self, tensor: Tensor) -> Tensor:
        if not isinstance(tensor, Tensor) or not tensor.is_floating_point():
            raise TypeError("Normalize: input should be a float tensor")
        if tensor.ndim < 3:
            raise ValueError(f"Normalize: expected a tensor image (..., C, H, W), got shape "
                             f"{tuple(tensor.shape)}")
        dt = tensor.data.dtype
        mean = np.asarray(self.mean, dtype=dt).reshape(-1, 1, 1)
        std = np.asarray(self.std, dtype=dt).reshape(-1, 1, 1)
        if tensor.requires_grad:  # keep the graph: normalization inside a model
            return (tensor - Tensor._make(mean)) / Tensor._make(std)
        if self.inplace:
            tensor.data -= mean
            tensor.data /= std
            return tensor
        return Tensor._make((tensor.data - mean) / std)

    def __repr__(self):
        return f"Normalize(mean={self.mean}, std={self.std})"


class Lambda:
    """Wrap a function as a transform: ``Lambda(lambda x: x * 2)``."""

    def __init__(self, lambd):
        if not callable(lambd):
            raise TypeError(f"Argument lambd should be callable, got {type(lambd).__name__}")
        self.lambd = lambd

    def __call__(self, img):
        return self.lambd(img)

    def __repr__(self):
        return "Lambda()"


class RandomApply(_Random):
    """Apply the list of ``transforms`` (in order) with probability ``p``."""

    def __init__(self, transforms, p: float = 0.5, generator=None):
        super().__init__(generator)
        self.transforms = list(transforms)
        self.p = p

    def __call__(self, img):
        if self.p < self._rng().random():
            return img
        for t in self.transforms:
            img = t(img)
        return img

    def __repr__(self):
        body = "".join(f"\n    {t}" for t in self.transforms)
        return f"RandomApply(\n    p={self.p}{body}\n)"


class RandomChoice(_Random):
    """Apply one transform picked at random (weights ``p``, default uniform)."""

    def __init__(self, transforms, p=None, generator=None):
        super().__init__(generator)
        self.transforms = list(transforms)
        if p is not None and len(p) != len(self.transforms):
            raise ValueError(f"Length of p doesn't match the number of transforms: {len(p)} != "
                             f"{len(self.transforms)}")
        self.p = p

    def __call__(self, img):
        weights = None
        if self.p is not None:
            weights = np.asarray(self.p, dtype=np.float64)
            weights = weights / weights.sum()
        return self.transforms[int(self._rng().choice(len(self.transforms), p=weights))](img)

    def __repr__(self):
        return f"RandomChoice(transforms={self.transforms}, p={self.p})"


class RandomOrder(_Random):
    """Apply all ``transforms`` in a random order."""

    def __init__(self, transforms, generator=None):
        super().__init__(generator)
        self.transforms = list(transforms)

    def __call__(self, img):
        for i in self._rng().permutation(len(self.transforms)):
            img = self.transforms[i](img)
        return img

    def __repr__(self):
        return f"RandomOrder(transforms={self.transforms})"


# ---------------------------------------------------------------------------------------------
# Geometry.

class Resize:
    """Resize to ``size``: an int matches the shorter side (aspect ratio kept, the longer side
    ``int(size * long / short)``, capped by ``max_size``), (h, w) is exact. ``interpolation``
    nearest / nearest-exact / bilinear / bicubic as torch's ``interpolate``
    (align_corners=False); ``antialias`` low-pass filters when shrinking.
    (H, W, C) -> (h, w, C); (..., C, H, W) -> (..., C, h, w); dtype kept (integers rounded).

        >>> Resize(16)(np.zeros((32, 64, 3), np.uint8)).shape
        (16, 32, 3)
    """

    def __init__(self, size, interpolation=InterpolationMode.BILINEAR, max_size=None,
                 antialias: bool = True):
        if not isinstance(size, (numbers.Integral, Sequence)) or \
                (isinstance(size, Sequence) and len(size) not in (1, 2)):
            raise TypeError(f"Size should be int or sequence of length 1 or 2. Got {size}")
        self.size = size
        self.interpolation = InterpolationMode(interpolation)
        self.max_size = max_size
        self.antialias = antialias

    def __call__(self, img):
        return F.resize(img, self.size, self.interpolation, self.max_size, self.antialias)

    def __repr__(self):
        return (f"Resize(size={self.size}, interpolation={self.interpolation.value}, "
                f"max_size={self.max_size}, antialias={self.antialias})")


class CenterCrop:
    """Crop the central ``size`` (int or (h, w)) window, zero-padding smaller images.

        >>> CenterCrop(2)(np.arange(16).reshape(4, 4)).tolist()
        [[5, 6], [9, 10]]
    """

    def __init__(self, size):
        self.size = F._size_pair(size, "CenterCrop")

    def __call__(self, img):
        return F.center_crop(img, self.size)

    def __repr__(self):
        return f"CenterCrop(size={self.size})"


class Pad:
    """Pad the borders. ``padding``: int, (left/right, top/bottom) or (left, top, right,
    bottom); ``padding_mode``: constant (value ``fill``, a number or per-channel tuple), edge,
    reflect or symmetric. (H, W, C) -> (H + t + b, W + l + r, C)."""

    def __init__(self, padding, fill=0, padding_mode: str = "constant"):
        F._parse_padding(padding)  # validate now
        if padding_mode not in ("constant", "edge", "reflect", "symmetric"):
            raise ValueError("Padding mode should be either constant, edge, reflect or "
                             "symmetric")
        self.padding, self.fill, self.padding_mode = padding, fill, padding_mode

    def __call__(self, img):
        return F.pad(img, self.padding, self.fill, self.padding_mode)

    def __repr__(self):
        return (f"Pad(padding={self.padding}, fill={self.fill}, "
                f"padding_mode={self.padding_mode})")


class RandomCrop(_Random):
    """Crop a random ``size`` window, after optional ``padding`` (see ``Pad``);
    ``pad_if_needed`` pads images smaller than ``size``. (H, W, C) -> (h, w, C).

        >>> RandomCrop(28, padding=2)(np.zeros((28, 28), np.uint8)).shape
        (28, 28)
    """

    def __init__(self, size, padding=None, pad_if_needed: bool = False, fill=0,
                 padding_mode: str = "constant", generator=None):
        super().__init__(generator)
        self.size = F._size_pair(size, "RandomCrop")
        self.padding = padding
        self.pad_if_needed = pad_if_needed
        self.fill = fill
        self.padding_mode = padding_mode

    @staticmethod
    def get_params(img, output_size, generator=None) -> tuple[int, int, int, int]:
        """(top, left, height, width) of a random crop of ``output_size`` (h, w)."""
        _, h, w = F.get_dimensions(img)
        th, tw = output_size
        if h < th or w < tw:
            raise ValueError(f"Required crop size {(th, tw)} is larger than input image size "
                             f"{(h, w)}")
        if (h, w) == (th, tw):
            return 0, 0, h, w
        rng = _resolve(generator)
        return int(rng.integers(0, h - th + 1)), int(rng.integers(0, w - tw + 1)), th, tw

    def __call__(self, img):
        if self.padding is not None:
            img = F.pad(img, self.padding, self.fill, self.padding_mode)
        _, h, w = F.get_dimensions(img)
        th, tw = self.size
        if self.pad_if_needed and w < tw:
            img = F.pad(img, [tw - w, 0], self.fill, self.padding_mode)
        if self.pad_if_needed and h < th:
            img = F.pad(img, [0, th - h], self.fill, self.padding_mode)
        i, j, h, w = self.get_params(img, self.size, self.generator)
        return F.crop(img, i, j, h, w)

    def __repr__(self):
        return f"RandomCrop(size={self.size}, padding={self.padding})"


class RandomResizedCrop(_Random):
    """Crop a random window covering a ``scale`` fraction of the area with aspect ratio in
    ``ratio`` (log-uniform), then resize it to ``size``. (H, W, C) -> (h, w, C)."""

    def __init__(self, size, scale=(0.08, 1.0), ratio=(3.0 / 4.0, 4.0 / 3.0),
                 interpolation=InterpolationMode.BILINEAR, antialias: bool = True,
                 generator=None):
        super().__init__(generator)
        self.size = F._size_pair(size, "RandomResizedCrop")
        if scale[0] > scale[1] or ratio[0] > ratio[1]:
            raise ValueError("Scale and ratio should be of kind (min, max)")
        self.scale, self.ratio = tuple(scale), tuple(ratio)
        self.interpolation = InterpolationMode(interpolation)
        self.antialias = antialias

    @staticmethod
    def get_params(img, scale, ratio, generator=None) -> tuple[int, int, int, int]:
        """(top, left, height, width): ten tries at a random window, else a central crop with
        the ratio clamped into ``ratio``."""
        _, height, width = F.get_dimensions(img)
        area = height * width
        rng = _resolve(generator)
        log_ratio = (math.log(ratio[0]), math.log(ratio[1]))
        for _ in range(10):
            target_area = area * rng.uniform(scale[0], scale[1])
            aspect = math.exp(rng.uniform(log_ratio[0], log_ratio[1]))
            w = int(round(math.sqrt(target_area * aspect)))
            h = int(round(math.sqrt(target_area / aspect)))
            if 0 < w <= width and 0 < h <= height:
                i = int(rng.integers(0, height - h + 1))
                j = int(rng.integers(0, width - w + 1))
                return i, j, h, w
        in_ratio = width / height
        if in_ratio < min(ratio):
            w, h = width, int(round(width / min(ratio)))
        elif in_ratio > max(ratio):
            h, w = height, int(round(height * max(ratio)))
        else:
            w, h = width, height
        return (height - h) // 2, (width - w) // 2, h, w

    def __call__(self, img):
        i, j, h, w = self.get_params(img, self.scale, self.ratio, self.generator)
        return F.resized_crop(img, i, j, h, w, self.size, self.interpolation, self.antialias)

    def __repr__(self):
        scale = tuple(round(s, 4) for s in self.scale)
        ratio = tuple(round(r, 4) for r in self.ratio)
        return (f"RandomResizedCrop(size={self.size}, scale={scale}, ratio={ratio}, "
                f"interpolation={self.interpolation.value}, antialias={self.antialias})")


class RandomHorizontalFlip(_Random):
    """Mirror left-right with probability ``p``. Shape and dtype kept."""

    def __init__(self, p: float = 0.5, generator=None):
        super().__init__(generator)
        self.p = p

    def __call__(self, img):
        return F.hflip(img) if self._rng().random() < self.p else img

    def __repr__(self):
        return f"RandomHorizontalFlip(p={self.p})"


class RandomVerticalFlip(_Random):
    """Mirror top-bottom with probability ``p``. Shape and dtype kept."""

    def __init__(self, p: float = 0.5, generator=None):
        super().__init__(generator)
        self.p = p

    def __call__(self, img):
        return F.vflip(img) if self._rng().random() < self.p else img

    def __repr__(self):
        return f"RandomVerticalFlip(p={self.p})"


class RandomRotation(_Random):
    """Rotate counter-clockwise by an angle drawn uniformly from ``degrees`` ((min, max), or
    d for (-d, d)) about ``center`` (default the image center); ``expand`` enlarges the output
    to fit, uncovered pixels get ``fill``. Nearest or bilinear sampling. Shape kept unless
    ``expand``."""

    def __init__(self, degrees, interpolation=InterpolationMode.NEAREST, expand: bool = False,
                 center=None, fill=0, generator=None):
        super().__init__(generator)
        self.degrees = _degrees(degrees, "degrees")
        self.interpolation = InterpolationMode(interpolation)
        self.expand, self.center, self.fill = expand, center, fill

    @staticmethod
    def get_params(degrees, generator=None) -> float:
        return float(_resolve(generator).uniform(degrees[0], degrees[1]))

    def __call__(self, img):
        angle = self.get_params(self.degrees, self.generator)
        return F.rotate(img, angle, self.interpolation, self.expand, self.center, self.fill)

    def __repr__(self):
        return (f"RandomRotation(degrees={self.degrees}, interpolation="
                f"{self.interpolation.value}, expand={self.expand}, center={self.center}, "
                f"fill={self.fill})")


class RandomAffine(_Random):
    """Random affine map keeping the center: angle uniform in ``degrees``; translation up to
    ``translate`` = (fx, fy) fractions of width/height; ``scale`` = (min, max); ``shear``: a
    number s (x-shear in (-s, s)), (min, max) for x, or (xmin, xmax, ymin, ymax). Uncovered
    pixels get ``fill``. Shape and dtype kept."""

    def __init__(self, degrees, translate=None, scale=None, shear=None,
                 interpolation=InterpolationMode.NEAREST, fill=0, center=None, generator=None):
        super().__init__(generator)
        self.degrees = _degrees(degrees, "degrees")
        if translate is not None and not all(0.0 <= t <= 1.0 for t in translate):
            raise ValueError("translation values should be between 0 and 1")
        if scale is not None and any(s <= 0 for s in scale):
            raise ValueError("scale values should be positive")
        if shear is not None:
            if isinstance(shear, numbers.Number):
                shear = _degrees(shear, "shear")
            elif len(shear) not in (2, 4):
                raise ValueError("shear should be a number or a sequence of 2 or 4 numbers")
            shear = tuple(float(s) for s in shear)
        self.translate, self.scale, self.shear = translate, scale, shear
        self.interpolation = InterpolationMode(interpolation)
        self.fill, self.center = fill, center

    @staticmethod
    def get_params(degrees, translate, scale_ranges, shears, img_size, generator=None):
        """(angle, (tx, ty), scale, (shear_x, shear_y)) for an image of ``img_size`` =
        (width, height)."""
        rng = _resolve(generator)
        angle = float(rng.uniform(degrees[0], degrees[1]))
        if translate is not None:
            max_dx, max_dy = translate[0] * img_size[0], translate[1] * img_size[1]
            tx = int(round(rng.uniform(-max_dx, max_dx)))
            ty = int(round(rng.uniform(-max_dy, max_dy)))
            translations = (tx, ty)
        else:
            translations = (0, 0)
        scale = 1.0 if scale_ranges is None else float(rng.uniform(*scale_ranges))
        shear_x = shear_y = 0.0
        if shears is not None:
            shear_x = float(rng.uniform(shears[0], shears[1]))
            if len(shears) == 4:
                shear_y = float(rng.uniform(shears[2], shears[3]))
        return angle, translations, scale, (shear_x, shear_y)

    def __call__(self, img):
        _, h, w = F.get_dimensions(img)
        angle, translations, scale, shear = self.get_params(
            self.degrees, self.translate, self.scale, self.shear, (w, h), self.generator)
        return F.affine(img, angle, translations, scale, shear, self.interpolation, self.fill,
                        self.center)

    def __repr__(self):
        return (f"RandomAffine(degrees={self.degrees}, translate={self.translate}, "
                f"scale={self.scale}, shear={self.shear}, "
                f"interpolation={self.interpolation.value}, fill={self.fill})")


# ---------------------------------------------------------------------------------------------
# Color and blur.

class ColorJitter(_Random):
    """Randomly change brightness, contrast, saturation and hue, in a random order. Each of
    brightness/contrast/saturation is a number v (factor uniform in [max(0, 1 - v), 1 + v]) or
    (min, max); ``hue`` is h in [0, 0.5] (shift uniform in [-h, h]) or (min, max) within
    [-0.5, 0.5]. 1- or 3-channel images; shape and dtype kept."""

    def __init__(self, brightness=0, contrast=0, saturation=0, hue=0, generator=None):
        super().__init__(generator)
        self.brightness = _range(brightness, "brightness")
        self.contrast = _range(contrast, "contrast")
        self.saturation = _range(saturation, "saturation")
        self.hue = _range(hue, "hue", center=0.0, bound=(-0.5, 0.5), clip_first_on_zero=False)

    @staticmethod
    def get_params(brightness, contrast, saturation, hue, generator=None):
        """(order of the four adjustments, brightness, contrast, saturation and hue factors;
        None for those switched off)."""
        rng = _resolve(generator)
        order = rng.permutation(4)
        factors = [None if r is None else float(rng.uniform(r[0], r[1]))
                   for r in (brightness, contrast, saturation, hue)]
        return (order, *factors)

    def __call__(self, img):
        order, *factors = self.get_params(self.brightness, self.contrast, self.saturation,
                                          self.hue, self.generator)
        adjust = (F.adjust_brightness, F.adjust_contrast, F.adjust_saturation, F.adjust_hue)
        for k in order:
            if factors[k] is not None:
                img = adjust[k](img, factors[k])
        return img

    def __repr__(self):
        return (f"ColorJitter(brightness={self.brightness}, contrast={self.contrast}, "
                f"saturation={self.saturation}, hue={self.hue})")


class GaussianBlur(_Random):
    """Gaussian blur with an odd ``kernel_size`` (int or (kx, ky)) and a standard deviation
    drawn uniformly from ``sigma`` = (min, max) (a number fixes it); reflect padding.
    Shape and dtype kept."""

    def __init__(self, kernel_size, sigma=(0.1, 2.0), generator=None):
        super().__init__(generator)
        ks = F._size_pair(kernel_size, "GaussianBlur")
        if any(k <= 0 or k % 2 == 0 for k in ks):
            raise ValueError("Kernel size value should be an odd and positive number.")
        self.kernel_size = ks
        if isinstance(sigma, numbers.Number):
            if sigma <= 0:
                raise ValueError("If sigma is a single number, it must be positive.")
            sigma = (float(sigma), float(sigma))
        elif not (len(sigma) == 2 and 0.0 < sigma[0] <= sigma[1]):
            raise ValueError("sigma values should be positive and of the form (min, max).")
        self.sigma = tuple(float(s) for s in sigma)

    @staticmethod
    def get_params(sigma_min: float, sigma_max: float, generator=None) -> float:
        return float(_resolve(generator).uniform(sigma_min, sigma_max))

    def __call__(self, img):
        sigma = self.get_params(self.sigma[0], self.sigma[1], self.generator)
        return F.gaussian_blur(img, self.kernel_size, (sigma, sigma))

    def __repr__(self):
        return f"GaussianBlur(kernel_size={self.kernel_size}, sigma={self.sigma})"


class Grayscale:
    """RGB -> luma 0.299 R + 0.587 G + 0.114 B (ITU-R 601-2), with ``num_output_channels``
    (1 or 3) channels. (H, W, 3) -> (H, W) or (H, W, 3); (..., 3, H, W) -> (..., 1 or 3, H,
    W)."""

    def __init__(self, num_output_channels: int = 1):
        self.num_output_channels = num_output_channels

    def __call__(self, img):
        return F.rgb_to_grayscale(img, self.num_output_channels)

    def __repr__(self):
        return f"Grayscale(num_output_channels={self.num_output_channels})"


class RandomGrayscale(_Random):
    """With probability ``p`` turn the image gray, keeping its number of channels."""

    def __init__(self, p: float = 0.1, generator=None):
        super().__init__(generator)
        self.p = p

    def __call__(self, img):
        if self._rng().random() < self.p:
            channels = F.get_dimensions(img)[0]
            out = F.rgb_to_grayscale(img, channels)
            if channels == 1 and not isinstance(img, Tensor):
                out = out.reshape(np.shape(img))  # keep (H, W) vs (H, W, 1)
            return out
        return img

    def __repr__(self):
        return f"RandomGrayscale(p={self.p})"


class RandomErasing(_Random):
    """With probability ``p`` erase a random rectangle of a tensor image (C, H, W) or
    (N, C, H, W): area fraction in ``scale``, aspect ratio in ``ratio`` (log-uniform), filled
    with ``value`` (a number, one number per channel, or ``"random"`` for standard normal
    noise). Shape and dtype kept."""

    def __init__(self, p: float = 0.5, scale=(0.02, 0.33), ratio=(0.3, 3.3), value=0,
                 inplace: bool = False, generator=None):
        super().__init__(generator)
        if not isinstance(value, (numbers.Number, str, tuple, list)):
            raise TypeError("Argument value should be either a number or str or a sequence")
        if isinstance(value, str) and value != "random":
            raise ValueError("If value is str, it should be 'random'")
        if scale[0] > scale[1] or ratio[0] > ratio[1]:
            raise ValueError("Scale and ratio should be of kind (min, max)")
        if scale[0] < 0 or scale[1] > 1:
            raise ValueError("Scale should be between 0 and 1")
        if not 0 <= p <= 1:
            raise ValueError("Random erasing probability should be between 0 and 1")
        self.p, self.scale, self.ratio = p, tuple(scale), tuple(ratio)
        self.value, self.inplace = value, inplace

    @staticmethod
    def get_params(img: Tensor, scale, ratio, value=None, generator=None):
        """(i, j, h, w, v) of the rectangle and its content; the whole image and itself when
        ten tries find no rectangle that fits (nothing is erased)."""
        c, img_h, img_w = img.shape[-3:]
        area = img_h * img_w
        rng = _resolve(generator)
        log_ratio = (math.log(ratio[0]), math.log(ratio[1]))
        for _ in range(10):
            erase_area = area * rng.uniform(scale[0], scale[1])
            aspect = math.exp(rng.uniform(log_ratio[0], log_ratio[1]))
            h = int(round(math.sqrt(erase_area * aspect)))
            w = int(round(math.sqrt(erase_area / aspect)))
            if not (h < img_h and w < img_w):
                continue
            if value is None:
                v = rng.standard_normal((c, h, w), dtype=np.float32)
            else:
                v = np.asarray(value, dtype=np.float32)[:, None, None]
            i = int(rng.integers(0, img_h - h + 1))
            j = int(rng.integers(0, img_w - w + 1))
            return i, j, h, w, v
        return 0, 0, img_h, img_w, img

    def __call__(self, img: Tensor) -> Tensor:
        if not isinstance(img, Tensor):
            raise TypeError(f"RandomErasing: expected a Tensor image, got {type(img).__name__}"
                            " (apply it after ToTensor)")
        if self._rng().random() >= self.p:
            return img
        if isinstance(self.value, numbers.Number):
            value = [float(self.value)]
        elif isinstance(self.value, str):
            value = None
        else:
            value = [float(v) for v in self.value]
        channels = img.shape[-3]
        if value is not None and len(value) not in (1, channels):
            raise ValueError(f"If value is a sequence, it should have either a single value or "
                             f"{channels} (number of input channels)")
        i, j, h, w, v = self.get_params(img, self.scale, self.ratio, value, self.generator)
        if v is img:
            return img
        return F.erase(img, i, j, h, w, v, self.inplace)

    def __repr__(self):
        return (f"RandomErasing(p={self.p}, scale={self.scale}, ratio={self.ratio}, "
                f"value={self.value}, inplace={self.inplace})")


# ---------------------------------------------------------------------------------------------
# Whole-batch augmentation for training loops: one vectorized call, per-sample randomness.

def _batch_array(x, name: str) -> np.ndarray:
    arr = np.asarray(x.data) if isinstance(x, Tensor) else np.asarray(x)
    if arr.ndim != 4:
        raise ValueError(f"{name}: expected a batch (N, C, H, W), got shape {arr.shape}")
    return arr


def batch_random_crop(x, size, padding=0, generator=None, fill=0):
    """A random ``size`` crop of each image of the batch, after zero (``fill``) padding.

    ``x``: (N, C, H, W) tensor or array; ``size``: int or (h, w); ``padding``: as in ``Pad``.
    Returns (N, C, h, w) of the same type and dtype; every sample gets its own offset.

        >>> import deepgrad as dg
        >>> x = dg.zeros(8, 1, 28, 28)
        >>> batch_random_crop(x, 28, padding=2).shape
        deepgrad.Size([8, 1, 28, 28])
    """
    arr = _batch_array(x, "batch_random_crop")
    th, tw = F._size_pair(size, "batch_random_crop")
    ltrb = F._parse_padding(padding)
    if any(ltrb):
        arr = F._pad_array(arr, ltrb, fill)
    n, _, h, w = arr.shape
    if h < th or w < tw:
        raise ValueError(f"batch_random_crop: crop size {(th, tw)} is larger than the padded "
                         f"images {(h, w)}")
    rng = _resolve(generator)
    top = rng.integers(0, h - th + 1, size=n)
    left = rng.integers(0, w - tw + 1, size=n)
    windows = np.lib.stride_tricks.sliding_window_view(arr, (th, tw), axis=(2, 3))
    out = windows[np.arange(n), :, top, left]  # (N, C, th, tw), a fresh array
    return Tensor._make(out) if isinstance(x, Tensor) else out


def batch_random_hflip(x, p: float = 0.5, generator=None):
    """Mirror each image of an (N, C, H, W) batch left-right with probability ``p``,
    independently per sample. Returns a new batch of the same type, shape and dtype."""
    arr = _batch_array(x, "batch_random_hflip")
    flip = _resolve(generator).random(arr.shape[0]) < p
    out = arr.copy()
    out[flip] = arr[flip, :, :, ::-1]
    return Tensor._make(out) if isinstance(x, Tensor) else out
