"""Pixel loss on masked patches whose count may differ between clips."""
from typing import Dict

import torch.nn.functional as F
from torch import Tensor

from mmssl.models.utils.video_patches import (normalize_patches,
                                              patchify_video)
from mmssl.registry import MODELS
from .videomae_head import VideoMAEPixelHead


@MODELS.register_module()
class MaskedPixelHead(VideoMAEPixelHead):
    """:class:`VideoMAEPixelHead`'s masked-patch MSE for ragged masks.

    Jeyaprabhavathi, Sec. 3.4: the decoder reconstructs the masked content
    and only masked positions enter the loss. The decoder here predicts
    every token ``(B, N, P)``; the loss is the mean squared error over the
    masked tokens of the whole batch,

    .. math::

        L = \\frac{1}{P \\sum_b |\\Omega_b|} \\sum_b \\sum_{n \\in \\Omega_b}
            \\lVert \\hat{x}_{b,n} - \\tilde{x}_{b,n} \\rVert_2^2

    which equals :class:`VideoMAEPixelHead`'s loss when every clip masks the
    same number of tokens, and stays defined when they do not (frame masks
    round to whole frames, so a batch mixing mask modes is ragged). Targets:
    per-patch normalised pixels of the unmasked clip (``norm_pix``).

    Args: as :class:`VideoMAEPixelHead` (``tubelet_size=1`` for frame
    patches).
    """

    def loss(self, pred: Tensor, videos: Tensor,  # type: ignore[override]
             mask: Tensor) -> Dict[str, Tensor]:
        """``loss_pixel`` over the masked tokens.

        Args:
            pred (Tensor): ``(B, N, q * p * p * C)``, every token.
            videos (Tensor): ``(B, C, T, H, W)`` unmasked clips.
            mask (Tensor): bool ``(B, N)``, ``True`` = masked.
        """
        if videos.shape[1] != self.in_channels:
            raise ValueError(f'clips have {videos.shape[1]} channels, '
                             f'in_channels={self.in_channels}')
        target = patchify_video(videos, self.patch_size, self.tubelet_size)
        if self.norm_pix:
            target = normalize_patches(target, self.in_channels,
                                       self.norm_per_channel, self.eps)
        if pred.shape != target.shape or mask.shape != target.shape[:2]:
            raise ValueError(f'prediction {tuple(pred.shape)} and mask '
                             f'{tuple(mask.shape)} do not match the patches '
                             f'{tuple(target.shape)} of the clips')
        err = F.mse_loss(pred.float(), target.detach().float(),
                         reduction='none').mean(dim=-1)
        weights = mask.to(err.dtype)
        loss = (err * weights).sum() / weights.sum().clamp_min(1.)
        return dict(loss_pixel=self.loss_weight * loss)
