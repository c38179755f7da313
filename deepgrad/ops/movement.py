"""Shape and movement ops: reshape, permute, expand, flip, roll, cat, split, pad, diagonal.

Primitives: Reshape, Permute, Expand, Flip, Roll, Cat, Split, Pad, Diagonal, DiagonalScatter,
Copy. The rest (squeeze, transpose, stack, chunk, repeat, tril, ...) is composed from them.
Ops whose NumPy result shares memory with the input return *views* that share the input's
version counter, so in-place writes through either are seen by autograd's checks.
"""
from __future__ import annotations

import builtins

import numpy as np

from .. import _dtype
from .._tensor import Tensor, _VersionCounter, _wrap_dim
from ..autograd.function import Function
from ..backend import xp
from ._util import cast, normalize_dims, result_dtype, shape_arg, to_tensor, unbroadcast


def _as_view(out: Tensor, src: Tensor) -> Tensor:
    """Mark ``out`` as a view of ``src`` if their memory overlaps."""
    if xp.may_share_memory(out.data, src.data):
        base = src._base if src._base is not None else src
        if base._vc is None:
            base._vc = _VersionCounter()
        out._base = base
        out._vc = base._vc
        out._view_src_fn = base.grad_fn
    return out


class Reshape(Function):
    _array_forward = True

    @staticmethod
    def forward(ctx, x, shape):
        ctx.in_shape = x.data.shape
        return x.data.reshape(shape)

    @staticmethod
    def backward(ctx, g):
        return g.reshape(ctx.in_shape)


def reshape(input, *shape):
    """Same data with a new shape (one dim may be -1). Returns a view when possible."""
    x = to_tensor(input)
    shape = shape_arg(shape)
    if shape == x.data.shape:
        return _as_view(Reshape.apply(x, shape), x)
    try:
        return _as_view(Reshape.apply(x, shape), x)
    except ValueError:
        raise RuntimeError(f"reshape: shape '{list(shape)}' is invalid for input of shape "
                           f"{tuple(x.data.shape)} and size "
                           f"{x.data.size}") from None


def view(input, *shape):
    """Like ``reshape`` but the result must share memory with ``input`` (torch's rule)."""
    x = to_tensor(input)
    if len(shape) == 1 and isinstance(shape[0], (_dtype.dtype, str, type)) and not isinstance(
            shape[0], (tuple, list)):
        raise NotImplementedError("view(dtype) is not supported; use .to(dtype)")
    out = reshape(x, *shape)
    if out._base is None and x.data.size > 1 and out.data.size > 1:
        raise RuntimeError(
            "view size is not compatible with input tensor's size and stride (at least one "
            "dimension spans across two contiguous subspaces). Use .reshape(...) instead.")
    return out


def view_as(input, other):
    return view(input, other.shape)


def reshape_as(input, other):
    return reshape(input, other.shape)


def flatten(input, start_dim=0, end_dim=-1):
    """Merge dims ``start_dim..end_dim`` into one."""
    x = to_tensor(input)
    nd = x.data.ndim
    if nd == 0:
        return reshape(x, 1)
    s = _wrap_dim(start_dim, nd, "flatten")
    e = _wrap_dim(end_dim, nd, "flatten")
    if s > e:
        raise RuntimeError("flatten() has invalid args: start_dim cannot come after end_dim")
    shp = x.data.shape
    n = 1
    for d in shp[s:e + 1]:
        n *= d
    return reshape(x, shp[:s] + (n,) + shp[e + 1:])


def unflatten(input, dim, sizes):
    """Split dim ``dim`` into ``sizes`` (one entry may be -1)."""
    x = to_tensor(input)
    d = _wrap_dim(dim, x.data.ndim, "unflatten")
    shp = x.data.shape
    return reshape(x, shp[:d] + tuple(sizes) + shp[d + 1:])


