"""Pretext heads (each owns its loss)."""
from .vcop_head import VCOPHead

__all__ = ['VCOPHead']
from .videomae_head import VideoMAEPixelHead  # noqa: E402

__all__ += ['VideoMAEPixelHead']
from .prp_head import PRPHead  # noqa: E402
from .rotnet_head import RotNetHead  # noqa: E402

__all__ += ['PRPHead', 'RotNetHead']
from .same_speed_head import SameSpeedLocalizationHead  # noqa: E402
from .temporal_contrastive_head import TemporalContrastiveHead  # noqa: E402

__all__ += ['SameSpeedLocalizationHead', 'TemporalContrastiveHead']
from .cvrl_head import CVRLHead  # noqa: E402
from .rspnet_head import RSPNetHead  # noqa: E402
from .tdl_head import TDLHead  # noqa: E402

__all__ += ['CVRLHead', 'RSPNetHead', 'TDLHead']
from .mlp_cls_head import MLPClsHead  # noqa: E402

__all__ += ['MLPClsHead']
from .segment_rate_order_head import (SegmentOrderHead,  # noqa: E402
                                      SegmentRateHead)

__all__ += ['SegmentOrderHead', 'SegmentRateHead']
from .masked_pixel_head import MaskedPixelHead  # noqa: E402
from .segment_sequence_head import SegmentSequenceClsHead  # noqa: E402

__all__ += ['MaskedPixelHead', 'SegmentSequenceClsHead']
