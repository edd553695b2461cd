"""Clip samplers of TCLR, Simplified TCLR and Sparse TCLR (STCLR).

Every sampler writes the indices of *all* clips of a sample into one flat
``frame_inds`` (decoded once by :class:`DecordDecodeUnion`). An augmented
"twin" is the same frames stored a second time: ``PerClipTransform`` gives it
its own augmentation draw, and the union decode reads each frame once.
The clip layout (which index of ``V`` is which clip) is documented per class
and is what the matching algorithm (``TCLR``, ``SimplifiedTCLR``, ``STCLR``)
expects.
"""
from typing import Dict, Optional, Sequence, Union

import numpy as np

from mmssl.registry import TRANSFORMS
from .same_speed_sampling import (SpeedLocTupleSampleClips, place_clips,
                                  speed_offsets)
from .sampling import BaseMultiClipSampler

# STCLR Sec. 4.2.3: skip rates of the five sparse local clips.
SPARSITY_PRESETS = {
    'low': (1, 2, 3, 4, 5),
    'medium': (2, 4, 6, 8, 10),
    'high': (4, 8, 12, 16, 20),
    'default': (1, 4, 8, 16, 32),  # Sec. 4.2.4 and 4.3.1
}


def _rates(rates: Union[str, Sequence[int]], name: str) -> np.ndarray:
    if isinstance(rates, str):
        if rates not in SPARSITY_PRESETS:
            raise ValueError(f'{name} preset must be one of '
                             f'{sorted(SPARSITY_PRESETS)}, got {rates!r}')
        rates = SPARSITY_PRESETS[rates]
    rates = np.asarray(list(rates), dtype=np.int64)
    if rates.ndim != 1 or rates.size < 1 or rates.min() < 1:
        raise ValueError(f'{name} must be positive skip rates, got '
                         f'{rates.tolist()}')
    return rates


def _two_distinct(rates: np.ndarray, name: str) -> np.ndarray:
    """Two different skip rates drawn from ``rates`` (instance pair)."""
    uniq = np.unique(rates)
    if uniq.size < 2:
        raise ValueError(f'{name} needs two different skip rates (the '
                         f'instance clips differ in speed), got '
                         f'{rates.tolist()}')
    return np.random.choice(uniq, 2, replace=False).astype(np.int64)