def squeeze(input, dim=None):
    """Remove size-1 dims (all, or those in ``dim``: an int or tuple)."""
    x = to_tensor(input)
    shp = x.data.shape
    if dim is None:
        new = tuple(s for s in shp if s != 1)
    else:
        dims = normalize_dims(dim, x.data.ndim, "squeeze") if x.data.ndim else ()
        new = tuple(s for i, s in enumerate(shp) if not (i in dims and s == 1))
    return reshape(x, new)


def unsqueeze(input, dim):
    """Insert a size-1 dim at ``dim`` (negative counts from the new end)."""
    x = to_tensor(input)
    d = _wrap_dim(dim, x.data.ndim + 1, "unsqueeze")
    shp = x.data.shape
    return reshape(x, shp[:d] + (1,) + shp[d:])


class Permute(Function):
    _array_forward = True

    @staticmethod
    def forward(ctx, x, dims):
        ctx.dims = dims
        return x.data.transpose(dims)

    @staticmethod
    def backward(ctx, g):
        return g.permute(tuple(np.argsort(ctx.dims)))


def permute(input, *dims):
    """Reorder dims: ``x.permute(2, 0, 1)``; a view."""
    x = to_tensor(input)
    dims = shape_arg(dims)
    nd = x.data.ndim
    if len(dims) != nd:
        raise RuntimeError(f"permute(sparse_coo): number of dimensions in the tensor input does "
                           f"not match the length of the desired ordering of dimensions i.e. "
                           f"input.dim() = {nd} is not equal to len(dims) = {len(dims)}")
    dims = tuple(_wrap_dim(d, nd, "permute") for d in dims)
    if len(set(dims)) != nd:
        raise RuntimeError("permute(): duplicate dims are not allowed.")
    return _as_view(Permute.apply(x, dims), x)


def transpose(input, dim0, dim1):
    """Swap two dims; a view."""
    x = to_tensor(input)
    nd = x.data.ndim
    if nd == 0:
        return _as_view(Reshape.apply(x, ()), x)
    d0, d1 = _wrap_dim(dim0, nd, "transpose"), _wrap_dim(dim1, nd, "transpose")
    dims = list(range(nd))
    dims[d0], dims[d1] = dims[d1], dims[d0]
    return _as_view(Permute.apply(x, tuple(dims)), x)


swapaxes = swapdims = transpose


def t(input):
    """Transpose a tensor of at most 2 dims."""
    x = to_tensor(input)
    if x.data.ndim > 2:
        raise RuntimeError(f"t() expects a tensor with <= 2 dimensions, but self is "
                           f"{x.data.ndim}D")
    return transpose(x, 0, 1) if x.data.ndim == 2 else x


def movedim(input, source, destination):
    """Move dims from ``source`` to ``destination`` positions (ints or sequences)."""
    x = to_tensor(input)
    nd = x.data.ndim
    src = [source] if isinstance(source, int) else list(source)
    dst = [destination] if isinstance(destination, int) else list(destination)
    src = [_wrap_dim(s, nd, "movedim") for s in src]
    dst = [_wrap_dim(d, nd, "movedim") for d in dst]
    order = [d for d in range(nd) if d not in src]
    for d, s in sorted(zip(dst, src)):
        order.insert(d, s)
    return permute(x, tuple(order))


moveaxis = movedim


def _T(self):
    return permute(self, tuple(range(self.data.ndim - 1, -1, -1)))


def _mT(self):
    if self.data.ndim < 2:
        raise RuntimeError("tensor.mT is only supported on matrices or batches of matrices. "
                           f"Got {self.data.ndim}-D tensor.")
    return transpose(self, -2, -1)


class Expand(Function):
    _array_forward = True

    @staticmethod
    def forward(ctx, x, shape):
        ctx.in_shape = x.data.shape
        return xp.broadcast_to(x.data, shape)

    @staticmethod
    def backward(ctx, g):
        return unbroadcast(g, ctx.in_shape)


