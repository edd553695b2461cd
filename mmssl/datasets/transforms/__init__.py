"""Multi-clip samplers, decoding, augmentation and packing transforms."""
from .augment import (ClipChannelDrop, ClipColorJitter, ClipCutout,
                      ClipGamma, ClipGaussianBlur, ClipGrayscale,
                      PerClipTransform)
from .formatting import PackSSLInputs
from .loading import DecordDecodeUnion, SafeDecordInit
from .sampling import (BaseMultiClipSampler, VCOPSampleClips,
                       fit_indices_to_video, permutation_table)

__all__ = [
    'PackSSLInputs', 'DecordDecodeUnion', 'SafeDecordInit',
    'BaseMultiClipSampler', 'VCOPSampleClips', 'fit_indices_to_video',
    'permutation_table', 'PerClipTransform', 'ClipColorJitter',
    'ClipGrayscale', 'ClipGaussianBlur', 'ClipGamma', 'ClipCutout',
    'ClipChannelDrop'
]
