"""A 3D convolutional stem that keeps one feature map per frame."""
from typing import List, Optional, Union

from mmcv.cnn import ConvModule
from mmengine.model import BaseModule
from torch import Tensor, nn

from mmssl.registry import MODELS


@MODELS.register_module()
class TemporalConvStem(BaseModule):
    """``Conv3d (k_t x k x k)`` + BN + ReLU (+ spatial max-pool) on a clip.

    The optional first layer of :class:`CNNTemporalTransformer`'s CNN
    (``stem=dict(type='TemporalConvStem', ...)``): it runs on the whole clip
    ``(N, C, T, H, W)`` before the per-frame 2D stages, so short-range motion
    (``temporal_kernel`` consecutive frames) enters every frame's features.
    Time is never strided and is zero-padded by ``temporal_kernel // 2`` on
    each side, so ``T`` is kept: one output map per input frame.

    Args:
        out_channels (int): Output channels. Defaults to 64.
        in_channels (int): Input channels. Defaults to 3.
        temporal_kernel (int): Frames the convolution sees; odd (3 or 5 are
            the usual values, 1 makes it a per-frame 2D conv). Defaults to 3.
        spatial_kernel (int): Odd spatial kernel. Defaults to 3.
        spatial_stride (int): Spatial stride of the convolution.
            Defaults to 2.
        with_pool (bool): Add a ``1 x 3 x 3`` max-pool of spatial stride 2
            (ResNet's stem pooling). Defaults to False.
        norm_cfg (dict): Defaults to ``BN3d``.
        act_cfg (dict): Defaults to ``ReLU``.
        init_cfg (dict | list[dict], optional): ``None``: Kaiming (fan-out)
            conv, unit BN (ConvModule's own, as :class:`FrameConvStem`).

    Attributes:
        out_channels (int): Output channels.
        stride (int): Spatial output stride (conv x pool).
        temporal_receptive_field (int): Input frames that reach one output
            frame (``temporal_kernel``: the frame and ``temporal_kernel // 2``
            neighbours on each side).
    """

    def __init__(self,
                 out_channels: int = 64,
                 in_channels: int = 3,
                 temporal_kernel: int = 3,
                 spatial_kernel: int = 3,
                 spatial_stride: int = 2,
                 with_pool: bool = False,
                 norm_cfg: dict = dict(type='BN3d'),
                 act_cfg: dict = dict(type='ReLU'),
                 init_cfg: Optional[Union[dict, List[dict]]] = None) -> None:
        super().__init__(init_cfg=init_cfg)
        for name, value in (('temporal_kernel', temporal_kernel),
                            ('spatial_kernel', spatial_kernel)):
            if value < 1 or value % 2 == 0:
                raise ValueError(f'{name} must be a positive odd int (the '
                                 f'padding keeps the size), got {value}')
        if out_channels < 1 or spatial_stride < 1:
            raise ValueError('out_channels and spatial_stride must be '
                             f'positive, got {out_channels}, {spatial_stride}')
        self.conv = ConvModule(
            in_channels,
            out_channels, (temporal_kernel, spatial_kernel, spatial_kernel),
            stride=(1, spatial_stride, spatial_stride),
            padding=(temporal_kernel // 2, spatial_kernel // 2,
                     spatial_kernel // 2),
            conv_cfg=dict(type='Conv3d'),
            norm_cfg=norm_cfg,
            act_cfg=act_cfg)
        self.pool = nn.MaxPool3d((1, 3, 3), (1, 2, 2),
                                 (0, 1, 1)) if with_pool else None
        self.out_channels = int(out_channels)
        self.stride = spatial_stride * (2 if with_pool else 1)
        self.temporal_receptive_field = int(temporal_kernel)

    def forward(self, clips: Tensor) -> Tensor:
        """``(N, C, T, H, W)`` -> ``(N, out_channels, T, H / s, W / s)``."""
        x = self.conv(clips)
        return x if self.pool is None else self.pool(x)
