"""Multi-clip frame-index samplers (pure index arithmetic) and the one
short-video rule they share.

A sampler draws *all* clips a method needs from one video and writes their
frame indices into ``results['frame_inds']`` (one flat array, clip after
clip), so that a single decode call (see :class:`DecordDecodeUnion`) reads
every needed frame once. The outputs mirror MMAction2's ``SampleFrames``
(``frame_inds``, ``clip_len``, ``num_clips``, ``frame_interval``), so
MMAction2's decode and format transforms work unchanged.

Short videos (docs/transforms.md, "Short videos"): a clip is never squeezed,
wrapped or clamped. A clip at skip rate ``r`` covers
``(clip_len - 1) * r + 1`` frames; when it does not fit, the sampler uses a
smaller rate that fits (:func:`fit_rates`, :func:`largest_fitting_rate`) and
records the rate it really used, so every recorded rate equals the clip's
index step. A video too short for even the method's smallest layout
(``min_frames``, per sampler) raises :class:`VideoTooShortError` or, with
``on_error='skip'``, is reported as a skip (the dataset draws another one).
"""
import itertools
import sys
from typing import Dict, List, Optional, Sequence, Tuple

import numpy as np
from mmcv.transforms import BaseTransform

from ..errors import VideoTooShortError, describe_source
from ..skip_log import report_skip
from .loading import ERROR_MODES

RATE_FIT_MODES = ('largest', 'random')


def clip_span(clip_len: int, rate) -> np.ndarray:
    """Frames covered by a clip of ``clip_len`` frames at skip rate ``rate``
    (int or array): ``(clip_len - 1) * rate + 1``."""
    return (clip_len - 1) * np.asarray(rate, dtype=np.int64) + 1


def largest_fitting_rate(clip_len: int, total_frames: int) -> int:
    """Largest skip rate whose clip fits in the video (0 if none does).

    A clip of one frame fits at every rate (``sys.maxsize``).
    """
    if total_frames < clip_len:
        return 0
    if clip_len == 1:
        return sys.maxsize
    return (total_frames - 1) // (clip_len - 1)


def fit_rates(rates: Sequence[int],
              clip_len: int,
              total_frames: int,
              mode: str = 'largest') -> np.ndarray:
    """Replace the skip rates whose clips do not fit by distinct rates that do.

    Rates that fit are kept. The others, taken from the largest down, get
    the fitting rates not used yet: the largest ones (``'largest'``, so the
    clips keep covering as much of the video as it has) or a uniformly random
    choice of them (``'random'``), assigned so that a larger original rate
    gets a larger replacement. Only when every fitting rate is used do rates
    repeat (again from the largest fitting rate down); such clips differ by
    their random starts only.

    Example: ``clip_len=16``, rates ``(1, 4, 8, 16, 32)``: 180 frames fit
    rates up to 11 -> ``(1, 4, 8, 10, 11)``; 120 frames (up to 7) ->
    ``(1, 4, 5, 6, 7)``; 60 frames (up to 3) -> ``(1, 2, 3, 2, 3)``.

    Args:
        rates (Sequence[int]): ``(n,)`` positive skip rates.
        clip_len (int): Frames per clip.
        total_frames (int): Frames of the video (``>= clip_len``).
        mode (str): ``'largest'`` or ``'random'``.

    Returns:
        np.ndarray: ``(n,)`` int64 rates, each clip fitting the video.
    """
    if mode not in RATE_FIT_MODES:
        raise ValueError(f'short_video_mode must be one of {RATE_FIT_MODES},'
                         f' got {mode!r}')
    rates = np.asarray(rates, dtype=np.int64)
    top = largest_fitting_rate(clip_len, total_frames)
    if top < 1:
        raise ValueError(f'a {clip_len}-frame clip does not fit a video of '
                         f'{total_frames} frames at any skip rate')
    misfit = np.flatnonzero(rates > top)
    if misfit.size == 0:
        return rates.copy()
    misfit = misfit[np.argsort(-rates[misfit], kind='stable')]
    kept = set(rates[rates <= top].tolist())
    free = [r for r in range(top, 0, -1) if r not in kept]
    if mode == 'random' and len(free) > misfit.size:
        free = sorted(np.random.choice(free, misfit.size, replace=False),
                      reverse=True)
    refill = itertools.cycle(range(top, 0, -1))
    out = rates.copy()
    for k, i in enumerate(misfit):
        out[i] = free[k] if k < len(free) else next(refill)
    return out


def place_clips(rates: Sequence[int],
                clip_len: int,
                total_frames: int,
                test_mode: bool = False) -> np.ndarray:
    """Place clips at the given rates, each at its own start.

    Args:
        rates (Sequence[int]): ``(n,)`` skip rates; every clip must fit
            (see :func:`fit_rates`).
        clip_len (int): Frames per clip.
        total_frames (int): Frames of the video.
        test_mode (bool): Centre every clip instead of a uniformly random
            start.

    Returns:
        np.ndarray: ``(n, clip_len)`` frame indices; row ``i`` steps by
        exactly ``rates[i]``. Clips that share a rate get distinct starts
        whenever the video has that many (no two identical clips).
    """
    rates = np.asarray(rates, dtype=np.int64)[:, None]
    spans = clip_span(clip_len, rates)
    if (spans > total_frames).any():
        raise ValueError(f'clips at rates {rates.ravel().tolist()} span '
                         f'{spans.ravel().tolist()} frames, the video has '
                         f'{total_frames}: fit the rates first (fit_rates)')
    room = total_frames - spans
    if test_mode:
        starts = room // 2
    else:
        starts = np.floor(np.random.random(room.shape) *
                          (room + 1)).astype(np.int64)
    _separate_equal_rate_clips(starts[:, 0], rates[:, 0], room[:, 0],
                               test_mode)
    return starts + rates * np.arange(clip_len)[None, :]


