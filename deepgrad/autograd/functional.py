"""Higher-level derivatives built on ``grad``: ``jacobian``, ``hessian``, ``vjp``, ``hvp``."""
from __future__ import annotations

from .. import _creation
from .._tensor import Tensor
from .engine import grad


def _tuple(x):
    return (x,) if isinstance(x, Tensor) else tuple(x)


def _prepare(inputs):
    return tuple(t.detach().requires_grad_(True) for t in _tuple(inputs))


def vjp(func, inputs, v=None, create_graph=False, strict=False):
    """(func(inputs), v^T J) like torch.autograd.functional.vjp."""
    single = isinstance(inputs, Tensor)
    xs = _prepare(inputs)
    out = func(*xs)
    gs = grad(out, xs, v, create_graph=create_graph, allow_unused=True)
    gs = tuple(_creation.zeros_like(x) if g is None else g for g, x in zip(gs, xs))
    return out.detach() if not create_graph else out, gs[0] if single else gs


def jacobian(func, inputs, create_graph=False, strict=False):
    """The Jacobian of ``func`` at ``inputs`` (out.shape + in.shape), one backward per output
    element."""
    from ..ops.movement import stack

    single = isinstance(inputs, Tensor)
    xs = _prepare(inputs)
    out = func(*xs)
    flat = out.reshape(-1)
    rows = [[] for _ in xs]
    for i in range(flat.shape[0]):
        gs = grad(flat[i], xs, retain_graph=True, create_graph=create_graph, allow_unused=True)
        for k, (g, x) in enumerate(zip(gs, xs)):
            rows[k].append(_creation.zeros_like(x) if g is None else g)
    jacs = tuple(stack(r).reshape(tuple(out.shape) + tuple(x.shape)) if r else
                 _creation.zeros(tuple(out.shape) + tuple(x.shape)) for r, x in zip(rows, xs))
    return jacs[0] if single else jacs


def hessian(func, inputs, create_graph=False, strict=False):
    """The Hessian of a scalar ``func`` (single tensor input)."""
    def gradient(x):
        (g,) = grad(func(x), x, create_graph=True)
        return g

    return jacobian(gradient, inputs, create_graph=create_graph)


def hvp(func, inputs, v, create_graph=False, strict=False):
    """(func(inputs), H v) for a scalar ``func`` of one tensor."""
    (x,) = _prepare(inputs)
    out = func(x)
    (g,) = grad(out, x, create_graph=True)
    (hv,) = grad(g, x, v, create_graph=create_graph)
    return out.detach(), hv


def vhp(func, inputs, v, create_graph=False, strict=False):
    return hvp(func, inputs, v, create_graph, strict)
