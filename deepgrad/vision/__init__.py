"""Vision utilities: ``deepgrad.vision.transforms`` and the image datasets."""
from . import transforms  # noqa: F401
from ..datasets import MNIST, FashionMNIST  # noqa: F401
