"""Clip order prediction head (VCOP)."""
import itertools
import math
from typing import Dict, Optional

import torch
import torch.nn as nn
from mmengine.model import BaseModule

from mmssl.registry import MODELS


@MODELS.register_module()
class VCOPHead(BaseModule):
    """Pairwise clip-feature MLP classifying the permutation of the clips.

    Xu et al., "Self-supervised Spatiotemporal Learning via Video Clip Order
    Prediction", CVPR 2019, Sec. 3.2: the features of every clip pair
    ``(i, j), i < j`` are concatenated and passed through a shared
    ``Linear(2D, hidden) + ReLU``; the ``N(N-1)/2`` pair features are
    concatenated, dropped out and classified by a linear layer into the
    ``N!`` permutation classes.

    Args:
        in_channels (int): Clip feature size ``D``.
        num_clips (int): ``N``. Defaults to 3.
        hidden_channels (int): Pair feature size. Defaults to 512 (paper).
        dropout_ratio (float): Defaults to 0.5 (paper).
        loss_cls (dict): Classification loss. Defaults to cross-entropy.
        init_cfg (dict, optional): Weight initialisation.
    """

    def __init__(self,
                 in_channels: int,
                 num_clips: int = 3,
                 hidden_channels: int = 512,
                 dropout_ratio: float = 0.5,
                 loss_cls: dict = dict(type='CrossEntropyLoss'),
                 init_cfg: Optional[dict] = dict(
                     type='Normal', layer='Linear', std=0.01)) -> None:
        super().__init__(init_cfg=init_cfg)
        self.in_channels = in_channels
        self.num_clips = num_clips
        self.num_classes = math.factorial(num_clips)
        self.pairs = list(itertools.combinations(range(num_clips), 2))
        self.pair_fc = nn.Linear(2 * in_channels, hidden_channels)
        self.relu = nn.ReLU(inplace=True)
        self.dropout = nn.Dropout(dropout_ratio)
        self.fc_cls = nn.Linear(hidden_channels * len(self.pairs),
                                self.num_classes)
        self.loss_cls = MODELS.build(loss_cls)

    def forward(self, feats: torch.Tensor) -> torch.Tensor:
        """Permutation logits.

        Args:
            feats (torch.Tensor): ``(B, N, D)`` features of the shuffled clips.

        Returns:
            torch.Tensor: ``(B, N!)`` logits.
        """
        if feats.dim() != 3 or feats.shape[1] != self.num_clips:
            raise ValueError(f'VCOPHead expects (B, {self.num_clips}, D) '
                             f'features, got {tuple(feats.shape)}')
        first = feats[:, [i for i, _ in self.pairs]]
        second = feats[:, [j for _, j in self.pairs]]
        pair_feats = self.relu(self.pair_fc(torch.cat([first, second], -1)))
        return self.fc_cls(self.dropout(pair_feats.flatten(1)))

    def loss(self, feats: torch.Tensor,
             order_labels: torch.Tensor) -> Dict[str, torch.Tensor]:
        """Cross-entropy on the permutation class, plus top-1 accuracy.

        Args:
            feats (torch.Tensor): ``(B, N, D)``.
            order_labels (torch.Tensor): ``(B,)`` permutation classes.
        """
        logits = self(feats)
        loss = self.loss_cls(logits, order_labels)
        with torch.no_grad():
            acc = (logits.argmax(1) == order_labels).float().mean()
        return dict(loss_order=loss, acc_order=acc)
