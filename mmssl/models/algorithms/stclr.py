"""STCLR: Simplified TCLR + the Same Speed Localization pretext."""
from typing import Dict

import torch

from mmssl.models.utils.speedloc_loss import (check_speedloc_probs,
                                              speedloc_loss)
from mmssl.registry import MODELS
from .base import SampleList
from .simplified_tclr import SimplifiedTCLR


@MODELS.register_module()
class STCLR(SimplifiedTCLR):
    """Sparse Temporal Contrastive Learning: ``L = L_Pretext + L_IC + L_SLL``.

    Altabrawee & Mohd Noor, "STCLR: Sparse Temporal Contrastive Learning for
    Video Representation", Neurocomputing, Eq. 1 and Sec. 3.3: the
    :class:`SimplifiedTCLR` losses plus the Same Speed Localization (SpeedLoc)
    cross-entropy on a tuple of ``K`` clips, all encoded by the one shared
    backbone (one forward pass over every clip).

    Inputs ``(B, V, C, T, H, W)`` in the layout of :class:`STCLRSampleClips`:
    the sparse layout of :class:`SimplifiedTCLR`, then the ``K`` SpeedLoc clips of
    the sample's video (``V = 2n + K`` or ``2n + 2 + K``). Data samples carry
    ``speedloc_speeds`` ``(K,)`` and ``speedloc_label``.

    Cross-video tuples (probability ``C1``): composed in the batch from the
    SpeedLoc clips of ``K`` different samples, speeds kept, label derived from
    them (:func:`compose_speed_tuples`); no extra video is read. To read
    other videos as the paper does, add :class:`ReadCrossVideoSpeedLocClips` to
    the pipeline and set ``cross_video_prob=0``.

    The SpeedLoc head sees the pooled backbone features (Fig. 4), not the
    projection. Logged: ``acc_speedloc`` and ``speedloc_cross_ratio`` (share of
    cross-video tuples in the batch).

    Args:
        speedloc_head (dict): :class:`SameSpeedLocalizationHead` config.
        speedloc_num_clips (int): ``K``. Defaults to 3.
        cross_video_prob (float): ``C1`` for in-batch composition. Defaults
            to 0.6 (Sec. 4.2.1).
        same_prob (float): ``C2`` of composed tuples. Defaults to 0.75.
        **kwargs: :class:`SimplifiedTCLR` arguments (``backbone``, ``neck``,
            ``head``, ``num_local_clips``, ``instance_source`` ...).
    """

    def __init__(self,
                 speedloc_head: dict,
                 speedloc_num_clips: int = 3,
                 cross_video_prob: float = 0.6,
                 same_prob: float = 0.75,
                 **kwargs) -> None:
        super().__init__(**kwargs)
        check_speedloc_probs(cross_video_prob, same_prob)
        self.speedloc_head = MODELS.build(speedloc_head)
        if self.speedloc_head.num_clips != speedloc_num_clips:
            raise ValueError(
                f'speedloc_head.num_clips ({self.speedloc_head.num_clips}) '
                f'!= speedloc_num_clips ({speedloc_num_clips})')
        self.speedloc_num_clips = speedloc_num_clips
        self.cross_video_prob = cross_video_prob
        self.same_prob = same_prob

    @property
    def num_views(self) -> int:
        """Clips per sample: the sparse layout plus the SpeedLoc tuple."""
        return self.num_contrastive_views + self.speedloc_num_clips

    def loss(self, inputs: torch.Tensor,
             data_samples: SampleList) -> Dict[str, torch.Tensor]:
        """``loss_ic``, ``loss_sll``, ``loss_speedloc`` (+ ``acc_speedloc``)."""
        self.check_views(inputs, 'STCLRSampleClips')
        pooled = self.pooled_features(inputs)
        vc = self.num_contrastive_views
        losses = self.contrastive_loss(pooled[:, :vc])
        losses.update(
            speedloc_loss(self.speedloc_head, pooled[:, vc:], data_samples,
                          self.cross_video_prob, self.same_prob,
                          self.training))
        return losses
