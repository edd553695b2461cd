"""TDL head: temporal-triplet InfoNCE against a memory bank (+ triplet)."""
from typing import Dict, Optional

import torch
from mmengine.model import BaseModule

from mmssl.registry import MODELS


@MODELS.register_module()
class TDLHead(BaseModule):
    """Losses of Temporal Discriminative Learning.

    Wang, Lin, Ma, Yuen, "Self-supervised Temporal Discriminative Learning
    for Video Representation Learning", arXiv:2008.02129, 2020: the anchor
    embedding ``q`` is pulled to its positive ``k`` (same temporal interval,
    other augmentation; momentum-encoder key) and pushed from the
    negative ``n`` (another interval of the same video) and from the
    memory bank ``m_1..m_K`` of other videos' keys::

        L = -log e^{q.k/tau} / (e^{q.k/tau} + e^{q.n/tau}
                                + sum_j e^{q.m_j/tau})

    (:class:`QueueInfoNCELoss` with the negative as per-anchor negative),
    cosine similarities, ``tau = 0.07`` (authors' code). An optional
    triplet term (``loss_triplet``; the authors' code computes
    ``TripletMarginLoss(margin=1, p=2)(q, k, n)`` but leaves it out of the
    loss) is added when configured.

    Args:
        loss_contrast (dict): Memory-bank InfoNCE config.
        loss_triplet (dict, optional): Triplet loss config, e.g.
            ``dict(type='TripletMarginLoss', metric='euclidean',
            margin=1.0)``. Defaults to None (not used).
        init_cfg (dict, optional): Weight initialisation (no weights).
    """

    def __init__(self,
                 loss_contrast: dict = dict(
                     type='QueueInfoNCELoss', temperature=0.07),
                 loss_triplet: Optional[dict] = None,
                 init_cfg=None) -> None:
        super().__init__(init_cfg=init_cfg)
        self.loss_contrast = MODELS.build(loss_contrast)
        self.loss_triplet = (
            MODELS.build(loss_triplet) if loss_triplet is not None else None)

    def loss(self, query: torch.Tensor, positive: torch.Tensor,
             negative: torch.Tensor,
             queue: torch.Tensor) -> Dict[str, torch.Tensor]:
        """Losses of one batch.

        Args:
            query (Tensor): Anchor embeddings ``(N, D)`` (with gradient).
            positive (Tensor): Positive keys ``(N, D)`` (momentum encoder).
            negative (Tensor): Temporal negatives ``(N, D)`` (with
                gradient, online encoder).
            queue (Tensor): Memory bank ``(K, D)``.

        Returns:
            dict: ``loss_contrast``, optionally ``loss_triplet``, and
            ``acc_contrast`` (positive ranked first among the
            ``1 + 1 + K`` candidates) and ``acc_temporal`` (anchor more
            similar to the positive than to its temporal negative).
        """
        logits = self.loss_contrast.logits(query, positive, negative[:, None],
                                           queue)
        losses = dict(
            loss_contrast=self.loss_contrast.loss_weight *
            (torch.logsumexp(logits, 1) - logits[:, 0]).mean())
        if self.loss_triplet is not None:
            losses['loss_triplet'] = self.loss_triplet(query, positive,
                                                       negative)
        with torch.no_grad():
            losses['acc_contrast'] = (logits.argmax(1) == 0).float().mean()
            losses['acc_temporal'] = (logits[:, 0] > logits[:, 1]).float(
            ).mean()
        return losses
