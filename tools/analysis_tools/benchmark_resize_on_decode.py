"""Time resize on decode against full-size decode + cv2.resize.

For each video (MPEG-PS skipped: decord refuses it) and each backend, the
10-sparse-clip index set of the frame-accuracy check (16-frame clips at
stride 4 spread over the video) is decoded (access 'sequential') and
brought to ``--short-side``, either by the decoder (``short_side`` of
``SafeDecordInit``) or by decoding at full size and resizing each frame
with OpenCV (bilinear). Prints the median over files of the best of
``--repeat`` runs (ms, open + read + resize). A benchmark, not a test.

Example::

    python tools/analysis_tools/benchmark_resize_on_decode.py \\
        ~/.cache/mmssl/test_videos --short-side 128
"""
import argparse
import glob
import os.path as osp
import time

import cv2
import numpy as np

from mmssl.datasets.transforms.decode_backends import open_video
from mmssl.datasets.transforms.decode_backends.accuracy import index_sets

MODES = ('full size + cv2.resize', 'resize on decode')


def time_once(path: str, backend: str, mode: str, short: int,
              seed: int) -> float:
    """Seconds to open, read the sparse-clip set and reach ``short``."""
    start = time.perf_counter()
    source = open_video(path, backend,
                        short_side=short if mode == MODES[1] else None)
    inds = index_sets(source.num_frames, seed=seed, num_sets=2)[1]
    frames = source.read(inds)
    if mode == MODES[0]:
        height, width = frames.shape[1:3]
        scale = short / min(height, width)
        size = (round(width * scale), round(height * scale))
        frames = [cv2.resize(f, size, interpolation=cv2.INTER_LINEAR)
                  for f in frames]
    source.close()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('folder')
    parser.add_argument('--short-side', type=int, default=128)
    parser.add_argument('--repeat', type=int, default=2)
    parser.add_argument('--backends', nargs='+', default=['decord', 'pyav'])
    args = parser.parse_args()
    videos = [v for v in sorted(glob.glob(osp.join(args.folder, '*.*')))
              if not v.lower().endswith(('.mpg', '.mpeg', '.ts'))]
    for backend in args.backends:
        for mode in MODES:
            best = [1000 * min(time_once(v, backend, mode, args.short_side, r)
                               for r in range(args.repeat)) for v in videos]
            print(f'{backend:10s} {mode:24s} median {np.median(best):7.1f} '
                  f'ms, total {np.sum(best):8.1f} ms over {len(best)} videos')


if __name__ == '__main__':
    main()
