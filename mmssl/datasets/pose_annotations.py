"""MMAction2 1.1.0 skeleton annotations (``PoseDataset`` .pkl): building,
writing and reading them, with a per-process cache.

Format (MMAction2 1.1.0 ``PoseDataset``; docs/tools/pose_extraction.md): a
pickle holding either a list of per-video records or
``dict(split=dict(<name>=[frame_dir, ...]), annotations=[record, ...])``.
A record has

- ``frame_dir`` (str): the video's identifier; mmssl matches it to the
  video file's stem (``videos/a/b.mp4`` -> ``'b'``),
- ``label`` (int), ``total_frames`` (int),
- ``img_shape``, ``original_shape`` ((H, W)): the frame size the joints are
  measured in,
- ``keypoint`` (M, T, V, 2) float32 pixel (x, y) of M persons in T frames,
- ``keypoint_score`` (M, T, V) float32 confidence (0 = joint / person not
  found in that frame); V = 17 in the COCO layout.
"""
import os
import os.path as osp
import pickle
from typing import Dict, Iterable, List, Optional, Sequence, Tuple

import numpy as np

__all__ = [
    'PoseAnnotationError', 'make_pose_record', 'write_pose_pkl',
    'read_pose_records', 'load_pose_index', 'video_stem'
]

NUM_COCO_JOINTS = 17


class PoseAnnotationError(KeyError):
    """A pose file that lacks a video or holds a malformed record (the
    message names the file and the video)."""

    def __str__(self) -> str:  # KeyError would print the repr of the text
        return str(self.args[0]) if self.args else ''


def video_stem(path: str) -> str:
    """The ``frame_dir`` a video matches: its file name without extension."""
    return osp.splitext(osp.basename(str(path)))[0]


def make_pose_record(frame_dir: str, keypoint: np.ndarray,
                     keypoint_score: np.ndarray, img_shape: Tuple[int, int],
                     label: int = -1,
                     total_frames: Optional[int] = None) -> dict:
    """One video's record in MMAction2's skeleton format.

    Args:
        frame_dir (str): Video identifier (the video file's stem).
        keypoint (np.ndarray): (M, T, V, 2) pixel (x, y).
        keypoint_score (np.ndarray): (M, T, V) confidences.
        img_shape (tuple[int, int]): (H, W) the joints are measured in.
        label (int): Class index (-1 when unknown). Defaults to -1.
        total_frames (int, optional): Frames of the video. Defaults to T.

    Returns:
        dict: The record (float32 arrays).
    """
    keypoint = np.asarray(keypoint, dtype=np.float32)
    keypoint_score = np.asarray(keypoint_score, dtype=np.float32)
    if keypoint.ndim != 4 or keypoint.shape[-1] != 2 or \
            keypoint_score.shape != keypoint.shape[:3]:
        raise ValueError(f'{frame_dir}: keypoint must be (M, T, V, 2) and '
                         'keypoint_score (M, T, V), got '
                         f'{keypoint.shape} and {keypoint_score.shape}')
    shape = (int(img_shape[0]), int(img_shape[1]))
    return dict(
        frame_dir=str(frame_dir),
        label=int(label),
        img_shape=shape,
        original_shape=shape,
        total_frames=int(keypoint.shape[1] if total_frames is None else
                         total_frames),
        keypoint=keypoint,
        keypoint_score=keypoint_score)


def write_pose_pkl(path: str, records: Sequence[dict],
                   split: Optional[Dict[str, List[str]]] = None) -> None:
    """Write records (optionally with splits) atomically as a pickle.

    Args:
        path (str): Output ``.pkl``.
        records (Sequence[dict]): From :func:`make_pose_record`.
        split (dict[str, list[str]], optional): Split name -> frame_dirs;
            given, the file is ``dict(split=..., annotations=...)`` (what
            ``PoseDataset(split=...)`` reads), else a plain list.
    """
    payload = list(records) if split is None else dict(
        split={k: list(v) for k, v in split.items()},
        annotations=list(records))
    os.makedirs(osp.dirname(osp.abspath(path)), exist_ok=True)
    tmp = f'{path}.tmp{os.getpid()}'
    with open(tmp, 'wb') as f:
        pickle.dump(payload, f, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(tmp, path)


def read_pose_records(path: str) -> List[dict]:
    """The records of a skeleton pickle (either layout).

    Raises:
        PoseAnnotationError: unreadable file or unknown layout (names it).
    """
    try:
        with open(path, 'rb') as f:
            data = pickle.load(f)
    except (OSError, pickle.UnpicklingError, EOFError) as err:
        raise PoseAnnotationError(
            f'cannot read pose file {path}: {err}') from err
    if isinstance(data, dict) and 'annotations' in data:
        data = data['annotations']
    if not isinstance(data, list) or not all(
            isinstance(r, dict) for r in data):
        raise PoseAnnotationError(
            f'pose file {path} is not an MMAction2 skeleton annotation (a '
            'list of records or dict(split=..., annotations=[...]))')
    return data


def _index(records: Iterable[dict], path: str) -> Dict[str, dict]:
    index = {}
    for i, record in enumerate(records):
        for key in ('frame_dir', 'keypoint'):
            if key not in record:
                raise PoseAnnotationError(
                    f'pose file {path}: record {i} has no {key!r}')
        index[video_stem(record['frame_dir'])] = record
    return index


_CACHE: Dict[str, Tuple[tuple, Dict[str, dict]]] = {}


def load_pose_index(path: str) -> Dict[str, dict]:
    """``{video stem: record}`` of a skeleton pickle, read once per process.

    The cache is keyed by the absolute path and revalidated by the file's
    size and modification time, so each dataloader worker reads the file
    once (the transform that calls this is built in the main process and
    holds only the path).

    Raises:
        PoseAnnotationError: missing / unreadable file (names it).
    """
    key = osp.abspath(path)
    try:
        st = os.stat(key)
    except OSError as err:
        raise PoseAnnotationError(
            f'pose file {path} not found: {err}') from err
    stamp = (st.st_size, st.st_mtime_ns)
    cached = _CACHE.get(key)
    if cached is None or cached[0] != stamp:
        cached = (stamp, _index(read_pose_records(key), path))
        _CACHE[key] = cached
    return cached[1]
