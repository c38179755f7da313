"""Checks the op table cannot express, for movement, indexing and linalg ops.

1. View or copy: an in-place write into an op's output reaches the input exactly when it does
   in torch (views share memory; flip, repeat, diag of a matrix, advanced indexing copy).
2. Double backward (``create_graph=True``) through gradients built from tensor ops, checked
   numerically with ``gradgradcheck`` in float64. Linear ops are squared so that their
   gradient depends on the inputs.
"""
import numpy as np
import pytest

import deepgrad as dg

torch = pytest.importorskip("torch")


def _pad(m, x, p):
    return dg.pad(x, p) if m is dg else torch.nn.functional.pad(x, p)


VIEW_CASES = {
    "reshape": lambda m, x: x.reshape(4, 6),
    "view": lambda m, x: x.view(-1),
    "flatten": lambda m, x: x.flatten(1),
    "unflatten": lambda m, x: x.unflatten(2, (2, 2)),
    "squeeze": lambda m, x: x.unsqueeze(0).squeeze(0),
    "unsqueeze": lambda m, x: x.unsqueeze(-1),
    "expand_same_shape": lambda m, x: x.expand(2, 3, 4),
    "broadcast_to_same_shape": lambda m, x: m.broadcast_to(x, (2, 3, 4)),
    "permute": lambda m, x: x.permute(2, 0, 1),
    "transpose": lambda m, x: x.transpose(0, 1),
    "movedim": lambda m, x: x.movedim(0, 2),
    "mT": lambda m, x: x.mT,
    "t": lambda m, x: x[0].t(),
    "split": lambda m, x: x.split(1)[1],
    "chunk": lambda m, x: x.chunk(2, 2)[1],
    "unbind": lambda m, x: x.unbind(1)[2],
    "tensor_split_indices": lambda m, x: x.tensor_split([1, 3], 2)[1],
    "tensor_split_sections": lambda m, x: x.tensor_split(2, 2)[1],
    "narrow": lambda m, x: x.narrow(2, 1, 2),
    "select": lambda m, x: x.select(1, 1),
    "diagonal": lambda m, x: x.diagonal(0, 1, 2),
    "diag_of_matrix": lambda m, x: m.diag(x[0]),
    "flip": lambda m, x: x.flip(0),
    "roll": lambda m, x: x.roll(1, 0),
    "repeat_ones": lambda m, x: x.repeat(1, 1, 1),
    "tril": lambda m, x: x.tril(),
    "cat_single": lambda m, x: m.cat([x]),
    "stack_single": lambda m, x: m.stack([x]),
    "clone": lambda m, x: x.clone(),
    "contiguous": lambda m, x: x.contiguous(),
    "pad_zero": lambda m, x: _pad(m, x, (0, 0)),
    "getitem_basic": lambda m, x: x[1, :, ::2],
    "getitem_none_ellipsis": lambda m, x: x[None, ..., 1],
    "getitem_list": lambda m, x: x[[0, 1]],
    "getitem_mask": lambda m, x: x[x > 0],
    "index_select": lambda m, x: x.index_select(0, m.tensor([1])),
    "gather": lambda m, x: x.gather(0, m.zeros(1, 3, 4, dtype=m.int64)),
    "masked_select": lambda m, x: x.masked_select(x > 0),
}


def _write_reaches_input(m, fn):
    x = m.tensor(np.arange(24, dtype=np.float32).reshape(2, 3, 4) - 5)
    y = fn(m, x)
    y.add_(100)
    return bool((x > 50).any()), y is x


@pytest.mark.parametrize("name", list(VIEW_CASES))
def test_view_or_copy_like_torch(name):
    fn = VIEW_CASES[name]
    assert _write_reaches_input(dg, fn) == _write_reaches_input(torch, fn)


def test_expanded_output_rejects_inplace_writes_like_torch():
    for m in (torch, dg):
        y = m.zeros(3, 1).expand(3, 4)
        with pytest.raises(RuntimeError):
            y.add_(1)


def _leaf(rng, *shape):
    return dg.tensor(rng.standard_normal(shape), requires_grad=True)


DOUBLE_BACKWARD_CASES = {
    "einsum_ellipsis_broadcast": (lambda a, b: dg.einsum("...ij,...jk->...ik", a, b),
                                  [(2, 1, 2, 3), (3, 3, 2)]),
    "einsum_diagonal": (lambda a: dg.einsum("ii->i", a) ** 2, [(3, 3)]),
    "einsum_trace_product": (lambda a, b: dg.einsum("iij,jk->k", a, b), [(3, 3, 2), (2, 2)]),
    "einsum_summed_dim": (lambda a, b: dg.einsum("ijk,jl->il", a, b), [(2, 3, 2), (3, 2)]),
    "matmul_batched": (lambda a, b: a @ b, [(2, 2, 3), (3, 2)]),
    "matmul_vector": (lambda a, b: a @ b, [(3,), (2, 3, 2)]),
    "addmm_beta0": (lambda x, a, b: dg.addmm(x, a, b, beta=0, alpha=2.0) ** 2,
                    [(2, 2), (2, 3), (3, 2)]),
    "scatter_src_larger": (lambda x, s: dg.scatter(x, 1, dg.tensor([[2], [0]]), s) ** 2,
                           [(2, 3), (2, 4)]),
    "scatter_add": (lambda x, s: dg.scatter_add(x, 0, dg.tensor([[1, 1], [1, 0]]), s) ** 2,
                    [(2, 2), (3, 3)]),
    "getitem_duplicates": (lambda x: x[dg.tensor([0, 2, 0])] ** 2, [(3, 2)]),
    "tensor_split_overlap": (lambda x: dg.tensor_split(x, [3, 1], 1)[2] ** 2, [(2, 4)]),
    "pad_reflect": (lambda x: dg.pad(x, (2, 1), mode="reflect") ** 2, [(1, 2, 4)]),
    "diag_embed": (lambda x: dg.diag_embed(x, 1) ** 2, [(2, 3)]),
}


@pytest.mark.parametrize("name", list(DOUBLE_BACKWARD_CASES))
def test_gradgradcheck_float64(name):
    fn, shapes = DOUBLE_BACKWARD_CASES[name]
    rng = np.random.default_rng(0)
    inputs = tuple(_leaf(rng, *s) for s in shapes)
    assert dg.autograd.gradgradcheck(fn, inputs, eps=1e-6, atol=1e-5, rtol=1e-3)
