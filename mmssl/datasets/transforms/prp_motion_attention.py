"""PRP's original motion attention: Gaussian maps from raw 16-frame segments.

Yao et al., "Video Playback Rate Perception for Self-supervised
Spatio-Temporal Representation Learning", CVPR 2020, generative branch. In
the authors' loader (``datasets/predict_dataset.py`` and
``datasets/patch_region.py`` of yuanyao366/PRP) a sample at dilation ``s``
reads ``16 s`` consecutive raw frames. For every 16-frame segment ``i`` of
them, frames ``0, 5, 10, 15`` give a motion score per 28x28 patch (stride 7
on 112x112 frames): the sum of the MSEs between consecutive chosen frames.
A Gaussian (sigma 14 px) centred on the highest-scoring patch (the last one
on ties), min-max scaled onto ``[0.8, 2.0]``, weighs the reconstruction loss
of the target frames that lie in segment ``i``.

Two transforms do this in mmssl's pipeline, around the spatial
augmentation, so that the maps see the same crop and flip as the clip:

- :class:`PRPMotionFrames` (after :class:`PRPSampleClip`) appends the
  segments' frame indices to ``frame_inds``; :class:`DecordDecodeUnion`
  decodes the union once;
- :class:`PRPMotionAttention` (after crop/flip, before colour jitter and
  ``FormatShape``) removes those frames again and writes ``motion_weight``
  ``(2 * clip_len, H, W)``, one map per reconstruction target frame.
"""
from typing import Dict, Optional, Sequence, Tuple

import numpy as np
from mmcv.transforms import BaseTransform

from mmssl.registry import TRANSFORMS
from .color import stack_frames


def segment_offsets(segment_len: int, num_frames: int = 4) -> np.ndarray:
    """``num_frames`` evenly spread offsets in a segment (``0, 5, 10, 15``
    for 16)."""
    return np.rint(np.linspace(0, segment_len - 1, num_frames)).astype(int)


def target_segments(clip_len: int, rate: int, segment_len: int) -> np.ndarray:
    """Raw segment of each interleaved reconstruction target frame.

    Target ``j`` (``2 * clip_len`` of them: sampled frame ``k`` at ``2k``,
    skipped frame ``k`` at ``2k + 1``) lies ``j * rate // 2`` raw frames
    after the clip start (``j // 2`` at ``rate = 1``), in segment
    ``offset // segment_len``.
    """
    j = np.arange(2 * clip_len)
    offset = j // 2 if rate == 1 else j * rate // 2
    return offset // segment_len


