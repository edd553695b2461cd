"""Masked, optionally weighted frame-reconstruction loss (PRP)."""
from typing import Optional

import torch.nn as nn
from torch import Tensor

from mmssl.registry import MODELS


@MODELS.register_module()
class MaskedReconstructionLoss(nn.Module):
    """Pixel reconstruction loss over the valid frames of each sample.

    The generative loss of Yao et al., "Video Playback Rate Perception for
    Self-supervised Spatio-Temporal Representation Learning", CVPR 2020
    (the authors' ``Motion_MSEloss_NoFakeGt``): for sample ``b`` with valid
    frame set ``V_b = {t : mask[b, t] > 0}``::

        l_b = sum_{c, t in V_b, h, w} w[b,c,t,h,w] * d(p[b,c,t,h,w],
                                                        y[b,c,t,h,w])
              / (C * |V_b| * H * W)
        loss = loss_weight * mean_{b : |V_b| > 0} l_b

    with ``d(p, y) = (p - y)^2`` (``'mse'``) or ``|p - y|`` (``'l1'``) and
    ``w`` the optional pixel weights (motion attention), 1 by default.
    Samples without valid frames are left out of the mean; if none has any,
    the loss is 0 (and still part of the graph).

    Args:
        loss_type (str): ``'mse'`` (PRP) or ``'l1'``.
        loss_weight (float): Multiplier of the loss. Defaults to 1.0 (PRP
            weighs reconstruction 1 and rate classification 0.1).
    """

    def __init__(self, loss_type: str = 'mse', loss_weight: float = 1.0):
        super().__init__()
        if loss_type not in ('mse', 'l1'):
            raise ValueError(
                f"loss_type must be 'mse' or 'l1', got {loss_type!r}")
        self.loss_type = loss_type
        self.loss_weight = loss_weight

    def forward(self,
                pred: Tensor,
                target: Tensor,
                mask: Optional[Tensor] = None,
                weight: Optional[Tensor] = None) -> Tensor:
        """Compute the loss.

        Args:
            pred (Tensor): ``(B, C, T, H, W)`` reconstruction.
            target (Tensor): Same shape, the real frames.
            mask (Tensor, optional): ``(B, T)`` frame validity (0/1);
                all valid if ``None``.
            weight (Tensor, optional): Pixel weights broadcastable to
                ``(B, C, T, H, W)``, e.g. ``(B, C, 1, H, W)``.

        Returns:
            Tensor: Scalar loss.
        """
        if pred.shape != target.shape or pred.dim() != 5:
            raise ValueError(f'pred and target must both be (B, C, T, H, W), '
                             f'got {tuple(pred.shape)} and '
                             f'{tuple(target.shape)}')
        batch, channels, frames, height, width = pred.shape
        if mask is None:
            mask = pred.new_ones(batch, frames)
        if mask.shape != (batch, frames):
            raise ValueError(f'mask must be (B, T) = {(batch, frames)}, got '
                             f'{tuple(mask.shape)}')
        diff = pred - target.to(pred.dtype)
        err = diff.pow(2) if self.loss_type == 'mse' else diff.abs()
        if weight is not None:
            err = err * weight.to(err.dtype)
        mask = mask.to(err.dtype)
        per_frame = err.sum(dim=(1, 3, 4))  # (B, T)
        valid = mask.sum(1)  # (B,)
        per_sample = (per_frame * mask).sum(1) / (
            valid * channels * height * width).clamp_min(1)
        has_valid = (valid > 0).to(err.dtype)
        loss = (per_sample * has_valid).sum() / has_valid.sum().clamp_min(1)
        return self.loss_weight * loss

    def extra_repr(self) -> str:
        return f'loss_type={self.loss_type!r}, loss_weight={self.loss_weight}'
