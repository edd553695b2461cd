"""Multi-instance InfoNCE between clips and I-frames (CSVR Eq. 2)."""
from typing import Optional

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch import Tensor

from mmssl.registry import MODELS

CONTEXT_LOSS_MODES = ('mi_infonce', 'infonce', 'l2')


def sample_negative_mask(owner: Tensor, num_clips: int,
                         negatives_per_video: Optional[int],
                         generator: Optional[torch.Generator] = None
                         ) -> Tensor:
    """Which I-frames are negatives of which clip.

    For clip ``i`` and every other video ``k != i`` of the batch, up to
    ``negatives_per_video`` of ``k``'s I-frames are drawn uniformly without
    replacement (all of them if ``k`` has fewer, or if
    ``negatives_per_video`` is None); each clip draws independently.

    Args:
        owner (Tensor): ``(M,)`` clip index of each I-frame.
        num_clips (int): ``B``.
        negatives_per_video (int, optional): Frames per other video.
        generator (torch.Generator, optional): For reproducible draws.

    Returns:
        Tensor: Bool ``(B, M)``.
    """
    others = owner[None, :] != torch.arange(
        num_clips, device=owner.device)[:, None]
    if negatives_per_video is None:
        return others
    scores = torch.rand(others.shape, generator=generator,
                        device='cpu').to(owner.device)
    mask = torch.zeros_like(others)
    for k in owner.unique():
        cols = (owner == k).nonzero(as_tuple=True)[0]
        if len(cols) <= negatives_per_video:
            mask[:, cols] = True
        else:
            top = scores[:, cols].topk(negatives_per_video, dim=1).indices
            mask[torch.arange(num_clips)[:, None].to(owner.device),
                 cols[top]] = True
    return mask & others


def sample_one_positive(owner: Tensor, num_clips: int,
                        generator: Optional[torch.Generator] = None) -> Tensor:
    """One random I-frame of each clip, bool ``(B, M)`` (InfoNCE / L2)."""
    own = owner[None, :] == torch.arange(
        num_clips, device=owner.device)[:, None]
    scores = torch.rand(own.shape, generator=generator,
                        device='cpu').to(owner.device)
    scores = scores.masked_fill(~own, -1.0)
    pick = scores.argmax(dim=1)
    return F.one_hot(pick, own.shape[1]).bool() & own


@MODELS.register_module()
class MIInfoNCELoss(nn.Module):
    """MI-InfoNCE of CSVR's context matching branch (Eq. 2), and the
    InfoNCE (Eq. 10) and L2 objectives of its Table IV.

    With ``x_i`` the clip embedding, ``z_m`` the I-frame embeddings,
    ``c(z, x) = cos(z, x) / tau``, ``P(i)`` the I-frames of clip ``i`` and
    ``N(i)`` its negatives (I-frames of the other videos of the batch, see
    :func:`sample_negative_mask`)::

        L = -1/B sum_i log  sum_{m in P(i)} e^{c(z_m, x_i)}
                / (sum_{m in P(i)} e^{c(z_m, x_i)}
                   + sum_{m in N(i)} e^{c(z_m, x_i)})

    - ``mode='mi_infonce'``: all I-frames of clip ``i`` are positives.
    - ``mode='infonce'``: one I-frame of clip ``i`` drawn at random is the
      positive (the paper's Table IV protocol); same negatives.
    - ``mode='l2'``: ``||x_i/|x_i| - z_p/|z_p|||^2`` for that one random
      I-frame; no negatives (so nothing prevents collapse).

    Args:
        temperature (float): ``tau``. Defaults to 0.1 (not given by CSVR).
        negatives_per_video (int, optional): Negative I-frames per other
            video; CSVR IV-B: "three negative frames from other video".
            None: all of them. Defaults to 3.
        mode (str): ``'mi_infonce'``, ``'infonce'`` or ``'l2'``.
        loss_weight (float): Multiplier. Defaults to 1.0.
    """

    def __init__(self,
                 temperature: float = 0.1,
                 negatives_per_video: Optional[int] = 3,
                 mode: str = 'mi_infonce',
                 loss_weight: float = 1.0) -> None:
        super().__init__()
        if mode not in CONTEXT_LOSS_MODES:
            raise ValueError(f'MIInfoNCELoss: mode {mode!r} is not one of '
                             f'{CONTEXT_LOSS_MODES}')
        if temperature <= 0:
            raise ValueError(f'temperature must be > 0, got {temperature}')
        if negatives_per_video is not None and negatives_per_video < 1:
            raise ValueError('negatives_per_video must be >= 1 or None, got '
                             f'{negatives_per_video}')
        self.temperature = temperature
        self.negatives_per_video = negatives_per_video
        self.mode = mode
        self.loss_weight = loss_weight

    def forward(self,
                video_feats: Tensor,
                iframe_feats: Tensor,
                owner: Tensor,
                generator: Optional[torch.Generator] = None) -> Tensor:
        """Mean over clips of the loss.

        Args:
            video_feats (Tensor): ``(B, C)``, one per clip.
            iframe_feats (Tensor): ``(M, C)``, the (valid) I-frames of the
                batch.
            owner (Tensor): ``(M,)`` long, the clip of each I-frame; every
                clip needs at least one.
            generator (torch.Generator, optional): For the random draws.

        Returns:
            Tensor: Scalar.
        """
        b = video_feats.shape[0]
        if iframe_feats.dim() != 2 or owner.shape != iframe_feats.shape[:1]:
            raise ValueError('MIInfoNCELoss expects iframe_feats (M, C) and '
                             f'owner (M,), got {tuple(iframe_feats.shape)} '
                             f'and {tuple(owner.shape)}')
        owner = owner.long()
        counts = torch.bincount(owner, minlength=b)
        if owner.numel() and (owner.min() < 0 or owner.max() >= b):
            raise ValueError(f'owner indices must be in [0, {b}), got '
                             f'[{int(owner.min())}, {int(owner.max())}]')
        if (counts[:b] == 0).any():
            missing = (counts[:b] == 0).nonzero().flatten().tolist()
            raise ValueError(f'clips {missing} have no I-frame (the data '
                             'pipeline must give every clip one)')
        x = F.normalize(video_feats.float(), dim=1)
        z = F.normalize(iframe_feats.float(), dim=1)
        if self.mode == 'mi_infonce':
            pos = owner[None, :] == torch.arange(b, device=owner.device)[:,
                                                                          None]
        else:
            pos = sample_one_positive(owner, b, generator)
        if self.mode == 'l2':
            target = (pos.float() @ z)  # one frame per row
            return self.loss_weight * (x - target).pow(2).sum(1).mean()
        neg = sample_negative_mask(owner, b, self.negatives_per_video,
                                   generator)
        logits = x @ z.t() / self.temperature
        all_terms = logits.masked_fill(~(pos | neg), float('-inf'))
        pos_terms = logits.masked_fill(~pos, float('-inf'))
        loss = all_terms.logsumexp(1) - pos_terms.logsumexp(1)
        return self.loss_weight * loss.mean()
