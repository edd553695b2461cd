"""decord backend: fast C++ decoding; random access not always accurate."""
import os.path as osp
from typing import Optional

import cv2
import numpy as np

from .base import VideoSource, register_backend

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

    Resize on decode (``short_side``) uses decord's ``width``/``height``
    (FFmpeg bilinear scaling); the original size is read from frame 0.

    Raises:
        ValueError: for MPEG-PS/TS files (refused, see
            ``DECORD_REFUSED_EXTENSIONS``; use ``backend='pyav'``).
    """

    backend = 'decord'
    access_patterns = ('sequential', 'random')

    def __init__(self, path: str, num_threads: int = 1, reader=None,
                 short_side: Optional[int] = None) -> None:
        super().__init__(path, num_threads, short_side)
        if osp.splitext(str(path))[1].lower() in DECORD_REFUSED_EXTENSIONS:
            raise ValueError(
                'decord misnumbers the frames of MPEG program/transport '
                f'streams ({osp.basename(str(path))}): decode it with '
                "backend='pyav' (pip install av)")
        if reader is None:
            import decord
            reader = decord.VideoReader(path, num_threads=num_threads)
            if self.short_side is not None:  # size known after one frame
                self.original_size = reader[0].shape[:2]
                height, width = self.output_size()
                reader = decord.VideoReader(path, num_threads=num_threads,
                                            width=width, height=height)
        self.reader = reader
        self._resize_after = False
        self.num_frames = len(reader)
        self.fps = float(reader.get_avg_fps())

    @classmethod
    def from_reader(cls, reader, path: str = '') -> 'DecordSource':
        """Wrap an already opened ``decord.VideoReader``."""
        return cls(path, reader=reader)

    def read(self, indices, access: str = 'sequential',
             stack: bool = True) -> np.ndarray:
        """See :meth:`VideoSource.read`; works around decord's resize bug.

        decord 0.6.0 fails for some output sizes ("DECORDArrayCopyFromTo:
        The size must exactly match", e.g. 64x64 -> 48x48); then the video
        is decoded at full size and resized with OpenCV (``INTER_AREA``;
        pixels then differ from PyAV's scaling by ~2 grey levels on
        average on sharp synthetic edges).
        """
        try:
            return super().read(indices, access, stack)
        except Exception as err:  # decord raises DECORDError (Exception)
            if 'DECORDArrayCopyFromTo' not in str(err) or \
                    self.short_side is None or self._resize_after:
                raise
        import decord
        self._resize_after = True
        self.reader = decord.VideoReader(self.path,
                                         num_threads=self.num_threads)
        return super().read(indices, access, stack)

    def _resized(self, frames: np.ndarray) -> np.ndarray:
        """``frames`` (N, H, W, 3) at the output size (resize fallback)."""
        height, width = self.output_size()
        return np.stack([cv2.resize(f, (width, height),
                                    interpolation=cv2.INTER_AREA)
                         for f in frames])

    def _read_random(self, indices: np.ndarray) -> np.ndarray:
        frames = self.reader.get_batch(indices.tolist()).asnumpy()
        return self._resized(frames) if self._resize_after else frames

    def _read_sequential(self, indices: np.ndarray) -> np.ndarray:
        """Contiguous ``get_batch`` chunks from frame 0, requested frames kept.

        Contiguous reads continue decoding without seeking, which keeps
        decord's numbering equal to a sequential decode (its ``skip_frames``
        and ``seek`` do not: measured in docs/performance.md). The kept
        frames are copied straight from each chunk into one preallocated
        array (no per-frame copies, no stack); a chunk without a requested
        frame is decoded but never copied out of decord.
        """
        last = int(indices[-1])
        if last >= self.num_frames:
            raise IndexError(f'frame {last} requested, the video reports '
                             f'{self.num_frames} frames')
        self.reader.seek(0)
        out, done = None, 0
        for start in range(0, last + 1, RANGE_CHUNK):
            stop = min(start + RANGE_CHUNK, last + 1)
            batch = self.reader.get_batch(list(range(start, stop)))
            end = int(np.searchsorted(indices, stop))
            if end == done:
                continue
            rows = indices[done:end] - start
            if self._resize_after:
                kept = self._resized(batch.asnumpy()[rows])
                rows = np.arange(len(kept))
            else:  # a view: only the kept rows are copied (issue 16 item 7)
                kept = _chunk_view(batch)
            if out is None:
                out = np.empty((len(indices), ) + kept.shape[1:], np.uint8)
            np.take(kept, rows, axis=0, out=out[done:end])
            done = end
        return out

    def close(self) -> None:
        self.reader = None


def _chunk_view(batch) -> np.ndarray:
    """A decord NDArray as numpy without copying (DLPack through torch).

    ``asnumpy()`` copies the whole chunk; the view lets the caller copy only
    the frames it keeps. Falls back to ``asnumpy()`` where DLPack fails.
    """
    try:
        from torch.utils.dlpack import from_dlpack
        return from_dlpack(batch.to_dlpack()).numpy()
    except Exception:  # no torch, or a decord build without DLPack
        return batch.asnumpy()
    def close(self) -> None:
        self.reader = None
