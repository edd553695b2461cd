"""Base class of mmssl's self-supervised algorithms."""
from abc import abstractmethod
from typing import Dict, List, Optional, Sequence, Union

import torch
from mmaction.structures import ActionDataSample
from mmengine.model import BaseModel

from mmssl.models.utils.feature_pooling import (FEATURE_FIELDS,
                                                 FEATURE_POOLINGS,
                                                 pool_feature_map)
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
      over the ``V`` clips, ``(D,)`` per video (retrieval, linear probing),
      and (unless a subclass overrides :meth:`pooled_features`)
      ``time_feats`` = spatially pooled clip features with the time axis kept
      and flattened, averaged over the clips, ``(C * T',)`` (TCLR's
      retrieval features; see
      :mod:`mmssl.models.utils.feature_pooling`). A retrieval metric picks
      one by name (``RetrievalMetric(feature_key=...)``). Subclasses may add
      pretext predictions.

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

    #: If True, :meth:`predict` also attaches each feature per clip, before
    #: the clip average, as ``<name>_per_clip`` ``(V, D)`` (clip-level
    #: retrieval, ``RetrievalMetric(query_level='clip')``). Off by default:
    #: it multiplies the stored features by ``V``.
    keep_clip_features: bool = False

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

    def _pool_clips(self, inputs: torch.Tensor,
                    poolings: Sequence[str]) -> Dict[str, torch.Tensor]:
        """One backbone pass over every clip, pooled in each of ``poolings``
        (see :func:`~mmssl.models.utils.feature_pooling.pool_feature_map`);
        ``(B, V, D)`` per pooling for 6-D inputs, ``(B, D)`` for 5-D."""
        if inputs.dim() not in (5, 6):
            raise ValueError('expected inputs of shape (B, V, C, T, H, W) or '
                             f'(B, C, T, H, W), got {tuple(inputs.shape)}')
        clips = inputs.flatten(0, 1) if inputs.dim() == 6 else inputs
        feat_map = self.extract_feat(clips)
        out = {p: pool_feature_map(feat_map, p) for p in poolings}
        if inputs.dim() == 6:
            out = {k: v.view(*inputs.shape[:2], -1) for k, v in out.items()}
        return out

    def pooled_features(self, inputs: torch.Tensor) -> torch.Tensor:
        """Spatio-temporally average-pooled clip features.

        Args:
            inputs (torch.Tensor): ``(B, V, C, T, H, W)`` or ``(B, C, T, H, W)``.

        Returns:
            torch.Tensor: ``(B, V, D)`` or ``(B, D)``.
        """
        return self._pool_clips(inputs, ('global', ))['global']

    def clip_features(self,
                      inputs: torch.Tensor) -> Dict[str, torch.Tensor]:
        """Clip features of every pooling, from one backbone pass.

        Args:
            inputs (torch.Tensor): ``(B, V, C, T, H, W)`` or
                ``(B, C, T, H, W)``.

        Returns:
            dict[str, torch.Tensor]: ``feats`` (3-D average, as
            :meth:`pooled_features`: ``(B, V, C)`` or ``(B, C)``) and
            ``time_feats`` (spatial average, time kept and flattened
            channel-major: ``(B, V, C * T')`` or ``(B, C * T')``). A subclass
            that overrides :meth:`pooled_features` (e.g. a ViT without a
            ``(N, C, T', H', W')`` map) gets ``feats`` only.
        """
        if type(self).pooled_features is not BaseSSLAlgorithm.pooled_features:
            return dict(feats=self.pooled_features(inputs))
        pooled = self._pool_clips(inputs, FEATURE_POOLINGS)
        return {FEATURE_FIELDS[p]: feats for p, feats in pooled.items()}

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
        """Attach clip-averaged features to each sample: ``feats`` ``(D,)``
        and, where available, ``time_feats`` ``(C * T',)`` (see
        :meth:`clip_features`). The mean over the ``V`` clips is what TCLR's
        ``nn_retrieval`` does (a sum of ``feature / clips_per_video``); the
        retrieval metric L2-normalises the video feature afterwards. With
        :attr:`keep_clip_features`, also ``<name>_per_clip`` ``(V, D)``."""
        for name, feats in self.clip_features(inputs).items():
            per_clip = feats if feats.dim() == 3 else feats[:, None]
            if feats.dim() == 3:
                feats = feats.mean(dim=1)
            if data_samples is None:
                data_samples = [ActionDataSample() for _ in range(len(feats))]
            for sample, feat, clips in zip(data_samples, feats, per_clip):
                sample.set_field(feat.detach(), name)
                if self.keep_clip_features:
                    sample.set_field(clips.detach(), f'{name}_per_clip')
        return data_samples
