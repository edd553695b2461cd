"""Clip samplers of the Simplified TCLR and Sparse TCLR (STCLR).

Altabrawee & Mohd Noor, "STCLR: Sparse Temporal Contrastive Learning for
Video Representation", Neurocomputing. Like the TCLR sampler
(``tclr_sampling.py``), every sampler writes the indices of *all* clips of a
sample into one flat ``frame_inds``; a twin is the same frames listed again.
"""
from typing import Dict, Optional, Sequence, Union

import numpy as np

from mmssl.registry import TRANSFORMS
from .same_speed_sampling import SpeedLocTupleSampleClips
from .sampling import (RATE_FIT_MODES, BaseMultiClipSampler, clip_span,
                       fit_rates, place_clips)
from .tclr_sampling import (draw_two_distinct, resolve_rates,
                            second_smallest_span)


@TRANSFORMS.register_module()
class SparseLocalSampleClips(BaseMultiClipSampler):
    """Simplified TCLR clips: sparse local clips (+ twins), instance pair.

    Altabrawee & Mohd Noor, "STCLR", Neurocomputing, Sec. 3.1-3.2: ``n``
    local clips of ``clip_len`` frames at the skip rates ``skip_rates``
    (default 1, 4, 8, 16, 32), each from its own uniformly random start
    (they may overlap), each with an augmented twin (Eq. 3).

    Instance pair (Eq. 2: two clips of the video at different rates from
    random starts, may overlap), ``instance_source``:

    - ``'local'`` (default; STCLR Table 7 counts ten clips per video for the
      Simplified TCLR, i.e. the five local clips and their twins): the pair
      is local clips 0 and 1. The rates are assigned to the local clips in a
      random order per sample, so the pair's two rates are a uniformly random
      pair of distinct skip rates. Layout, ``V = 2n``:
      ``[L_0..L_{n-1}, L'_0..L'_{n-1}]``.
    - ``'separate'``: two extra clips at two different rates from
      ``instance_rates`` (default: ``skip_rates``). Layout, ``V = 2n + 2``:
      ``[I_0, I_1, L_0..L_{n-1}, L'_0..L'_{n-1}]``.

    Short videos: a local clip whose rate does not fit the video gets
    another rate by :func:`fit_rates` (``short_video_mode``), so the clips
    keep *different* rates and cover different extents as long as the video
    fits that many distinct rates (Sec. 3.2's intent), e.g. ``(1, 4, 8, 16,
    32)`` at ``clip_len=16`` becomes ``(1, 4, 8, 10, 11)`` on 180 frames.
    The separate instance rates are drawn from those that fit. The rates
    used are recorded (``local_rates``, ``clip_rates``). ``min_frames``
    defaults to the span of two distinct rates (the instance pair).

    Required Keys: total_frames

    Added Keys:

        - frame_inds, clip_len, num_clips (= V), frame_interval (= 1)
        - local_rates (np.ndarray): ``(n,)`` skip rate of each local clip.
        - clip_rates (np.ndarray): ``(V,)`` skip rate of every clip.

    Args:
        clip_len (int): Frames per clip. Defaults to 16 (paper).
        skip_rates (str | Sequence[int]): Rates of the local clips, or a
            preset: ``'low'`` (1..5), ``'medium'`` (2, 4, .., 10), ``'high'``
            (4, 8, .., 20) (Sec. 4.2.3), ``'default'`` (1, 4, 8, 16, 32).
        instance_source (str): ``'local'`` or ``'separate'``.
        instance_rates (Sequence[int], optional): Separate pair rates.
        short_video_mode (str): Rates that do not fit become the largest
            unused fitting rates (``'largest'``, default: the clips cover as
            much of the video as possible) or random unused fitting rates
            (``'random'``); see :func:`fit_rates`.
        min_frames (int, optional), on_error (str): See
            :class:`BaseMultiClipSampler`.
        test_mode (bool): Centre each clip.
    """

    INSTANCE_SOURCES = ('local', 'separate')

    def __init__(self,
                 clip_len: int = 16,
                 skip_rates: Union[str, Sequence[int]] = 'default',
                 instance_source: str = 'local',
                 instance_rates: Optional[Sequence[int]] = None,
                 short_video_mode: str = 'largest',
                 min_frames: Optional[int] = None,
                 on_error: str = 'raise',
                 test_mode: bool = False) -> None:
        rates = resolve_rates(skip_rates, 'skip_rates')
        if instance_source not in self.INSTANCE_SOURCES:
            raise ValueError(f'instance_source must be one of '
                             f'{self.INSTANCE_SOURCES}, got '
                             f'{instance_source!r}')
        extra = 2 if instance_source == 'separate' else 0
        super().__init__(clip_len, 2 * rates.size + extra, min_frames,
                         on_error, test_mode)
        if short_video_mode not in RATE_FIT_MODES:
            raise ValueError(f'short_video_mode must be one of '
                             f'{RATE_FIT_MODES}, got {short_video_mode!r}')
        self.short_video_mode = short_video_mode
        self.skip_rates = rates
        self.instance_source = instance_source
        if instance_source == 'local' and np.unique(rates).size != rates.size:
            raise ValueError('instance_source="local" needs distinct '
                             f'skip_rates, got {rates.tolist()}')
        self.instance_rates = rates if instance_rates is None else \
            resolve_rates(instance_rates, 'instance_rates')
        draw_two_distinct(self.instance_rates if extra else rates,
                          'instance_rates' if extra else 'skip_rates')

    @property
    def num_local_clips(self) -> int:
        """``n``, the number of sparse local clips."""
        return int(self.skip_rates.size)

    @property
    def required_frames(self) -> int:
        """Two distinct rates (of the instance pair) must fit."""
        if self.instance_source == 'separate':
            return second_smallest_span(self.instance_rates, self.clip_len)
        return int(clip_span(self.clip_len, 2))

    def local_clip_rates(self, total_frames: int) -> np.ndarray:
        """Rates of the local clips for a video (fitted, then shuffled for
        ``instance_source='local'`` so that ``(L_0, L_1)`` differ)."""
        rates = fit_rates(self.skip_rates, self.clip_len, total_frames,
                          self.short_video_mode)
        if self.instance_source != 'local':
            return rates
        rates = np.random.permutation(rates)
        if rates[0] == rates[1]:  # only when fewer distinct rates fit
            other = np.flatnonzero(rates != rates[0])[0]
            rates[[1, other]] = rates[[other, 1]]
        return rates

    def sample_sparse(self, total_frames: int):
        """Indices ``(V, clip_len)`` of the sparse layout and its rates."""
        rates = self.local_clip_rates(total_frames)
        local = place_clips(rates, self.clip_len, total_frames,
                            self.test_mode)
        inds, clip_rates = [local, local], [rates, rates]
        if self.instance_source == 'separate':
            inst_rates = draw_two_distinct(self.instance_rates,
                                           'instance_rates', self.clip_len,
                                           total_frames)
            inds.insert(0, place_clips(inst_rates, self.clip_len,
                                       total_frames, self.test_mode))
            clip_rates.insert(0, inst_rates)
        return np.concatenate(inds), np.concatenate(clip_rates), rates

    def draw(self, results: Dict, total_frames: int) -> Dict:
        """Sample the sparse layout."""
        inds, clip_rates, rates = self.sample_sparse(total_frames)
        results['local_rates'] = rates.astype(np.int64)
        results['clip_rates'] = clip_rates.astype(np.int64)
        return self._write(results, inds, 1)

    def __repr__(self) -> str:
        return (super().__repr__()[:-1] +
                f', skip_rates={self.skip_rates.tolist()}, '
                f'instance_source={self.instance_source!r})')


