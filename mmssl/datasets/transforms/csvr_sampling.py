"""CSVR's current + future clip sampler (Zhang et al., "Collaboratively
Self-supervised Video Representation Learning for Action Recognition",
Sec. III-B, III-D; defaults IV-B: 16 frames at temporal stride 4)."""
from typing import Dict, Optional

import numpy as np

from mmssl.registry import TRANSFORMS
from .sampling import BaseMultiClipSampler, largest_fitting_rate


@TRANSFORMS.register_module()
class CSVRSampleClips(BaseMultiClipSampler):
    """Sample the current clip and the future clip right after it.

    One run of frames at stride ``s`` starting at a random frame ``a``:
    the current clip is ``a + s * (0 .. T-1)``, the future clip (view 1) is
    ``a + s * (T .. 2T-1)``, i.e. the next T frames at the same stride
    (the video branch predicts it, paper Eq. 7-8; its T' = T). The pose
    frames are ``a + s * (0 .. T+Tp-1)``: P_in is the current clip's T
    frames and P_gt the next ``Tp`` frames (paper III-B; ``Tp`` may differ
    from T, the pose run then ends before or after the future clip).

    Short videos (the project's rule, :mod:`.sampling`): the run needs
    ``(T + max(T, Tp) - 1) * s + 1`` frames. When the video is shorter the
    stride is lowered to the largest one that fits (never below
    ``min_frame_interval``) and the stride really used is recorded in
    ``frame_interval``; the frames are never wrapped, clamped or repeated.
    A video shorter than the run at ``min_frame_interval`` raises
    :class:`~mmssl.datasets.errors.VideoTooShortError` naming the file and
    its list line (``on_error='skip'``: a counted skip).

    Required Keys: ``total_frames`` (+ ``filename`` for messages).

    Added Keys:

        - frame_inds: ``(2T,)`` int64, current clip then future clip
        - clip_len (T), num_clips (2), frame_interval (stride used)
        - pose_frame_inds: ``(T + Tp,)`` int64, the pose frames
        - pose_future_len (Tp)

    Args:
        clip_len (int): T. Defaults to 16.
        frame_interval (int): Stride s. Defaults to 4.
        pose_future_len (int, optional): Tp; None (default) = T.
        min_frame_interval (int): Smallest stride a short video may fall
            back to. Defaults to 1; ``frame_interval`` disables the
            fallback (short videos are refused).
        on_error (str): ``'raise'`` or ``'skip'``. Defaults to ``'raise'``.
        test_mode (bool): Centre the run instead of a random start.
    """

    def __init__(self,
                 clip_len: int = 16,
                 frame_interval: int = 4,
                 pose_future_len: Optional[int] = None,
                 min_frame_interval: int = 1,
                 on_error: str = 'raise',
                 test_mode: bool = False) -> None:
        super().__init__(clip_len, 2, on_error=on_error, test_mode=test_mode)
        self.pose_future_len = clip_len if pose_future_len is None else int(
            pose_future_len)
        if self.pose_future_len < 1:
            raise ValueError(f'pose_future_len must be >= 1, got '
                             f'{pose_future_len}')
        if not 1 <= min_frame_interval <= frame_interval:
            raise ValueError('need 1 <= min_frame_interval <= '
                             f'frame_interval, got {min_frame_interval} and '
                             f'{frame_interval}')
        self.frame_interval = int(frame_interval)
        self.min_frame_interval = int(min_frame_interval)

    @property
    def run_len(self) -> int:
        """Frames of the strided run: T current + max(T, Tp) after it."""
        return self.clip_len + max(self.clip_len, self.pose_future_len)

    @property
    def required_frames(self) -> int:
        """The run at ``min_frame_interval``."""
        return (self.run_len - 1) * self.min_frame_interval + 1

    def draw(self, results: Dict, total_frames: int) -> Dict:
        stride = min(self.frame_interval,
                     largest_fitting_rate(self.run_len, total_frames))
        run = self.place(stride * np.arange(self.run_len),
                         (self.run_len - 1) * stride + 1, total_frames)
        t = self.clip_len
        self._write(results, run[:2 * t], stride)
        results['pose_frame_inds'] = run[:t + self.pose_future_len].copy()
        results['pose_future_len'] = self.pose_future_len
        return results

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}(clip_len={self.clip_len}, '
                f'frame_interval={self.frame_interval}, '
                f'pose_future_len={self.pose_future_len}, '
                f'min_frame_interval={self.min_frame_interval}, '
                f'on_error={self.on_error!r}, test_mode={self.test_mode})')
