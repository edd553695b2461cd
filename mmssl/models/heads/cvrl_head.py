"""CVRL head: the InfoNCE (NT-Xent) loss between the two clips of a video."""
from typing import Dict

import torch
import torch.nn.functional as F
from mmengine.model import BaseModule

from mmssl.registry import MODELS


@MODELS.register_module()
class CVRLHead(BaseModule):
    """Contrastive loss of CVRL on the projected embeddings of two clips.

    Qian et al., "Spatiotemporal Contrastive Video Representation
    Learning", CVPR 2021, Eq. 1: for the ``N`` videos of a batch and their
    two clip embeddings ``z_i, z'_i``::

        L_i = -log exp(sim(z_i, z'_i) / tau)
              / sum_{k != i, k in 2N views} exp(sim(z_i, z_k) / tau)

    over both views as anchors (SimCLR's NT-Xent), ``sim`` the cosine
    similarity. This is :class:`InstanceContrastiveLoss` with
    ``symmetric=True`` (its denominator: the positive and the ``2N - 2``
    clips of the other videos; with ``gather_distributed=True`` the other
    videos of all ranks). The default ``loss_weight=1`` averages over the
    ``2N`` anchors; the authors' TensorFlow code sums the two directions
    (``loss_weight=2``).

    Args:
        loss (dict): Loss config. Defaults to
            ``InstanceContrastiveLoss(temperature=0.1, symmetric=True)``
            (CVRL: tau = 0.1).
        init_cfg (dict, optional): Weight initialisation (no weights).
    """

    def __init__(self,
                 loss: dict = dict(
                     type='InstanceContrastiveLoss',
                     temperature=0.1,
                     symmetric=True),
                 init_cfg=None) -> None:
        super().__init__(init_cfg=init_cfg)
        self.loss_module = MODELS.build(loss)

    def loss(self, embeddings: torch.Tensor) -> Dict[str, torch.Tensor]:
        """Loss ``loss_contrast`` and local top-1 pair accuracy.

        Args:
            embeddings (Tensor): ``(N, 2, D)`` projected embeddings of the
                two clips of each video (not normalised).

        Returns:
            dict: ``loss_contrast`` and ``acc_contrast`` (fraction of the
            local ``2N`` anchors whose most similar other clip in the local
            batch is their positive).
        """
        if embeddings.dim() != 3 or embeddings.shape[1] != 2:
            raise ValueError('CVRLHead expects (N, 2, D) embeddings, got '
                             f'{tuple(embeddings.shape)}')
        z1, z2 = embeddings[:, 0], embeddings[:, 1]
        losses = dict(loss_contrast=self.loss_module(z1, z2))
        with torch.no_grad():
            z = F.normalize(torch.cat([z1, z2]).float(), dim=1)
            sim = z @ z.t()
            sim.fill_diagonal_(float('-inf'))
            n = z1.shape[0]
            target = torch.cat([torch.arange(n, 2 * n), torch.arange(n)])
            losses['acc_contrast'] = (sim.argmax(1).cpu() == target).float(
            ).mean().to(embeddings.device)
        return losses
