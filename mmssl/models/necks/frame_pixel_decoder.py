"""Decoder of masked patches from per-frame CNN maps and temporal context."""
from typing import Dict, List, Optional, Sequence, Union

import torch.nn.functional as F
from mmcv.cnn import ConvModule
from mmengine.model import BaseModule
from torch import Tensor, nn

from mmssl.registry import MODELS


@MODELS.register_module()
class FramePixelDecoder(BaseModule):
    """Predict the pixels of every patch of every frame.

    The reconstruction decoder of Jeyaprabhavathi, Sec. 3.4 (not specified
    in the paper; mmssl's design). A masked patch is blank in the CNN input,
    and a masked frame is blank entirely, so the decoder reads both what
    the CNN saw around the patch and what the temporal transformer knows
    about the frame from its neighbours:

    1. ``1x1`` conv (+ BN + ReLU) of the frame's CNN map to ``embed_dims``,
       plus a linear map of the frame's transformer output broadcast over
       the map;
    2. bilinear resize to the patch grid ``(H', W')`` (a no-op when the CNN
       stride equals the patch size, as for ResNet-50 ``layer3`` and 16 px
       patches, or the tiny stem and 8 px patches);
    3. ``depth`` ``3x3`` conv + BN + ReLU blocks;
    4. ``1x1`` conv to ``p * p * C`` pixels per grid cell, in the token and
       pixel order of :func:`~mmssl.models.utils.video_patches.
       patchify_video` with ``tubelet_size=1``.

    Args:
        in_channels (int): CNN map channels.
        context_channels (int): Transformer width ``D``.
        out_channels (int): ``p * p * C``.
        embed_dims (int): Decoder width. Defaults to 128.
        depth (int): ``3x3`` blocks. Defaults to 2.
        norm_cfg (dict): Defaults to ``BN2d``.
        init_cfg (dict | list[dict], optional): Weight initialisation.
    """

    def __init__(self,
                 in_channels: int,
                 context_channels: int,
                 out_channels: int,
                 embed_dims: int = 128,
                 depth: int = 2,
                 norm_cfg: Dict = dict(type='BN2d'),
                 init_cfg: Optional[Union[Dict, List[Dict]]] = None) -> None:
        super().__init__(init_cfg=init_cfg)
        if depth < 0:
            raise ValueError(f'depth must be >= 0, got {depth}')
        act = dict(type='ReLU')
        self.in_channels = in_channels
        self.out_channels = out_channels
        self.proj = ConvModule(
            in_channels, embed_dims, 1, norm_cfg=norm_cfg, act_cfg=act)
        self.context_proj = nn.Linear(context_channels, embed_dims)
        self.blocks = nn.Sequential(*[
            ConvModule(embed_dims, embed_dims, 3, padding=1,
                       norm_cfg=norm_cfg, act_cfg=act) for _ in range(depth)
        ])
        self.pred = nn.Conv2d(embed_dims, out_channels, 1)

    def forward(self, maps: Tensor, context: Tensor,
                grid_size: Sequence[int]) -> Tensor:
        """Predicted pixels of every token.

        Args:
            maps (Tensor): ``(N * T, C_cnn, h, w)`` CNN maps of the masked
                clips.
            context (Tensor): ``(N, T, D)`` transformer outputs.
            grid_size (Sequence[int]): ``(T, H', W')``.

        Returns:
            Tensor: ``(N, T * H' * W', out_channels)``, token order.
        """
        frames, height, width = (int(s) for s in grid_size)
        batch = context.shape[0]
        if maps.dim() != 4 or maps.shape[0] != batch * frames or \
                maps.shape[1] != self.in_channels:
            raise ValueError(f'FramePixelDecoder expects ({batch * frames}, '
                             f'{self.in_channels}, h, w) maps, got '
                             f'{tuple(maps.shape)}')
        x = self.proj(maps) + self.context_proj(
            context.flatten(0, 1))[:, :, None, None]
        if tuple(x.shape[2:]) != (height, width):
            x = F.interpolate(
                x, size=(height, width), mode='bilinear', align_corners=False)
        x = self.pred(self.blocks(x))  # (N * T, P, H', W')
        x = x.view(batch, frames, self.out_channels, height, width)
        return x.permute(0, 1, 3, 4, 2).reshape(batch, -1, self.out_channels)
