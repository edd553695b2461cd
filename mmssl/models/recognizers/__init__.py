"""Recognizers for downstream protocols (MMAction2's ``Recognizer3D`` with
mmssl-specific training behaviour)."""
from .frozen_backbone_recognizer import FrozenBackboneRecognizer3D

__all__ = ['FrozenBackboneRecognizer3D']
