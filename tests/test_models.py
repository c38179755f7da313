"""Model zoo: architectures, parameter counts, torch equivalence and a bounded overfit run."""
from __future__ import annotations

import os

import numpy as np
import pytest

import deepgrad as dg
import deepgrad.nn.functional as F
from deepgrad import models

torch = pytest.importorskip("torch")


def _count(model):
    return sum(p.numel() for p in model.parameters())


@pytest.mark.parametrize("ctor,expected", [
    (lambda: models.resnet18(), 11_689_512),
    (lambda: models.resnet34(), 21_797_672),
    (lambda: models.resnet50(), 25_557_032),
    (lambda: models.LeNet5(), 61_706),
])
def test_parameter_counts_equal_reference_architectures(ctor, expected):
    assert _count(ctor()) == expected


def test_resnet18_output_shape_and_key_names():
    model = models.resnet18(num_classes=7)
    out = model(dg.randn(2, 3, 64, 64))
    assert out.shape == (2, 7)
    keys = list(model.state_dict())
    assert keys[:6] == ["conv1.weight", "bn1.weight", "bn1.bias", "bn1.running_mean",
                        "bn1.running_var", "bn1.num_batches_tracked"]
    assert "layer2.0.downsample.0.weight" in keys and keys[-2:] == ["fc.weight", "fc.bias"]


def _torch_basic_block(inplanes, planes, stride):
    nn = torch.nn

    class Block(nn.Module):
        def __init__(self):
            super().__init__()
            self.conv1 = nn.Conv2d(inplanes, planes, 3, stride, 1, bias=False)
            self.bn1 = nn.BatchNorm2d(planes)
            self.relu = nn.ReLU(inplace=True)
            self.conv2 = nn.Conv2d(planes, planes, 3, 1, 1, bias=False)
            self.bn2 = nn.BatchNorm2d(planes)
            self.downsample = nn.Sequential(nn.Conv2d(inplanes, planes, 1, stride, bias=False),
                                            nn.BatchNorm2d(planes))

        def forward(self, x):
            out = self.relu(self.bn1(self.conv1(x)))
            out = self.bn2(self.conv2(out))
            return self.relu(out + self.downsample(x))

    return Block()


def test_basic_block_matches_torch_forward_and_gradients():
    block = _torch_basic_block(4, 8, 2)
    down = dg.nn.Sequential(dg.nn.Conv2d(4, 8, 1, 2, bias=False), dg.nn.BatchNorm2d(8))
    ours = models.BasicBlock(4, 8, 2, downsample=down)
    ours.load_state_dict({k: v.detach().numpy() for k, v in block.state_dict().items()})
    x = np.random.default_rng(0).standard_normal((3, 4, 9, 9)).astype(np.float32)
    tx, dx = torch.tensor(x, requires_grad=True), dg.tensor(x, requires_grad=True)
    ty, dy = block(tx), ours(dx)
    np.testing.assert_allclose(dy.detach().numpy(), ty.detach().numpy(), atol=1e-4, rtol=1e-4)
    ty.square().sum().backward()
    dy.square().sum().backward()
    np.testing.assert_allclose(dx.grad.numpy(), tx.grad.numpy(), atol=1e-3, rtol=1e-3)
    for (name, tp), (_, dp) in zip(block.named_parameters(), ours.named_parameters()):
        np.testing.assert_allclose(dp.grad.numpy(), tp.grad.numpy(), atol=1e-3, rtol=1e-3,
                                   err_msg=name)


@pytest.mark.parametrize("bilinear", [True, False])
def test_unet_shapes_and_backward(bilinear):
    net = models.UNet(in_channels=2, num_classes=3, depth=2, base_channels=4, bilinear=bilinear)
    x = dg.randn(2, 2, 17, 22, requires_grad=True)
    out = net(x)
    assert out.shape == (2, 3, 17, 22)
    out.sum().backward()
    assert x.grad.shape == x.shape
    assert all(p.grad is not None for p in net.parameters())


def test_simple_cnn_and_resnet_cifar_shapes():
    assert models.SimpleCNN(num_classes=5, in_channels=3)(dg.randn(2, 3, 32, 32)).shape == (2, 5)
    assert models.resnet_cifar(num_classes=4, in_channels=1)(dg.randn(2, 1, 28, 28)).shape == (
        2, 4)
    with pytest.raises(ValueError):
        models.resnet_cifar(depth=21)


@pytest.mark.skipif(not os.path.exists(os.path.join(os.environ.get("DEEPGRAD_DATA", ""),
                                                    "mnist")),
                    reason="needs $DEEPGRAD_DATA/mnist")
def test_tiny_cnn_overfits_16_mnist_images():
    dg.manual_seed(0)
    ds = dg.datasets.MNIST(train=True)
    x = (ds.data[:16].float() / 255.0).unsqueeze(1)
    y = ds.targets[:16]
    model = models.LeNet5()
    opt = dg.optim.Adam(model.parameters(), lr=3e-3)
    for step in range(200):
        opt.zero_grad()
        loss = F.cross_entropy(model(x), y)
        loss.backward()
        opt.step()
        if (model(x).argmax(1) == y).all():
            break
    assert bool((model(x).argmax(1) == y).all()), f"not overfit after {step + 1} steps"
