"""Whole-clip rotations by multiples of 90 degrees (RotNet-3D pretext)."""
from typing import Optional, Sequence, Tuple

import torch
from torch import Tensor


def check_angles(angles: Sequence[int]) -> Tuple[int, ...]:
    """Validate a rotation-angle set and return it as a tuple.

    Angles are in degrees, anticlockwise as displayed, and must be distinct
    multiples of 90 in ``[0, 360)`` (an exact pixel permutation, no
    interpolation and no empty corners). At least two are needed.
    """
    angles = tuple(int(a) for a in angles)
    bad = [a for a in angles if a % 90 or not 0 <= a < 360]
    if bad:
        raise ValueError(f'angles must be multiples of 90 in [0, 360), got '
                         f'{bad} in {angles}')
    if len(angles) < 2 or len(set(angles)) != len(angles):
        raise ValueError(f'angles must hold >= 2 distinct values (one class '
                         f'each), got {angles}')
    return angles


def center_crop_square(clips: Tensor) -> Tensor:
    """Centre-crop ``(..., H, W)`` to ``(..., S, S)``, ``S = min(H, W)``."""
    height, width = clips.shape[-2:]
    side = min(height, width)
    top, left = (height - side) // 2, (width - side) // 2
    return clips[..., top:top + side, left:left + side]


def rotate_clips(clips: Tensor, quarter_turns: Tensor) -> Tensor:
    """Rotate every frame of each clip by its own multiple of 90 degrees.

    Jing et al., "Self-supervised Spatiotemporal Feature Learning via Video
    Rotation Prediction", arXiv:1811.11387: all frames of a clip get the
    same rotation.

    Args:
        clips (Tensor): ``(N, C, T, H, W)``; ``H == W`` unless every turn
            count is even.
        quarter_turns (Tensor): Long ``(N,)``; clip ``n`` is rotated by
            ``90 * quarter_turns[n]`` degrees anticlockwise as displayed
            (``torch.rot90`` from the H axis towards the W axis).

    Returns:
        Tensor: ``(N, C, T, H, W)``. The work is one ``rot90`` per distinct
        turn count (at most 4), not one per clip.
    """
    if clips.dim() != 5 or quarter_turns.shape != clips.shape[:1]:
        raise ValueError(f'expected clips (N, C, T, H, W) and quarter_turns '
                         f'(N,), got {tuple(clips.shape)} and '
                         f'{tuple(quarter_turns.shape)}')
    turns = quarter_turns.to(clips.device).remainder(4)
    odd = bool((turns % 2 == 1).any())
    if odd and clips.shape[-1] != clips.shape[-2]:
        raise ValueError(
            f'rotating by 90/270 degrees needs square frames, got '
            f'{tuple(clips.shape[-2:])}; crop square frames in the pipeline '
            'or use center_crop_square')
    out = clips.clone()
    for k in range(1, 4):
        select = turns == k
        if select.any():
            out[select] = torch.rot90(clips[select], k, dims=(-2, -1))
    return out


def draw_rotation_labels(num_clips: int,
                         num_classes: int,
                         mode: str = 'random',
                         device: Optional[torch.device] = None) -> Tensor:
    """Rotation classes of ``num_clips`` clips.

    Args:
        num_clips (int): Clips in the batch, ``N``.
        num_classes (int): Angles in the set, ``K``.
        mode (str): ``'random'``: one uniform class per clip (torch's global
            generator, so MMEngine's ``randomness.seed`` makes it
            reproducible), ``(N,)``. ``'all'``: every clip in every class,
            ``(K * N,)`` laid out class-major (``[0]*N, [1]*N, ...``), to be
            paired with the clips repeated ``K`` times.
        device (torch.device, optional): Device of the labels.

    Returns:
        Tensor: Long labels.
    """
    if mode == 'random':
        return torch.randint(num_classes, (num_clips, ), device=device)
    if mode == 'all':
        return torch.arange(
            num_classes, device=device).repeat_interleave(num_clips)
    raise ValueError(f"mode must be 'random' or 'all', got {mode!r}")
