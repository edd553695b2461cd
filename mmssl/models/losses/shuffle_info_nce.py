"""InfoNCE against a queue with shuffle similarity instead of cosine."""
from typing import Optional

import torch
import torch.nn.functional as F
from torch import Tensor

from mmssl.registry import MODELS
from .queue_info_nce import QueueInfoNCELoss
from .shuffle_distance import paired_shuffle_distance, shuffle_distance

SIMILARITIES = ('neg_distance', 'aligned_cosine')


@MODELS.register_module()
class ShuffleInfoNCELoss(QueueInfoNCELoss):
    """MoCo InfoNCE (Eq. 8) whose similarity is the shuffle similarity.

    Segment sample-rate order prediction (IEEE TCSVT 2021), Sec. III-F:
    query and keys are split into ``num_parts`` parts (one per segment)
    and compared with the minimum matching distance ``dis`` of Algorithm 1
    (:func:`shuffle_distance`). The paper does not say how ``dis`` becomes
    the ``Sim`` of Eq. 8; ``similarity`` chooses (both on L2-normalised
    embeddings when ``normalize``):

    - ``'neg_distance'`` (default): ``Sim = -dis / tau``, the distance
      of Algorithm 1 as it is (Euclidean part distances);
    - ``'aligned_cosine'``: the same greedy matching on squared part
      distances, ``Sim = (1 - dis_sq / 2) / tau``, i.e. the cosine
      similarity after the key's parts are reordered by the matching; with
      ``num_parts=1`` this is exactly MoCo's cosine logit.

    The positive is column 0 and the queue holds other videos' keys, as in
    :class:`QueueInfoNCELoss` (per-anchor ``negatives`` are not supported).

    Args:
        num_parts (int): ``k``, the number of segments. The embedding size
            must be divisible by it.
        similarity (str): ``'neg_distance'`` or ``'aligned_cosine'``.
        temperature (float): ``tau``. Defaults to 0.07 (MoCo).
        loss_weight (float): Multiplier (``lambda_3`` of Eq. 17).
        normalize (bool): L2-normalise query, keys and queue first.
            ``'aligned_cosine'`` needs it.
    """

    def __init__(self,
                 num_parts: int,
                 similarity: str = 'neg_distance',
                 temperature: float = 0.07,
                 loss_weight: float = 1.0,
                 normalize: bool = True) -> None:
        super().__init__(temperature, loss_weight, normalize)
        if similarity not in SIMILARITIES:
            raise ValueError(f'similarity must be one of {SIMILARITIES}, got '
                             f'{similarity!r}')
        if similarity == 'aligned_cosine' and not normalize:
            raise ValueError("similarity='aligned_cosine' needs "
                             'normalize=True')
        if num_parts < 1:
            raise ValueError(f'num_parts must be >= 1, got {num_parts}')
        self.num_parts = num_parts
        self.similarity = similarity

    def _to_logits(self, dist: Tensor) -> Tensor:
        if self.similarity == 'aligned_cosine':
            return (1 - dist / 2) / self.temperature
        return -dist / self.temperature

    def logits(self,
               query: Tensor,
               positive: Tensor,
               negatives: Optional[Tensor] = None,
               queue: Optional[Tensor] = None) -> Tensor:
        """``(N, 1 + K)`` logits, the positive in column 0.

        Args:
            query (Tensor): ``(N, D)``.
            positive (Tensor): ``(N, D)`` keys.
            negatives: Unsupported (must be None).
            queue (Tensor, optional): ``(K, D)`` other videos' keys.
        """
        if negatives is not None:
            raise ValueError('ShuffleInfoNCELoss takes no per-anchor '
                             'negatives (queue only)')
        if query.dim() != 2 or positive.shape != query.shape:
            raise ValueError('query and positive must both be (N, D), got '
                             f'{tuple(query.shape)} and '
                             f'{tuple(positive.shape)}')
        if queue is not None and (queue.dim() != 2
                                  or queue.shape[1] != query.shape[1]):
            raise ValueError(f'queue must be (K, {query.shape[1]}), got '
                             f'{tuple(queue.shape)}')
        q, k = query.float(), positive.float()
        if self.normalize:
            q, k = F.normalize(q, dim=-1), F.normalize(k, dim=-1)
        squared = self.similarity == 'aligned_cosine'
        positive_dist = paired_shuffle_distance(q, k, self.num_parts, squared)
        cols = [self._to_logits(positive_dist)[:, None]]
        if queue is not None:
            m = queue.detach().float().to(q.device)
            m = F.normalize(m, dim=-1) if self.normalize else m
            cols.append(
                self._to_logits(
                    shuffle_distance(q, m, self.num_parts, squared)))
        return torch.cat(cols, dim=1)
