"""Patch-grid, random-block and whole-frame masks (Jeyaprabhavathi, 3.4).

Token grid and order as in :mod:`.masking` (VideoMAE's tube masks) with one
frame per token slice: token ``n = (t * H' + h) * W' + w`` is the
``patch x patch`` square at ``(h, w)`` of frame ``t``. Every generator
returns exactly the same number of masked tokens in each row, so the masked
positions of a batch can be gathered densely.
"""
from typing import Dict, Optional, Sequence, Tuple

import numpy as np
from mmcv.transforms import BaseTransform

from mmssl.registry import TRANSFORMS

MASK_MODES = ('patch', 'block', 'frame')


def _check(grid_size: Sequence[int], mask_ratio: float,
           batch_size: int) -> Tuple[int, int, int]:
    if len(grid_size) != 3 or min(grid_size) < 1:
        raise ValueError('grid_size must be three positive ints (T, H\', '
                         f'W\'), got {tuple(grid_size)}')
    if not 0.0 <= mask_ratio <= 1.0:
        raise ValueError(f'mask_ratio must be in [0, 1], got {mask_ratio}')
    if batch_size < 1:
        raise ValueError(f'batch_size must be >= 1, got {batch_size}')
    return tuple(int(s) for s in grid_size)


def _rng(rng: Optional[np.random.Generator]):
    """The given generator, or NumPy's global state (seeded per worker)."""
    return rng if rng is not None else np.random.mtrand._rand


def patch_grid_mask(grid_size: Sequence[int],
                    mask_ratio: float,
                    batch_size: int = 1,
                    rng: Optional[np.random.Generator] = None) -> np.ndarray:
    """Independent random patches of the whole clip's patch grid.

    ``round(mask_ratio * T * H' * W')`` tokens per row, drawn without
    replacement (Table 4's "patch grid masking": local texture reasoning).

    Args:
        grid_size (Sequence[int]): ``(T, H', W')`` frames x patch grid.
        mask_ratio (float): Fraction of tokens masked.
        batch_size (int): Independent masks.
        rng (np.random.Generator, optional): ``None``: NumPy's global state.

    Returns:
        np.ndarray: bool ``(B, T * H' * W')``, ``True`` = masked.
    """
    frames, height, width = _check(grid_size, mask_ratio, batch_size)
    num = frames * height * width
    order = np.argsort(_rng(rng).random((batch_size, num)), axis=1)
    mask = np.zeros((batch_size, num), dtype=bool)
    np.put_along_axis(mask, order[:, :int(round(mask_ratio * num))], True, 1)
    return mask


def _below(rng, high: int) -> int:
    """Uniform int in ``[0, high)`` from a ``Generator`` or ``RandomState``."""
    return int(rng.random() * high)


def _one_block_mask(grid: Tuple[int, int, int], target: int,
                    rng, max_tries: int) -> np.ndarray:
    frames, height, width = grid
    mask = np.zeros(grid, dtype=bool)
    count = 0
    for _ in range(max_tries):
        if count == target:
            break
        size = [1 + _below(rng, s) for s in grid]
        start = [_below(rng, s - b + 1) for s, b in zip(grid, size)]
        box = np.zeros(grid, dtype=bool)
        box[start[0]:start[0] + size[0], start[1]:start[1] + size[1],
            start[2]:start[2] + size[2]] = True
        new = np.flatnonzero(box & ~mask)
        new = new[:target - count]  # the last block is cut in raster order
        mask.flat[new] = True
        count += len(new)
    if count < target:  # pathological draws only: fill at random
        free = np.flatnonzero(~mask)
        mask.flat[rng.permutation(free)[:target - count]] = True
    return mask.reshape(-1)


def random_block_mask(grid_size: Sequence[int],
                      mask_ratio: float,
                      batch_size: int = 1,
                      rng: Optional[np.random.Generator] = None,
                      max_tries: int = 1000) -> np.ndarray:
    """Random space-time boxes of patches (Table 4's "random block
    masking": global contextual cues).

    Boxes with side lengths uniform in ``[1, T]``, ``[1, H']``, ``[1, W']``
    at uniform positions are added until ``round(mask_ratio * T * H' * W')``
    tokens are masked; the box that would overshoot contributes only its
    first new tokens in raster order, so the count is exact.

    Args and returns: as :func:`patch_grid_mask`; ``max_tries`` bounds the
    boxes drawn per row (the rest, if any, is filled at random).
    """
    grid = _check(grid_size, mask_ratio, batch_size)
    target = int(round(mask_ratio * grid[0] * grid[1] * grid[2]))
    rng = _rng(rng)
    return np.stack([
        _one_block_mask(grid, target, rng, max_tries)
        for _ in range(batch_size)
    ])


