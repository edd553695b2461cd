"""Same Speed Localization (SpeedLoc) classification head (STCLR)."""
import itertools
from typing import Dict, Optional

import torch
import torch.nn as nn
from mmengine.model import BaseModule

from mmssl.registry import MODELS


@MODELS.register_module()
class SameSpeedLocalizationHead(BaseModule):
    """Locate the pair of same-speed clips in a tuple, or predict "None".

    Altabrawee & Mohd Noor, "STCLR: Sparse Temporal Contrastive Learning for
    Video Representation", Neurocomputing, Sec. 3.3 and Fig. 4: the shared
    backbone's features ``f_1..f_K`` are pairwise concatenated (``f_12,
    f_13, f_23`` for ``K = 3``), each pair goes through one shared
    ``Linear + ReLU``, the pair vectors are concatenated, dropped out (0.5,
    Sec. 4.2.1) and classified by a linear layer into ``K(K-1)/2 + 1``
    classes (``[12, 13, 23, None] -> [0, 1, 2, 3]``); the loss is
    cross-entropy (softmax in the loss).

    Args:
        in_channels (int): Clip feature size ``D``.
        num_clips (int): ``K``. Defaults to 3.
        hidden_channels (int): Pair feature size. The paper does not give
            it; defaults to 512 (as VCOP's pairwise head).
        dropout_ratio (float): Defaults to 0.5 (Sec. 4.2.1).
        loss_cls (dict): Defaults to cross-entropy.
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
        if num_clips < 2:
            raise ValueError(f'num_clips must be >= 2, got {num_clips}')
        self.num_clips = num_clips
        self.pairs = list(itertools.combinations(range(num_clips), 2))
        self.num_classes = len(self.pairs) + 1
        self.pair_fc = nn.Linear(2 * in_channels, hidden_channels)
        self.relu = nn.ReLU(inplace=True)
        self.dropout = nn.Dropout(dropout_ratio)
        self.fc_cls = nn.Linear(hidden_channels * len(self.pairs),
                                self.num_classes)
        self.loss_cls = MODELS.build(loss_cls)

    def forward(self, feats: torch.Tensor) -> torch.Tensor:
        """Class logits.

        Args:
            feats (torch.Tensor): ``(B, K, D)`` features of the tuple clips.

        Returns:
            torch.Tensor: ``(B, K(K-1)/2 + 1)`` logits.
        """
        if feats.dim() != 3 or feats.shape[1] != self.num_clips:
            raise ValueError(f'SameSpeedLocalizationHead expects (B, '
                             f'{self.num_clips}, D) features, got '
                             f'{tuple(feats.shape)}')
        first = feats[:, [i for i, _ in self.pairs]]
        second = feats[:, [j for _, j in self.pairs]]
        pair_feats = self.relu(self.pair_fc(torch.cat([first, second], -1)))
        return self.fc_cls(self.dropout(pair_feats.flatten(1)))

    def loss(self, feats: torch.Tensor,
             labels: torch.Tensor) -> Dict[str, torch.Tensor]:
        """Cross-entropy ``loss_speedloc`` and top-1 accuracy ``acc_speedloc``.

        Args:
            feats (torch.Tensor): ``(B, K, D)``.
            labels (torch.Tensor): ``(B,)`` classes in ``[0, K(K-1)/2]``.
        """
        if labels.min() < 0 or labels.max() >= self.num_classes:
            raise ValueError(f'SpeedLoc labels must be in [0, {self.num_classes})'
                             f', got {labels.tolist()}')
        logits = self(feats)
        loss = self.loss_cls(logits, labels)
        with torch.no_grad():
            acc = (logits.argmax(1) == labels).float().mean()
        return dict(loss_speedloc=loss, acc_speedloc=acc)
