"""Dilated clip sampling for video Playback Rate Perception (PRP)."""
from typing import Dict, Optional, Sequence, Tuple

import numpy as np

from mmssl.registry import TRANSFORMS
from .sampling import BaseMultiClipSampler


@TRANSFORMS.register_module()
class PRPSampleClip(BaseMultiClipSampler):
    """Sample a clip at a random playback rate, plus the frames it skips.

    Yao et al., "Video Playback Rate Perception for Self-supervised
    Spatio-Temporal Representation Learning", CVPR 2020 (dilated
    sampling). A rate class ``r`` is drawn uniformly from ``rates``; the clip
    holds ``clip_len`` frames ``s = rates[r]`` apart (``s = 1``: normal speed,
    ``s = 8``: 8x fast-forward). The generative branch reconstructs the clip
    at twice the temporal resolution (the authors' ``recon_rate = 2``): the
    sampled frames interleaved with the frames half-way between them, which
    dilated sampling skipped. Both sets of indices go into one
    ``frame_inds`` (sampled clip, then skipped frames), so
    :class:`DecordDecodeUnion` decodes them in a single call.

    Frame offsets from the start ``t0`` (``k = 0 .. clip_len - 1``)::

        sampled[k] = t0 + s * k
        skipped[k] = t0 + s * k + s // 2      (s > 1)
        skipped[k] = sampled[k]               (s = 1: nothing is skipped)

    The tuple spans ``clip_len * s`` frames, like the authors' loader, which
    reads ``16 * s`` consecutive frames. At ``s = 1`` there is no frame
    between two sampled frames; the skipped slots repeat the sampled frames
    (no extra decoding) and ``recon_mask`` marks them invalid, as the
    authors' ``recon_flags`` do.

    Required Keys:

        - total_frames

    Added Keys:

        - frame_inds (np.ndarray): ``2 * clip_len`` indices, sampled clip then
          skipped frames (``clip_len`` indices without ``with_skipped``).
        - clip_len, num_clips (2, or 1 without ``with_skipped``),
          frame_interval (``s``)
        - rate_label (int): index of ``s`` in ``rates``.
        - playback_rate (int): ``s``.
        - recon_mask (np.ndarray): float32 ``(2 * clip_len,)`` validity of
          the reconstruction targets in interleaved order (sampled frame
          ``k`` at ``2k``, skipped frame ``k`` at ``2k + 1``); odd entries are
          0 at ``s = 1``. Only with ``with_skipped``.

    Args:
        clip_len (int): Frames of the input clip. Defaults to 16 (PRP).
        rates (Sequence[int]): Dilations, one class each. Defaults to
            ``(1, 2, 4, 8)`` (PRP). Each must be 1 or even, so that the
            half-way frame exists.
        with_skipped (bool): Also sample the skipped frames (generative
            branch). Defaults to True.
        min_frames (int, optional), on_error (str): See
            :class:`BaseMultiClipSampler`. ``min_frames`` defaults to
            ``clip_len * min(rates)`` (the slowest class fits).
        test_mode (bool): Centre the clip in the video. The rate is still
            random (it is the label).

    Short videos: the rate class is drawn uniformly from the classes whose
    span (``clip_len * s``) fits the video, so a clip is never wrapped or
    squeezed and its label is its real step. The authors' loader skips
    videos too short for the drawn rate instead, which for the same class
    balance would need re-drawing.
    """

    def __init__(self,
                 clip_len: int = 16,
                 rates: Sequence[int] = (1, 2, 4, 8),
                 with_skipped: bool = True,
                 min_frames: Optional[int] = None,
                 on_error: str = 'raise',
                 test_mode: bool = False) -> None:
        super().__init__(clip_len, 2 if with_skipped else 1, min_frames,
                         on_error, test_mode)
        rates = tuple(int(r) for r in rates)
        if len(rates) < 2 or len(set(rates)) != len(rates):
            raise ValueError(f'rates must hold >= 2 distinct dilations (one '
                             f'class each), got {rates}')
        bad = [r for r in rates if r < 1 or (r > 1 and r % 2)]
        if bad:
            raise ValueError(
                f'rates must be 1 or even (the skipped frame half-way between '
                f'two sampled frames must exist), got {bad} in {rates}')
        self.rates = rates
        self.with_skipped = with_skipped

    @property
    def num_classes(self) -> int:
        """Number of rate classes."""
        return len(self.rates)

    @property
    def required_frames(self) -> int:
        """The slowest rate class must fit."""
        return self.clip_len * min(self.rates)

    def offsets(self, rate: int) -> Tuple[np.ndarray, int]:
        """Offsets ``(num_clips, clip_len)`` (sampled, then skipped frames)
        and the span of the tuple in frames."""
        sampled = np.arange(self.clip_len) * rate
        rows = [sampled]
        if self.with_skipped:
            rows.append(sampled + rate // 2)
        return np.stack(rows), self.clip_len * rate

    def recon_mask(self, rate: int) -> np.ndarray:
        """Validity ``(2 * clip_len,)`` of the interleaved targets."""
        mask = np.ones((self.clip_len, 2), dtype=np.float32)
        if rate == 1:
            mask[:, 1] = 0
        return mask.reshape(-1)

    def draw(self, results: Dict, total_frames: int) -> Dict:
        """Draw a rate that fits, sample the clip and the skipped frames."""
        fitting = [k for k, r in enumerate(self.rates)
                   if self.clip_len * r <= total_frames]
        label = fitting[int(np.random.randint(len(fitting)))]
        rate = self.rates[label]
        offsets, span = self.offsets(rate)
        inds = self.place(offsets, span, total_frames)
        results['rate_label'] = label
        results['playback_rate'] = rate
        if self.with_skipped:
            results['recon_mask'] = self.recon_mask(rate)
        return self._write(results, inds, rate)

    def __repr__(self) -> str:
        return (super().__repr__()[:-1] + f', rates={self.rates}, '
                f'with_skipped={self.with_skipped})')
