"""Per-clip augmentation: independent draws per clip, consistent in a clip.

A multi-clip sample stores ``results['imgs']`` clip after clip
(``num_clips * clip_len`` frames). MMAction2's transforms draw one parameter
set per sample, i.e. the same crop/flip/jitter for every clip.
:class:`PerClipTransform` runs a wrapped pipeline once per clip (or per group
of clips) instead. The ``Clip*`` transforms here and in :mod:`.color` draw
once per call, so every frame they receive shares the draw.
"""
from typing import Callable, Dict, List, Optional, Sequence, Union

import numpy as np
from mmcv.transforms import BaseTransform
from mmcv.transforms.utils import cache_randomness

from mmssl.registry import TRANSFORMS
from .color import (ClipColorJitter, ClipGamma, ClipGaussianBlur,
                    ClipGrayscale, _check_p, _check_pair, stack_frames,
                    unstack_frames)
from .shared_frames import needs_private_frames, writable_frames

__all__ = [
    'PerClipTransform', 'ClipCutout', 'ClipChannelDrop', 'ClipColorJitter',
    'ClipGrayscale', 'ClipGaussianBlur', 'ClipGamma'
]

# Keys PerClipTransform manages itself; never reported as per-clip params.
_OWN_KEYS = ('imgs', 'num_clips', 'clip_len', 'clip_params')


def split_clip_frames(results: Dict, owner: str, private: bool = True):
    """Check and split a multi-clip sample for a per-clip wrapper.

    Args:
        results (dict): Sample with ``imgs`` (``num_clips * clip_len``
            frames, clip after clip), ``num_clips`` and ``clip_len``.
        owner (str): Name of the calling transform, for error messages.
        private (bool): Copy the frames a clip must not write into (repeated
            memory, read-only shared frames; :func:`writable_frames`).
            False when the wrapped pipeline cannot write into its input
            (:func:`needs_private_frames`): then nothing is copied.

    Returns:
        tuple: ``(frames, base, num_clips, clip_len)``: the frames as a
        list, and the other keys of ``results`` (without the
        wrapper-managed ones).

    Raises:
        ValueError: ``imgs`` does not hold ``num_clips * clip_len`` frames.
    """
    imgs = results['imgs']
    num_clips, clip_len = int(results['num_clips']), int(results['clip_len'])
    if len(imgs) != num_clips * clip_len:
        raise ValueError(
            f"{owner}: results['imgs'] holds {len(imgs)} frames but "
            f'num_clips * clip_len = {num_clips} * {clip_len} = '
            f'{num_clips * clip_len}')
    base = {k: v for k, v in results.items() if k not in _OWN_KEYS}
    frames = list(imgs)
    return (writable_frames(frames) if private else frames), base, \
        num_clips, clip_len


def _equal(a, b) -> bool:
    try:
        return bool(np.array_equal(np.asarray(a), np.asarray(b)))
    except Exception:  # noqa: BLE001 - incomparable values differ
        return False


