"""Instance contrastive loss over every pair of a video's clips (TCLR's
dense-clip instance term)."""
import itertools

import torch
from torch import Tensor

from mmssl.models.utils.gather import gather_with_grad_and_slice
from mmssl.registry import MODELS
from .instance_contrastive import InstanceContrastiveLoss


@MODELS.register_module()
class PairwiseInstanceContrastiveLoss(InstanceContrastiveLoss):
    """:class:`InstanceContrastiveLoss` on every pair of ``M`` clip types.

    TCLR's released training loop (Dave et al., "TCLR", CVIU 2022;
    ``train_gen_all_step.py``, ``loss_ic1``) adds to the instance loss of the
    global clip pair an instance loss between the *dense local* clips: for
    every two of the ``M = 2P`` local clips and twins ``(a, b)``, the NT-Xent
    loss with ``(a_i, b_i)`` as the positive pair of video ``i`` and the
    ``a_j``, ``b_j`` of the other videos ``j`` as negatives (Eq. 2 of STCLR
    with ``G = a``, ``G' = b``). Local clips of the same video at other
    timesteps are not negatives here (they are positives of other pairs).

    Returns ``loss_weight * mean_{a < b} L_IC(a, b)``, each pair's term as
    in :class:`InstanceContrastiveLoss` (a per-anchor mean; with
    ``symmetric=True`` both clips of the pair serve as anchors, as NT-Xent
    does). TCLR's loop sums the NT-Xent over the ``M (M - 1)`` ordered pairs
    (each unordered pair twice, with equal values) and divides by 4:
    ``loss_weight = M (M - 1) / 4 = 14`` for ``P = 4`` reproduces it.

    Distributed training: one gather of all ``M`` clips, negatives from all
    ranks (see :class:`InstanceContrastiveLoss`).

    Args:
        temperature (float): Defaults to 0.1.
        loss_weight (float): Defaults to 1.0.
        gather_distributed (bool): Defaults to True.
        symmetric (bool): Defaults to False.
    """

    def forward(self, clips: Tensor) -> Tensor:  # type: ignore[override]
        """Compute the loss.

        Args:
            clips (Tensor): ``(N, M, D)`` embeddings of ``M >= 2`` clips per
                video (the local rows when distributed).

        Returns:
            Tensor: Scalar loss.
        """
        if clips.dim() != 3 or clips.shape[1] < 2:
            raise ValueError('clips must have shape (N, M, D) with M >= 2, '
                             f'got {tuple(clips.shape)}')
        if self.gather_distributed:
            all_clips, rows = gather_with_grad_and_slice(clips)
        else:
            all_clips, rows = clips, slice(0, clips.shape[0])
        terms = []
        for a, b in itertools.combinations(range(clips.shape[1]), 2):
            term = self._one_direction(clips[:, a], all_clips[:, a],
                                       all_clips[:, b], rows)
            if self.symmetric:
                term = 0.5 * (term + self._one_direction(
                    clips[:, b], all_clips[:, b], all_clips[:, a], rows))
            terms.append(term)
        return self.loss_weight * torch.stack(terms).mean()
