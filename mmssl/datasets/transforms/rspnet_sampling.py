"""RSPNet's clips: a query and two keys at the same / a different speed."""
from typing import Dict, List, Optional, Sequence

import numpy as np

from mmssl.registry import TRANSFORMS
from .sampling import BaseMultiClipSampler, clip_span, fitting_subset


@TRANSFORMS.register_module()
class RSPNetSampleClips(BaseMultiClipSampler):
    """Query clip and same-/different-speed key clips of one video.

    Chen et al., "RSPNet: Relative Speed Perception for Unsupervised Video
    Representation Learning", AAAI 2021, Sec. 3.2 and the authors' data
    path: two windows of ``window = (clip_len - 1) * max(speeds) *
    frame_interval + 1`` frames start uniformly at random in the video
    (independently); a clip "at speed ``s``" takes ``clip_len`` frames
    every ``s * frame_interval`` frames from its window's start.

    - the query speed ``s_q`` is uniform over ``speeds`` (the label
      ``speed_label`` is its index), the other speed ``s_d`` uniform over
      the remaining speeds;
    - clip 0, the **query**: window 1 at speed ``s_q``;
    - clip 1, the **same-speed key**: window 2 at speed ``s_q``;
    - clip 2, the **different-speed key**: window 2 at speed ``s_d``
      (the same start as clip 1).

    The default ``speeds=(1, 2)`` is the authors' ``diff_speed=[2]`` setting
    (normal and 2x playback). Use ``ClipGroupsTransform(groups=((0,), (1,
    2)))`` so that the two keys share one spatial augmentation, as in the
    authors' code (only their speed differs).

    Short videos: both speeds are drawn from the speeds whose clip fits the
    video (``(clip_len - 1) * s * frame_interval + 1`` frames) and the
    window is that of the largest fitting speed, so clips are never
    squeezed and ``clip_speeds`` are the real steps (in units of
    ``frame_interval``). ``min_frames`` defaults to the span of the second
    smallest speed (two speeds must fit).

    Required Keys:

        - total_frames

    Added Keys:

        - frame_inds (np.ndarray): ``3 * clip_len`` indices (query, same-
          speed key, different-speed key).
        - clip_len, num_clips (= 3), frame_interval (the base interval)
        - speed_label (int): index of ``s_q`` in ``speeds``.
        - clip_speeds (np.ndarray): ``(3,)`` = ``(s_q, s_q, s_d)``.
        - clip_starts (np.ndarray): ``(3,)`` window starts.

    Args:
        clip_len (int): Frames per clip. Defaults to 16.
        speeds (Sequence[int]): Playback speeds (>= 2 distinct, positive).
            Defaults to ``(1, 2)``.
        frame_interval (int): Base stride (speed 1). Defaults to 1.
        min_frames (int, optional), on_error (str): See
            :class:`BaseMultiClipSampler`.
        test_mode (bool): Centred windows, ``s_q = speeds[0]``,
            ``s_d = speeds[1]``.
    """

    def __init__(self,
                 clip_len: int = 16,
                 speeds: Sequence[int] = (1, 2),
                 frame_interval: int = 1,
                 min_frames: Optional[int] = None,
                 on_error: str = 'raise',
                 test_mode: bool = False) -> None:
        super().__init__(clip_len, 3, min_frames, on_error, test_mode)
        speeds = tuple(int(s) for s in speeds)
        if len(set(speeds)) != len(speeds) or len(speeds) < 2 or min(
                speeds) < 1:
            raise ValueError(f'speeds must be >= 2 distinct positive ints, '
                             f'got {speeds}')
        if frame_interval < 1:
            raise ValueError(f'frame_interval must be >= 1, got '
                             f'{frame_interval}')
        self.speeds = speeds
        self.frame_interval = frame_interval
        self.window = self.window_for(speeds)

    def window_for(self, speeds: Sequence[int]) -> int:
        """Frames of a window that holds a clip at each of ``speeds``."""
        return int(clip_span(self.clip_len, max(speeds) * self.frame_interval))

    @property
    def required_frames(self) -> int:
        """Two speeds must fit."""
        return self.window_for(sorted(self.speeds)[:2])

    def sample_speeds(self, fitting: Optional[List[int]] = None) -> np.ndarray:
        """``(speed_label, other_index)`` indices into ``speeds``, drawn
        from the ``fitting`` indices (default: all)."""
        fitting = list(range(len(self.speeds))) if fitting is None \
            else fitting
        if self.test_mode:
            return np.array(fitting[:2])
        n = len(fitting)
        label = int(np.random.randint(n))
        other = int(np.random.randint(n - 1))
        return np.array(
            [fitting[label], fitting[other + (other >= label)]])

    def draw(self, results: Dict, total: int) -> Dict:
        """Sample the three clips and the speed label."""
        fitting = fitting_subset(
            np.asarray(self.speeds) * self.frame_interval, self.clip_len,
            total)
        label, other = (int(v) for v in self.sample_speeds(fitting))
        s_q, s_d = self.speeds[label], self.speeds[other]
        steps = np.arange(self.clip_len) * self.frame_interval
        offsets = np.stack([steps * s_q, steps * s_q, steps * s_d])
        room = total - self.window_for([self.speeds[k] for k in fitting])
        if self.test_mode:
            q_start = k_start = room // 2
        else:
            q_start, k_start = np.random.randint(0, room + 1, size=2)
        starts = np.array([q_start, k_start, k_start], dtype=np.int64)
        inds = starts[:, None] + offsets
        results['speed_label'] = label
        results['clip_speeds'] = np.array([s_q, s_q, s_d], dtype=np.int64)
        results['clip_starts'] = starts
        return self._write(results, inds, self.frame_interval)

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}(clip_len={self.clip_len}, '
                f'speeds={self.speeds}, '
                f'frame_interval={self.frame_interval}, '
                f'test_mode={self.test_mode})')
