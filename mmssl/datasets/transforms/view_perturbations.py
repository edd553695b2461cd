"""Gaussian noise and motion jitter of a view (Jeyaprabhavathi, 3.2)."""
from typing import Optional, Sequence, Union

import numpy as np
from mmcv.transforms import BaseTransform
from mmcv.transforms.utils import cache_randomness

from mmssl.registry import TRANSFORMS
from .color import (_check_p, cast_like, stack_frames, unstack_frames)


def _range(value: Union[float, Sequence[float]], name: str):
    if np.isscalar(value):
        value = (0.0, float(value))
    if len(value) != 2 or not 0 <= value[0] <= value[1]:
        raise ValueError(f'{name} must be v >= 0 or a (min, max) range with '
                         f'0 <= min <= max, got {value}')
    return float(value[0]), float(value[1])


@TRANSFORMS.register_module()
class ClipGaussianNoise(BaseTransform):
    """Additive Gaussian pixel noise with one random std for all frames it
    receives (Table 2, stage 3: "improves robustness to distortion").

    ``out = clip(in + N(0, std^2), 0, 255)``, fresh noise per pixel, one
    ``std ~ U(std_range)`` per call (per view inside
    :class:`PerClipTransform`). The paper gives no strength; the default
    (up to 10 of 255 levels) is mmssl's choice.

    Required Keys: ``imgs``. Modified Keys: ``imgs``.
    Added Keys: ``noise_std`` (float, or ``None`` if not applied).

    Args:
        std (float | Sequence[float]): ``s`` for ``(0, s)`` or a range, in
            pixel levels of 0-255 frames. Defaults to 10.
        p (float): Probability of applying. Defaults to 0.5.
    """

    def __init__(self,
                 std: Union[float, Sequence[float]] = 10.,
                 p: float = 0.5) -> None:
        self.std = _range(std, 'std')
        self.p = _check_p(p)

    @cache_randomness
    def _draw(self) -> Optional[float]:
        if np.random.rand() >= self.p:
            return None
        return float(np.random.uniform(*self.std))

    def transform(self, results: dict) -> dict:
        std = self._draw()
        results['noise_std'] = std
        if std is None:
            return results
        arr, was_array = stack_frames(results['imgs'])
        noisy = arr.astype(np.float32) + np.random.normal(
            0.0, std, arr.shape).astype(np.float32)
        results['imgs'] = unstack_frames(
            cast_like(np.clip(noisy, 0.0, 255.0), arr.dtype), was_array)
        return results

    def __repr__(self) -> str:
        return f'{type(self).__name__}(std={self.std}, p={self.p})'


@TRANSFORMS.register_module()
class ClipMotionJitter(BaseTransform):
    """Small random translation of every frame (camera shake).

    Jeyaprabhavathi, Sec. 3.2 lists "motion jittering" without details;
    mmssl's reading: each frame is shifted by its own integer offset
    ``(dy, dx)``, uniform in ``[-max_shift, max_shift]``, edge pixels
    repeated, frame size kept. The view's strength (``max_shift``) is
    fixed; the per-frame offsets are what jitters the motion.

    Required Keys: ``imgs``. Modified Keys: ``imgs``.
    Added Keys: ``jitter_offsets`` (int ``(T, 2)`` array of ``(dy, dx)``,
    or ``None`` if not applied).

    Args:
        max_shift (int): Largest shift in pixels. Defaults to 2.
        p (float): Probability of jittering the clip. Defaults to 0.5.
    """

    def __init__(self, max_shift: int = 2, p: float = 0.5) -> None:
        if int(max_shift) != max_shift or max_shift < 0:
            raise ValueError(f'max_shift must be an int >= 0, got {max_shift}')
        self.max_shift = int(max_shift)
        self.p = _check_p(p)

    @cache_randomness
    def _draw(self, num_frames: int) -> Optional[np.ndarray]:
        if np.random.rand() >= self.p:
            return None
        return np.random.randint(-self.max_shift, self.max_shift + 1,
                                 (num_frames, 2))

    def transform(self, results: dict) -> dict:
        arr, was_array = stack_frames(results['imgs'])
        offsets = self._draw(len(arr))
        results['jitter_offsets'] = offsets
        if offsets is None or self.max_shift == 0:
            return results
        s = self.max_shift
        padded = np.pad(arr, ((0, 0), (s, s), (s, s), (0, 0)), mode='edge')
        t, h, w = arr.shape[:3]
        # content moves by (dy, dx): read the window shifted the other way;
        # one gather for all frames (no per-frame Python loop)
        rows = (s - offsets[:, 0])[:, None] + np.arange(h)  # (T, H)
        cols = (s - offsets[:, 1])[:, None] + np.arange(w)  # (T, W)
        out = padded[np.arange(t)[:, None, None], rows[:, :, None],
                     cols[:, None, :]]
        results['imgs'] = unstack_frames(out, was_array)
        return results

    def __repr__(self) -> str:
        return (f'{type(self).__name__}(max_shift={self.max_shift}, '
                f'p={self.p})')
