"""TDL's temporal triplets: anchor, positive (same interval), negative."""
from typing import Dict, Optional

import numpy as np

from mmssl.registry import TRANSFORMS
from .sampling import BaseMultiClipSampler, fit_indices_to_video


@TRANSFORMS.register_module()
class TDLSampleTriplet(BaseMultiClipSampler):
    """Temporal triplet of one video (anchor, positive, negative).

    Wang, Lin, Ma, Yuen, "Self-supervised Temporal Discriminative Learning
    for Video Representation Learning", arXiv:2008.02129, 2020: the anchor
    and the positive are the *same temporal interval* (the same frames; they
    differ by their spatial augmentation and the anchor's temporal
    consistent augmentation), the negative is *another interval of the same
    video*. With ``S = total_frames - span + 1`` valid starts
    (``span = (clip_len - 1) * frame_interval + 1``):

    - anchor start ``a`` uniform in ``[0, S)``;
    - negative start uniform over the starts ``s`` with
      ``|s - a| >= min_gap``; if there is none, the valid start farthest
      from ``a`` (ties: the earlier one).

    ``min_gap=None`` (default) means ``span``: the negative never overlaps
    the anchor ("a different time interval"). The authors' code uses 2
    frames (``min_gap=2``). Videos shorter than one clip: all three clips
    are the whole video fitted with ``short_video_mode`` (the negative then
    equals the anchor; ``negative_offset`` is 0).

    Required Keys:

        - total_frames

    Added Keys:

        - frame_inds (np.ndarray): ``3 * clip_len`` indices, in the order
          anchor, positive, negative.
        - clip_len, num_clips (= 3), frame_interval
        - clip_starts (np.ndarray): ``(3,)`` start frames.
        - negative_offset (int): negative start minus anchor start.

    Args:
        clip_len (int): Frames per clip. Defaults to 16.
        frame_interval (int): Temporal stride. Defaults to 4 (authors'
            pretraining script: 16 frames at stride 4).
        min_gap (int, optional): Minimum start distance of the negative.
        short_video_mode (str): See :func:`fit_indices_to_video`.
        test_mode (bool): Anchor centred, negative the farthest start.
    """

    def __init__(self,
                 clip_len: int = 16,
                 frame_interval: int = 4,
                 min_gap: Optional[int] = None,
                 short_video_mode: str = 'resample',
                 test_mode: bool = False) -> None:
        super().__init__(clip_len, 3, short_video_mode, test_mode)
        if frame_interval < 1:
            raise ValueError(f'frame_interval must be >= 1, got '
                             f'{frame_interval}')
        if min_gap is not None and min_gap < 1:
            raise ValueError(f'min_gap must be >= 1 or None, got {min_gap}')
        self.frame_interval = frame_interval
        self.span = (clip_len - 1) * frame_interval + 1
        self.min_gap = self.span if min_gap is None else min_gap

    def sample_starts(self, total_frames: int) -> np.ndarray:
        """Starts ``(3,)`` of anchor, positive and negative."""
        num_starts = total_frames - self.span + 1
        if num_starts < 1:
            return np.zeros(3, dtype=np.int64)
        if self.test_mode:
            anchor = (num_starts - 1) // 2
        else:
            anchor = int(np.random.randint(num_starts))
        candidates = np.arange(num_starts)
        allowed = candidates[np.abs(candidates - anchor) >= self.min_gap]
        if allowed.size == 0 or self.test_mode:
            negative = 0 if anchor >= num_starts - 1 - anchor else \
                num_starts - 1
        else:
            negative = int(allowed[np.random.randint(allowed.size)])
        return np.array([anchor, anchor, negative], dtype=np.int64)

    def transform(self, results: Dict) -> Dict:
        """Sample the triplet."""
        total = int(results['total_frames'])
        starts = self.sample_starts(total)
        steps = np.arange(self.clip_len) * self.frame_interval
        if total < self.span:
            clip = fit_indices_to_video(steps, self.span, total,
                                        self.short_video_mode)
            inds = np.stack([clip] * 3)
        else:
            inds = starts[:, None] + steps[None, :]
        results['clip_starts'] = starts
        results['negative_offset'] = int(starts[2] - starts[0])
        return self._write(results, inds, self.frame_interval)

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}(clip_len={self.clip_len}, '
                f'frame_interval={self.frame_interval}, '
                f'min_gap={self.min_gap}, '
                f'short_video_mode={self.short_video_mode!r}, '
                f'test_mode={self.test_mode})')
