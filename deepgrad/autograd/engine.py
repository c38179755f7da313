"""The backward pass: an iterative walk of the graph in reverse topological order.

One depth-first search (with an explicit stack, so a 10,000-op chain is fine) lists the nodes in
post-order; walking that list backwards visits every node after all nodes that feed it
gradients. Gradients for a node's outputs are summed in a buffer until the node runs.
"""
from __future__ import annotations

import numpy as np

from .._tensor import Tensor
from .function import AccumulateGrad, _edge_of
from .grad_mode import _state


def _post_order(roots):
    """Nodes reachable from ``roots``, each after every node it sends gradients to."""
    order = []
    visited = set()
    for root in roots:
        if root in visited:
            continue
        visited.add(root)
        stack = [(root, iter(root._next))]
        while stack:
            node, edges = stack[-1]
            for edge in edges:
                if edge is not None and edge[0] not in visited:
                    child = edge[0]
                    visited.add(child)
                    stack.append((child, iter(child._next)))
                    break
            else:
                stack.pop()
                order.append(node)
    return order


def _root_grads(outputs, grad_outputs, create_graph):
    if grad_outputs is None:
        grad_outputs = (None,) * len(outputs)
    if len(grad_outputs) != len(outputs):
        raise RuntimeError(
            f"grad can be implicitly created only for scalar outputs: got {len(grad_outputs)} "
            f"gradients for {len(outputs)} outputs")
    grads = []
    for i, (out, g) in enumerate(zip(outputs, grad_outputs)):
        if not isinstance(out, Tensor):
            raise TypeError(f"backward: expected a Tensor, got {type(out).__name__}")
        if not out.requires_grad:
            raise RuntimeError(
                f"element {i} of tensors does not require grad and does not have a grad_fn")
        if g is None:
            if out.data.size != 1:
                raise RuntimeError("grad can be implicitly created only for scalar outputs")
            grads.append(Tensor._make(np.ones(out.data.shape, out.data.dtype)))
            continue
        elif not isinstance(g, Tensor):
            from .._creation import tensor

            g = tensor(g, dtype=out.dtype)
        if g.shape != out.shape:
            raise RuntimeError(
                f"Mismatch in shape: grad_output[{i}] has a shape of {g.shape} and output[{i}] "
                f"has a shape of {out.shape}.")
        if not create_graph:
            g = g.detach()
        grads.append(g)
    return grads


def _run(outputs, grads, retain_graph, create_graph, capture=None, accumulate_into=None):
    """Run backward from ``outputs`` seeded with ``grads``.

    ``capture`` maps edges ``(node, output_index)`` to slots: their incoming gradients are
    returned instead of being accumulated into leaves (``autograd.grad``).
    ``accumulate_into``: if given, a set of leaf ids that may receive ``.grad`` (``inputs=``).
    """
    root_edges = [_edge_of(o) for o in outputs]
    order = _post_order([e[0] for e in root_edges])
    needed = None
    if capture is not None:
        targets = {e[0] for e in capture}
        needed = set()
        for node in order:  # children come first in post-order
            if node in targets or any(e is not None and e[0] in needed for e in node._next):
                needed.add(node)
    buffers = {}
    for (node, idx), g in zip(root_edges, grads):
        _add_to_buffer(buffers, node, idx, g)
    captured = {} if capture is not None else None
    claimed = set(id(g.data) for g in grads)  # arrays a leaf must not adopt without a copy

    prev = _state.enabled
    _state.enabled = create_graph
    try:
        for node in reversed(order):
            node_grads = buffers.pop(node, None)
            if needed is not None and node not in needed:
                continue
            if node_grads is not None and node._hooks:
                node_grads = _run_hooks(node._hooks, node_grads)
            if captured is not None and node_grads is not None:
                for idx, g in enumerate(node_grads):
                    slot = capture.get((node, idx))
                    if slot is not None and g is not None:
                        captured[slot] = g
            if type(node) is AccumulateGrad:
                if node_grads is not None and node_grads[0] is not None and captured is None:
                    var = node.variable
                    if accumulate_into is None or id(var) in accumulate_into:
                        _accumulate_leaf(var, node_grads[0], create_graph, claimed)
                continue
            if node_grads is None or (node_grads[0] is None if len(node_grads) == 1 else all(
                    g is None for g in node_grads)):
                if not retain_graph:
                    node._release()
                continue
            input_grads = node._apply_backward(node_grads)
            for edge, g in zip(node._next, input_grads):
                if edge is not None and g is not None:
                    child, idx = edge
                    buf = buffers.get(child)
                    if buf is None:
                        buf = buffers[child] = [None] * child._n_outputs
                    buf[idx] = g if buf[idx] is None else buf[idx] + g
            if not retain_graph:
                node._release()
    finally:
        _state.enabled = prev
    return captured


