"""Poses of every frame of a video as one MMAction2 skeleton record."""
from typing import Callable, Iterator, Optional, Tuple

import numpy as np

from ..pose_annotations import make_pose_record, video_stem

__all__ = ['iter_video_frames', 'extract_video_poses']

FrameEstimator = Callable[[np.ndarray], Tuple[np.ndarray, np.ndarray]]
_CHUNK = 16


def iter_video_frames(path: str) -> Iterator[np.ndarray]:
    """RGB frames (H, W, 3) uint8 in sequential-decode order.

    PyAV's sequential decode when installed (the numbering the training
    pipeline's frame-accurate decode uses), else decord's contiguous
    ``get_batch`` chunks (also accurate; see docs/performance.md).
    """
    try:
        import av
    except ImportError:
        av = None
    if av is not None:
        with av.open(path) as container:
            for frame in container.decode(container.streams.video[0]):
                yield frame.to_ndarray(format='rgb24')
        return
    import decord
    reader = decord.VideoReader(path)
    for start in range(0, len(reader), _CHUNK):
        stop = min(start + _CHUNK, len(reader))
        yield from reader.get_batch(list(range(start, stop))).asnumpy()


def extract_video_poses(path: str,
                        estimator: FrameEstimator,
                        label: int = -1,
                        frames: Optional[Iterator[np.ndarray]] = None,
                        progress: Optional[Callable[[int], None]] = None
                        ) -> dict:
    """Run ``estimator`` on every frame and build the video's record.

    Args:
        path (str): Video file; its stem becomes ``frame_dir``.
        estimator (callable): RGB frame -> ((17, 2) pixel keypoints,
            (17,) scores), zeros for a frame without a person (e.g.
            :class:`MediaPipePoseEstimator`).
        label (int): Class index for the record. Defaults to -1.
        frames (Iterator[np.ndarray], optional): Frames to use instead of
            decoding ``path`` (tests).
        progress (callable, optional): Called with 1 after each frame.

    Returns:
        dict: The record (:func:`make_pose_record`, one person ``M = 1``;
        frames without a person have keypoints and scores 0).

    Raises:
        ValueError: the video has no decodable frame.
    """
    keypoints, scores, shape = [], [], None
    for rgb in (iter_video_frames(path) if frames is None else frames):
        shape = rgb.shape[:2]
        xy, score = estimator(rgb)
        keypoints.append(xy)
        scores.append(score)
        if progress is not None:
            progress(1)
    if shape is None:
        raise ValueError(f'no decodable frame in {path}')
    return make_pose_record(video_stem(path), np.stack(keypoints)[None],
                            np.stack(scores)[None], shape, label)
