"""3D-SqueezeNet (Köpüklü et al., 2019)."""
from typing import Dict, List, Optional, Union

import torch
import torch.nn as nn

from mmssl.registry import MODELS
from .base_backbone import BaseBackbone3D, conv3d_module


class Fire3D(nn.Module):
    """SqueezeNet Fire module with 3D kernels.

    1x1x1 squeeze conv -> [1x1x1 expand conv, 3x3x3 expand conv]
    concatenated, optionally plus the input (simple bypass), then ReLU.
    Convolutions keep their bias and are followed by BN, as in the
    reference implementation.

    Args:
        in_channels (int): Input channels.
        squeeze_channels (int): Squeeze channels.
        expand_channels (int): Channels of *each* expand conv; the module
            outputs ``2 * expand_channels``.
        use_bypass (bool): Add the input to the output.
        norm_cfg (dict): Norm config.
    """

    def __init__(self, in_channels: int, squeeze_channels: int,
                 expand_channels: int, use_bypass: bool,
                 norm_cfg: Dict) -> None:
        super().__init__()
        if use_bypass:
            assert in_channels == 2 * expand_channels
        self.use_bypass = use_bypass
        self.squeeze = conv3d_module(
            in_channels, squeeze_channels, 1, bias=True, norm_cfg=norm_cfg)
        self.expand1x1 = conv3d_module(
            squeeze_channels,
            expand_channels,
            1,
            bias=True,
            norm_cfg=norm_cfg,
            act_cfg=None)
        self.expand3x3 = conv3d_module(
            squeeze_channels,
            expand_channels,
            3,
            padding=1,
            bias=True,
            norm_cfg=norm_cfg,
            act_cfg=None)
        self.relu = nn.ReLU(inplace=True)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        s = self.squeeze(x)
        out = torch.cat([self.expand1x1(s), self.expand3x3(s)], dim=1)
        if self.use_bypass:
            out = out + x
        return self.relu(out)


@MODELS.register_module()
class SqueezeNet3D(BaseBackbone3D):
    """3D-SqueezeNet backbone.

    From `Resource Efficient 3D Convolutional Neural Networks
    <https://arxiv.org/abs/1904.02422>`_ (Köpüklü, Kose, Gunduz and Rigoll,
    ICCVW 2019), a 3D version of SqueezeNet (Iandola et al., 2016) with
    simple bypass connections and BN. Small-capacity network of the
    benchmark study `A Large-Scale Analysis on Contextual Self-Supervised
    Video Representation Learning` (Kumar et al.).

    Version 1.1 (the study's and the reference's default), 16x112x112
    input: conv1 3x3x3 stride (1, 2, 2) -> 64x16x56x56; then four stages,
    each a 3x3x3 stride-2 max-pool followed by two Fire modules ->
    128x8x28x28, 256x4x14x14, 384x2x7x7, 512x1x4x4. Version 1.0 uses a
    7x7x7 96-channel conv1 and the SqueezeNet 1.0 pooling positions. No
    classifier (the reference's is dropout + 1x1x1 conv + average pool).

    Args:
        version (str): '1.1' or '1.0'. Defaults to '1.1'.
        in_channels (int): Input channels. Defaults to 3.
        norm_cfg (dict): Norm config. Defaults to ``dict(type='BN3d')``.
        frozen_stages (int): Freeze conv1 and stages ``1..k``; -1 freezes
            nothing. Defaults to -1.
        norm_eval (bool): Keep BN in eval mode. Defaults to False.
        init_cfg (dict or list[dict], optional): Initialisation config.

    Shapes:
        - input: (N, in_channels, T, H, W)
        - output: (N, 512, T/16, H/32, W/32) (rounded up).
    """

    # (in, squeeze, expand, bypass) per Fire module, grouped by stage; each
    # stage starts with a stride-2 max-pool.
    arch_settings = {
        '1.1': (64, 3, [
            [(64, 16, 64, False), (128, 16, 64, True)],
            [(128, 32, 128, False), (256, 32, 128, True)],
            [(256, 48, 192, False), (384, 48, 192, True)],
            [(384, 64, 256, False), (512, 64, 256, True)],
        ]),
        '1.0': (96, 7, [
            [(96, 16, 64, False), (128, 16, 64, True)],
            [(128, 32, 128, False), (256, 32, 128, True)],
            [(256, 48, 192, False), (384, 48, 192, True),
             (384, 64, 256, False)],
            [(512, 64, 256, True)],
        ]),
    }

    def __init__(self,
                 version: str = '1.1',
                 in_channels: int = 3,
                 norm_cfg: Dict = dict(type='BN3d', requires_grad=True),
                 frozen_stages: int = -1,
                 norm_eval: bool = False,
                 init_cfg: Optional[Union[Dict, List[Dict]]] = None) -> None:
        super().__init__(frozen_stages, norm_eval, init_cfg)
        version = str(version)
        if version not in self.arch_settings:
            raise ValueError(f"version must be '1.0' or '1.1', got {version}")
        stem_channels, stem_kernel, stages = self.arch_settings[version]
        self.version = version
        self.conv1 = conv3d_module(
            in_channels,
            stem_channels,
            stem_kernel,
            stride=(1, 2, 2),
            padding=stem_kernel // 2,
            bias=True,
            norm_cfg=norm_cfg)
        self.stage_names = [['conv1']]
        for i, fires in enumerate(stages):
            layers = [nn.MaxPool3d(kernel_size=3, stride=2, padding=1)]
            layers += [Fire3D(*cfg, norm_cfg=norm_cfg) for cfg in fires]
            self.add_module(f'layer{i + 1}', nn.Sequential(*layers))
            self.stage_names.append([f'layer{i + 1}'])
        self.out_channels = 512
        self._check_frozen_stages()
        self._freeze_stages()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """(N, C, T, H, W) -> (N, 512, T', H', W')."""
        x = self.conv1(x)
        for names in self.stage_names[1:]:
            x = getattr(self, names[0])(x)
        return x
