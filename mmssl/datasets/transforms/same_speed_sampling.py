"""Same Speed Localization (SpeedLoc) tuples: speeds, labels and clip indices.

STCLR (Altabrawee & Mohd Noor, "STCLR: Sparse Temporal Contrastive Learning
for Video Representation", Neurocomputing), Sec. 3.3 and Fig. 4: a tuple of
``K`` clips; with probability ``C2`` exactly ``S = 2`` of them share a speed
(skip rate), otherwise (probability ``C3 = 1 - C2``) all speeds differ. The
label is the position of the same-speed pair among the ``K(K-1)/2`` pairs
in :func:`speed_pairs` order, or ``K(K-1)/2`` ("None") when all speeds
differ; for ``K = 3``: ``[12, 13, 23, None] -> [0, 1, 2, 3]``.

Whether the clips come from one video or from ``K`` different videos
(probability ``C1``) is decided after sampling: by the algorithm from the
clips already decoded in the batch (:func:`mmssl.models.utils.
compose_speed_tuples`), or, at extra cost, by
:class:`ReadCrossVideoSpeedLocClips`. In every case the label is computed from
the speeds of the clips actually used (:func:`speed_tuple_label`).
"""
import itertools
from typing import Dict, Optional, Sequence, Tuple, Union

import numpy as np

from mmssl.registry import TRANSFORMS
from .sampling import BaseMultiClipSampler, clip_span, place_clips


def speed_pairs(num_clips: int) -> Tuple[Tuple[int, int], ...]:
    """Clip pairs ``(i, j), i < j`` in label order (``12, 13, 23`` for 3)."""
    return tuple(itertools.combinations(range(num_clips), 2))


def speed_tuple_label(speeds):
    """SpeedLoc label(s) from clip speeds: the one definition of the label.

    Used by the samplers (numpy) and by the in-batch tuple composition
    (torch, :func:`mmssl.models.utils.compose_speed_tuples`): the
    arithmetic below runs unchanged on numpy arrays and torch tensors (on
    any device), so both sides derive labels the same way.

    Args:
        speeds (np.ndarray | Tensor | Sequence[int]): ``(..., K)`` skip
            rates of the tuple's clips.

    Returns:
        np.ndarray | Tensor: ``(...)`` int64 labels: index of the single
        equal-speed pair in :func:`speed_pairs` order, ``K(K-1)/2`` if all
        speeds differ, ``-1`` if more than one pair is equal (not a valid
        SpeedLoc tuple).
    """
    if not hasattr(speeds, 'shape'):
        speeds = np.asarray(speeds)
    pairs = speed_pairs(speeds.shape[-1])
    equal = (speeds[..., [i for i, _ in pairs]] ==
             speeds[..., [j for _, j in pairs]])
    count = equal.sum(-1)
    position = (equal * 1).argmax(-1)
    return ((count == 0) * len(pairs) + (count == 1) * position -
            (count > 1) * 1)


def resolve_same_prob(same_prob: float, none_prob: Optional[float]) -> float:
    """Check ``C2`` and the optional ``C3``; they must satisfy C3 = 1 - C2."""
    if not 0.0 <= same_prob <= 1.0:
        raise ValueError(f'same_prob (C2) must be in [0, 1], got {same_prob}')
    if none_prob is not None and abs(same_prob + none_prob - 1.0) > 1e-6:
        raise ValueError(f'none_prob (C3) must equal 1 - same_prob (C2) '
                         f'(STCLR Sec. 3.3), got C2={same_prob}, '
                         f'C3={none_prob}')
    return float(same_prob)


def resolve_speeds(speeds: Union[int, Sequence[int]], num_clips: int,
                   name: str = 'speeds') -> np.ndarray:
    """Candidate speeds: an int ``m`` means ``1..m`` (the max skip rate)."""
    if isinstance(speeds, (int, np.integer)):
        speeds = range(1, int(speeds) + 1)
    speeds = np.unique(np.asarray(list(speeds), dtype=np.int64))
    if speeds.size < num_clips or speeds.min() < 1:
        raise ValueError(
            f'{name} needs at least num_clips={num_clips} distinct '
            f'positive skip rates, got {speeds.tolist()}')
    return speeds


def draw_speed_tuple(speeds: np.ndarray, num_clips: int,
                     same_prob: float) -> Tuple[np.ndarray, int]:
    """Draw the speeds of one SpeedLoc tuple and its label.

    With probability ``same_prob`` (C2) one pair (uniform over the pairs)
    shares a speed drawn uniformly from ``speeds`` and the other clips get
    distinct other speeds; otherwise all ``num_clips`` speeds are distinct.

    Returns:
        tuple: speeds ``(num_clips,)`` and the label.
    """
    pairs = speed_pairs(num_clips)
    if np.random.rand() < same_prob:
        label = int(np.random.randint(len(pairs)))
        i, j = pairs[label]
        picked = np.random.choice(speeds, num_clips - 1, replace=False)
        others = [k for k in range(num_clips) if k not in (i, j)]
        out = np.empty(num_clips, dtype=np.int64)
        out[[i, j]] = picked[0]
        out[others] = picked[1:]
        return out, label
    out = np.random.choice(speeds, num_clips, replace=False).astype(np.int64)
    return out, len(pairs)


