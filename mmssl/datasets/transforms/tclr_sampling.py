"""Clip samplers of TCLR (and the rate helpers the sparse samplers share).

Every sampler writes the indices of *all* clips of a sample into one flat
``frame_inds`` (decoded once by :class:`DecordDecodeUnion`). An augmented
"twin" is the same frames stored a second time: ``PerClipTransform`` gives it
its own augmentation draw, and the union decode reads each frame once.
The clip layout (which index of ``V`` is which clip) is documented per class
and is what the matching algorithm (``TCLR``, ``SimplifiedTCLR``, ``STCLR``)
expects. The Simplified TCLR and STCLR samplers are in
``sparse_sampling.py``.
"""
import sys
from typing import Dict, Optional, Sequence, Union

import numpy as np

from mmssl.registry import TRANSFORMS
from .sampling import (BaseMultiClipSampler, clip_span, fitting_subset,
                       place_clips)

# STCLR Sec. 4.2.3: skip rates of the five sparse local clips.
SPARSITY_PRESETS = {
    'low': (1, 2, 3, 4, 5),
    'medium': (2, 4, 6, 8, 10),
    'high': (4, 8, 12, 16, 20),
    'default': (1, 4, 8, 16, 32),  # Sec. 4.2.4 and 4.3.1
}


def resolve_rates(rates: Union[str, Sequence[int]],
                  name: str) -> np.ndarray:
    """Skip rates from a preset name or a sequence (validated)."""
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


def draw_two_distinct(rates: np.ndarray, name: str, clip_len: int = 1,
                  total_frames: int = sys.maxsize) -> np.ndarray:
    """Two different skip rates drawn from those of ``rates`` whose clips
    fit ``total_frames`` (instance pair)."""
    uniq = np.unique(rates)
    if uniq.size < 2:
        raise ValueError(f'{name} needs two different skip rates (the '
                         f'instance clips differ in speed), got '
                         f'{rates.tolist()}')
    uniq = uniq[fitting_subset(uniq, clip_len, total_frames)]
    return np.random.choice(uniq, 2, replace=False).astype(np.int64)


def second_smallest_span(rates: np.ndarray, clip_len: int) -> int:
    """Frames needed for two distinct rates of ``rates``."""
    return int(clip_span(clip_len, np.unique(rates)[1]))


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

    Short videos: the local rate drops to the largest rate ``<=
    local_rate`` at which the ``P`` local clips fit (the global rate follows
    as ``P`` times it), and the instance rates are drawn from those of
    ``instance_rates`` that fit; ``clip_rates`` records the rates used.
    ``min_frames`` defaults to ``P * clip_len`` (the layout at local rate 1)
    and, for ``'separate'``, to the span of the second smallest instance
    rate if larger.

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
        min_frames (int, optional), on_error (str): See
            :class:`BaseMultiClipSampler`.
        test_mode (bool): Centre the clips.
    """

    INSTANCE_MODES = ('separate', 'global')

    def __init__(self,
                 clip_len: int = 16,
                 num_local_clips: int = 4,
                 local_rate: int = 1,
                 instance_mode: str = 'separate',
                 instance_rates: Sequence[int] = (1, 2, 4, 8),
                 min_frames: Optional[int] = None,
                 on_error: str = 'raise',
                 test_mode: bool = False) -> None:
        if instance_mode not in self.INSTANCE_MODES:
            raise ValueError(f'instance_mode must be one of '
                             f'{self.INSTANCE_MODES}, got {instance_mode!r}')
        num_clips = 2 * num_local_clips + (3 if instance_mode == 'separate'
                                           else 2)
        super().__init__(clip_len, num_clips, min_frames, on_error, test_mode)
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
        self.instance_rates = resolve_rates(instance_rates, 'instance_rates')
        if instance_mode == 'separate':
            draw_two_distinct(self.instance_rates, 'instance_rates')

    @property
    def required_frames(self) -> int:
        """The dense layout at local rate 1 (+ two instance rates)."""
        needed = self.num_local_clips * self.clip_len
        if self.instance_mode == 'separate':
            needed = max(needed, second_smallest_span(
                self.instance_rates, self.clip_len))
        return needed

    def fit_local_rate(self, total_frames: int) -> int:
        """Largest local rate ``<= local_rate`` whose layout fits."""
        length = self.num_local_clips * self.clip_len
        return max(1, min(self.local_rate, (total_frames - 1) // (length - 1)))

    def span_offsets(self, local_rate: Optional[int] = None):
        """Offsets of the local clips ``(P, clip_len)`` and the global clip
        ``(clip_len,)`` from the common start, and their total span (at
        ``local_rate``, default the configured one)."""
        r = self.local_rate if local_rate is None else local_rate
        length = self.clip_len
        steps = np.arange(length) * r
        local = np.arange(self.num_local_clips)[:, None] * length * r + steps
        glob = np.arange(length) * r * self.num_local_clips
        span = int(max(local.max(), glob.max())) + 1
        return local, glob, span

    def draw(self, results: Dict, total: int) -> Dict:
        """Sample all clips of the layout."""
        local_rate = self.fit_local_rate(total)
        local, glob, span = self.span_offsets(local_rate)
        placed = self.place(np.vstack([local, glob[None]]), span, total)
        local_inds, global_inds = placed[:-1], placed[-1:]
        global_rate = local_rate * self.num_local_clips
        p = self.num_local_clips
        local_rates = np.full(2 * p, local_rate)
        if self.instance_mode == 'separate':
            rates = draw_two_distinct(self.instance_rates, 'instance_rates',
                                  self.clip_len, total)
            inst = place_clips(rates, self.clip_len, total, self.test_mode)
            inds = [inst, local_inds, local_inds, global_inds]
            clip_rates = [rates, local_rates, [global_rate]]
        else:
            inds = [global_inds, global_inds, local_inds, local_inds]
            clip_rates = [[global_rate, global_rate], local_rates]
        results['clip_rates'] = np.concatenate(clip_rates).astype(np.int64)
        return self._write(results, np.concatenate(inds), local_rate)

    def __repr__(self) -> str:
        return (super().__repr__()[:-1] +
                f', num_local_clips={self.num_local_clips}, '
                f'local_rate={self.local_rate}, '
                f'instance_mode={self.instance_mode!r})')
