"""Batched per-clip photometric augmentations (torch, any device).

GPU counterparts of :mod:`mmssl.datasets.transforms.color`
(``ClipColorJitter``, ``ClipGrayscale``, ``ClipGamma``): same parameter
ranges, same maths (BT.601 luma, contrast towards the clip's mean luma,
hue rotated in float HSV, clip to [0, 255] after each op), one draw per
clip. Differences: torch's RNG instead of numpy's, and no rounding to
uint8 (the CPU transforms round once at the end; here values stay float,
so outputs differ from the CPU ones by at most 0.5 plus float error).
"""
from typing import Sequence, Union

import torch

from mmssl.datasets.transforms.color import (_LUMA, _check_pair,
                                             _factor_range)
from mmssl.registry import MODELS
from .batch_ops import (BatchClipAugment, Params, on_selected, per_clip,
                        uniform, update_selected_)

Range = Union[float, Sequence[float]]


def clip_luma(clips: torch.Tensor) -> torch.Tensor:
    """``(n, 3, T, H, W)`` RGB -> ``(n, T, H, W)`` BT.601 luma."""
    if clips.size(1) != 3:
        raise ValueError('batch colour augmentations need RGB clips (C=3), '
                         f'got shape {tuple(clips.shape)}')
    w = [float(v) for v in _LUMA]
    return clips[:, 0] * w[0] + clips[:, 1] * w[1] + clips[:, 2] * w[2]


def rotate_hue(clips: torch.Tensor, shift: torch.Tensor) -> torch.Tensor:
    """Rotate the hue of RGB clips by ``shift`` turns, one shift per clip.

    RGB -> HSV (hue in degrees, as OpenCV's float conversion) -> shifted
    hue wrapped to [0, 360) -> RGB; saturation and value are unchanged, so
    the result is ``max - (max - min) * clamp(min(k, 4 - k), 0, 1)`` per
    channel with ``k = (n + hue / 60) mod 6``, ``n = 5, 3, 1`` for R, G, B.

    Args:
        clips (Tensor): ``(n, 3, T, H, W)`` in [0, 255].
        shift (Tensor): ``(n,)`` hue shifts in turns.

    Returns:
        Tensor: ``(n, 3, T, H, W)``.
    """
    r, g, b = clips.unbind(1)
    maxc = torch.maximum(torch.maximum(r, g), b)
    delta = maxc - torch.minimum(torch.minimum(r, g), b)
    # grey pixels (delta 0): r == g == b, so the first branch gives hue 0
    safe = torch.where(delta > 0, delta, torch.ones_like(delta))
    hue = torch.where(
        maxc == r, (g - b) / safe,
        torch.where(maxc == g, 2.0 + (b - r) / safe, 4.0 + (r - g) / safe))
    # hue in sixths of a turn; the mod 6 below wraps it
    hue += per_clip(shift, 4).to(hue.dtype) * 6.0
    out = []
    for n in (5.0, 3.0, 1.0):
        k = torch.remainder(hue + n, 6.0)
        k = torch.minimum(k, 4.0 - k).clamp_(0.0, 1.0)
        out.append(maxc - delta * k)
    return torch.stack(out, dim=1)


