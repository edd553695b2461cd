"""Clip-consistent photometric augmentations (numpy / OpenCV).

Each transform draws ONE random parameter set per call and applies it to all
frames of ``results['imgs']`` (inside ``PerClipTransform``: one draw per
clip), vectorised over a stacked ``(T, H, W, C)`` array. Values are assumed in
[0, 255]; output dtype = input dtype. Randomness: numpy's global RNG, as in
MMAction2, so MMEngine's seeding makes runs reproducible.
"""
import numbers
from typing import Optional, Sequence, Tuple, Union

import cv2
import numpy as np
from mmcv.transforms import BaseTransform
from mmcv.transforms.utils import cache_randomness

from mmssl.registry import TRANSFORMS

__all__ = ['ClipColorJitter', 'ClipGrayscale', 'ClipGaussianBlur', 'ClipGamma']

# ITU-R BT.601 luma weights (OpenCV's RGB2GRAY; torchvision uses 0.2989).
_LUMA = np.array([0.299, 0.587, 0.114], dtype=np.float32)
_CV_MAX_CHANNELS = 512  # OpenCV's CV_CN_MAX


def stack_frames(imgs) -> Tuple[np.ndarray, bool]:
    """Return ``imgs`` as a ``(T, H, W, C)`` array and whether it was one."""
    was_array = isinstance(imgs, np.ndarray)
    arr = imgs if was_array else np.stack(imgs, axis=0)
    if arr.ndim != 4:
        raise ValueError(f'expected (H, W, C) frames, got {arr.shape}')
    return arr, was_array


def unstack_frames(arr: np.ndarray, was_array: bool):
    """Inverse of :func:`stack_frames` (list in -> list out)."""
    return arr if was_array else list(arr)


def cast_like(x: np.ndarray, dtype) -> np.ndarray:
    """Round and clip float results back to an integer ``dtype``."""
    dtype = np.dtype(dtype)
    if np.issubdtype(dtype, np.integer):
        info = np.iinfo(dtype)
        return np.clip(np.rint(x), info.min, info.max).astype(dtype)
    return x.astype(dtype, copy=False)


def _check_rgb(arr: np.ndarray, name: str) -> None:
    if arr.shape[-1] != 3:
        raise ValueError(f'{name} needs RGB frames, got {arr.shape[1:]}')


def _check_p(p: float) -> float:
    if not 0.0 <= float(p) <= 1.0:
        raise ValueError(f'p must be in [0, 1], got {p}')
    return float(p)


def _check_pair(value, name: str) -> Tuple[float, float]:
    if isinstance(value, numbers.Number):
        value = (value, value)
    if not (len(value) == 2 and 0 < value[0] <= value[1]):
        raise ValueError(f'{name} must be a positive (min, max), got {value}')
    return float(value[0]), float(value[1])


def _factor_range(value, name: str, center: float, low: float,
                  high: float) -> Optional[Tuple[float, float]]:
    """torchvision-style range: a number ``v`` means ``[c - v, c + v]``."""
    if value is None:
        return None
    if isinstance(value, numbers.Number):
        if value < 0:
            raise ValueError(f'{name} must be non-negative, got {value}')
        rng = (max(low, center - value), min(high, center + value))
    else:
        rng = tuple(float(v) for v in value)
        if not (len(rng) == 2 and low <= rng[0] <= rng[1] <= high):
            raise ValueError(f'{name} must be a number or a (min, max) in '
                             f'[{low}, {high}], got {value!r}')
    return None if rng[0] == rng[1] == center else rng


def rgb_to_gray(x: np.ndarray) -> np.ndarray:
    """``(..., 3)`` RGB -> ``(...)`` float32 luma."""
    return x.astype(np.float32, copy=False) @ _LUMA


def _shift_hue(x: np.ndarray, shift: float) -> np.ndarray:
    """Rotate the hue of float RGB ``(T, H, W, 3)`` by ``shift`` turns
    (torchvision's ``hue_factor``) in float HSV (no 8-bit hue steps)."""
    t, h, w, _ = x.shape
    flat = np.ascontiguousarray(x.reshape(t * h, w, 3) / 255.0,
                                dtype=np.float32)
    hsv = cv2.cvtColor(flat, cv2.COLOR_RGB2HSV)  # H in [0, 360)
    hue = hsv[..., 0]
    hue += shift * 360.0
    hue -= 360.0 * np.floor(hue / 360.0)  # wrap to [0, 360); np.mod is slow
    rgb = cv2.cvtColor(hsv, cv2.COLOR_HSV2RGB)
    return rgb.reshape(t, h, w, 3) * 255.0


