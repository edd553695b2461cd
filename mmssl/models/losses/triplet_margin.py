"""Triplet margin (ranking) loss on similarities or distances."""
import torch.nn as nn
import torch.nn.functional as F
from torch import Tensor

from mmssl.registry import MODELS

METRICS = ('cosine', 'euclidean')


@MODELS.register_module()
class TripletMarginLoss(nn.Module):
    """Triplet margin loss: positives closer to the anchor than negatives.

    ``metric='cosine'`` (RSPNet's relative-speed loss, Chen et al.,
    "RSPNet: Relative Speed Perception for Unsupervised Video
    Representation Learning", AAAI 2021, Eq. 2)::

        l_i = max(0, margin - (s(a_i, p_i) - s(a_i, n_i)) / tau)

    with ``s`` the cosine similarity. RSPNet's released code applies
    ``MarginRankingLoss(margin=2.0)`` to the similarities divided by the
    MoCo temperature 0.07, i.e. ``margin=2.0, temperature=0.07`` (a cosine
    margin of 0.14).

    ``metric='euclidean'`` (FaceNet; the triplet term of TDL's released
    code, ``nn.TripletMarginLoss(margin=1.0, p=2)``)::

        l_i = max(0, margin - (d(a_i, n_i) - d(a_i, p_i)) / tau),
        d(u, v) = ||u - v + eps||_2

    identical to ``torch.nn.TripletMarginLoss(margin, p=2)`` for
    ``temperature=1``.
    The loss is ``loss_weight * mean_i l_i`` (local anchors only, so the
    per-rank average under DDP equals the global-batch loss).

    Args:
        margin (float): Margin. Defaults to 1.0.
        metric (str): ``'cosine'`` or ``'euclidean'``. Defaults to
            ``'cosine'``.
        temperature (float): Scale ``tau`` dividing the similarity
            (cosine) or distance (euclidean) difference. Defaults to 1.0.
        eps (float): Added to differences before the euclidean norm (as
            torch). Defaults to 1e-6.
        loss_weight (float): Multiplier. Defaults to 1.0.
    """

    def __init__(self,
                 margin: float = 1.0,
                 metric: str = 'cosine',
                 temperature: float = 1.0,
                 eps: float = 1e-6,
                 loss_weight: float = 1.0) -> None:
        super().__init__()
        if metric not in METRICS:
            raise ValueError(f'metric must be one of {METRICS}, got '
                             f'{metric!r}')
        if temperature <= 0:
            raise ValueError(f'temperature must be > 0, got {temperature}')
        self.margin = margin
        self.metric = metric
        self.temperature = temperature
        self.eps = eps
        self.loss_weight = loss_weight

    def gaps(self, anchor: Tensor, positive: Tensor,
             negative: Tensor) -> Tensor:
        """How much each positive beats its negative, ``(N,)``.

        ``(s(a,p) - s(a,n)) / tau`` (cosine) or
        ``(d(a,n) - d(a,p)) / tau`` (euclidean); the loss is
        ``max(0, margin - gap)``.
        """
        if anchor.dim() != 2 or not (anchor.shape == positive.shape ==
                                     negative.shape):
            raise ValueError('anchor, positive and negative must all be '
                             f'(N, D), got {tuple(anchor.shape)}, '
                             f'{tuple(positive.shape)}, '
                             f'{tuple(negative.shape)}')
        if self.metric == 'cosine':
            gap = F.cosine_similarity(anchor, positive, dim=1) - \
                F.cosine_similarity(anchor, negative, dim=1)
        else:
            gap = F.pairwise_distance(anchor, negative, eps=self.eps) - \
                F.pairwise_distance(anchor, positive, eps=self.eps)
        return gap / self.temperature

    def forward(self, anchor: Tensor, positive: Tensor,
                negative: Tensor) -> Tensor:
        """Scalar loss for ``(N, D)`` anchors, positives and negatives."""
        gap = self.gaps(anchor, positive, negative)
        return self.loss_weight * F.relu(self.margin - gap).mean()
