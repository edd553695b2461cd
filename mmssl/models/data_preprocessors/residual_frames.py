"""Residual-frame input: temporal differences of normalised frames."""
from typing import List, Tuple

import torch

from mmssl.registry import MODELS
from .batch_augment import BatchAugmentPreprocessor


@MODELS.register_module()
class ResidualFramesPreprocessor(BatchAugmentPreprocessor):
    """:class:`BatchAugmentPreprocessor` followed by frame differencing.

    After MMAction2's stacking, channel flip and normalisation, each clip
    ``x`` of ``T`` frames is replaced by its residual frames
    ``r_t = x_{t+1} - x_t`` (``t = 0 .. T-2``), as in Tao et al.,
    "Rethinking Motion Representation: Residual Frames with 3D ConvNets for
    Better Action Recognition", 2020 (also the input of their IIC
    self-supervised method). Static appearance cancels, motion remains, so a
    3D ConvNet trained from scratch cannot fit a temporal pretext task
    (clip order, playback speed) by memorising per-video appearance.

    Because the model owns it, every stage that builds the model from the
    config (``tools/train.py``, ``tools/test.py``, the retrieval tool) feeds
    the backbone the same kind of input. A fine-tuning config that loads
    such a backbone must use this preprocessor too.

    Only ``format_shape='NCTHW'`` inputs are supported: shape
    ``(B, [N,] C, T, H, W)`` becomes ``(B, [N,] C, T - 1, H, W)``. Methods
    whose targets are the input frames themselves (PRP's reconstruction,
    VideoMAE) would reconstruct residuals instead; they are not meant to be
    used with it.

    With ``batch_augments`` (see :class:`BatchAugmentPreprocessor`), the
    residuals are taken from the augmented clips, as when the same
    augmentations run in the CPU pipeline; without them the output is
    :class:`ActionDataPreprocessor`'s followed by frame differencing.

    Args:
        **kwargs: :class:`BatchAugmentPreprocessor` arguments
            (``batch_augments``, ``mean``, ``std``, ``to_rgb``,
            ``format_shape``, ``blending``).
    """

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        if self.format_shape != 'NCTHW':
            raise ValueError(
                'ResidualFramesPreprocessor needs format_shape="NCTHW" (the '
                f'frame axis is dim -3), got {self.format_shape!r}')

    def preprocess(self,
                   inputs: List[torch.Tensor],
                   data_samples,
                   training: bool = False) -> Tuple:
        """Normalise (and augment) as the parent does, then take frame
        differences."""
        batch_inputs, data_samples = super().preprocess(
            inputs, data_samples, training)
        if batch_inputs.size(-3) < 2:
            raise ValueError('residual frames need clips of at least 2 '
                             f'frames, got input of shape '
                             f'{tuple(batch_inputs.shape)}')
        residual = batch_inputs[..., 1:, :, :] - batch_inputs[..., :-1, :, :]
        return residual, data_samples
