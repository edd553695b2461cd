"""Rendering of one articulated SynthMotion video: a COCO-17 stick figure
over a drifting procedural background, with its exact joints."""
from typing import Tuple

import cv2
import numpy as np

from .appearance import BG_DRIFT_RANGE, MIN_COLOUR_DISTANCE, Texture
from .articulated_motion import ARTICULATED_CLASSES, articulated_motion
from .articulated_skeleton import COCO17_BONES, SEGMENTS

__all__ = ['render_articulated_video']

_SHIFT = 4  # cv2 fixed-point bits: sub-pixel (1/16 px) drawing positions


def _figure_colour(rng: np.random.Generator,
                   background: np.ndarray) -> np.ndarray:
    """An RGB colour in [0, 1] that stands out from ``background``."""
    for _ in range(50):
        colour = rng.uniform(0.0, 1.0, size=3)
        if np.linalg.norm(colour - background) >= 2 * MIN_COLOUR_DISTANCE:
            return colour
    return 1.0 - np.round(background)  # a corner of the cube far from it


def render_articulated_video(label: int, rng: np.random.Generator,
                             num_frames: int = 96, height: int = 64,
                             width: int = 64
                             ) -> Tuple[np.ndarray, np.ndarray]:
    """Render one video of class ``label`` and return its ground-truth pose.

    Appearance (background texture and drift, figure colour, limb width) is
    drawn first and independently of ``label``; the movement is then drawn
    for the class (:func:`articulated_motion`). Limbs are anti-aliased lines
    at sub-pixel positions through the exact joints; the head is a disc.

    Args:
        label (int): Class index into :data:`ARTICULATED_CLASSES`.
        rng (np.random.Generator): Source of randomness; the output is a
            deterministic function of its state and the other arguments.
        num_frames (int): T. Defaults to 96.
        height (int): H in pixels (>= 16). Defaults to 64.
        width (int): W in pixels (>= 16). Defaults to 64.

    Returns:
        tuple[np.ndarray, np.ndarray]: RGB frames (T, H, W, 3) uint8 and the
        joints (T, 17, 2) float32 (x, y) in pixels of this frame size,
        COCO-17 order (every joint visible in every frame).
    """
    if not 0 <= label < len(ARTICULATED_CLASSES):
        raise ValueError(f'label must be in [0, {len(ARTICULATED_CLASSES)})'
                         f', got {label}')
    if num_frames < 1 or height < 16 or width < 16:
        raise ValueError('need num_frames >= 1 and height, width >= 16, got '
                         f'{num_frames}, {height}, {width}')
    s = float(min(height, width))
    # ---- appearance (independent of the label) ----
    background = Texture(rng, s, contrast=rng.uniform(0.2, 0.6))
    colour = _figure_colour(rng, background.mean_colour)
    width_frac = rng.uniform(0.05, 0.08)  # limb width / body unit
    drift_len = rng.uniform(*BG_DRIFT_RANGE) * s
    drift_ang = rng.uniform(0, 2 * np.pi)
    drift = drift_len * np.array([np.cos(drift_ang), np.sin(drift_ang)])
    # ---- motion (depends on the label) ----
    joints, unit = articulated_motion(label, rng, num_frames, height, width)

    f32 = np.float32
    tau = (np.linspace(0.0, 1.0, num_frames)
           if num_frames > 1 else np.zeros(1)).astype(f32)[:, None, None]
    ys, xs = np.meshgrid(np.arange(height, dtype=f32),
                         np.arange(width, dtype=f32), indexing='ij')
    frames = background.colour(xs[None] - f32(drift[0]) * tau,
                               ys[None] - f32(drift[1]) * tau)
    frames = np.ascontiguousarray(
        np.clip(np.rint(frames * 255), 0, 255).astype(np.uint8))
    rgb = tuple(int(v) for v in np.rint(colour * 255))
    thickness = max(1, int(round(width_frac * unit)))
    radius = int(round(SEGMENTS['head_radius'] * unit * 2**_SHIFT))
    fixed = np.rint(joints * 2**_SHIFT).astype(np.int64)
    for t in range(num_frames):
        img, pts = frames[t], fixed[t]
        neck = (pts[5] + pts[6]) // 2
        pelvis = (pts[11] + pts[12]) // 2
        segments = [(pts[i], pts[j]) for i, j in COCO17_BONES]
        segments.append((neck, pelvis))
        for p, q in segments:
            cv2.line(img, (int(p[0]), int(p[1])), (int(q[0]), int(q[1])),
                     rgb, thickness, cv2.LINE_AA, _SHIFT)
        head = (pts[1] + pts[2] + pts[3] + pts[4]) // 4
        cv2.circle(img, (int(head[0]), int(head[1])), radius, rgb, -1,
                   cv2.LINE_AA, _SHIFT)
    return frames, joints.astype(np.float32)
