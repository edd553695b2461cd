"""Local-local temporal contrastive loss of TCLR / STCLR (Eq. 3 of STCLR)."""
import torch
import torch.nn as nn
from torch import Tensor

from mmssl.registry import MODELS
from .instance_contrastive import two_view_info_nce


@MODELS.register_module()
class LocalLocalContrastiveLoss(nn.Module):
    """Local-local temporal contrastive loss (STCLR Eq. 3, TCLR Sec. 3).

    Video ``i`` has ``P`` local clips with embeddings ``G_{i,p}`` and their
    augmented twins ``G'_{i,p}``. For anchor clip ``p``::

        l_{i,p} = -log h(G_{i,p}, G'_{i,p})
                  / sum_q [1[q != p] h(G_{i,p}, G_{i,q}) + h(G_{i,p}, G'_{i,q})]

    with ``h(u, v) = exp(cos(u, v) / tau)``. The ``2P - 2`` negatives are the
    other clips of the *same* video and their twins (different timestamps);
    other videos never enter, so no cross-rank gather is needed. The
    positive is part of the denominator, as written in Eq. 3.

    Reduction: Eq. 3 sums over ``p`` per video; this loss returns the mean
    over all ``N * P`` anchors (``loss_weight * mean_{i,p} l_{i,p}``), so
    ``loss_weight=P`` reproduces the per-video sum averaged over videos (the
    STCLR paper configs). TCLR's released loop takes the symmetric per-video
    mean and sums it over the batch: ``symmetric=True, loss_weight=N`` (the
    TCLR paper config; docs/methods/tclr_family.md, "Loss weights").
    ``symmetric=True`` additionally uses ``G'_{i,p}`` as anchors (Eq. 3 with
    the views swapped, as TCLR's NT-Xent implementation does) and averages
    the two directions; the default follows Eq. 3 as written.

    In TCLR the ``P = 4`` local clips are dense, non-overlapping and adjacent;
    in STCLR (Sparse TCLR) the ``P = 5`` clips are sampled at random
    timestamps with different skip rates. The loss is the same.

    Reference: Altabrawee & Mohd Noor, "STCLR", Neurocomputing, Sec. 3.2,
    Eq. 3; Dave et al., "TCLR", CVIU 2022.

    Args:
        temperature (float): ``Theta`` in Eq. 3. Defaults to 0.1.
        loss_weight (float): Multiplier of the loss. Defaults to 1.0.
        symmetric (bool): Also use the twins as anchors and average.
            Defaults to False.
    """

    def __init__(self,
                 temperature: float = 0.1,
                 loss_weight: float = 1.0,
                 symmetric: bool = False) -> None:
        super().__init__()
        if temperature <= 0:
            raise ValueError(f'temperature must be > 0, got {temperature}')
        self.temperature = temperature
        self.loss_weight = loss_weight
        self.symmetric = symmetric

    def forward(self, l: Tensor, l2: Tensor) -> Tensor:  # noqa: E741
        """Compute the loss.

        Args:
            l (Tensor): Embeddings of the ``P`` local clips of each video,
                ``G_{i,p}``, shape ``(N, P, D)``.
            l2 (Tensor): Embeddings of their augmented twins ``G'_{i,p}``,
                shape ``(N, P, D)`` (``l2[i, p]`` is the twin of
                ``l[i, p]``).

        Returns:
            Tensor: Scalar loss.
        """
        if l.dim() != 3 or l.shape != l2.shape:
            raise ValueError('l and l2 must both have shape (N, P, D), got '
                             f'{tuple(l.shape)} and {tuple(l2.shape)}')
        pos_index = torch.arange(l.shape[1], device=l.device)
        loss = two_view_info_nce(l, l, l2, pos_index, self.temperature).mean()
        if self.symmetric:
            loss2 = two_view_info_nce(l2, l2, l, pos_index,
                                      self.temperature).mean()
            loss = 0.5 * (loss + loss2)
        return self.loss_weight * loss