@TRANSFORMS.register_module()
class TCLRSampleClips(BaseMultiClipSampler):
    """TCLR clips: instance pair, dense local clips (+ twins), global clip.

    Dave et al., "TCLR: Temporal Contrastive Learning for Video
    Representation", CVIU 2022, as summarised in Altabrawee & Mohd Noor,
    "STCLR", Neurocomputing, Sec. 2-3: ``P = num_local_clips`` adjacent,
    non-overlapping local clips of ``clip_len`` frames at skip rate
    ``local_rate`` (local clip ``p`` covers offsets
    ``[p * clip_len * r, (p + 1) * clip_len * r)``), each with an augmented
    twin; one global clip of ``clip_len`` frames from the same start at
    ``P * local_rate`` (4x for ``P = 4``), so it spans the local clips and
    its ``p``-th group of ``clip_len / P`` frames lies in local clip ``p``
    (the global-local loss matches that group's feature timestep to local
    clip ``p``).

    Instance pair (``instance_mode``):

    - ``'separate'`` (Eq. 2 of STCLR): two extra clips at two different
      rates drawn from ``instance_rates``, each from its own random start
      (they may overlap). Layout, ``V = 2P + 3``:
      ``[I_0, I_1, L_0..L_{P-1}, L'_0..L'_{P-1}, G]``.
    - ``'global'`` (TCLR's released code; STCLR Table 7 "ten clips"): the
      global clip and its augmented twin are the pair. Layout,
      ``V = 2P + 2``: ``[G, G', L_0..L_{P-1}, L'_0..L'_{P-1}]``.

    Required Keys: total_frames

    Added Keys:

        - frame_inds, clip_len, num_clips (= V), frame_interval (= local rate)
        - clip_rates (np.ndarray): ``(V,)`` skip rate of every clip.

    Args:
        clip_len (int): Frames per clip. Defaults to 16 (paper).
        num_local_clips (int): ``P``. Defaults to 4 (TCLR).
        local_rate (int): Skip rate of the local clips. Defaults to 1.
        instance_mode (str): ``'separate'`` or ``'global'``.
        instance_rates (Sequence[int]): Candidate rates of the separate
            instance clips. Defaults to (1, 2, 4, 8).
        short_video_mode (str): See :func:`fit_indices_to_video`.
        test_mode (bool): Centre the clips.
    """

    INSTANCE_MODES = ('separate', 'global')

    def __init__(self,
                 clip_len: int = 16,
                 num_local_clips: int = 4,
                 local_rate: int = 1,
                 instance_mode: str = 'separate',
                 instance_rates: Sequence[int] = (1, 2, 4, 8),
                 short_video_mode: str = 'resample',
                 test_mode: bool = False) -> None:
        if instance_mode not in self.INSTANCE_MODES:
            raise ValueError(f'instance_mode must be one of '
                             f'{self.INSTANCE_MODES}, got {instance_mode!r}')
        num_clips = 2 * num_local_clips + (3 if instance_mode == 'separate'
                                           else 2)
        super().__init__(clip_len, num_clips, short_video_mode, test_mode)
        if num_local_clips < 2 or local_rate < 1:
            raise ValueError(f'num_local_clips must be >= 2 and local_rate '
                             f'>= 1, got {num_local_clips}, {local_rate}')
        if clip_len % num_local_clips:
            raise ValueError(
                f'clip_len ({clip_len}) must be divisible by num_local_clips '
                f'({num_local_clips}): each local clip is matched to '
                'clip_len / num_local_clips frames of the global clip')
        self.num_local_clips = num_local_clips
        self.local_rate = local_rate
        self.instance_mode = instance_mode
        self.instance_rates = _rates(instance_rates, 'instance_rates')
        if instance_mode == 'separate':
            _two_distinct(self.instance_rates, 'instance_rates')

    def span_offsets(self):
        """Offsets of the local clips ``(P, clip_len)`` and the global clip
        ``(clip_len,)`` from the common start, and their total span."""
        r, length = self.local_rate, self.clip_len
        steps = np.arange(length) * r
        local = np.arange(self.num_local_clips)[:, None] * length * r + steps
        glob = np.arange(length) * r * self.num_local_clips
        span = int(max(local.max(), glob.max())) + 1
        return local, glob, span

    def transform(self, results: Dict) -> Dict:
        """Sample all clips of the layout."""
        total = results['total_frames']
        local, glob, span = self.span_offsets()
        placed = self.place(np.vstack([local, glob[None]]), span, total)
        local_inds, global_inds = placed[:-1], placed[-1:]
        global_rate = self.local_rate * self.num_local_clips
        p = self.num_local_clips
        local_rates = np.full(2 * p, self.local_rate)
        if self.instance_mode == 'separate':
            rates = _two_distinct(self.instance_rates, 'instance_rates')
            offsets, spans = speed_offsets(self.clip_len, rates)
            inst = place_clips(offsets, spans, total, self.short_video_mode,
                               self.test_mode)
            inds = [inst, local_inds, local_inds, global_inds]
            clip_rates = [rates, local_rates, [global_rate]]
        else:
            inds = [global_inds, global_inds, local_inds, local_inds]
            clip_rates = [[global_rate, global_rate], local_rates]
        results['clip_rates'] = np.concatenate(clip_rates).astype(np.int64)
        return self._write(results, np.concatenate(inds), self.local_rate)

    def __repr__(self) -> str:
        return (super().__repr__()[:-1] +
                f', num_local_clips={self.num_local_clips}, '
                f'local_rate={self.local_rate}, '
                f'instance_mode={self.instance_mode!r})')


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
        short_video_mode (str): See :func:`fit_indices_to_video`; applied
            per clip.
        test_mode (bool): Centre each clip.
    """

    INSTANCE_SOURCES = ('local', 'separate')

    def __init__(self,
                 clip_len: int = 16,
                 skip_rates: Union[str, Sequence[int]] = 'default',
                 instance_source: str = 'local',
                 instance_rates: Optional[Sequence[int]] = None,
                 short_video_mode: str = 'resample',
                 test_mode: bool = False) -> None:
        rates = _rates(skip_rates, 'skip_rates')
        if instance_source not in self.INSTANCE_SOURCES:
            raise ValueError(f'instance_source must be one of '
                             f'{self.INSTANCE_SOURCES}, got '
                             f'{instance_source!r}')
        extra = 2 if instance_source == 'separate' else 0
        super().__init__(clip_len, 2 * rates.size + extra, short_video_mode,
                         test_mode)
        self.skip_rates = rates
        self.instance_source = instance_source
        if instance_source == 'local' and np.unique(rates).size != rates.size:
            raise ValueError('instance_source="local" needs distinct '
                             f'skip_rates, got {rates.tolist()}')
        self.instance_rates = rates if instance_rates is None else _rates(
            instance_rates, 'instance_rates')
        _two_distinct(self.instance_rates if extra else rates,
                      'instance_rates' if extra else 'skip_rates')

    @property
    def num_local_clips(self) -> int:
        """``n``, the number of sparse local clips."""
        return int(self.skip_rates.size)

    def sample_sparse(self, total_frames: int):
        """Indices ``(V, clip_len)`` of the sparse layout and its rates."""
        rates = self.skip_rates
        if self.instance_source == 'local':
            rates = np.random.permutation(rates)
        offsets, spans = speed_offsets(self.clip_len, rates)
        local = place_clips(offsets, spans, total_frames,
                            self.short_video_mode, self.test_mode)
        inds, clip_rates = [local, local], [rates, rates]
        if self.instance_source == 'separate':
            inst_rates = _two_distinct(self.instance_rates, 'instance_rates')
            offsets, spans = speed_offsets(self.clip_len, inst_rates)
            inds.insert(0, place_clips(offsets, spans, total_frames,
                                       self.short_video_mode, self.test_mode))
            clip_rates.insert(0, inst_rates)
        return np.concatenate(inds), np.concatenate(clip_rates), rates

    def transform(self, results: Dict) -> Dict:
        """Sample the sparse layout."""
        inds, clip_rates, rates = self.sample_sparse(results['total_frames'])
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
    ``[<sparse layout>, S_0..S_{K-1}]`` (the SpeedLoc clips are always last), so
    ``V = 2n + K`` (``instance_source='local'``) or ``2n + 2 + K``.

    Added Keys: those of :class:`SparseLocalSampleClips` plus ``speedloc_speeds``
    ``(K,)`` and ``speedloc_label`` (see :class:`SpeedLocTupleSampleClips`).

    Args:
        speedloc_num_clips (int): ``K``. Defaults to 3.
        speedloc_speeds (int | Sequence[int]): SpeedLoc skip rates (int = max).
            Defaults to 16 (Sec. 4.2.1).
        speedloc_same_prob (float): ``C2``. Defaults to 0.75.
        speedloc_none_prob (float, optional): ``C3 = 1 - C2``.
        speedloc_short_video_mode (str): Defaults to ``'loop'`` (keeps speeds).
        **kwargs: :class:`SparseLocalSampleClips` arguments.
    """

    def __init__(self,
                 speedloc_num_clips: int = 3,
                 speedloc_speeds: Union[int, Sequence[int]] = 16,
                 speedloc_same_prob: float = 0.75,
                 speedloc_none_prob: Optional[float] = None,
                 speedloc_short_video_mode: str = 'loop',
                 **kwargs) -> None:
        super().__init__(**kwargs)
        self.speedloc = SpeedLocTupleSampleClips(
            clip_len=self.clip_len,
            num_clips=speedloc_num_clips,
            speeds=speedloc_speeds,
            same_prob=speedloc_same_prob,
            none_prob=speedloc_none_prob,
            short_video_mode=speedloc_short_video_mode,
            test_mode=self.test_mode)
        self.num_clips += speedloc_num_clips

    def transform(self, results: Dict) -> Dict:
        """Sample the sparse layout and the SpeedLoc tuple."""
        total = results['total_frames']
        inds, clip_rates, rates = self.sample_sparse(total)
        speedloc_inds, speeds, label = self.speedloc.sample(total)
        results['local_rates'] = rates.astype(np.int64)
        results['clip_rates'] = np.concatenate([clip_rates, speeds])
        results['speedloc_speeds'] = speeds
        results['speedloc_label'] = label
        return self._write(results, np.concatenate([inds, speedloc_inds]), 1)

    def __repr__(self) -> str:
        return (super().__repr__()[:-1] + f', speedloc={self.speedloc!r})')
