"""3D-ShuffleNet V1 (Köpüklü et al., 2019)."""
from typing import Dict, List, Optional, Sequence, Union

import torch
import torch.nn as nn

from mmssl.registry import MODELS
from .base_backbone import BaseBackbone3D, conv3d_module


def channel_shuffle_3d(x: torch.Tensor, groups: int) -> torch.Tensor:
    """Shuffle channels across ``groups`` of a (N, C, T, H, W) tensor."""
    n, c, t, h, w = x.shape
    x = x.view(n, groups, c // groups, t, h, w).transpose(1, 2)
    return x.reshape(n, c, t, h, w)


class ShuffleUnit3D(nn.Module):
    """ShuffleNet V1 unit with 3D kernels.

    Grouped 1x1x1 conv -> channel shuffle -> depthwise 3x3x3 conv (stride
    ``stride`` in time and space) -> grouped 1x1x1 conv. Stride 1 units add
    the input; stride 2 units concatenate a 2x3x3 average-pooled input (so
    the residual branch outputs ``out_channels - in_channels`` channels).

    Args:
        in_channels (int): Input channels.
        out_channels (int): Output channels.
        stride (int): 1 or 2.
        groups (int): Groups of the 1x1x1 convolutions.
        first_conv_groups (int): Groups of the first 1x1x1 conv.
        norm_cfg (dict): Norm layer config.
    """

    def __init__(self, in_channels: int, out_channels: int, stride: int,
                 groups: int, first_conv_groups: int, norm_cfg: Dict) -> None:
        super().__init__()
        assert stride in (1, 2)
        self.stride = stride
        self.groups = groups
        mid_channels = out_channels // 4
        branch_channels = (
            out_channels - in_channels if stride == 2 else out_channels)
        common = dict(bias=False, norm_cfg=norm_cfg)
        self.conv1 = conv3d_module(
            in_channels, mid_channels, 1, groups=first_conv_groups, **common)
        self.conv2 = conv3d_module(
            mid_channels,
            mid_channels,
            3,
            stride=stride,
            padding=1,
            groups=mid_channels,
            act_cfg=None,
            **common)
        self.conv3 = conv3d_module(
            mid_channels,
            branch_channels,
            1,
            groups=groups,
            act_cfg=None,
            **common)
        if stride == 2:
            self.shortcut = nn.AvgPool3d((2, 3, 3),
                                         stride=2,
                                         padding=(0, 1, 1))
        self.relu = nn.ReLU(inplace=True)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out = channel_shuffle_3d(self.conv1(x), self.groups)
        out = self.conv3(self.conv2(out))
        if self.stride == 2:
            return self.relu(torch.cat([out, self.shortcut(x)], dim=1))
        return self.relu(out + x)


@MODELS.register_module()
class ShuffleNet3D(BaseBackbone3D):
    """3D-ShuffleNet V1 backbone.

    From `Resource Efficient 3D Convolutional Neural Networks
    <https://arxiv.org/abs/1904.02422>`_ (Köpüklü, Kose, Gunduz and Rigoll,
    ICCVW 2019), a 3D version of ShuffleNet V1 (Zhang et al., CVPR 2018).
    Used as the small-capacity network ("ShuffleNet V1 2.0x") of the
    benchmark study `A Large-Scale Analysis on Contextual Self-Supervised
    Video Representation Learning` (Kumar et al.).

    Layout (16x112x112 input, 2.0x, groups 3): conv1 3x3x3 stride (1, 2, 2)
    -> 48x16x56x56; max-pool 3x3x3 stride 2 -> 8x28x28; three stages of
    (4, 8, 4) units, each starting with a stride-2 unit -> 480x4x14x14,
    960x2x7x7, 1920x1x4x4. No classifier: the published parameter counts
    include a linear classifier (see ``docs/backbones.md``).

    Because a stride-2 unit concatenates a strided conv output with a
    2x3x3 average pool (no temporal padding), the clip length must be a
    multiple of 16 (e.g. 16 or 32 frames) and H, W >= 33 (the last pool
    needs a 3x3 input): 16x64x64 is the smallest cheap clip.

    The channel widths per group count follow ShuffleNet V1 (g=3:
    240/480/960 at 1.0x) times ``width_mult``. As in the reference code,
    the first 1x1x1 conv of stage 1 is ungrouped only when the stem has 24
    channels (1.0x); at 2.0x it is grouped.

    Args:
        groups (int): Groups of the pointwise convs (1, 2, 3, 4 or 8).
            Defaults to 3.
        width_mult (float): Width multiplier. Defaults to 2.0.
        stage_blocks (Sequence[int]): Units per stage. Defaults to (4, 8, 4).
        in_channels (int): Input channels. Defaults to 3.
        norm_cfg (dict): Norm config. Defaults to ``dict(type='BN3d')``.
        frozen_stages (int): Freeze the stem and stages ``1..k``; -1 freezes
            nothing. Defaults to -1.
        norm_eval (bool): Keep BN in eval mode. Defaults to False.
        init_cfg (dict or list[dict], optional): Initialisation config.

    Shapes:
        - input: (N, in_channels, T, H, W)
        - output: (N, out_channels, T/16, H/32, W/32) (rounded up in space);
          ``out_channels`` = 1920 for 2.0x, groups 3.
    """

    channels_per_groups = {
        1: (24, 144, 288, 576),
        2: (24, 200, 400, 800),
        3: (24, 240, 480, 960),
        4: (24, 272, 544, 1088),
        8: (24, 384, 768, 1536),
    }

    def __init__(self,
                 groups: int = 3,
                 width_mult: float = 2.0,
                 stage_blocks: Sequence[int] = (4, 8, 4),
                 in_channels: int = 3,
                 norm_cfg: Dict = dict(type='BN3d', requires_grad=True),
                 frozen_stages: int = -1,
                 norm_eval: bool = False,
                 init_cfg: Optional[Union[Dict, List[Dict]]] = None) -> None:
        super().__init__(frozen_stages, norm_eval, init_cfg)
        if groups not in self.channels_per_groups:
            raise ValueError(
                f'groups must be one of '
                f'{sorted(self.channels_per_groups)}, got {groups}')
        assert len(stage_blocks) == 3
        channels = [
            int(c * width_mult) for c in self.channels_per_groups[groups]
        ]
        self.groups = groups
        self.width_mult = width_mult

        self.conv1 = conv3d_module(
            in_channels,
            channels[0],
            3,
            stride=(1, 2, 2),
            padding=1,
            bias=False,
            norm_cfg=norm_cfg)
        self.maxpool = nn.MaxPool3d(kernel_size=3, stride=2, padding=1)

        inplanes = channels[0]
        self.stage_names = [['conv1']]
        for i, num_blocks in enumerate(stage_blocks):
            units = []
            for j in range(num_blocks):
                # ShuffleNet leaves the first pointwise conv ungrouped when
                # its input is narrow (the 24-channel stem of 1.0x).
                first_groups = 1 if inplanes == 24 else groups
                units.append(
                    ShuffleUnit3D(inplanes, channels[i + 1],
                                  2 if j == 0 else 1, groups, first_groups,
                                  norm_cfg))
                inplanes = channels[i + 1]
            self.add_module(f'layer{i + 1}', nn.Sequential(*units))
            self.stage_names.append([f'layer{i + 1}'])
        self.out_channels = inplanes
        self._check_frozen_stages()
        self._freeze_stages()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """(N, C, T, H, W) -> (N, out_channels, T', H', W')."""
        x = self.maxpool(self.conv1(x))
        for names in self.stage_names[1:]:
            x = getattr(self, names[0])(x)
        return x
