"""``deepgrad.linalg``: norms and products (the subset of ``torch.linalg`` deepgrad needs)."""
from .ops.linalg import matmul
from .ops.reduction import vector_norm
from .ops._util import float_input


def norm(A, ord=None, dim=None, keepdim=False, *, dtype=None):
    """Vector norm (1-D input, or ``dim`` an int) or matrix norm (2-D input / ``dim`` a pair).

    ``ord=None`` means the 2-norm for vectors and the Frobenius norm for matrices.
    """
    A = float_input(A)
    is_matrix = (dim is None and A.dim() == 2) or (isinstance(dim, (tuple, list))
                                                   and len(dim) == 2)
    if dim is None and A.dim() not in (1, 2):
        if ord is not None:
            raise RuntimeError("linalg.norm: If dim is not specified but ord is, the input must "
                               "be 1D or 2D")
        return vector_norm(A, 2, None, keepdim, dtype=dtype)
    if is_matrix:
        return matrix_norm(A, "fro" if ord is None else ord, (-2, -1) if dim is None else dim,
                           keepdim, dtype=dtype)
    return vector_norm(A, 2 if ord is None else ord, dim, keepdim, dtype=dtype)


def matrix_norm(A, ord="fro", dim=(-2, -1), keepdim=False, *, dtype=None):
    """Frobenius ('fro'), max-column-sum (1), max-row-sum (inf) and their -1/-inf minima."""
    from .ops.reduction import amax, amin, sum as _sum

    A = float_input(A)
    if ord == "fro":
        return vector_norm(A, 2, dim, keepdim, dtype=dtype)
    d0, d1 = dim
    if ord in (1, -1):
        col = _sum(A.abs(), d0, keepdim=True)
        red = amax if ord == 1 else amin
        out = red(col, d1, keepdim=True)
    elif ord in (float("inf"), -float("inf")):
        row = _sum(A.abs(), d1, keepdim=True)
        red = amax if ord > 0 else amin
        out = red(row, d0, keepdim=True)
    else:
        raise NotImplementedError(f"linalg.matrix_norm: ord={ord!r} is not supported")
    return out if keepdim else out.squeeze(dim)


__all__ = ["norm", "vector_norm", "matrix_norm", "matmul"]
