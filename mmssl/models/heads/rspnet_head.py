"""RSPNet head: relative-speed triplet loss + appearance InfoNCE (queue)."""
from typing import Dict

import torch
from mmengine.model import BaseModule

from mmssl.registry import MODELS


@MODELS.register_module()
class RSPNetHead(BaseModule):
    """Losses of RSPNet's two pretext tasks.

    Chen et al., "RSPNet: Relative Speed Perception for Unsupervised Video
    Representation Learning", AAAI 2021, Sec. 3:

    - **RSP** (relative speed perception, Eq. 2), on the speed embeddings
      ``g_m``: the query clip ``c_i`` must be closer to the clip ``c_j`` of
      the *same* speed than to the clip ``c_k`` of a *different* speed::

          L_RSP = max(0, gamma - (s(q, k_same) - s(q, k_diff)))

      (:class:`TripletMarginLoss`, cosine; the authors' code uses margin
      2.0 on similarities divided by tau = 0.07).
    - **A-VID** (appearance-focused video instance discrimination, Eq. 3),
      on the appearance embeddings ``g_a``: both clips of the same video
      are positives whatever their speed, the queue holds other videos'
      keys; one InfoNCE term per positive, summed (as the authors' code)::

          L_AVID = InfoNCE(q, k_same; queue) + InfoNCE(q, k_diff; queue)

    Total: ``L = L_RSP * w_rsp + L_AVID * w_avid`` through the losses'
    ``loss_weight`` (both 1 in the authors' code).

    Args:
        loss_speed (dict): RSP triplet loss config.
        loss_appearance (dict): A-VID InfoNCE config.
        init_cfg (dict, optional): Weight initialisation (no weights).
    """

    def __init__(self,
                 loss_speed: dict = dict(
                     type='TripletMarginLoss',
                     metric='cosine',
                     margin=2.0,
                     temperature=0.07),
                 loss_appearance: dict = dict(
                     type='QueueInfoNCELoss', temperature=0.07),
                 init_cfg=None) -> None:
        super().__init__(init_cfg=init_cfg)
        self.loss_speed = MODELS.build(loss_speed)
        self.loss_appearance = MODELS.build(loss_appearance)

    def loss(self, query: Dict[str, torch.Tensor],
             key_same: Dict[str, torch.Tensor],
             key_diff: Dict[str, torch.Tensor],
             queue: torch.Tensor) -> Dict[str, torch.Tensor]:
        """Losses of one batch.

        Args:
            query (dict): ``appearance`` and ``speed`` embeddings ``(N, D)``
                of the query clips (with gradient).
            key_same (dict): Momentum-encoder embeddings of the other clip
                of the same video at the query's speed.
            key_diff (dict): The same clip at a different speed.
            queue (Tensor): Appearance keys of other videos ``(K, D)``.

        Returns:
            dict: ``loss_rsp``, ``loss_avid``, ``acc_rsp`` (fraction with
            ``s(q, k_same) > s(q, k_diff)``) and ``acc_avid`` (the
            same-speed positive ranked first among ``1 + K``).
        """
        for name in ('appearance', 'speed'):
            for part in (query, key_same, key_diff):
                if name not in part:
                    raise KeyError(f'RSPNetHead needs "{name}" embeddings '
                                   '(neck=ParallelNecks(necks=dict('
                                   'appearance=..., speed=...)))')
        losses = dict(
            loss_rsp=self.loss_speed(query['speed'], key_same['speed'],
                                     key_diff['speed']))
        logits = self.loss_appearance.logits(
            query['appearance'], key_same['appearance'], queue=queue)
        logits_diff = self.loss_appearance.logits(
            query['appearance'], key_diff['appearance'], queue=queue)
        w = self.loss_appearance.loss_weight
        losses['loss_avid'] = w * (
            (torch.logsumexp(logits, 1) - logits[:, 0]).mean() +
            (torch.logsumexp(logits_diff, 1) - logits_diff[:, 0]).mean())
        with torch.no_grad():
            gap = self.loss_speed.gaps(query['speed'], key_same['speed'],
                                       key_diff['speed'])
            losses['acc_rsp'] = (gap > 0).float().mean()
            losses['acc_avid'] = (logits.argmax(1) == 0).float().mean()
        return losses
