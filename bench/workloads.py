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
