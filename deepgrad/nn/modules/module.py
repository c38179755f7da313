"""``Module``: the base class of every layer and model, with torch's contracts.

Parameters, buffers and sub-modules register themselves through attribute assignment and are
kept in insertion order, which gives ``state_dict`` torch's dotted key names and order
(``layers.0.weight``, ``bn.running_mean``, ...). Hooks run around ``forward`` in ``__call__``.
"""
from __future__ import annotations

import itertools
import warnings
import weakref
from collections import OrderedDict, namedtuple
from collections.abc import Mapping
from typing import Iterator

import numpy as np

from ... import _dtype
from ..._tensor import Tensor, _check_device
from ...autograd.function import Function
from ...autograd.grad_mode import is_grad_enabled, no_grad
from ..parameter import Buffer, Parameter

_IncompatibleKeys = namedtuple("IncompatibleKeys", ["missing_keys", "unexpected_keys"])


class _IncompatibleKeysResult(_IncompatibleKeys):
    def __repr__(self):
        if not self.missing_keys and not self.unexpected_keys:
            return "<All keys matched successfully>"
        return super().__repr__()

    __str__ = __repr__


class RemovableHandle:
    """Returned by the ``register_*_hook`` methods; ``remove()`` unregisters the hook."""

    _next_id = itertools.count()

    def __init__(self, hooks_dict: dict):
        self.id = next(RemovableHandle._next_id)
        self._hooks = weakref.ref(hooks_dict) if _weakrefable(hooks_dict) else (
            lambda d=hooks_dict: d)

    def remove(self) -> None:
        hooks = self._hooks()
        if hooks is not None:
            hooks.pop(self.id, None)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.remove()


def _weakrefable(obj) -> bool:
    try:
        weakref.ref(obj)
        return True
    except TypeError:
        return False


class _HookDict(OrderedDict):
    """An ordered dict that can be weakly referenced by handles."""


def _addindent(s: str, num_spaces: int) -> str:
    lines = s.split("\n")
    if len(lines) == 1:
        return s
    first = lines.pop(0)
    return first + "\n" + "\n".join(" " * num_spaces + line for line in lines)


