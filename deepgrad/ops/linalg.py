"""Matrix products: matmul (one BLAS GEMM per call on contiguous operands) and einsum.

mm, bmm, mv, dot, outer, addmm and baddbmm are thin checks around them.
"""
from __future__ import annotations

import string

from ..autograd.function import Function
from ..backend import xp
from ._util import to_tensor, unbroadcast


class MatMul(Function):
    """``a @ b`` for operands with at least 2 dims (batch dims broadcast)."""

    _array_forward = True

    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)
        ctx.is_mm = a.data.ndim == 2 and b.data.ndim == 2
        return xp.matmul(a.data, b.data)

    def name(self) -> str:
        # torch names the 2-D case after its kernel: MmBackward0
        return "MmBackward0" if getattr(self, "is_mm", False) else "MatMulBackward0"

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
    if da == 1:
        out = out.squeeze(-2)
    if db == 1:
        out = out.squeeze(-1)
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


vdot = dot


def inner(input, other):
    """Sum over the last dims: (..., n) and (..., n) -> input.shape[:-1] + other.shape[:-1].

    A 0-d operand multiplies elementwise.
    """
    a, b = to_tensor(input), to_tensor(other)
    if a.data.ndim == 0 or b.data.ndim == 0:
        return a * b
    if a.shape[-1] != b.shape[-1]:
        raise RuntimeError(f"inner() the last dimension must match on both input tensors but got "
                           f"shapes {list(a.shape)} and {list(b.shape)}")
    return tensordot(a, b, ([-1], [-1]))


def outer(input, vec2):
    """(n,) x (m,) -> (n, m)."""
    for name, v in (("self", input), ("vec2", vec2)):
        if v.dim() != 1:
            raise RuntimeError(f"outer: Expected 1-D argument {name}, but got {v.dim()}-D")
    return input.reshape(-1, 1) * vec2.reshape(1, -1)


ger = outer


class _IgnoredInput(Function):
    """``prod`` unchanged, with ``input`` attached to the graph with a zero gradient.

    With ``beta=0`` torch ignores ``input``'s values (NaN and inf included), yet ``input`` still
    receives a gradient of zeros rather than none.
    """

    _array_forward = True

    @staticmethod
    def forward(ctx, prod, input):
        ctx.shape = input.data.shape
        return prod.data

    @staticmethod
    def backward(ctx, g):
        return g, unbroadcast(g, ctx.shape) * 0


def _add_scaled(input, prod, beta, alpha):
    """``beta * input + alpha * prod`` (the addmm family)."""
    if alpha != 1:
        prod = prod * alpha
    if beta == 0:
        return _IgnoredInput.apply(prod, to_tensor(input))
    return prod + (input if beta == 1 else input * beta)


def addmm(input, mat1, mat2, *, beta=1, alpha=1):
    """``beta * input + alpha * (mat1 @ mat2)``; ``input`` broadcasts to (n, p)."""
    return _add_scaled(input, mm(mat1, mat2), beta, alpha)


def baddbmm(input, batch1, batch2, *, beta=1, alpha=1):
    """``beta * input + alpha * (batch1 @ batch2)`` for batches of matrices."""
    return _add_scaled(input, bmm(batch1, batch2), beta, alpha)


def addmv(input, mat, vec, *, beta=1, alpha=1):
    """``beta * input + alpha * (mat @ vec)``."""
    return _add_scaled(input, mv(mat, vec), beta, alpha)


# ---------------------------------------------------------------------------- einsum
def _parse_einsum(equation: str, shapes) -> tuple[list[str], str]:
    eq = equation.replace(" ", "")
    if "->" in eq:
        lhs, out = eq.split("->")
    else:
        lhs, out = eq, None
    ins = lhs.split(",")
    if len(ins) != len(shapes):
        raise RuntimeError(f"einsum(): {len(ins)} operands in the equation but {len(shapes)} "
                           "given")
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
        return tuple(_einsum_operand_grad(g, i, ops, ctx.ins, ctx.out)
                     if ctx.needs_input_grad[i] else None for i in range(len(ops)))


