"""Segment sample-rate order clips: n segments, each at its own rate,
shuffled (segment sample-rate order prediction, "SRO")."""
from typing import Dict, List, Optional, Sequence, Tuple

import numpy as np

from mmssl.registry import TRANSFORMS
from .sampling import BaseMultiClipSampler, permutation_table


def random_segment_lengths(clip_len: int, num_segments: int,
                           min_len: int) -> np.ndarray:
    """Random lengths ``>= min_len`` summing to ``clip_len``.

    Uniform over all such compositions (stars and bars: the
    ``clip_len - num_segments * min_len`` spare frames are split by
    ``num_segments - 1`` bars placed without replacement).

    Returns:
        np.ndarray: ``(num_segments,)`` int64 lengths.
    """
    spare = clip_len - num_segments * min_len
    if spare < 0:
        raise ValueError(f'{num_segments} segments of >= {min_len} frames do '
                         f'not fit a {clip_len}-frame clip')
    bars = np.sort(
        np.random.choice(spare + num_segments - 1, num_segments - 1,
                         replace=False))
    edges = np.concatenate([[-1], bars, [spare + num_segments - 1]])
    return (np.diff(edges) - 1 + min_len).astype(np.int64)


def walk_offsets(lengths: Sequence[int], rates: Sequence[int]) -> np.ndarray:
    """Frame offsets of segments laid out one after another in time.

    Segment ``i`` holds ``lengths[i]`` frames ``rates[i]`` apart and starts
    ``rates[i]`` frames after the last frame of segment ``i - 1`` (the clip
    is one walk through the video whose step is the current segment's
    rate); segment 0 starts at offset 0.

    Returns:
        np.ndarray: ``(sum(lengths),)`` strictly increasing int64 offsets.
    """
    steps = np.repeat(np.asarray(rates, dtype=np.int64),
                      np.asarray(lengths, dtype=np.int64))
    steps[0] = 0
    return np.cumsum(steps)


def walk_span(lengths: Sequence[int], rates: Sequence[int]) -> int:
    """Frames covered by :func:`walk_offsets`:
    ``1 + sum_i lengths[i] * rates[i] - rates[0]``."""
    lengths = np.asarray(lengths, dtype=np.int64)
    rates = np.asarray(rates, dtype=np.int64)
    return int(1 + (lengths * rates).sum() - rates[0])


def shrink_largest_rate(rates: np.ndarray, distinct: bool) -> np.ndarray:
    """One step of the short-video rule: lower the largest rate.

    The rate set loses its largest value and gains the largest value below
    it that no other segment uses (``distinct``; ``max - 1`` once every
    value down to 1 is used, so rates repeat only when fewer distinct
    rates fit) or simply ``max - 1`` (not ``distinct``). Values below the
    configured ``rate_range`` may appear: a short video has no other
    layout. The new values are handed
    out in the segments' current rank order (ties by position), so a
    segment that had a larger rate keeps a larger or equal one, as in
    :func:`~mmssl.datasets.transforms.sampling.fit_rates`.
    """
    top = int(rates.max())
    values = sorted(rates.tolist())
    if distinct:
        used = set(values)
        free = [r for r in range(top - 1, 0, -1) if r not in used]
        new = free[0] if free else max(top - 1, 1)
    else:
        new = top - 1
    values.remove(top)
    values.append(new)
    order = np.argsort(rates, kind='stable')
    out = np.empty_like(rates)
    out[order] = sorted(values)
    return out


