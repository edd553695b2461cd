"""Datasets and transforms. Imports MMAction2's datasets first so
parent-registry look-ups (``VideoDataset``, ``DecordInit`` ...) succeed."""
import mmaction.datasets  # noqa: F401

from .transforms import *  # noqa: F401,F403