@TRANSFORMS.register_module()
class ClipColorJitter(BaseTransform):
    """Colour jitter with one random draw for all frames it receives.

    torchvision ``RandomApply([ColorJitter], p)`` as in SimCLR/CVRL (Qian
    et al., CVPR 2021) and TCLR (paper 001 Sec. 4.2.2): with probability
    ``p``, brightness, contrast, saturation and hue are adjusted in a random
    order drawn per call. Contrast blends towards the mean luma of all
    received frames (one intensity map per clip: no added flicker). Float
    intermediates, clipped to [0, 255] after each op, rounded once. Unlike
    MMAction2's ``ColorJitter`` (order fixed at construction, no ``p``,
    8-bit hue that overflows for negative hue under numpy 2).

    Required Keys: ``imgs``. Modified Keys: ``imgs``.
    Added Keys: ``color_jitter`` (``None`` if not applied, else a dict with
    ``order`` and the drawn ``brightness``/``contrast``/``saturation``/``hue``
    factors; a disabled op has factor ``None``).

    Args:
        brightness, contrast, saturation (float | tuple): factor range; a
            number ``v`` means ``[max(0, 1 - v), 1 + v]``. 0/None disables.
        hue (float | tuple): shift range in turns; ``v`` means ``[-v, v]``,
            within [-0.5, 0.5]. 0/None disables.
        p (float): probability of applying the jitter at all. Default 0.8.
    """

    _OPS = ('brightness', 'contrast', 'saturation', 'hue')

    def __init__(self,
                 brightness: Union[float, Sequence[float]] = 0.4,
                 contrast: Union[float, Sequence[float]] = 0.4,
                 saturation: Union[float, Sequence[float]] = 0.4,
                 hue: Union[float, Sequence[float]] = 0.1,
                 p: float = 0.8) -> None:
        inf, values = float('inf'), (brightness, contrast, saturation)
        self.ranges = {
            n: _factor_range(v, n, 1., 0., inf)
            for n, v in zip(self._OPS, values)
        }
        self.ranges['hue'] = _factor_range(hue, 'hue', 0., -0.5, 0.5)
        self.p = _check_p(p)

    @cache_randomness
    def _draw(self) -> Optional[dict]:
        if np.random.rand() >= self.p:
            return None
        order = [int(i) for i in np.random.permutation(4)]
        params = dict(order=[self._OPS[i] for i in order])
        for name in self._OPS:
            rng = self.ranges[name]
            params[name] = None if rng is None else float(
                np.random.uniform(*rng))
        return params

    def transform(self, results: dict) -> dict:
        params = self._draw()
        results['color_jitter'] = params
        if params is None:
            return results
        arr, was_array = stack_frames(results['imgs'])
        _check_rgb(arr, 'ClipColorJitter')
        x = arr.astype(np.float32)
        for name in params['order']:
            f = params[name]
            if f is None:
                continue
            if name == 'brightness':
                x *= f
            elif name == 'contrast':
                x = f * x + (1.0 - f) * float(rgb_to_gray(x).mean())
            elif name == 'saturation':
                x = f * x + (1.0 - f) * rgb_to_gray(x)[..., None]
            else:
                x = _shift_hue(x, f)
            np.clip(x, 0.0, 255.0, out=x)
        results['imgs'] = unstack_frames(cast_like(x, arr.dtype), was_array)
        return results

    def __repr__(self) -> str:
        args = ', '.join(f'{k}={v}' for k, v in self.ranges.items())
        return f'{self.__class__.__name__}({args}, p={self.p})'


@TRANSFORMS.register_module()
class ClipGrayscale(BaseTransform):
    """Random grayscale, decided once for all frames it receives.

    SimCLR/CVRL ``RandomGrayscale(p=0.2)``; TCLR (paper 001 Sec. 4.2.2).
    Output keeps 3 identical channels (BT.601 luma).

    Required Keys: ``imgs``. Modified Keys: ``imgs``.
    Added Keys: ``grayscale`` (bool).

    Args:
        p (float): probability of converting. Default 0.2.
    """

    def __init__(self, p: float = 0.2) -> None:
        self.p = _check_p(p)

    @cache_randomness
    def _draw(self) -> bool:
        return bool(np.random.rand() < self.p)

    def transform(self, results: dict) -> dict:
        apply = self._draw()
        results['grayscale'] = apply
        if apply:
            arr, was_array = stack_frames(results['imgs'])
            _check_rgb(arr, 'ClipGrayscale')
            gray = cast_like(rgb_to_gray(arr), arr.dtype)
            out = np.repeat(gray[..., None], 3, axis=-1)
            results['imgs'] = unstack_frames(out, was_array)
        return results

    def __repr__(self) -> str:
        return f'{self.__class__.__name__}(p={self.p})'