@TRANSFORMS.register_module()
class SegmentRateOrderSampleClips(BaseMultiClipSampler):
    """A clip of shuffled segments, each at its own sampling rate.

    Segment sample-rate order prediction (IEEE TCSVT 2021, DOI
    10.1109/TCSVT.2021.3114209; ``docs/methods/segment_rate_order.md``),
    Fig. 1 and Sec. III-C/D/E, IV-D. For each clip:

    1. ``num_segments`` segment lengths ``>= min_segment_len`` summing to
       ``clip_len`` (uniform over the compositions);
    2. one rate per segment from ``rate_range`` (inclusive), distinct
       across the segments (``distinct_rates``, Fig. 1: "each video segment
       is sampled by the different sample rates") or independent;
    3. the segments laid out in temporal order as one walk from a random
       start frame (:func:`walk_offsets`: segment ``i`` takes its frames
       ``rate_i`` apart and starts ``rate_i`` after the previous one ends);
    4. the segments shuffled by one of the ``num_segments!`` permutations,
       chosen uniformly.

    **Labels.** ``order_label`` is the permutation's index in
    :func:`permutation_table` (``itertools.permutations(range(n))``,
    lexicographic: for n = 3, ``0: (0, 1, 2)``, ``1: (0, 2, 1)``,
    ``2: (1, 0, 2)``, ..., ``5: (2, 1, 0)``). Shuffled position ``k`` holds
    the temporal segment ``perm[k]`` (as :class:`VCOPSampleClips`).
    ``segment_rates`` and ``segment_lengths`` are in the shuffled order,
    i.e. they describe the segments as they appear in the clip.

    **Key clip** (III-E, Fig. 2a): with ``num_clips=2`` a second clip of
    the same video is drawn the same way (its own lengths, rates, order and
    start; its layout is recorded as ``key_*``): the positive key of the
    contrastive loss. Both clips are decoded in one pass (the indices of
    both go into ``frame_inds``, query first).

    **Short videos** (``docs/transforms.md``): segments never overlap,
    never wrap and are never squeezed. While the walk is longer than the
    video, the largest rate is lowered (:func:`shrink_largest_rate`: to the
    largest value not used by another segment while distinct values exist,
    so the rates stay distinct as long as the video allows, the smaller
    rates are kept, and the rank order is kept). The recorded rates are
    the rates used, i.e. the real index steps inside every segment. At
    ``clip_len`` frames (``min_frames``) every rate becomes 1; shorter
    videos raise :class:`VideoTooShortError` or are skipped.

    Required Keys:

        - total_frames

    Added Keys:

        - frame_inds (np.ndarray): ``num_clips * clip_len`` indices, the
          query's shuffled segments, then the key's.
        - clip_len, num_clips, frame_interval (the query's smallest rate;
          MMAction2 compatibility only: the steps differ per segment)
        - order_label (int): permutation class in ``[0, num_segments!)``.
        - segment_order (np.ndarray): ``(n,)`` the permutation.
        - segment_rates (np.ndarray): ``(n,)`` int64 rates, shuffled order.
        - segment_lengths (np.ndarray): ``(n,)`` lengths, shuffled order.
        - key_order_label, key_segment_rates, key_segment_lengths: the same
          for the key clip (``num_clips=2``).

    Args:
        clip_len (int): Frames per clip ``T``. Defaults to 16 (IV-D).
        num_segments (int): Segments ``n``, 2..5 (III-C). Defaults to 3.
        rate_range (Sequence[int]): Inclusive ``(low, high)`` rates ``p``.
            Defaults to ``(1, 8)`` (IV-D, Table IV).
        min_segment_len (int): Shortest segment. Defaults to 3 (Fig. 1).
        distinct_rates (bool): Distinct rates within a clip. Defaults to
            True.
        num_clips (int): 1 (query only) or 2 (query + key). Defaults to 2.
        min_frames (int, optional), on_error (str): See
            :class:`BaseMultiClipSampler`.
        test_mode (bool): Centre the walk (lengths, rates and order stay
            random: they are the labels).
    """

    def __init__(self,
                 clip_len: int = 16,
                 num_segments: int = 3,
                 rate_range: Sequence[int] = (1, 8),
                 min_segment_len: int = 3,
                 distinct_rates: bool = True,
                 num_clips: int = 2,
                 min_frames: Optional[int] = None,
                 on_error: str = 'raise',
                 test_mode: bool = False) -> None:
        super().__init__(clip_len, num_clips, min_frames, on_error, test_mode)
        if not 2 <= num_segments <= 5:
            raise ValueError(f'num_segments must be in 2..5 (paper III-C), '
                             f'got {num_segments}')
        if num_clips not in (1, 2):
            raise ValueError(f'num_clips must be 1 (query) or 2 (query + '
                             f'key), got {num_clips}')
        if min_segment_len < 1 or num_segments * min_segment_len > clip_len:
            raise ValueError(
                f'{num_segments} segments of >= {min_segment_len} frames '
                f'do not fit clip_len={clip_len}')
        low, high = (int(v) for v in rate_range)
        if not 1 <= low <= high:
            raise ValueError(f'rate_range must be (low, high) with 1 <= low '
                             f'<= high, got {tuple(rate_range)}')
        if distinct_rates and high - low + 1 < num_segments:
            raise ValueError(
                f'rate_range {(low, high)} has fewer than {num_segments} '
                'distinct rates; widen it or set distinct_rates=False')
        self.num_segments = num_segments
        self.rate_range = (low, high)
        self.min_segment_len = min_segment_len
        self.distinct_rates = distinct_rates
        self.permutations: List[Tuple[int, ...]] = list(
            permutation_table(num_segments))

    @property
    def num_classes(self) -> int:
        """Number of order classes (``num_segments!``)."""
        return len(self.permutations)

    def draw_rates(self) -> np.ndarray:
        """``(n,)`` rates from ``rate_range`` (distinct or independent)."""
        low, high = self.rate_range
        return np.random.choice(
            np.arange(low, high + 1), self.num_segments,
            replace=not self.distinct_rates).astype(np.int64)

    def fit_rates(self, lengths: np.ndarray, rates: np.ndarray,
                  total_frames: int) -> np.ndarray:
        """Lower the largest rates until the walk fits the video."""
        rates = rates.copy()
        while walk_span(lengths, rates) > total_frames:
            if rates.max() <= 1:
                raise ValueError(f'a {self.clip_len}-frame clip does not fit '
                                 f'{total_frames} frames')
            rates = shrink_largest_rate(rates, self.distinct_rates)
        return rates

    def draw_clip(self, total_frames: int) -> Dict[str, np.ndarray]:
        """Indices and targets of one shuffled clip."""
        lengths = random_segment_lengths(self.clip_len, self.num_segments,
                                         self.min_segment_len)
        rates = self.fit_rates(lengths, self.draw_rates(), total_frames)
        offsets = walk_offsets(lengths, rates)
        inds = self.place(offsets, int(offsets[-1]) + 1, total_frames)
        segments = np.split(inds, np.cumsum(lengths)[:-1])
        label = int(np.random.randint(self.num_classes))
        order = np.asarray(self.permutations[label], dtype=np.int64)
        return dict(
            frame_inds=np.concatenate([segments[i] for i in order]),
            order_label=label,
            segment_order=order,
            segment_rates=rates[order],
            segment_lengths=lengths[order])

    def draw(self, results: Dict, total_frames: int) -> Dict:
        """Sample the query (and key) clip and the query's targets."""
        clips = [self.draw_clip(total_frames) for _ in range(self.num_clips)]
        query = clips[0]
        for key in ('order_label', 'segment_order', 'segment_rates',
                    'segment_lengths'):
            results[key] = query[key]
        if self.num_clips == 2:
            for key in ('order_label', 'segment_rates', 'segment_lengths'):
                results[f'key_{key}'] = clips[1][key]
        inds = np.stack([c['frame_inds'] for c in clips])
        return self._write(results, inds, int(query['segment_rates'].min()))

    def __repr__(self) -> str:
        return (super().__repr__()[:-1] +
                f', num_segments={self.num_segments}, '
                f'rate_range={self.rate_range}, '
                f'min_segment_len={self.min_segment_len}, '
                f'distinct_rates={self.distinct_rates})')
