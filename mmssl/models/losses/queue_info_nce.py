"""InfoNCE with a positive key, optional per-anchor negatives and a queue."""
from typing import Optional

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch import Tensor

from mmssl.registry import MODELS


def _as_float(x: Tensor) -> Tensor:
    return x.float() if x.dtype in (torch.float16, torch.bfloat16) else x


def info_nce_logits(query: Tensor,
                    positive: Tensor,
                    negatives: Optional[Tensor] = None,
                    queue: Optional[Tensor] = None,
                    temperature: float = 0.07,
                    normalize: bool = True) -> Tensor:
    """Logits ``[s(q, k+), s(q, n_1..n_M), s(q, m_1..m_K)] / tau``.

    Args:
        query (Tensor): Anchors ``q``, shape ``(N, D)``.
        positive (Tensor): One positive key per anchor, ``(N, D)``.
        negatives (Tensor, optional): Per-anchor negatives ``(N, M, D)``
            (e.g. TDL's clip of another interval of the same video).
        queue (Tensor, optional): Shared negatives ``(K, D)`` (memory bank;
            detached here).
        temperature (float): ``tau``.
        normalize (bool): ``s`` is the cosine similarity (inputs are
            L2-normalised here); else the dot product.

    Returns:
        Tensor: ``(N, 1 + M + K)`` logits, the positive in column 0.
    """
    q, k = _as_float(query), _as_float(positive)
    if normalize:
        q, k = F.normalize(q, dim=-1), F.normalize(k, dim=-1)
    cols = [(q * k).sum(-1, keepdim=True)]
    if negatives is not None:
        n = _as_float(negatives)
        n = F.normalize(n, dim=-1) if normalize else n
        cols.append(torch.einsum('nd,nmd->nm', q, n))
    if queue is not None:
        m = _as_float(queue.detach()).to(q.device)
        m = F.normalize(m, dim=-1) if normalize else m
        cols.append(q @ m.t())
    return torch.cat(cols, dim=1) / temperature


@MODELS.register_module()
class QueueInfoNCELoss(nn.Module):
    """InfoNCE against a queue of negatives (MoCo / TDL / RSPNet A-VID).

    For anchor ``q_i`` with positive key ``k_i``, optional own negatives
    ``n_{i,1..M}`` and the queue ``m_{1..K}``::

        l_i = -log e^{s(q_i,k_i)/tau} / (e^{s(q_i,k_i)/tau}
                + sum_j e^{s(q_i,n_ij)/tau} + sum_j e^{s(q_i,m_j)/tau})

    with ``s`` the cosine similarity. The loss is
    ``loss_weight * mean_i l_i``. This is Eq. 4 of Oord et al. (CPC) as
    used by MoCo (He et al., CVPR 2020, Eq. 1); TDL (Wang et al., 2020,
    "Self-supervised Temporal Discriminative Learning for Video
    Representation Learning") adds the anchor's temporal negative ``n_i``
    to the memory-bank negatives; RSPNet's A-VID loss (Chen et al., AAAI
    2021, Eq. 3) uses it with a queue only.

    Gradients flow into ``query`` and into ``positive`` / ``negatives`` if
    they require grad (momentum-encoder keys do not); the queue is constant.
    The loss is a mean over local anchors and involves no other rank's
    features (the queue is identical on every rank), so under DDP the
    average of the per-rank losses equals the single-process loss over the
    global batch.

    Args:
        temperature (float): ``tau``. Defaults to 0.07 (MoCo, TDL, RSPNet).
        loss_weight (float): Multiplier. Defaults to 1.0.
        normalize (bool): Cosine (True) or dot-product similarity.
    """

    def __init__(self,
                 temperature: float = 0.07,
                 loss_weight: float = 1.0,
                 normalize: bool = True) -> None:
        super().__init__()
        if temperature <= 0:
            raise ValueError(f'temperature must be > 0, got {temperature}')
        self.temperature = temperature
        self.loss_weight = loss_weight
        self.normalize = normalize

    def logits(self,
               query: Tensor,
               positive: Tensor,
               negatives: Optional[Tensor] = None,
               queue: Optional[Tensor] = None) -> Tensor:
        """See :func:`info_nce_logits`; also checks the shapes."""
        if query.dim() != 2 or positive.shape != query.shape:
            raise ValueError('query and positive must both be (N, D), got '
                             f'{tuple(query.shape)} and '
                             f'{tuple(positive.shape)}')
        if negatives is not None and (negatives.dim() != 3 or
                                      negatives.shape[0] != query.shape[0]
                                      or negatives.shape[2] !=
                                      query.shape[1]):
            raise ValueError(f'negatives must be (N, M, D) = '
                             f'({query.shape[0]}, M, {query.shape[1]}), got '
                             f'{tuple(negatives.shape)}')
        if queue is not None and (queue.dim() != 2
                                  or queue.shape[1] != query.shape[1]):
            raise ValueError(f'queue must be (K, {query.shape[1]}), got '
                             f'{tuple(queue.shape)}')
        return info_nce_logits(query, positive, negatives, queue,
                               self.temperature, self.normalize)

    def forward(self,
                query: Tensor,
                positive: Tensor,
                negatives: Optional[Tensor] = None,
                queue: Optional[Tensor] = None) -> Tensor:
        """Scalar loss; arguments as in :meth:`logits`."""
        logits = self.logits(query, positive, negatives, queue)
        return self.loss_weight * (torch.logsumexp(logits, 1) -
                                   logits[:, 0]).mean()
