"""Pure functions behind the metrics."""
from .retrieval import *  # noqa: F401,F403
from .linear_probe import *  # noqa: F401,F403
from .classification import *  # noqa: F401,F403
from .knn import *  # noqa: F401,F403
from .collapse import *  # noqa: F401,F403
from .cka import *  # noqa: F401,F403
from .robustness import *  # noqa: F401,F403
