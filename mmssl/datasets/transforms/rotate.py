"""Clip-consistent small-angle random rotation (benchmark study, C.3)."""
from typing import Optional, Sequence, Union

import cv2
import numpy as np
from mmcv.transforms import BaseTransform
from mmcv.transforms.utils import cache_randomness

from mmssl.registry import TRANSFORMS
from .color import _check_p, stack_frames, unstack_frames


def rotate_frames(frames: np.ndarray, angle: float,
                  fill: float = 0.) -> np.ndarray:
    """Rotate every frame by the same ``angle`` about the frame centre.

    Args:
        frames (np.ndarray): ``(T, H, W, C)``.
        angle (float): Degrees, anticlockwise as displayed (OpenCV's
            ``getRotationMatrix2D`` convention, torchvision's too).
        fill (float): Value of the pixels rotated in from outside.

    Returns:
        np.ndarray: ``(T, H, W, C)``, bilinear interpolation, same size
        (corners cut off, empty corners filled).
    """
    t, h, w, c = frames.shape
    matrix = cv2.getRotationMatrix2D(((w - 1) / 2, (h - 1) / 2), angle, 1.0)
    out = np.empty_like(frames)
    for i in range(t):
        rotated = cv2.warpAffine(
            np.ascontiguousarray(frames[i]), matrix, (w, h),
            flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT,
            borderValue=(fill, ) * 4)
        out[i] = rotated.reshape(h, w, c)
    return out


@TRANSFORMS.register_module()
class ClipRandomRotation(BaseTransform):
    """Rotate all frames it receives by one random small angle.

    The benchmark study (Kumar et al., supp. C.3) lists "Random Rotation"
    among the augmentations of VCOP, RotNet and PRP without a range; the
    default ``(-10, 10)`` degrees is mmssl's choice (small next to
    RotNet's 90-degree classes). One angle per call, so the frames of a clip
    (and, for PRP, its skipped frames) turn together and motion is not
    distorted.

    With square frames the empty corners are the same for ``angle`` and for
    ``angle`` followed by any multiple of 90 degrees, so they do not reveal
    RotNet's rotation class.

    Required Keys: ``imgs``. Modified Keys: ``imgs``.
    Added Keys: ``rotation_angle`` (float, or ``None`` if not applied).

    Args:
        degrees (float | Sequence[float]): ``d`` for ``(-d, d)``, or a range.
            Defaults to 10.
        p (float): Probability of rotating. Defaults to 1.
        fill (float): Value of the empty corners. Defaults to 0 (black, as
            torchvision's ``RandomRotation``).
    """

    def __init__(self,
                 degrees: Union[float, Sequence[float]] = 10.,
                 p: float = 1.0,
                 fill: float = 0.) -> None:
        if np.isscalar(degrees):
            if degrees < 0:
                raise ValueError(f'degrees must be >= 0, got {degrees}')
            degrees = (-float(degrees), float(degrees))
        if len(degrees) != 2 or not degrees[0] <= degrees[1]:
            raise ValueError(f'degrees must be d >= 0 or a (min, max) range, '
                             f'got {degrees}')
        self.degrees = (float(degrees[0]), float(degrees[1]))
        self.p = _check_p(p)
        self.fill = float(fill)

    @cache_randomness
    def _draw(self) -> Optional[float]:
        if np.random.rand() >= self.p:
            return None
        return float(np.random.uniform(*self.degrees))

    def transform(self, results: dict) -> dict:
        angle = self._draw()
        results['rotation_angle'] = angle
        if angle is not None:
            arr, was_array = stack_frames(results['imgs'])
            results['imgs'] = unstack_frames(
                rotate_frames(arr, angle, self.fill), was_array)
        return results

    def __repr__(self) -> str:
        return (f'{type(self).__name__}(degrees={self.degrees}, p={self.p}, '
                f'fill={self.fill})')
