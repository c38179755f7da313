"""``deepgrad.nn``: modules, layers, losses, ``functional``, ``init`` and ``utils``."""
from . import functional, init, utils  # noqa: F401
from .modules import *  # noqa: F401,F403
from .parameter import Buffer, Parameter, UninitializedParameter  # noqa: F401
