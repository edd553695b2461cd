"""3D-MobileNet V2 (Köpüklü et al., 2019)."""
from typing import Dict, List, Optional, Sequence, Tuple, Union

import torch
import torch.nn as nn

from mmssl.registry import MODELS
from .base_backbone import BaseBackbone3D, conv3d_module


class InvertedResidual3D(nn.Module):
    """MobileNet V2 inverted residual block with 3D kernels.

    [1x1x1 expansion conv (skipped when ``expand_ratio == 1``)] ->
    depthwise 3x3x3 conv with ``stride`` -> linear 1x1x1 projection; the
    input is added when the stride is 1 and the widths match.

    Args:
        in_channels (int): Input channels.
        out_channels (int): Output channels.
        stride (tuple[int]): (t, h, w) stride of the depthwise conv.
        expand_ratio (int): Hidden width / input width.
        norm_cfg (dict): Norm config.
        act_cfg (dict): Activation config (ReLU6).
    """

    def __init__(self, in_channels: int, out_channels: int,
                 stride: Tuple[int, int, int], expand_ratio: int,
                 norm_cfg: Dict, act_cfg: Dict) -> None:
        super().__init__()
        hidden = round(in_channels * expand_ratio)
        self.use_res_connect = (
            tuple(stride) == (1, 1, 1) and in_channels == out_channels)
        common = dict(bias=False, norm_cfg=norm_cfg)
        layers = []
        if expand_ratio != 1:
            layers.append(
                conv3d_module(
                    in_channels, hidden, 1, act_cfg=act_cfg, **common))
        layers += [
            conv3d_module(
                hidden,
                hidden,
                3,
                stride=stride,
                padding=1,
                groups=hidden,
                act_cfg=act_cfg,
                **common),
            conv3d_module(hidden, out_channels, 1, act_cfg=None, **common),
        ]
        self.conv = nn.Sequential(*layers)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out = self.conv(x)
        return x + out if self.use_res_connect else out


@MODELS.register_module()
class MobileNetV2_3D(BaseBackbone3D):
    """3D-MobileNet V2 backbone.

    From `Resource Efficient 3D Convolutional Neural Networks
    <https://arxiv.org/abs/1904.02422>`_ (Köpüklü, Kose, Gunduz and Rigoll,
    ICCVW 2019), a 3D version of MobileNet V2 (Sandler et al., CVPR 2018).
    Small-capacity network ("MobileNet V2 1.0x") of the benchmark study
    `A Large-Scale Analysis on Contextual Self-Supervised Video
    Representation Learning` (Kumar et al.).

    Layout (16x112x112, 1.0x): conv1 3x3x3 stride (1, 2, 2) -> 32x16x56x56;
    seven groups of inverted residual blocks (t, c, n, s) = (1, 16, 1, 1),
    (6, 24, 2, 2), (6, 32, 3, 2), (6, 64, 4, 2), (6, 96, 3, 1),
    (6, 160, 3, 2), (6, 320, 1, 1), strides applied to time and space;
    1x1x1 conv to 1280 channels -> 1280x1x4x4. Widths are ``int(c *
    width_mult)`` (no rounding to multiples of 8) and the last conv keeps
    1280 channels unless ``width_mult > 1``, as in the reference code. No
    classifier.

    Args:
        width_mult (float): Width multiplier. Defaults to 1.0.
        in_channels (int): Input channels. Defaults to 3.
        norm_cfg (dict): Norm config. Defaults to ``dict(type='BN3d')``.
        act_cfg (dict): Activation. Defaults to ``dict(type='ReLU6')``.
        frozen_stages (int): Freeze conv1 and block groups ``1..k`` (the
            final 1x1x1 conv is stage 8); -1 freezes nothing.
            Defaults to -1.
        norm_eval (bool): Keep BN in eval mode. Defaults to False.
        init_cfg (dict or list[dict], optional): Initialisation config.

    Shapes:
        - input: (N, in_channels, T, H, W)
        - output: (N, 1280, T/16, H/32, W/32) (rounded up).
    """

    # expand ratio t, channels c, blocks n, stride s of the first block
    arch_settings: Sequence[Tuple[int, int, int, int]] = (
        (1, 16, 1, 1),
        (6, 24, 2, 2),
        (6, 32, 3, 2),
        (6, 64, 4, 2),
        (6, 96, 3, 1),
        (6, 160, 3, 2),
        (6, 320, 1, 1),
    )

    def __init__(self,
                 width_mult: float = 1.0,
                 in_channels: int = 3,
                 norm_cfg: Dict = dict(type='BN3d', requires_grad=True),
                 act_cfg: Dict = dict(type='ReLU6', inplace=True),
                 frozen_stages: int = -1,
                 norm_eval: bool = False,
                 init_cfg: Optional[Union[Dict, List[Dict]]] = None) -> None:
        super().__init__(frozen_stages, norm_eval, init_cfg)
        self.width_mult = width_mult
        inplanes = int(32 * width_mult)
        self.conv1 = conv3d_module(
            in_channels,
            inplanes,
            3,
            stride=(1, 2, 2),
            padding=1,
            bias=False,
            norm_cfg=norm_cfg,
            act_cfg=act_cfg)
        self.stage_names = [['conv1']]
        for i, (t, c, n, s) in enumerate(self.arch_settings):
            out_channels = int(c * width_mult)
            blocks = []
            for j in range(n):
                stride = (s, s, s) if j == 0 else (1, 1, 1)
                blocks.append(
                    InvertedResidual3D(inplanes, out_channels, stride, t,
                                       norm_cfg, act_cfg))
                inplanes = out_channels
            self.add_module(f'layer{i + 1}', nn.Sequential(*blocks))
            self.stage_names.append([f'layer{i + 1}'])
        self.out_channels = int(1280 *
                                width_mult) if width_mult > 1.0 else 1280
        self.conv2 = conv3d_module(
            inplanes,
            self.out_channels,
            1,
            bias=False,
            norm_cfg=norm_cfg,
            act_cfg=act_cfg)
        self.stage_names.append(['conv2'])
        self._check_frozen_stages()
        self._freeze_stages()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """(N, C, T, H, W) -> (N, out_channels, T', H', W')."""
        for names in self.stage_names:
            x = getattr(self, names[0])(x)
        return x
