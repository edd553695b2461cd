"""Same Speed Localization loss of a batch: one assembly for every method.

STCLR (Altabrawee & Mohd Noor, "STCLR: Sparse Temporal Contrastive Learning
for Video Representation", Neurocomputing, Sec. 3.3 and 4.2.1) uses the
pretext inside STCLR and on its own; both read the samples' speeds and
labels, compose cross-video tuples in the batch with probability ``C1``
(:func:`compose_speedloc_batch`) and apply the classification head.
"""
from typing import Dict, List

import torch
import torch.nn as nn
from mmaction.structures import ActionDataSample

from .data_samples import stack_field
from .speed_tuples import compose_speedloc_batch


def check_speedloc_probs(cross_video_prob: float, same_prob: float) -> None:
    """Raise a ``ValueError`` unless ``C1`` and ``C2`` are in ``[0, 1]``."""
    for name, value in (('cross_video_prob', cross_video_prob),
                        ('same_prob', same_prob)):
        if not 0.0 <= value <= 1.0:
            raise ValueError(f'{name} must be in [0, 1], got {value}')


def speedloc_loss(head: nn.Module, feats: torch.Tensor,
                  data_samples: List[ActionDataSample],
                  cross_video_prob: float, same_prob: float,
                  training: bool) -> Dict[str, torch.Tensor]:
    """SpeedLoc loss on the batch's (possibly cross-video) tuples.

    Args:
        head (nn.Module): :class:`SameSpeedLocalizationHead`.
        feats (torch.Tensor): ``(B, K, D)`` features of every sample's own
            SpeedLoc clips.
        data_samples (list): with ``speedloc_speeds`` ``(K,)`` and
            ``speedloc_label`` (checked against the speeds).
        cross_video_prob (float): ``C1``; no tuple is composed when
            ``training`` is False.
        same_prob (float): ``C2`` of composed tuples.
        training (bool): The module's training flag.

    Returns:
        dict[str, Tensor]: the head's ``loss_speedloc`` and
        ``acc_speedloc`` plus ``speedloc_cross_ratio`` (share of
        cross-video tuples in the batch).
    """
    speeds = stack_field(data_samples, 'speedloc_speeds').to(feats.device)
    labels = stack_field(data_samples, 'speedloc_label').to(feats.device)
    prob = cross_video_prob if training else 0.0
    feats, labels, cross = compose_speedloc_batch(feats, speeds, prob,
                                                  same_prob, labels)
    losses = head.loss(feats, labels)
    losses['speedloc_cross_ratio'] = cross.float().mean()
    return losses