def _einsum_operand_grad(g, i, ops, ins, out):
    """The gradient of operand ``i``: ``g`` contracted with the other operands.

    Subscripts of operand ``i`` found nowhere else were summed: their gradient is broadcast.
    A subscript repeated within the operand (a diagonal, a trace) gets the gradient on that
    diagonal (multiplied by an identity); a broadcast size-1 dim gets it summed.
    """
    target, shape = ins[i], ops[i].shape
    unique = "".join(dict.fromkeys(target))
    others = [ins[j] for j in range(len(ops)) if j != i]
    available = set(out).union(*map(set, others))
    present = "".join(c for c in unique if c in available)
    gi = einsum(",".join([out] + others) + "->" + present, g,
                *[ops[j] for j in range(len(ops)) if j != i])
    size = dict(zip(present, gi.shape))
    for k, c in enumerate(target):
        size.setdefault(c, shape[k])
    if present != unique:
        gi = gi.reshape([size[c] if c in available else 1 for c in unique])
        gi = gi.expand([size[c] for c in unique])
    if unique != target:
        from .._creation import eye

        spare = iter(c for c in string.ascii_letters if c not in "".join(ins) + out)
        seen, full, eyes = set(), "", []
        for c in target:
            if c in seen:
                fresh = next(spare)
                eyes.append(c + fresh)
                full += fresh
            else:
                seen.add(c)
                full += c
        gi = einsum(",".join([unique] + eyes) + "->" + full, gi,
                    *[eye(size[e[0]], dtype=gi.dtype) for e in eyes])
    return unbroadcast(gi, shape)


def einsum(equation, *operands):
    """Einstein summation, e.g. ``einsum('bij,bjk->bik', a, b)``; supports ``...``."""
    if len(operands) == 1 and isinstance(operands[0], (list, tuple)):
        operands = operands[0]
    ops = [to_tensor(o) for o in operands]
    ins, out = _parse_einsum(equation, [o.shape for o in ops])
    for o in ops[1:]:
        if o.data.dtype != ops[0].data.dtype:  # torch does not promote here
            raise RuntimeError(f"einsum(): expected scalar type {ops[0].dtype.name} but found "
                               f"{o.dtype.name}")
    try:
        return Einsum.apply(*ops, ins=ins, out=out)
    except ValueError as e:
        raise RuntimeError(f"einsum(): {e}; operand shapes "
                           f"{[tuple(o.shape) for o in ops]}") from None


def tensordot(a, b, dims=2):
    """Contract dims ``dims[0]`` of ``a`` with ``dims[1]`` of ``b`` (an int ``n``: the last n of
    ``a`` with the first n of ``b``); the result has ``a``'s free dims, then ``b``'s."""
    letters = iter(string.ascii_lowercase)
    if isinstance(dims, int):
        da = list(range(a.dim() - dims, a.dim()))
        db = list(range(dims))
    else:
        da, db = [list(d) if not isinstance(d, int) else [d] for d in dims]
        da = [d % a.dim() if a.dim() else d for d in da]
        db = [d % b.dim() if b.dim() else d for d in db]
    sa = [next(letters) for _ in range(a.dim())]
    sb = [next(letters) for _ in range(b.dim())]
    for i, j in zip(da, db):
        sb[j] = sa[i]
    out = [c for k, c in enumerate(sa) if k not in da] + [c for k, c in enumerate(sb)
                                                            if k not in db]
    return einsum("".join(sa) + "," + "".join(sb) + "->" + "".join(out), a, b)


__all__ = ["matmul", "mm", "bmm", "mv", "dot", "vdot", "inner", "outer", "ger", "einsum",
           "tensordot", "addmm", "baddbmm", "addmv"]
