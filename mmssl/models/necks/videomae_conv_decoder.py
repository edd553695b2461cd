"""Light convolutional decoder for masked video modelling on a 3D CNN."""
from typing import Dict, List, Optional, Sequence, Union

import torch.nn.functional as F
from mmcv.cnn import ConvModule
from mmengine.model import BaseModule
from torch import Tensor, nn

from mmssl.models.utils.video_patches import gather_tokens
from mmssl.registry import MODELS


@MODELS.register_module()
class VideoMAEConvDecoder(BaseModule):
    """Predict the pixels of masked cubes from a CNN feature map.

    The decoder of mmssl's CNN variant of VideoMAE (:class:`VideoMAECNN`;
    the benchmark study's "VideoMAE* 16x112 R21D-18", Kumar et al., supp.
    Table 17). VideoMAE's transformer decoder (Tong et al., NeurIPS 2022)
    needs one encoder token per visible cube; a 3D CNN returns a dense
    feature map instead, so this decoder works on the map:

    1. ``1x1x1`` conv (+ BN + ReLU) from the encoder width to ``embed_dims``;
    2. trilinear resize to the token grid ``(T', H', W')`` (a no-op when the
       backbone's output stride equals the cube size, e.g. R(2+1)D-18 of
       VCOP at 16x112: ``2 x 7 x 7`` -> ``8 x 7 x 7`` in time only);
    3. ``depth`` ``3x3x3`` conv + BN + ReLU blocks (light, as VideoMAE's
       decoder is light next to its encoder);
    4. ``1x1x1`` conv to ``out_channels = q * p * p * C`` values per grid
       cell, i.e. one cube of pixels per token, in the pixel order of
       :func:`patchify_video`;
    5. the masked tokens only, in token order (:func:`gather_tokens`).

    Args:
        in_channels (int): Channels of the backbone's last feature map.
        out_channels (int): Values per token, ``q * p * p * C``.
        embed_dims (int): Decoder width. Defaults to 256.
        depth (int): ``3x3x3`` conv blocks. Defaults to 2.
        norm_cfg (dict): Defaults to ``BN3d``.
        init_cfg (dict | list[dict], optional): Weight initialisation.
    """

    def __init__(self,
                 in_channels: int,
                 out_channels: int,
                 embed_dims: int = 256,
                 depth: int = 2,
                 norm_cfg: Dict = dict(type='BN3d'),
                 init_cfg: Optional[Union[Dict, List[Dict]]] = None) -> None:
        super().__init__(init_cfg=init_cfg)
        if depth < 0:
            raise ValueError(f'depth must be >= 0, got {depth}')
        conv = dict(conv_cfg=dict(type='Conv3d'), norm_cfg=norm_cfg,
                    act_cfg=dict(type='ReLU'))
        self.in_channels = in_channels
        self.out_channels = out_channels
        self.proj = ConvModule(in_channels, embed_dims, 1, **conv)
        self.blocks = nn.Sequential(*[
            ConvModule(embed_dims, embed_dims, 3, padding=1, **conv)
            for _ in range(depth)
        ])
        self.pred = nn.Conv3d(embed_dims, out_channels, 1)

    def forward(self, feat_map: Tensor, mask: Tensor,
                grid_size: Sequence[int]) -> Tensor:
        """Predicted pixels of the masked tokens.

        Args:
            feat_map (Tensor): ``(B, D, t, h, w)`` backbone output.
            mask (Tensor): bool ``(B, N)``, ``N = T' * H' * W'``.
            grid_size (Sequence[int]): ``(T', H', W')`` token grid.

        Returns:
            Tensor: ``(B, N_mask, out_channels)``.
        """
        if feat_map.dim() != 5 or feat_map.shape[1] != self.in_channels:
            raise ValueError(f'VideoMAEConvDecoder expects (B, '
                             f'{self.in_channels}, t, h, w) features, got '
                             f'{tuple(feat_map.shape)}')
        grid = tuple(int(s) for s in grid_size)
        x = self.proj(feat_map)
        if tuple(x.shape[2:]) != grid:
            x = F.interpolate(
                x, size=grid, mode='trilinear', align_corners=False)
        x = self.pred(self.blocks(x))  # (B, P, T', H', W')
        tokens = x.flatten(2).transpose(1, 2)  # (B, N, P), token order
        return gather_tokens(tokens, mask.bool(), keep=True)
