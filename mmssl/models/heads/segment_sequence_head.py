"""Classifier of a frame sequence from its segment summaries (order or
playback direction)."""
from typing import Dict, Optional

import torch.nn.functional as F
from mmengine.model import BaseModule
from torch import Tensor, nn

from mmssl.registry import MODELS


@MODELS.register_module()
class SegmentSequenceClsHead(BaseModule):
    """Mean of each of ``S`` time segments, concatenated, MLP, softmax.

    The auxiliary heads of Jeyaprabhavathi, Sec. 3.6 / Table 6:
    "Sequence Order Prediction" (``num_classes = S!``, the permutation of
    the shuffled segments) and "Motion Direction Detection"
    (``num_classes = 2``, forward / reverse). The input is the temporal
    transformer's output of the shuffled or reversed clip; concatenating
    segment means in sequence order keeps the order visible to the
    classifier (a plain mean over time would not). The paper does not give
    the head's structure; one hidden layer is mmssl's choice.

    Args:
        in_channels (int): Embedding width ``D``.
        num_segments (int): ``S``; ``T`` must be divisible by it.
        num_classes (int): Classes.
        hidden_channels (int): Hidden width. Defaults to 256.
        name (str): Suffix of the returned keys (``loss_<name>``,
            ``acc_<name>``). Defaults to ``'order'``.
        loss_weight (float): Defaults to 1.
        init_cfg (dict, optional): Weight initialisation.
    """

    def __init__(self,
                 in_channels: int,
                 num_segments: int,
                 num_classes: int,
                 hidden_channels: int = 256,
                 name: str = 'order',
                 loss_weight: float = 1.0,
                 init_cfg: Optional[dict] = None) -> None:
        super().__init__(init_cfg=init_cfg)
        if num_segments < 1 or num_classes < 2:
            raise ValueError('num_segments must be >= 1 and num_classes >= 2, '
                             f'got {num_segments} and {num_classes}')
        self.num_segments = int(num_segments)
        self.num_classes = int(num_classes)
        self.name = name
        self.loss_weight = float(loss_weight)
        self.mlp = nn.Sequential(
            nn.Linear(in_channels * num_segments, hidden_channels),
            nn.ReLU(inplace=True), nn.Linear(hidden_channels, num_classes))

    def forward(self, seq: Tensor) -> Tensor:
        """Logits ``(N, num_classes)`` of sequences ``(N, T, D)``."""
        batch, frames = seq.shape[:2]
        if seq.dim() != 3 or frames % self.num_segments:
            raise ValueError(f'expected (N, T, D) with T divisible by '
                             f'{self.num_segments}, got {tuple(seq.shape)}')
        segments = seq.view(batch, self.num_segments, -1, seq.shape[-1])
        return self.mlp(segments.mean(dim=2).flatten(1))

    def loss(self, seq: Tensor, labels: Tensor) -> Dict[str, Tensor]:
        """``loss_<name>`` (cross-entropy) and ``acc_<name>``.

        Args:
            seq (Tensor): ``(N, T, D)``.
            labels (Tensor): long ``(N, )``.
        """
        logits = self(seq)
        labels = labels.to(logits.device).long()
        loss = F.cross_entropy(logits.float(), labels)
        acc = (logits.argmax(1) == labels).float().mean()
        return {
            f'loss_{self.name}': self.loss_weight * loss,
            f'acc_{self.name}': acc.detach()
        }