@TRANSFORMS.register_module()
class SpeedLocTupleSampleClips(BaseMultiClipSampler):
    """Sample a Same Speed Localization tuple of one video (STCLR Sec. 3.3).

    Altabrawee & Mohd Noor, "STCLR", Neurocomputing, Sec. 3.3 / 4.2.1:
    ``K = 3`` clips of ``clip_len`` frames; clip ``k`` is read with skip rate
    ``speedloc_speeds[k]`` from its own uniformly random start (clips may
    overlap). Speeds follow :func:`draw_speed_tuple` (``C2`` same pair,
    ``C3 = 1 - C2`` all different). All clips come from this sample's video;
    the cross-video case (``C1``) is built later (module docstring).

    Short videos: the speeds are drawn from the candidate speeds whose clip
    fits the video (``(clip_len - 1) * speed + 1`` frames), so no clip wraps
    around (a jump cut that only fast clips would show) and ``C2``/``C3``
    and the label stay exact; the label is computed from the speeds drawn
    (:func:`speed_tuple_label`). A video must fit ``K`` distinct speeds
    (``min_frames``).

    Clip layout (``V = K``): ``[S_0, ..., S_{K-1}]``, the tuple in order.

    Required Keys:

        - total_frames

    Added Keys:

        - frame_inds (np.ndarray): ``K * clip_len`` indices, clip after clip.
        - clip_len, num_clips (= K), frame_interval (= 1; rates vary)
        - speedloc_speeds (np.ndarray): ``(K,)`` skip rate of each clip.
        - speedloc_label (int): position of the same-speed pair or ``None``
          class.
        - clip_rates (np.ndarray): ``(V,)`` skip rate of every clip.

    Args:
        clip_len (int): Frames per clip. Defaults to 16 (paper).
        num_clips (int): ``K``. Defaults to 3 (paper).
        speeds (int | Sequence[int]): Candidate skip rates; an int ``m`` means
            ``1..m``. Defaults to 16 ("max skip rate of 16", Sec. 4.2.1).
        same_prob (float): ``C2``. Defaults to 0.75 (Sec. 4.2.1).
        none_prob (float, optional): ``C3``; must be ``1 - C2`` if given
            (Sec. 3.3). Defaults to None (derived).
        num_same (int): ``S``; only 2 is defined by the paper's labels.
        min_frames (int, optional), on_error (str): See
            :class:`BaseMultiClipSampler`.
        test_mode (bool): Centre each clip (speeds stay random).
    """

    def __init__(self,
                 clip_len: int = 16,
                 num_clips: int = 3,
                 speeds: Union[int, Sequence[int]] = 16,
                 same_prob: float = 0.75,
                 none_prob: Optional[float] = None,
                 num_same: int = 2,
                 min_frames: Optional[int] = None,
                 on_error: str = 'raise',
                 test_mode: bool = False) -> None:
        super().__init__(clip_len, num_clips, min_frames, on_error, test_mode)
        if num_same != 2 or num_clips < 2:
            raise ValueError(f'SpeedLoc labels are defined for num_same=2 '
                             f'and num_clips >= 2, got num_same={num_same}, '
                             f'num_clips={num_clips}')
        self.speeds = resolve_speeds(speeds, num_clips)
        self.same_prob = resolve_same_prob(same_prob, none_prob)

    @property
    def none_prob(self) -> float:
        """``C3 = 1 - C2``: probability that all speeds differ."""
        return 1.0 - self.same_prob

    @property
    def num_classes(self) -> int:
        """``K(K-1)/2`` pair positions plus the ``None`` class."""
        return len(speed_pairs(self.num_clips)) + 1

    @property
    def required_frames(self) -> int:
        """Frames for ``K`` distinct speeds (the ``None`` class exists)."""
        return int(clip_span(self.clip_len, self.speeds[self.num_clips - 1]))

    def sample(self, total_frames: int) -> Tuple[np.ndarray, np.ndarray, int]:
        """Frame indices ``(K, clip_len)``, speeds ``(K,)`` and label of a
        video of ``total_frames >= required_frames``."""
        fitting = self.speeds[
            clip_span(self.clip_len, self.speeds) <= total_frames]
        speeds, _ = draw_speed_tuple(fitting, self.num_clips, self.same_prob)
        inds = place_clips(speeds, self.clip_len, total_frames,
                           self.test_mode)
        return inds, speeds, int(speed_tuple_label(speeds))

    def draw(self, results: Dict, total_frames: int) -> Dict:
        """Sample the tuple and write its indices and targets."""
        inds, speeds, label = self.sample(total_frames)
        results['speedloc_speeds'] = speeds
        results['speedloc_label'] = label
        results['clip_rates'] = speeds.copy()
        return self._write(results, inds, 1)

    def __repr__(self) -> str:
        return (super().__repr__()[:-1] +
                f', speeds={self.speeds.tolist()}, '
                f'same_prob={self.same_prob})')
