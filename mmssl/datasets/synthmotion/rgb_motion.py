"""Class motions of the RGB-rankable SynthMotion variant (``'rgb'``): the
same eight classes as SynthMotion, at a constant speed of 2.5-4 px per
frame (at 64 px; scaled with the frame) instead of one sweep spread over
the whole video.

Why faster: SynthMotion's default motion spans the video, about 0.5-1.2 px
per frame at 64 px, i.e. well under a pixel per sampled frame at the tiny
configs' 32 px crops; a from-scratch tiny R3D on RGB then never picks up
the motion (docs/datasets/synthmotion.md). Here every clip of every video
moves by several pixels between sampled frames:

- ``move_*``: translation that wraps around (the object leaves one side
  completely, then re-enters on the other), so any speed fits any length;
- ``orbit_*``: angular speed = speed / radius (1.5-3 turns per 48 frames);
- ``zoom_*``: a sawtooth: the size grows (shrinks) by 2.5x over a period
  of 12-16 frames, then jumps back; within a period the direction is
  unambiguous, and a clip of 8 frames at stride 2 straddles at most one
  jump.
"""
from typing import Tuple

import numpy as np

from .params import SYNTHMOTION_CLASSES

__all__ = ['RGB_SPEED_RANGE', 'rgb_object_motion']

RGB_SPEED_RANGE = (2.5, 4.0)  # pixels per frame at a 64-pixel frame
ORBIT_RADIUS_RANGE = (0.18, 0.26)  # fraction of S = min(H, W)
ZOOM_PERIOD_RANGE = (12, 17)  # frames (integers, high exclusive)
ZOOM_RATIO = 2.5  # size ratio over one zoom period


def _free_centre(rng: np.random.Generator, extent: float, height: int,
                 width: int) -> Tuple[float, float]:
    """A centre that keeps ``extent`` pixels from every border if it can."""
    cx = rng.uniform(min(extent, width / 2), max(width - extent, width / 2))
    cy = rng.uniform(min(extent, height / 2), max(height - extent,
                                                  height / 2))
    return cx, cy


def rgb_object_motion(label: int, rng: np.random.Generator, num_frames: int,
                      height: int, width: int,
                      half_size: float) -> Tuple[np.ndarray, np.ndarray]:
    """Draw the object's trajectory for a class (constant speed).

    Args:
        label (int): Class index into ``SYNTHMOTION_CLASSES``.
        rng (np.random.Generator): Source of randomness.
        num_frames (int): T.
        height (int): H.
        width (int): W.
        half_size (float): Object half-extent in pixels (mean for zooms).

    Returns:
        tuple[np.ndarray, np.ndarray]: Centres (x, y) in pixels, shape
        (T, 2), and half-sizes in pixels, shape (T, ).
    """
    name = SYNTHMOTION_CLASSES[label]
    s = min(height, width)
    t = np.arange(num_frames, dtype=np.float64)
    speed = rng.uniform(*RGB_SPEED_RANGE) * s / 64.0
    sizes = np.full(num_frames, half_size)
    margin = 1.2 * half_size  # bounding radius of every shape
    if name.startswith('move_'):
        horizontal = name in ('move_right', 'move_left')
        sign = 1.0 if name in ('move_right', 'move_down') else -1.0
        along, across = (width, height) if horizontal else (height, width)
        period = along + 2 * margin  # fully outside before it re-enters
        along_pos = (rng.uniform(0, period) + sign * speed * t) % period \
            - margin
        across_pos = np.full(num_frames, rng.uniform(
            min(margin, across / 2), max(across - margin, across / 2)))
        pair = (along_pos, across_pos) if horizontal else (across_pos,
                                                           along_pos)
        centres = np.stack(pair, axis=1)
    elif name.startswith('orbit_'):
        # y points down: increasing angle is clockwise on screen
        sign = 1.0 if name == 'orbit_clockwise' else -1.0
        radius = rng.uniform(*ORBIT_RADIUS_RANGE) * s
        theta = rng.uniform(0, 2 * np.pi) + sign * speed / radius * t
        cx, cy = _free_centre(rng, radius + margin, height, width)
        centres = np.stack(
            [cx + radius * np.cos(theta), cy + radius * np.sin(theta)],
            axis=1)
    else:
        period = int(rng.integers(*ZOOM_PERIOD_RANGE))
        phase = ((t + rng.integers(0, period)) % period) / period
        if name == 'zoom_out':
            phase = 1.0 - phase
        sizes = half_size * ZOOM_RATIO**(phase - 0.5)
        cx, cy = _free_centre(rng, 1.2 * sizes.max(), height, width)
        centres = np.tile(np.array([[cx, cy]]), (num_frames, 1))
    return centres, sizes
