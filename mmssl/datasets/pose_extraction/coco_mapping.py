"""MediaPipe Pose (BlazePose, 33 landmarks) to COCO-17 keypoints."""
from typing import Optional, Tuple

import numpy as np

__all__ = ['MEDIAPIPE_TO_COCO17', 'landmarks_to_coco17', 'no_person']

#: MediaPipe landmark index of each COCO-17 joint, in COCO order (nose,
#: eyes, ears, shoulders, elbows, wrists, hips, knees, ankles; left before
#: right). MediaPipe's "left eye" is its landmark 2 (eye centre).
MEDIAPIPE_TO_COCO17: Tuple[int, ...] = (0, 2, 5, 7, 8, 11, 12, 13, 14, 15,
                                        16, 23, 24, 25, 26, 27, 28)


def no_person(num_joints: int = 17) -> Tuple[np.ndarray, np.ndarray]:
    """Keypoints and scores of a frame without a person: zeros (the
    MMAction2 convention; the scores mark the frame as empty)."""
    return (np.zeros((num_joints, 2), np.float32),
            np.zeros(num_joints, np.float32))


def landmarks_to_coco17(landmarks: Optional[object], height: int,
                        width: int) -> Tuple[np.ndarray, np.ndarray]:
    """One frame's MediaPipe result as COCO-17 pixel keypoints and scores.

    Args:
        landmarks: ``results.pose_landmarks`` of the legacy
            ``mediapipe.solutions.pose.Pose`` (an object with a
            ``landmark`` sequence of 33 items with normalised ``x``, ``y``
            and ``visibility``), or None when no person was found.
        height (int): Frame height H in pixels.
        width (int): Frame width W in pixels.

    Returns:
        tuple[np.ndarray, np.ndarray]: (17, 2) float32 pixel (x, y) and
        (17,) float32 scores (MediaPipe's visibility, in [0, 1]); zeros
        when ``landmarks`` is None.

    Raises:
        ValueError: fewer than 33 landmarks.
    """
    if landmarks is None:
        return no_person()
    points = list(landmarks.landmark)
    if len(points) < 33:
        raise ValueError(f'MediaPipe Pose returns 33 landmarks, got '
                         f'{len(points)}')
    chosen = [points[i] for i in MEDIAPIPE_TO_COCO17]
    xy = np.array([[p.x * width, p.y * height] for p in chosen], np.float32)
    score = np.clip(np.array([p.visibility for p in chosen], np.float32), 0,
                    1)
    return xy, score
