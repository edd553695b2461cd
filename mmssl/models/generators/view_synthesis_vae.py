"""Variational autoencoder G that synthesises a new view of a video clip."""
from typing import Dict, List, Optional, Sequence, Tuple, Union

import torch
import torch.nn.functional as F
from mmcv.cnn import ConvModule
from mmengine.model import BaseModule
from torch import Tensor, nn

from mmssl.registry import MODELS


@MODELS.register_module()
class ViewSynthesisVAE(BaseModule):
    """3D-convolutional VAE ``G`` of the view-synthesis module.

    The generator of Section III-G / Fig. 3 of "Self-supervised video
    representation learning by segment sampling-rate and order prediction"
    (``docs/methods/segment_rate_order_view_synthesis.md``): a clip ``x`` is
    encoded to a posterior ``N(mu, diag(exp(logvar)))`` over a latent
    *feature map*, a latent ``z = mu + eps * exp(logvar / 2)`` is drawn
    (reparameterisation) and decoded to a clip ``x'`` of the shape of ``x``,
    the "new view" used as a key candidate of the contrastive task (III-A).
    The paper gives no architecture; this one is ours (documented):

    - encoder: ``len(strides)`` ``3x3x3`` conv + norm + ReLU blocks with
      widths ``base_channels * multiplier``; default strides ``(1, 2, 2)``,
      ``(2, 2, 2)``, ``(2, 2, 2)``, i.e. ``16x112x112 -> 4x14x14`` and
      ``8x32x32 -> 2x4x4``;
    - ``1x1x1`` convs to ``mu`` and ``logvar`` (``latent_channels`` each);
      ``logvar`` is clamped to ``[-logvar_limit, logvar_limit]`` so that an
      early, badly scaled step cannot overflow ``exp``;
    - decoder: the mirror image; each block trilinearly resizes to the
      size the matching encoder block received (any input size works, no
      divisibility constraint), then ``3x3x3`` conv + norm + ReLU; a final
      linear ``3x3x3`` conv returns ``in_channels`` values, in the space of
      the normalised network input.

    Args:
        in_channels (int): Clip channels. Defaults to 3.
        base_channels (int): Width of the first encoder block. Defaults to 32.
        channel_multipliers (Sequence[int]): Width multiplier per block.
            Defaults to ``(1, 2, 4)``.
        strides (Sequence[Sequence[int]]): ``(t, h, w)`` stride per block,
            same length as ``channel_multipliers``.
        latent_channels (int): Channels of the latent map ``z``.
            Defaults to 16.
        logvar_limit (float): Clamp of ``logvar``. Defaults to 10.
        norm_cfg (dict): Defaults to GroupNorm with 4 groups: batch
            independent, so a frozen ``G`` in eval mode computes what it
            computed in training, and the info-min pass over synthesised
            views leaves no running statistics behind (BN would mix the
            statistics of real and synthesised clips).
        init_cfg (dict | list[dict], optional): e.g. ``dict(type=
            'Pretrained', checkpoint=..., prefix='generator.')`` to load the
            generator of a :class:`ViewSynthesisPretrain` checkpoint.
    """

    def __init__(self,
                 in_channels: int = 3,
                 base_channels: int = 32,
                 channel_multipliers: Sequence[int] = (1, 2, 4),
                 strides: Sequence[Sequence[int]] = ((1, 2, 2), (2, 2, 2),
                                                     (2, 2, 2)),
                 latent_channels: int = 16,
                 logvar_limit: float = 10.0,
                 norm_cfg: Dict = dict(type='GN', num_groups=4),
                 init_cfg: Optional[Union[Dict, List[Dict]]] = None) -> None:
        super().__init__(init_cfg=init_cfg)
        if len(strides) != len(channel_multipliers) or not strides:
            raise ValueError(
                'strides and channel_multipliers must be non-empty and of '
                f'the same length, got {len(strides)} and '
                f'{len(channel_multipliers)}')
        conv = dict(conv_cfg=dict(type='Conv3d'), norm_cfg=norm_cfg,
                    act_cfg=dict(type='ReLU'))
        widths = [base_channels * m for m in channel_multipliers]
        self.in_channels = in_channels
        self.latent_channels = latent_channels
        self.logvar_limit = logvar_limit
        self.encoder = nn.ModuleList()
        for c_in, c_out, stride in zip([in_channels] + widths[:-1], widths,
                                       strides):
            self.encoder.append(
                ConvModule(c_in, c_out, 3, stride=tuple(stride), padding=1,
                           **conv))
        self.to_mu = nn.Conv3d(widths[-1], latent_channels, 1)
        self.to_logvar = nn.Conv3d(widths[-1], latent_channels, 1)
        # decoder[i] restores the input size of encoder[-1 - i]
        dec_in = [latent_channels] + widths[::-1][:-1]
        dec_out = widths[::-1]
        self.decoder = nn.ModuleList(
            ConvModule(c_in, c_out, 3, padding=1, **conv)
            for c_in, c_out in zip(dec_in, dec_out))
        self.to_clip = nn.Conv3d(widths[0], in_channels, 3, padding=1)

    def _check(self, clips: Tensor) -> None:
        if clips.dim() != 5 or clips.shape[1] != self.in_channels:
            raise ValueError(
                f'{type(self).__name__} expects clips (N, {self.in_channels}'
                f', T, H, W), got {tuple(clips.shape)}')

    def _encode(self, clips: Tensor) -> Tuple[Tensor, List[torch.Size]]:
        """Encoder trunk: last feature map and each block's input size."""
        self._check(clips)
        sizes, feat = [], clips
        for block in self.encoder:
            sizes.append(feat.shape[2:])
            feat = block(feat)
        return feat, sizes

    def _posterior(self, feat: Tensor) -> Tuple[Tensor, Tensor]:
        logvar = self.to_logvar(feat).clamp(-self.logvar_limit,
                                            self.logvar_limit)
        return self.to_mu(feat), logvar

    def encode(self, clips: Tensor) -> Tuple[Tensor, Tensor]:
        """Posterior parameters.

        Args:
            clips (Tensor): ``(N, C, T, H, W)``.

        Returns:
            tuple[Tensor, Tensor]: ``mu`` and ``logvar``, each
            ``(N, latent_channels, T', H', W')``.
        """
        return self._posterior(self._encode(clips)[0])

    def embed(self, clips: Tensor) -> Tensor:
        """Embedding ``f(x)`` of the info-min loss: the posterior mean
        ``mu``, globally average-pooled.

        Args:
            clips (Tensor): ``(N, C, T, H, W)``.

        Returns:
            Tensor: ``(N, latent_channels)``.
        """
        return self.encode(clips)[0].mean(dim=(2, 3, 4))

    def decode(self, z: Tensor, sizes: Sequence[torch.Size]) -> Tensor:
        """Decode a latent map to a clip.

        Args:
            z (Tensor): ``(N, latent_channels, T', H', W')``.
            sizes (Sequence[torch.Size]): ``(T, H, W)`` input size of each
                encoder block (as recorded by the encoder), first block
                first; the output has ``sizes[0]``.

        Returns:
            Tensor: ``(N, in_channels, *sizes[0])``.
        """
        feat = z
        for block, size in zip(self.decoder, reversed(sizes)):
            if feat.shape[2:] != size:
                feat = F.interpolate(
                    feat, size=tuple(size), mode='trilinear',
                    align_corners=False)
            feat = block(feat)
        return self.to_clip(feat)

    @staticmethod
    def reparameterize(mu: Tensor, logvar: Tensor) -> Tensor:
        """``z = mu + eps * exp(logvar / 2)``, ``eps ~ N(0, I)``."""
        return mu + torch.randn_like(mu) * torch.exp(0.5 * logvar)

    def forward(self, clips: Tensor) -> Tuple[Tensor, Tensor, Tensor]:
        """Encode, sample (training mode; the mean ``mu`` in eval mode) and
        decode.

        Args:
            clips (Tensor): ``(N, C, T, H, W)`` normalised clips.

        Returns:
            tuple[Tensor, Tensor, Tensor]: ``recon`` (shape of ``clips``),
            ``mu`` and ``logvar`` ``(N, latent_channels, T', H', W')``.
        """
        feat, sizes = self._encode(clips)
        mu, logvar = self._posterior(feat)
        z = self.reparameterize(mu, logvar) if self.training else mu
        return self.decode(z, sizes), mu, logvar

    @torch.no_grad()
    def synthesize(self, clips: Tensor) -> Tensor:
        """A new view ``x' = G(x)`` with a freshly sampled ``z`` (also in
        eval mode), without gradients.

        Args:
            clips (Tensor): ``(N, C, T, H, W)`` normalised clips.

        Returns:
            Tensor: ``(N, C, T, H, W)``.
        """
        feat, sizes = self._encode(clips)
        mu, logvar = self._posterior(feat)
        return self.decode(self.reparameterize(mu, logvar), sizes)
