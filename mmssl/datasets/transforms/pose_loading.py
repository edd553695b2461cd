"""Loading the 2D poses of a sample's frames from an MMAction2 skeleton
annotation (CSVR's P_in / P_gt, paper Sec. III-B)."""
from typing import Dict, Optional, Tuple

import numpy as np
from mmcv.transforms import BaseTransform

from mmssl.registry import TRANSFORMS
from ..errors import describe_source
from ..pose_annotations import (PoseAnnotationError, load_pose_index,
                                video_stem)
from ..skip_log import report_skip
from .loading import ERROR_MODES

PERSON_SELECTION = ('sample', 'video')


def select_person(scores: np.ndarray, frames: np.ndarray,
                  mode: str = 'sample') -> int:
    """Index of the person with the highest mean joint score.

    Args:
        scores (np.ndarray): (M, T_file, V) keypoint scores.
        frames (np.ndarray): (N,) the sample's frame indices; those past
            ``T_file`` count as score 0.
        mode (str): ``'sample'``: mean over the sample's frames;
            ``'video'``: over all frames of the file.

    Returns:
        int: The person (lowest index on ties).
    """
    if mode == 'video':
        return int(np.argmax(scores.mean(axis=(1, 2))))
    inside = frames[frames < scores.shape[1]]
    per_frame = scores[:, inside].mean(axis=2)  # (M, n)
    return int(np.argmax(per_frame.sum(axis=1)))


def fill_missing(joints: np.ndarray, valid: np.ndarray,
                 centre: float = 0.5) -> np.ndarray:
    """Fill the frames without a person.

    Each invalid frame gets a copy of the nearest valid frame of the
    sample (the earlier one on ties); a sample without any valid frame is
    filled with ``centre`` (the image centre in normalised coordinates).

    Args:
        joints (np.ndarray): (N, V, 2) joints, invalid rows arbitrary.
        valid (np.ndarray): (N,) bool.
        centre (float): Value of an all-invalid sample.

    Returns:
        np.ndarray: (N, V, 2) copy with the invalid rows filled.
    """
    out = np.array(joints, copy=True)
    good = np.flatnonzero(valid)
    if good.size == 0:
        out[:] = centre
        return out
    for i in np.flatnonzero(~np.asarray(valid, dtype=bool)):
        out[i] = out[good[np.argmin(np.abs(good - i))]]
    return out