@MODELS.register_module()
class BatchClipColorJitter(BatchClipAugment):
    """Batched :class:`~mmssl.datasets.transforms.ClipColorJitter`.

    With probability ``p`` per clip, brightness, contrast, saturation and
    hue are adjusted in a random order drawn per clip; factors constant over
    the clip's frames. Vectorised over clips: a loop over the 4 positions x
    4 ops, each op run on the clips that take it at that position.

    Args:
        brightness, contrast, saturation (float | tuple): factor range; a
            number ``v`` means ``[max(0, 1 - v), 1 + v]``. 0/None disables.
        hue (float | tuple): shift range in turns; ``v`` means ``[-v, v]``.
        p (float): probability of jittering a clip. Default 0.8.
    """

    OPS = ('brightness', 'contrast', 'saturation', 'hue')

    def __init__(self,
                 brightness: Range = 0.4,
                 contrast: Range = 0.4,
                 saturation: Range = 0.4,
                 hue: Range = 0.1,
                 p: float = 0.8) -> None:
        super().__init__(p)
        inf = float('inf')
        self.ranges = {
            n: _factor_range(v, n, 1., 0., inf)
            for n, v in zip(self.OPS[:3], (brightness, contrast, saturation))
        }
        self.ranges['hue'] = _factor_range(hue, 'hue', 0., -0.5, 0.5)

    def draw(self, n, device, generator=None) -> Params:
        """``apply`` (n,) bool, ``order`` (n, 4) op indices into
        :attr:`OPS`, one (n,) factor tensor per op (``None`` if disabled)."""
        params = dict(apply=self.draw_mask(n, device, generator))
        params['order'] = torch.rand(
            n, 4, device=device, generator=generator).argsort(dim=1)
        for name in self.OPS:
            rng = self.ranges[name]
            params[name] = None if rng is None else uniform(
                *rng, n, device, generator)
        return params

    @staticmethod
    def _op(name: str, x: torch.Tensor, f: torch.Tensor) -> torch.Tensor:
        """One op on a fresh copy ``x`` (worked in place), clipped."""
        if name == 'hue':
            return rotate_hue(x, f).clamp_(0.0, 255.0)
        f = per_clip(f)
        if name == 'brightness':
            return x.mul_(f).clamp_(0.0, 255.0)
        if name == 'contrast':
            grey = per_clip(clip_luma(x).mean(dim=(1, 2, 3)))
        else:  # saturation
            grey = clip_luma(x).unsqueeze(1)
        return x.mul_(f).add_((1.0 - f) * grey).clamp_(0.0, 255.0)

    def apply_params(self, clips: torch.Tensor,
                     params: Params) -> torch.Tensor:
        clip_luma(clips[:0])  # RGB check
        out = clips.clone()
        for pos in range(4):
            for index, name in enumerate(self.OPS):
                f = params[name]
                if f is None:
                    continue
                take = params['apply'] & (params['order'][:, pos] == index)
                update_selected_(
                    out, take, lambda x, idx, name=name, f=f: self._op(
                        name, x, f.index_select(0, idx).to(x.dtype)))
        return out

    def extra_repr(self) -> str:
        args = ', '.join(f'{k}={v}' for k, v in self.ranges.items())
        return f'{args}, p={self.p}'


@MODELS.register_module()
class BatchClipGrayscale(BatchClipAugment):
    """Batched :class:`~mmssl.datasets.transforms.ClipGrayscale`: with
    probability ``p`` per clip, 3 identical BT.601 luma channels.

    Args:
        p (float): probability of converting a clip. Default 0.2.
    """

    def __init__(self, p: float = 0.2) -> None:
        super().__init__(p)

    def draw(self, n, device, generator=None) -> Params:
        """``apply`` (n,) bool."""
        return dict(apply=self.draw_mask(n, device, generator))

    def apply_params(self, clips: torch.Tensor,
                     params: Params) -> torch.Tensor:
        clip_luma(clips[:0])  # RGB check
        return on_selected(
            clips, params['apply'],
            lambda x, idx: clip_luma(x).unsqueeze(1).expand_as(x))


@MODELS.register_module()
class BatchClipGamma(BatchClipAugment):
    """Batched :class:`~mmssl.datasets.transforms.ClipGamma`:
    ``255 * gain * (x / 255) ** gamma``, one gamma per clip, clipped to
    [0, 255].

    Args:
        gamma (tuple[float]): gamma range, > 0. Default (0.7, 1.3).
        gain (float): multiplicative gain. Default 1.
        p (float): probability of applying to a clip. Default 0.5.
    """

    def __init__(self,
                 gamma: Sequence[float] = (0.7, 1.3),
                 gain: float = 1.0,
                 p: float = 0.5) -> None:
        super().__init__(p)
        self.gamma = _check_pair(gamma, 'gamma')
        self.gain = float(gain)

    def draw(self, n, device, generator=None) -> Params:
        """``apply`` (n,) bool and ``gamma`` (n,)."""
        return dict(
            apply=self.draw_mask(n, device, generator),
            gamma=uniform(*self.gamma, n, device, generator))

    def apply_params(self, clips: torch.Tensor,
                     params: Params) -> torch.Tensor:
        def gamma(x, idx):
            g = per_clip(params['gamma'].index_select(0, idx).to(x.dtype))
            x = x.clamp_(0.0, 255.0).div_(255.0).pow_(g)
            return x.mul_(255.0 * self.gain).clamp_(0.0, 255.0)

        return on_selected(clips, params['apply'], gamma)

    def extra_repr(self) -> str:
        return f'gamma={self.gamma}, gain={self.gain}, p={self.p}'


__all__ = ['BatchClipColorJitter', 'BatchClipGrayscale', 'BatchClipGamma']
