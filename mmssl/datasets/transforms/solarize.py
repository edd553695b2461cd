"""Clip-consistent solarisation (CVRL / BYOL view augmentation)."""
from typing import Optional

import numpy as np
from mmcv.transforms import BaseTransform
from mmcv.transforms.utils import cache_randomness

from mmssl.registry import TRANSFORMS
from .color import _check_p, stack_frames, unstack_frames


def solarize(frames: np.ndarray, threshold: float = 0.5) -> np.ndarray:
    """Invert the bright pixels: ``x -> 255 - x`` where ``x >= 255 *
    threshold``, unchanged below.

    CVRL's released ``random_solarization`` on ``[0, 1]`` frames
    (``x < 0.5 ? x : 1 - x``), on the ``[0, 255]`` scale: for uint8 and
    ``threshold=0.5`` the values 0..127 stay, 128..255 become 127..0.

    Args:
        frames (np.ndarray): ``(..., C)`` values in ``[0, 255]``.
        threshold (float): Fraction of 255. Defaults to 0.5.

    Returns:
        np.ndarray: Same shape and dtype.
    """
    limit = 255.0 * threshold
    inverted = (255 - frames) if frames.dtype == np.uint8 else (
        np.asarray(255.0, frames.dtype) - frames)
    return np.where(frames >= limit, inverted, frames).astype(frames.dtype)


@TRANSFORMS.register_module()
class ClipSolarize(BaseTransform):
    """Solarise all frames it receives, with probability ``p``.

    Qian et al., "Spatiotemporal Contrastive Video Representation Learning",
    CVPR 2021; the released TensorFlow pipeline solarises the second view
    only, ``p=0.2``, threshold 0.5 (after colour jitter and blur). One draw
    per call, so inside :class:`PerClipTransform` / :class:`PerViewTransform`
    one draw per clip.

    Required Keys: ``imgs``. Modified Keys: ``imgs``.
    Added Keys: ``solarized`` (bool).

    Args:
        p (float): Probability. Defaults to 0.2 (CVRL, view 2).
        threshold (float): Fraction of 255 from which pixels are inverted.
            Defaults to 0.5.
    """

    def __init__(self, p: float = 0.2, threshold: float = 0.5) -> None:
        self.p = _check_p(p)
        if not 0.0 <= float(threshold) <= 1.0:
            raise ValueError(f'threshold must be in [0, 1], got {threshold}')
        self.threshold = float(threshold)

    @cache_randomness
    def _draw(self) -> bool:
        return bool(np.random.rand() < self.p)

    def transform(self, results: dict) -> Optional[dict]:
        apply = self._draw()
        results['solarized'] = apply
        if apply:
            arr, was_array = stack_frames(results['imgs'])
            results['imgs'] = unstack_frames(
                solarize(arr, self.threshold), was_array)
        return results

    def __repr__(self) -> str:
        return (f'{type(self).__name__}(p={self.p}, '
                f'threshold={self.threshold})')
