"""Same Speed Localization pretext on its own (STCLR's "SpeedLoc only")."""
from typing import Dict, List, Optional, Union

import torch

from mmssl.models.utils.speedloc_loss import (check_speedloc_probs,
                                              speedloc_loss)
from mmssl.registry import MODELS
from .base import BaseSSLAlgorithm, SampleList


@MODELS.register_module()
class SameSpeedLocalization(BaseSSLAlgorithm):
    """Same Speed Localization (SpeedLoc) pretext.

    Altabrawee & Mohd Noor, "STCLR: Sparse Temporal Contrastive Learning for
    Video Representation", Neurocomputing, Sec. 3.3 (Fig. 4) and the "SpeedLoc
    pretext only" ablation of Sec. 4.2.1: a tuple of ``K = 3`` clips, the
    shared backbone's pooled features, and :class:`SameSpeedLocalizationHead`
    classifying which pair has the same speed (or none).

    Inputs ``(B, K, C, T, H, W)`` from :class:`SpeedLocTupleSampleClips` (clip
    ``k`` of the tuple at index ``k``); data samples carry ``speedloc_speeds``
    ``(K,)`` and ``speedloc_label``. With probability ``cross_video_prob``
    (``C1``) a sample's tuple is replaced by one composed of the SpeedLoc clips
    of ``K`` different samples of the batch (speeds kept, label derived from
    them; :func:`compose_speed_tuples`). Use :class:`ReadCrossVideoSpeedLocClips`
    with ``cross_video_prob=0`` to read other videos instead.

    Args:
        backbone (dict): Backbone config.
        head (dict): :class:`SameSpeedLocalizationHead` config.
        cross_video_prob (float): ``C1``. Defaults to 0.6 (Sec. 4.2.1).
        same_prob (float): ``C2`` of composed tuples. Defaults to 0.75.
        neck (dict, optional): Unused by the paper; applied to the pooled
            features before the head if given.
        data_preprocessor (dict, optional): See :class:`BaseSSLAlgorithm`.
        init_cfg (dict, optional): Weight initialisation.
    """

    def __init__(self,
                 backbone: dict,
                 head: dict,
                 cross_video_prob: float = 0.6,
                 same_prob: float = 0.75,
                 neck: Optional[dict] = None,
                 data_preprocessor: Optional[dict] = None,
                 init_cfg: Optional[Union[dict, List[dict]]] = None) -> None:
        super().__init__(backbone, neck, head, data_preprocessor, init_cfg)
        check_speedloc_probs(cross_video_prob, same_prob)
        self.cross_video_prob = cross_video_prob
        self.same_prob = same_prob

    def loss(self, inputs: torch.Tensor,
             data_samples: SampleList) -> Dict[str, torch.Tensor]:
        """``loss_speedloc``, ``acc_speedloc`` and ``speedloc_cross_ratio``."""
        k = self.head.num_clips
        if inputs.dim() != 6 or inputs.shape[1] != k:
            raise ValueError(f'SameSpeedLocalization expects (B, {k}, C, T, '
                             'H, W) inputs from SpeedLocTupleSampleClips, got '
                             f'{tuple(inputs.shape)}')
        feats = self.pooled_features(inputs)
        if self.with_neck:
            feats = self.neck(feats)
        return speedloc_loss(self.head, feats, data_samples,
                             self.cross_video_prob, self.same_prob,
                             self.training)

    def predict(self, inputs: torch.Tensor,
                data_samples: Optional[SampleList] = None) -> SampleList:
        """Features ``feats``; for SpeedLoc tuples with targets also
        ``pred_speedloc`` (on the samples' own tuples)."""
        data_samples = super().predict(inputs, data_samples)
        has_tuple = inputs.dim() == 6 and inputs.shape[
            1] == self.head.num_clips and all('speedloc_label' in s
                                               for s in data_samples)
        if has_tuple:
            feats = self.pooled_features(inputs)
            if self.with_neck:
                feats = self.neck(feats)
            for sample, pred in zip(data_samples,
                                    self.head(feats).argmax(1)):
                sample.set_field(pred, 'pred_speedloc')
        return data_samples
