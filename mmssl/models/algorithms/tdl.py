"""TDL: self-supervised temporal discriminative learning."""
from typing import Dict, List, Optional, Union

import torch

from mmssl.registry import MODELS
from .base import SampleList
from .momentum_base import BaseMomentumAlgorithm


@MODELS.register_module()
class TDL(BaseMomentumAlgorithm):
    """Temporal Discriminative Learning with temporal triplets.

    Wang, Lin, Ma, Yuen, "Self-supervised Temporal Discriminative Learning
    for Video Representation Learning", arXiv:2008.02129, 2020 (the
    benchmark study's TDL). Each sample is a temporal triplet from
    :class:`TDLSampleTriplet`, ``(B, 3, C, T, H, W)`` in the order
    ``[anchor, positive, negative]``: anchor and positive cover the same
    temporal interval (different spatial augmentation; the anchor also gets
    the temporal consistent augmentation :class:`IntraClipMixup`), the
    negative another interval of the same video.

    - anchor ``q``: online encoder (with gradient);
    - positive ``k``: momentum encoder (batch-shuffled BN across ranks);
    - negative ``n``: online encoder with gradient
      (``negative_encoder='online'``, the authors' code) or momentum
      encoder (``'momentum'``: then ``n`` lives in the same, lagging,
      embedding space as ``k``; see docs/methods/tdl.md);
    - :class:`TDLHead`: InfoNCE of ``q`` against ``k`` (positive), ``n``
      and the memory bank of other videos' keys;
    - memory bank: a :class:`FeatureQueue` of ``queue_size`` keys (500 in
      the benchmark study, supp. C.3), fed with the gathered keys ``k``
      once per optimizer step.

    Args:
        backbone (dict): Backbone config.
        neck (dict): Projection neck (TDL: linear to 128-d).
        head (dict): :class:`TDLHead`.
        queue_size (int): Memory-bank size ``K``. Defaults to 500.
        momentum (float): Key-encoder EMA momentum. Defaults to 0.999
            (authors' code, ``--alpha``).
        shuffle_bn (bool): Batch-shuffle keys across ranks. Defaults to True.
        negative_encoder (str): ``'online'`` or ``'momentum'``. Defaults to
            ``'online'``.
        data_preprocessor (dict, optional): See :class:`BaseSSLAlgorithm`.
        init_cfg (dict, optional): Weight initialisation.
    """

    def __init__(self,
                 backbone: dict,
                 neck: dict,
                 head: dict,
                 queue_size: int = 500,
                 momentum: float = 0.999,
                 shuffle_bn: bool = True,
                 negative_encoder: str = 'online',
                 data_preprocessor: Optional[dict] = None,
                 init_cfg: Optional[Union[dict, List[dict]]] = None) -> None:
        if negative_encoder not in ('online', 'momentum'):
            raise ValueError("negative_encoder must be 'online' or "
                             f"'momentum', got {negative_encoder!r}")
        super().__init__(
            backbone,
            neck,
            head,
            momentum=momentum,
            queue_size=queue_size,
            shuffle_bn=shuffle_bn,
            data_preprocessor=data_preprocessor,
            init_cfg=init_cfg)
        self.negative_encoder = negative_encoder

    def loss(self, inputs: torch.Tensor,
             data_samples: SampleList) -> Dict[str, torch.Tensor]:
        """TDL losses of a batch of triplets; stages the positive keys."""
        if inputs.dim() != 6 or inputs.shape[1] != 3:
            raise ValueError('TDL expects inputs (B, 3, C, T, H, W) '
                             '[anchor, positive, negative] '
                             f'(TDLSampleTriplet), got {tuple(inputs.shape)}')
        query = self.embed(inputs[:, 0])
        if self.negative_encoder == 'online':
            negative = self.embed(inputs[:, 2])
        else:
            negative = self.embed_keys(inputs[:, 2])
        key = self.embed_keys(inputs[:, 1])
        losses = self.head.loss(query, key, negative, self.queue.queue)
        self.stage_keys(key)
        return losses