class Module:
    """Base class for all neural network modules.

    Subclass it, create layers in ``__init__`` (after ``super().__init__()``) and define
    ``forward``; call the module (not ``forward``) so hooks run.

    Example::

        class MLP(deepgrad.nn.Module):
            def __init__(self):
                super().__init__()
                self.fc1 = deepgrad.nn.Linear(784, 128)
                self.fc2 = deepgrad.nn.Linear(128, 10)

            def forward(self, x):
                return self.fc2(self.fc1(x).relu())
    """

    training: bool
    _version = 1
    dump_patches = False

    def __init__(self, *args, **kwargs) -> None:
        if args or kwargs:
            raise TypeError(f"{type(self).__name__}.__init__() got unexpected arguments")
        d = self.__dict__
        d["training"] = True
        d["_parameters"] = OrderedDict()
        d["_buffers"] = OrderedDict()
        d["_non_persistent_buffers_set"] = set()
        d["_modules"] = OrderedDict()
        d["_forward_hooks"] = _HookDict()
        d["_forward_hooks_with_kwargs"] = {}
        d["_forward_hooks_always_called"] = {}
        d["_forward_pre_hooks"] = _HookDict()
        d["_forward_pre_hooks_with_kwargs"] = {}
        d["_backward_hooks"] = _HookDict()
        d["_backward_pre_hooks"] = _HookDict()
        d["_state_dict_hooks"] = _HookDict()
        d["_load_state_dict_pre_hooks"] = _HookDict()

    def forward(self, *input):
        """The computation of the module; every subclass defines it (call the module, not
        ``forward``, so hooks run)."""
        raise NotImplementedError(f'Module [{type(self).__name__}] is missing the required '
                                  '"forward" function')

    # ------------------------------------------------------------------ registration
    def register_buffer(self, name: str, tensor, persistent: bool = True) -> None:
        """Register a tensor that is state but not a parameter (e.g. BatchNorm's running
        mean). Non-persistent buffers are left out of ``state_dict``."""
        if "_buffers" not in self.__dict__:
            raise AttributeError("cannot assign buffer before Module.__init__() call")
        self._check_name(name, "buffer")
        if hasattr(self, name) and name not in self._buffers:
            raise KeyError(f"attribute '{name}' already exists")
        if tensor is not None and not isinstance(tensor, Tensor):
            raise TypeError(f"cannot assign '{type(tensor).__name__}' object to buffer '{name}' "
                            "(torch Tensor or None required)")
        if isinstance(tensor, Buffer):
            tensor = Tensor._make(tensor.data)
        self._buffers[name] = tensor
        if persistent:
            self._non_persistent_buffers_set.discard(name)
        else:
            self._non_persistent_buffers_set.add(name)

    def register_parameter(self, name: str, param) -> None:
        """Register a ``Parameter`` (or None) under ``name``."""
        if "_parameters" not in self.__dict__:
            raise AttributeError("cannot assign parameter before Module.__init__() call")
        self._check_name(name, "parameter")
        if hasattr(self, name) and name not in self._parameters:
            raise KeyError(f"attribute '{name}' already exists")
        if param is None:
            self._parameters[name] = None
            return
        if not isinstance(param, Parameter):
            raise TypeError(f"cannot assign '{type(param).__name__}' object to parameter "
                            f"'{name}' (torch.nn.Parameter or None required)")
        if param.grad_fn is not None:
            raise ValueError(f"Cannot assign non-leaf Tensor to parameter '{name}'. Model "
                             "parameters must be created explicitly.")
        self._parameters[name] = param

    def add_module(self, name: str, module) -> None:
        """Register a sub-module under ``name`` (``None`` is allowed)."""
        if not isinstance(module, Module) and module is not None:
            raise TypeError(f"{type(module).__name__} is not a Module subclass")
        if not isinstance(name, str):
            raise TypeError(f"module name should be a string. Got {type(name).__name__}")
        if hasattr(self, name) and name not in self._modules:
            raise KeyError(f"attribute '{name}' already exists")
        if "." in name or name == "":
            raise KeyError(f'module name can\'t contain ".", got: {name}' if name else
                           'module name can\'t be empty string ""')
        self._modules[name] = module

    register_module = add_module

    @staticmethod
    def _check_name(name, kind):
        if not isinstance(name, str):
            raise TypeError(f"{kind} name should be a string. Got {type(name).__name__}")
        if "." in name:
            raise KeyError(f'{kind} name can\'t contain "."')
        if name == "":
            raise KeyError(f'{kind} name can\'t be empty string ""')

    def __setattr__(self, name: str, value) -> None:
        d = self.__dict__
        params = d.get("_parameters")
        if isinstance(value, Parameter):
            if params is None:
                raise AttributeError("cannot assign parameters before Module.__init__() call")
            self._remove_from(name, d, d["_buffers"], d["_modules"])
            self.register_parameter(name, value)
            return
        if params is not None and name in params:
            if value is not None:
                raise TypeError(f"cannot assign '{type(value).__name__}' as parameter '{name}' "
                                "(torch.nn.Parameter or None expected)")
            self.register_parameter(name, value)
            return
        modules = d.get("_modules")
        if isinstance(value, Module):
            if modules is None:
                raise AttributeError("cannot assign module before Module.__init__() call")
            self._remove_from(name, d, d["_parameters"], d["_buffers"])
            modules[name] = value
            return
        if modules is not None and name in modules:
            if value is not None:
                raise TypeError(f"cannot assign '{type(value).__name__}' as child module "
                                f"'{name}' (torch.nn.Module or None expected)")
            modules[name] = value
            return
        buffers = d.get("_buffers")
        if isinstance(value, Buffer):
            if buffers is None:
                raise AttributeError("cannot assign buffer before Module.__init__() call")
            self._remove_from(name, d, d["_parameters"], d["_modules"])
            self.register_buffer(name, value, value.__dict__.get("persistent", True))
            return
        if buffers is not None and name in buffers:
            if value is not None and not isinstance(value, Tensor):
                raise TypeError(f"cannot assign '{type(value).__name__}' as buffer '{name}' "
                                "(torch.Tensor or None expected)")
            buffers[name] = value
            return
        object.__setattr__(self, name, value)

    def _remove_from(self, name, *dicts):
        for d in dicts:
            if name in d:
                if d is self.__dict__.get("_buffers"):
                    self._non_persistent_buffers_set.discard(name)
                del d[name]

    def __getattr__(self, name: str):
        d = self.__dict__
        for store in ("_parameters", "_buffers", "_modules"):
            s = d.get(store)
            if s is not None and name in s:
                return s[name]
        raise AttributeError(f"'{type(self).__name__}' object has no attribute '{name}'")

    def __delattr__(self, name: str) -> None:
        for store in ("_parameters", "_buffers", "_modules"):
            s = self.__dict__.get(store)
            if s is not None and name in s:
                del s[name]
                self._non_persistent_buffers_set.discard(name)
                return
        object.__delattr__(self, name)

    def __dir__(self):
        attrs = list(super().__dir__())
        return sorted(set(attrs + list(self._parameters) + list(self._buffers)
                          + list(self._modules)))

    def __getstate__(self):
        return self.__dict__.copy()

    def __setstate__(self, state):
        self.__dict__.update(state)

    # ------------------------------------------------------------------ traversal
    def named_modules(self, memo=None, prefix: str = "", remove_duplicate: bool = True):
        """Yield ``(name, module)`` for this module and every descendant (each once)."""
        if memo is None:
            memo = set()
        if remove_duplicate and self in memo:
            return
        if remove_duplicate:
            memo.add(self)
        yield prefix, self
        for name, module in self._modules.items():
            if module is None:
                continue
            sub = prefix + ("." if prefix else "") + name
            yield from module.named_modules(memo, sub, remove_duplicate)

    def modules(self) -> Iterator["Module"]:
        for _, m in self.named_modules():
            yield m

    def named_children(self):
        memo = set()
        for name, module in self._modules.items():
            if module is not None and module not in memo:
                memo.add(module)
                yield name, module

    def children(self):
        for _, m in self.named_children():
            yield m

    def _named_members(self, get_members, prefix="", recurse=True, remove_duplicate=True):
        memo = set()
        modules = self.named_modules(prefix=prefix, remove_duplicate=remove_duplicate) if (
            recurse) else [(prefix, self)]
        for module_prefix, module in modules:
            for k, v in get_members(module):
                if v is None or (remove_duplicate and id(v) in memo):
                    continue
                if remove_duplicate:
                    memo.add(id(v))
                yield module_prefix + ("." if module_prefix else "") + k, v

    def named_parameters(self, prefix: str = "", recurse: bool = True,
                         remove_duplicate: bool = True):
        """Yield ``(dotted_name, parameter)``; shared parameters appear once."""
        yield from self._named_members(lambda m: m._parameters.items(), prefix, recurse,
                                       remove_duplicate)

    def parameters(self, recurse: bool = True) -> Iterator[Parameter]:
        for _, p in self.named_parameters(recurse=recurse):
            yield p

    def named_buffers(self, prefix: str = "", recurse: bool = True,
                      remove_duplicate: bool = True):
        yield from self._named_members(lambda m: m._buffers.items(), prefix, recurse,
                                       remove_duplicate)

    def buffers(self, recurse: bool = True) -> Iterator[Tensor]:
        for _, b in self.named_buffers(recurse=recurse):
            yield b

    def get_submodule(self, target: str) -> "Module":
        """The sub-module at dotted path ``target`` (``''`` is this module)."""
        if target == "":
            return self
        mod = self
        for item in target.split("."):
            if not hasattr(mod, item):
                raise AttributeError(f"{mod._get_name()} has no attribute `{item}`")
            mod = getattr(mod, item)
            if not isinstance(mod, Module):
                raise AttributeError(f"`{item}` is not an nn.Module")
        return mod

    def get_parameter(self, target: str) -> Parameter:
        module_path, _, name = target.rpartition(".")
        mod = self.get_submodule(module_path)
        if name not in mod._parameters:
            raise AttributeError(f"`{name}` is not an nn.Parameter")
        return mod._parameters[name]

    def get_buffer(self, target: str) -> Tensor:
        module_path, _, name = target.rpartition(".")
        mod = self.get_submodule(module_path)
        if name not in mod._buffers:
            raise AttributeError(f"`{name}` is not a buffer")
        return mod._buffers[name]

    # ------------------------------------------------------------------ state dict
    def _save_to_state_dict(self, destination, prefix, keep_vars):
        for name, param in self._parameters.items():
            if param is not None:
                destination[prefix + name] = param if keep_vars else param.detach()
        for name, buf in self._buffers.items():
            if buf is not None and name not in self._non_persistent_buffers_set:
                destination[prefix + name] = buf if keep_vars else buf.detach()
        if _has_extra_state(self):
            destination[prefix + _EXTRA_STATE_KEY] = self.get_extra_state()

    def get_extra_state(self):
        """Extra (non-tensor) state to save in ``state_dict`` under ``'_extra_state'``;
        override together with :meth:`set_extra_state`."""
        raise RuntimeError("Reached a code path in Module.get_extra_state() that should never be "
                           "called.")

    def set_extra_state(self, state) -> None:
        """Restore what :meth:`get_extra_state` returned (called by ``load_state_dict``)."""
        raise RuntimeError("Reached a code path in Module.set_extra_state() that should never be "
                           "called.")

    def state_dict(self, *args, destination=None, prefix: str = "", keep_vars: bool = False):
        """An ordered dict of parameters and persistent buffers under dotted names.

        Values are detached tensors sharing memory with the module's (``keep_vars=True``
        returns the parameters themselves).
        """
        if args:  # torch's old positional (destination, prefix, keep_vars)
            destination = args[0]
            if len(args) > 1:
                prefix = args[1]
            if len(args) > 2:
                keep_vars = args[2]
        if destination is None:
            destination = OrderedDict()
            destination._metadata = OrderedDict()
        meta = getattr(destination, "_metadata", None)
        if meta is not None:
            meta[prefix[:-1]] = {"version": self._version}
        self._save_to_state_dict(destination, prefix, keep_vars)
        for name, module in self._modules.items():
            if module is not None:
                module.state_dict(destination=destination, prefix=prefix + name + ".",
                                  keep_vars=keep_vars)
        for hook in self._state_dict_hooks.values():
            result = hook(self, destination, prefix, {})
            if result is not None:
                destination = result
        return destination

    def _load_from_state_dict(self, state_dict, prefix, local_metadata, strict, missing_keys,
                              unexpected_keys, error_msgs):
        """Copy this module's own entries from ``state_dict`` (override to migrate keys).

        Appends to ``missing_keys`` / ``unexpected_keys`` / ``error_msgs`` as torch does; a
        lazy (uninitialized) parameter takes the checkpoint's shape."""
        from ..parameter import UninitializedParameter

        assign = local_metadata.get("assign_to_params_buffers", False)
        local = {k: v for k, v in self._parameters.items() if v is not None}
        local.update((k, v) for k, v in self._buffers.items()
                     if v is not None and k not in self._non_persistent_buffers_set)
        for name, param in local.items():
            key = prefix + name
            if key not in state_dict:
                if strict:
                    missing_keys.append(key)
                continue
            value = _as_array_tensor(state_dict[key])
            if value is None:
                error_msgs.append(f'While copying the parameter named "{key}", expected '
                                  f"torch.Tensor or Tensor-like object from checkpoint but "
                                  f"received {type(state_dict[key])}")
                continue
            if isinstance(param, UninitializedParameter):
                param.materialize(tuple(value.shape))
            elif tuple(value.shape) != tuple(param.shape):
                error_msgs.append(
                    f"size mismatch for {key}: copying a param with shape {tuple(value.shape)} "
                    f"from checkpoint, the shape in current model is {tuple(param.shape)}.")
                continue
            try:
                if assign:
                    self._assign_loaded(name, param, value)
                else:
                    with no_grad():
                        param.copy_(value)
            except Exception as e:  # noqa: BLE001 - reported with the key, like torch
                error_msgs.append(f'While copying the parameter named "{key}", whose dimensions '
                                  f"in the model are {tuple(param.shape)} and whose dimensions "
                                  f"in the checkpoint are {tuple(value.shape)}, an exception "
                                  f"occurred : {e}.")
        extra_key = prefix + _EXTRA_STATE_KEY
        if _has_extra_state(self):
            if extra_key in state_dict:
                self.set_extra_state(state_dict[extra_key])
            elif strict:
                missing_keys.append(extra_key)
        if strict:
            for key in state_dict:
                if not key.startswith(prefix) or (key == extra_key and _has_extra_state(self)):
                    continue
                head, *rest = key[len(prefix):].split(".", 1)
                if (head not in self._modules) if rest else (head not in local):
                    unexpected_keys.append(key)

    def _assign_loaded(self, name, param, value) -> None:
        """``load_state_dict(assign=True)``: keep the checkpoint's tensor itself."""
        if isinstance(param, Parameter):
            if isinstance(value, Parameter):
                value.requires_grad_(param.requires_grad)
            else:
                value = Parameter(value, requires_grad=param.requires_grad)
        elif isinstance(value, Parameter):
            value = value.detach()
        setattr(self, name, value)

    def load_state_dict(self, state_dict, strict: bool = True, assign: bool = False):
        """Copy parameters and buffers from ``state_dict`` into this module.

        Returns ``(missing_keys, unexpected_keys)``; with ``strict=True`` (default) any missing
        or unexpected key raises a RuntimeError listing them; a shape mismatch always raises.
        Values may be deepgrad tensors, NumPy arrays or any array-like. ``assign=True`` keeps
        the given tensors instead of copying into the existing ones.
        """
        if not isinstance(state_dict, Mapping):
            raise TypeError(f"Expected state_dict to be dict-like, got {type(state_dict)}.")
        missing, unexpected, errors = [], [], []
        state_dict = OrderedDict(state_dict)
        metadata = {"assign_to_params_buffers": assign}

        def load(module, prefix=""):
            for hook in module._load_state_dict_pre_hooks.values():
                hook(state_dict, prefix, metadata, True, missing, unexpected, errors)
            module._load_from_state_dict(state_dict, prefix, metadata, True, missing,
                                         unexpected, errors)
            for name, child in module._modules.items():
                if child is not None:
                    load(child, prefix + name + ".")

        load(self)
        if strict:
            if unexpected:
                errors.insert(0, "Unexpected key(s) in state_dict: "
                              + ", ".join(f'"{k}"' for k in unexpected) + ". ")
            if missing:
                errors.insert(0, "Missing key(s) in state_dict: "
                              + ", ".join(f'"{k}"' for k in missing) + ". ")
        if errors:
            raise RuntimeError(f"Error(s) in loading state_dict for {type(self).__name__}:\n\t"
                               + "\n\t".join(errors))
        return _IncompatibleKeysResult(missing, unexpected)

    def register_state_dict_pre_hook(self, hook):
        raise NotImplementedError("state_dict pre-hooks are not supported")

    def _register_state_dict_hook(self, hook):
        handle = RemovableHandle(self._state_dict_hooks)
        self._state_dict_hooks[handle.id] = hook
        return handle

    register_state_dict_post_hook = _register_state_dict_hook

    def _register_load_state_dict_pre_hook(self, hook, with_module=False):
        handle = RemovableHandle(self._load_state_dict_pre_hooks)
        self._load_state_dict_pre_hooks[handle.id] = (
            (lambda *a: hook(self, *a)) if with_module else hook)
        return handle

    # ------------------------------------------------------------------ modes and conversion
    def train(self, mode: bool = True) -> "Module":
        """Set training mode (Dropout active, BatchNorm uses batch statistics); returns self."""
        if not isinstance(mode, bool):
            raise ValueError("training mode is expected to be boolean")
        self.training = mode
        for m in self.children():
            m.train(mode)
        return self

    def eval(self) -> "Module":
        """Set evaluation mode; same as ``train(False)``."""
        return self.train(False)

    def requires_grad_(self, requires_grad: bool = True) -> "Module":
        for p in self.parameters():
            p.requires_grad_(requires_grad)
        return self

    def zero_grad(self, set_to_none: bool = True) -> None:
        """Reset gradients of all parameters (to None by default, like torch)."""
        for p in self.parameters():
            if p.grad is not None:
                if set_to_none:
                    p.grad = None
                else:
                    if p.grad.grad_fn is not None:
                        p.grad = p.grad.detach()
                    p.grad.zero_()

    def apply(self, fn) -> "Module":
        """Call ``fn`` on every sub-module (children first) and then on self; returns self."""
        for m in self.children():
            m.apply(fn)
        fn(self)
        return self

    def _apply(self, fn, recurse: bool = True) -> "Module":
        if recurse:
            for m in self.children():
                m._apply(fn)
        for key, param in self._parameters.items():
            if param is None:
                continue
            new = fn(param)
            if new is not param:  # convert in place: the Parameter object (and its grad) stay
                param.data = new.data
                if param.grad is not None:
                    param.grad.data = fn(param.grad).data
        for key, buf in self._buffers.items():
            if buf is not None:
                self._buffers[key] = fn(buf)
        return self

    def to(self, *args, **kwargs) -> "Module":
        """Convert floating-point parameters and buffers in place: ``to(dtype)``,
        ``to(device)`` (CPU only), ``to(tensor)``."""
        dtype = kwargs.pop("dtype", None)
        device = kwargs.pop("device", None)
        for a in args:
            if isinstance(a, Tensor):
                dtype = a.dtype
            elif isinstance(a, _dtype.dtype):
                dtype = a
            elif a is not None:
                device = a
        _check_device(device)
        if dtype is None:
            return self
        d = _dtype.to_dtype(dtype)
        if not d.is_floating_point:
            raise TypeError(f"nn.Module.to only accepts floating point dtypes, but got "
                            f"desired dtype={d}")
        return self._apply(lambda t: t.to(d) if t.is_floating_point() else t)

    def float(self) -> "Module":
        return self.to(_dtype.float32)

    def double(self) -> "Module":
        return self.to(_dtype.float64)

    def half(self) -> "Module":
        return self.to(_dtype.float16)

    def bfloat16(self) -> "Module":
        return self.to(_dtype.bfloat16)

    def type(self, dst_type) -> "Module":
        """Cast all parameters and buffers (integer ones too) to ``dst_type``."""
        return self._apply(lambda t: t.type(dst_type))

    def cpu(self) -> "Module":
        return self

    def cuda(self, device=None) -> "Module":
        raise RuntimeError("deepgrad computes on the CPU only; CUDA is not available")

    def share_memory(self) -> "Module":
        return self

    # ------------------------------------------------------------------ hooks
    def register_forward_pre_hook(self, hook, *, prepend: bool = False,
                                  with_kwargs: bool = False) -> RemovableHandle:
        """``hook(module, args)`` (or ``(module, args, kwargs)``) runs before ``forward``;
        it may return replacement args."""
        handle = RemovableHandle(self._forward_pre_hooks)
        self._forward_pre_hooks[handle.id] = hook
        if with_kwargs:
            self._forward_pre_hooks_with_kwargs[handle.id] = True
        if prepend:
            self._forward_pre_hooks.move_to_end(handle.id, last=False)
        return handle

    def register_forward_hook(self, hook, *, prepend: bool = False, with_kwargs: bool = False,
                              always_call: bool = False) -> RemovableHandle:
        """``hook(module, args, output)`` runs after ``forward``; it may return a new output."""
        handle = RemovableHandle(self._forward_hooks)
        self._forward_hooks[handle.id] = hook
        if with_kwargs:
            self._forward_hooks_with_kwargs[handle.id] = True
        if always_call:
            self._forward_hooks_always_called[handle.id] = True
        if prepend:
            self._forward_hooks.move_to_end(handle.id, last=False)
        return handle

    def register_full_backward_hook(self, hook, prepend: bool = False) -> RemovableHandle:
        """``hook(module, grad_input, grad_output)`` runs when the gradients with respect to
        the module's inputs are computed; it may return replacement ``grad_input``."""
        handle = RemovableHandle(self._backward_hooks)
        self._backward_hooks[handle.id] = hook
        if prepend:
            self._backward_hooks.move_to_end(handle.id, last=False)
        return handle

    def register_full_backward_pre_hook(self, hook, prepend: bool = False) -> RemovableHandle:
        """``hook(module, grad_output)`` runs before the module's gradients are computed; it may
        return replacement ``grad_output``."""
        handle = RemovableHandle(self._backward_pre_hooks)
        self._backward_pre_hooks[handle.id] = hook
        if prepend:
            self._backward_pre_hooks.move_to_end(handle.id, last=False)
        return handle

    def register_backward_hook(self, hook):
        return self.register_full_backward_hook(hook)

    def _call_impl(self, *args, **kwargs):
        forward = self.forward
        if not (self._forward_pre_hooks or self._forward_hooks or self._backward_hooks
                or self._backward_pre_hooks):
            return forward(*args, **kwargs)
        for hook_id, hook in list(self._forward_pre_hooks.items()):
            if hook_id in self._forward_pre_hooks_with_kwargs:
                result = hook(self, args, kwargs)
                if result is not None:
                    if not (isinstance(result, tuple) and len(result) == 2):
                        raise RuntimeError("forward pre-hook must return None or a tuple of "
                                           f"(new_args, new_kwargs), but got {result}.")
                    args, kwargs = result
            else:
                result = hook(self, args)
                if result is not None:
                    args = result if isinstance(result, tuple) else (result,)
        bw_state = None
        if self._backward_hooks or self._backward_pre_hooks:
            bw_state = _BackwardHookState(self)
            args = bw_state.wrap_inputs(args)
        try:
            output = forward(*args, **kwargs)
        except Exception:
            # hooks registered with always_call=True still run (their result is ignored)
            for hook_id, hook in list(self._forward_hooks.items()):
                if hook_id in self._forward_hooks_always_called:
                    try:
                        if hook_id in self._forward_hooks_with_kwargs:
                            hook(self, args, kwargs, None)
                        else:
                            hook(self, args, None)
                    except Exception as e:  # noqa: BLE001 - torch warns and re-raises forward's
                        warnings.warn("forward hook with ``always_call=True`` raised an exception "
                                      f"that was silenced as another error was raised in forward: "
                                      f"{e}")
            raise
        for hook_id, hook in list(self._forward_hooks.items()):
            if hook_id in self._forward_hooks_with_kwargs:
                result = hook(self, args, kwargs, output)
            else:
                result = hook(self, args, output)
            if result is not None:
                output = result
        if bw_state is not None:
            output = bw_state.wrap_outputs(output)
        return output

    __call__ = _call_impl

    # ------------------------------------------------------------------ repr
    def extra_repr(self) -> str:
        """Extra text shown in this module's repr line (override in layers)."""
        return ""

    def _get_name(self) -> str:
        return type(self).__name__

    def __repr__(self) -> str:
        extra = self.extra_repr()
        extra_lines = extra.split("\n") if extra else []
        child_lines = []
        for key, module in self._modules.items():
            mod_str = _addindent(repr(module), 2)
            child_lines.append("(" + key + "): " + mod_str)
        lines = extra_lines + child_lines
        main = self._get_name() + "("
        if lines:
            if len(extra_lines) == 1 and not child_lines:
                main += extra_lines[0]
            else:
                main += "\n  " + "\n  ".join(lines) + "\n"
        return main + ")"


