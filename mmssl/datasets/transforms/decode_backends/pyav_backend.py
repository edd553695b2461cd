"""PyAV backend: FFmpeg through PyAV, frame-accurate sequential decoding."""
from typing import List, Optional, Tuple

import numpy as np

from .base import VideoSource, keep_needed, register_backend

# After a seek, how many output frames may precede the key frame (leading
# pictures of an open GOP) before the key frame is declared not found.
MAX_LEADING_FRAMES = 64


def import_av():
    """``import av`` with an install hint (PyAV is an optional dependency)."""
    try:
        import av
    except ImportError as err:
        raise ImportError(
            "backend='pyav' needs PyAV: pip install av (or pip install "
            '"mmssl[av]")') from err
    return av


@register_backend
class PyAVSource(VideoSource):
    """PyAV (bundled FFmpeg) behind :class:`VideoSource`.

    Opening demuxes the packets once (no decoding) to count frames and to
    locate key frames: a frame's index is the rank of its packet's
    presentation timestamp, discarded and empty packets excluded.

    Access patterns: ``'sequential'`` (decode from the start, convert only
    the requested frames) and ``'keyframe'`` (seek to the key packet
    preceding each run, skip leading pictures of open GOPs until the key
    frame comes out, count forward; falls back to ``'sequential'`` when the
    container has no timestamps or the key frame is not found).
    """

    backend = 'pyav'
    access_patterns = ('sequential', 'keyframe')

    def __init__(self, path: str, num_threads: int = 1,
                 short_side: Optional[int] = None) -> None:
        super().__init__(path, num_threads, short_side)
        self.av = import_av()
        pts, keys = [], []
        with self.av.open(path) as container:
            stream = container.streams.video[0]
            rate = stream.average_rate or stream.guessed_rate
            self.fps = float(rate) if rate else 0.0
            self.original_size = (stream.codec_context.height,
                                  stream.codec_context.width)
            for packet in container.demux(stream):
                if packet.size == 0 or packet.is_discard:
                    continue
                pts.append(packet.pts)
                keys.append(packet.is_keyframe)
        self.num_frames = len(pts)
        self.key_table = self._key_table(pts, keys)
        self.container = None

    @staticmethod
    def _key_table(pts: list, keys: list) -> Optional[List[Tuple[int, int]]]:
        """``[(frame index, pts)]`` of key frames; None without timestamps."""
        if not pts or any(p is None for p in pts) or len(set(pts)) < len(pts):
            return None
        order = np.argsort(np.asarray(pts), kind='stable')
        rank = np.empty(len(pts), dtype=np.int64)
        rank[order] = np.arange(len(pts))
        return [(int(rank[i]), pts[i]) for i in range(len(pts)) if keys[i]]

    def _open(self):
        self.close()
        self.container = self.av.open(self.path)
        stream = self.container.streams.video[0]
        if self.num_threads > 1:
            stream.thread_type = 'AUTO'
            stream.codec_context.thread_count = self.num_threads
        return stream

    def _rgb(self, frame) -> np.ndarray:
        """RGB array; scaled in the same swscale pass when resizing."""
        if self.short_side is None:
            return frame.to_ndarray(format='rgb24')
        height, width = self.output_size()
        return frame.to_ndarray(format='rgb24', width=width, height=height,
                                interpolation='BILINEAR')

    def _read_sequential(self, indices: np.ndarray) -> list:
        stream = self._open()
        return keep_needed(self.container.decode(stream), indices, self._rgb)

    def _read_keyframe(self, indices: np.ndarray) -> list:
        if not self.key_table:
            return self._read_sequential(indices)
        key_index = np.array([k for k, _ in self.key_table])
        stream = self._open()
        out, pos, frames = [], None, None
        for idx in indices.tolist():
            k = int(np.searchsorted(key_index, idx, side='right')) - 1
            key, key_pts = self.key_table[max(k, 0)]
            if pos is None or key > pos or idx < pos:
                frames = self._seek(stream, key_pts)
                if frames is None:
                    return self._read_sequential(indices)
                pos = key
            for frame in frames:
                if pos == idx:
                    out.append(self._rgb(frame))
                    pos += 1
                    break
                pos += 1
            else:
                raise IndexError(f'the video ended before frame {idx}')
        return out

    def _seek(self, stream, key_pts: int):
        """Frame iterator starting at the key frame with ``key_pts``."""
        self.container.seek(key_pts, stream=stream, backward=True,
                            any_frame=False)
        frames = self.container.decode(stream)
        for _, frame in zip(range(MAX_LEADING_FRAMES), frames):
            if frame.pts == key_pts:
                return _prepend(frame, frames)
        return None

    def close(self) -> None:
        if self.container is not None:
            self.container.close()
            self.container = None


def _prepend(first, rest):
    yield first
    yield from rest
