"""Multi-clip frame-index samplers (pure index arithmetic).

A sampler draws *all* clips a method needs from one video and writes their
frame indices into ``results['frame_inds']`` (one flat array, clip after
clip), so that a single decode call (see :class:`DecordDecodeUnion`) reads
every needed frame once. The outputs mirror MMAction2's ``SampleFrames``
(``frame_inds``, ``clip_len``, ``num_clips``, ``frame_interval``), so
MMAction2's decode and format transforms work unchanged.

Short videos: when a video has fewer frames than the clips need, the
``short_video_mode`` rule applies (see :func:`fit_indices_to_video`); it never
raises.
"""
import itertools
from typing import Dict, List, Tuple

import numpy as np
from mmcv.transforms import BaseTransform

from mmssl.registry import TRANSFORMS

SHORT_VIDEO_MODES = ('resample', 'loop', 'clamp')


def fit_indices_to_video(inds: np.ndarray, span: int, total_frames: int,
                         mode: str) -> np.ndarray:
    """Map frame offsets of a tuple of clips onto a video's frames.

    Args:
        inds (np.ndarray): Frame offsets relative to the tuple's first frame,
            any shape, values in ``[0, span)``.
        span (int): Number of frames the tuple covers (``max(inds) + 1``
            at least).
        total_frames (int): Number of frames of the video (>= 1).
        mode (str): Rule for videos shorter than ``span``:

            - ``'resample'``: squeeze the whole tuple uniformly into the video
              (offset ``o`` -> ``floor(o * total_frames / span)``). Temporal
              order is kept (non-decreasing), frames repeat. Default, because
              order- and speed-based pretext labels stay meaningful.
            - ``'loop'``: wrap around (``o % total_frames``), like
              MMAction2's ``SampleFrames(out_of_bound_opt='loop')``.
            - ``'clamp'``: repeat the last frame (``min(o, total_frames-1)``).

    Returns:
        np.ndarray: Integer frame indices in ``[0, total_frames)``, same shape
        as ``inds``.
    """
    if mode not in SHORT_VIDEO_MODES:
        raise ValueError(f'short_video_mode must be one of '
                         f'{SHORT_VIDEO_MODES}, got {mode!r}')
    if total_frames < 1:
        raise ValueError(f'video has no frames (total_frames={total_frames})')
    inds = np.asarray(inds, dtype=np.int64)
    if span <= total_frames:
        return inds
    if mode == 'resample':
        return (inds * total_frames) // span
    if mode == 'loop':
        return inds % total_frames
    return np.minimum(inds, total_frames - 1)


def permutation_table(num_items: int) -> Tuple[Tuple[int, ...], ...]:
    """All permutations of ``range(num_items)`` in lexicographic order.

    The class index of a permutation is its position in this table.
    """
    return tuple(itertools.permutations(range(num_items)))


class BaseMultiClipSampler(BaseTransform):
    """Common logic of multi-clip samplers.

    Subclasses implement :meth:`sample_offsets`, returning frame offsets
    (relative to a start frame) of shape ``(num_clips, clip_len)`` and the
    tuple span, plus the pretext targets.

    Args:
        clip_len (int): Frames per clip.
        num_clips (int): Clips per sample.
        short_video_mode (str): See :func:`fit_indices_to_video`.
        test_mode (bool): Deterministic start (the tuple is centred in the
            video) instead of a uniformly random one.
    """

    def __init__(self,
                 clip_len: int,
                 num_clips: int,
                 short_video_mode: str = 'resample',
                 test_mode: bool = False) -> None:
        if clip_len < 1 or num_clips < 1:
            raise ValueError(f'clip_len and num_clips must be >= 1, got '
                             f'clip_len={clip_len}, num_clips={num_clips}')
        if short_video_mode not in SHORT_VIDEO_MODES:
            raise ValueError(f'short_video_mode must be one of '
                             f'{SHORT_VIDEO_MODES}, got {short_video_mode!r}')
        self.clip_len = clip_len
        self.num_clips = num_clips
        self.short_video_mode = short_video_mode
        self.test_mode = test_mode

    def _start(self, span: int, total_frames: int) -> int:
        """Start frame of a tuple covering ``span`` frames."""
        room = total_frames - span
        if room <= 0:
            return 0
        if self.test_mode:
            return room // 2
        return int(np.random.randint(0, room + 1))

    def place(self, offsets: np.ndarray, span: int,
              total_frames: int) -> np.ndarray:
        """Turn offsets into absolute indices inside the video."""
        start = self._start(span, total_frames)
        fitted = fit_indices_to_video(offsets, span, total_frames,
                                      self.short_video_mode)
        return fitted + (start if span <= total_frames else 0)

    def _write(self, results: Dict, frame_inds: np.ndarray,
               frame_interval: int) -> Dict:
        results['frame_inds'] = frame_inds.reshape(-1).astype(np.int64)
        results['clip_len'] = self.clip_len
        results['num_clips'] = self.num_clips
        results['frame_interval'] = frame_interval
        return results

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}(clip_len={self.clip_len}, '
                f'num_clips={self.num_clips}, '
                f'short_video_mode={self.short_video_mode!r}, '
                f'test_mode={self.test_mode})')


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

    Required Keys:

        - total_frames

    Added Keys:

        - frame_inds (np.ndarray): ``num_clips * clip_len`` indices, shuffled
          clip after clip.
        - clip_len, num_clips, frame_interval
        - order_label (int): permutation class in ``[0, num_clips!)``.
        - clip_order (np.ndarray): the permutation itself, ``(num_clips,)``.

    Args:
        clip_len (int): Frames per clip. Defaults to 16 (paper).
        num_clips (int): Clips per tuple, 3..5 in the paper. Defaults to 3.
        clip_interval (int): Frames between the end of a clip and the start
            of the next. Defaults to 8 (paper).
        frame_interval (int): Temporal stride inside a clip. Defaults to 1.
        short_video_mode (str): See :func:`fit_indices_to_video`.
        test_mode (bool): Centre the tuple in the video. The permutation is
            still random (it is the label).
    """

    def __init__(self,
                 clip_len: int = 16,
                 num_clips: int = 3,
                 clip_interval: int = 8,
                 frame_interval: int = 1,
                 short_video_mode: str = 'resample',
                 test_mode: bool = False) -> None:
        super().__init__(clip_len, num_clips, short_video_mode, test_mode)
        if not 2 <= num_clips <= 6:
            raise ValueError(
                f'VCOP uses 2..6 clips ({num_clips}! classes), got {num_clips}')
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

    def ordered_offsets(self) -> Tuple[np.ndarray, int]:
        """Offsets ``(num_clips, clip_len)`` of the clips in temporal order
        and the span of the tuple in frames."""
        clip_span = (self.clip_len - 1) * self.frame_interval + 1
        clip_starts = np.arange(self.num_clips) * (
            clip_span + self.clip_interval)
        offsets = clip_starts[:, None] + np.arange(
            self.clip_len)[None, :] * self.frame_interval
        return offsets, int(offsets[-1, -1]) + 1

    def transform(self, results: Dict) -> Dict:
        """Sample the clip tuple and its order label."""
        offsets, span = self.ordered_offsets()
        inds = self.place(offsets, span, results['total_frames'])
        label = int(np.random.randint(self.num_classes))
        order = np.asarray(self.permutations[label], dtype=np.int64)
        results['order_label'] = label
        results['clip_order'] = order
        return self._write(results, inds[order], self.frame_interval)

    def __repr__(self) -> str:
        return (super().__repr__()[:-1] +
                f', clip_interval={self.clip_interval}, '
                f'frame_interval={self.frame_interval})')
