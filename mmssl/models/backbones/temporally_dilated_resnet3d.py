"""MMAction2's ``ResNet3d`` with a temporal dilation in the first conv of
chosen stages, as in TCLR's released R3D-18.

TCLR (Dave et al., CVIU 2022; ``tclr_pretraining/model.py`` of
DAVEISHAN/TCLR) keeps 4 temporal steps out of 16 frames by replacing the
temporal stride 2 of stage 4 with a temporal dilation 2: the first block's
first conv becomes 3x3x3, stride (1, 2, 2), padding (2, 1, 1), dilation
(2, 1, 1), and its shortcut 1x1x1 stride (1, 2, 2). MMAction2's
``ResNet3d`` has temporal strides but no temporal dilation. This subclass
builds the plain ``ResNet3d`` (so the state-dict keys and shapes are
identical and a checkpoint loads into MMAction2's ``Recognizer3D``
unchanged) and then sets the dilation and padding of those convs.
"""
from typing import Sequence

from mmaction.models.backbones import ResNet3d

from mmssl.registry import MODELS


@MODELS.register_module()
class TemporallyDilatedResNet3d(ResNet3d):
    """``ResNet3d`` whose stage ``i`` first conv has temporal dilation
    ``first_conv_temporal_dilations[i]``.

    Give the stages with a dilation temporal stride 1 (``temporal_strides``)
    to reproduce TCLR: ``temporal_strides=(1, 2, 2, 1)``,
    ``first_conv_temporal_dilations=(1, 1, 1, 2)``.

    Args:
        first_conv_temporal_dilations (Sequence[int]): One per stage;
            1 = unchanged. The temporal padding becomes ``dilation *
            (kernel_t - 1) // 2`` so the temporal length is kept.
        **kwargs: ``ResNet3d`` arguments.

    Shapes:
        Input ``(N, C, T, H, W)``; output as ``ResNet3d``.
    """

    def __init__(self,
                 first_conv_temporal_dilations: Sequence[int] = (1, 1, 1, 1),
                 **kwargs) -> None:
        super().__init__(**kwargs)
        dilations = tuple(int(d) for d in first_conv_temporal_dilations)
        if len(dilations) != len(self.res_layers) or min(dilations) < 1:
            raise ValueError(
                f'first_conv_temporal_dilations={dilations} needs one '
                f'integer >= 1 per stage ({len(self.res_layers)} stages)')
        self.first_conv_temporal_dilations = dilations
        for name, dilation in zip(self.res_layers, dilations):
            if dilation == 1:
                continue
            conv = getattr(self, name)[0].conv1.conv
            kernel_t = conv.kernel_size[0]
            conv.dilation = (dilation, *conv.dilation[1:])
            conv.padding = (dilation * (kernel_t - 1) // 2, *conv.padding[1:])
