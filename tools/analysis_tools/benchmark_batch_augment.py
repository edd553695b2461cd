"""Per-clip augmentation: CPU pipeline transforms vs the batched
preprocessor ops, on the same clips.

Takes the ``batch_augments`` of a config's ``BatchAugmentPreprocessor``
(default: the CVRL tiny gpu-aug config) and the equivalent CPU transforms
with the same arguments (``BatchClipFlip`` -> ``Flip``, ``BatchClipX`` ->
``ClipX``) inside one ``PerClipTransform``, as the original config runs
them in the loader workers. Times, interleaved per round (CPU pipeline,
batched on the CPU, batched on CUDA if available, ...):

- ``cpu_pipeline``: the ``PerClipTransform`` on every sample of the batch
  (uint8 frames, ``num_clips`` views per sample), one sample at a time as a
  loader worker does;
- ``batch_cpu`` / ``batch_cuda``: ``BatchAugmentPreprocessor.augment`` on
  the normalised ``(B, V, C, T, H, W)`` batch (un-normalise, augment,
  re-normalise; CUDA times synchronised).

Reports the median ms per clip of each and the ratios. A benchmark, not a
test: numbers on a shared machine are noisy (the report carries the load
average). See docs/performance.md for measured numbers.

Example::

    python tools/analysis_tools/benchmark_batch_augment.py \\
        --batch-size 16 --views 2 --clip-len 8 --size 32 --rounds 10
"""
import argparse
import os
import statistics
import sys
import time

DEFAULT_CONFIG = ('configs/analysis/batch_augment/'
                  'cvrl_r3d-tiny_1xb16-8x32x32-2clips-40e_synthmotion_'
                  'gpu-aug.py')


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--config', default=DEFAULT_CONFIG,
                        help='config whose model.data_preprocessor has '
                        'batch_augments')
    parser.add_argument('--batch-size', type=int, default=16)
    parser.add_argument('--views', type=int, default=2,
                        help='clips (views) per sample')
    parser.add_argument('--clip-len', type=int, default=8)
    parser.add_argument('--size', type=int, default=32,
                        help='frame height = width (after crop/resize)')
    parser.add_argument('--rounds', type=int, default=10)
    parser.add_argument('--threads', type=int, default=1,
                        help='torch threads (the CPU side is one worker)')
    parser.add_argument('--no-cuda', action='store_true')
    parser.add_argument('--seed', type=int, default=0)
    parser.add_argument('--out', default=None, help='report JSON path')
    return parser.parse_args(argv)


def cpu_transform_cfgs(batch_augments):
    """The CPU ``PerClipTransform`` steps equivalent to ``batch_augments``
    (list of config dicts)."""
    steps = []
    for aug in batch_augments:
        aug = dict(aug)
        kind = aug.pop('type')
        if not kind.startswith('BatchClip'):
            raise ValueError(f'no CPU counterpart known for {kind!r}')
        if kind == 'BatchClipFlip':
            steps.append(
                dict(type='Flip', flip_ratio=aug.pop('p', 0.5), **aug))
        else:
            steps.append(dict(type=kind[len('Batch'):], **aug))
    return steps


def make_clips(args):
    """uint8 ``(B, V, T, H, W, 3)`` smooth random frames (numpy)."""
    import numpy as np
    rng = np.random.RandomState(args.seed)
    b, v, t, s = args.batch_size, args.views, args.clip_len, args.size
    coarse = rng.randint(0, 256, (b, v, t, 4, 4, 3)).astype(np.float32)
    up = np.repeat(np.repeat(coarse, -(-s // 4), 3), -(-s // 4), 4)
    noise = rng.randint(-20, 21, up.shape)
    return np.clip(up + noise, 0, 255)[:, :, :, :s, :s].astype(np.uint8)


def run(args) -> dict:
    import numpy as np
    import torch
    from mmengine.config import Config
    from mmengine.registry import init_default_scope

    import mmssl.datasets  # noqa: F401
    import mmssl.models  # noqa: F401
    from mmssl.registry import MODELS, TRANSFORMS

    torch.set_num_threads(args.threads)
    init_default_scope('mmssl')
    cfg = Config.fromfile(args.config)
    pre_cfg = cfg.model.data_preprocessor
    augments = list(pre_cfg.get('batch_augments') or [])
    if not augments:
        raise SystemExit(f'{args.config}: model.data_preprocessor has no '
                         'batch_augments')
    pre = MODELS.build(pre_cfg)
    cpu = TRANSFORMS.build(
        dict(type='PerClipTransform', transforms=cpu_transform_cfgs(augments)))

    clips = make_clips(args)  # (B, V, T, H, W, 3)
    b, v, t = clips.shape[:3]
    samples = [
        dict(imgs=list(c.reshape(v * t, *c.shape[-3:])), num_clips=v,
             clip_len=t, img_shape=c.shape[-3:-1], modality='RGB')
        for c in clips
    ]
    raw = torch.from_numpy(clips).permute(0, 1, 5, 2, 3, 4).float()
    batch = (raw - pre.mean) / pre.std  # as ActionDataPreprocessor gives
    devices = ['cpu']
    if torch.cuda.is_available() and not args.no_cuda:
        devices.append('cuda')
    on = {d: (pre.to(d) if d == 'cpu' else
              MODELS.build(pre_cfg).to(d), batch.to(d)) for d in devices}

    def time_cpu_pipeline():
        start = time.perf_counter()
        for s in samples:
            cpu(dict(s, imgs=list(s['imgs'])))
        return time.perf_counter() - start

    def time_batch(device):
        module, x = on[device]
        if device == 'cuda':
            torch.cuda.synchronize()
        start = time.perf_counter()
        module.augment(x)
        if device == 'cuda':
            torch.cuda.synchronize()
        return time.perf_counter() - start

    np.random.seed(args.seed)
    torch.manual_seed(args.seed)
    time_cpu_pipeline()  # warm-up (imports, allocations, CUDA kernels)
    for d in devices:
        time_batch(d)
    times = {'cpu_pipeline': []}
    times.update({f'batch_{d}': [] for d in devices})
    for _ in range(args.rounds):  # interleaved: load hits all sides alike
        times['cpu_pipeline'].append(time_cpu_pipeline())
        for d in devices:
            times[f'batch_{d}'].append(time_batch(d))
    n = b * v
    ms = {k: 1e3 * statistics.median(vals) / n for k, vals in times.items()}
    report = dict(
        config=args.config,
        batch_augments=[a['type'] for a in augments],
        shape=dict(batch=b, views=v, clip_len=t, size=args.size),
        clips_per_round=n,
        rounds=args.rounds,
        threads=args.threads,
        ms_per_clip=ms,
        speedup_vs_cpu_pipeline={
            k: ms['cpu_pipeline'] / ms[k]
            for k in ms if k != 'cpu_pipeline'
        })
    report['load_average'] = list(os.getloadavg())
    if 'cuda' in devices:
        report['cuda_device'] = torch.cuda.get_device_name()
    return report


def main(argv=None) -> dict:
    from mmssl.utils.json_report import emit_json_report
    args = parse_args(argv)
    return emit_json_report(run(args), args.out)


if __name__ == '__main__':
    main(sys.argv[1:])
