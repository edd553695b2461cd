"""Projection MLP (SimCLR / CVRL / MoCo style) on pooled clip features."""
from typing import Optional

import torch
import torch.nn as nn
import torch.nn.functional as F
from mmcv.cnn import build_norm_layer
from mmengine.model import BaseModule

from mmssl.registry import MODELS


@MODELS.register_module()
class MLPProjectionNeck(BaseModule):
    """Global pooling + ``num_hidden_layers`` x (Linear, Norm, ReLU) + Linear.

    - CVRL (Qian et al., "Spatiotemporal Contrastive Video Representation
      Learning", CVPR 2021; authors' ``video_ssl`` model): 3 hidden layers
      of 2048 units with batch norm, 128-d output.
    - TDL (Wang et al. 2020, released code) and RSPNet (Chen et al., AAAI
      2021, ``fc_type='linear'``): no hidden layer, a linear map to 128-d.
    - MoCo v2 / SimCLR: one hidden layer.

    Dimension-agnostic: ``(N, C, *spatial)`` feature maps are averaged over
    all non-channel dimensions first; ``(N, C)`` vectors are used as they
    are.

    Args:
        in_channels (int | None): Input channels ``C``. ``None`` lets the
            algorithm fill in the backbone's output channels.
        out_channels (int): Embedding size. Defaults to 128.
        hidden_channels (int): Hidden width. Defaults to 2048.
        num_hidden_layers (int): Hidden layers. Defaults to 0 (linear).
        norm_cfg (dict, optional): Norm after each hidden linear layer
            (``None`` for none). Defaults to ``dict(type='BN1d')``.
        with_last_bias (bool): Bias in the output layer. Defaults to True.
        l2_normalize (bool): L2-normalise the output. Defaults to False
            (the contrastive losses normalise).
        init_cfg (dict, optional): Weight initialisation.
    """

    def __init__(self,
                 in_channels: Optional[int],
                 out_channels: int = 128,
                 hidden_channels: int = 2048,
                 num_hidden_layers: int = 0,
                 norm_cfg: Optional[dict] = dict(type='BN1d'),
                 with_last_bias: bool = True,
                 l2_normalize: bool = False,
                 init_cfg: Optional[dict] = None) -> None:
        super().__init__(init_cfg=init_cfg)
        if in_channels is None:
            raise ValueError(
                'MLPProjectionNeck: in_channels is None; build it through an '
                'mmssl algorithm (which fills in the backbone channels) or '
                'set in_channels')
        if num_hidden_layers < 0:
            raise ValueError(f'num_hidden_layers must be >= 0, got '
                             f'{num_hidden_layers}')
        self.in_channels = in_channels
        self.out_channels = out_channels
        self.l2_normalize = l2_normalize
        layers = []
        width = in_channels
        for _ in range(num_hidden_layers):
            layers.append(
                nn.Linear(width, hidden_channels, bias=norm_cfg is None))
            if norm_cfg is not None:
                layers.append(build_norm_layer(norm_cfg, hidden_channels)[1])
            layers.append(nn.ReLU(inplace=True))
            width = hidden_channels
        layers.append(nn.Linear(width, out_channels, bias=with_last_bias))
        self.mlp = nn.Sequential(*layers)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Embed features.

        Args:
            x (Tensor): ``(N, C)`` or ``(N, C, *spatial)`` (e.g.
                ``(N, C, T, H, W)``); tuples/lists use the last element.

        Returns:
            Tensor: ``(N, out_channels)``.
        """
        if isinstance(x, (tuple, list)):
            x = x[-1]
        if x.dim() > 2:
            x = x.flatten(2).mean(dim=2)
        if x.dim() != 2 or x.shape[1] != self.in_channels:
            raise ValueError(f'MLPProjectionNeck expects (N, '
                             f'{self.in_channels}, ...) features, got '
                             f'{tuple(x.shape)}')
        out = self.mlp(x)
        return F.normalize(out, dim=1) if self.l2_normalize else out
