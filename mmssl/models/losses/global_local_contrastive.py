"""Global-local temporal contrastive loss of TCLR."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch import Tensor

from mmssl.registry import MODELS
from .instance_contrastive import _as_float


@MODELS.register_module()
class GlobalLocalContrastiveLoss(nn.Module):
    """Global-local temporal contrastive loss of TCLR (Dave et al., 2022).

    Inputs. A *global* clip covers the temporal span of the ``P`` *local*
    clips (TCLR: one global clip sampled with 4x the local skip rate and
    ``P = 4`` adjacent local clips). The backbone's final feature map of the
    global clip, ``(N, C, P, H', W')``, is average-pooled over space and
    each of its ``P`` timesteps is projected by the shared projection head,
    giving ``global_feats`` ``G_{i,q}`` of shape ``(N, P, D)``. The ``P``
    local clips are encoded and pooled as usual, giving ``local_feats``
    ``L_{i,p}`` of shape ``(N, P, D)``. Timestep ``q`` of the global clip
    corresponds in time to local clip ``q``.

    Loss. For video ``i`` and global timestep anchor ``q``::

        l^{G->L}_{i,q} = -log h(G_{i,q}, L_{i,q}) / sum_p h(G_{i,q}, L_{i,p})

    with ``h(u, v) = exp(cos(u, v) / tau)``. Following TCLR, the candidates
    are only the ``P`` local clips of the same video: the positive is the
    temporally aligned local clip, the negatives are the other ``P - 1``
    local clips (the positive is in the denominator, i.e. a ``P``-way
    softmax cross-entropy). Other timesteps of the global clip and other
    videos are *not* negatives.

    Symmetrisation. TCLR's equation uses the global timesteps as anchors;
    its official implementation also applies the cross-entropy to the
    transposed similarity matrix, i.e. anchor ``L_{i,q}`` with positive
    ``G_{i,q}`` and negatives ``G_{i,p}``, ``p != q``, and averages both
    directions. ``symmetric=True`` (default) follows the implementation,
    ``symmetric=False`` keeps only the ``G -> L`` direction.

    Reduction: mean over the ``N * P`` anchors (and over the two directions
    when symmetric), times ``loss_weight``. TCLR's per-video loss sums over
    the ``P`` timesteps; ``loss_weight=P`` reproduces that scale. Its
    released loop also sums over the 2 x 2 (global view, local view) pairs,
    which :class:`TemporalContrastiveHead` averages: ``loss_weight=4 P`` in
    the TCLR paper config.

    Not used by STCLR, which drops this loss (STCLR Sec. 3.2).

    Reference: Dave, Gupta, Rizve, Shah, "TCLR: Temporal Contrastive Learning
    for Video Representation", CVIU 219 (2022); summarised in Altabrawee &
    Mohd Noor, "STCLR", Neurocomputing, Sec. 2.

    Args:
        temperature (float): ``tau``. Defaults to 0.1.
        loss_weight (float): Multiplier of the loss. Defaults to 1.0.
        symmetric (bool): Average the ``G -> L`` and ``L -> G`` directions.
            Defaults to True (TCLR's implementation).
    """

    def __init__(self,
                 temperature: float = 0.1,
                 loss_weight: float = 1.0,
                 symmetric: bool = True) -> None:
        super().__init__()
        if temperature <= 0:
            raise ValueError(f'temperature must be > 0, got {temperature}')
        self.temperature = temperature
        self.loss_weight = loss_weight
        self.symmetric = symmetric

    def forward(self, global_feats: Tensor, local_feats: Tensor) -> Tensor:
        """Compute the loss.

        Args:
            global_feats (Tensor): Projected timestep embeddings of the
                global clip ``G_{i,q}``, shape ``(N, P, D)``.
            local_feats (Tensor): Embeddings of the ``P`` temporally aligned
                local clips ``L_{i,p}``, shape ``(N, P, D)``.

        Returns:
            Tensor: Scalar loss.
        """
        if global_feats.dim() != 3 or global_feats.shape != local_feats.shape:
            raise ValueError(
                'global_feats and local_feats must both have shape (N, P, D),'
                f' got {tuple(global_feats.shape)} and '
                f'{tuple(local_feats.shape)}')
        g = F.normalize(_as_float(global_feats), dim=-1)
        loc = F.normalize(_as_float(local_feats), dim=-1)
        logits = torch.matmul(g, loc.transpose(1, 2)) / self.temperature
        # logits[i, q, p] = cos(G_{i,q}, L_{i,p}) / tau; positives on the
        # diagonal. Rows: G -> L anchors; columns: L -> G anchors.
        pos = torch.diagonal(logits, dim1=1, dim2=2)  # (N, P)
        loss = (torch.logsumexp(logits, dim=2) - pos).mean()
        if self.symmetric:
            loss_t = (torch.logsumexp(logits, dim=1) - pos).mean()
            loss = 0.5 * (loss + loss_t)
        return self.loss_weight * loss
