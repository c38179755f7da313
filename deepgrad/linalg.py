"""``deepgrad.linalg``: norms and products (the subset of ``torch.linalg`` deepgrad needs)."""
from ._tensor import _wrap_dim
from .ops._util import cast, to_tensor
from .ops.linalg import matmul
from .ops.reduction import _is_integral, _type_name, amax, amin, sum as _sum, vector_norm
from . import _dtype

_INF = float("inf")


def norm(A, ord=None, dim=None, keepdim=False, *, dtype=None):
    """Vector norm (``dim`` an int, or a 1-D input) or matrix norm (``dim`` a pair, or a 2-D
    input); with ``dim`` and ``ord`` both None, the 2-norm of the flattened input.

    ``ord=None`` means the 2-norm for vectors and the Frobenius norm for matrices.

        >>> deepgrad.linalg.norm(deepgrad.tensor([[3., 0.], [0., 4.]]))
        tensor(5.)
    """
    A = to_tensor(A)
    if isinstance(dim, int):
        dim = (dim,)
    if dim is None:
        if ord is None:
            return vector_norm(A, 2, None, keepdim, dtype=dtype)
        if A.dim() not in (1, 2):
            raise RuntimeError("linalg.norm: If dim is not specified but ord is, the input must "
                               f"be 1D or 2D. Got {A.dim()}D.")
        is_matrix = A.dim() == 2
        dim = (-2, -1) if is_matrix else (0,)
    else:
        dim = tuple(dim)
        is_matrix = len(dim) == 2
    if is_matrix:
        return matrix_norm(A, "fro" if ord is None else ord, dim, keepdim, dtype=dtype)
    return vector_norm(A, 2 if ord is None else ord, dim, keepdim, dtype=dtype)


def matrix_norm(A, ord="fro", dim=(-2, -1), keepdim=False, *, dtype=None):
    """Matrix norm over the two dims ``dim``: Frobenius ('fro'), max column abs-sum (1),
    max row abs-sum (inf), and the corresponding minima for -1 and -inf.

        >>> deepgrad.linalg.matrix_norm(deepgrad.tensor([[1., -2.], [3., 4.]]), 1)
        tensor(6.)
    """
    A = to_tensor(A)
    if A.dim() < 2:
        raise RuntimeError("linalg.matrix_norm: The input tensor A must have at least 2 "
                           "dimensions.")
    if _is_integral(A):
        raise RuntimeError("linalg.matrix_norm: Expected a floating point or complex tensor as "
                           f"input. Got {_type_name(A)}")
    d0, d1 = (_wrap_dim(d, A.dim(), "linalg.matrix_norm") for d in dim)
    if d0 == d1:
        raise RuntimeError(f"linalg.matrix_norm: dims must be different. Got ({dim[0]}, "
                           f"{dim[1]})")
    if dtype is not None:
        A = cast(A, _dtype.to_dtype(dtype))
    if ord == "fro":
        return vector_norm(A, 2, (d0, d1), keepdim)
    if ord in (1, -1):
        sums, over = _sum(A.abs(), d0, keepdim=True), d1  # column sums, then across columns
    elif ord in (_INF, -_INF):
        sums, over = _sum(A.abs(), d1, keepdim=True), d0  # row sums, then across rows
    else:
        raise NotImplementedError(f"linalg.matrix_norm: ord={ord!r} is not supported")
    out = (amax if ord > 0 else amin)(sums, over, keepdim=True)
    return out if keepdim else out.squeeze((d0, d1))


__all__ = ["norm", "vector_norm", "matrix_norm", "matmul"]
