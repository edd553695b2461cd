"""TDL's temporal consistent augmentation (intra-video mixup)."""
from typing import Dict, Optional, Sequence

import numpy as np
from mmcv.transforms import BaseTransform
from mmcv.transforms.utils import cache_randomness

from mmssl.registry import TRANSFORMS
from .color import _check_p, cast_like


@TRANSFORMS.register_module()
class IntraClipMixup(BaseTransform):
    """Blend every frame of a clip with one static frame of the same clip.

    Temporal Consistent Augmentation (TCA) of Wang et al., "Self-supervised
    Temporal Discriminative Learning for Video Representation Learning",
    arXiv:2008.02129, 2020 (the authors' ``SpatialMixup`` "version 2",
    intra-video mixup)::

        x'_t = (1 - lam) * x_t + lam * x_s,   lam ~ U(0, alpha),
                                              s ~ U{0, ..., clip_len - 1}

    The added static frame has zero time derivative, so every temporal
    derivative of the clip is only scaled by ``1 - lam``: appearance is
    perturbed, motion is kept. The authors apply it to the anchor only
    (``alpha = 0.1``) after normalisation; the map is affine, so applying
    it to the raw frames is the same up to rounding.

    One ``(lam, s)`` draw per listed clip, shared by the clip's frames;
    other clips are untouched. Vectorised over the clip's frames.

    Required Keys: ``imgs``, ``num_clips``, ``clip_len``.
    Modified Keys: ``imgs`` (same container type and dtype).
    Added Keys: ``intra_mixup``: one ``(lam, s)`` tuple (or ``None`` when
    not applied) per listed clip.

    Args:
        alpha (float): Upper bound of ``lam`` (in ``[0, 1]``). Defaults to
            0.1 (authors' code).
        clips (Sequence[int]): Clips to augment. Defaults to ``(0,)`` (the
            anchor of :class:`TDLSampleTriplet`).
        p (float): Probability of applying it per clip. Defaults to 1.
    """

    def __init__(self,
                 alpha: float = 0.1,
                 clips: Sequence[int] = (0, ),
                 p: float = 1.0) -> None:
        if not 0.0 <= alpha <= 1.0:
            raise ValueError(f'alpha must be in [0, 1], got {alpha}')
        self.alpha = float(alpha)
        self.clips = tuple(int(c) for c in clips)
        self.p = _check_p(p)

    @cache_randomness
    def _draw(self, clip_len: int) -> Optional[tuple]:
        if np.random.rand() >= self.p:
            return None
        lam = float(np.random.uniform(0.0, self.alpha))
        return lam, int(np.random.randint(clip_len))

    def transform(self, results: Dict) -> Dict:
        imgs = results['imgs']
        num_clips, clip_len = int(results['num_clips']), int(
            results['clip_len'])
        if len(imgs) != num_clips * clip_len:
            raise ValueError(f"IntraClipMixup: results['imgs'] holds "
                             f'{len(imgs)} frames, num_clips * clip_len = '
                             f'{num_clips * clip_len}')
        bad = [c for c in self.clips if not 0 <= c < num_clips]
        if bad:
            raise ValueError(f'IntraClipMixup: clips {bad} out of range for '
                             f'num_clips={num_clips}')
        was_array = isinstance(imgs, np.ndarray)
        out = list(imgs)
        draws = []
        for c in self.clips:
            draw = self._draw(clip_len)
            draws.append(draw)
            if draw is None:
                continue
            lam, s = draw
            clip = np.stack(out[c * clip_len:(c + 1) * clip_len])
            mixed = (1.0 - lam) * clip.astype(np.float32) + \
                lam * clip[s].astype(np.float32)
            out[c * clip_len:(c + 1) * clip_len] = list(
                cast_like(mixed, clip.dtype))
        results['imgs'] = np.stack(out) if was_array else out
        results['intra_mixup'] = draws
        return results

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}(alpha={self.alpha}, '
                f'clips={self.clips}, p={self.p})')