def _add_to_buffer(buffers, node, idx, g):
    buf = buffers.get(node)
    if buf is None:
        buf = [None] * node._n_outputs
        buffers[node] = buf
    buf[idx] = g if buf[idx] is None else buf[idx] + g


def _run_hooks(hooks, grads):
    grads = list(grads)
    for idx, fns in hooks.items():
        g = grads[idx]
        if g is None:
            continue
        for fn in list(fns):
            r = fn(g)
            if r is not None:
                g = r
        grads[idx] = g
    return grads


def _accumulate_leaf(var: Tensor, g: Tensor, create_graph: bool, claimed: set) -> None:
    if var._hooks:
        for fn in list(var._hooks):
            r = fn(g)
            if r is not None:
                g = r
    data = g.data
    if data.shape != var.data.shape:
        raise RuntimeError(
            f"backward: gradient of shape {tuple(data.shape)} does not match the leaf's shape "
            f"{tuple(var.data.shape)}")
    if data.dtype != var.data.dtype:
        data = data.astype(var.data.dtype)
        g = Tensor._make(data, g.requires_grad, g.grad_fn, g._out_idx)
    if create_graph:
        var.grad = g if var.grad is None else var.grad + g
        return
    if var.grad is None:
        # The leaf adopts the gradient array unless it may be seen elsewhere: a view, a
        # read-only broadcast, or an array already given to another leaf or passed in by the user.
        if data.base is not None or not data.flags.writeable or id(data) in claimed:
            data = data.copy()
        claimed.add(id(data))
        var.grad = Tensor._make(data)
    else:
        old = var.grad.data
        if old.flags.writeable and old.shape == data.shape and var.grad.grad_fn is None:
            old += data
        else:
            var.grad = Tensor._make(old + data)


def backward(tensors, grad_tensors=None, retain_graph=None, create_graph=False, inputs=None):
    """Compute the gradients of ``tensors`` and accumulate them into the leaves' ``.grad``.

    Same contract as ``torch.autograd.backward``.
    """
    if isinstance(tensors, Tensor):
        tensors = (tensors,)
    tensors = tuple(tensors)
    if isinstance(grad_tensors, Tensor):
        grad_tensors = (grad_tensors,)
    if retain_graph is None:
        retain_graph = create_graph
    grads = _root_grads(tensors, None if grad_tensors is None else tuple(grad_tensors),
                        create_graph)
    only = None
    if inputs is not None:
        if isinstance(inputs, Tensor):
            inputs = (inputs,)
        only = {id(t) for t in inputs}
        if len(only) == 0:
            raise RuntimeError("backward: 'inputs' argument cannot be empty")
    _run(tensors, grads, retain_graph, create_graph, accumulate_into=only)


def grad(outputs, inputs, grad_outputs=None, retain_graph=None, create_graph=False,
         allow_unused=None, is_grads_batched=False, materialize_grads=False):
    """Return the gradients of ``outputs`` with respect to ``inputs`` without touching ``.grad``.

    Same contract as ``torch.autograd.grad``: ``grad_outputs`` seeds non-scalar outputs,
    ``create_graph=True`` makes the result differentiable (gradient penalties, Hessian-vector
    products), ``allow_unused`` returns ``None`` (or zeros with ``materialize_grads``) for
    inputs that the outputs do not depend on.
    """
    if is_grads_batched:
        raise NotImplementedError("autograd.grad: is_grads_batched is not supported")
    single = isinstance(inputs, Tensor)
    if single:
        inputs = (inputs,)
    inputs = tuple(inputs)
    if isinstance(outputs, Tensor):
        outputs = (outputs,)
    outputs = tuple(outputs)
    if isinstance(grad_outputs, Tensor):
        grad_outputs = (grad_outputs,)
    if allow_unused is None:
        allow_unused = materialize_grads
    if retain_graph is None:
        retain_graph = create_graph
    for t in inputs:
        if not t.requires_grad:
            raise RuntimeError("One of the differentiated Tensors does not require grad")
    slots = {}
    for t in inputs:
        slots.setdefault(_edge_of(t), len(slots))
    grads = _root_grads(outputs, None if grad_outputs is None else tuple(grad_outputs),
                        create_graph)
    captured = _run(outputs, grads, retain_graph, create_graph, capture=slots)
    from .. import _creation

    result = []
    for t in inputs:
        g = captured.get(slots[_edge_of(t)])
        if g is None:
            if not allow_unused:
                raise RuntimeError(
                    "One of the differentiated Tensors appears to not have been used in the "
                    "graph. Set allow_unused=True if this is the desired behavior.")
            if materialize_grads:
                g = _creation.zeros_like(t)
        elif not create_graph:
            g = g.detach()
        result.append(g)
    return tuple(result)
