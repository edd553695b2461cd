from .batch_augment import BatchAugmentPreprocessor
from .batch_color import (BatchClipColorJitter, BatchClipGamma,
                          BatchClipGrayscale)
from .batch_spatial import BatchClipFlip, BatchClipGaussianBlur
from .residual_frames import ResidualFramesPreprocessor

__all__ = [
    'BatchAugmentPreprocessor', 'BatchClipColorJitter', 'BatchClipGamma',
    'BatchClipGrayscale', 'BatchClipFlip', 'BatchClipGaussianBlur',
    'ResidualFramesPreprocessor'
]
