"""A small per-frame 2D CNN for the tiny CNN + temporal-transformer encoder."""
from typing import List, Optional, Sequence, Union

from mmcv.cnn import ConvModule
from mmengine.model import BaseModule
from torch import Tensor, nn

from mmssl.registry import MODELS


@MODELS.register_module()
class FrameConvStem(BaseModule):
    """Stack of ``3x3`` conv + BN + ReLU layers, each halving H and W.

    The per-frame CNN of the tiny :class:`CNNTemporalTransformer` configs
    (CPU runs on SynthMotion). Jeyaprabhavathi's encoder (Sec. 3.3, Table 3)
    uses a large 2D CNN (``14 x 14 x 1024`` maps at 224 px, i.e. a ResNet-50
    up to ``layer3``); this stem keeps its structure (a spatial feature map
    per frame, output stride ``2 ** len(channels)``) at a CPU-sized width.

    Args:
        channels (Sequence[int]): Output channels of each layer. Defaults to
            ``(16, 32, 64)`` (stride 8: ``4 x 4`` maps for 32 px frames).
        in_channels (int): Input channels. Defaults to 3.
        norm_cfg (dict): Defaults to ``BN2d``.
        init_cfg (dict | list[dict], optional): Weight initialisation;
            ``None``: Kaiming (fan-out) convs, unit BN (ConvModule's own).

    Attributes:
        out_channels (int): Channels of the output map (``channels[-1]``).
        stride (int): Output stride.
    """

    def __init__(self,
                 channels: Sequence[int] = (16, 32, 64),
                 in_channels: int = 3,
                 norm_cfg: dict = dict(type='BN2d'),
                 init_cfg: Optional[Union[dict, List[dict]]] = None) -> None:
        super().__init__(init_cfg=init_cfg)
        if not channels or min(channels) < 1:
            raise ValueError(f'channels must be positive ints, got {channels}')
        layers, prev = [], in_channels
        for width in channels:
            layers.append(
                ConvModule(prev, width, 3, stride=2, padding=1,
                           norm_cfg=norm_cfg, act_cfg=dict(type='ReLU')))
            prev = width
        self.layers = nn.Sequential(*layers)
        self.out_channels = int(channels[-1])
        self.stride = 2**len(channels)

    def forward(self, frames: Tensor) -> Tensor:
        """``(N, C, H, W)`` frames -> ``(N, out_channels, H / s, W / s)``."""
        return self.layers(frames)
