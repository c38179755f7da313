"""Vision utilities: ``deepgrad.vision.transforms`` (torchvision-style image transforms, with
the operations in ``deepgrad.vision.functional``) and the image datasets."""
from . import functional, transforms  # noqa: F401
from ..datasets import CIFAR10, MNIST, DatasetFolder, FashionMNIST, ImageFolder  # noqa: F401