def expand(input, *sizes):
    """Broadcast size-1 dims to ``sizes`` without copying (-1 keeps a dim); a read-only view."""
    x = to_tensor(input)
    sizes = shape_arg(sizes)
    shp = x.data.shape
    if len(sizes) < len(shp):
        raise RuntimeError(f"expand: the number of sizes provided ({len(sizes)}) must be greater "
                           f"or equal to the number of dimensions in the tensor ({len(shp)})")
    lead = len(sizes) - len(shp)
    target = list(sizes)
    for i, s in enumerate(shp):
        if target[lead + i] == -1:
            target[lead + i] = s
        elif s != 1 and s != target[lead + i]:
            raise RuntimeError(
                f"expand: the expanded size of the tensor ({target[lead + i]}) must match the "
                f"existing size ({s}) at non-singleton dimension {lead + i}.  Target sizes: "
                f"{list(sizes)}.  Tensor sizes: {list(shp)}")
    target = tuple(target)
    if target == shp:  # still a new (writable) view, as in torch
        return _as_view(Reshape.apply(x, shp), x)
    return _as_view(Expand.apply(x, target), x)


def expand_as(input, other):
    return expand(input, other.shape)


def broadcast_to(input, size):
    return expand(input, size)


def broadcast_tensors(*tensors):
    """Expand all tensors to their common broadcast shape."""
    from ._util import broadcast_shapes

    shape = broadcast_shapes(*[t.shape for t in tensors])
    return tuple(expand(t, shape) for t in tensors)


class Flip(Function):
    _array_forward = True

    @staticmethod
    def forward(ctx, x, dims):
        ctx.dims = dims
        # torch's flip returns a copy: in-place writes to it must not reach the input
        return xp.flip(x.data, dims).copy()

    @staticmethod
    def backward(ctx, g):
        return g.flip(ctx.dims)


def flip(input, *dims):
    """Reverse the order of elements along ``dims``."""
    x = to_tensor(input)
    dims = shape_arg(dims)
    dims = normalize_dims(dims, x.data.ndim, "flip") if x.data.ndim else ()
    return Flip.apply(x, dims)


def fliplr(input):
    return flip(input, 1)


def flipud(input):
    return flip(input, 0)


class Roll(Function):
    _array_forward = True

    @staticmethod
    def forward(ctx, x, shifts, dims):
        ctx.shifts, ctx.dims = shifts, dims
        return xp.roll(x.data, shifts, dims)

    @staticmethod
    def backward(ctx, g):
        neg = tuple(-s for s in ctx.shifts) if isinstance(ctx.shifts, tuple) else -ctx.shifts
        return g.roll(neg, ctx.dims)


def roll(input, shifts, dims=None):
    """Rotate elements along ``dims`` by ``shifts`` (flattened if ``dims`` is None)."""
    x = to_tensor(input)
    if dims is None:
        flat = reshape(x, -1)
        s = shifts if isinstance(shifts, int) else shifts[0]
        return reshape(Roll.apply(flat, (s,), (0,)), x.shape)
    shifts = (shifts,) if isinstance(shifts, int) else tuple(shifts)
    dims = (dims,) if isinstance(dims, int) else tuple(dims)
    if len(shifts) != len(dims):
        raise RuntimeError(f"roll: shifts and dimensions must align. shifts: {len(shifts)}, "
                           f"dims:{len(dims)}")
    dims = tuple(_wrap_dim(d, x.data.ndim, "roll") for d in dims)
    return Roll.apply(x, shifts, dims)


class Cat(Function):
    _array_forward = True

    @staticmethod
    def forward(ctx, *tensors, dim):
        ctx.dim = dim
        ctx.sizes = [t.data.shape[dim] for t in tensors]
        return xp.concatenate([t.data for t in tensors], axis=dim)

    @staticmethod
    def backward(ctx, g):
        grads = []
        start = 0
        for size, need in zip(ctx.sizes, ctx.needs_input_grad):
            grads.append(narrow(g, ctx.dim, start, size) if need else None)
            start += size
        return tuple(grads)


