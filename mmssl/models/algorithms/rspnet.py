"""RSPNet: relative speed perception + appearance video discrimination."""
from typing import Dict, List, Optional, Union

import torch

from mmssl.registry import MODELS
from .base import SampleList
from .momentum_base import BaseMomentumAlgorithm


@MODELS.register_module()
class RSPNet(BaseMomentumAlgorithm):
    """Relative Speed Perception Network.

    Chen, Huang, He, Long, Zeng, Wen, Tan, Gan, "RSPNet: Relative Speed
    Perception for Unsupervised Video Representation Learning", AAAI 2021.
    Each sample holds three clips from :class:`RSPNetSampleClips`,
    ``(B, 3, C, T, H, W)`` in the order ``[query, key_same, key_diff]``:
    the query at speed ``s_q``, and, from another window of the same video,
    the key at the same speed and at a different speed (same spatial
    augmentation for both keys).

    - query: online encoder; keys: momentum encoder (MoCo, m = 0.999,
      batch-shuffled BN across ranks);
    - ``neck``: :class:`ParallelNecks` with an ``appearance`` and a
      ``speed`` projection (both copied into the momentum encoder);
    - :class:`RSPNetHead`: the relative-speed triplet loss on the speed
      embeddings and the A-VID InfoNCE on the appearance embeddings against
      a queue of ``queue_size`` keys (16384, benchmark study supp. C.3;
      tau = 0.07);
    - the queue receives the gathered different-speed appearance keys once
      per optimizer step (the authors' code enqueues those).

    Args:
        backbone (dict): Backbone config.
        neck (dict): ``ParallelNecks`` with ``appearance`` and ``speed``.
        head (dict): :class:`RSPNetHead`.
        queue_size (int): Queue size ``K``. Defaults to 16384.
        momentum (float): Key-encoder EMA momentum. Defaults to 0.999.
        shuffle_bn (bool): Batch-shuffle keys across ranks. Defaults to True.
        data_preprocessor (dict, optional): See :class:`BaseSSLAlgorithm`.
        init_cfg (dict, optional): Weight initialisation.
    """

    def __init__(self,
                 backbone: dict,
                 neck: dict,
                 head: dict,
                 queue_size: int = 16384,
                 momentum: float = 0.999,
                 shuffle_bn: bool = True,
                 data_preprocessor: Optional[dict] = None,
                 init_cfg: Optional[Union[dict, List[dict]]] = None) -> None:
        if neck.get('type') != 'ParallelNecks' or not {
                'appearance', 'speed'
        } <= set(neck.get('necks', {})):
            raise ValueError('RSPNet needs neck=dict(type="ParallelNecks", '
                             'necks=dict(appearance=..., speed=...))')
        super().__init__(
            backbone,
            neck,
            head,
            momentum=momentum,
            queue_size=queue_size,
            queue_neck='appearance',
            shuffle_bn=shuffle_bn,
            data_preprocessor=data_preprocessor,
            init_cfg=init_cfg)

    def loss(self, inputs: torch.Tensor,
             data_samples: SampleList) -> Dict[str, torch.Tensor]:
        """RSP and A-VID losses; stages the different-speed keys."""
        if inputs.dim() != 6 or inputs.shape[1] != 3:
            raise ValueError('RSPNet expects inputs (B, 3, C, T, H, W) '
                             '[query, key_same, key_diff] '
                             f'(RSPNetSampleClips), got {tuple(inputs.shape)}')
        query = self.embed(inputs[:, 0])
        key_same = self.embed_keys(inputs[:, 1])
        key_diff = self.embed_keys(inputs[:, 2])
        losses = self.head.loss(query, key_same, key_diff, self.queue.queue)
        self.stage_keys(key_diff['appearance'])
        return losses