@TRANSFORMS.register_module()
class PerClipTransform(BaseTransform):
    """Apply a pipeline independently to each clip (or group of clips).

    Each group of ``clips_per_group`` consecutive clips (``clip_len`` frames
    each) runs through the wrapped transforms as a shallow copy of
    ``results`` holding only its frames (``num_clips = clips_per_group``), so
    it gets its own random draw (MMAction2 ``RandomResizedCrop``, ``Flip``...;
    mmssl ``Clip*``) shared by all its frames. Outputs are re-assembled in
    the original order (list in -> list out, array in -> array out). Used for
    the per-clip / per-view augmentation of VCOP, TCLR/STCLR and CVRL.
    All groups must end with the same frame size, else a ``ValueError``
    names the last size-changing transform. Lazy ops must be fused inside.

    Frames shared between clips (twins, overlapping clips; see
    :mod:`.shared_frames`) are copied before the wrapped pipeline only if
    it could write into them (an in-place op before the first ``Resize``);
    a crop-then-resize pipeline copies nothing. No two groups' outputs share
    memory.

    Required Keys: ``imgs``, ``num_clips``, ``clip_len`` (+ whatever the
    wrapped transforms require, e.g. ``img_shape``, ``modality``).

    Modified Keys: ``imgs``, ``clip_len`` (only if the wrapped transforms
    change the frame count per clip), the ``shared_keys`` (default
    ``img_shape``, must agree across groups).

    Added Keys: ``clip_params``: one dict per clip with every other key the
    wrapped transforms added or changed (``flip``, ``crop_bbox``,
    ``color_jitter``...; shared within a group). An existing list of length
    ``num_clips`` is extended, so chained wrappers accumulate. These keys
    are removed from the top level (one value can't describe every clip).

    Args:
        transforms (list[dict | callable]): configs, built with mmssl's
            ``TRANSFORMS`` (falls back to MMAction2 / MMCV), or objects.
        clips_per_group (int, optional): consecutive clips sharing one draw.
            Default: 1 (every clip independent).
        num_groups (int, optional): instead, split ``num_clips`` into this
            many equal groups of consecutive clips (``2`` = two views).
        shared_keys (sequence[str]): keys that must agree across groups,
            written back to the top level. Default: ``('img_shape',)``.
    """

    def __init__(self,
                 transforms: Union[dict, Callable, List[Union[dict,
                                                              Callable]]],
                 clips_per_group: Optional[int] = None,
                 num_groups: Optional[int] = None,
                 shared_keys: Sequence[str] = ('img_shape', )) -> None:
        if isinstance(transforms, dict) or callable(transforms):
            transforms = [transforms]
        self.transforms = []
        for t in transforms:
            if isinstance(t, dict):
                t = TRANSFORMS.build(t)
            if not callable(t):
                raise TypeError(f'transform must be a dict or callable, got '
                                f'{type(t)}')
            self.transforms.append(t)
        if clips_per_group is not None and num_groups is not None:
            raise ValueError('give clips_per_group or num_groups, not both')
        for name, v in (('clips_per_group', clips_per_group),
                        ('num_groups', num_groups)):
            if v is not None and (not isinstance(v, int) or v < 1):
                raise ValueError(f'{name} must be a positive int, got {v!r}')
        self.clips_per_group = clips_per_group
        self.num_groups = num_groups
        self.shared_keys = tuple(shared_keys)
        # copy shared frames only if a clip could write into them
        self.private_frames = needs_private_frames(self.transforms)

    def _group_size(self, num_clips: int) -> int:
        if self.num_groups is not None:
            if num_clips % self.num_groups:
                raise ValueError(f'PerClipTransform: num_clips={num_clips} is '
                                 f'not divisible by num_groups='
                                 f'{self.num_groups}')
            return num_clips // self.num_groups
        size = self.clips_per_group or 1
        if num_clips % size:
            raise ValueError(f'PerClipTransform: num_clips={num_clips} is not '
                             f'divisible by clips_per_group={size}')
        return size

    def _run(self, sub: dict):
        """Run the transforms; return (results, last size-changing index)."""
        last = -1
        for i, t in enumerate(self.transforms):
            before = np.shape(sub['imgs'][0])
            sub = t(sub)
            if sub is None:  # mmcv convention: the pipeline dropped the sample
                return None, last
            if np.shape(sub['imgs'][0]) != before:
                last = i
        if 'lazy' in sub:
            raise ValueError('PerClipTransform: lazy operations must be fused '
                             'inside the wrapper (append dict(type="Fuse"))')
        return sub, last

    def _size_error(self, shapes, lasts):
        culprit = max(lasts) if lasts else -1
        culprit = (type(self.transforms[culprit]).__name__
                   if culprit >= 0 else 'the input frames')
        raise ValueError(
            f'PerClipTransform: clips end with different frame sizes '
            f'{shapes}; last size-changing transform: {culprit}. End the '
            'wrapped pipeline with a fixed-size transform, e.g. '
            "dict(type='Resize', scale=(112, 112), keep_ratio=False).")

    def transform(self, results: Dict) -> Optional[Dict]:
        if 'lazy' in results:
            raise ValueError('PerClipTransform: fuse lazy operations (Fuse) '
                             'before the wrapper')
        imgs = results['imgs']
        frames, base, num_clips, clip_len = split_clip_frames(
            results, 'PerClipTransform', self.private_frames)
        size = self._group_size(num_clips)
        n = size * clip_len
        outs, lasts = [], []
        for s in range(0, len(frames), n):
            sub = dict(base, imgs=frames[s:s + n], num_clips=size,
                       clip_len=clip_len)
            out, last = self._run(sub)
            if out is None:
                return None
            outs.append(out)
            lasts.append(last)

        groups = [list(o['imgs']) for o in outs]
        counts = {len(g) for g in groups}
        if len(counts) != 1 or next(iter(counts)) % size:
            raise ValueError(f'PerClipTransform: wrapped transforms returned '
                             f'{[len(g) for g in groups]} frames per group of '
                             f'{size} clip(s); expected equal multiples')
        shapes = [sorted({np.shape(f) for f in g}) for g in groups]
        if any(len(s) != 1 for s in shapes) or len(
            {s[0] for s in shapes}) != 1:
            self._size_error([s[0] if len(s) == 1 else s for s in shapes],
                             lasts)
        merged = [f for g in groups for f in g]
        results['imgs'] = np.stack(merged) if isinstance(
            imgs, np.ndarray) else merged
        results['clip_len'] = len(groups[0]) // size

        for k in self.shared_keys:
            vals = [o[k] for o in outs if k in o]
            if not vals:
                continue
            if len(vals) != len(outs) or not all(
                    _equal(vals[0], v) for v in vals[1:]):
                raise ValueError(f'PerClipTransform: shared key {k!r} differs '
                                 f'across clips: {vals}')
            results[k] = vals[0]

        skip = set(_OWN_KEYS) | set(self.shared_keys)
        changed = {
            k
            for o in outs for k in o
            if k not in skip and (k not in base or o[k] is not base[k])
        }
        removed = {k for o in outs for k in base if k not in o} - skip
        new_params = []
        for o in outs:
            params = {k: o[k] for k in sorted(changed) if k in o}
            new_params.extend(dict(params) for _ in range(size))
        for k in changed | removed:
            results.pop(k, None)
        old = results.get('clip_params')
        if isinstance(old, list) and len(old) == num_clips:
            new_params = [dict(a, **b) for a, b in zip(old, new_params)]
        results['clip_params'] = new_params
        return results

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}(transforms={self.transforms}, '
                f'clips_per_group={self.clips_per_group}, '
                f'num_groups={self.num_groups})')


