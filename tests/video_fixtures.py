"""Test helpers: tiny generated videos whose frames encode their index."""

import cv2
import numpy as np

FRAME_VALUE_STEP = 5  # frame t is a constant grey image of value 5 * t


def write_index_video(path: str, num_frames: int, size: int = 32) -> str:
    """Write a video whose frame ``t`` is uniformly ``FRAME_VALUE_STEP * t``.

    Decoded indices can then be read back with :func:`frame_index`.
    """
    # FFV1 is lossless, so decoded grey values are exact.
    writer = cv2.VideoWriter(path, cv2.VideoWriter_fourcc(*'FFV1'), 25,
                             (size, size))
    for t in range(num_frames):
        writer.write(
            np.full((size, size, 3), FRAME_VALUE_STEP * t, dtype=np.uint8))
    writer.release()
    return path


def frame_index(frame: np.ndarray) -> int:
    """Index of a frame written by :func:`write_index_video`."""
    return int(round(float(frame.mean()) / FRAME_VALUE_STEP))


def synthmotion_cfg_options(root: str) -> list:
    """``--cfg-options`` pointing a synthmotion config at ``root``."""
    return [
        f'train_dataloader.dataset.ann_file={root}/train_list.txt',
        f'train_dataloader.dataset.data_prefix.video={root}',
        f'test_dataloader.dataset.datasets.0.ann_file={root}/train_list.txt',
        f'test_dataloader.dataset.datasets.0.data_prefix.video={root}',
        f'test_dataloader.dataset.datasets.1.ann_file={root}/val_list.txt',
        f'test_dataloader.dataset.datasets.1.data_prefix.video={root}',
    ]


# --- Coded videos whose frames carry their index as a block code ----------

CODE_GRID = 4  # the frame index is a CODE_GRID x CODE_GRID grid of bits
CODE_BITS = CODE_GRID * CODE_GRID

# Encoder settings per case: (container, codec, options, bit-rate hint).
# Several GOP structures: long / short GOPs, B-frames, open GOPs, all-intra.
CODED_VIDEO_CASES = {
    'h264_long_gop_bframes': ('mp4', 'libx264', {
        'g': '250', 'bf': '3', 'crf': '28', 'preset': 'ultrafast'}),
    'h264_short_gop_bframes': ('mkv', 'libx264', {
        'g': '8', 'bf': '2', 'crf': '28', 'preset': 'veryfast'}),
    'h264_open_gop': ('mkv', 'libx264', {
        'x264-params': 'keyint=12:min-keyint=12:open-gop=1:bframes=3',
        'crf': '28'}),
    'h264_yuv444': ('mp4', 'libx264', {
        'g': '30', 'bf': '2', 'crf': '28', 'pix_fmt': 'yuv444p'}),
    'mpeg4_part2_bframes_avi': ('avi', 'mpeg4', {
        'g': '12', 'bf': '2', 'qscale': '6'}),
    'msmpeg4_avi': ('avi', 'msmpeg4', {'g': '30', 'qscale': '6'}),
    'mpeg2_program_stream': ('mpg', 'mpeg2video', {
        'g': '12', 'bf': '2', 'qscale': '6'}),
    'mpeg2_mkv': ('mkv', 'mpeg2video', {'g': '12', 'bf': '2', 'qscale': '6'}),
    'mjpeg_all_intra': ('avi', 'mjpeg', {'qscale': '8'}),
    'vp9_webm': ('webm', 'libvpx-vp9', {'g': '16', 'deadline': 'realtime',
                                        'cpu-used': '8'}),
}


def code_frame(index: int, size: int = 64, motion: bool = True) -> np.ndarray:
    """(size, size, 3) uint8 RGB frame whose index is a grid of big blocks.

    Bit ``b`` of ``index`` is the block in row ``b // CODE_GRID``, column
    ``b % CODE_GRID``: 230 for 1, 25 for 0 — a code lossy codecs keep.
    A thin moving bar on the top row of pixels gives the encoder motion.
    """
    cell = size // CODE_GRID
    bits = (index >> np.arange(CODE_BITS)) & 1
    grid = np.where(bits.reshape(CODE_GRID, CODE_GRID) > 0, 230, 25)
    frame = np.kron(grid, np.ones((cell, cell))).astype(np.uint8)
    frame = np.repeat(frame[..., None], 3, axis=2)
    if motion:
        col = (index * 3) % size
        frame[:2, col:col + 4] = (200, 40, 40)
    return np.ascontiguousarray(frame)


def read_frame_code(frame: np.ndarray) -> int:
    """Index burnt into a frame by :func:`code_frame` (any size, any RGB)."""
    h, w = frame.shape[:2]
    ch, cw = h // CODE_GRID, w // CODE_GRID
    grey = np.asarray(frame, dtype=np.float32).mean(axis=2)
    index = 0
    for b in range(CODE_BITS):
        r, c = divmod(b, CODE_GRID)
        block = grey[r * ch + ch // 4:(r + 1) * ch - ch // 4,
                     c * cw + cw // 4:(c + 1) * cw - cw // 4]
        index |= int(block.mean() > 128) << b
    return index


def write_coded_video(path: str, num_frames: int, case: str,
                      size: int = 64, fps: int = 25) -> str:
    """Encode :func:`code_frame` frames ``0..num_frames-1`` with PyAV.

    ``case`` is a key of :data:`CODED_VIDEO_CASES`; ``path`` should end with
    its container extension. Needs ``av`` (the ``tests`` extra).
    """
    import av
    _, codec, options = CODED_VIDEO_CASES[case]
    options = dict(options)
    pix_fmt = options.pop('pix_fmt',
                          'yuvj420p' if codec == 'mjpeg' else 'yuv420p')
    with av.open(path, 'w') as container:
        stream = container.add_stream(codec, rate=fps)
        stream.width = stream.height = size
        stream.pix_fmt = pix_fmt
        stream.options = options
        for t in range(num_frames):
            frame = av.VideoFrame.from_ndarray(code_frame(t, size), 'rgb24')
            for packet in stream.encode(frame):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
    return path
