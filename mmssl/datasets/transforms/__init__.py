"""Multi-clip samplers, decoding, augmentation and packing transforms."""
from .augment import (ClipChannelDrop, ClipColorJitter, ClipCutout,
                      ClipGamma, ClipGaussianBlur, ClipGrayscale,
                      PerClipTransform)
from .formatting import PackSSLInputs
from .loading import DecordDecodeUnion, SafeDecordInit
from .sampling import (BaseMultiClipSampler, fit_rates,
                       largest_fitting_rate, permutation_table, place_clips)
from .vcop_sampling import VCOPSampleClips

__all__ = [
    'PackSSLInputs', 'DecordDecodeUnion', 'SafeDecordInit',
    'BaseMultiClipSampler', 'VCOPSampleClips', 'fit_rates',
    'largest_fitting_rate', 'place_clips', 'permutation_table',
    'PerClipTransform', 'ClipColorJitter',
    'ClipGrayscale', 'ClipGaussianBlur', 'ClipGamma', 'ClipCutout',
    'ClipChannelDrop'
]
from .masking import TubeMaskGenerator, tube_mask  # noqa: E402

__all__ += ['TubeMaskGenerator', 'tube_mask']
from .cross_video import ReadCrossVideoSpeedLocClips  # noqa: E402
from .same_speed_sampling import (SpeedLocTupleSampleClips,  # noqa: E402
                                  speed_tuple_label)
from .sparse_sampling import (SparseLocalSampleClips,  # noqa: E402
                              STCLRSampleClips)
from .tclr_sampling import TCLRSampleClips  # noqa: E402

__all__ += [
    'ReadCrossVideoSpeedLocClips', 'SpeedLocTupleSampleClips', 'speed_tuple_label',
    'SparseLocalSampleClips', 'STCLRSampleClips', 'TCLRSampleClips'
]
from .prp_sampling import PRPSampleClip  # noqa: E402

__all__ += ['PRPSampleClip']
from .clip_groups import ClipGroupsTransform  # noqa: E402
from .cvrl_sampling import CVRLSampleClips, interval_probs  # noqa: E402
from .intra_clip_mixup import IntraClipMixup  # noqa: E402
from .rspnet_sampling import RSPNetSampleClips  # noqa: E402
from .tdl_sampling import TDLSampleTriplet  # noqa: E402

__all__ += [
    'ClipGroupsTransform', 'CVRLSampleClips', 'interval_probs',
    'IntraClipMixup', 'RSPNetSampleClips', 'TDLSampleTriplet'
]
from .per_view import PerViewTransform  # noqa: E402
from .prp_motion_attention import (PRPMotionAttention,  # noqa: E402
                                   PRPMotionFrames)
from .rotate import ClipRandomRotation  # noqa: E402
from .solarize import ClipSolarize  # noqa: E402

__all__ += [
    'PerViewTransform', 'PRPMotionAttention', 'PRPMotionFrames',
    'ClipRandomRotation', 'ClipSolarize'
]
from .segment_rate_order_sampling import \
    SegmentRateOrderSampleClips  # noqa: E402

__all__ += ['SegmentRateOrderSampleClips']
from .corruptions import NOISE_SEVERITIES, ClipNoise, apply_noise  # noqa: E402

__all__ += ['NOISE_SEVERITIES', 'ClipNoise', 'apply_noise']
from .csvr_sampling import CSVRSampleClips  # noqa: E402
from .iframes import SampleIFrames, SplitIFrames  # noqa: E402
from .pose_loading import LoadPoseAnnotation  # noqa: E402

__all__ += [
    'CSVRSampleClips', 'SampleIFrames', 'SplitIFrames', 'LoadPoseAnnotation'
]
from .spatiotemporal_masking import (SpatioTemporalMaskGenerator,  # noqa: E402
                                     frame_mask, patch_grid_mask,
                                     random_block_mask)
from .temporal_pretext_labels import TemporalPretextLabels  # noqa: E402
from .view_perturbations import (ClipGaussianNoise,  # noqa: E402
                                 ClipMotionJitter)

__all__ += [
    'SpatioTemporalMaskGenerator', 'frame_mask', 'patch_grid_mask',
    'random_block_mask', 'TemporalPretextLabels', 'ClipGaussianNoise',
    'ClipMotionJitter'
]
