"""Model zoo: LeNet-5, a VGG-style CNN, ResNets and U-Net."""
from .lenet import LeNet5
from .resnet import (BasicBlock, Bottleneck, ResNet, resnet18, resnet34, resnet50,
                     resnet_cifar)
from .simple_cnn import SimpleCNN
from .unet import UNet

__all__ = ["LeNet5", "SimpleCNN", "ResNet", "BasicBlock", "Bottleneck", "resnet18",
           "resnet34", "resnet50", "resnet_cifar", "UNet"]