@TRANSFORMS.register_module()
class STCLRSampleClips(SparseLocalSampleClips):
    """STCLR clips: the sparse layout plus one Same Speed Localization tuple.

    Altabrawee & Mohd Noor, "STCLR", Neurocomputing, Eq. 1 and Sec. 3.3:
    :class:`SparseLocalSampleClips` followed by ``K`` SpeedLoc clips of this
    sample's video drawn by :class:`SpeedLocTupleSampleClips`. Layout:
    ``[<sparse layout>, S_0..S_{K-1}]`` (the SpeedLoc clips are always
    last), so ``V = 2n + K`` (``instance_source='local'``) or ``2n + 2 + K``.

    Added Keys: those of :class:`SparseLocalSampleClips` plus
    ``speedloc_speeds`` ``(K,)`` and ``speedloc_label`` (see
    :class:`SpeedLocTupleSampleClips`).

    Args:
        speedloc_num_clips (int): ``K``. Defaults to 3.
        speedloc_speeds (int | Sequence[int]): SpeedLoc skip rates (int =
            max). Defaults to 16 (Sec. 4.2.1).
        speedloc_same_prob (float): ``C2``. Defaults to 0.75.
        speedloc_none_prob (float, optional): ``C3 = 1 - C2``.
        **kwargs: :class:`SparseLocalSampleClips` arguments.

    ``min_frames`` defaults to the larger of the two parts' minimums.
    """

    def __init__(self,
                 speedloc_num_clips: int = 3,
                 speedloc_speeds: Union[int, Sequence[int]] = 16,
                 speedloc_same_prob: float = 0.75,
                 speedloc_none_prob: Optional[float] = None,
                 **kwargs) -> None:
        super().__init__(**kwargs)
        self.speedloc = SpeedLocTupleSampleClips(
            clip_len=self.clip_len,
            num_clips=speedloc_num_clips,
            speeds=speedloc_speeds,
            same_prob=speedloc_same_prob,
            none_prob=speedloc_none_prob,
            test_mode=self.test_mode)
        self.num_clips += speedloc_num_clips

    @property
    def required_frames(self) -> int:
        """Frames for both the sparse layout and the SpeedLoc tuple."""
        return max(super().required_frames, self.speedloc.required_frames)

    def draw(self, results: Dict, total: int) -> Dict:
        """Sample the sparse layout and the SpeedLoc tuple."""
        inds, clip_rates, rates = self.sample_sparse(total)
        speedloc_inds, speeds, label = self.speedloc.sample(total)
        results['local_rates'] = rates.astype(np.int64)
        results['clip_rates'] = np.concatenate([clip_rates, speeds])
        results['speedloc_speeds'] = speeds
        results['speedloc_label'] = label
        return self._write(results, np.concatenate([inds, speedloc_inds]), 1)

    def __repr__(self) -> str:
        return (super().__repr__()[:-1] + f', speedloc={self.speedloc!r})')
