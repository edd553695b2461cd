"""mmssl backbones (3D CNNs MMAction2 lacks).

MMAction2's own backbones (``ResNet3d``, ``ResNet2Plus1d``, ``C3D``,
``SwinTransformer3D`` ...) resolve from configs with ``default_scope='mmssl'``
through the parent registry; see ``configs/_base_/models/backbones/``.
"""
from .base_backbone import BaseBackbone3D
from .c3d_vcop import C3DVCOP
from .mobilenetv2_3d import MobileNetV2_3D
from .r2plus1d_vcop import R2Plus1DVCOP
from .s3dg import S3DG
from .shufflenet3d import ShuffleNet3D
from .squeezenet3d import SqueezeNet3D

__all__ = [
    'BaseBackbone3D', 'C3DVCOP', 'MobileNetV2_3D', 'R2Plus1DVCOP', 'S3DG',
    'ShuffleNet3D', 'SqueezeNet3D'
]
from .temporally_dilated_resnet3d import TemporallyDilatedResNet3d  # noqa: E402

__all__ += ['TemporallyDilatedResNet3d']
from .cnn_temporal_transformer import CNNTemporalTransformer  # noqa: E402
from .frame_conv_stem import FrameConvStem  # noqa: E402

__all__ += ['CNNTemporalTransformer', 'FrameConvStem']
from .resnet2d_10 import ResNet2D10  # noqa: E402

__all__ += ['ResNet2D10']
from .resnet3d_stem_pool import StemPoolResNet3d  # noqa: E402

__all__ += ['StemPoolResNet3d']
