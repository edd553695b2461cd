"""Segment order classifier and per-segment sampling-rate predictor (SRO)."""
import math
from typing import Dict, Optional

import torch
import torch.nn.functional as F
from mmengine.model import BaseModule
from torch import Tensor

from mmssl.registry import MODELS

RATE_MODES = ('regression', 'classification')


def _pooled(feats: Tensor) -> Tensor:
    """``(N, C, *)`` feature maps -> ``(N, C)`` (3-D average); ``(N, C)``
    vectors unchanged."""
    return feats.flatten(2).mean(-1) if feats.dim() > 2 else feats


def _mlp(in_channels: Optional[int], hidden_channels: int, out_channels: int,
         num_layers: int, name: str) -> BaseModule:
    if in_channels is None:
        raise ValueError(f'{name} needs in_channels (the SegmentRateOrder '
                         'algorithm fills it in from the backbone)')
    return MODELS.build(
        dict(
            type='ProjectionMLP',
            in_channels=in_channels,
            hidden_channels=hidden_channels,
            out_channels=out_channels,
            num_layers=num_layers,
            norm_cfg=None))


@MODELS.register_module()
class SegmentOrderHead(BaseModule):
    """Classifies the segment permutation from the clip-level feature.

    Segment sample-rate order prediction (IEEE TCSVT 2021), Sec. III-C,
    Eq. 1-4: the pooled backbone feature ``r`` of the whole clip (not
    per-segment features, unlike VCOP) goes through an MLP ``h = W_2(W_1 r
    + b_1) + b_2`` to ``n!`` logits; cross-entropy with the permutation
    class (``order_label`` of :class:`SegmentRateOrderSampleClips`).
    Eq. 2 has no non-linearity between the two layers; the "MLP" of the
    text gets a ReLU here (``num_layers=1`` gives a linear classifier).

    Args:
        in_channels (int, optional): Backbone channels (filled in by the
            algorithm when None).
        num_segments (int): ``n``; ``n!`` classes. Defaults to 3.
        hidden_channels (int): Hidden width. Defaults to 512.
        num_layers (int): Linear layers (ReLU between). Defaults to 2.
        loss_weight (float): ``lambda_1`` of Eq. 17. Defaults to 1.0
            (IV-D).
        init_cfg (dict, optional): Weight initialisation.
    """

    def __init__(self,
                 in_channels: Optional[int] = None,
                 num_segments: int = 3,
                 hidden_channels: int = 512,
                 num_layers: int = 2,
                 loss_weight: float = 1.0,
                 init_cfg: Optional[dict] = None) -> None:
        super().__init__(init_cfg=init_cfg)
        if num_segments < 2:
            raise ValueError(f'num_segments must be >= 2, got {num_segments}')
        self.num_segments = num_segments
        self.num_classes = math.factorial(num_segments)
        self.loss_weight = loss_weight
        self.mlp = _mlp(in_channels, hidden_channels, self.num_classes,
                        num_layers, type(self).__name__)

    def forward(self, feats: Tensor) -> Tensor:
        """``(N, C)`` (or ``(N, C, *)``) -> ``(N, n!)`` logits."""
        return self.mlp(_pooled(feats))

    def loss(self, feats: Tensor, order_label: Tensor) -> Dict[str, Tensor]:
        """``loss_order`` (weighted CE) and ``acc_order``.

        Args:
            feats (Tensor): ``(N, C)`` clip features.
            order_label (Tensor): ``(N,)`` permutation classes.
        """
        logits = self(feats)
        labels = order_label.long().view(-1)
        if labels.numel() and (labels.min() < 0
                               or labels.max() >= self.num_classes):
            raise ValueError(f'order_label outside [0, {self.num_classes}) '
                             f'for {self.num_segments} segments: '
                             f'{labels.tolist()}; do the sampler and the '
                             'head agree on num_segments?')
        return dict(
            loss_order=self.loss_weight * F.cross_entropy(logits, labels),
            acc_order=(logits.argmax(1) == labels).float().mean().detach())


