"""All layer modules, importable as ``deepgrad.nn.<Name>``."""
from .activation import *  # noqa: F401,F403
from .container import (ModuleDict, ModuleList, ParameterDict, ParameterList,  # noqa: F401
                        Sequential)
from .flatten import Flatten, Identity, Unflatten  # noqa: F401
from .linear import Bilinear, LazyLinear, Linear  # noqa: F401
from .module import Module, RemovableHandle  # noqa: F401
