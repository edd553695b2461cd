"""Registered metrics."""
from .retrieval_metric import *  # noqa: F401,F403
from .classification_report import *  # noqa: F401,F403
