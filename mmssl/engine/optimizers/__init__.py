"""Optimizer-wrapper constructors."""
from .per_module_constructor import PerModuleOptimWrapperConstructor

__all__ = ['PerModuleOptimWrapperConstructor']
