"""PRP: video playback rate perception."""
from typing import Dict, Optional

import torch

from mmssl.registry import MODELS
from .base import BaseSSLAlgorithm, SampleList
from mmssl.models.utils.data_samples import stack_field


def interleave_frames(sampled: torch.Tensor,
                      skipped: torch.Tensor) -> torch.Tensor:
    """``(B, C, T, H, W)`` x 2 -> ``(B, C, 2T, H, W)`` with sampled frame
    ``k`` at ``2k`` and skipped frame ``k`` at ``2k + 1``."""
    return torch.stack((sampled, skipped), dim=3).flatten(2, 3)


@MODELS.register_module()
class PRP(BaseSSLAlgorithm):
    """Video Playback Rate Perception.

    Yao et al., "Video Playback Rate Perception for Self-supervised
    Spatio-Temporal Representation Learning", CVPR 2020. A clip sampled at
    a random dilation (:class:`PRPSampleClip`) goes through the backbone;
    :class:`PRPHead` classifies the dilation (discriminative perception) and
    decodes the clip at twice its frame rate, i.e. the sampled frames and
    the frames the dilation skipped (generative perception), with a
    motion-weighted reconstruction loss.

    Inputs ``(B, 2, C, T, H, W)``: clip 0 is the dilated clip (the backbone's
    input), clip 1 the skipped frames (only a reconstruction target). With
    ``head.loss_recon=None`` (no decoder) ``(B, 1, C, T, H, W)`` is enough.
    Data samples carry ``rate_label`` and, with a decoder, ``recon_mask``
    ``(2T,)`` and optionally ``motion_weight`` ``(2T, H, W)`` (the
    original per-segment motion attention, :class:`PRPMotionAttention`),
    which then replaces the head's clip-level ``motion_attention``.

    Args:
        backbone (dict): Backbone config.
        head (dict): :class:`PRPHead` config; ``in_channels`` may be omitted
            (taken from the backbone).
        neck, data_preprocessor, init_cfg: See :class:`BaseSSLAlgorithm`.
    """

    head_in_channels_from_backbone = True

    def _split(self, inputs: torch.Tensor) -> torch.Tensor:
        needed = 2 if self.head.with_decoder else 1
        if inputs.dim() != 6 or inputs.shape[1] < needed:
            raise ValueError(
                f'PRP expects inputs (B, {needed}, C, T, H, W) (dilated clip'
                + (', skipped frames' if needed == 2 else '') +
                f'; see PRPSampleClip), got {tuple(inputs.shape)}')
        return inputs

    def loss(self, inputs: torch.Tensor,
             data_samples: SampleList) -> Dict[str, torch.Tensor]:
        """``loss_rate``, ``acc_rate`` and ``loss_recon``."""
        inputs = self._split(inputs)
        clip = inputs[:, 0]
        feat_map = self.extract_feat(clip)
        labels = stack_field(data_samples, 'rate_label').to(clip.device)
        if not self.head.with_decoder:
            return self.head.loss(feat_map, labels)
        target = interleave_frames(clip, inputs[:, 1])
        mask = stack_field(data_samples, 'recon_mask').to(clip.device)
        weight = None
        if all('motion_weight' in s for s in data_samples):
            # PRP's original maps (PRPMotionAttention): (B, 1, 2T, H, W)
            weight = stack_field(data_samples, 'motion_weight').to(
                clip.device, clip.dtype).unsqueeze(1)
        return self.head.loss(feat_map, labels, target, mask, clip, weight)

    def predict(self, inputs: torch.Tensor,
                data_samples: Optional[SampleList] = None) -> SampleList:
        """Features ``feats``; with rate labels also ``pred_rate`` (rate
        class of clip 0)."""
        data_samples = super().predict(inputs, data_samples)
        if inputs.dim() == 6 and all('rate_label' in s for s in data_samples):
            logits = self.head.classify(self.extract_feat(inputs[:, 0]))
            for sample, pred in zip(data_samples, logits.argmax(1)):
                sample.set_field(pred, 'pred_rate')
        return data_samples
