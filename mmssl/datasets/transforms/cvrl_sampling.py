"""CVRL's temporally consistent sampling of two clips (decreasing gap)."""
from typing import Dict

import numpy as np

from mmssl.registry import TRANSFORMS
from .sampling import BaseMultiClipSampler, fit_indices_to_video

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

    Videos shorter than one clip (``M < 1``): both clips are the whole video
    fitted with ``short_video_mode`` (:func:`fit_indices_to_video`).
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
        short_video_mode (str): See :func:`fit_indices_to_video`.
        test_mode (bool): Deterministic sampling.
    """

    def __init__(self,
                 clip_len: int = 16,
                 frame_interval: int = 2,
                 interval_dist: str = 'decreasing',
                 power: float = 1.0,
                 shuffle_order: bool = True,
                 short_video_mode: str = 'resample',
                 test_mode: bool = False) -> None:
        super().__init__(clip_len, 2, short_video_mode, test_mode)
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
        return (self.clip_len - 1) * self.frame_interval + 1

    def sample_starts(self, total_frames: int) -> np.ndarray:
        """Start frames ``(2,)`` of the two clips (output order)."""
        num_starts = total_frames - self.span + 1
        if num_starts < 1:
            return np.zeros(2, dtype=np.int64)
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

    def transform(self, results: Dict) -> Dict:
        """Sample the two clips."""
        total = int(results['total_frames'])
        starts = self.sample_starts(total)
        steps = np.arange(self.clip_len) * self.frame_interval
        if total < self.span:
            clip = fit_indices_to_video(steps, self.span, total,
                                        self.short_video_mode)
            inds = np.stack([clip, clip])
        else:
            inds = starts[:, None] + steps[None, :]
        results['clip_starts'] = starts
        results['clip_gap'] = int(abs(starts[1] - starts[0]))
        return self._write(results, inds, self.frame_interval)

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}(clip_len={self.clip_len}, '
                f'frame_interval={self.frame_interval}, '
                f'interval_dist={self.interval_dist!r}, power={self.power}, '
                f'shuffle_order={self.shuffle_order}, '
                f'short_video_mode={self.short_video_mode!r}, '
                f'test_mode={self.test_mode})')
