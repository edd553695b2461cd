"""Instance contrastive loss of TCLR / STCLR (Eq. 2 of STCLR)."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch import Tensor

from mmssl.models.utils.gather import gather_with_grad_and_slice
from mmssl.registry import MODELS


def _as_float(x: Tensor) -> Tensor:
    """Half-precision features are upcast; exp(cos / tau) needs the range."""
    return x.float() if x.dtype in (torch.float16, torch.bfloat16) else x


def two_view_info_nce(anchors: Tensor, same_view: Tensor, other_view: Tensor,
                      pos_index: Tensor, temperature: float) -> Tensor:
    """Per-anchor two-view InfoNCE with intra-view negatives.

    The shared kernel of Eq. 2 (instance) and Eq. 3 (local-local) of STCLR:
    for anchor ``a_k = anchors[b, k]`` with own index ``m = pos_index[k]``::

        l_{b,k} = -log h(a_k, O_m) / sum_j [1[j != m] h(a_k, S_j) + h(a_k, O_j)]

    with ``S = same_view[b]``, ``O = other_view[b]`` and
    ``h(u, v) = exp(cos(u, v) / temperature)``. The positive ``h(a_k, O_m)``
    is part of the denominator (as in Eq. 2/3); the anchor's own copy
    ``S_m`` is excluded. Computed in log space with ``logsumexp``.

    Args:
        anchors (Tensor): Shape ``(B, n, D)``.
        same_view (Tensor): Candidates of the anchors' view, ``(B, M, D)``;
            ``same_view[:, pos_index[k]]`` is the anchor ``k`` itself.
        other_view (Tensor): Candidates of the other view, ``(B, M, D)``;
            ``other_view[:, pos_index[k]]`` is anchor ``k``'s positive.
        pos_index (Tensor): Long tensor ``(n,)`` with values in ``[0, M)``.
        temperature (float): ``Theta`` of the paper.

    Returns:
        Tensor: Per-anchor losses, shape ``(B, n)``.
    """
    a = F.normalize(_as_float(anchors), dim=-1)
    s = F.normalize(_as_float(same_view), dim=-1)
    o = F.normalize(_as_float(other_view), dim=-1)
    sim_same = torch.matmul(a, s.transpose(-1, -2)) / temperature  # (B,n,M)
    sim_other = torch.matmul(a, o.transpose(-1, -2)) / temperature  # (B,n,M)
    self_mask = F.one_hot(pos_index, sim_same.shape[-1]).bool()  # (n, M)
    sim_same = sim_same.masked_fill(self_mask, float('-inf'))
    rows = torch.arange(pos_index.numel(), device=pos_index.device)
    pos = sim_other[:, rows, pos_index]  # (B, n)
    log_denom = torch.logsumexp(torch.cat([sim_same, sim_other], dim=-1), -1)
    return log_denom - pos


@MODELS.register_module()
class InstanceContrastiveLoss(nn.Module):
    """Instance contrastive loss of TCLR / STCLR (Eq. 2 of STCLR).

    For video ``i`` with the two clip embeddings ``(G_i, G'_i)``::

        L_IC^i = -log h(G_i, G'_i)
                 / sum_j [1[j != i] h(G_i, G_j) + h(G_i, G'_j)]

    with ``h(u, v) = exp(u^T v / (|u| |v| tau))`` (cosine similarity, so the
    loss is invariant to the scale of the features). The denominator holds the
    positive and the ``2N - 2`` clips of the other videos. The returned loss is
    ``loss_weight * mean_i L_IC^i``.

    Symmetrisation: Eq. 2 as written uses only ``G_i`` as anchors, which is
    the default. ``symmetric=True`` also uses ``G'_i`` as anchors (Eq. 2 with
    the views swapped) and averages the two, which is what TCLR's NT-Xent
    implementation computes (its ``2N`` anchors).

    Distributed training (``gather_distributed=True`` and more than one
    rank): the anchors ``i`` are the local rank's videos while the negatives
    ``j`` range over the videos of all ranks (:func:`gather_with_grad`). Each
    rank returns the mean over its local anchors; with equal per-rank batch
    sizes DDP's gradient averaging then reproduces exactly the value (mean of
    the per-rank losses) and gradients of the single-process loss over the
    global batch (see ``mmssl/models/utils/gather.py``).

    Reference: Altabrawee & Mohd Noor, "STCLR: Sparse Temporal Contrastive
    Learning for Video Representation", Neurocomputing, Sec. 3.1, Eq. 2;
    Dave et al., "TCLR", CVIU 2022.

    Args:
        temperature (float): ``Theta`` in Eq. 2. Defaults to 0.1.
        loss_weight (float): Multiplier of the loss. Defaults to 1.0.
        gather_distributed (bool): Take negatives from all ranks.
            Defaults to True.
        symmetric (bool): Also use the second view as anchors and average.
            Defaults to False (Eq. 2 as written).
    """

    def __init__(self,
                 temperature: float = 0.1,
                 loss_weight: float = 1.0,
                 gather_distributed: bool = True,
                 symmetric: bool = False) -> None:
        super().__init__()
        if temperature <= 0:
            raise ValueError(f'temperature must be > 0, got {temperature}')
        self.temperature = temperature
        self.loss_weight = loss_weight
        self.gather_distributed = gather_distributed
        self.symmetric = symmetric

    def _gather(self, g: Tensor, g2: Tensor):
        """Both views of all ranks (one collective) and the local rows."""
        if not self.gather_distributed:
            return g, g2, slice(0, g.shape[0])
        both, rows = gather_with_grad_and_slice(torch.stack([g, g2], dim=1))
        return both[:, 0], both[:, 1], rows

    def _one_direction(self, anchors: Tensor, same_all: Tensor,
                       other_all: Tensor, rows: slice) -> Tensor:
        pos_index = torch.arange(rows.start, rows.stop, device=anchors.device)
        return two_view_info_nce(anchors[None], same_all[None],
                                 other_all[None], pos_index,
                                 self.temperature).mean()

    def forward(self, g: Tensor, g2: Tensor) -> Tensor:
        """Compute the loss.

        Args:
            g (Tensor): Embeddings of the first clip of each video ``G_i``,
                shape ``(N, D)`` (the local rows when distributed).
            g2 (Tensor): Embeddings of the second clip ``G'_i``, ``(N, D)``.

        Returns:
            Tensor: Scalar loss.
        """
        if g.dim() != 2 or g.shape != g2.shape:
            raise ValueError('g and g2 must both have shape (N, D), got '
                             f'{tuple(g.shape)} and {tuple(g2.shape)}')
        g_all, g2_all, rows = self._gather(g, g2)
        loss = self._one_direction(g, g_all, g2_all, rows)
        if self.symmetric:
            loss = 0.5 * (loss + self._one_direction(g2, g2_all, g_all, rows))
        return self.loss_weight * loss
