"""The benchmark workloads, written once against the torch-style API.

A workload is a setup function ``setup(m)`` that receives the framework module (``deepgrad`` or
``torch``), builds its inputs and returns a ``step()`` closure; the suite times ``step()``. Both
frameworks run the very same code, so the comparison is like for like.

Adding a workload takes a few lines::

    @workload("mlp", samples=64, flops=3 * 2 * 64 * (784 * 256 + 256 * 10))
    def mlp(m):
        net = m.nn.Sequential(m.nn.Linear(784, 256), m.nn.ReLU(), m.nn.Linear(256, 10))
        x, y = m.randn(64, 784), m.randint(0, 10, (64,))

        def step():
            net.zero_grad(set_to_none=True)
            m.nn.functional.cross_entropy(net(x), y).backward()

        return step

Metadata: ``flops`` (floating-point operations per step, for GEMM-bound workloads: the table
then shows GFLOP/s and the fraction of the machine's measured float32 GEMM peak), ``samples``
(samples per step, for samples/s), ``full_only`` (skipped by ``--quick`` unless selected with
``--only``), ``target`` (the deepgrad/torch time ratio this workload should stay within).

This module must not import numpy or torch: the child process sets the thread-count
environment variables before the framework is first imported.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable


@dataclass(frozen=True)
class Workload:
    """One benchmark: ``setup(m) -> step`` plus what the report needs to know about a step."""

    name: str
    setup: Callable
    description: str = ""
    flops: float | None = None  # per step
    samples: int | None = None  # per step
    full_only: bool = False
    target: float | None = None  # wanted ceiling of deepgrad time / torch time


WORKLOADS: dict[str, Workload] = {}


def register(w: Workload) -> Workload:
    if w.name in WORKLOADS:
        raise ValueError(f"workload {w.name!r} is already registered")
    WORKLOADS[w.name] = w
    return w


def workload(name: str, **meta) -> Callable:
    """Decorator: register ``setup(m)`` as workload ``name`` (meta: see ``Workload``)."""

    def deco(setup: Callable) -> Callable:
        doc = (setup.__doc__ or "").strip().splitlines()
        register(Workload(name, setup, description=doc[0] if doc else "", **meta))
        return setup

    return deco


# -- workloads ---------------------------------------------------------------------------------

@workload("small_op", target=2.0)
def small_op(m):
    """(a*b+c).sum().backward() on 16x16 tensors: per-op Python/dispatch overhead."""
    m.manual_seed(0)
    a, b, c = (m.randn(16, 16, requires_grad=True) for _ in range(3))

    def step():
        a.grad = b.grad = c.grad = None
        (a * b + c).sum().backward()

    return step


def _matmul(n: int, **meta) -> Workload:
    def setup(m):
        m.manual_seed(0)
        a = m.randn(n, n, requires_grad=True)
        b = m.randn(n, n, requires_grad=True)

        def step():
            a.grad = b.grad = None
            (a @ b).sum().backward()

        return step

    # forward a @ b, backward grad @ b.T and a.T @ grad: three n x n x n GEMMs
    return register(Workload(f"matmul{n}", setup, flops=3 * 2 * n**3,
                             description=f"({n}x{n} @ {n}x{n}).sum().backward(), float32",
                             **meta))


_matmul(512, target=1.1)
_matmul(2048, target=1.1, full_only=True)


@workload("elementwise_chain")
def elementwise_chain(m):
    """12 elementwise ops + sum on 256x256 with backward: op overhead plus memory traffic."""
    m.manual_seed(0)
    x = m.randn(256, 256, requires_grad=True)

    def step():
        x.grad = None
        y = x * 1.5 + 0.5
        y = y.tanh() * x.sigmoid()
        y = y - (x * 0.1).exp()
        y = y.relu() + x * x
        (y / 2.0).sum().backward()

    return step


def _mlp(m, hidden=512):
    return m.nn.Sequential(m.nn.Linear(784, hidden), m.nn.ReLU(), m.nn.Linear(hidden, hidden),
                           m.nn.ReLU(), m.nn.Linear(hidden, 10))


_MLP_FLOPS = 2 * 128 * (784 * 512 + 512 * 512 + 512 * 10)  # forward GEMMs, batch 128


@workload("mlp", samples=128, flops=3 * _MLP_FLOPS, target=1.0)
def mlp(m):
    """784-512-512-10 ReLU MLP, batch 128: one SGD-momentum training step with cross-entropy."""
    m.manual_seed(0)
    net = _mlp(m)
    opt = m.optim.SGD(net.parameters(), lr=0.01, momentum=0.9)
    x, y = m.randn(128, 784), m.randint(0, 10, (128,))

    def step():
        opt.zero_grad()
        m.nn.functional.cross_entropy(net(x), y).backward()
        opt.step()

    return step


@workload("mlp_inference", samples=128, flops=_MLP_FLOPS, target=1.0)
def mlp_inference(m):
    """The same MLP, forward only under no_grad (inference)."""
    m.manual_seed(0)
    net = _mlp(m).eval()
    x = m.randn(128, 784)

    def step():
        with m.no_grad():
            net(x)

    return step


def _optimizer_workload(name, make):
    def setup(m):
        m.manual_seed(0)
        # 10,008,000 parameters: eight 1000x1000 matrices, eight vectors, one 500x4000
        shapes = [(1000, 1000)] * 8 + [(1000,)] * 8 + [(500, 4000)]
        params = [m.nn.Parameter(m.randn(*s)) for s in shapes]
        for p in params:
            p.grad = m.randn(*p.shape)
        opt = make(m, params)

        def step():
            opt.step()

        return step

    register(Workload(name, setup, target=1.0,
                      description=f"one {name.split('_')[1]} step over 10M float32 parameters"))


_optimizer_workload("optim_sgd_momentum",
                    lambda m, ps: m.optim.SGD(ps, lr=0.01, momentum=0.9))
_optimizer_workload("optim_adam", lambda m, ps: m.optim.Adam(ps, lr=1e-3))


@workload("dataloader", samples=20 * 128)
def dataloader(m):
    """20 shuffled batches of 128 MNIST-shaped samples from a TensorDataset via DataLoader."""
    m.manual_seed(0)
    data = m.utils.data.TensorDataset(m.randn(60000, 1, 28, 28), m.randint(0, 10, (60000,)))
    loader = m.utils.data.DataLoader(data, batch_size=128, shuffle=True)

    def step():
        for i, _batch in enumerate(loader):
            if i == 19:
                break

    return step


@workload("lenet5", samples=64, target=1.5)
def lenet5(m):
    """LeNet-5 on 1x28x28, batch 64: one Adam training step."""
    m.manual_seed(0)
    nn = m.nn
    net = nn.Sequential(nn.Conv2d(1, 6, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
                        nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
                        nn.Linear(400, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(),
                        nn.Linear(84, 10))
    opt = m.optim.Adam(net.parameters(), lr=1e-3)
    x, y = m.randn(64, 1, 28, 28), m.randint(0, 10, (64,))

    def step():
        opt.zero_grad()
        nn.functional.cross_entropy(net(x), y).backward()
        opt.step()

    return step


def _small_resnet(m, widths=(16, 32, 64)):
    """A CIFAR-style ResNet (one BasicBlock per stage), written with the torch API."""
    nn = m.nn

    class Block(nn.Module):
        def __init__(self, cin, cout, stride):
            super().__init__()
            self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
            self.bn1 = nn.BatchNorm2d(cout)
            self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
            self.bn2 = nn.BatchNorm2d(cout)
            self.short = (nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False),
                                        nn.BatchNorm2d(cout))
                          if stride != 1 or cin != cout else nn.Identity())

        def forward(self, x):
            out = self.bn1(self.conv1(x)).relu()
            return (self.bn2(self.conv2(out)) + self.short(x)).relu()

    layers = [nn.Conv2d(3, widths[0], 3, 1, 1, bias=False), nn.BatchNorm2d(widths[0]),
              nn.ReLU()]
    cin = widths[0]
    for i, w in enumerate(widths):
        layers.append(Block(cin, w, 1 if i == 0 else 2))
        cin = w
    layers += [nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(cin, 10)]
    return nn.Sequential(*layers)


@workload("resnet_small", samples=32, target=1.5)
def resnet_small(m):
    """A small CIFAR-style ResNet on 3x32x32, batch 32: one SGD-momentum training step."""
    m.manual_seed(0)
    net = _small_resnet(m)
    opt = m.optim.SGD(net.parameters(), lr=0.05, momentum=0.9)
    x, y = m.randn(32, 3, 32, 32), m.randint(0, 10, (32,))

    def step():
        opt.zero_grad()
        m.nn.functional.cross_entropy(net(x), y).backward()
        opt.step()

    return step
