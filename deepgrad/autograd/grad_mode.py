"""Thread-local gradient recording switches: ``no_grad``, ``enable_grad``, ``set_grad_enabled``,
``inference_mode``. Each works as a context manager and as a decorator, like torch's."""
from __future__ import annotations

import functools
import threading


class _GradState(threading.local):
    enabled = True


_state = _GradState()


def is_grad_enabled() -> bool:
    """True when operations on tensors that require grad are being recorded."""
    return _state.enabled


class _GradModeContext:
    """Base: sets the recording flag on enter, restores it on exit; usable as a decorator."""

    _target: bool = True

    def __enter__(self):
        self._prev = _state.enabled
        _state.enabled = self._target
        return self

    def __exit__(self, *exc):
        _state.enabled = self._prev
        return False

    def __call__(self, func):
        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            with self.__class__._fresh(self):
                return func(*args, **kwargs)

        return wrapper

    def _fresh(self):
        # A new instance per call keeps nested/recursive decorated calls independent.
        return self.__class__()


class _NoParamContext(_GradModeContext):
    """A context that is also a decorator with or without parentheses (``@no_grad``)."""

    def __new__(cls, orig_func=None):
        if orig_func is None:
            return super().__new__(cls)
        return cls()(orig_func)


class no_grad(_NoParamContext):
    """Disable gradient recording: ``with deepgrad.no_grad(): ...`` or ``@deepgrad.no_grad``."""

    _target = False


class enable_grad(_NoParamContext):
    """Enable gradient recording inside a ``no_grad`` block."""

    _target = True


class set_grad_enabled(_GradModeContext):
    """Set gradient recording on or off: ``with set_grad_enabled(is_train): ...``.

    Like torch, calling it as a function also sets the mode immediately.
    """

    def __init__(self, mode: bool):
        self._target = bool(mode)
        self._prev = _state.enabled
        _state.enabled = self._target

    def __enter__(self):
        return self

    def __call__(self, func):
        _state.enabled = self._prev  # used as a decorator: undo the immediate switch
        return super().__call__(func)

    def _fresh(self):
        return set_grad_enabled(self._target)


class inference_mode(_GradModeContext):
    """Like ``no_grad`` (deepgrad has no separate inference tensors); ``mode=False`` is a no-op."""

    def __new__(cls, mode=True):
        if isinstance(mode, bool):
            return super().__new__(cls)
        return cls()(mode)  # used as ``@inference_mode`` without parentheses

    def __init__(self, mode: bool = True):
        self._mode = mode

    def __enter__(self):
        self._prev = _state.enabled
        _state.enabled = False if self._mode else _state.enabled
        return self

    def _fresh(self):
        return inference_mode(self._mode)


def is_inference_mode_enabled() -> bool:
    return not _state.enabled
