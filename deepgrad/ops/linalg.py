"""Matrix products: matmul (one BLAS GEMM per call on contiguous operands) and einsum.

mm, bmm, mv, dot, outer, addmm and baddbmm are thin checks around them.
"""
from __future__ import annotations

import string

import numpy as np

from .._tensor import Tensor
from ..autograd.function import Function
from ..backend import xp
from ._util import to_tensor, unbroadcast


class MatMul(Function):
    """``a @ b`` for operands with at least 2 dims (batch dims broadcast)."""

    _array_forward = True

    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)
        return xp.matmul(a.data, b.data)

    @staticmethod
    def backward(ctx, g):
        a, b = ctx.saved_tensors
        ga = gb = None
        if ctx.needs_input_grad[0]:
            ga = unbroadcast(matmul(g, b.mT), a.data.shape)
        if ctx.needs_input_grad[1]:
            if b.data.ndim == 2 and a.data.ndim > 2:
                # fold the batch into one GEMM: (k, B*n) @ (B*n, m)
                k, m = a.data.shape[-1], g.data.shape[-1]
                gb = matmul(a.reshape(-1, k).mT, g.reshape(-1, m))
            else:
                gb = unbroadcast(matmul(a.mT, g), b.data.shape)
        return ga, gb


def _shape_error(a, b, op):
    raise RuntimeError(f"{op}: shapes {tuple(a.shape)} and {tuple(b.shape)} cannot be multiplied "
                       f"({a.shape[-1]} != {b.shape[-2] if b.data.ndim > 1 else b.shape[0]})")


def matmul(input, other):
    """Matrix product with torch's rules: 1-D operands are vectors, batch dims broadcast.

    Shapes: (n,) @ (n,) -> (); (m, n) @ (n,) -> (m,); (..., m, n) @ (..., n, p) -> (..., m, p).
    """
    a, b = to_tensor(input), to_tensor(other)
    if a.data.dtype != b.data.dtype:
        raise RuntimeError(f"expected m1 and m2 to have the same dtype, but got: "
                           f"{a.dtype.name} != {b.dtype.name}")
    da, db = a.data.ndim, b.data.ndim
    if da == 0 or db == 0:
        raise RuntimeError(f"both arguments to matmul need to be at least 1D, but they are "
                           f"{da}D and {db}D")
    k_a = a.data.shape[-1]
    k_b = b.data.shape[-2] if db > 1 else b.data.shape[0]
    if k_a != k_b:
        _shape_error(a, b, "matmul")
    if da >= 2 and db >= 2:
        try:
            return MatMul.apply(a, b)
        except ValueError:
            _shape_error(a, b, "matmul")
    a2 = a.unsqueeze(0) if da == 1 else a
    b2 = b.unsqueeze(-1) if db == 1 else b
    out = MatMul.apply(a2, b2)
    if db == 1:
        out = out.squeeze(-1)
    if da == 1:
        out = out.squeeze(-2)
    return out


def mm(input, mat2):
    """(n, m) @ (m, p) -> (n, p); both must be matrices."""
    if input.dim() != 2 or mat2.dim() != 2:
        raise RuntimeError(f"mm: expected 2-D tensors, got {input.dim()}-D and {mat2.dim()}-D")
    return matmul(input, mat2)


def bmm(input, mat2):
    """(b, n, m) @ (b, m, p) -> (b, n, p); no broadcasting."""
    if input.dim() != 3 or mat2.dim() != 3:
        raise RuntimeError(f"bmm: expected 3-D tensors, got {input.dim()}-D and {mat2.dim()}-D")
    if input.shape[0] != mat2.shape[0]:
        raise RuntimeError(f"bmm: batch sizes differ: {tuple(input.shape)} and "
                           f"{tuple(mat2.shape)}")
    return matmul(input, mat2)


def mv(input, vec):
    """(n, m) @ (m,) -> (n,)."""
    if input.dim() != 2 or vec.dim() != 1:
        raise RuntimeError(f"mv: expected a matrix and a vector, got {input.dim()}-D and "
                           f"{vec.dim()}-D")
    return matmul(input, vec)


def dot(input, other):
    """Inner product of two 1-D tensors of the same length."""
    if input.dim() != 1 or other.dim() != 1:
        raise RuntimeError(f"1D tensors expected, but got {input.dim()}D and {other.dim()}D "
                           "tensors")
    if input.shape[0] != other.shape[0]:
        raise RuntimeError(f"inconsistent tensor size, expected tensor [{input.shape[0]}] and src "
                           f"[{other.shape[0]}] to have the same number of elements, but got "
                           f"{input.shape[0]} and {other.shape[0]} elements respectively")
    return matmul(input, other)


inner = dot
vdot = dot


def outer(input, vec2):
    """(n,) x (m,) -> (n, m)."""
    return input.reshape(-1, 1) * vec2.reshape(1, -1)


ger = outer


def addmm(input, mat1, mat2, *, beta=1, alpha=1):
    """``beta * input + alpha * (mat1 @ mat2)``."""
    prod = mm(mat1, mat2)
    if alpha != 1:
        prod = prod * alpha
    if beta == 0:
        return prod
    return prod + (input if beta == 1 else input * beta)


