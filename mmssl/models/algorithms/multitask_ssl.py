"""Multi-task SSL: contrastive alignment, masked spatio-temporal
reconstruction, segment order and motion direction on one encoder."""
import math
from typing import Callable, Dict, List, Optional, Union

from torch import Tensor

from mmssl.models.utils.data_samples import stack_field
from mmssl.models.utils.feature_channels import fill_in_channels
from mmssl.models.utils.segment_order import reverse_time, shuffle_segments
from mmssl.models.utils.video_patches import fill_masked_cubes, token_grid
from mmssl.registry import MODELS
from .base import BaseSSLAlgorithm, SampleList

#: Loss-weight names of the paper's total loss (Sec. 3.7).
LOSS_WEIGHT_KEYS = ('contrast', 'reconstruction', 'temporal')


def _weighted(losses: Dict[str, Tensor], weight: float) -> Dict[str, Tensor]:
    """``weight`` times every ``loss*`` entry; accuracies unchanged."""
    return {k: v * weight if k.startswith('loss') else v
            for k, v in losses.items()}


@MODELS.register_module()
class MultiTaskSSL(BaseSSLAlgorithm):
    """Jeyaprabhavathi, "Self-supervised multi-modal video feature
    representation learning for scalable action recognition in unlabeled
    visual datasets" (Sec. 3), on :class:`CNNTemporalTransformer`::

        L_total = alpha L_con + beta L_rec + gamma (L_order + L_motion)

    Inputs ``(B, V, C, T, H, W)``: ``V = 2`` augmented views of each clip
    (Sec. 3.2) for the contrastive branch (``V >= 1`` otherwise). Branches,
    each on when its modules are configured (the single-objective baselines
    of Tables 9-13 leave the others out):

    - **contrastive** (3.5; ``contrast_neck`` + ``contrast_head``): the
      time-averaged transformer outputs of both views, a projection MLP and
      an InfoNCE head (:class:`CVRLHead` with
      :class:`InstanceContrastiveLoss`, tau 0.07, negatives gathered across
      ranks) -> ``loss_contrast``;
    - **reconstruction** (3.4; ``decoder`` + ``reconstruction_head``): view
      0's patches under its mask (data field ``mask`` ``(B, V, N)`` from
      :class:`SpatioTemporalMaskGenerator`) are blanked
      (``mask_fill``), the clip is encoded again and
      :class:`FramePixelDecoder` predicts every patch from the CNN maps and
      the transformer outputs; :class:`MaskedPixelHead` scores the masked
      ones -> ``loss_pixel``;
    - **temporal** (3.6; ``order_head`` and / or ``direction_head``): view
      0's frame embeddings are cut into ``S`` segments and permuted by
      ``order_label``, the last view's are reversed where
      ``direction_label`` is 1 (labels from :class:`TemporalPretextLabels`),
      each goes through the transformer again and a
      :class:`SegmentSequenceClsHead` classifies it -> ``loss_order``,
      ``loss_direction``. The CNN sees each frame alone, so permuting its
      embeddings equals permuting the input frames; the CNN pass is shared.

    Every ``loss_*`` of a branch is multiplied by its weight in
    ``loss_weights`` (``contrast`` = alpha, ``reconstruction`` = beta,
    ``temporal`` = gamma); MMEngine sums them into ``L_total``.

    Retrieval / probing (``'tensor'``, ``'predict'``): the backbone's
    ``(N, D, T, 1, 1)`` output averaged over time (unmasked clips).

    Args:
        backbone (dict): :class:`CNNTemporalTransformer` config.
        contrast_neck (dict, optional): Projection neck; ``in_channels=None``
            follows the backbone.
        contrast_head (dict, optional): :class:`CVRLHead`.
        decoder (dict, optional): :class:`FramePixelDecoder`;
            ``in_channels`` / ``context_channels`` / ``out_channels``
            ``None`` follow the backbone and the head.
        reconstruction_head (dict, optional): :class:`MaskedPixelHead`
            (``tubelet_size=1``); its ``patch_size`` is the mask's patch.
        order_head (dict, optional): :class:`SegmentSequenceClsHead`;
            ``num_classes=None`` -> ``num_segments!``.
        direction_head (dict, optional): :class:`SegmentSequenceClsHead`
            (``num_classes=None`` -> 2).
        loss_weights (dict): alpha, beta, gamma. Defaults to 1 each (the
            paper gives no values).
        mask_fill (float): Value of masked pixels in the normalised input.
            Defaults to 0 (the dataset mean colour).
        data_preprocessor, init_cfg: See :class:`BaseSSLAlgorithm`.
    """

    def __init__(self,
                 backbone: dict,
                 contrast_neck: Optional[dict] = None,
                 contrast_head: Optional[dict] = None,
                 decoder: Optional[dict] = None,
                 reconstruction_head: Optional[dict] = None,
                 order_head: Optional[dict] = None,
                 direction_head: Optional[dict] = None,
                 loss_weights: Optional[Dict[str, float]] = None,
                 mask_fill: float = 0.,
                 data_preprocessor: Optional[dict] = None,
                 init_cfg: Optional[Union[dict, List[dict]]] = None) -> None:
        super().__init__(backbone, None, None, data_preprocessor, init_cfg)
        if (contrast_neck is None) != (contrast_head is None):
            raise ValueError('the contrastive branch needs both '
                             'contrast_neck and contrast_head (or neither)')
        if (decoder is None) != (reconstruction_head is None):
            raise ValueError('the reconstruction branch needs both decoder '
                             'and reconstruction_head (or neither)')
        weights = dict.fromkeys(LOSS_WEIGHT_KEYS, 1.0)
        unknown = set(loss_weights or {}) - set(LOSS_WEIGHT_KEYS)
        if unknown:
            raise ValueError(f'unknown loss_weights {sorted(unknown)}; use '
                             f'{LOSS_WEIGHT_KEYS}')
        weights.update(loss_weights or {})
        self.loss_weights = {k: float(v) for k, v in weights.items()}
        self.mask_fill = float(mask_fill)
        dims = self.backbone.out_channels
        self.contrast_neck = MODELS.build(
            fill_in_channels(contrast_neck, self.backbone)
        ) if contrast_neck else None
        self.contrast_head = MODELS.build(
            contrast_head) if contrast_head else None
        self.reconstruction_head = MODELS.build(
            reconstruction_head) if reconstruction_head else None
        self.decoder = MODELS.build(
            self._fill(decoder, in_channels=self.backbone.cnn_channels,
                       context_channels=dims,
                       out_channels=getattr(self.reconstruction_head,
                                            'out_channels', None))
        ) if decoder else None
        self.order_head = self._build_temporal_head(order_head, None)
        self.direction_head = self._build_temporal_head(direction_head, 2)
        if not (self.contrast_head or self.decoder or self.order_head
                or self.direction_head):
            raise ValueError('MultiTaskSSL needs at least one branch')

    @staticmethod
    def _fill(cfg: dict, **defaults) -> dict:
        cfg = dict(cfg)
        for key, value in defaults.items():
            if cfg.get(key) is None:
                cfg[key] = value
        return cfg

    def _build_temporal_head(self, cfg: Optional[dict],
                             num_classes: Optional[int]):
        if cfg is None:
            return None
        cfg = self._fill(cfg, in_channels=self.backbone.out_channels)
        if cfg.get('num_classes') is None:
            cfg['num_classes'] = num_classes or math.factorial(
                cfg['num_segments'])
        return MODELS.build(cfg)

    def _views_to_encode(self, num_views: int) -> List[int]:
        if self.contrast_head is not None:
            return list(range(num_views))
        views = {0} if self.order_head is not None else set()
        if self.direction_head is not None:
            views.add(num_views - 1)
        return sorted(views)

    def loss(self, inputs: Tensor,
             data_samples: SampleList) -> Dict[str, Tensor]:
        """The weighted losses of every configured branch (see class
        docstring) and their accuracies."""
        if inputs.dim() != 6:
            raise ValueError('MultiTaskSSL expects inputs (B, V, C, T, H, W),'
                             f' got {tuple(inputs.shape)}')
        batch, num_views = inputs.shape[:2]
        if self.contrast_head is not None and num_views != 2:
            raise ValueError('the contrastive branch needs V = 2 views per '
                             f'clip, got {num_views}')
        losses: Dict[str, Tensor] = {}
        views = self._views_to_encode(num_views)
        frames = None
        if views:
            enc = self.backbone.encode(inputs[:, views].flatten(0, 1))
            frames = enc['frames'].unflatten(0, (batch, len(views)))
            context = enc['context'].unflatten(0, (batch, len(views)))
        if self.contrast_head is not None:
            emb = self.contrast_neck(context.mean(dim=2).flatten(0, 1))
            losses.update(_weighted(
                self.contrast_head.loss(emb.view(batch, num_views, -1)),
                self.loss_weights['contrast']))
        if self.decoder is not None:
            losses.update(_weighted(
                self._reconstruction_loss(inputs[:, 0], data_samples),
                self.loss_weights['reconstruction']))
        gamma = self.loss_weights['temporal']
        if self.order_head is not None:
            labels = stack_field(data_samples, 'order_label').view(-1)
            context = self._permuted_context(
                inputs[:, 0], frames[:, views.index(0)],
                lambda seq: shuffle_segments(seq, labels,
                                             self.order_head.num_segments))
            losses.update(_weighted(
                self.order_head.loss(context, labels), gamma))
        if self.direction_head is not None:
            labels = stack_field(data_samples, 'direction_label').view(-1)
            context = self._permuted_context(
                inputs[:, num_views - 1], frames[:, views.index(num_views - 1)],
                lambda seq: reverse_time(seq, labels))
            losses.update(_weighted(
                self.direction_head.loss(context, labels), gamma))
        return losses

    def _permuted_context(self, clips: Tensor, frames: Tensor,
                          permute: Callable[[Tensor], Tensor]) -> Tensor:
        """Transformer output ``(B, T, D)`` for the time-permuted clips.

        With a frame-independent encoder (per-frame CNN) permuting the
        frame embeddings ``frames`` ``(B, T, D)`` equals permuting the input
        frames, so only the transformer runs again. An encoder whose frame
        embeddings see neighbouring frames (a 3D stem) would leak the
        original order through them, so the permuted clips ``(B, C, T, H,
        W)`` are encoded again (one more CNN pass per task).
        """
        if getattr(self.backbone, 'frame_independent', True):
            return self.backbone.temporal(permute(frames))
        permuted = permute(clips.transpose(1, 2)).transpose(1, 2)
        return self.backbone.encode(permuted.contiguous())['context']

    def _reconstruction_loss(self, clips: Tensor,
                             data_samples: SampleList) -> Dict[str, Tensor]:
        """``loss_pixel`` of clips ``(B, C, T, H, W)`` under their first
        view's mask."""
        masks = stack_field(data_samples, 'mask').to(clips.device).bool()
        if masks.dim() == 3:
            masks = masks[:, 0]
        patch = self.reconstruction_head.patch_size
        grid = token_grid(clips.shape, patch, 1)
        if masks.shape[1] != grid[0] * grid[1] * grid[2]:
            raise ValueError(
                f'masks have {masks.shape[1]} tokens but clips '
                f'{tuple(clips.shape)} with {patch} px patches have the grid '
                f'{grid}; check SpatioTemporalMaskGenerator.input_size')
        masked = fill_masked_cubes(clips, masks, patch, 1, self.mask_fill)
        enc = self.backbone.encode(masked)
        pred = self.decoder(enc['maps'], enc['context'], grid)
        return self.reconstruction_head.loss(pred, clips, masks)
