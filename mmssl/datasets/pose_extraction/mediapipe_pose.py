"""The legacy MediaPipe Pose solution (BlazePose GHUM, bundled model) as a
per-frame COCO-17 pose estimator."""
from typing import Tuple

import numpy as np

from .coco_mapping import landmarks_to_coco17

__all__ = ['MEDIAPIPE_INSTALL', 'import_mediapipe', 'MediaPipePoseEstimator']

#: Install command that works beside numpy 2 / torch 2.13 (PLATFORM.md).
MEDIAPIPE_INSTALL = (
    "pip install --no-deps mediapipe==0.10.14 && pip install absl-py attrs "
    "flatbuffers 'protobuf>=4.25.3,<5' opencv-python-headless matplotlib")


def import_mediapipe():
    """``import mediapipe`` with the install command in the error.

    Raises:
        ImportError: mediapipe (or one of its dependencies) is missing, or
            it has no legacy ``solutions.pose`` (mediapipe >= 0.10.30).
    """
    try:
        import mediapipe as mp
        pose = mp.solutions.pose
    except (ImportError, AttributeError) as err:
        raise ImportError(
            f'pose extraction needs mediapipe 0.10.14 (legacy Pose with a '
            f'bundled model; newer releases ship no model): {err}. Install '
            f'it with:\n  {MEDIAPIPE_INSTALL}') from err
    return pose


class MediaPipePoseEstimator:
    """One person's COCO-17 pose per frame with ``mediapipe.solutions.pose``.

    Only ``model_complexity=1`` is bundled in the 0.10.14 wheel (0 and 2
    download their model at first use, which fails offline). The legacy
    solution tracks one person across frames (``static_image_mode=False``),
    so create one estimator per video.

    Args:
        min_detection_confidence (float): Person detector threshold.
            Defaults to 0.5.
        min_tracking_confidence (float): Landmark tracking threshold.
            Defaults to 0.5.
    """

    def __init__(self, min_detection_confidence: float = 0.5,
                 min_tracking_confidence: float = 0.5) -> None:
        pose = import_mediapipe()
        self._pose = pose.Pose(
            static_image_mode=False,
            model_complexity=1,
            smooth_landmarks=True,
            enable_segmentation=False,
            min_detection_confidence=min_detection_confidence,
            min_tracking_confidence=min_tracking_confidence)

    def __call__(self, rgb: np.ndarray) -> Tuple[np.ndarray, np.ndarray]:
        """Pose of one RGB frame (H, W, 3) uint8: (17, 2) pixel keypoints
        and (17,) scores (zeros without a person)."""
        result = self._pose.process(np.ascontiguousarray(rgb))
        return landmarks_to_coco17(result.pose_landmarks, rgb.shape[0],
                                   rgb.shape[1])

    def close(self) -> None:
        """Release the MediaPipe graph."""
        self._pose.close()

    def __enter__(self) -> 'MediaPipePoseEstimator':
        return self

    def __exit__(self, *exc) -> None:
        self.close()
