"""Playback-rate classifier and frame decoder (PRP)."""
import math
from typing import Dict, List, Optional, Sequence, Tuple

import torch
import torch.nn as nn
import torch.nn.functional as F
from mmengine.model import BaseModule
from torch import Tensor

from mmssl.models.utils.motion_attention import motion_attention
from mmssl.registry import MODELS

Size3d = Tuple[int, int, int]


def conv_bn_relu(in_channels: int, out_channels: int,
                 kernel_size: int = 3) -> nn.Sequential:
    """``Conv3d(k, padding k//2) + BN3d + ReLU``, the PRP decoder block."""
    return nn.Sequential(
        nn.Conv3d(
            in_channels, out_channels, kernel_size, padding=kernel_size // 2),
        nn.BatchNorm3d(out_channels), nn.ReLU(inplace=True))


def stage_sizes(in_size: Sequence[int], out_size: Sequence[int],
                num_stages: int) -> List[Size3d]:
    """Feature-map sizes after each of ``num_stages`` upsamplings.

    Stage ``i`` targets ``ceil(out / 2^(num_stages - 1 - i))`` per dimension
    (the last stage is ``out_size``), never smaller than the previous size,
    so a dimension the backbone did not downsample is not shrunk.
    """
    sizes, current = [], tuple(int(s) for s in in_size)
    for i in range(num_stages):
        factor = 2**(num_stages - 1 - i)
        current = tuple(
            max(c, math.ceil(o / factor)) for c, o in zip(current, out_size))
        sizes.append(current)
    return sizes


@MODELS.register_module()
class PRPHead(BaseModule):
    """Discriminative (rate) and generative (frame) branches of PRP.

    Yao et al., "Video Playback Rate Perception for Self-supervised
    Spatio-Temporal Representation Learning", CVPR 2020. On the backbone's
    feature map ``(B, D, t, h, w)``:

    - **discriminative**: ``Conv3d + BN + ReLU`` (``cls_channels``), global
      average pooling, dropout, ``Linear`` to the rate classes;
      cross-entropy (``loss_rate``, weight 0.1 in PRP).
    - **generative**: ``Conv3d + BN + ReLU`` (``rec_channels``), then per
      entry of ``decoder_channels`` an upsampling and a ``Conv3d(3x3x3) + BN
      + ReLU``, then a last upsampling to the target size and a linear
      ``Conv3d(3x3x3)`` to ``out_channels``. It reconstructs the clip at
      twice its frame rate (sampled and skipped frames interleaved); the
      loss (``loss_recon``, weight 1 in PRP) is a per-sample masked MSE
      weighted by motion attention.

    Simplifications against the authors' decoder (documented in
    ``docs/methods/prp.md``): upsampling is interpolation (resize-conv) to
    sizes derived from the target, so any backbone stride works, instead of
    2x transposed convolutions; the output layer is linear because the
    targets are mean/std-normalised (PRP ends in BN + ReLU on [0, 1] pixels).

    Args:
        in_channels (int, optional): Backbone channels ``D``; ``None`` lets
            the algorithm fill it in.
        num_classes (int): Rate classes. Defaults to 4 (PRP).
        cls_channels (int, optional): Width of the classifier's conv
            (``None``: ``in_channels``, as PRP).
        rec_channels (int, optional): Width of the decoder's first conv
            (``None``: ``in_channels``, as PRP).
        adapter_kernel (int): Kernel of those two convs. Defaults to 3 (PRP);
            1 keeps wide backbones (ShuffleNet, 1920 channels) cheap.
        decoder_channels (Sequence[int]): Widths of the upsampling stages.
            Defaults to ``(256, 128, 64)`` (PRP).
        out_channels (int): Reconstructed channels. Defaults to 3.
        dropout_ratio (float): Dropout before the rate classifier.
        upsample_mode (str): Interpolation of the decoder, ``'nearest'``
            (default; about 2.7x cheaper on CPU) or ``'trilinear'``.
        recon_targets (str): ``'all'`` (PRP: sampled and skipped frames) or
            ``'skipped'`` (only the frames the dilation skipped).
        motion_attention (dict, optional): Keyword arguments of
            :func:`motion_attention` (``low``, ``high``, ``patch_frac``,
            ``stride_frac``); ``None`` for an unweighted loss.
        loss_cls (dict): Rate loss. Defaults to cross-entropy with
            ``loss_weight=0.1`` (PRP).
        loss_recon (dict, optional): Reconstruction loss. Defaults to
            :class:`MaskedReconstructionLoss` (MSE, ``loss_weight=1.0``).
            ``None`` drops the generative branch.
        init_cfg (dict, optional): Weight initialisation.
    """

    def __init__(self,
                 in_channels: Optional[int] = None,
                 num_classes: int = 4,
                 cls_channels: Optional[int] = None,
                 rec_channels: Optional[int] = None,
                 adapter_kernel: int = 3,
                 decoder_channels: Sequence[int] = (256, 128, 64),
                 out_channels: int = 3,
                 dropout_ratio: float = 0.0,
                 upsample_mode: str = 'nearest',
                 recon_targets: str = 'all',
                 motion_attention: Optional[dict] = dict(
                     low=0.8, high=2.0, patch_frac=0.25, stride_frac=1 / 16),
                 loss_cls: dict = dict(
                     type='CrossEntropyLoss', loss_weight=0.1),
                 loss_recon: Optional[dict] = dict(
                     type='MaskedReconstructionLoss',
                     loss_type='mse',
                     loss_weight=1.0),
                 init_cfg: Optional[dict] = dict(
                     type='Normal', layer='Linear', std=0.01)) -> None:
        super().__init__(init_cfg=init_cfg)
        if in_channels is None:
            raise ValueError('PRPHead needs in_channels (the PRP algorithm '
                             'fills it in from the backbone)')
        if recon_targets not in ('all', 'skipped'):
            raise ValueError("recon_targets must be 'all' or 'skipped', got "
                             f'{recon_targets!r}')
        if num_classes < 2:
            raise ValueError(f'num_classes must be >= 2, got {num_classes}')
        if upsample_mode not in ('nearest', 'trilinear'):
            raise ValueError("upsample_mode must be 'nearest' or 'trilinear', "
                             f'got {upsample_mode!r}')
        self.in_channels = in_channels
        self.upsample_mode = upsample_mode
        self.num_classes = num_classes
        self.recon_targets = recon_targets
        self.motion_attention_cfg = motion_attention
        cls_channels = cls_channels or in_channels
        self.conv_cls = conv_bn_relu(in_channels, cls_channels, adapter_kernel)
        self.dropout = nn.Dropout(dropout_ratio) if dropout_ratio > 0 \
            else nn.Identity()
        self.fc_cls = nn.Linear(cls_channels, num_classes)
        self.loss_cls = MODELS.build(loss_cls)
        self.with_decoder = loss_recon is not None
        if self.with_decoder:
            rec_channels = rec_channels or in_channels
            self.conv_rec = conv_bn_relu(in_channels, rec_channels,
                                         adapter_kernel)
            widths = [rec_channels, *decoder_channels]
            self.up_convs = nn.ModuleList(
                conv_bn_relu(a, b) for a, b in zip(widths[:-1], widths[1:]))
            self.conv_out = nn.Conv3d(
                widths[-1], out_channels, kernel_size=3, padding=1)
            self.loss_recon = MODELS.build(loss_recon)

    def classify(self, feat_map: Tensor) -> Tensor:
        """Rate logits ``(B, K)`` of a feature map ``(B, D, t, h, w)``."""
        if feat_map.dim() != 5 or feat_map.shape[1] != self.in_channels:
            raise ValueError(f'PRPHead expects (B, {self.in_channels}, t, h, '
                             f'w) features, got {tuple(feat_map.shape)}')
        pooled = F.adaptive_avg_pool3d(self.conv_cls(feat_map), 1).flatten(1)
        return self.fc_cls(self.dropout(pooled))

    def decode(self, feat_map: Tensor, out_size: Sequence[int]) -> Tensor:
        """Reconstruction ``(B, out_channels, *out_size)``."""
        if not self.with_decoder:
            raise RuntimeError('PRPHead was built without a decoder '
                               '(loss_recon=None)')
        x = self.conv_rec(feat_map)
        sizes = stage_sizes(x.shape[2:], out_size, len(self.up_convs) + 1)
        for size, block in zip(sizes[:-1], self.up_convs):
            x = block(self._resize(x, size))
        return self.conv_out(self._resize(x, sizes[-1]))

    def _resize(self, x: Tensor, size: Size3d) -> Tensor:
        if tuple(x.shape[2:]) == tuple(size):
            return x
        if self.upsample_mode == 'nearest':
            return F.interpolate(x, size=size, mode='nearest')
        return F.interpolate(
            x, size=size, mode='trilinear', align_corners=False)

    def forward(self,
                feat_map: Tensor,
                out_size: Optional[Sequence[int]] = None
                ) -> Tuple[Tensor, Optional[Tensor]]:
        """Rate logits and, given ``out_size`` ``(T', H, W)``, the
        reconstruction."""
        logits = self.classify(feat_map)
        recon = None
        if out_size is not None and self.with_decoder:
            recon = self.decode(feat_map, out_size)
        return logits, recon

    def loss(self,
             feat_map: Tensor,
             rate_labels: Tensor,
             target: Optional[Tensor] = None,
             recon_mask: Optional[Tensor] = None,
             clip: Optional[Tensor] = None,
             weight: Optional[Tensor] = None) -> Dict[str, Tensor]:
        """Rate and reconstruction losses.

        Args:
            feat_map (Tensor): ``(B, D, t, h, w)``.
            rate_labels (Tensor): ``(B,)`` rate classes.
            target (Tensor, optional): ``(B, C, 2T, H, W)`` interleaved
                sampled / skipped frames (needed with a decoder).
            recon_mask (Tensor, optional): ``(B, 2T)`` target validity.
            clip (Tensor, optional): ``(B, C, T, H, W)`` input clip, source of
                the motion attention (defaults to the even target frames).
            weight (Tensor, optional): Precomputed pixel weights
                broadcastable to ``target`` (PRP's original per-segment
                maps, ``(B, 1, 2T, H, W)``, from :class:`PRPMotionAttention`
                in the data pipeline); used instead of ``motion_attention``.

        Returns:
            dict: ``loss_rate``, ``acc_rate`` and (with a decoder)
            ``loss_recon``.
        """
        logits = self.classify(feat_map)
        losses = dict(loss_rate=self.loss_cls(logits, rate_labels))
        with torch.no_grad():
            losses['acc_rate'] = (logits.argmax(1) == rate_labels).float(
            ).mean()
        if not self.with_decoder:
            return losses
        if target is None:
            raise ValueError('PRPHead with a decoder needs the target frames')
        recon = self.decode(feat_map, target.shape[2:])
        mask = recon_mask if recon_mask is not None else target.new_ones(
            target.shape[0], target.shape[2])
        if self.recon_targets == 'skipped':
            mask = mask.clone()
            mask[:, 0::2] = 0
        if weight is None and self.motion_attention_cfg is not None:
            source = clip if clip is not None else target[:, :, 0::2]
            weight = motion_attention(source, **self.motion_attention_cfg)
        losses['loss_recon'] = self.loss_recon(recon, target, mask, weight)
        return losses