def cat(tensors, dim=0):
    """Concatenate tensors along an existing dim ``dim`` (dtypes promote like arithmetic)."""
    tensors = [to_tensor(t) for t in tensors]
    if not tensors:
        raise ValueError("cat(): expected a non-empty list of Tensors")
    # torch skips legacy empty 1-D tensors of shape (0,)
    nonempty = [t for t in tensors if not (t.data.ndim == 1 and t.data.shape[0] == 0)]
    if not nonempty:
        return tensors[0].clone()
    tensors = nonempty
    ref = tensors[0]
    nd = ref.data.ndim
    if nd == 0:
        raise RuntimeError("zero-dimensional tensor (at position 0) cannot be concatenated")
    d = _wrap_dim(dim, nd, "cat")
    for i, t in enumerate(tensors):
        if t.data.ndim != nd:
            raise RuntimeError(f"Tensors must have same number of dimensions: got {nd} and "
                               f"{t.data.ndim}")
        for k in range(nd):
            if k != d and t.data.shape[k] != ref.data.shape[k]:
                raise RuntimeError(
                    f"cat: sizes of tensors must match except in dimension {d}: tensor 0 has "
                    f"shape {tuple(ref.data.shape)} and tensor {i} has shape "
                    f"{tuple(t.data.shape)} (size {ref.data.shape[k]} != {t.data.shape[k]} in "
                    f"dimension {k})")
    if builtins.any(t.data.dtype != ref.data.dtype for t in tensors):
        dt = result_dtype(*tensors)
        tensors = [cast(t, dt) for t in tensors]
    return Cat.apply(*tensors, dim=d)


concat = concatenate = cat


def stack(tensors, dim=0):
    """Join same-shape tensors along a new dim ``dim``."""
    tensors = [to_tensor(t) for t in tensors]
    if not tensors:
        raise RuntimeError("stack expects a non-empty TensorList")
    shp = tensors[0].data.shape
    for i, t in enumerate(tensors):
        if t.data.shape != shp:
            raise RuntimeError(f"stack expects each tensor to be equal size, but got "
                               f"{list(shp)} at entry 0 and {list(t.data.shape)} at entry {i}")
    d = _wrap_dim(dim, len(shp) + 1, "stack")
    return cat([unsqueeze(t, d) for t in tensors], d)


def hstack(tensors):
    tensors = [to_tensor(t) for t in tensors]
    return cat(tensors, 0 if tensors[0].data.ndim == 1 else 1)


def vstack(tensors):
    return cat([atleast_2d(t) for t in tensors], 0)


def atleast_2d(x):
    x = to_tensor(x)
    return reshape(x, (1,) * (2 - x.data.ndim) + x.data.shape) if x.data.ndim < 2 else x


class Split(Function):
    """Cut ``dim`` into pieces (views); backward concatenates the pieces' gradients."""

    _array_forward = True

    @staticmethod
    def forward(ctx, x, sizes, dim):
        ctx.dim, ctx.sizes = dim, sizes
        bounds = np.cumsum(sizes)[:-1]
        return tuple(xp.split(x.data, bounds, axis=dim))

    @staticmethod
    def backward(ctx, *grads):
        return cat(list(grads), ctx.dim)


def split(tensor, split_size_or_sections, dim=0):
    """Split into chunks of ``split_size`` (last may be smaller) or of the given sizes."""
    x = to_tensor(tensor)
    d = _wrap_dim(dim, x.data.ndim, "split")
    n = x.data.shape[d]
    if isinstance(split_size_or_sections, int):
        step = split_size_or_sections
        if step <= 0 and n > 0:
            raise RuntimeError(f"split_size can only be 0 if dimension size is 0, but got "
                               f"dimension size of {n}")
        sizes = [builtins.min(step, n - i) for i in range(0, n, step)] if n else [0]
    else:
        sizes = [int(s) for s in split_size_or_sections]
        if builtins.sum(sizes) != n:
            raise RuntimeError(f"split_with_sizes expects split_sizes to sum exactly to {n} "
                               f"(input tensor's size at dimension {d}), but got "
                               f"split_sizes={sizes}")
    parts = Split.apply(x, tuple(sizes), d)
    if not isinstance(parts, tuple):
        parts = (parts,)
    return tuple(_as_view(p, x) for p in parts)