def _separate_equal_rate_clips(starts: np.ndarray, rates: np.ndarray,
                               room: np.ndarray, test_mode: bool) -> None:
    """Give clips that share a rate distinct starts (in place), so that two
    clips of one sample are never the same frames while the video has room.

    Random mode: a group whose starts collide is redrawn without
    replacement (uniform over distinct starts; no extra draw otherwise).
    Test mode: the group is spread evenly over the valid starts.
    """
    for rate in np.unique(rates):
        group = np.flatnonzero(rates == rate)
        free = int(room[group[0]]) + 1
        if group.size < 2 or free < group.size:
            continue
        if test_mode:
            starts[group] = np.round(np.linspace(0, free - 1, group.size))
        elif np.unique(starts[group]).size < group.size:
            starts[group] = np.random.choice(free, group.size, replace=False)


def permutation_table(num_items: int) -> Tuple[Tuple[int, ...], ...]:
    """All permutations of ``range(num_items)`` in lexicographic order.

    The class index of a permutation is its position in this table.
    """
    return tuple(itertools.permutations(range(num_items)))


class BaseMultiClipSampler(BaseTransform):
    """Common logic of multi-clip samplers.

    Subclasses implement :meth:`draw` (write the clips and targets of a
    video that is long enough) and :attr:`required_frames` (the fewest
    frames for which the method's layout exists without repeated frames or
    a falsified rate). :meth:`transform` refuses shorter videos.

    Args:
        clip_len (int): Frames per clip.
        num_clips (int): Clips per sample.
        min_frames (int, optional): Videos with fewer frames are refused.
            Defaults to None: :attr:`required_frames`. A value below it is
            an error (the layout would not exist).
        on_error (str): A video below ``min_frames``: ``'raise'``
            (:class:`VideoTooShortError` naming the file and list line) or
            ``'skip'`` (reported and counted like an unreadable video; the
            dataset draws another sample). Defaults to ``'raise'``.
        test_mode (bool): Deterministic start (the tuple is centred in the
            video) instead of a uniformly random one.
    """

    def __init__(self,
                 clip_len: int,
                 num_clips: int,
                 min_frames: Optional[int] = None,
                 on_error: str = 'raise',
                 test_mode: bool = False) -> None:
        if clip_len < 1 or num_clips < 1:
            raise ValueError(f'clip_len and num_clips must be >= 1, got '
                             f'clip_len={clip_len}, num_clips={num_clips}')
        if on_error not in ERROR_MODES:
            raise ValueError(f'on_error must be one of {ERROR_MODES}, got '
                             f'{on_error!r}')
        self.clip_len = clip_len
        self.num_clips = num_clips
        self._min_frames = min_frames
        self.on_error = on_error
        self.test_mode = test_mode

    @property
    def required_frames(self) -> int:
        """Fewest frames the method's layout needs (one clip at rate 1)."""
        return self.clip_len

    @property
    def min_frames(self) -> int:
        """Videos with fewer frames are refused (see the class docstring)."""
        needed = self.required_frames
        if self._min_frames is None:
            return needed
        if self._min_frames < needed:
            raise ValueError(f'{self.__class__.__name__}: min_frames='
                             f'{self._min_frames} is below the {needed} '
                             'frames its clip layout needs')
        return int(self._min_frames)

    def transform(self, results: Dict) -> Optional[Dict]:
        """Refuse a too-short video, else :meth:`draw` the clips."""
        total = int(results['total_frames'])
        if total < self.min_frames:
            message = (f'video {describe_source(results)} has {total} '
                       f'frames; {self.__class__.__name__} needs at least '
                       f'{self.min_frames} (min_frames)')
            if self.on_error == 'raise':
                raise VideoTooShortError(message)
            report_skip(message)
            return None
        return self.draw(results, total)

    def draw(self, results: Dict, total_frames: int) -> Dict:
        """Write the clips of a video of ``total_frames >= min_frames``."""
        raise NotImplementedError

    def _start(self, span: int, total_frames: int) -> int:
        """Start frame of a tuple covering ``span`` frames."""
        room = total_frames - span
        if room < 0:
            raise ValueError(f'a tuple of {span} frames does not fit a video '
                             f'of {total_frames}')
        if self.test_mode:
            return room // 2
        return int(np.random.randint(0, room + 1))

    def place(self, offsets: np.ndarray, span: int,
              total_frames: int) -> np.ndarray:
        """Turn offsets of a tuple that fits into absolute indices."""
        return np.asarray(offsets, dtype=np.int64) + self._start(
            span, total_frames)

    def _write(self, results: Dict, frame_inds: np.ndarray,
               frame_interval: int) -> Dict:
        results['frame_inds'] = frame_inds.reshape(-1).astype(np.int64)
        results['clip_len'] = self.clip_len
        results['num_clips'] = self.num_clips
        results['frame_interval'] = int(frame_interval)
        return results

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}(clip_len={self.clip_len}, '
                f'num_clips={self.num_clips}, '
                f'min_frames={self._min_frames}, '
                f'on_error={self.on_error!r}, test_mode={self.test_mode})')


def fitting_subset(values: Sequence[int], clip_len: int,
                   total_frames: int) -> List[int]:
    """Indices of the skip rates in ``values`` whose clips fit the video."""
    spans = clip_span(clip_len, np.asarray(values))
    return np.flatnonzero(spans <= total_frames).tolist()