def gaussian_motion_map(frames: np.ndarray,
                        patch_frac: float = 0.25,
                        low: float = 0.8,
                        high: float = 2.0) -> Tuple[np.ndarray, Tuple[int,
                                                                      int]]:
    """One motion-attention map from the chosen frames of a segment.

    Args:
        frames (np.ndarray): ``(F, H, W, C)``, ``F >= 2`` (PRP: 4 frames).
        patch_frac (float): Patch side as a fraction of the frame side
            (28 / 112); the stride is a quarter patch (7 px).
        low, high (float): Range of the map (PRP: 0.8, 2.0).

    Returns:
        tuple: ``(H, W)`` float32 map and the top-left ``(y, x)`` of the
        most moving patch.
    """
    frames = frames.astype(np.float64)
    _, height, width, channels = frames.shape
    ph = max(1, int(round(patch_frac * height)))
    pw = max(1, int(round(patch_frac * width)))
    sy, sx = max(1, ph // 4), max(1, pw // 4)
    # per pixel: sum over consecutive pairs of the channel-summed sq. error
    energy = ((frames[1:] - frames[:-1])**2).sum(axis=(0, 3))
    integral = np.pad(energy.cumsum(0).cumsum(1), ((1, 0), (1, 0)))
    ys = np.arange(0, height - ph + 1, sy)
    xs = np.arange(0, width - pw + 1, sx)
    sums = (integral[ys[:, None] + ph, xs[None] + pw] -
            integral[ys[:, None], xs[None] + pw] -
            integral[ys[:, None] + ph, xs[None]] + integral[ys[:, None],
                                                             xs[None]])
    scores = sums / (channels * ph * pw)  # sum of per-pair patch MSEs
    flat = scores.ravel()
    best = flat.size - 1 - int(np.argmax(flat[::-1]))  # last max (>=)
    y0, x0 = int(ys[best // len(xs)]), int(xs[best % len(xs)])
    gy = np.exp(-0.5 * ((np.arange(height) - (y0 + ph / 2)) / (ph / 2))**2)
    gx = np.exp(-0.5 * ((np.arange(width) - (x0 + pw / 2)) / (pw / 2))**2)
    gauss = np.outer(gy, gx)
    span = gauss.max() - gauss.min()
    scaled = (gauss - gauss.min()) / span if span > 0 else np.zeros_like(
        gauss)
    return (low + (high - low) * scaled).astype(np.float32), (y0, x0)


@TRANSFORMS.register_module()
class PRPMotionFrames(BaseTransform):
    """Append the motion-attention frames of every raw segment.

    Place right after :class:`PRPSampleClip`. The clip starts at
    ``t0 = frame_inds[0]`` and spans ``rate`` segments of ``segment_len``
    raw frames; segment ``i`` contributes ``t0 + i * segment_len +
    offsets``, wrapped into the video like the sampler's ``'loop'`` rule.

    Required Keys: ``frame_inds``, ``playback_rate``, ``clip_len``,
    ``total_frames``.

    Modified Keys: ``frame_inds`` (``rate * len(offsets)`` indices appended).

    Added Keys: ``motion_frame_count``, ``motion_segment_len``.

    Args:
        segment_len (int, optional): Raw frames per segment. Defaults to
            ``clip_len`` (PRP: 16).
        offsets (Sequence[int], optional): Frames of a segment that are
            compared. Defaults to 4 evenly spread ones (``0, 5, 10, 15`` for
            16, PRP's).
    """

    def __init__(self,
                 segment_len: Optional[int] = None,
                 offsets: Optional[Sequence[int]] = None) -> None:
        self.segment_len = segment_len
        self.offsets = None if offsets is None else np.asarray(offsets, int)
        if self.offsets is not None and len(self.offsets) < 2:
            raise ValueError(f'offsets needs >= 2 frames, got {offsets}')

    def transform(self, results: Dict) -> Dict:
        seg = int(self.segment_len or results['clip_len'])
        offsets = segment_offsets(seg) if self.offsets is None else \
            self.offsets
        if offsets.min() < 0 or offsets.max() >= seg:
            raise ValueError(f'offsets {offsets.tolist()} outside a segment '
                             f'of {seg} frames')
        rate = int(results['playback_rate'])
        inds = np.asarray(results['frame_inds']).reshape(-1)
        starts = inds[0] + seg * np.arange(rate)
        extra = (starts[:, None] + offsets[None]).reshape(-1) % int(
            results['total_frames'])
        results['frame_inds'] = np.concatenate([inds, extra])
        results['motion_frame_count'] = len(extra)
        results['motion_segment_len'] = seg
        return results

    def __repr__(self) -> str:
        return (f'{type(self).__name__}(segment_len={self.segment_len}, '
                f'offsets={self.offsets})')


@TRANSFORMS.register_module()
class PRPMotionAttention(BaseTransform):
    """Turn the appended segment frames into per-target motion weights.

    Place after the spatial augmentation (crop, flip) and before colour
    jitter and ``FormatShape``. Pack ``motion_weight`` with
    ``PackSSLInputs(target_keys=(..., 'motion_weight'))``; :class:`PRP`
    then weighs the reconstruction loss with it.

    Required Keys: ``imgs``, ``motion_frame_count``, ``motion_segment_len``,
    ``playback_rate``, ``clip_len``.

    Modified Keys: ``imgs`` (the appended frames removed).

    Added Keys: ``motion_weight`` (float32 ``(2 * clip_len, H, W)``),
    ``motion_peaks`` (top-left ``(y, x)`` of each segment's patch).

    Args:
        patch_frac (float): Patch side / frame side. Defaults to 0.25.
        low, high (float): Map range. Defaults to 0.8, 2.0 (PRP).
    """

    def __init__(self,
                 patch_frac: float = 0.25,
                 low: float = 0.8,
                 high: float = 2.0) -> None:
        self.patch_frac = float(patch_frac)
        self.low, self.high = float(low), float(high)

    def transform(self, results: Dict) -> Dict:
        count = int(results.pop('motion_frame_count'))
        seg = int(results.pop('motion_segment_len'))
        rate = int(results['playback_rate'])
        clip_len = int(results['clip_len'])
        imgs = results['imgs']
        if count % rate or len(imgs) <= count:
            raise ValueError(f'PRPMotionAttention: {len(imgs)} frames with '
                             f'{count} motion frames at rate {rate}; put it '
                             'after PRPMotionFrames and DecordDecodeUnion')
        motion, _ = stack_frames(list(imgs[len(imgs) - count:]))
        results['imgs'] = imgs[:len(imgs) - count]
        per_seg = count // rate
        maps, peaks = [], []
        for i in range(rate):
            m, peak = gaussian_motion_map(
                motion[i * per_seg:(i + 1) * per_seg], self.patch_frac,
                self.low, self.high)
            maps.append(m)
            peaks.append(peak)
        segments = target_segments(clip_len, rate, seg)
        results['motion_weight'] = np.stack(maps)[segments]
        results['motion_peaks'] = peaks
        return results

    def __repr__(self) -> str:
        return (f'{type(self).__name__}(patch_frac={self.patch_frac}, '
                f'low={self.low}, high={self.high})')
