"""Registered metrics."""
from .retrieval_metric import *  # noqa: F401,F403
