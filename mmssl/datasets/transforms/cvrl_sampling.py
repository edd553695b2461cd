"""CVRL's temporally consistent sampling of two clips (decreasing gap)."""
from typing import Dict, Optional

import numpy as np

from mmssl.registry import TRANSFORMS
from .sampling import (BaseMultiClipSampler, clip_span,
                       largest_fitting_rate)

INTERVAL_DISTS = ('decreasing', 'uniform', 'increasing')


def interval_probs(num_starts: int, dist: str = 'decreasing',
                   power: float = 1.0) -> np.ndarray:
    """Probabilities of the start gaps ``d = 0 .. num_starts - 1``.

    CVRL (Qian et al., CVPR 2021, Sec. 3.2, "temporal augmentation") draws
    the interval ``t`` between the two clips' start points from a
    distribution over ``[0, M]``, ``M`` the number of valid start points:

    - ``'decreasing'``: density ``p(t) ∝ 1 - (t / M) ** power``; ``power=1``
      is the linear ``P(t) ∝ -t + c`` with ``c = M`` (the paper's default,
      and the CDF of the authors' ``sample_ssl_sequence``);
    - ``'uniform'``: ``p(t) ∝ 1``;
    - ``'increasing'``: ``p(t) ∝ t``.

    The integer gap ``d`` gets the mass of ``[d, d + 1)``:
    ``P(d) = F(d + 1) - F(d)`` with ``F`` the CDF, so the probabilities sum
    to one exactly.

    Args:
        num_starts (int): ``M >= 1``.
        dist (str): One of ``INTERVAL_DISTS``.
        power (float): Exponent of ``'decreasing'`` (> 0).

    Returns:
        np.ndarray: ``(M,)`` float64 probabilities.
    """
    if num_starts < 1:
        raise ValueError(f'num_starts must be >= 1, got {num_starts}')
    edges = np.arange(num_starts + 1, dtype=np.float64) / num_starts
    if dist == 'decreasing':
        if power <= 0:
            raise ValueError(f'power must be > 0, got {power}')
        cdf = ((power + 1) * edges - edges**(power + 1)) / power
    elif dist == 'uniform':
        cdf = edges
    elif dist == 'increasing':
        cdf = edges**2
    else:
        raise ValueError(f'interval_dist must be one of {INTERVAL_DISTS}, '
                         f'got {dist!r}')
    probs = np.diff(cdf)
    return probs / probs.sum()


@TRANSFORMS.register_module()
class CVRLSampleClips(BaseMultiClipSampler):
    """Two clips of one video whose start gap favours short intervals.

    Qian et al., "Spatiotemporal Contrastive Video Representation
    Learning", CVPR 2021, Sec. 3.2: the gap ``d`` between the two clips'
    start frames is drawn from :func:`interval_probs` (default: linearly
    decreasing), the first start uniformly from the ``M - d`` positions
    that keep both clips inside the video (``M = total_frames - span + 1``
    valid starts, ``span = (clip_len - 1) * frame_interval + 1``), the
    second start is ``d`` later, and the two clips are returned in random
    order (``shuffle_order``; the authors' code shuffles them).

    Short videos: the frame interval drops to the largest value ``<=
    frame_interval`` at which a clip fits (recorded in ``frame_interval``).
    ``min_frames`` defaults to ``clip_len`` (one clip at interval 1; the two
    clips may then coincide, as CVRL's gap 0 allows).
    ``test_mode``: no randomness, gap ``(M - 1) // 2`` centred in the video.

    Required Keys:

        - total_frames

    Added Keys:

        - frame_inds (np.ndarray): ``2 * clip_len`` indices, clip after clip.
        - clip_len, num_clips (= 2), frame_interval
        - clip_starts (np.ndarray): ``(2,)`` start frames, output order.
        - clip_gap (int): ``|clip_starts[1] - clip_starts[0]|``.

    Args:
        clip_len (int): Frames per clip. Defaults to 16.
        frame_interval (int): Temporal stride inside a clip. Defaults to 2
            (CVRL's pretraining clips: 16 frames at stride 2).
        interval_dist (str): ``'decreasing'``, ``'uniform'`` or
            ``'increasing'``. Defaults to ``'decreasing'``.
        power (float): Exponent of the decreasing density. Defaults to 1.
        shuffle_order (bool): Random order of the two clips. Defaults to
            True.
        min_frames (int, optional), on_error (str): See
            :class:`BaseMultiClipSampler`.
        test_mode (bool): Deterministic sampling.
    """

    def __init__(self,
                 clip_len: int = 16,
                 frame_interval: int = 2,
                 interval_dist: str = 'decreasing',
                 power: float = 1.0,
                 shuffle_order: bool = True,
                 min_frames: Optional[int] = None,
                 on_error: str = 'raise',
                 test_mode: bool = False) -> None:
        super().__init__(clip_len, 2, min_frames, on_error, test_mode)
        if frame_interval < 1:
            raise ValueError(f'frame_interval must be >= 1, got '
                             f'{frame_interval}')
        interval_probs(1, interval_dist, power)  # validates the arguments
        self.frame_interval = frame_interval
        self.interval_dist = interval_dist
        self.power = power
        self.shuffle_order = shuffle_order

    @property
    def span(self) -> int:
        """Frames covered by one clip."""
        return int(clip_span(self.clip_len, self.frame_interval))

    def fit_interval(self, total_frames: int) -> int:
        """Largest interval ``<= frame_interval`` at which a clip fits."""
        return max(1, min(self.frame_interval,
                          largest_fitting_rate(self.clip_len, total_frames)))

    def sample_starts(self, total_frames: int,
                      interval: Optional[int] = None) -> np.ndarray:
        """Start frames ``(2,)`` of the two clips (output order) at
        ``interval`` (default: the configured frame interval)."""
        interval = self.frame_interval if interval is None else interval
        num_starts = total_frames - int(clip_span(self.clip_len,
                                                  interval)) + 1
        if num_starts < 1:
            raise ValueError(f'a {self.clip_len}-frame clip at interval '
                             f'{interval} does not fit {total_frames} frames')
        if self.test_mode:
            gap = (num_starts - 1) // 2
            first = (num_starts - 1 - gap) // 2
            return np.array([first, first + gap], dtype=np.int64)
        probs = interval_probs(num_starts, self.interval_dist, self.power)
        gap = int(np.random.choice(num_starts, p=probs))
        first = int(np.random.randint(0, num_starts - gap))
        starts = np.array([first, first + gap], dtype=np.int64)
        if self.shuffle_order and np.random.rand() < 0.5:
            starts = starts[::-1].copy()
        return starts

    def draw(self, results: Dict, total: int) -> Dict:
        """Sample the two clips."""
        interval = self.fit_interval(total)
        starts = self.sample_starts(total, interval)
        steps = np.arange(self.clip_len) * interval
        inds = starts[:, None] + steps[None, :]
        results['clip_starts'] = starts
        results['clip_gap'] = int(abs(starts[1] - starts[0]))
        return self._write(results, inds, interval)

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}(clip_len={self.clip_len}, '
                f'frame_interval={self.frame_interval}, '
                f'interval_dist={self.interval_dist!r}, power={self.power}, '
                f'shuffle_order={self.shuffle_order}, '
                f'test_mode={self.test_mode})')
