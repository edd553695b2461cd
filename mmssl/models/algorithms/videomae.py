"""VideoMAE: masked autoencoding of video cubes."""
from typing import Dict, List, Optional, Tuple, Union

import torch
from torch import Tensor

from mmssl.models.utils.masked_vit import check_vit, vit_visible_tokens
from mmssl.registry import MODELS
from .base import BaseSSLAlgorithm, SampleList
from mmssl.models.utils.data_samples import stack_field


def flatten_clips_and_masks(inputs: Tensor,
                            masks: Optional[Tensor] = None
                            ) -> Tuple[Tensor, Optional[Tensor]]:
    """Merge the clip dimension into the batch for clips and tube masks.

    Args:
        inputs (Tensor): ``(B, V, C, T, H, W)`` or ``(B, C, T, H, W)``.
        masks (Tensor, optional): ``(B, V, N)`` or ``(B, N)``.

    Returns:
        tuple: clips ``(B * V, C, T, H, W)`` and masks ``(B * V, N)``.
    """
    if inputs.dim() == 6:
        inputs = inputs.flatten(0, 1)
        if masks is not None and masks.dim() == 3:
            masks = masks.flatten(0, 1)
    elif inputs.dim() != 5:
        raise ValueError('expected inputs of shape (B, V, C, T, H, W) or '
                         f'(B, C, T, H, W), got {tuple(inputs.shape)}')
    if masks is not None and masks.shape[0] != inputs.shape[0]:
        raise ValueError(f'{masks.shape[0]} masks for {inputs.shape[0]} '
                         'clips: TubeMaskGenerator writes one mask per clip')
    return inputs, masks


@MODELS.register_module()
class VideoMAE(BaseSSLAlgorithm):
    """Video masked autoencoder.

    Tong et al., "VideoMAE: Masked Autoencoders are Data-Efficient Learners
    for Self-Supervised Video Pre-Training", NeurIPS 2022. A clip is cut into
    ``tubelet x patch x patch`` cubes; a tube mask (:class:`TubeMaskGenerator`
    in the data pipeline, packed as the data-sample field ``mask``) hides
    ~90 % of them. The backbone, MMAction2's ``VisionTransformer``, encodes
    only the visible cubes (:func:`vit_visible_tokens`); the neck
    (:class:`VideoMAEDecoder`) predicts the masked cubes' pixels and the head
    (:class:`VideoMAEPixelHead`) scores them with MSE.

    ``backbone.*`` holds exactly MMAction2's ``VisionTransformer`` keys, so a
    ``Recognizer3D`` with that backbone loads the checkpoint with
    ``load_from``. The backbone's ``fc_norm`` (the mean-pooling norm used in
    fine-tuning) is not touched by the pretext loss; it is frozen at its
    initial values so that distributed training needs no
    ``find_unused_parameters``.

    Inputs ``(B, V, C, T, H, W)`` (``V`` clips, usually 1) or
    ``(B, C, T, H, W)``; masks ``(B, V, N)`` or ``(B, N)``.

    Modes: ``'loss'`` returns ``loss_pixel``; ``'tensor'`` and ``'predict'``
    encode the *unmasked* clip with the backbone's own forward (mean of all
    tokens followed by ``fc_norm``, as a ``Recognizer3D`` sees it) for
    retrieval and probing.
    """

    def __init__(self,
                 backbone: dict,
                 neck: dict,
                 head: dict,
                 data_preprocessor: Optional[dict] = None,
                 init_cfg: Optional[Union[dict, List[dict]]] = None) -> None:
        super().__init__(
            backbone=backbone,
            neck=neck,
            head=head,
            data_preprocessor=data_preprocessor,
            init_cfg=init_cfg)
        check_vit(self.backbone)
        if getattr(self.backbone, 'fc_norm', None) is not None:
            self.backbone.fc_norm.requires_grad_(False)
        expected = self.head.out_channels
        if self.neck.head.out_features != expected:
            raise ValueError(
                f'neck out_channels={self.neck.head.out_features} but the '
                f'head expects tubelet_size * patch_size**2 * in_channels = '
                f'{expected}')

    def _flatten(self, inputs: Tensor,
                 masks: Optional[Tensor] = None
                 ) -> Tuple[Tensor, Optional[Tensor]]:
        """Merge the clip dimension into the batch for clips and masks."""
        return flatten_clips_and_masks(inputs, masks)

    def loss(self, inputs: Tensor,
             data_samples: SampleList) -> Dict[str, Tensor]:
        """Pixel reconstruction loss ``loss_pixel`` of the masked cubes."""
        masks = stack_field(data_samples, 'mask').to(inputs.device).bool()
        clips, masks = self._flatten(inputs, masks)
        visible = vit_visible_tokens(self.backbone, clips, masks)
        pred = self.neck(visible, masks)
        return self.head.loss(pred, clips, masks)

    def pooled_features(self, inputs: Tensor) -> Tensor:
        """Backbone features of unmasked clips.

        Args:
            inputs (Tensor): ``(B, V, C, T, H, W)`` or ``(B, C, T, H, W)``.

        Returns:
            Tensor: ``(B, V, D)`` or ``(B, D)``.
        """
        clips, _ = self._flatten(inputs)
        feats = self.backbone(clips)
        if feats.dim() == 5:  # return_feat_map=True: (N, D, T', H', W')
            feats = feats.mean(dim=(2, 3, 4))
        if inputs.dim() == 6:
            feats = feats.view(inputs.shape[0], inputs.shape[1], -1)
        return feats

    @torch.no_grad()
    def reconstruct(self, inputs: Tensor, masks: Tensor) -> Tensor:
        """Predicted (normalised, if ``norm_pix``) pixels of masked cubes,
        ``(B * V, N_mask, q * p * p * C)``; for visualisation."""
        clips, masks = self._flatten(inputs, masks.bool())
        return self.neck(vit_visible_tokens(self.backbone, clips, masks),
                         masks)
