"""Offline 2D pose extraction into MMAction2 skeleton annotations
(docs/tools/pose_extraction.md; tool: tools/data/extract_poses.py)."""
from .coco_mapping import (MEDIAPIPE_TO_COCO17, landmarks_to_coco17,
                           no_person)
from .mediapipe_pose import (MEDIAPIPE_INSTALL, MediaPipePoseEstimator,
                             import_mediapipe)
from .video_poses import extract_video_poses, iter_video_frames

__all__ = [
    'MEDIAPIPE_TO_COCO17', 'landmarks_to_coco17', 'no_person',
    'MEDIAPIPE_INSTALL', 'MediaPipePoseEstimator', 'import_mediapipe',
    'extract_video_poses', 'iter_video_frames'
]
