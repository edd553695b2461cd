"""Class-specific motion of the SynthMotion object (its trajectory and size
over the video); the only thing that tells the classes apart."""
from typing import Tuple

import numpy as np

from .params import SYNTHMOTION_CLASSES

__all__ = ['object_motion']

# Motion ranges.
TRAVEL_RANGE = (0.55, 0.85)  # translation, fraction of the free span
ORBIT_RADIUS_RANGE = (0.14, 0.24)  # fraction of S
ORBIT_TURNS_RANGE = (0.55, 0.95)  # full turns over the video
ZOOM_RATIO_RANGE = (1.8, 2.6)  # final / initial size (or its inverse)
ACCELERATION_RANGE = (1.7, 2.5)  # exponent g of the progress curve t^g


def object_motion(label: int, rng: np.random.Generator, num_frames: int,
                  height: int, width: int, half_size: float,
                  motion: str = 'accelerating'
                  ) -> Tuple[np.ndarray, np.ndarray]:
    """Draw the object's trajectory for a class.

    Args:
        label (int): Class index into ``SYNTHMOTION_CLASSES``.
        rng (np.random.Generator): Source of randomness.
        num_frames (int): T.
        height (int): H.
        width (int): W.
        half_size (float): Object half-extent (pixels) at mid-video.
        motion (str): One of :data:`MOTION_TIMINGS`.

    Returns:
        tuple[np.ndarray, np.ndarray]: Centres (x, y) in pixels, shape
        (T, 2), and half-sizes in pixels, shape (T, ).
    """
    name = SYNTHMOTION_CLASSES[label]
    s = min(height, width)
    # Motion progress in [0, 1]. By default every class accelerates
    # (progress = t^g, g drawn per video): motion is slow early and fast
    # late, so videos have
    # an arrow of time that temporal pretext tasks (clip order, playback
    # speed) can pick up; with constant velocity, clips of a translating
    # object would differ only by position, which pooled features discard.
    linear = np.linspace(0.0, 1.0, num_frames) if num_frames > 1 \
        else np.zeros(1)
    # the exponent is drawn in both timings, so that a video's other random
    # draws (and hence its appearance and path) do not depend on the timing
    exponent = rng.uniform(*ACCELERATION_RANGE)
    tau = linear**(exponent if motion == 'accelerating' else 1.0)
    sizes = np.full(num_frames, half_size)
    # The bounding radius of every shape is <= 1.2 half-sizes.
    margin = 1.2 * half_size

    if name.startswith('move_'):
        horizontal = name in ('move_right', 'move_left')
        sign = 1.0 if name in ('move_right', 'move_down') else -1.0
        along, across = (width, height) if horizontal else (height, width)
        free = max(along - 2 * margin, 1.0)
        travel = rng.uniform(*TRAVEL_RANGE) * free
        mid = rng.uniform(margin + travel / 2, along - margin - travel / 2)
        pos_along = mid + sign * travel * (tau - 0.5)
        pos_across = np.full(
            num_frames, rng.uniform(margin, max(across - margin, margin)))
        if horizontal:
            centres = np.stack([pos_along, pos_across], axis=1)
        else:
            centres = np.stack([pos_across, pos_along], axis=1)
    elif name.startswith('orbit_'):
        # With y pointing down, increasing angle is clockwise on screen.
        sign = 1.0 if name == 'orbit_clockwise' else -1.0
        radius = rng.uniform(*ORBIT_RADIUS_RANGE) * s
        radius = min(radius, max(s / 2 - margin - 1, 1.0))
        turns = rng.uniform(*ORBIT_TURNS_RANGE)
        theta0 = rng.uniform(0, 2 * np.pi)
        extent = radius + margin
        cx = rng.uniform(min(extent, width / 2), max(width - extent,
                                                     width / 2))
        cy = rng.uniform(min(extent, height / 2), max(height - extent,
                                                      height / 2))
        theta = theta0 + sign * 2 * np.pi * turns * tau
        centres = np.stack(
            [cx + radius * np.cos(theta), cy + radius * np.sin(theta)],
            axis=1)
    else:  # zoom_in / zoom_out: geometric mean size = half_size
        ratio = rng.uniform(*ZOOM_RATIO_RANGE)
        if name == 'zoom_out':
            ratio = 1.0 / ratio
        # centred exponent: the geometric mean size stays half_size
        sizes = half_size * ratio**(tau - tau.mean())
        extent = 1.2 * sizes.max()
        cx = rng.uniform(min(extent, width / 2), max(width - extent,
                                                     width / 2))
        cy = rng.uniform(min(extent, height / 2), max(height - extent,
                                                      height / 2))
        centres = np.tile(np.array([[cx, cy]]), (num_frames, 1))
    return centres, sizes