def frame_mask(grid_size: Sequence[int],
               mask_ratio: float,
               batch_size: int = 1,
               rng: Optional[np.random.Generator] = None) -> np.ndarray:
    """Whole frames (Table 4's "frame masking": motion continuity).

    ``round(mask_ratio * T)`` random frames per row have all their
    ``H' * W'`` tokens masked, so the reached ratio is a multiple of
    ``1 / T`` (e.g. 4 of 8 frames = 50 % for a requested 45 %).

    Args and returns: as :func:`patch_grid_mask`.
    """
    frames, height, width = _check(grid_size, mask_ratio, batch_size)
    per_frame = patch_grid_mask((1, 1, frames), mask_ratio, batch_size, rng)
    return np.repeat(per_frame, height * width, axis=1)


MASK_FUNCTIONS = dict(
    patch=patch_grid_mask, block=random_block_mask, frame=frame_mask)


@TRANSFORMS.register_module()
class SpatioTemporalMaskGenerator(BaseTransform):
    """Data transform writing one patch / block / frame mask per clip.

    Jeyaprabhavathi, Sec. 3.4 and Table 4 (three masking types), Table 7
    (ratio 45 %). Like :class:`TubeMaskGenerator` the mask comes with the
    clip from the data pipeline (the model stays deterministic given its
    inputs; NumPy's global state is seeded per worker by MMEngine), and the
    algorithm blanks the masked patches of its input.

    Required Keys: ``num_clips`` (optional, default 1).

    Added Keys:

        - mask (np.ndarray): bool ``(num_clips, T * H' * W')``; pack it with
          ``PackSSLInputs(target_keys=('mask', ...))``.
        - mask_mode (list[str]): the mode of each clip's mask.

    Args:
        input_size (Sequence[int]): ``(T, H', W')``: frames per clip and the
            patch grid (frame size / ``patch_size``).
        mask_ratio (float): Defaults to 0.45 (Table 7).
        modes (Sequence[str]): Modes drawn from, per clip. Defaults to all
            three (the paper masks "frames and spatial patches").
        mode_probs (Sequence[float], optional): Their probabilities;
            uniform if ``None``. With modes of different reachable ratios
            (frame masks round to whole frames) rows of a batch may hold
            different counts; :class:`MaskedPixelHead` allows that.
    """

    def __init__(self,
                 input_size: Sequence[int],
                 mask_ratio: float = 0.45,
                 modes: Sequence[str] = MASK_MODES,
                 mode_probs: Optional[Sequence[float]] = None) -> None:
        self.input_size = _check(input_size, mask_ratio, 1)
        self.mask_ratio = float(mask_ratio)
        unknown = [m for m in modes if m not in MASK_MODES]
        if not modes or unknown:
            raise ValueError(f'modes must be a non-empty subset of '
                             f'{MASK_MODES}, got {tuple(modes)}')
        self.modes = tuple(modes)
        if mode_probs is not None:
            probs = np.asarray(mode_probs, dtype=float)
            if probs.shape != (len(self.modes), ) or probs.min() < 0 or \
                    not np.isclose(probs.sum(), 1.0):
                raise ValueError('mode_probs must be one probability per '
                                 f'mode summing to 1, got {mode_probs}')
            mode_probs = probs
        self.mode_probs = mode_probs

    def transform(self, results: Dict) -> Dict:
        """Add ``mask`` ``(num_clips, N)`` and ``mask_mode``."""
        num_clips = int(results.get('num_clips', 1))
        modes = [
            self.modes[int(np.random.choice(len(self.modes),
                                            p=self.mode_probs))]
            for _ in range(num_clips)
        ]
        results['mask'] = np.concatenate([
            MASK_FUNCTIONS[m](self.input_size, self.mask_ratio, 1)
            for m in modes
        ])
        results['mask_mode'] = modes
        return results

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}(input_size={self.input_size}, '
                f'mask_ratio={self.mask_ratio}, modes={self.modes})')
