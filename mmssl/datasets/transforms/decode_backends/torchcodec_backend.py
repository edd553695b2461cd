"""torchcodec backend (optional): exact-seek CPU or CUDA (NVDEC) decoding."""
from typing import Optional

import numpy as np

from .base import VideoSource, keep_needed, register_backend

# torchcodec seeks with an index built from a scan of the whole file
# ('exact' mode), so its random access is frame-accurate by design.
SEEK_MODE = 'exact'
RANGE_CHUNK = 32  # frames per get_frames_in_range call in 'sequential'


def import_torchcodec():
    """``torchcodec.decoders`` with a clear message when it cannot load."""
    try:
        from torchcodec import decoders
    except Exception as err:  # ImportError or a failed shared-library load
        raise ImportError(
            "backend='torchcodec' needs a torchcodec build matching the "
            'installed torch (pip install torchcodec; the PyPI 0.17.0 wheel '
            'links CUDA torch and does not load beside a CPU-only torch). '
            f'Loading failed with: {err}') from err
    return decoders


@register_backend
class TorchCodecSource(VideoSource):
    """torchcodec ``VideoDecoder`` behind :class:`VideoSource`.

    Access patterns: ``'random'`` (``get_frames_at``, exact seek mode) and
    ``'sequential'`` (``get_frames_in_range`` in chunks from frame 0).

    Args:
        device (str): ``'cpu'`` or ``'cuda'`` (NVDEC). Defaults to ``'cpu'``.
    """

    backend = 'torchcodec'
    access_patterns = ('sequential', 'random')

    def __init__(self, path: str, num_threads: int = 1,
                 device: str = 'cpu', short_side: Optional[int] = None) -> None:
        if short_side is not None:
            raise ValueError("backend='torchcodec' has no resize on decode "
                             'here; drop short_side or use decord / pyav')
        super().__init__(path, num_threads)
        decoders = import_torchcodec()
        self.decoder = decoders.VideoDecoder(
            path, seek_mode=SEEK_MODE, device=device,
            num_ffmpeg_threads=num_threads)
        meta = self.decoder.metadata
        self.num_frames = int(meta.num_frames)
        self.fps = float(meta.average_fps or 0.0)
        self.original_size = (int(meta.height or 0), int(meta.width or 0))

    @staticmethod
    def _hwc(batch) -> np.ndarray:
        return batch.data.permute(0, 2, 3, 1).cpu().numpy()

    def _read_random(self, indices: np.ndarray) -> np.ndarray:
        if indices[-1] >= self.num_frames:
            raise IndexError(f'frame {indices[-1]} requested, the video has '
                             f'{self.num_frames} frames')
        return self._hwc(self.decoder.get_frames_at(indices.tolist()))

    def _chunks(self, stop: int):
        for start in range(0, stop, RANGE_CHUNK):
            yield from self._hwc(self.decoder.get_frames_in_range(
                start, min(start + RANGE_CHUNK, stop)))

    def _read_sequential(self, indices: np.ndarray) -> list:
        stop = min(int(indices[-1]) + 1, self.num_frames)
        return keep_needed(self._chunks(stop), indices, np.asarray)

    def close(self) -> None:
        self.decoder = None
