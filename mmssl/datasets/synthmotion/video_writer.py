"""Writing SynthMotion frames as video files."""
import numpy as np

__all__ = ['VIDEO_EXT', 'VIDEO_FOURCC', 'write_video']

# Video container / codec. MPEG-4 Part 2 in .mp4 is what OpenCV's bundled
# FFmpeg encodes everywhere (no H.264 encoder is available in the pip wheels),
# decord decodes it, and it keeps a 48-frame 64x64 clip at ~10-20 kB.
VIDEO_EXT = '.mp4'
VIDEO_FOURCC = 'mp4v'


def write_video(path: str, frames: np.ndarray, fps: float = 25) -> None:
    """Write RGB frames as an MPEG-4 Part 2 ('mp4v') video with OpenCV.

    Args:
        path (str): Output file, normally ending in ``.mp4``.
        frames (np.ndarray): RGB frames, shape (T, H, W, 3), dtype uint8.
        fps (float): Frame rate. Defaults to 25.

    Raises:
        RuntimeError: If OpenCV cannot open a writer for the file.
    """
    import cv2

    t, h, w, c = frames.shape
    if c != 3 or frames.dtype != np.uint8:
        raise ValueError('frames must be (T, H, W, 3) uint8, got '
                         f'{frames.shape} {frames.dtype}')
    fourcc = cv2.VideoWriter_fourcc(*VIDEO_FOURCC)
    # OpenCV's FFmpeg writer puts a key frame every 12 frames.
    writer = cv2.VideoWriter(path, cv2.CAP_FFMPEG, fourcc, float(fps), (w, h))
    if not writer.isOpened():
        raise RuntimeError(f'OpenCV could not open a {VIDEO_FOURCC!r} video '
                           f'writer for {path}')
    try:
        for frame in frames:
            writer.write(np.ascontiguousarray(frame[..., ::-1]))  # RGB->BGR
    finally:
        writer.release()
