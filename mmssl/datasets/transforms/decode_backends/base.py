"""Common interface of the video decode backends (decord, PyAV, torchcodec).

A backend opens one video and returns the frames at given indices, where
*frame i* means the i-th frame that a plain sequential decode of the file
outputs (the numbering the samplers assume). Three access patterns exist:

- ``'sequential'`` (default): decode forward from the first frame and keep
  the requested ones (frames in between are decoded but not converted to
  RGB). Frame-accurate by construction; costs a decode of every frame up to
  the largest requested index.
- ``'keyframe'``: seek to the key frame that precedes each requested run
  and decode forward from it. Accurate when the backend numbers key frames
  the way a sequential decode does; check a dataset with
  ``tools/analysis_tools/check_frame_accuracy.py`` before using it.
- ``'random'``: the backend's own random access (decord ``get_batch``,
  torchcodec ``get_frames_at``). decord's is NOT frame-accurate on several
  codecs (see docs/performance.md); kept for comparison and old results.
"""
from typing import Dict, Optional, Sequence, Tuple, Type

import numpy as np

ACCESS_PATTERNS = ('sequential', 'keyframe', 'random')


class VideoSource:
    """An opened video that returns RGB frames by sequential-decode index.

    Subclasses set ``num_frames`` (int), ``fps`` (float),
    ``original_size`` ((H, W) of the video) and ``access_patterns`` and
    implement ``_read_<access>`` methods.

    Args:
        path (str): Video file.
        num_threads (int): Decoder threads.
        short_side (int, optional): Resize on decode: frames come out with
            this short side (aspect ratio kept, bilinear), scaled by the
            decoder before the RGB frames are stored. None: full size.
    """

    backend = ''
    access_patterns: Tuple[str, ...] = ()

    def __init__(self, path: str, num_threads: int = 1,
                 short_side: Optional[int] = None) -> None:
        if short_side is not None and int(short_side) < 2:
            raise ValueError(f'short_side must be >= 2, got {short_side}')
        self.path = path
        self.num_threads = num_threads
        self.short_side = None if short_side is None else int(short_side)
        self.num_frames = 0
        self.fps = 0.0
        self.original_size: Tuple[int, int] = (0, 0)

    def output_size(self) -> Tuple[int, int]:
        """(H, W) of the returned frames."""
        return scaled_size(self.original_size, self.short_side)

    def read(self, indices: Sequence[int], access: str = 'sequential',
             stack: bool = True) -> np.ndarray:
        """Frames at ``indices`` (sorted, unique) as (N, H, W, 3) uint8 RGB.

        Args:
            indices (sequence[int]): Sorted unique frame indices.
            access (str): Access pattern (``ACCESS_PATTERNS``).
            stack (bool): If False, frames a backend produced one by one
                come back as a list of N (H, W, 3) arrays instead of being
                copied into one array (the decode step only needs the
                frames; the stack would be a full extra copy).

        Raises:
            ValueError: unsorted/repeated indices or an unsupported access.
            IndexError: an index past the decodable end of the file.
        """
        check_access(self.backend, access, type(self))
        indices = np.asarray(indices, dtype=np.int64).reshape(-1)
        if indices.size == 0:
            raise ValueError('no frame indices to read')
        if np.any(np.diff(indices) <= 0) or indices[0] < 0:
            raise ValueError('indices must be sorted, unique and >= 0, got '
                             f'{indices.tolist()}')
        frames = getattr(self, f'_read_{access}')(indices)
        if len(frames) != len(indices):
            raise IndexError(f'{self.backend} returned {len(frames)} frames '
                             f'for {len(indices)} indices')
        if isinstance(frames, list) and stack:
            return np.ascontiguousarray(np.stack(frames))
        return frames

    def close(self) -> None:
        """Release the decoder."""

    def __enter__(self) -> 'VideoSource':
        return self

    def __exit__(self, *exc) -> None:
        self.close()


_BACKENDS: Dict[str, Type[VideoSource]] = {}


def register_backend(cls: Type[VideoSource]) -> Type[VideoSource]:
    """Class decorator adding a :class:`VideoSource` under ``cls.backend``."""
    _BACKENDS[cls.backend] = cls
    return cls


def backend_class(backend: str) -> Type[VideoSource]:
    """The :class:`VideoSource` class registered as ``backend``."""
    if backend not in _BACKENDS:
        raise ValueError(f'unknown video backend {backend!r}; choose one of '
                         f'{sorted(_BACKENDS)}')
    return _BACKENDS[backend]


def check_access(backend: str, access: str,
                 cls: Optional[Type[VideoSource]] = None) -> None:
    """Raise ValueError unless ``backend`` supports access pattern ``access``."""
    if access not in ACCESS_PATTERNS:
        raise ValueError(f'access must be one of {ACCESS_PATTERNS}, got '
                         f'{access!r}')
    cls = cls or backend_class(backend)
    if access not in cls.access_patterns:
        raise ValueError(f'backend {backend!r} does not support access '
                         f'{access!r} (supported: {cls.access_patterns})')


def open_video(path: str, backend: str = 'decord', num_threads: int = 1,
               short_side: Optional[int] = None) -> VideoSource:
    """Open ``path`` with ``backend`` ('decord', 'pyav' or 'torchcodec')."""
    cls = backend_class(backend)
    if short_side is None:
        return cls(path, num_threads=num_threads)
    return cls(path, num_threads=num_threads, short_side=short_side)


def scaled_size(size: Tuple[int, int],
                short_side: Optional[int]) -> Tuple[int, int]:
    """(H, W) with the short side set to ``short_side``, aspect kept."""
    h, w = size
    if short_side is None or min(h, w) == 0:
        return h, w
    scale = short_side / min(h, w)
    return ((short_side, max(1, int(round(w * scale)))) if h <= w else
            (max(1, int(round(h * scale))), short_side))


def keep_needed(frames_iter, indices: np.ndarray, convert) -> list:
    """Walk a sequential frame iterator, converting frames at ``indices``.

    Args:
        frames_iter: Iterator over decoded frames in output order.
        indices (np.ndarray): Sorted unique frame indices.
        convert (callable): Decoded frame -> (H, W, 3) uint8 array.

    Raises:
        IndexError: the iterator ends before ``indices[-1]``.
    """
    out, pos = [], 0
    last = int(indices[-1])
    wanted = iter(indices.tolist())
    target = next(wanted)
    for i, frame in enumerate(frames_iter):
        if i == target:
            out.append(convert(frame))
            target = next(wanted, None)
            if target is None:
                return out
        pos = i + 1
    raise IndexError(f'the video ended after {pos} decodable frames; frame '
                     f'{last} was requested')
