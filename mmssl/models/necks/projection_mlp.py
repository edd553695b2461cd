"""Channels-last projection MLP (TCLR family).

TCLR (Dave et al., "TCLR: Temporal Contrastive Learning for Video
Representation", CVIU 2022) and the STCLR paper project clip features and
the timesteps of a global clip's feature map with one MLP with a hidden
layer (TCLR's released ``mlp.py``: ``Linear(512, 512) + BN + ReLU +
Linear(512, 128, bias=False) + BN``, then L2 normalisation; the TCLR-family
model bases in ``configs/_base_/models/tclr_family_*.py`` set
``with_last_bias=False``, ``out_norm_cfg=dict(type='BN1d')`` and
``l2_normalize=True``). Those inputs have several leading dimensions (``(B, V, C)`` clips,
``(N, P, C)`` timesteps), hence a channels-last module. For pooled
``(N, C, *spatial)`` backbone outputs (CVRL, TDL, RSPNet) see
:class:`MLPProjectionNeck`, which pools first.
"""
from typing import Optional

import torch
import torch.nn as nn
import torch.nn.functional as F
from mmcv.cnn import build_norm_layer
from mmengine.model import BaseModule

from mmssl.registry import MODELS


@MODELS.register_module()
class ProjectionMLP(BaseModule):
    """``num_layers`` linear layers with norm + ReLU between them, an
    optional norm after the last one and optional L2 normalisation.

    Works on ``(..., in_channels)`` inputs of any leading shape (e.g.
    ``(B, V, C)`` clip features or ``(N, P, C)`` timestep tokens): leading
    dimensions are flattened for the norm layers and restored afterwards.

    Args:
        in_channels (int): Input channels.
        hidden_channels (int): Hidden width. Defaults to 512.
        out_channels (int): Output width. Defaults to 128.
        num_layers (int): Linear layers (>= 1). Defaults to 2.
        norm_cfg (dict, optional): Norm after each hidden linear layer.
            Defaults to ``dict(type='BN1d')``.
        with_last_bias (bool): Bias in the output layer. Defaults to True
            (TCLR: False).
        out_norm_cfg (dict, optional): Norm after the output layer.
            Defaults to None (TCLR: ``dict(type='BN1d')``).
        l2_normalize (bool): L2-normalise the output. Defaults to False
            (TCLR: True; the cosine-similarity losses give the same values
            either way).
        init_cfg (dict, optional): Weight initialisation.
    """

    def __init__(self,
                 in_channels: int,
                 hidden_channels: int = 512,
                 out_channels: int = 128,
                 num_layers: int = 2,
                 norm_cfg: Optional[dict] = dict(type='BN1d'),
                 with_last_bias: bool = True,
                 out_norm_cfg: Optional[dict] = None,
                 l2_normalize: bool = False,
                 init_cfg: Optional[dict] = None) -> None:
        super().__init__(init_cfg=init_cfg)
        if num_layers < 1:
            raise ValueError(f'num_layers must be >= 1, got {num_layers}')
        self.in_channels = in_channels
        self.out_channels = out_channels
        layers, width = [], in_channels
        for _ in range(num_layers - 1):
            layers.append(nn.Linear(width, hidden_channels))
            if norm_cfg is not None:
                layers.append(build_norm_layer(norm_cfg, hidden_channels)[1])
            layers.append(nn.ReLU(inplace=True))
            width = hidden_channels
        layers.append(nn.Linear(width, out_channels, bias=with_last_bias))
        if out_norm_cfg is not None:
            layers.append(build_norm_layer(out_norm_cfg, out_channels)[1])
        self.mlp = nn.Sequential(*layers)
        self.l2_normalize = l2_normalize

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """``(..., in_channels)`` -> ``(..., out_channels)``."""
        if x.shape[-1] != self.in_channels:
            raise ValueError(f'ProjectionMLP expects (..., {self.in_channels})'
                             f' inputs, got {tuple(x.shape)}')
        lead = x.shape[:-1]
        out = self.mlp(x.reshape(-1, self.in_channels))
        if self.l2_normalize:
            out = F.normalize(out, dim=1)
        return out.reshape(*lead, self.out_channels)
