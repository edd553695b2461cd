"""Decode step against the raw backend call and against per-clip decoding.

For every video, sampler and access pattern, one sample (fixed seed per
sample) is drawn with the sampler of a method's config, and the same frames
are decoded three ways, timed interleaved (the order rotates per sample):

- ``raw``: the backend library used directly, written minimally here, for
  the sorted unique indices of the sample: decord ``VideoReader`` +
  contiguous ``get_batch`` chunks from frame 0 (``sequential``, the access
  pattern the pipeline uses) or one ``get_batch`` of the indices
  (``random``); PyAV: open + sequential decode, converting the requested
  frames (``sequential``). Includes opening the file.
- ``pipeline``: ``SafeDecordInit`` (open) + ``DecordDecodeUnion`` on the
  sampler's ``frame_inds`` (decode once, frames shared in ``frame_inds``
  order). The sampler runs before and is timed separately.
- ``per_clip``: the same opened reader (``SafeDecordInit``; not re-opened,
  but PyAV re-opens its container per read) and one read per clip
  (``clip_len`` consecutive entries of ``frame_inds``) with the same access
  pattern: what a pipeline without decode-once does.

Each sample is timed in ``--repeat`` interleaved rounds (raw, pipeline,
per-clip, raw, ...; the first way rotates per sample) and the best round
of each way counts.

Reported per (backend, access, sampler): median ms per sample of each way,
the medians of the per-sample ratios ``pipeline/raw`` and
``per_clip/pipeline`` (and the smallest ``per_clip/pipeline``), and unique
frames / total indices. The pipeline's frames are checked to be identical
to the raw call's. A benchmark, not a test.

Example::

    python tools/analysis_tools/benchmark_decode.py /tmp/e_videos/vtest.avi \\
        --samplers sparse10 vcop3 single --access sequential random \\
        --samples 3 --out decode.json
"""
import argparse
import json
import os
import os.path as osp
import random
import sys
import time
from collections import defaultdict
from typing import Dict, List, Optional

import numpy as np
from tqdm import tqdm

sys.path.insert(0, osp.dirname(osp.abspath(__file__)))
from check_frame_accuracy import list_videos  # noqa: E402

ROOT = osp.join(osp.dirname(osp.abspath(__file__)), '..', '..')
# sampler name -> (config whose train pipeline holds it, transform type)
SAMPLERS = {
    'sparse10': ('configs/stclr/simplified-tclr_r3d-18_1xb38-16x112x112-'
                 '400e_ucf101-split1.py', 'SparseLocalSampleClips'),
    'stclr13': ('configs/stclr/stclr_r3d-18_1xb38-16x112x112-400e_ucf101-'
                'split1.py', 'STCLRSampleClips'),
    'tclr': ('configs/tclr/tclr_r3d-18_1xb40-16x112x112-400e_ucf101-'
             'split1.py', 'TCLRSampleClips'),
    'vcop3': ('configs/vcop/vcop_r3d-18_1xb8-16x112x112-3clips-300e_ucf101-'
              'split1.py', 'VCOPSampleClips'),
    'prp': ('configs/prp/prp_r2plus1d-vcop_1xb8-16x112x112-4rates-200e_'
            'k400-50k.py', 'PRPSampleClip'),
    'cvrl': ('configs/cvrl/cvrl_r2plus1d-vcop_8xb64-16x112x112-2clips-200e_'
             'k400-50k.py', 'CVRLSampleClips'),
    'rspnet': ('configs/rspnet/rspnet_r2plus1d-vcop_4xb32-16x112x112-'
               'speed1-2-200e_k400-50k.py', 'RSPNetSampleClips'),
    'tdl': ('configs/tdl/tdl_r2plus1d-vcop_2xb64-16x112x112-triplet-200e_'
            'k400-50k.py', 'TDLSampleTriplet'),
    'sro': ('configs/segment_rate_order/sro_r3d-vcop_1xb16-16x112x112-300e_'
            'ucf101-split1.py', 'SegmentRateOrderSampleClips'),
    'single': (None, dict(type='SampleFrames', clip_len=16, frame_interval=4,
                          num_clips=1)),
}
WAYS = ('raw', 'pipeline', 'per_clip')


def sampler_cfg(name: str) -> dict:
    """The sampler step of ``SAMPLERS[name]``'s config train pipeline."""
    path, kind = SAMPLERS[name]
    if path is None:
        return dict(kind)
    from mmengine.config import Config
    dataset = Config.fromfile(osp.join(ROOT, path)).train_dataloader.dataset
    while 'pipeline' not in dataset:
        dataset = dataset.dataset
    for step in dataset.pipeline:
        if step['type'] == kind:
            step = dict(step)
            step.pop('on_error', None)  # a short video raises: skipped here
            return step
    raise KeyError(f'{kind} not in the train pipeline of {path}')


