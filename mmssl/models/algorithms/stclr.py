"""STCLR: Simplified TCLR + the Same Speed Localization pretext."""
from typing import Dict

import torch

from mmssl.models.utils.speed_tuples import compose_ssl_batch
from mmssl.registry import MODELS
from .base import SampleList
from .simplified_tclr import SimplifiedTCLR
from .vcop import stack_field


@MODELS.register_module()
class STCLR(SimplifiedTCLR):
    """Sparse Temporal Contrastive Learning: ``L = L_Pretext + L_IC + L_SLL``.

    Altabrawee & Mohd Noor, "STCLR: Sparse Temporal Contrastive Learning for
    Video Representation", Neurocomputing, Eq. 1 and Sec. 3.3: the
    :class:`SimplifiedTCLR` losses plus the Same Speed Localization (SSL)
    cross-entropy on a tuple of ``K`` clips, all encoded by the one shared
    backbone (one forward pass over every clip).

    Inputs ``(B, V, C, T, H, W)`` in the layout of :class:`STCLRSampleClips`:
    the sparse layout of :class:`SimplifiedTCLR`, then the ``K`` SSL clips of
    the sample's video (``V = 2n + K`` or ``2n + 2 + K``). Data samples carry
    ``ssl_speeds`` ``(K,)`` and ``ssl_label``.

    Cross-video tuples (probability ``C1``): composed in the batch from the
    SSL clips of ``K`` different samples, speeds kept, label derived from
    them (:func:`compose_speed_tuples`); no extra video is read. To read
    other videos as the paper does, add :class:`ReadCrossVideoSSLClips` to
    the pipeline and set ``cross_video_prob=0``.

    The SSL head sees the pooled backbone features (Fig. 4), not the
    projection. Logged: ``acc_ssl`` and ``ssl_cross_ratio`` (share of
    cross-video tuples in the batch).

    Args:
        ssl_head (dict): :class:`SameSpeedLocalizationHead` config.
        ssl_num_clips (int): ``K``. Defaults to 3.
        cross_video_prob (float): ``C1`` for in-batch composition. Defaults
            to 0.6 (Sec. 4.2.1).
        same_prob (float): ``C2`` of composed tuples. Defaults to 0.75.
        **kwargs: :class:`SimplifiedTCLR` arguments (``backbone``, ``neck``,
            ``head``, ``num_local_clips``, ``instance_source`` ...).
    """

    def __init__(self,
                 ssl_head: dict,
                 ssl_num_clips: int = 3,
                 cross_video_prob: float = 0.6,
                 same_prob: float = 0.75,
                 **kwargs) -> None:
        super().__init__(**kwargs)
        for name, value in (('cross_video_prob', cross_video_prob),
                            ('same_prob', same_prob)):
            if not 0.0 <= value <= 1.0:
                raise ValueError(f'{name} must be in [0, 1], got {value}')
        self.ssl_head = MODELS.build(ssl_head)
        if self.ssl_head.num_clips != ssl_num_clips:
            raise ValueError(f'ssl_head.num_clips ({self.ssl_head.num_clips})'
                             f' != ssl_num_clips ({ssl_num_clips})')
        self.ssl_num_clips = ssl_num_clips
        self.cross_video_prob = cross_video_prob
        self.same_prob = same_prob

    @property
    def num_views(self) -> int:
        """Clips per sample: the sparse layout plus the SSL tuple."""
        return self.num_contrastive_views + self.ssl_num_clips

    def ssl_loss(self, ssl_feats: torch.Tensor,
                 data_samples: SampleList) -> Dict[str, torch.Tensor]:
        """SSL loss on (possibly cross-video) tuples.

        Args:
            ssl_feats (torch.Tensor): ``(B, K, D)`` pooled features of the
                samples' own SSL clips.
            data_samples (list): with ``ssl_speeds`` and ``ssl_label``.
        """
        device = ssl_feats.device
        speeds = stack_field(data_samples, 'ssl_speeds').to(device)
        labels = stack_field(data_samples, 'ssl_label').to(device)
        prob = self.cross_video_prob if self.training else 0.0
        feats, labels, cross = compose_ssl_batch(ssl_feats, speeds, prob,
                                                 self.same_prob, labels)
        losses = self.ssl_head.loss(feats, labels)
        losses['ssl_cross_ratio'] = cross.float().mean()
        return losses

    def loss(self, inputs: torch.Tensor,
             data_samples: SampleList) -> Dict[str, torch.Tensor]:
        """``loss_ic``, ``loss_sll``, ``loss_ssl`` (+ ``acc_ssl``)."""
        self.check_views(inputs, 'STCLRSampleClips')
        pooled = self.pooled_features(inputs)
        vc = self.num_contrastive_views
        losses = self.contrastive_loss(pooled[:, :vc])
        losses.update(self.ssl_loss(pooled[:, vc:], data_samples))
        return losses