_EXTRA_STATE_KEY = "_extra_state"


def _has_extra_state(module) -> bool:
    return type(module).get_extra_state is not Module.get_extra_state


def _as_array_tensor(value):
    """A deepgrad tensor for a state-dict value (tensor, NumPy array, or array-like)."""
    if isinstance(value, Tensor):
        return value
    if hasattr(value, "detach") and hasattr(value, "numpy"):  # e.g. another framework's tensor
        value = value.detach().cpu().numpy()
    try:
        return Tensor._make(np.asarray(value))
    except Exception:  # noqa: BLE001
        return None


# ---------------------------------------------------------------------------- backward hooks
def _zeros_like(t: Tensor) -> Tensor:
    return Tensor._make(np.zeros(t.data.shape, dtype=t.data.dtype))


class _BackwardHookState:
    """Identity nodes around one module call that capture grad_output and grad_input.

    As in torch, the user hooks see one entry per positional argument and per output, None for
    anything that is not a tensor. An input tensor that does not require grad (or received no
    gradient) gets zeros; an output that received no gradient gets None."""

    def __init__(self, module: Module):
        self.module = module
        self.grad_outputs = None
        self.inputs = ()  # the call's positional arguments
        self.input_positions = None  # positions wrapped (require grad); None: none do
        self.outputs = ()
        self.output_positions = []

    @staticmethod
    def _pack(items, positions, grads, zero_fill):
        """One entry per item: the gradient at wrapped positions (zeros for other tensors when
        ``zero_fill``), None for non-tensors."""
        by_pos = dict(zip(positions, grads))
        out = []
        for i, item in enumerate(items):
            g = by_pos.get(i)
            if g is None and zero_fill and isinstance(item, Tensor):
                g = _zeros_like(item)
            out.append(g)
        return tuple(out)

    def wrap_inputs(self, args):
        self.inputs = args
        positions = [i for i, a in enumerate(args) if isinstance(a, Tensor) and a.requires_grad]
        if not positions or not is_grad_enabled():
            return args
        self.input_positions = positions
        wrapped = _InputHook.apply(self, *[args[i] for i in positions])
        if not isinstance(wrapped, tuple):
            wrapped = (wrapped,)
        args = list(args)
        for i, w in zip(positions, wrapped):
            args[i] = w
        return tuple(args)

    def wrap_outputs(self, output):
        single = not isinstance(output, tuple)
        outs = (output,) if single else output
        idx = [i for i, o in enumerate(outs) if isinstance(o, Tensor) and o.requires_grad]
        if not idx or not is_grad_enabled():
            return output
        self.outputs = outs
        self.output_positions = idx
        wrapped = _OutputHook.apply(self, *[outs[i] for i in idx])
        if not isinstance(wrapped, tuple):
            wrapped = (wrapped,)
        outs = list(outs)
        for i, w in zip(idx, wrapped):
            outs[i] = w
        return outs[0] if single else tuple(outs)

    def on_grad_outputs(self, grads):
        module = self.module
        packed = self._pack(self.outputs, self.output_positions, grads, zero_fill=False)
        for hook in list(module._backward_pre_hooks.values()):
            result = hook(module, packed)
            if result is None:
                continue
            result = tuple(result) if isinstance(result, (tuple, list)) else (result,)
            if len(result) != len(packed):
                raise RuntimeError(f"Backward pre hook returned an invalid number of grad_output, "
                                   f"got {len(result)}, but expected {len(packed)}")
            packed = result
        self.grad_outputs = packed
        if self.input_positions is None:  # no input needs a gradient: fire the hooks now
            none = (None,) * len(self.inputs)
            for hook in list(module._backward_hooks.values()):
                result = hook(module, none, packed)
                if result is not None and not (isinstance(result, tuple)
                                               and all(r is None for r in result)):
                    raise RuntimeError("Backward hook for Modules where no input requires "
                                       "gradient should always return None or None for all "
                                       "gradients.")
            self.grad_outputs = None
        return tuple(packed[i] for i in self.output_positions)

    def on_grad_inputs(self, grads):
        if self.grad_outputs is None:  # the gradient did not pass through the outputs
            return grads
        packed = self._pack(self.inputs, self.input_positions, grads, zero_fill=True)
        for hook in list(self.module._backward_hooks.values()):
            result = hook(self.module, packed, self.grad_outputs)
            if result is None:
                continue
            result = tuple(result) if isinstance(result, (tuple, list)) else (result,)
            if len(result) != len(packed):
                raise RuntimeError(f"Backward hook returned an invalid number of grad_input, got "
                                   f"{len(result)}, but expected {len(packed)}")
            packed = result
        self.grad_outputs = None
        return tuple(packed[i] for i in self.input_positions)


class _IdentityHook(Function):
    _materialize_grads = False

    @staticmethod
    def forward(ctx, state, *tensors):
        ctx.state = state
        outs = tuple(Tensor._make(t.data) for t in tensors)
        return outs if len(outs) > 1 else outs[0]


class _InputHook(_IdentityHook):
    @staticmethod
    def backward(ctx, *grads):
        return (None,) + tuple(ctx.state.on_grad_inputs(grads))


class _OutputHook(_IdentityHook):
    @staticmethod
    def backward(ctx, *grads):
        return (None,) + tuple(ctx.state.on_grad_outputs(grads))
