"""Self-supervised algorithms (one file per method)."""
from .base import BaseSSLAlgorithm
from .vcop import VCOP

__all__ = ['BaseSSLAlgorithm', 'VCOP']
