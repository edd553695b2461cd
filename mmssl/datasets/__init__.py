"""Datasets and transforms. Imports MMAction2's datasets first so
parent-registry look-ups (``VideoDataset``, ``DecordInit`` ...) succeed."""
import mmaction.datasets  # noqa: F401

from .errors import AnnotationError, VideoReadError
from .samplers import SampleSeededSampler
from .transforms import *  # noqa: F401,F403
from .video_list_dataset import VideoListDataset

__all__ = [
    'AnnotationError', 'VideoReadError', 'VideoListDataset',
    'SampleSeededSampler'
]
