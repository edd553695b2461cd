"""C3D as used by VCOP / PRP (convolutional part, with BN)."""
from typing import Dict, List, Optional, Union

import torch
import torch.nn as nn

from mmssl.registry import MODELS
from .base_backbone import BaseBackbone3D, conv3d_module


@MODELS.register_module()
class C3DVCOP(BaseBackbone3D):
    """C3D backbone in the form used by VCOP and PRP.

    C3D is from `Learning Spatiotemporal Features with 3D Convolutional
    Networks <https://arxiv.org/abs/1412.0767>`_ (Tran et al., ICCV 2015).
    This variant is the one of `Self-supervised Spatiotemporal Learning via
    Video Clip Order Prediction` (Xu et al., CVPR 2019) and `Video Playback
    Rate Perception for Self-supervised Spatio-Temporal Representation
    Learning` (Yao et al., CVPR 2020): the eight 3x3x3 convolutions (with
    bias) of C3D, each followed by BN and ReLU, and the first four
    max-pools; no pool5 and no fc6/fc7 (those papers global-average-pool
    the conv5b map). It is the "C3D" (27.7M parameters) of the benchmark
    study `A Large-Scale Analysis on Contextual Self-Supervised Video
    Representation Learning` (Kumar et al.).

    Unlike MMAction2's ``C3D`` (which ends with fc6/fc7 and returns a
    4096-d vector), this backbone returns the conv5b feature map.

    Layout (16x112x112): conv1 64 -> pool (1, 2, 2) -> conv2 128 -> pool 2
    -> conv3a/b 256 -> pool 2 -> conv4a/b 512 -> pool 2 -> conv5a/b 512
    -> 512x2x7x7.

    Args:
        in_channels (int): Input channels. Defaults to 3.
        base_channels (int): Width of conv1; later widths scale with it
            (x2, x4, x8, x8). Defaults to 64.
        norm_cfg (dict, optional): Norm config; None gives the original
            BN-free C3D. Defaults to ``dict(type='BN3d')``.
        frozen_stages (int): Freeze conv1 (stage 0) and conv2..conv5
            groups ``1..k``; -1 freezes nothing. Defaults to -1.
        norm_eval (bool): Keep BN in eval mode. Defaults to False.
        init_cfg (dict or list[dict], optional): Initialisation config.

    Shapes:
        - input: (N, in_channels, T, H, W), T >= 8
        - output: (N, 8 * base_channels, T/8, H/16, W/16) (floored).
    """

    def __init__(self,
                 in_channels: int = 3,
                 base_channels: int = 64,
                 norm_cfg: Optional[Dict] = dict(
                     type='BN3d', requires_grad=True),
                 frozen_stages: int = -1,
                 norm_eval: bool = False,
                 init_cfg: Optional[Union[Dict, List[Dict]]] = None) -> None:
        super().__init__(frozen_stages, norm_eval, init_cfg)
        c = base_channels
        convs = [('conv1', in_channels, c), ('conv2', c, 2 * c),
                 ('conv3a', 2 * c, 4 * c), ('conv3b', 4 * c, 4 * c),
                 ('conv4a', 4 * c, 8 * c), ('conv4b', 8 * c, 8 * c),
                 ('conv5a', 8 * c, 8 * c), ('conv5b', 8 * c, 8 * c)]
        for name, cin, cout in convs:
            self.add_module(
                name,
                conv3d_module(
                    cin, cout, 3, padding=1, bias=True, norm_cfg=norm_cfg))
        self.pool1 = nn.MaxPool3d(kernel_size=(1, 2, 2), stride=(1, 2, 2))
        self.pool2 = nn.MaxPool3d(kernel_size=2, stride=2)
        self.pool3 = nn.MaxPool3d(kernel_size=2, stride=2)
        self.pool4 = nn.MaxPool3d(kernel_size=2, stride=2)
        self.out_channels = 8 * c
        self.stage_names = [['conv1'], ['conv2'], ['conv3a', 'conv3b'],
                            ['conv4a', 'conv4b'], ['conv5a', 'conv5b']]
        self._check_frozen_stages()
        self._freeze_stages()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """(N, C, T, H, W) -> (N, out_channels, T/8, H/16, W/16)."""
        x = self.pool1(self.conv1(x))
        x = self.pool2(self.conv2(x))
        x = self.pool3(self.conv3b(self.conv3a(x)))
        x = self.pool4(self.conv4b(self.conv4a(x)))
        return self.conv5b(self.conv5a(x))
