"""Data preprocessor with batched per-clip augmentations on the model's
device (the GPU where there is one)."""
from typing import List, Optional, Sequence, Tuple, Union

import torch
from mmaction.models import ActionDataPreprocessor
from torch import nn

from mmssl.registry import MODELS


@MODELS.register_module()
class BatchAugmentPreprocessor(ActionDataPreprocessor):
    """:class:`ActionDataPreprocessor` + batched per-clip augmentations.

    The data preprocessor runs on the model's device after the batch has
    been moved there, so stacking, channel flip and normalisation already
    happen on the GPU when there is one. This preprocessor also runs the
    per-clip photometric / flip augmentations there: in training only
    (``training=True``), the normalised batch is un-normalised to [0, 255],
    each of ``batch_augments`` draws one parameter set per clip (every view
    of every sample its own, constant over the clip's frames, as the CPU
    ``Clip*`` transforms inside ``PerClipTransform``) with torch's RNG of
    the batch's device and augments all clips at once, and the result is
    normalised again; MMAction2's ``blending`` (if any) comes last.
    Evaluation and test batches are exactly
    :class:`ActionDataPreprocessor`'s output.

    The same code runs on the CPU (tests, CPU training); nothing in it
    depends on the device. A config moves e.g. ``Flip``, ``ClipColorJitter``
    and ``ClipGrayscale`` out of the CPU pipeline and lists
    ``BatchClipFlip``, ``BatchClipColorJitter``, ``BatchClipGrayscale``
    here, in the same order (see
    ``configs/analysis/batch_augment/``). The augmentations then act on the
    resized/cropped clips of the batch, as they did at the end of the CPU
    pipeline; values are not rounded to uint8 between or after them.

    Only ``format_shape='NCTHW'`` (``(B, [V,] C, T, H, W)``) is supported
    with augmentations.

    Args:
        batch_augments (Sequence[dict | nn.Module], optional): Batch
            augmentations (``BatchClip*``, built with mmssl's ``MODELS``),
            applied in order. ``None``/empty: plain
            :class:`ActionDataPreprocessor`.
        **kwargs: :class:`ActionDataPreprocessor` arguments
            (``mean``, ``std``, ``to_rgb``, ``format_shape``,
            ``blending``).
    """

    def __init__(self,
                 batch_augments: Optional[Sequence[Union[dict,
                                                         nn.Module]]] = None,
                 **kwargs) -> None:
        super().__init__(**kwargs)
        augments = [
            MODELS.build(a) if isinstance(a, dict) else a
            for a in (batch_augments or [])
        ]
        if augments and self.format_shape != 'NCTHW':
            raise ValueError(
                f'{type(self).__name__}: batch_augments need '
                f'format_shape="NCTHW", got {self.format_shape!r}')
        for a in augments:
            if not callable(a):
                raise TypeError(f'{type(self).__name__}: batch_augments '
                                f'entry {a!r} is not callable')
        self.batch_augments = nn.ModuleList(augments)

    def augment(self,
                batch_inputs: torch.Tensor,
                generator: Optional[torch.Generator] = None) -> torch.Tensor:
        """Augment a normalised batch ``(B, [V,] C, T, H, W)``.

        Args:
            batch_inputs (Tensor): Output of
                :meth:`ActionDataPreprocessor.preprocess`.
            generator (torch.Generator, optional): RNG on the batch's device;
                ``None`` uses torch's default (seeded by MMEngine).

        Returns:
            Tensor: Same shape, device and dtype, normalised as the input.
        """
        x = batch_inputs.float() if not batch_inputs.is_floating_point() \
            else batch_inputs
        if self._enable_normalize:
            x = x * self.std + self.mean
        for aug in self.batch_augments:
            x = aug(x, generator)
        if self._enable_normalize:
            x = (x - self.mean) / self.std
        return x.to(batch_inputs.dtype) if batch_inputs.is_floating_point() \
            else x

    def preprocess(self,
                   inputs: List[torch.Tensor],
                   data_samples,
                   training: bool = False) -> Tuple:
        """Stack and normalise as MMAction2 does; in training, augment the
        batch, then blend."""
        if not (training and len(self.batch_augments)):
            return super().preprocess(inputs, data_samples, training)
        batch_inputs, data_samples = super().preprocess(
            inputs, data_samples, training=False)
        batch_inputs = self.augment(batch_inputs)
        if self.blending is not None:
            batch_inputs, data_samples = self.blending(batch_inputs,
                                                       data_samples)
        return batch_inputs, data_samples