def chunk(input, chunks, dim=0):
    """Split into ``chunks`` pieces of equal size (the last may be smaller)."""
    x = to_tensor(input)
    if chunks <= 0:
        raise RuntimeError("chunk expects `chunks` to be greater than 0, got: " + str(chunks))
    n = x.data.shape[_wrap_dim(dim, x.data.ndim, "chunk")]
    step = -(-n // chunks) if n else 1
    return split(x, step, dim)


def tensor_split(input, indices_or_sections, dim=0):
    x = to_tensor(input)
    d = _wrap_dim(dim, x.data.ndim, "tensor_split")
    n = x.data.shape[d]
    if isinstance(indices_or_sections, Tensor):  # a 0-d count or a 1-D list of indices
        indices_or_sections = indices_or_sections.data.tolist()
    if isinstance(indices_or_sections, int):
        k = indices_or_sections
        if k <= 0:
            raise RuntimeError(f"number of sections must be larger than 0, got {k}")
        sizes = [n // k + (1 if i < n % k else 0) for i in range(k)]
        return split(x, sizes, d)
    # pieces are x[b_i:b_(i+1)] with slice semantics: they may overlap when indices decrease
    bounds = [0] + [int(i) for i in indices_or_sections] + [n]
    lead = (slice(None),) * d
    return tuple(x[lead + (slice(a, b),)] for a, b in zip(bounds[:-1], bounds[1:]))


def unbind(input, dim=0):
    """Remove dim ``dim``, returning the slices along it as a tuple of views."""
    x = to_tensor(input)
    d = _wrap_dim(dim, x.data.ndim, "unbind")
    n = x.data.shape[d]
    if n == 0:
        return ()
    return tuple(squeeze(p, d) for p in split(x, 1, d))


def narrow(input, dim, start, length):
    """The view ``input[..., start:start+length, ...]`` along ``dim``."""
    x = to_tensor(input)
    d = _wrap_dim(dim, x.data.ndim, "narrow")
    n = x.data.shape[d]
    start = int(start)
    if not -n <= start <= n:
        raise IndexError(f"narrow(): start out of range (expected to be in range of [{-n}, {n}], "
                         f"but got {start})")
    if start < 0:
        start += n
    if length < 0:
        raise RuntimeError("narrow(): length must be non-negative.")
    if start + length > n:
        raise RuntimeError(f"narrow(): start ({start}) + length ({length}) exceeds dimension "
                           f"size ({n}).")
    index = (slice(None),) * d + (slice(start, start + length),)
    return x[index]


def select(input, dim, index):
    x = to_tensor(input)
    d = _wrap_dim(dim, x.data.ndim, "select")
    return x[(slice(None),) * d + (index,)]


class Copy(Function):
    """A fresh contiguous copy; gradient passes through."""

    _array_forward = True

    @staticmethod
    def forward(ctx, x):
        return xp.array(x.data, copy=True, order="C")

    @staticmethod
    def backward(ctx, g):
        return g


def clone(input, *, memory_format=None):
    """A copy with its own memory, still connected to the graph."""
    return Copy.apply(to_tensor(input))


def contiguous(input, memory_format=None):
    """``input`` itself if C-contiguous, else a contiguous copy."""
    x = to_tensor(input)
    return x if x.data.flags.c_contiguous else Copy.apply(x)


def repeat(input, *sizes):
    """Tile ``input``: ``x.repeat(2, 3)`` repeats dims 2x and 3x (leading dims may be added)."""
    x = to_tensor(input)
    sizes = shape_arg(sizes)
    if len(sizes) < x.data.ndim:
        raise RuntimeError("Number of dimensions of repeat dims can not be smaller than number "
                           "of dimensions of tensor")
    shp = (1,) * (len(sizes) - x.data.ndim) + x.data.shape
    xr = reshape(x, [v for s in shp for v in (1, s)])
    expanded = expand(xr, [v for r, s in zip(sizes, shp) for v in (r, s)])
    out = reshape(expanded, [r * s for r, s in zip(sizes, shp)])
    # repeat always copies (all repeats 1 would otherwise leave a view of the input)
    return Copy.apply(out) if out._base is not None else out


def tile(input, dims):
    x = to_tensor(input)
    dims = tuple(dims)
    dims = (1,) * (x.data.ndim - len(dims)) + dims
    return repeat(x, dims)


def repeat_interleave(input, repeats=None, dim=None, *, output_size=None):
    """Repeat each element ``repeats`` times (an int or a per-element tensor) along ``dim``."""
    x = to_tensor(input)
    if repeats is None:  # torch.repeat_interleave(repeats_tensor)
        r = x.data.astype(np.int64)
        return Tensor._make(xp.repeat(xp.arange(r.shape[0]), r))
    if dim is None:
        x = reshape(x, -1)
        dim = 0
    d = _wrap_dim(dim, x.data.ndim, "repeat_interleave")
    r = repeats.data if isinstance(repeats, Tensor) else repeats
    idx = xp.repeat(xp.arange(x.data.shape[d]), r)
    from .indexing import index_select

    return index_select(x, d, Tensor._make(idx.astype(np.int64)))


def _tri_mask(x: Tensor, diagonal: int, upper: bool) -> Tensor:
    n, m = x.data.shape[-2:]
    mask = xp.triu(xp.ones((n, m), dtype=bool), diagonal) if upper else xp.tril(
        xp.ones((n, m), dtype=bool), diagonal)
    return Tensor._make(mask)


def tril(input, diagonal=0):
    """Lower triangle of the last two dims (elements above ``diagonal`` zeroed)."""
    from .elementwise import where

    x = to_tensor(input)
    if x.data.ndim < 2:
        raise RuntimeError("tril: input tensor must have at least 2 dimensions")
    return where(_tri_mask(x, diagonal, False), x, _zero_like_scalar(x))


def triu(input, diagonal=0):
    """Upper triangle of the last two dims (elements below ``diagonal`` zeroed)."""
    from .elementwise import where

    x = to_tensor(input)
    if x.data.ndim < 2:
        raise RuntimeError("triu: input tensor must have at least 2 dimensions")
    return where(_tri_mask(x, diagonal, True), x, _zero_like_scalar(x))


def _zero_like_scalar(x):
    return False if x.data.dtype.kind == "b" else (0.0 if x.data.dtype.kind == "f" else 0)


class Diagonal(Function):
    _array_forward = True

    @staticmethod
    def forward(ctx, x, offset, dim1, dim2):
        ctx.shape, ctx.args = x.data.shape, (offset, dim1, dim2)
        out = xp.diagonal(x.data, offset, dim1, dim2)
        if x.data.flags.writeable:  # torch's diagonal is a writable view
            out.setflags(write=True)
        return out

    @staticmethod
    def backward(ctx, g):
        return DiagonalScatter.apply(g, ctx.shape, *ctx.args)


class DiagonalScatter(Function):
    """Zeros of ``shape`` with ``g`` written on a diagonal (the adjoint of ``Diagonal``)."""

    _array_forward = True

    @staticmethod
    def forward(ctx, g, shape, offset, dim1, dim2):
        ctx.args = (offset, dim1, dim2)
        out = xp.zeros(shape, dtype=g.data.dtype)
        view = xp.diagonal(out, offset, dim1, dim2)
        view.setflags(write=True)
        view[...] = g.data
        return out

    @staticmethod
    def backward(ctx, gg):
        return Diagonal.apply(gg, *ctx.args)


def diagonal(input, offset=0, dim1=0, dim2=1):
    """The diagonal over dims ``dim1, dim2`` (moved to the last dim), offset above/below."""
    x = to_tensor(input)
    nd = x.data.ndim
    d1, d2 = _wrap_dim(dim1, nd, "diagonal"), _wrap_dim(dim2, nd, "diagonal")
    if d1 == d2:
        raise RuntimeError(f"diagonal dimensions cannot be identical {dim1}, {dim2}")
    return _as_view(Diagonal.apply(x, offset, d1, d2), x)


def diag_embed(input, offset=0, dim1=-2, dim2=-1):
    x = to_tensor(input)
    n = x.data.shape[-1] + builtins.abs(offset)
    nd = x.data.ndim + 1
    d1, d2 = _wrap_dim(dim1, nd), _wrap_dim(dim2, nd)
    shape = list(x.data.shape[:-1])
    for d in sorted((d1, d2)):
        shape.insert(d, n)
    return DiagonalScatter.apply(x, tuple(shape), offset, d1, d2)


def diag(input, diagonal=0):
    """1-D input: a square matrix with it on a diagonal; 2-D input: that diagonal."""
    x = to_tensor(input)
    if x.data.ndim == 1:
        n = x.data.shape[0] + builtins.abs(diagonal)
        return DiagonalScatter.apply(x, (n, n), diagonal, 0, 1)
    if x.data.ndim == 2:  # unlike diagonal(), diag returns a copy
        return Copy.apply(Diagonal.apply(x, diagonal, 0, 1))
    raise RuntimeError("diag(): Supports 1D or 2D tensors. Got " + f"{x.data.ndim}D")


class PadConstant(Function):
    _array_forward = True

    @staticmethod
    def forward(ctx, x, widths, value):
        ctx.slices = tuple(slice(lo, lo + s) for (lo, _), s in zip(widths, x.data.shape))
        return xp.pad(x.data, widths, mode="constant", constant_values=value)

    @staticmethod
    def backward(ctx, g):
        return g[ctx.slices]


def pad(input, pad, mode="constant", value=None):
    """Pad the last ``len(pad)//2`` dims: ``pad = (left_last, right_last, left_prev, ...)``.

    Modes: 'constant' (with ``value``), 'reflect', 'replicate', 'circular'. Negative padding
    crops.
    """
    x = to_tensor(input)
    if len(pad) % 2:
        raise RuntimeError("Padding length must be divisible by 2")
    nd = x.data.ndim
    if len(pad) // 2 > nd:
        raise RuntimeError(f"Padding length should be less than or equal to two times the input "
                           f"dimension but got padding length {len(pad)} and input of dimension "
                           f"{nd}")
    widths = [[0, 0] for _ in range(nd)]
    for i in range(len(pad) // 2):
        widths[nd - 1 - i] = [int(pad[2 * i]), int(pad[2 * i + 1])]
    if builtins.any(w < 0 for pair in widths for w in pair):  # negative padding crops first
        index = tuple(slice(-builtins.min(lo, 0), s + builtins.min(hi, 0))
                      for (lo, hi), s in zip(widths, x.data.shape))
        x = x[index]
        widths = [[builtins.max(lo, 0), builtins.max(hi, 0)] for lo, hi in widths]
    if mode == "constant":
        return PadConstant.apply(x, tuple(map(tuple, widths)), 0 if value is None else value)
    if value not in (None, 0, 0.0):
        raise ValueError(f"Padding mode \"{mode}\" doesn't take in value argument")
    from .indexing import index_select

    for d, (lo, hi) in enumerate(widths):
        if lo == 0 and hi == 0:
            continue
        n = x.data.shape[d]
        pos = np.arange(-lo, n + hi)
        if mode == "reflect":
            if lo >= n or hi >= n:
                raise RuntimeError(
                    f"Argument #4: Padding size should be less than the corresponding input "
                    f"dimension, but got: padding ({lo}, {hi}) at dimension {d} of input "
                    f"{list(x.shape)}")
            pos = np.abs(pos)
            pos = np.where(pos >= n, 2 * (n - 1) - pos, pos)
        elif mode == "replicate":
            pos = np.clip(pos, 0, n - 1)
        elif mode == "circular":
            if lo > n or hi > n:
                raise RuntimeError("Padding value causes wrapping around more than once.")
            pos = pos % n
        else:
            raise NotImplementedError(f"pad: unknown padding mode '{mode}'")
        x = index_select(x, d, Tensor._make(pos.astype(np.int64)))
    return x
