"""COCO-17 stick figure of the articulated SynthMotion variant: joint layout,
bones and forward kinematics from per-frame joint angles.

The figure is seen from the front, so the person's left side is on the
image's right (+x). Angles are in radians; a limb angle of 0 points straight
down (+y) and a positive angle turns the limb away from the body's midline
(abduction), mirrored between the two sides, so one set of angles describes
symmetric poses. A bone's absolute direction is the sum of the angles of
the joints above it (shoulder + elbow, hip + knee) plus the torso lean for
the arms.
"""
from typing import Dict, Tuple

import numpy as np

__all__ = [
    'COCO17_JOINTS', 'COCO17_BONES', 'SEGMENTS', 'figure_joints',
    'standing_height'
]

#: Joint names in the COCO-17 order (MMAction2 layout 'coco').
COCO17_JOINTS: Tuple[str, ...] = (
    'nose', 'left_eye', 'right_eye', 'left_ear', 'right_ear',
    'left_shoulder', 'right_shoulder', 'left_elbow', 'right_elbow',
    'left_wrist', 'right_wrist', 'left_hip', 'right_hip', 'left_knee',
    'right_knee', 'left_ankle', 'right_ankle')

#: Bones drawn as limbs (pairs of COCO-17 indices).
COCO17_BONES: Tuple[Tuple[int, int], ...] = (
    (5, 7), (7, 9), (6, 8), (8, 10),  # arms
    (11, 13), (13, 15), (12, 14), (14, 16),  # legs
    (5, 6), (11, 12))  # shoulder and hip lines

#: Segment lengths as fractions of the body height unit h.
SEGMENTS: Dict[str, float] = dict(
    hip_half=0.08, torso=0.30, shoulder_half=0.11, shoulder_drop=0.02,
    neck_to_head=0.10, head_radius=0.065, upper_arm=0.15, forearm=0.14,
    thigh=0.23, shin=0.23)


def _limb(angle: np.ndarray, side: float) -> np.ndarray:
    """Unit direction (T, 2) of a limb at ``angle`` on ``side`` (+1 left
    = image right, -1 right)."""
    return np.stack([side * np.sin(angle), np.cos(angle)], axis=-1)


def standing_height(unit: float) -> float:
    """Pixels from the ankles to the top of the head of an upright figure
    with body unit ``unit`` (pixels)."""
    s = SEGMENTS
    return unit * (s['thigh'] + s['shin'] + s['torso'] + s['neck_to_head'] +
                   s['head_radius'])


def figure_joints(pelvis: np.ndarray, unit: float,
                  angles: Dict[str, np.ndarray]) -> np.ndarray:
    """Joint positions of the figure in every frame.

    Args:
        pelvis (np.ndarray): (T, 2) pixel position (x, y) of the hip centre.
        unit (float): Body unit h in pixels (see :data:`SEGMENTS`).
        angles (dict[str, np.ndarray]): (T,) arrays ``lean`` (torso, positive
            tilts the head towards +x), ``l_shoulder``, ``r_shoulder``,
            ``l_elbow``, ``r_elbow``, ``l_hip``, ``r_hip``, ``l_knee``,
            ``r_knee`` (see the module docstring for the conventions).

    Returns:
        np.ndarray: (T, 17, 2) float64 joint positions (x, y) in pixels,
        COCO-17 order.
    """
    s = {k: v * unit for k, v in SEGMENTS.items()}
    lean = angles['lean']
    up = np.stack([np.sin(lean), -np.cos(lean)], axis=-1)  # pelvis -> neck
    across = np.stack([np.cos(lean), np.sin(lean)], axis=-1)  # towards +x
    neck = pelvis + s['torso'] * up
    head = neck + s['neck_to_head'] * up
    out = np.zeros(pelvis.shape[:1] + (17, 2))
    out[:, 0] = head - 0.1 * s['neck_to_head'] * up  # nose
    for side, eye, ear in ((1.0, 1, 3), (-1.0, 2, 4)):
        out[:, eye] = head + side * 0.025 * unit * across + 0.15 * s[
            'neck_to_head'] * up
        out[:, ear] = head + side * 0.05 * unit * across
    for side, prefix, sh, el, wr, hp, kn, an in (
            (1.0, 'l', 5, 7, 9, 11, 13, 15), (-1.0, 'r', 6, 8, 10, 12, 14,
                                              16)):
        shoulder = neck + side * s['shoulder_half'] * across - s[
            'shoulder_drop'] * up
        # the arms hang from the leaning torso: their angles turn with it
        arm = angles[f'{prefix}_shoulder'] + side * lean
        elbow = shoulder + s['upper_arm'] * _limb(arm, side)
        wrist = elbow + s['forearm'] * _limb(
            arm + angles[f'{prefix}_elbow'], side)
        hip = pelvis + side * s['hip_half'] * across
        thigh = angles[f'{prefix}_hip']
        knee = hip + s['thigh'] * _limb(thigh, side)
        ankle = knee + s['shin'] * _limb(thigh + angles[f'{prefix}_knee'],
                                         side)
        out[:, sh], out[:, el], out[:, wr] = shoulder, elbow, wrist
        out[:, hp], out[:, kn], out[:, an] = hip, knee, ankle
    return out
