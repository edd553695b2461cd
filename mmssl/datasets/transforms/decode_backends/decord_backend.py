"""decord backend: fast C++ decoding; random access not always accurate."""
import os.path as osp

import numpy as np

from .base import VideoSource, keep_needed, register_backend

# decord misnumbers frames of MPEG program/transport streams in every access
# pattern: on cityCC0.mpg (mpeg2 in MPEG-PS) it drops the first GOP (12
# frames) and repeats the last frame 12 times (docs/performance.md).
RANGE_CHUNK = 16  # frames per contiguous get_batch in 'sequential'

DECORD_REFUSED_EXTENSIONS = ('.mpg', '.mpeg', '.vob', '.ts', '.m2ts', '.mts',
                             '.m2v')


@register_backend
class DecordSource(VideoSource):
    """decord ``VideoReader`` behind :class:`VideoSource`.

    Access patterns: ``'sequential'`` (contiguous ``get_batch`` chunks from
    frame 0, every frame converted to RGB) and ``'random'`` (one
    ``get_batch`` of the indices: fast, but returns wrong frames for MPEG-4
    Part 2 with B-frames, open GOPs, MP4s without composition times and
    more; see docs/performance.md). No ``'keyframe'``: decord's ``seek`` /
    ``skip_frames`` misnumber frames on the same codecs.

    Raises:
        ValueError: for MPEG-PS/TS files (refused, see
            ``DECORD_REFUSED_EXTENSIONS``; use ``backend='pyav'``).
    """

    backend = 'decord'
    access_patterns = ('sequential', 'random')

    def __init__(self, path: str, num_threads: int = 1, reader=None) -> None:
        super().__init__(path, num_threads)
        if osp.splitext(str(path))[1].lower() in DECORD_REFUSED_EXTENSIONS:
            raise ValueError(
                'decord misnumbers the frames of MPEG program/transport '
                f'streams ({osp.basename(str(path))}): decode it with '
                "backend='pyav' (pip install av)")
        if reader is None:
            import decord
            reader = decord.VideoReader(path, num_threads=num_threads)
        self.reader = reader
        self.num_frames = len(reader)
        self.fps = float(reader.get_avg_fps())

    @classmethod
    def from_reader(cls, reader, path: str = '') -> 'DecordSource':
        """Wrap an already opened ``decord.VideoReader``."""
        return cls(path, reader=reader)

    def _read_random(self, indices: np.ndarray) -> np.ndarray:
        return self.reader.get_batch(indices.tolist()).asnumpy()

    def _chunks(self, stop: int):
        """Frames ``0..stop-1`` from contiguous ``get_batch`` calls.

        Contiguous reads continue decoding without seeking, which keeps
        decord's numbering equal to a sequential decode (its ``skip_frames``
        and ``seek`` do not: measured in docs/performance.md).
        """
        for start in range(0, stop, RANGE_CHUNK):
            yield from self.reader.get_batch(
                list(range(start, min(start + RANGE_CHUNK, stop)))).asnumpy()

    def _read_sequential(self, indices: np.ndarray) -> list:
        if indices[-1] >= self.num_frames:
            raise IndexError(f'frame {indices[-1]} requested, the video '
                             f'reports {self.num_frames} frames')
        self.reader.seek(0)
        return keep_needed(self._chunks(int(indices[-1]) + 1), indices,
                           np.asarray)

    def close(self) -> None:
        self.reader = None
