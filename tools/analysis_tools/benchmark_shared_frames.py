"""Memory and time of a multi-clip sample: shared frames against copies.

Runs the STCLR UCF101 training pipeline (``SparseLocalSampleClips``: 10
16-frame clips, 5 clips + their augmented twins; decode once; Resize to
171x128; per-clip TCLR augmentation to 112x112; FormatShape) on real
videos in two modes, each in a fresh subprocess per (video, mode):

- ``copying``: the pipeline before issue 16 item 3: after decoding, every
  index gets its own copy of its frame (``frames[inverse]``), MMAction2's
  ``Resize``/``Flip`` (one resize per index);
- ``shared``: today's pipeline: repeated indices share one read-only array,
  resized once, copied only before an in-place write.

(The ``before`` mode of earlier runs, which also re-created a decode-step
leak, was removed when the decode step stopped copying: the leaking code no
longer exists to patch. Its numbers stay in docs/performance.md.)

All modes draw the same clips and augmentations (same seeds; the outputs
are bit-identical, see tests/test_datasets/test_transforms/
test_shared_frames.py). Reported per mode: median seconds per sample over
``--repeat`` samples and of the steps after the decode step (gather copy,
resize, augmentation, format), the peak RSS growth of the process over its
RSS before the first sample (``resource.getrusage`` ru_maxrss), and the
peak of Python-tracked allocations during one sample (``tracemalloc``; numpy
buffers included). A benchmark, not a test.

Example::

    python tools/analysis_tools/benchmark_shared_frames.py \\
        /tmp/e_videos/vtest.avi /tmp/e_videos/cockatoo.mp4 --repeat 5
"""
import argparse
import hashlib
import json
import os.path as osp
import random
import resource
import subprocess
import sys
import time
import tracemalloc

import numpy as np

MODES = ('copying', 'shared')
AUG_FILE = osp.join(osp.dirname(__file__), '..', '..', 'configs', '_base_',
                    'datasets', 'tclr_clip_augment.py')


def _copy_per_index(results):
    """The pre-sharing gather: a private copy of the frame per index."""
    results['imgs'] = [np.array(f) for f in results['imgs']]
    return results


def build_pipeline(mode: str, access: str = 'sequential'):
    """STCLR UCF101 training pipeline (without packing) in ``mode``."""
    from mmengine.config import Config
    from mmengine.registry import DefaultScope

    import mmssl.datasets  # noqa: F401  (registers the transforms)
    from mmssl.registry import TRANSFORMS
    DefaultScope.get_instance('benchmark_shared_frames', scope_name='mmssl')
    prefix = '' if mode == 'shared' else 'mmaction.'
    aug = Config.fromfile(AUG_FILE).tclr_clip_aug_112
    for t in aug:
        if t['type'] in ('Resize', 'Flip'):
            t['type'] = prefix + t['type']
    steps = [
        dict(type='SafeDecordInit'),
        dict(type='SparseLocalSampleClips', clip_len=16,
             skip_rates=(1, 4, 8, 16, 24), instance_source='local'),
        dict(type='DecordDecodeUnion', access=access),
    ]
    steps = [TRANSFORMS.build(s) for s in steps]
    if mode != 'shared':
        steps.append(_copy_per_index)
    steps += [TRANSFORMS.build(s) for s in (
        dict(type=prefix + 'Resize', scale=(171, 128), keep_ratio=False),
        dict(type='PerClipTransform', transforms=aug),
        dict(type='FormatShape', input_format='NCTHW'))]
    return steps


def run_sample(steps, path: str, seed: int):
    """Run one sample; return it and the seconds after the decode step."""
    np.random.seed(seed)
    random.seed(seed)
    results = dict(filename=path, modality='RGB', start_index=0)
    for i, step in enumerate(steps):
        if i == 3:  # open, sample, decode done
            start = time.perf_counter()
        results = step(results)
    return results, time.perf_counter() - start


def measure(path: str, mode: str, repeat: int, access: str) -> dict:
    """One (video, mode) measurement; run in its own process."""
    steps = build_pipeline(mode, access)
    rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    times, after = [], []
    for seed in range(repeat):
        start = time.perf_counter()
        out, post = run_sample(steps, path, seed)
        times.append(time.perf_counter() - start)
        after.append(post)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    tracemalloc.start()
    first, _ = run_sample(steps, path, 0)
    traced = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return dict(video=osp.basename(path), mode=mode,
                frames=int(len(out['frame_inds'])),
                decoded=int(out['num_decoded_frames']),
                seconds=float(np.median(times)),
                after_decode_s=float(np.median(after)),
                rss_growth_mb=(rss - rss0) / 1024,
                traced_peak_mb=traced / 2**20,
                digest=hashlib.sha1(first['imgs'].tobytes()).hexdigest())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('videos', nargs='+')
    parser.add_argument('--repeat', type=int, default=5)
    parser.add_argument('--access', default='sequential',
                        help="DecordDecodeUnion access ('random': decord "
                        'get_batch, cheaper to decode, less accurate)')
    parser.add_argument('--modes', nargs='+', choices=MODES, default=MODES)
    parser.add_argument('--worker', choices=MODES, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(measure(args.videos[0], args.worker, args.repeat,
                                 args.access)))
        return
    print('video, frames (decoded): mode -> s/sample (of which after the '
          'decode step), peak RSS growth, tracemalloc peak')
    for path in args.videos:
        digests = set()
        for mode in args.modes:  # interleaved, a fresh process each
            line = subprocess.run(
                [sys.executable, __file__, path, '--worker', mode,
                 '--repeat', str(args.repeat), '--access', args.access],
                check=True, capture_output=True, text=True).stdout
            r = json.loads(line.strip().splitlines()[-1])
            print(f"{r['video']:22s} {r['frames']} ({r['decoded']}): "
                  f"{mode:8s} {r['seconds']:.3f} s "
                f"({r['after_decode_s']:.3f} s after decode), "
                  f"{r['rss_growth_mb']:7.1f} MB RSS, "
                  f"{r['traced_peak_mb']:7.1f} MB traced", flush=True)
            digests.add(r['digest'])
        print(f'  outputs (seed 0) identical: {len(digests) == 1}')


if __name__ == '__main__':
    main()
