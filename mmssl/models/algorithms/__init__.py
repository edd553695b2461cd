"""Self-supervised algorithms (one file per method)."""
from .base import BaseSSLAlgorithm
from .vcop import VCOP

__all__ = ['BaseSSLAlgorithm', 'VCOP']
from .videomae import VideoMAE  # noqa: E402
from .videomae_cnn import VideoMAECNN  # noqa: E402

__all__ += ['VideoMAE', 'VideoMAECNN']
from .prp import PRP  # noqa: E402
from .rotnet import RotNet3D  # noqa: E402

__all__ += ['PRP', 'RotNet3D']
from .same_speed_localization import SameSpeedLocalization  # noqa: E402
from .simplified_tclr import SimplifiedTCLR  # noqa: E402
from .stclr import STCLR  # noqa: E402
from .tclr import TCLR  # noqa: E402

__all__ += ['SameSpeedLocalization', 'SimplifiedTCLR', 'STCLR', 'TCLR']
from .cvrl import CVRL  # noqa: E402
from .momentum_base import BaseMomentumAlgorithm  # noqa: E402
from .rspnet import RSPNet  # noqa: E402
from .tdl import TDL  # noqa: E402

__all__ += ['BaseMomentumAlgorithm', 'CVRL', 'RSPNet', 'TDL']
from .view_synthesis_pretrain import ViewSynthesisPretrain  # noqa: E402

__all__ += ['ViewSynthesisPretrain']
from .segment_rate_order import SegmentRateOrder  # noqa: E402

__all__ += ['SegmentRateOrder']
from .multitask_ssl import MultiTaskSSL  # noqa: E402

__all__ += ['MultiTaskSSL']
from .csvr import CSVR  # noqa: E402

__all__ += ['CSVR']
from .multi_teacher_distill import MultiTeacherDistiller  # noqa: E402

__all__ += ['MultiTeacherDistiller']