@TRANSFORMS.register_module()
class LoadPoseAnnotation(BaseTransform):
    """Read the poses of the sampled frames: ``pose_in``, ``pose_future``,
    ``pose_valid`` (the CSVR data contract).

    The pose file is an MMAction2 1.1.0 skeleton pickle
    (:mod:`mmssl.datasets.pose_annotations`), read once per process and
    cached. A video matches the record whose ``frame_dir`` equals the
    video file's stem (``videos/a/clip_01.mp4`` -> ``'clip_01'``); stems
    must therefore be unique in the file.

    Person: one person per sample, the one with the highest mean joint
    score (over the sample's frames by default, ``person='video'``: over
    the whole file; lowest index on ties). Joints are normalised to [0, 1]
    by the width / height of the frames they were measured in (the
    record's ``img_shape``, else ``original_shape``), so crops, flips and
    resizes of the clips do not change them.

    Missing data: a frame is valid when it lies inside the record
    (``index < T_file``) and the person's best joint score there exceeds
    ``min_score``. Invalid frames get ``pose_valid = 0`` and the joints of
    the nearest valid frame of the sample (all 0.5 if none is valid); the
    losses must ignore them. A video missing from the file raises
    :class:`~mmssl.datasets.pose_annotations.PoseAnnotationError` naming
    the pose file and the stem, or with ``on_missing='skip'`` is a logged,
    counted skip (the dataset draws another video).

    Required Keys: ``filename``, ``pose_frame_inds`` (T + Tp frame
    indices, e.g. from :class:`CSVRSampleClips`), ``pose_future_len``
    (Tp; default: half of ``pose_frame_inds``).

    Added Keys:

        - pose_in: (T, V, 2) float32 normalised (x, y)
        - pose_future: (Tp, V, 2) float32
        - pose_valid: (T + Tp,) float32 (1 = person found)
        - pose_person: int, the selected person

    Args:
        pose_file (str): The skeleton ``.pkl``.
        person (str): ``'sample'`` (default) or ``'video'``.
        min_score (float): Score above which a joint counts as found.
            Defaults to 0.
        on_missing (str): ``'raise'`` (default) or ``'skip'``.
        num_joints (int): V expected in the file. Defaults to 17 (COCO).
    """

    def __init__(self,
                 pose_file: str,
                 person: str = 'sample',
                 min_score: float = 0.0,
                 on_missing: str = 'raise',
                 num_joints: int = 17) -> None:
        if person not in PERSON_SELECTION:
            raise ValueError(f'person must be one of {PERSON_SELECTION}, got '
                             f'{person!r}')
        if on_missing not in ERROR_MODES:
            raise ValueError(f'on_missing must be one of {ERROR_MODES}, got '
                             f'{on_missing!r}')
        self.pose_file = pose_file
        self.person = person
        self.min_score = float(min_score)
        self.on_missing = on_missing
        self.num_joints = int(num_joints)

    def _record(self, results: Dict) -> Optional[dict]:
        stem = video_stem(results['filename'])
        record = load_pose_index(self.pose_file).get(stem)
        if record is None:
            message = (f'pose file {self.pose_file} has no record with '
                       f'frame_dir "{stem}" for video '
                       f'{describe_source(results)}')
            if self.on_missing == 'raise':
                raise PoseAnnotationError(message)
            report_skip(message)
        return record

    def _arrays(self, record: dict) -> Tuple[np.ndarray, np.ndarray, tuple]:
        where = f'pose file {self.pose_file}, frame_dir ' \
                f'"{record["frame_dir"]}"'
        keypoint = np.asarray(record['keypoint'], dtype=np.float32)
        if keypoint.ndim != 4 or keypoint.shape[-1] < 2 or \
                keypoint.shape[2] != self.num_joints:
            raise PoseAnnotationError(
                f'{where}: keypoint must be (M, T, {self.num_joints}, 2), '
                f'got {keypoint.shape}')
        scores = record.get('keypoint_score')
        scores = (np.ones(keypoint.shape[:3], np.float32) if scores is None
                  else np.asarray(scores, dtype=np.float32))
        if scores.shape != keypoint.shape[:3]:
            raise PoseAnnotationError(
                f'{where}: keypoint_score {scores.shape} does not match '
                f'keypoint {keypoint.shape}')
        shape = record.get('img_shape', record.get('original_shape'))
        if shape is None or min(shape[:2]) <= 0:
            raise PoseAnnotationError(
                f'{where}: needs img_shape (H, W) to normalise the joints')
        return keypoint[..., :2], scores, tuple(shape[:2])

    def transform(self, results: Dict) -> Optional[Dict]:
        record = self._record(results)
        if record is None:
            return None
        keypoint, scores, (height, width) = self._arrays(record)
        frames = np.asarray(results['pose_frame_inds'], dtype=np.int64)
        future = int(results.get('pose_future_len', frames.size // 2))
        num_people, file_frames = keypoint.shape[:2]
        n = frames.size
        joints = np.zeros((n, self.num_joints, 2), np.float32)
        valid = np.zeros(n, dtype=bool)
        person = 0
        if num_people > 0 and file_frames > 0:
            person = select_person(scores, frames, self.person)
            inside = frames < file_frames
            idx = frames[inside]
            joints[inside] = keypoint[person, idx]
            valid[inside] = scores[person, idx].max(axis=1) > self.min_score
        joints = joints / np.array([width, height], dtype=np.float32)
        joints = fill_missing(joints, valid).astype(np.float32)
        results['pose_in'] = joints[:n - future]
        results['pose_future'] = joints[n - future:]
        results['pose_valid'] = valid.astype(np.float32)
        results['pose_person'] = person
        return results

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}(pose_file={self.pose_file!r}, '
                f'person={self.person!r}, min_score={self.min_score}, '
                f'on_missing={self.on_missing!r})')