@TRANSFORMS.register_module()
class ClipGaussianBlur(BaseTransform):
    """Gaussian blur with one random sigma for all frames it receives.

    SimCLR-style blur (sigma ~ U(0.1, 2.0), p=0.5), used by SimCLR-derived
    video pipelines (CVRL) and the STCLR pretext (paper 001 Sec. 4.2.1).
    Spatial only, one OpenCV call over ``(H, W, T*C)``, reflect-101 border.

    Required Keys: ``imgs``. Modified Keys: ``imgs``.
    Added Keys: ``blur_sigma`` (float, or ``None`` if not applied).

    Args:
        sigma (tuple[float] | float): sigma range (or a fixed sigma), pixels.
        p (float): probability of blurring. Default 0.5.
        kernel_size (int, optional): odd kernel size; ``None`` lets OpenCV
            derive it from sigma (about 6 sigma + 1 for uint8).
    """

    def __init__(self,
                 sigma: Union[float, Sequence[float]] = (0.1, 2.0),
                 p: float = 0.5,
                 kernel_size: Optional[int] = None) -> None:
        if kernel_size is not None and kernel_size % 2 == 0:
            raise ValueError(f'kernel_size must be odd, got {kernel_size}')
        self.sigma = _check_pair(sigma, 'sigma')
        self.p = _check_p(p)
        self.kernel_size = kernel_size

    @cache_randomness
    def _draw(self) -> Optional[float]:
        if np.random.rand() >= self.p:
            return None
        return float(np.random.uniform(*self.sigma))

    def transform(self, results: dict) -> dict:
        sigma = self._draw()
        results['blur_sigma'] = sigma
        if sigma is None:
            return results
        arr, was_array = stack_frames(results['imgs'])
        t, h, w, c = arr.shape
        k = self.kernel_size or 0
        planes = arr.transpose(1, 2, 0, 3).reshape(h, w, t * c)
        step = max(1, _CV_MAX_CHANNELS // c) * c
        out = np.empty_like(planes)
        for s in range(0, t * c, step):
            out[..., s:s + step] = cv2.GaussianBlur(
                np.ascontiguousarray(planes[..., s:s + step]), (k, k),
                sigmaX=sigma, sigmaY=sigma,
                borderType=cv2.BORDER_REFLECT_101).reshape(h, w, -1)
        out = out.reshape(h, w, t, c).transpose(2, 0, 1, 3)
        results['imgs'] = unstack_frames(np.ascontiguousarray(out), was_array)
        return results

    def __repr__(self) -> str:
        return f'{type(self).__name__}(sigma={self.sigma}, p={self.p})'


@TRANSFORMS.register_module()
class ClipGamma(BaseTransform):
    """Gamma adjustment with one random gamma for all frames it receives.

    ``out = 255 * gain * (in / 255) ** gamma`` (torchvision
    ``adjust_gamma``; a 256-entry LUT for uint8). Paper 002 lists gamma
    (with grayscale) as CVRL's extra augmentation; TCLR applies gamma in
    [0.75, 1.25] after grayscale.

    Required Keys: ``imgs``. Modified Keys: ``imgs``.
    Added Keys: ``gamma`` (float, or ``None`` if not applied).

    Args:
        gamma (tuple[float]): gamma range, > 0. Default (0.7, 1.3).
        gain (float): multiplicative gain. Default 1.
        p (float): probability of applying. Default 0.5.
    """

    def __init__(self,
                 gamma: Sequence[float] = (0.7, 1.3),
                 gain: float = 1.0,
                 p: float = 0.5) -> None:
        self.gamma = _check_pair(gamma, 'gamma')
        self.gain = float(gain)
        self.p = _check_p(p)

    @cache_randomness
    def _draw(self) -> Optional[float]:
        if np.random.rand() >= self.p:
            return None
        return float(np.random.uniform(*self.gamma))

    def transform(self, results: dict) -> dict:
        g = self._draw()
        results['gamma'] = g
        if g is None:
            return results
        arr, was_array = stack_frames(results['imgs'])
        if arr.dtype == np.uint8:
            lut = 255.0 * self.gain * (np.arange(256) / 255.0)**g
            out = cast_like(lut, np.uint8)[arr]
        else:
            x = np.clip(arr.astype(np.float32), 0.0, 255.0) / 255.0
            out = cast_like(np.clip(255.0 * self.gain * x**g, 0.0, 255.0),
                            arr.dtype)
        results['imgs'] = unstack_frames(out, was_array)
        return results

    def __repr__(self) -> str:
        return f'{type(self).__name__}(gamma={self.gamma}, p={self.p})'
