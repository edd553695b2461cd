"""Rotation classification head (RotNet-3D)."""
from typing import Dict, Optional

import torch
import torch.nn as nn
from mmengine.model import BaseModule

from mmssl.registry import MODELS


@MODELS.register_module()
class RotNetHead(BaseModule):
    """Linear classifier of the rotation applied to a clip.

    Jing et al., "Self-supervised Spatiotemporal Feature Learning via Video
    Rotation Prediction", arXiv:1811.11387 (3DRotNet): the pooled clip
    feature of the 3D CNN goes through a fully connected layer with one
    output per rotation angle, trained with cross-entropy.

    Args:
        in_channels (int, optional): Clip feature size ``D``. ``None`` lets
            the algorithm fill it in from the backbone.
        num_classes (int): Number of rotation angles ``K``. Defaults to 4.
        dropout_ratio (float): Dropout before the classifier. Defaults to 0.
        loss_cls (dict): Classification loss. Defaults to cross-entropy.
        init_cfg (dict, optional): Weight initialisation.
    """

    def __init__(self,
                 in_channels: Optional[int] = None,
                 num_classes: int = 4,
                 dropout_ratio: float = 0.0,
                 loss_cls: dict = dict(type='CrossEntropyLoss'),
                 init_cfg: Optional[dict] = dict(
                     type='Normal', layer='Linear', std=0.01)) -> None:
        super().__init__(init_cfg=init_cfg)
        if in_channels is None:
            raise ValueError('RotNetHead needs in_channels (the RotNet3D '
                             'algorithm fills it in from the backbone)')
        if num_classes < 2:
            raise ValueError(f'num_classes must be >= 2, got {num_classes}')
        self.in_channels = in_channels
        self.num_classes = num_classes
        self.dropout = nn.Dropout(dropout_ratio) if dropout_ratio > 0 \
            else nn.Identity()
        self.fc_cls = nn.Linear(in_channels, num_classes)
        self.loss_cls = MODELS.build(loss_cls)

    def forward(self, feats: torch.Tensor) -> torch.Tensor:
        """Rotation logits.

        Args:
            feats (torch.Tensor): ``(N, D)`` pooled clip features.

        Returns:
            torch.Tensor: ``(N, K)`` logits.
        """
        if feats.dim() != 2 or feats.shape[1] != self.in_channels:
            raise ValueError(f'RotNetHead expects (N, {self.in_channels}) '
                             f'features, got {tuple(feats.shape)}')
        return self.fc_cls(self.dropout(feats))

    def loss(self, feats: torch.Tensor,
             labels: torch.Tensor) -> Dict[str, torch.Tensor]:
        """Cross-entropy on the rotation class, plus top-1 accuracy.

        Args:
            feats (torch.Tensor): ``(N, D)``.
            labels (torch.Tensor): ``(N,)`` rotation classes in ``[0, K)``.

        Returns:
            dict: ``loss_rot`` and ``acc_rot``.
        """
        logits = self(feats)
        loss = self.loss_cls(logits, labels)
        with torch.no_grad():
            acc = (logits.argmax(1) == labels).float().mean()
        return dict(loss_rot=loss, acc_rot=acc)
