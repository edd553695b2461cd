"""Base class of mmssl's self-supervised algorithms."""
from abc import abstractmethod
from typing import Dict, List, Optional, Union

import torch
import torch.nn.functional as F
from mmaction.structures import ActionDataSample
from mmengine.model import BaseModel

from mmssl.models.utils.head_in_channels import fill_head_in_channels
from mmssl.registry import MODELS

SampleList = List[ActionDataSample]


class BaseSSLAlgorithm(BaseModel):
    """Base of self-supervised video algorithms (after mmpretrain's
    ``BaseSelfSupervisor`` and MMAction2's ``BaseRecognizer``).

    Wraps any MMAction2/mmssl backbone config under ``self.backbone`` so that
    the backbone's state-dict keys (``backbone.*``) load straight into an
    MMAction2 ``Recognizer3D`` (``load_from`` or
    ``init_cfg=dict(type='Pretrained', prefix='backbone.')``).

    Inputs are ``(B, V, C, T, H, W)``: ``V`` clips (or views) per video, as
    packed by :class:`PackSSLInputs` and stacked by MMAction2's
    ``ActionDataPreprocessor``.

    Modes of :meth:`forward`:

    - ``'loss'``: :meth:`loss` returns a dict of ``loss_*`` (and logged
      accuracies).
    - ``'tensor'``: pooled clip features ``(B, V, D)`` (``(B, D)`` for 5-D
      input) from the last backbone stage (3D adaptive average pooling).
    - ``'predict'``: data samples with ``feats`` = clip features averaged
      over the ``V`` clips, ``(D,)`` per video (retrieval, linear probing);
      subclasses may add pretext predictions.

    Args:
        backbone (dict): Backbone config.
        neck (dict, optional): Neck config (projection MLP ...).
        head (dict, optional): Pretext head config; heads own their losses.
        data_preprocessor (dict, optional): Defaults to MMAction2's
            ``ActionDataPreprocessor`` with ``format_shape='NCTHW'``.
        init_cfg (dict, optional): Weight initialisation.

    Attributes:
        head_in_channels_from_backbone (bool): Class attribute. If True, a
            head config whose ``in_channels`` is missing or ``None`` gets the
            backbone's output channels, so that changing the backbone is a
            one-line config change (pretext classifiers: VCOP, RotNet, PRP).
    """

    head_in_channels_from_backbone: bool = False

    def __init__(self,
                 backbone: dict,
                 neck: Optional[dict] = None,
                 head: Optional[dict] = None,
                 data_preprocessor: Optional[dict] = None,
                 init_cfg: Optional[Union[dict, List[dict]]] = None) -> None:
        if data_preprocessor is None:
            data_preprocessor = dict(
                type='ActionDataPreprocessor', format_shape='NCTHW')
        if isinstance(data_preprocessor, dict):
            data_preprocessor = MODELS.build(data_preprocessor)
        super().__init__(
            data_preprocessor=data_preprocessor, init_cfg=init_cfg)
        self.backbone = MODELS.build(backbone)
        self.neck = MODELS.build(neck) if neck is not None else None
        if head is not None and self.head_in_channels_from_backbone:
            head = fill_head_in_channels(head, self.backbone)
        self.head = MODELS.build(head) if head is not None else None

    @property
    def with_neck(self) -> bool:
        """Whether the algorithm has a neck."""
        return self.neck is not None

    @property
    def with_head(self) -> bool:
        """Whether the algorithm has a head."""
        return self.head is not None

    def extract_feat(self, inputs: torch.Tensor) -> torch.Tensor:
        """Backbone feature map of a batch of clips.

        Args:
            inputs (torch.Tensor): ``(N, C, T, H, W)``.

        Returns:
            torch.Tensor: last-stage feature map ``(N, C', T', H', W')``.
        """
        feats = self.backbone(inputs)
        if isinstance(feats, (tuple, list)):
            feats = feats[-1]
        return feats

    def pooled_features(self, inputs: torch.Tensor) -> torch.Tensor:
        """Spatio-temporally average-pooled clip features.

        Args:
            inputs (torch.Tensor): ``(B, V, C, T, H, W)`` or ``(B, C, T, H, W)``.

        Returns:
            torch.Tensor: ``(B, V, D)`` or ``(B, D)``.
        """
        multi_clip = inputs.dim() == 6
        if multi_clip:
            batch, views = inputs.shape[:2]
            inputs = inputs.flatten(0, 1)
        elif inputs.dim() != 5:
            raise ValueError('expected inputs of shape (B, V, C, T, H, W) or '
                             f'(B, C, T, H, W), got {tuple(inputs.shape)}')
        feats = F.adaptive_avg_pool3d(self.extract_feat(inputs), 1).flatten(1)
        if multi_clip:
            feats = feats.view(batch, views, -1)
        return feats

    def forward(self,
                inputs: torch.Tensor,
                data_samples: Optional[SampleList] = None,
                mode: str = 'tensor'
                ) -> Union[torch.Tensor, Dict[str, torch.Tensor], SampleList]:
        """Dispatch on ``mode`` (``'loss'``, ``'tensor'``, ``'predict'``)."""
        if mode == 'loss':
            return self.loss(inputs, data_samples)
        if mode == 'tensor':
            return self.pooled_features(inputs)
        if mode == 'predict':
            return self.predict(inputs, data_samples)
        raise RuntimeError(f'Invalid mode "{mode}"; use "loss", "tensor" or '
                           '"predict"')

    @abstractmethod
    def loss(self, inputs: torch.Tensor,
             data_samples: SampleList) -> Dict[str, torch.Tensor]:
        """Pretext losses of a batch (implemented by each method)."""

    def predict(self, inputs: torch.Tensor,
                data_samples: Optional[SampleList] = None) -> SampleList:
        """Attach clip-averaged features ``feats`` ``(D,)`` to each sample."""
        feats = self.pooled_features(inputs)
        if feats.dim() == 3:
            feats = feats.mean(dim=1)
        if data_samples is None:
            data_samples = [ActionDataSample() for _ in range(len(feats))]
        for sample, feat in zip(data_samples, feats):
            sample.set_field(feat.detach(), 'feats')
        return data_samples
