"""CVRL: spatiotemporal contrastive video representation learning."""
from typing import Dict, List, Optional, Union

import torch

from mmssl.models.utils.feature_channels import fill_in_channels
from mmssl.registry import MODELS
from .base import BaseSSLAlgorithm, SampleList


@MODELS.register_module()
class CVRL(BaseSSLAlgorithm):
    """Contrastive Video Representation Learning.

    Qian, Meng, Gong, Yang, Wang, Belongie, Cui, "Spatiotemporal Contrastive
    Video Representation Learning", CVPR 2021. Two clips of one video
    (start times from :class:`CVRLSampleClips`' decreasing interval
    distribution, each with its own temporally consistent strong spatial
    augmentation) go through the shared backbone and the projection MLP
    (``neck``); :class:`CVRLHead` applies the InfoNCE loss with the other
    videos of the (global) batch as negatives.

    Inputs ``(B, 2, C, T, H, W)``; no pretext targets. Both clips of all
    videos are encoded in one batch of ``2B`` (one set of BN statistics, as
    the authors' code, which stacks the two views on the batch axis).

    Args:
        backbone (dict): Backbone config.
        neck (dict): Projection neck; ``in_channels=None`` follows the
            backbone (e.g. :class:`MLPProjectionNeck` with 3 hidden layers
            of 2048, output 128: CVRL).
        head (dict): :class:`CVRLHead`.
        data_preprocessor (dict, optional): See :class:`BaseSSLAlgorithm`.
        init_cfg (dict, optional): Weight initialisation.
    """

    def __init__(self,
                 backbone: dict,
                 neck: dict,
                 head: dict,
                 data_preprocessor: Optional[dict] = None,
                 init_cfg: Optional[Union[dict, List[dict]]] = None) -> None:
        super().__init__(backbone, None, head, data_preprocessor, init_cfg)
        self.neck = MODELS.build(fill_in_channels(neck, self.backbone))

    def loss(self, inputs: torch.Tensor,
             data_samples: SampleList) -> Dict[str, torch.Tensor]:
        """``loss_contrast`` and ``acc_contrast`` of a batch of clip pairs."""
        if inputs.dim() != 6 or inputs.shape[1] != 2:
            raise ValueError('CVRL expects inputs (B, 2, C, T, H, W) (two '
                             'clips per video, CVRLSampleClips), got '
                             f'{tuple(inputs.shape)}')
        batch = inputs.shape[0]
        emb = self.neck(self.extract_feat(inputs.flatten(0, 1)))
        return self.head.loss(emb.view(batch, 2, -1))
