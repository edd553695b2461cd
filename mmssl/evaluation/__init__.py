"""Metrics and analysis tools. Imports MMAction2's evaluation first so
parent-registry look-ups find its metrics."""
import mmaction.evaluation  # noqa: F401

from .feature_cache import *  # noqa: F401,F403
from .functional import *  # noqa: F401,F403
from .metrics import *  # noqa: F401,F403
