"""VCOP's ordered clip tuples and their permutation labels."""
from typing import Dict, List, Optional, Tuple

import numpy as np

from mmssl.registry import TRANSFORMS
from .sampling import BaseMultiClipSampler, clip_span, permutation_table


@TRANSFORMS.register_module()
class VCOPSampleClips(BaseMultiClipSampler):
    """Sample ordered clips, shuffle them and label the permutation (VCOP).

    Xu et al., "Self-supervised Spatiotemporal Learning via Video Clip Order
    Prediction", CVPR 2019, Sec. 3.1: ``num_clips`` clips of ``clip_len``
    consecutive frames (``frame_interval`` apart) are taken in temporal order
    with ``clip_interval`` frames between consecutive clips; the clips are
    shuffled by one of the ``num_clips!`` permutations, chosen uniformly, and
    the pretext target is the permutation's index in
    :func:`permutation_table` order. Shuffled position ``k`` holds original
    clip ``perm[k]``.

    Short videos: the gap between clips shrinks first (down to 0), then the
    frame interval (down to 1); the values used are recorded. The clips
    never overlap, so the order label stays defined. Fewer than
    ``num_clips * clip_len`` frames (``min_frames``): refused (a 1-frame
    video never becomes a tuple with a permutation label).

    Required Keys:

        - total_frames

    Added Keys:

        - frame_inds (np.ndarray): ``num_clips * clip_len`` indices, shuffled
          clip after clip.
        - clip_len, num_clips, frame_interval (the one used)
        - clip_interval (int): the gap used between consecutive clips.
        - order_label (int): permutation class in ``[0, num_clips!)``.
        - clip_order (np.ndarray): the permutation itself, ``(num_clips,)``.

    Args:
        clip_len (int): Frames per clip. Defaults to 16 (paper).
        num_clips (int): Clips per tuple, 3..5 in the paper. Defaults to 3.
        clip_interval (int): Frames between the end of a clip and the start
            of the next. Defaults to 8 (paper).
        frame_interval (int): Temporal stride inside a clip. Defaults to 1.
        min_frames (int, optional): See :class:`BaseMultiClipSampler`.
        on_error (str): See :class:`BaseMultiClipSampler`.
        test_mode (bool): Centre the tuple in the video. The permutation is
            still random (it is the label).
    """

    def __init__(self,
                 clip_len: int = 16,
                 num_clips: int = 3,
                 clip_interval: int = 8,
                 frame_interval: int = 1,
                 min_frames: Optional[int] = None,
                 on_error: str = 'raise',
                 test_mode: bool = False) -> None:
        super().__init__(clip_len, num_clips, min_frames, on_error, test_mode)
        if not 2 <= num_clips <= 6:
            raise ValueError(f'VCOP uses 2..6 clips ({num_clips}! classes), '
                             f'got {num_clips}')
        if clip_interval < 0 or frame_interval < 1:
            raise ValueError('clip_interval must be >= 0 and frame_interval '
                             f'>= 1, got {clip_interval}, {frame_interval}')
        self.clip_interval = clip_interval
        self.frame_interval = frame_interval
        self.permutations: List[Tuple[int, ...]] = list(
            permutation_table(num_clips))

    @property
    def num_classes(self) -> int:
        """Number of permutation classes (``num_clips!``)."""
        return len(self.permutations)

    @property
    def required_frames(self) -> int:
        """``num_clips`` adjacent clips of consecutive frames."""
        return self.num_clips * self.clip_len

    def fit_layout(self, total_frames: int) -> Tuple[int, int]:
        """``(frame_interval, clip_interval)`` used for a video: the
        configured ones if they fit, else the gap shrinks, then the
        interval (``total_frames >= required_frames``)."""
        n = self.num_clips
        for interval in range(self.frame_interval, 0, -1):
            room = total_frames - n * int(clip_span(self.clip_len, interval))
            if room >= 0:
                return interval, min(self.clip_interval, room // (n - 1))
        raise ValueError(f'{n} clips of {self.clip_len} frames do not fit '
                         f'{total_frames} frames')

    def ordered_offsets(self, frame_interval: Optional[int] = None,
                        clip_interval: Optional[int] = None
                        ) -> Tuple[np.ndarray, int]:
        """Offsets ``(num_clips, clip_len)`` of the clips in temporal order
        and the span of the tuple in frames (configured intervals unless
        given)."""
        step = self.frame_interval if frame_interval is None else \
            frame_interval
        gap = self.clip_interval if clip_interval is None else clip_interval
        clip_starts = np.arange(self.num_clips) * (
            int(clip_span(self.clip_len, step)) + gap)
        offsets = clip_starts[:, None] + np.arange(
            self.clip_len)[None, :] * step
        return offsets, int(offsets[-1, -1]) + 1

    def draw(self, results: Dict, total_frames: int) -> Dict:
        """Sample the clip tuple and its order label."""
        step, gap = self.fit_layout(total_frames)
        offsets, span = self.ordered_offsets(step, gap)
        inds = self.place(offsets, span, total_frames)
        label = int(np.random.randint(self.num_classes))
        order = np.asarray(self.permutations[label], dtype=np.int64)
        results['order_label'] = label
        results['clip_order'] = order
        results['clip_interval'] = gap
        return self._write(results, inds[order], step)

    def __repr__(self) -> str:
        return (super().__repr__()[:-1] +
                f', clip_interval={self.clip_interval}, '
                f'frame_interval={self.frame_interval})')
