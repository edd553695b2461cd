"""Segment sample-rate order prediction with content-related contrast."""
from typing import Dict, List, Optional, Union

import torch
from torch import nn

from mmssl.models.utils.data_samples import stack_field
from mmssl.models.utils.head_in_channels import fill_head_in_channels
from mmssl.registry import MODELS
from .base import SampleList
from .momentum_base import BaseMomentumAlgorithm


@MODELS.register_module()
class SegmentRateOrder(BaseMomentumAlgorithm):
    """Segment order classification + rate prediction + MoCo contrast.

    "Segment sample-rate order prediction" (IEEE TCSVT 2021, DOI
    10.1109/TCSVT.2021.3114209; ``docs/methods/segment_rate_order.md``),
    Fig. 2. Inputs ``(B, V, C, T, H, W)`` from
    :class:`SegmentRateOrderSampleClips`: clip 0 is the query (shuffled
    segments at their own rates), clip 1 (``V = 2``) another clip of the
    same video, the key candidate.

    - query -> backbone (encoder Q) -> pooled feature ``r``:
      ``order_head`` (:class:`SegmentOrderHead`, Eq. 1-4) and ``rate_head``
      (:class:`SegmentRateHead`, Eq. 5-7) on ``r``;
    - contrast (III-E): ``neck`` (the non-linear projection to 128-d,
      IV-D) of the query against the momentum encoder's (encoder K)
      projection of the key and a queue of other videos' keys (MoCo:
      batch-shuffled BN across ranks, keys all-gathered into the queue,
      momentum update and enqueue once per optimizer step; queue and key
      encoder are checkpointed). ``loss_contrast`` is
      :class:`QueueInfoNCELoss` (cosine) or :class:`ShuffleInfoNCELoss`
      (shuffle similarity, III-F);
    - view synthesis (III-G): with ``view_synthesizer`` (B's
      :class:`ViewSynthesisVAE`, pre-trained, loaded through its
      ``init_cfg``), each sample's key is, with probability
      ``synth_key_prob``, ``G.synthesize(query)`` instead of the second
      clip. The synthesiser is frozen: eval mode, ``requires_grad=False``
      (no gradient, so the optimizer never changes it), not part of the
      momentum encoder;
    - total loss (Eq. 17): ``l1 L_order + l2 L_sr + l3 L_contrastive``, the
      weights being the ``loss_weight`` of each head / loss (IV-D: 1, 0.3,
      1).

    Any of ``order_head``, ``rate_head``, ``loss_contrast`` may be None
    (the ablation of Table VI); without ``loss_contrast`` no key is
    encoded, nothing is queued and ``V = 1`` inputs suffice.

    Args:
        backbone (dict): Backbone config.
        neck (dict): Projection neck (``in_channels=None`` follows the
            backbone).
        order_head (dict, optional): :class:`SegmentOrderHead`.
        rate_head (dict, optional): :class:`SegmentRateHead`.
        loss_contrast (dict, optional): ``QueueInfoNCELoss`` or
            ``ShuffleInfoNCELoss``.
        queue_size (int): Queue length ``K``. Defaults to 16384 (MoCo; the
            paper gives no value).
        momentum (float): Key-encoder EMA momentum (Eq. 18). Defaults to
            0.999 (MoCo; the paper gives no value).
        shuffle_bn (bool): Batch-shuffle keys across ranks. Defaults to True.
        view_synthesizer (dict, optional): ``ViewSynthesisVAE`` config.
        synth_key_prob (float): Probability that a sample's key is the
            synthesised view. Defaults to 0.5.
        data_preprocessor (dict, optional): See :class:`BaseSSLAlgorithm`.
        init_cfg (dict, optional): Weight initialisation.
    """

    def __init__(self,
                 backbone: dict,
                 neck: dict,
                 order_head: Optional[dict] = None,
                 rate_head: Optional[dict] = None,
                 loss_contrast: Optional[dict] = None,
                 queue_size: int = 16384,
                 momentum: float = 0.999,
                 shuffle_bn: bool = True,
                 view_synthesizer: Optional[dict] = None,
                 synth_key_prob: float = 0.5,
                 data_preprocessor: Optional[dict] = None,
                 init_cfg: Optional[Union[dict, List[dict]]] = None) -> None:
        if order_head is None and rate_head is None and loss_contrast is None:
            raise ValueError('SegmentRateOrder needs at least one of '
                             'order_head, rate_head, loss_contrast')
        if not 0.0 <= synth_key_prob <= 1.0:
            raise ValueError(f'synth_key_prob must be in [0, 1], got '
                             f'{synth_key_prob}')
        if view_synthesizer is not None and loss_contrast is None:
            raise ValueError('view_synthesizer makes keys for the contrastive '
                             'loss: set loss_contrast too')
        super().__init__(
            backbone,
            neck,
            None,
            momentum=momentum,
            queue_size=queue_size if loss_contrast is not None else None,
            shuffle_bn=shuffle_bn,
            data_preprocessor=data_preprocessor,
            init_cfg=init_cfg)
        self.order_head = self._build_head(order_head)
        self.rate_head = self._build_head(rate_head)
        self.loss_contrast = MODELS.build(loss_contrast) \
            if loss_contrast is not None else None
        self.synth_key_prob = synth_key_prob
        self.view_synthesizer: Optional[nn.Module] = None
        if view_synthesizer is not None:
            self.view_synthesizer = MODELS.build(view_synthesizer)
            self.view_synthesizer.requires_grad_(False)
            self.view_synthesizer.eval()

    def _build_head(self, cfg: Optional[dict]) -> Optional[nn.Module]:
        if cfg is None:
            return None
        return MODELS.build(fill_head_in_channels(cfg, self.backbone))

    def train(self, mode: bool = True) -> 'SegmentRateOrder':
        """Train/eval as usual; the view synthesiser always stays in eval."""
        super().train(mode)
        if self.view_synthesizer is not None:
            self.view_synthesizer.eval()
        return self

    def keys_for(self, query: torch.Tensor,
                 key_clips: torch.Tensor) -> torch.Tensor:
        """Key clips: the re-sampled clips, or per sample with probability
        ``synth_key_prob`` the synthesised view of the query (III-G).

        Args:
            query (Tensor): ``(N, C, T, H, W)`` network-input query clips.
            key_clips (Tensor): ``(N, C, T, H, W)`` re-sampled clips.

        Returns:
            Tensor: ``(N, C, T, H, W)`` key clips (no gradient).
        """
        if self.view_synthesizer is None or self.synth_key_prob == 0:
            return key_clips
        take = torch.rand(query.shape[0], device=query.device) < \
            self.synth_key_prob
        if not take.any():
            return key_clips
        with torch.no_grad():
            synth = self.view_synthesizer.synthesize(query[take].detach())
        keys = key_clips.clone()
        keys[take] = synth.to(keys.dtype)
        return keys

    def loss(self, inputs: torch.Tensor,
             data_samples: SampleList) -> Dict[str, torch.Tensor]:
        """Losses of Eq. 17 (``loss_order``, ``loss_rate``,
        ``loss_contrast``) and their accuracies; stages the keys."""
        needed = 2 if self.loss_contrast is not None else 1
        if inputs.dim() != 6 or inputs.shape[1] < needed:
            raise ValueError(
                f'SegmentRateOrder expects inputs (B, {needed}, C, T, H, W) '
                '[query, key clip] (SegmentRateOrderSampleClips with '
                f'num_clips={needed}), got {tuple(inputs.shape)}')
        query = inputs[:, 0]
        feat_map = self.extract_feat(query)
        losses: Dict[str, torch.Tensor] = {}
        if self.order_head is not None or self.rate_head is not None:
            pooled = feat_map.flatten(2).mean(-1)
        if self.order_head is not None:
            labels = stack_field(data_samples, 'order_label')
            losses.update(self.order_head.loss(pooled, labels.to(
                pooled.device)))
        if self.rate_head is not None:
            rates = stack_field(data_samples, 'segment_rates')
            losses.update(self.rate_head.loss(pooled, rates.to(
                pooled.device)))
        if self.loss_contrast is not None:
            q = self.neck(feat_map)
            k = self.embed_keys(self.keys_for(query, inputs[:, 1]))
            logits = self.loss_contrast.logits(q, k, queue=self.queue.queue)
            losses['loss_contrast'] = self.loss_contrast.loss_weight * (
                torch.logsumexp(logits, 1) - logits[:, 0]).mean()
            losses['acc_contrast'] = (logits.argmax(1) == 0).float().mean()
            self.stage_keys(k)
        return losses
