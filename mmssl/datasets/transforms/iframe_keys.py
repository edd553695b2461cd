"""Key-frame (I-frame) indices of a video from its container, cached per
process, and the choice of a clip's I-frames (CSVR, paper Sec. III-C).

Frame numbering is the sequential-decode numbering of
:mod:`.decode_backends`. Measured on the 13 real test clips and on
SynthMotion's mp4v files (docs/datasets/synthmotion_articulated.md,
"I-frames"): PyAV's packet key flags, the ``key_frame`` flags of PyAV's
decoded frames and decord's ``get_key_indices()`` give the same indices on
every file (cityCC0.mpg included, although decord misnumbers that file's
decoded frames). Key frames are what the container marks as random-access
points; an H.264 stream may hold further non-IDR I-frames that are not
marked (cockatoo.mp4: I-frames 156 and 160) and are not used.
"""
import os
import os.path as osp
from typing import Dict, Optional, Tuple

import numpy as np

__all__ = ['KEY_SOURCES', 'video_key_frames', 'choose_iframes']

KEY_SOURCES = ('auto', 'pyav', 'decord')

_CACHE: Dict[Tuple, np.ndarray] = {}


def _pyav_keys(path: str) -> Optional[np.ndarray]:
    from .decode_backends import PyAVSource
    table = PyAVSource(path).key_table
    return None if table is None else np.array([k for k, _ in table])


def _decord_keys(path: str) -> np.ndarray:
    import decord
    return np.asarray(decord.VideoReader(path).get_key_indices())


def video_key_frames(path: str, source: str = 'auto',
                     reader=None) -> np.ndarray:
    """Sorted key-frame indices of ``path`` (possibly empty), cached.

    Args:
        path (str): Video file.
        source (str): ``'pyav'`` (packet key flags ranked by presentation
            time; the numbering of PyAV's sequential decode), ``'decord'``
            (``VideoReader.get_key_indices()``) or ``'auto'`` (PyAV when
            installed, else decord; a PyAV file without timestamps falls
            back to decord).
        reader: An opened :class:`~.decode_backends.PyAVSource` of the same
            file, whose key table is reused (no second demux).

    Returns:
        np.ndarray: (n,) int64 key-frame indices.

    Raises:
        ValueError: unknown ``source``. Errors of the backend propagate.
    """
    if source not in KEY_SOURCES:
        raise ValueError(f'key-frame source must be one of {KEY_SOURCES}, '
                         f'got {source!r}')
    st = os.stat(path)
    key = (osp.abspath(path), st.st_size, st.st_mtime_ns, source)
    if key in _CACHE:
        return _CACHE[key]
    keys = None
    if source != 'decord':
        table = getattr(reader, 'key_table', None)
        if table is not None:
            keys = np.array([k for k, _ in table])
        else:
            try:
                keys = _pyav_keys(path)
            except ImportError:
                if source == 'pyav':
                    raise
    if keys is None:
        keys = _decord_keys(path)
    keys = np.unique(np.asarray(keys, dtype=np.int64).reshape(-1))
    _CACHE[key] = keys
    return keys


def choose_iframes(keys: np.ndarray, span: Tuple[int, int], num: int,
                   fallback_frame: int, test_mode: bool = False,
                   outside_span: bool = True,
                   max_outside_distance: Optional[int] = None
                   ) -> Tuple[np.ndarray, np.ndarray, str]:
    """Choose ``num`` I-frame slots for a clip covering frames ``span``.

    Rule (docs/datasets/synthmotion_articulated.md, "I-frames"):

    1. key frames inside ``span`` (inclusive): all of them if at most
       ``num``, else ``num`` of them (random without replacement; evenly
       spaced in ``test_mode``), in time order;
    2. none inside and ``outside_span``: the key frame nearest to the span
       (the earlier on ties), if within ``max_outside_distance`` frames;
    3. otherwise ``fallback_frame`` (e.g. the clip's middle frame).

    Slots after the real ones repeat them cyclically and are invalid.

    Args:
        keys (np.ndarray): Sorted key-frame indices of the video.
        span (tuple[int, int]): First and last frame of the clip.
        num (int): K slots.
        fallback_frame (int): Frame used by rule 3.
        test_mode (bool): Deterministic choice in rule 1.
        outside_span (bool): Allow rule 2.
        max_outside_distance (int, optional): Limit of rule 2 (None: any).

    Returns:
        tuple: ``inds`` (K,) int64, ``valid`` (K,) float32 (1 for the real,
        distinct I-frames), ``kind``: ``'inside'``, ``'outside'`` or
        ``'fallback'``.
    """
    keys = np.asarray(keys, dtype=np.int64)
    first, last = int(span[0]), int(span[1])
    inside = keys[(keys >= first) & (keys <= last)]
    kind = 'inside'
    if inside.size > num:
        if test_mode:
            pick = np.round(np.linspace(0, inside.size - 1, num)).astype(int)
        else:
            pick = np.sort(np.random.choice(inside.size, num, replace=False))
        chosen = inside[pick]
    elif inside.size:
        chosen = inside
    else:
        chosen = np.zeros(0, dtype=np.int64)
        if outside_span and keys.size:
            dist = np.maximum(first - keys, keys - last)
            best = int(np.argmin(dist))  # argmin: the earlier on ties
            if max_outside_distance is None or \
                    dist[best] <= max_outside_distance:
                chosen, kind = keys[best:best + 1], 'outside'
        if not chosen.size:
            chosen, kind = np.array([fallback_frame]), 'fallback'
    inds = np.resize(chosen, num).astype(np.int64)
    valid = (np.arange(num) < chosen.size).astype(np.float32)
    return inds, valid, kind
