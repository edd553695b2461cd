"""Pretext heads (each owns its loss)."""
from .vcop_head import VCOPHead

__all__ = ['VCOPHead']
