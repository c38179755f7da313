"""Numerical gradient checks (central differences), like ``torch.autograd.gradcheck``."""
from __future__ import annotations

import numpy as np

from .._tensor import Tensor
from .engine import grad as _grad
from .grad_mode import enable_grad, no_grad


class GradcheckError(RuntimeError):
    """Raised by ``gradcheck`` when analytical and numerical gradients disagree."""


def _as_tuple(x):
    return x if isinstance(x, tuple) else (x,)


def _diff_outputs(func, inputs):
    return [o for o in _as_tuple(func(*inputs)) if isinstance(o, Tensor) and o.requires_grad]


def _eval_outputs(func, inputs):
    with no_grad():
        outs = _as_tuple(func(*inputs))
    return [np.array(o.data, dtype=np.float64) for o in outs
            if isinstance(o, Tensor) and o.is_floating_point()]


def _numeric_jacobian(func, inputs, x, eps):
    """Columns: d outputs / d x[j] for each element j (concatenated over outputs)."""
    flat = x.data.reshape(-1)  # a view: perturbations reach the function
    cols = []
    for j in range(flat.size):
        orig = flat[j].item()
        flat[j] = orig + eps
        plus = _eval_outputs(func, inputs)
        flat[j] = orig - eps
        minus = _eval_outputs(func, inputs)
        flat[j] = orig
        cols.append(np.concatenate([((p - m) / (2 * eps)).reshape(-1)
                                    for p, m in zip(plus, minus)]) if plus else np.zeros(0))
    return np.stack(cols, axis=1) if cols else np.zeros((0, 0))


def _float_outputs(func, inputs):
    """All floating outputs, in order (the same selection as the numerical Jacobian uses)."""
    return [o for o in _as_tuple(func(*inputs)) if isinstance(o, Tensor) and o.is_floating_point()]


def _analytic_jacobian(func, inputs, x):
    rows = []
    for o in _float_outputs(func, inputs):
        if not o.requires_grad:  # constant in the inputs: a zero block, as numerically
            rows.extend(np.zeros(x.data.size) for _ in range(o.data.size))
            continue
        for i in range(o.data.size):
            seed = np.zeros(o.data.size, dtype=o.data.dtype)
            seed[i] = 1
            (g,) = _grad(o, x, Tensor._make(seed.reshape(o.data.shape)), retain_graph=True,
                         allow_unused=True)
            rows.append(np.zeros(x.data.size) if g is None else np.asarray(
                g.data, dtype=np.float64).reshape(-1))
    return np.stack(rows, axis=0) if rows else np.zeros((0, x.data.size))


def gradcheck(func, inputs, *, eps=1e-6, atol=1e-5, rtol=1e-3, raise_exception=True,
              fast_mode=False, nondet_tol=0.0, check_undefined_grad=True, check_grad_dtypes=False,
              check_batched_grad=False, masked=None, seed=0):
    """Compare the gradients of ``func(*inputs)`` with central differences.

    Inputs that require grad should be float64. ``fast_mode`` checks one random projection
    ``u^T J v`` instead of the full Jacobian (for large inputs). Returns True, or raises
    ``GradcheckError`` (or returns False if ``raise_exception=False``).
    """
    inputs = _as_tuple(inputs)
    targets = [t for t in inputs if isinstance(t, Tensor) and t.requires_grad]
    if not targets:
        raise ValueError("gradcheck expects at least one input tensor to require gradient")
    rng = np.random.default_rng(seed)
    for k, x in enumerate(targets):
        if fast_mode:
            ok, msg = _fast_check(func, inputs, x, eps, atol, rtol, rng)
        else:
            numeric = _numeric_jacobian(func, inputs, x, eps)
            analytic = _analytic_jacobian(func, inputs, x)
            ok = numeric.shape == analytic.shape and np.allclose(analytic, numeric, rtol=rtol,
                                                                 atol=atol)
            msg = (f"Jacobian mismatch for input {k}:\nnumerical:\n{numeric}\nanalytical:\n"
                   f"{analytic}")
        if not ok:
            if raise_exception:
                raise GradcheckError(msg)
            return False
    return True


def _fast_check(func, inputs, x, eps, atol, rtol, rng):
    v = rng.standard_normal(x.data.shape)
    base = x.data.copy()
    with no_grad():
        x.data[...] = base + eps * v
        plus = _eval_outputs(func, inputs)
        x.data[...] = base - eps * v
        minus = _eval_outputs(func, inputs)
        x.data[...] = base
    outs = _float_outputs(func, inputs)
    us = [rng.standard_normal(o.data.shape) for o in outs]
    numeric = sum(float(np.sum(u * (p - m) / (2 * eps))) for u, p, m in zip(us, plus, minus))
    analytic = 0.0
    for o, u in zip(outs, us):
        if not o.requires_grad:  # constant in the inputs: contributes nothing
            continue
        (g,) = _grad(o, x, Tensor._make(u.astype(o.data.dtype)), retain_graph=True,
                     allow_unused=True)
        if g is not None:
            analytic += float(np.sum(np.asarray(g.data, dtype=np.float64) * v))
    ok = abs(analytic - numeric) <= atol + rtol * abs(numeric)
    return ok, f"projected gradient mismatch: numerical {numeric} vs analytical {analytic}"


def gradgradcheck(func, inputs, grad_outputs=None, *, eps=1e-6, atol=1e-5, rtol=1e-3,
                  raise_exception=True, fast_mode=False, seed=0, **kwargs):
    """Check second derivatives: gradcheck of the (create_graph) gradient of ``func``."""
    inputs = _as_tuple(inputs)
    targets = [t for t in inputs if isinstance(t, Tensor) and t.requires_grad]
    rng = np.random.default_rng(seed)
    outs = _diff_outputs(func, inputs)
    if grad_outputs is None:
        grad_outputs = [Tensor._make(rng.standard_normal(o.data.shape).astype(o.data.dtype))
                        for o in outs]

    def first_grad(*xs):
        # Recording must be on even when gradcheck evaluates this under no_grad.
        with enable_grad():
            ys = _diff_outputs(func, xs)
            gs = _grad(ys, [t for t in xs if isinstance(t, Tensor) and t.requires_grad],
                       grad_outputs, create_graph=True, allow_unused=True)
        return tuple(g for g in gs if g is not None)

    del targets
    return gradcheck(first_grad, inputs, eps=eps, atol=atol, rtol=rtol,
                     raise_exception=raise_exception, fast_mode=fast_mode, seed=seed)