def baddbmm(input, batch1, batch2, *, beta=1, alpha=1):
    """``beta * input + alpha * (batch1 @ batch2)`` for batches of matrices."""
    prod = bmm(batch1, batch2)
    if alpha != 1:
        prod = prod * alpha
    if beta == 0:
        return prod
    return prod + (input if beta == 1 else input * beta)


def addmv(input, mat, vec, *, beta=1, alpha=1):
    prod = mv(mat, vec)
    if alpha != 1:
        prod = prod * alpha
    return prod if beta == 0 else prod + (input if beta == 1 else input * beta)


# ---------------------------------------------------------------------------- einsum
def _parse_einsum(equation: str, shapes) -> tuple[list[str], str]:
    eq = equation.replace(" ", "")
    if "->" in eq:
        lhs, out = eq.split("->")
    else:
        lhs, out = eq, None
    ins = lhs.split(",")
    if len(ins) != len(shapes):
        raise ValueError(f"einsum(): {len(ins)} operands in the equation but {len(shapes)} given")
    used = set(c for c in eq if c.isalpha())
    spare = [c for c in string.ascii_letters if c not in used]
    ell_len = max((len(s) - (len(t) - 3) for t, s in zip(ins, shapes) if "..." in t), default=0)
    ell = "".join(spare[:ell_len])
    expanded = []
    for t, s in zip(ins, shapes):
        if "..." in t:
            n = len(s) - (len(t) - 3)
            t = t.replace("...", ell[ell_len - n:] if n else "")
        if len(t) != len(s):
            raise RuntimeError(f"einsum(): the number of subscripts in the equation ({len(t)}) "
                               f"does not match the number of dimensions ({len(s)}) for operand")
        expanded.append(t)
    if out is None:
        counts = {}
        for t in expanded:
            for c in t:
                counts[c] = counts.get(c, 0) + 1
        out = ell + "".join(sorted(c for c, k in counts.items() if k == 1 and c not in ell))
    else:
        out = out.replace("...", ell)
    return expanded, out


class Einsum(Function):
    _array_forward = True

    @staticmethod
    def forward(ctx, *operands, ins, out):
        ctx.save_for_backward(*operands)
        ctx.ins, ctx.out = ins, out
        eq = ",".join(ins) + "->" + out
        return xp.einsum(eq, *[o.data for o in operands], optimize=len(operands) > 2)

    @staticmethod
    def backward(ctx, g):
        ops = ctx.saved_tensors
        grads = []
        for i, target in enumerate(ctx.ins):
            if not ctx.needs_input_grad[i]:
                grads.append(None)
                continue
            if len(set(target)) != len(target):
                raise NotImplementedError(
                    "einsum backward: repeated subscripts within one operand are not supported")
            others = [ctx.ins[j] for j in range(len(ops)) if j != i]
            available = set(ctx.out).union(*map(set, others)) if others else set(ctx.out)
            present = "".join(c for c in target if c in available)
            eq = ",".join([ctx.out] + others) + "->" + present
            gi = einsum(eq, g, *[ops[j] for j in range(len(ops)) if j != i])
            if present != target:
                shape = ops[i].shape
                gi = gi.reshape([shape[k] if c in available else 1 for k, c in enumerate(target)])
                gi = gi.expand(shape)
            grads.append(gi)
        return tuple(grads)


def einsum(equation, *operands):
    """Einstein summation, e.g. ``einsum('bij,bjk->bik', a, b)``; supports ``...``."""
    if len(operands) == 1 and isinstance(operands[0], (list, tuple)):
        operands = operands[0]
    ops = [to_tensor(o) for o in operands]
    ins, out = _parse_einsum(equation, [o.shape for o in ops])
    if len({o.data.dtype for o in ops}) > 1:
        from ._util import cast, result_dtype

        dt = result_dtype(*ops)
        ops = [cast(o, dt) for o in ops]
    try:
        return Einsum.apply(*ops, ins=ins, out=out)
    except ValueError as e:
        raise RuntimeError(f"einsum(): {e}; operand shapes "
                           f"{[tuple(o.shape) for o in ops]}") from None


def tensordot(a, b, dims=2):
    letters = iter(string.ascii_lowercase)
    if isinstance(dims, int):
        da = list(range(a.dim() - dims, a.dim()))
        db = list(range(dims))
    else:
        da, db = [list(d) if not isinstance(d, int) else [d] for d in dims]
    sa = [next(letters) for _ in range(a.dim())]
    sb = [next(letters) for _ in range(b.dim())]
    for i, j in zip(da, db):
        sb[j] = sa[i]
    out = [c for k, c in enumerate(sa) if k not in da] + [c for k, c in enumerate(sb)
                                                            if k not in db]
    return einsum("".join(sa) + "," + "".join(sb) + "->" + "".join(out), a, b)


__all__ = ["matmul", "mm", "bmm", "mv", "dot", "outer", "einsum", "baddbmm", "addmm", "np"]
