"""Masked video modelling on a 3D CNN (the study's VideoMAE* row)."""
from typing import Dict, List, Optional, Union

from torch import Tensor

from mmssl.models.utils.data_samples import stack_field
from mmssl.models.utils.video_patches import fill_masked_cubes, token_grid
from mmssl.registry import MODELS
from .base import BaseSSLAlgorithm, SampleList
from .videomae import flatten_clips_and_masks


@MODELS.register_module()
class VideoMAECNN(BaseSSLAlgorithm):
    """VideoMAE's masked-cube reconstruction with a convolutional encoder.

    The benchmark study (Kumar et al., "A Large-Scale Analysis on Contextual
    Self-Supervised Video Representation Learning", supp. Table 17) reports
    "VideoMAE* 16x112 R21D-18": VideoMAE (Tong et al., NeurIPS 2022) trained
    on an R(2+1)D-18 at 112 px. The study does not describe the adaptation;
    this class is mmssl's (docs/methods/videomae.md, "CNN variant"):

    - the same tube masks as VideoMAE (:class:`TubeMaskGenerator`, data
      field ``mask``), over ``tubelet x patch x patch`` cubes;
    - a CNN cannot skip tokens, so the masked cubes are set to ``mask_fill``
      in the (normalised) input (:func:`fill_masked_cubes`; 0 = the mean
      colour) and the whole clip goes through the backbone;
    - a light conv decoder (:class:`VideoMAEConvDecoder`) maps the last
      feature map to the token grid and predicts each masked cube's pixels;
    - :class:`VideoMAEPixelHead` scores the masked cubes only, against
      per-patch normalised targets cut from the *unmasked* clip, as VideoMAE.

    Retrieval / probing (``'tensor'``, ``'predict'``) use the backbone on
    unmasked clips with 3D average pooling, like every CNN method.

    Inputs ``(B, V, C, T, H, W)`` or ``(B, C, T, H, W)``; masks ``(B, V, N)``
    or ``(B, N)``.

    Args:
        backbone (dict): Any 3D CNN of the zoo.
        neck (dict): :class:`VideoMAEConvDecoder` config; ``in_channels``
            must equal the backbone's output channels.
        head (dict): :class:`VideoMAEPixelHead` config; its ``patch_size``
            and ``tubelet_size`` define the cubes that are masked.
        mask_fill (float): Value of masked pixels in the normalised input.
            Defaults to 0.
        data_preprocessor, init_cfg: See :class:`BaseSSLAlgorithm`.
    """

    def __init__(self,
                 backbone: dict,
                 neck: dict,
                 head: dict,
                 mask_fill: float = 0.,
                 data_preprocessor: Optional[dict] = None,
                 init_cfg: Optional[Union[dict, List[dict]]] = None) -> None:
        super().__init__(
            backbone=backbone,
            neck=neck,
            head=head,
            data_preprocessor=data_preprocessor,
            init_cfg=init_cfg)
        if self.neck.out_channels != self.head.out_channels:
            raise ValueError(
                f'neck out_channels={self.neck.out_channels} but the head '
                'expects tubelet_size * patch_size**2 * in_channels = '
                f'{self.head.out_channels}')
        self.mask_fill = float(mask_fill)

    def masked_prediction(self, clips: Tensor, masks: Tensor) -> Tensor:
        """Predicted pixels ``(N, N_mask, q * p * p * C)`` of the masked
        cubes of clips ``(N, C, T, H, W)`` under bool masks ``(N, T'H'W')``.
        """
        patch, tubelet = self.head.patch_size, self.head.tubelet_size
        grid = token_grid(clips.shape, patch, tubelet)
        if masks.shape[1] != grid[0] * grid[1] * grid[2]:
            raise ValueError(
                f'masks have {masks.shape[1]} tokens but {tuple(clips.shape)}'
                f' clips with patch {patch}, tubelet {tubelet} have the grid '
                f'{grid}; check TubeMaskGenerator.input_size')
        masked = fill_masked_cubes(clips, masks, patch, tubelet,
                                   self.mask_fill)
        return self.neck(self.extract_feat(masked), masks, grid)

    def loss(self, inputs: Tensor,
             data_samples: SampleList) -> Dict[str, Tensor]:
        """``loss_pixel``: MSE over the masked cubes only."""
        masks = stack_field(data_samples, 'mask').to(inputs.device).bool()
        clips, masks = flatten_clips_and_masks(inputs, masks)
        pred = self.masked_prediction(clips, masks)
        return self.head.loss(pred, clips, masks)
