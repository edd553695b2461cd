"""Pixel-reconstruction head of VideoMAE (owns the MSE loss)."""
from typing import Dict

import torch.nn.functional as F
from mmengine.model import BaseModule
from torch import Tensor

from mmssl.models.utils.video_patches import (gather_tokens,
                                              normalize_patches,
                                              patchify_video)
from mmssl.registry import MODELS


@MODELS.register_module()
class VideoMAEPixelHead(BaseModule):
    """Mean squared error between predicted and true pixels of masked cubes.

    Tong et al., "VideoMAE: Masked Autoencoders are Data-Efficient Learners
    for Self-Supervised Video Pre-Training", NeurIPS 2022, Sec. 3.3 (loss:
    MSE between the normalised masked tokens and the reconstructed ones):

    .. math::

        L = \\frac{1}{|\\Omega| P} \\sum_{b} \\sum_{n \\in \\Omega_b}
            \\lVert \\hat{x}_{b,n} - \\tilde{x}_{b,n} \\rVert_2^2

    with :math:`\\Omega_b` the masked tokens of clip ``b``, ``P`` values per
    token and :math:`\\tilde{x}` the target cube, normalised per patch (and
    per channel, :func:`normalize_patches`) when ``norm_pix`` is set. Visible
    tokens do not enter the loss.

    Targets are cut from the data preprocessor's output (the mean/std
    normalised clip). With per-channel patch normalisation this equals the
    authors' target computed from ``[0, 1]`` pixels up to the ``eps`` term;
    without it the target scale differs from theirs by the per-channel std.

    Args:
        patch_size (int): Spatial patch side ``p``.
        tubelet_size (int): Frames per patch ``q``. Defaults to 2.
        in_channels (int): Channels ``C`` of the clips. Defaults to 3.
        norm_pix (bool): Normalise target patches. Defaults to True (the
            authors' default ``normlize_target=True``).
        norm_per_channel (bool): Patch statistics per channel (VideoMAE)
            instead of over the whole patch (image MAE). Defaults to True.
        eps (float): Normalisation stabiliser. Defaults to 1e-6.
        loss_weight (float): Defaults to 1.
    """

    def __init__(self,
                 patch_size: int,
                 tubelet_size: int = 2,
                 in_channels: int = 3,
                 norm_pix: bool = True,
                 norm_per_channel: bool = True,
                 eps: float = 1e-6,
                 loss_weight: float = 1.0) -> None:
        super().__init__()
        self.patch_size = patch_size
        self.tubelet_size = tubelet_size
        self.in_channels = in_channels
        self.norm_pix = norm_pix
        self.norm_per_channel = norm_per_channel
        self.eps = eps
        self.loss_weight = loss_weight

    @property
    def out_channels(self) -> int:
        """Values per token the decoder must predict."""
        return self.tubelet_size * self.patch_size**2 * self.in_channels

    def targets(self, videos: Tensor, mask: Tensor) -> Tensor:
        """Reconstruction targets of the masked tokens.

        Args:
            videos (Tensor): ``(B, C, T, H, W)`` clips as fed to the encoder.
            mask (Tensor): bool ``(B, N)``, ``True`` = masked.

        Returns:
            Tensor: ``(B, N_mask, q * p * p * C)`` in token order.
        """
        if videos.shape[1] != self.in_channels:
            raise ValueError(f'clips have {videos.shape[1]} channels, '
                             f'in_channels={self.in_channels}')
        patches = patchify_video(videos, self.patch_size, self.tubelet_size)
        if self.norm_pix:
            patches = normalize_patches(patches, self.in_channels,
                                        self.norm_per_channel, self.eps)
        return gather_tokens(patches, mask.bool(), keep=True)

    def loss(self, pred: Tensor, videos: Tensor,
             mask: Tensor) -> Dict[str, Tensor]:
        """``loss_pixel``: weighted MSE over the masked tokens.

        Args:
            pred (Tensor): ``(B, N_mask, q * p * p * C)`` decoder output.
            videos (Tensor): ``(B, C, T, H, W)``.
            mask (Tensor): bool ``(B, N)``.
        """
        target = self.targets(videos, mask).detach()
        if pred.shape != target.shape:
            raise ValueError(f'prediction {tuple(pred.shape)} does not match '
                             f'the masked targets {tuple(target.shape)}; '
                             'check the decoder\'s out_channels and the '
                             'patch/tubelet sizes')
        loss = F.mse_loss(pred.float(), target.float())
        return dict(loss_pixel=self.loss_weight * loss)
