"""All layer modules, importable as ``deepgrad.nn.<Name>``."""
from .activation import *  # noqa: F401,F403
from .container import (ModuleDict, ModuleList, ParameterDict, ParameterList,  # noqa: F401
                        Sequential)
from .flatten import Flatten, Identity, Unflatten  # noqa: F401
from .linear import Bilinear, LazyLinear, Linear  # noqa: F401
from .module import Module, RemovableHandle  # noqa: F401
from .batchnorm import *  # noqa: F401,F403
from .dropout import *  # noqa: F401,F403
from .instancenorm import *  # noqa: F401,F403
from .loss import *  # noqa: F401,F403
from .normalization import *  # noqa: F401,F403
from .sparse import *  # noqa: F401,F403
from .conv import *  # noqa: F401,F403
from .pooling import *  # noqa: F401,F403
from .upsampling import *  # noqa: F401,F403