@MODELS.register_module()
class SegmentRateHead(BaseModule):
    """Predicts the sampling rate of every segment from the clip feature.

    Segment sample-rate order prediction (IEEE TCSVT 2021), Sec. III-D,
    Eq. 5-7: an MLP maps the clip feature ``r`` to the ``n`` rates of the
    segments (in the clip's, i.e. shuffled, order: ``segment_rates`` of
    :class:`SegmentRateOrderSampleClips`).

    - ``mode='regression'`` (the paper's method): ``n`` outputs, mean
      squared error against the rates (Eq. 7); logs ``rate_mae``.
    - ``mode='classification'`` (Table V's alternative): ``n x max_rate``
      logits, rate ``r`` is class ``r - 1``; cross-entropy averaged over
      the segments; logs ``acc_rate`` (per segment).

    Args:
        in_channels (int, optional): Backbone channels (filled in by the
            algorithm when None).
        num_segments (int): ``n``. Defaults to 3.
        mode (str): ``'regression'`` or ``'classification'``.
        max_rate (int): Largest rate (classes ``1..max_rate``;
            classification only). Defaults to 8 (IV-D).
        hidden_channels (int): Hidden width. Defaults to 512.
        num_layers (int): Linear layers (ReLU between). Defaults to 2.
        loss_weight (float): ``lambda_2`` of Eq. 17. Defaults to 0.3 (IV-D).
        init_cfg (dict, optional): Weight initialisation.
    """

    def __init__(self,
                 in_channels: Optional[int] = None,
                 num_segments: int = 3,
                 mode: str = 'regression',
                 max_rate: int = 8,
                 hidden_channels: int = 512,
                 num_layers: int = 2,
                 loss_weight: float = 0.3,
                 init_cfg: Optional[dict] = None) -> None:
        super().__init__(init_cfg=init_cfg)
        if mode not in RATE_MODES:
            raise ValueError(f'mode must be one of {RATE_MODES}, got {mode!r}')
        if max_rate < 1:
            raise ValueError(f'max_rate must be >= 1, got {max_rate}')
        self.num_segments = num_segments
        self.mode = mode
        self.max_rate = max_rate
        self.loss_weight = loss_weight
        per_segment = 1 if mode == 'regression' else max_rate
        self.mlp = _mlp(in_channels, hidden_channels,
                        num_segments * per_segment, num_layers,
                        type(self).__name__)

    def forward(self, feats: Tensor) -> Tensor:
        """``(N, n)`` rates (regression) or ``(N, n, max_rate)`` logits."""
        out = self.mlp(_pooled(feats))
        if self.mode == 'regression':
            return out
        return out.view(out.shape[0], self.num_segments, self.max_rate)

    def predict_rates(self, feats: Tensor) -> Tensor:
        """``(N, n)`` predicted rates in either mode."""
        out = self(feats)
        return out if self.mode == 'regression' else out.argmax(-1) + 1

    def loss(self, feats: Tensor, segment_rates: Tensor) -> Dict[str, Tensor]:
        """``loss_rate`` and ``rate_mae`` (regression) / ``acc_rate``.

        Args:
            feats (Tensor): ``(N, C)`` clip features.
            segment_rates (Tensor): ``(N, n)`` true rates.
        """
        if segment_rates.dim() != 2 or segment_rates.shape[
                1] != self.num_segments:
            raise ValueError(f'segment_rates must be (N, {self.num_segments})'
                             f', got {tuple(segment_rates.shape)}')
        out = self(feats)
        if self.mode == 'regression':
            target = segment_rates.to(out.dtype)
            return dict(
                loss_rate=self.loss_weight * F.mse_loss(out, target),
                rate_mae=(out - target).abs().mean().detach())
        labels = segment_rates.long() - 1
        if labels.min() < 0 or labels.max() >= self.max_rate:
            raise ValueError(f'segment rates outside 1..{self.max_rate}: '
                             f'{segment_rates.tolist()}; set max_rate to '
                             "the sampler's rate_range[1]")
        loss = F.cross_entropy(out.flatten(0, 1), labels.flatten())
        return dict(
            loss_rate=self.loss_weight * loss,
            acc_rate=(out.argmax(-1) == labels).float().mean().detach())
