"""Engine components (hooks, loops). Imports MMAction2's engine first so
parent-registry look-ups from ``default_scope='mmssl'`` find its modules."""
import mmaction.engine  # noqa: F401

from .hooks import *  # noqa: F401,F403
from .optimizers import *  # noqa: F401,F403,E402