def raw_read(path: str, unique: np.ndarray, backend: str,
             access: str) -> Optional[np.ndarray]:
    """The backend library called directly (None: no raw form here)."""
    if backend == 'decord':
        import decord
        reader = decord.VideoReader(path, num_threads=1)
        if access == 'random':
            return reader.get_batch(unique.tolist()).asnumpy()
        chunk, out = 16, []  # the pipeline's contiguous chunks
        for start in range(0, int(unique[-1]) + 1, chunk):
            stop = min(start + chunk, int(unique[-1]) + 1)
            batch = reader.get_batch(list(range(start, stop))).asnumpy()
            sel = unique[(unique >= start) & (unique < stop)] - start
            if len(sel):
                out.append(batch[sel])
        return np.concatenate(out)
    if backend == 'pyav' and access == 'sequential':
        import av
        out, want = [], set(unique.tolist())
        with av.open(path) as container:
            for i, frame in enumerate(container.decode(video=0)):
                if i in want:
                    out.append(frame.to_ndarray(format='rgb24'))
                    if len(out) == len(want):
                        break
        return np.stack(out)
    return None


def pipeline_read(path: str, frame_inds: np.ndarray, steps) -> list:
    """Open + decode-once, as the training pipeline runs them."""
    results = steps[0](dict(filename=path))
    results['frame_inds'] = frame_inds
    return steps[1](results)['imgs']


def per_clip_read(path: str, clips: List[np.ndarray], steps,
                  access: str) -> list:
    """Open once, one backend read per clip (no decode-once)."""
    from mmssl.datasets.transforms.shared_frames import share_frames
    source = steps[0](dict(filename=path))['video_reader']
    imgs = []
    for clip in clips:
        unique, inverse = np.unique(clip, return_inverse=True)
        imgs += share_frames(source.read(unique, access), inverse)
    source.close()
    return imgs


def draw(sampler, path: str, total: int, seed: int) -> Optional[dict]:
    """Run the sampler with a fixed seed; None for a too-short video."""
    np.random.seed(seed)
    random.seed(seed)
    results = dict(filename=path, total_frames=total, start_index=0,
                   modality='RGB')
    start = time.perf_counter()
    try:
        results = sampler(results)
    except Exception:  # VideoTooShortError and the like
        return None
    if results is None:
        return None
    results['sampler_ms'] = 1e3 * (time.perf_counter() - start)
    return results


