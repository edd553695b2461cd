"""Class-defining motions of the articulated SynthMotion variant: joint-angle
trajectories and the hip-centre path of a stick figure.

Every class is a periodic movement of the whole figure (see
:data:`ARTICULATED_CLASSES`); the period, amplitude and phase are drawn per
video from the same ranges for every class, the figure stands on a ground
line, and only the pattern of the movement differs between classes.
"""
from typing import Dict, Tuple

import numpy as np

from .articulated_skeleton import figure_joints

__all__ = ['ARTICULATED_CLASSES', 'PERIOD_RANGE', 'articulated_motion']

#: Class names; the label of a class is its index in this tuple.
ARTICULATED_CLASSES: Tuple[str, ...] = (
    'walk_right',  # marching gait while translating towards +x
    'walk_left',  # the same towards -x
    'wave',  # one arm raised, the forearm swinging about the vertical
    'jumping_jack',  # arms and legs spread and close together, small hop
    'jump',  # crouch, take off, land (knees bend, the figure leaves ground)
    'squat',  # knees bend deeply and straighten, arms forward-up
    'clap',  # both forearms swing in until the wrists meet at the chest
    'side_bend',  # the torso tilts left and right over fixed legs
)

#: Period of the movement in frames (drawn per video, all classes).
PERIOD_RANGE = (14.0, 26.0)
#: Ranges of the resting posture drawn per video for every class (radians):
#: a single frame's arm pose then says little about the class.
REST_RANGES = dict(shoulder=(0.1, 1.4), elbow=(0.0, 1.0), hip=(0.02, 0.15))


def _rest_posture(rng: np.random.Generator,
                  num_frames: int) -> Dict[str, np.ndarray]:
    """Label-independent joint angles the class movements start from."""
    out = dict(lean=np.zeros(num_frames))
    for side in 'lr':
        for joint, (low, high) in REST_RANGES.items():
            out[f'{side}_{joint}'] = np.full(num_frames,
                                             rng.uniform(low, high))
        out[f'{side}_knee'] = np.zeros(num_frames)
    return out


def _class_angles(name: str, phase: np.ndarray, amp: float,
                  rng: np.random.Generator
                  ) -> Tuple[Dict[str, np.ndarray], np.ndarray]:
    """Angles and the vertical lift (in body units, >= 0 = airborne)."""
    a = _rest_posture(rng, phase.size)
    lift = np.zeros(phase.size)
    c, s = np.cos(phase), np.sin(phase)
    if name in ('walk_right', 'walk_left'):
        # march: alternate knee lifts (thigh abducts, shin tucks back in),
        # arms swing in anti-phase with the legs
        left, right = np.maximum(s, 0), np.maximum(-s, 0)
        a['l_hip'] += 0.5 * amp * left
        a['l_knee'] -= 1.0 * amp * left
        a['r_hip'] += 0.5 * amp * right
        a['r_knee'] -= 1.0 * amp * right
        a['l_shoulder'] += 0.35 * amp * right
        a['r_shoulder'] += 0.35 * amp * left
        a['l_elbow'] += 0.4 * amp * right
        a['r_elbow'] += 0.4 * amp * left
    elif name == 'wave':
        side = 'l' if rng.random() < 0.5 else 'r'
        a[f'{side}_shoulder'][:] = 2.3
        a[f'{side}_elbow'][:] = 0.6 + 0.6 * amp * s
    elif name == 'jumping_jack':
        spread = 0.5 - 0.5 * c  # 0 closed .. 1 open
        for side in 'lr':  # from the resting arms up to above the head
            rest = a[f'{side}_shoulder']
            a[f'{side}_shoulder'] = rest + (2.6 - rest) * amp * spread
            a[f'{side}_elbow'] *= 1 - spread
            a[f'{side}_hip'] += 0.35 * amp * spread
        lift = 0.05 * amp * np.abs(s)
    elif name == 'jump':
        # crouch while the phase is in [pi, 2 pi), flight in [0, pi)
        flight = np.maximum(s, 0)
        crouch = np.maximum(-s, 0)
        for side in 'lr':
            a[f'{side}_hip'] += 0.55 * amp * crouch
            a[f'{side}_knee'] -= 1.1 * amp * crouch
            a[f'{side}_shoulder'] += 0.5 * amp * flight
        lift = 0.18 * amp * flight
    elif name == 'squat':
        depth = 0.5 - 0.5 * c
        for side in 'lr':
            a[f'{side}_hip'] += 0.8 * amp * depth
            a[f'{side}_knee'] -= 1.6 * amp * depth
            a[f'{side}_shoulder'] += 0.9 * amp * depth
    elif name == 'clap':
        swing = 0.5 - 0.5 * c  # 0 open .. 1 wrists together
        for side in 'lr':
            a[f'{side}_shoulder'][:] = 0.9
            a[f'{side}_elbow'][:] = 1.0 + 2.0 * amp * swing
    elif name == 'side_bend':
        a['lean'] = 0.45 * amp * s
    else:  # pragma: no cover - guarded by the label check
        raise ValueError(f'unknown articulated class {name!r}')
    return a, lift


def articulated_motion(label: int, rng: np.random.Generator,
                       num_frames: int, height: int, width: int
                       ) -> Tuple[np.ndarray, float]:
    """Draw a figure's size, placement and movement for class ``label``.

    Args:
        label (int): Index into :data:`ARTICULATED_CLASSES`.
        rng (np.random.Generator): Source of randomness.
        num_frames (int): T.
        height (int): H in pixels.
        width (int): W in pixels.

    Returns:
        tuple[np.ndarray, float]: joints (T, 17, 2) float64 (x, y) in
        pixels, COCO-17 order, all inside the frame; the body unit h in
        pixels (sets limb thickness and head size).
    """
    name = ARTICULATED_CLASSES[label]
    unit = rng.uniform(0.62, 0.82) * height / 1.06  # figure ~0.6-0.8 H tall
    period = rng.uniform(*PERIOD_RANGE)
    amp = rng.uniform(0.75, 1.0)
    phase = 2 * np.pi * np.arange(num_frames) / period + rng.uniform(
        0, 2 * np.pi)
    angles, lift = _class_angles(name, phase, amp, rng)
    joints = figure_joints(np.zeros((num_frames, 2)), unit, angles)
    # stand on the ground: the lower ankle touches it unless airborne
    feet = joints[:, 15:17, 1].max(axis=1)
    joints[..., 1] -= (feet + lift * unit)[:, None]
    lo, hi = joints.min(axis=(0, 1)), joints.max(axis=(0, 1))
    head_room = 0.07 * unit  # head circle and limb thickness
    extent = hi - lo + 2 * head_room
    travel = 0.0
    if name in ('walk_right', 'walk_left'):
        travel = max(width - extent[0], 0.0) * rng.uniform(0.5, 0.9)
    room_x = max(width - extent[0] - travel, 0.0)
    room_y = max(height - extent[1], 0.0)
    x0 = rng.uniform(0, room_x) + head_room - lo[0]
    y0 = rng.uniform(0, room_y) + head_room - lo[1]
    progress = np.linspace(0.0, 1.0, num_frames) if num_frames > 1 else \
        np.zeros(1)
    if name == 'walk_left':
        progress = 1.0 - progress
    joints[..., 0] += x0 + travel * progress[:, None]
    joints[..., 1] += y0
    return joints, unit
