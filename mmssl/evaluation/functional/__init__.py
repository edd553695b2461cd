"""Pure functions behind the metrics."""
from .retrieval import *  # noqa: F401,F403
from .classification import *  # noqa: F401,F403