def measure(video: str, names: List[str], backend: str,
            accesses: List[str], samples: int, seed: int,
            repeat: int) -> List[dict]:
    """Rows (one per sample, sampler, access) for one video."""
    from mmssl.registry import TRANSFORMS
    opener = TRANSFORMS.build(dict(type='SafeDecordInit', backend=backend))
    try:
        total = opener(dict(filename=video))['total_frames']
    except Exception as err:  # refused (decord + MPEG-PS) or unreadable
        return [dict(video=osp.basename(video), error=str(err))]
    cfgs = {name: sampler_cfg(name) for name in names}
    samplers = {name: TRANSFORMS.build(cfg) for name, cfg in cfgs.items()}
    rows = []
    for j in range(samples):
        for name in names:
            cfg = cfgs[name]
            res = draw(samplers[name], video, total, seed + j)
            if res is None:
                rows.append(dict(video=osp.basename(video), sampler=name,
                                 skipped='video too short'))
                continue
            inds = np.asarray(res['frame_inds']).reshape(-1)
            clip_len = int(res.get('clip_len', cfg.get('clip_len', 16)))
            clips = np.split(inds, len(inds) // clip_len)
            unique = np.unique(inds)
            for access in accesses:
                steps = (opener, TRANSFORMS.build(
                    dict(type='DecordDecodeUnion', access=access)))
                ways = {
                    'raw': lambda: raw_read(video, unique, backend, access),
                    'pipeline': lambda: pipeline_read(video, inds, steps),
                    'per_clip': lambda: per_clip_read(video, clips, steps,
                                                      access),
                }
                order = WAYS[j % 3:] + WAYS[:j % 3]  # rotate per sample
                row = dict(video=osp.basename(video), sampler=name,
                           access=access, seed=seed + j, indices=len(inds),
                           unique=len(unique), clips=len(clips),
                           sampler_ms=res['sampler_ms'])
                outs, times = {}, defaultdict(list)
                for _ in range(repeat):  # A, B, C, A, B, C, ...
                    for way in order:
                        start = time.perf_counter()
                        outs[way] = ways[way]()
                        times[way].append(time.perf_counter() - start)
                for way in WAYS:  # best of the rounds
                    row[f'{way}_ms'] = 1e3 * min(times[way])
                if outs['raw'] is None:
                    row['raw_ms'] = None
                else:  # the pipeline returns the raw call's frames
                    pos = np.searchsorted(unique, inds)
                    row['identical'] = bool(all(
                        np.array_equal(outs['raw'][p], f)
                        for p, f in zip(pos, outs['pipeline'])))
                rows.append(row)
    return rows


def summarize(rows: List[dict]) -> Dict[str, dict]:
    """Per '<access>/<sampler>': medians and ratios over measured rows."""
    groups = defaultdict(list)
    for r in rows:
        if 'access' in r:
            groups[f'{r["access"]}/{r["sampler"]}'].append(r)
    table = {}
    for key, rs in groups.items():
        med = {w: float(np.median([r[f'{w}_ms'] for r in rs]))
               if rs[0][f'{w}_ms'] is not None else None for w in WAYS}
        cb = [r['per_clip_ms'] / r['pipeline_ms'] for r in rs]
        entry = dict(samples=len(rs), **{f'{w}_ms': v for w, v in med.items()},
                     sampler_ms=float(np.median([r['sampler_ms'] for r in rs])),
                     per_clip_over_pipeline=float(np.median(cb)),
                     min_per_clip_over_pipeline=float(min(cb)),
                     unique=int(sum(r['unique'] for r in rs)),
                     indices=int(sum(r['indices'] for r in rs)))
        if med['raw'] is not None:
            entry['pipeline_over_raw'] = float(np.median(
                [r['pipeline_ms'] / r['raw_ms'] for r in rs]))
            entry['identical'] = all(r['identical'] for r in rs)
        table[key] = entry
    return table


def print_table(table: Dict[str, dict]) -> None:
    print(f'{"access/sampler":22s} {"n":>3s} {"raw":>8s} {"pipeline":>8s} '
          f'{"per_clip":>9s} {"b/a":>5s} {"c/b":>5s} {"min c/b":>7s} '
          f'{"unique/total":>13s} {"sampler":>7s}')
    for key, e in sorted(table.items()):
        raw = f'{e["raw_ms"]:8.1f}' if e['raw_ms'] is not None else f'{"-":>8s}'
        ba = f'{e["pipeline_over_raw"]:5.2f}' if 'pipeline_over_raw' in e \
            else f'{"-":>5s}'
        print(f'{key:22s} {e["samples"]:3d} {raw} {e["pipeline_ms"]:8.1f} '
              f'{e["per_clip_ms"]:9.1f} {ba} '
              f'{e["per_clip_over_pipeline"]:5.2f} '
              f'{e["min_per_clip_over_pipeline"]:7.2f} '
              f'{e["unique"]:6d}/{e["indices"]:<6d} {e["sampler_ms"]:7.2f}')


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('videos', nargs='+', help='video files or folders')
    parser.add_argument('--samplers', nargs='+', default=list(SAMPLERS),
                        choices=list(SAMPLERS))
    parser.add_argument('--backend', default='decord',
                        choices=('decord', 'pyav'))
    parser.add_argument('--access', nargs='+', default=['sequential'],
                        help='DecordDecodeUnion access patterns, '
                        'interleaved (decord: sequential random; pyav: '
                        'sequential keyframe)')
    parser.add_argument('--samples', type=int, default=3,
                        help='samples per (video, sampler)')
    parser.add_argument('--repeat', type=int, default=2,
                        help='interleaved rounds per sample; the best '
                        'round counts (less noise from other jobs)')
    parser.add_argument('--seed', type=int, default=0)
    parser.add_argument('--out', help='JSON report path')
    args = parser.parse_args(argv)
    os.environ.setdefault('OMP_NUM_THREADS', '1')
    import mmssl.datasets  # noqa: F401  (registers the transforms)
    from mmengine.registry import DefaultScope
    DefaultScope.get_instance('benchmark_decode', scope_name='mmssl')
    videos = list_videos(args.videos)
    rows = []
    for video in tqdm(videos, desc=f'decode ({args.backend})', unit='video'):
        rows += measure(video, args.samplers, args.backend, args.access,
                        args.samples, args.seed, args.repeat)
    for r in rows:
        if 'error' in r:
            print(f'{r["video"]}: not measured: {r["error"]}')
    table = summarize(rows)
    load = os.getloadavg()
    print(f'backend {args.backend}; ms per sample (median); load average '
          f'{load[0]:.2f} {load[1]:.2f} {load[2]:.2f}')
    print_table(table)
    if args.out:
        with open(args.out, 'w') as f:
            json.dump(dict(args=vars(args), load_average=load, summary=table,
                           rows=rows), f, indent=1)
        print(f'report written to {args.out}')
    return 0


if __name__ == '__main__':
    sys.exit(main())