@TRANSFORMS.register_module()
class ClipCutout(BaseTransform):
    """Random erasing / cut-out with one box for all frames it receives.

    Random Erasing (Zhong et al., AAAI 2020) / Cutout (DeVries & Taylor,
    2017), TCLR's "random cut-out" (paper 001 Sec. 4.2.2). Box area
    ``U(scale) * H * W``, log-uniform aspect ``w/h`` in ``ratio``, fully
    inside the frame (``max_attempts`` tries, else no erase, as torchvision).
    The same box in every frame: the hole does not move in time.

    Required Keys: ``imgs``. Modified Keys: ``imgs``.
    Added Keys: ``cutout_box`` (``(x1, y1, x2, y2)`` or ``None``).

    Args:
        scale (tuple[float]): erased area fraction range. Default (0.02, 0.2).
        ratio (tuple[float]): aspect ratio (w / h) range. Default (0.3, 3.3).
        p (float): probability of erasing. Default 0.5.
        fill (float | sequence[float]): fill value (per channel); 0 = black,
            as TCLR (``erase(..., v=0)`` before normalisation).
        max_attempts (int): tries to draw a fitting box. Default 10.
    """

    def __init__(self,
                 scale: Sequence[float] = (0.02, 0.2),
                 ratio: Sequence[float] = (0.3, 3.3),
                 p: float = 0.5,
                 fill: Union[float, Sequence[float]] = 0,
                 max_attempts: int = 10) -> None:
        self.scale = _check_pair(scale, 'scale')
        self.ratio = _check_pair(ratio, 'ratio')
        if self.scale[1] > 1:
            raise ValueError(f'scale must be <= 1, got {scale}')
        self.p = _check_p(p)
        self.fill = fill
        self.max_attempts = int(max_attempts)

    @cache_randomness
    def _draw(self, h: int, w: int):
        if np.random.rand() >= self.p:
            return None
        log_r = np.log(self.ratio)
        for _ in range(self.max_attempts):
            area = np.random.uniform(*self.scale) * h * w
            r = np.exp(np.random.uniform(*log_r))
            bw = int(round(np.sqrt(area * r)))
            bh = int(round(np.sqrt(area / r)))
            if 0 < bh < h and 0 < bw < w:
                y = int(np.random.randint(0, h - bh + 1))
                x = int(np.random.randint(0, w - bw + 1))
                return (x, y, x + bw, y + bh)
        return None

    def transform(self, results: dict) -> dict:
        h, w = np.shape(results['imgs'][0])[:2]
        box = self._draw(h, w)
        results['cutout_box'] = box
        if box is not None:
            arr, was_array = stack_frames(results['imgs'])
            x1, y1, x2, y2 = box
            out = arr.copy() if was_array else arr  # stacking already copied
            out[:, y1:y2, x1:x2] = np.asarray(self.fill, dtype=arr.dtype)
            results['imgs'] = unstack_frames(out, was_array)
        return results

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}(scale={self.scale}, '
                f'ratio={self.ratio}, p={self.p}, fill={self.fill})')


@TRANSFORMS.register_module()
class ClipChannelDrop(BaseTransform):
    """Channel dropping: set one random colour channel to ``fill``.

    TCLR's "channel dropping" (paper 001 Sec. 4.2.2; the TCLR data loader
    zeroes one uniformly chosen RGB channel, with probability 0.125 and
    never together with grayscale). One channel for all frames received.

    Required Keys: ``imgs``. Modified Keys: ``imgs``.
    Added Keys: ``dropped_channel`` (int, or ``None`` if not applied).

    Args:
        p (float): probability of dropping a channel. Default 0.2.
        fill (float): value written into the dropped channel. Default 0.
    """

    def __init__(self, p: float = 0.2, fill: float = 0) -> None:
        self.p = _check_p(p)
        self.fill = fill

    @cache_randomness
    def _draw(self, num_channels: int) -> Optional[int]:
        if np.random.rand() >= self.p:
            return None
        return int(np.random.randint(num_channels))

    def transform(self, results: dict) -> dict:
        ch = self._draw(np.shape(results['imgs'][0])[-1])
        results['dropped_channel'] = ch
        if ch is not None:
            arr, was_array = stack_frames(results['imgs'])
            out = arr.copy() if was_array else arr
            out[..., ch] = self.fill
            results['imgs'] = unstack_frames(out, was_array)
        return results

    def __repr__(self) -> str:
        return f'{self.__class__.__name__}(p={self.p}, fill={self.fill})'
