"""TDL's temporal triplets: anchor, positive (same interval), negative."""
from typing import Dict, Optional

import numpy as np

from mmssl.registry import TRANSFORMS
from .sampling import BaseMultiClipSampler, clip_span


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
    frames (``min_gap=2``).

    Short videos: the frame interval drops to the largest value ``<=
    frame_interval`` that leaves at least two clip starts (so the negative is
    another interval), and ``min_gap=None`` follows the span at that
    interval; ``frame_interval`` records the value used. ``min_frames``
    defaults to ``clip_len + 1`` (two starts at interval 1).

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
        min_frames (int, optional), on_error (str): See
            :class:`BaseMultiClipSampler`.
        test_mode (bool): Anchor centred, negative the farthest start.
    """

    def __init__(self,
                 clip_len: int = 16,
                 frame_interval: int = 4,
                 min_gap: Optional[int] = None,
                 min_frames: Optional[int] = None,
                 on_error: str = 'raise',
                 test_mode: bool = False) -> None:
        super().__init__(clip_len, 3, min_frames, on_error, test_mode)
        if frame_interval < 1:
            raise ValueError(f'frame_interval must be >= 1, got '
                             f'{frame_interval}')
        if min_gap is not None and min_gap < 1:
            raise ValueError(f'min_gap must be >= 1 or None, got {min_gap}')
        self.frame_interval = frame_interval
        self.span = int(clip_span(clip_len, frame_interval))
        self.gap_arg = min_gap
        self.min_gap = self.span if min_gap is None else min_gap

    @property
    def required_frames(self) -> int:
        """Two clip starts at interval 1."""
        return self.clip_len + 1

    def fit_interval(self, total_frames: int) -> int:
        """Largest interval ``<= frame_interval`` leaving two starts."""
        if self.clip_len == 1:
            return self.frame_interval
        return max(1, min(self.frame_interval,
                          (total_frames - 2) // (self.clip_len - 1)))

    def sample_starts(self, total_frames: int,
                      interval: Optional[int] = None) -> np.ndarray:
        """Starts ``(3,)`` of anchor, positive and negative for clips at
        ``interval`` (default: the configured frame interval)."""
        interval = self.frame_interval if interval is None else interval
        span = int(clip_span(self.clip_len, interval))
        min_gap = span if self.gap_arg is None else self.gap_arg
        num_starts = total_frames - span + 1
        if num_starts < 1:
            raise ValueError(f'a clip of {span} frames does not fit a video '
                             f'of {total_frames}')
        if self.test_mode:
            anchor = (num_starts - 1) // 2
        else:
            anchor = int(np.random.randint(num_starts))
        candidates = np.arange(num_starts)
        allowed = candidates[np.abs(candidates - anchor) >= min_gap]
        if allowed.size == 0 or self.test_mode:
            negative = 0 if anchor >= num_starts - 1 - anchor else \
                num_starts - 1
        else:
            negative = int(allowed[np.random.randint(allowed.size)])
        return np.array([anchor, anchor, negative], dtype=np.int64)

    def draw(self, results: Dict, total: int) -> Dict:
        """Sample the triplet."""
        interval = self.fit_interval(total)
        starts = self.sample_starts(total, interval)
        steps = np.arange(self.clip_len) * interval
        inds = starts[:, None] + steps[None, :]
        results['clip_starts'] = starts
        results['negative_offset'] = int(starts[2] - starts[0])
        return self._write(results, inds, interval)

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}(clip_len={self.clip_len}, '
                f'frame_interval={self.frame_interval}, '
                f'min_gap={self.min_gap}, '
                f'test_mode={self.test_mode})')
