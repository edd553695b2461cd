"""A method's training step against its bare backbone's forward+backward.

For each config, one real batch is drawn from the config's
``train_dataloader`` (the exact layout the method's pipeline produces) and
reused for every iteration, so no data time enters. Interleaved per
iteration, the tool times:

(a) **method**: ``model.train_step(batch, optim_wrapper)`` as MMEngine runs
    it (data preprocessor, forward, losses, backward, optimizer step, and a
    momentum method's EMA update / queue);
(b) **bare**: the backbone alone on exactly the inputs the method fed it in
    one step (captured by wrapping the backbone's entry points during a
    step: same number of calls, same shapes, same grad mode), the mean of
    its outputs as loss, backward, and the config's optimizer stepping the
    backbone parameters only;
(c) **floor** (momentum methods only): (b) plus the key encoder's backbone
    forward (no grad) on the inputs the method fed it: the compute such a
    method cannot avoid.

It reports median ms per iteration, ratios a/b and a/c, the FLOPs of one
step of each (``torch.utils.flop_counter``: forward + backward, noise-free)
split by top-level module, and a time breakdown of the method's step
(preprocessor, backbone, key encoder, neck, head, other forward = losses and
glue, backward, optimizer step, momentum update, rest).

``--size paper`` runs a paper-size config on a generated SynthMotion copy
with long, large videos (the public datasets are not needed) and defaults
to batch 2. Example::

    python tools/analysis_tools/benchmark_train_step.py \
        configs/vcop/vcop_r3d-tiny_1xb8-8x32x32-3clips-40e_synthmotion.py \
        --iters 20 --threads 1 --out work_dirs/train_step/tiny.json
"""
import argparse
import os
import os.path as osp
import statistics
import sys
import time
from typing import List, Optional

import torch

from mmssl.utils.train_step_capture import (BACKBONE_FUNCTIONS,
                                            BACKBONE_METHODS, CallRecorder,
                                            replay, tensor_shapes)
from mmssl.utils.train_step_timing import (Breakdown, count_flops,
                                           sync_device, time_bare_parts)

PAPER_DATA = dict(variant='default', num_frames=256, height=128, width=171,
                  num_train_per_class=1, num_val_per_class=1)


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description='Training step of a method vs. its bare backbone')
    parser.add_argument('configs', nargs='+', help='method config(s)')
    parser.add_argument('--size', choices=('tiny', 'paper'), default='tiny',
                        help='tiny: the config\'s own data; paper: a '
                        'generated SynthMotion copy of 256 frames at '
                        '128x171 (--paper-data-root), batch 2 by default')
    parser.add_argument('--paper-data-root', default='data/synthmotion_paper')
    parser.add_argument('--data-root', default=None,
                        help='SynthMotion-style root (train_list.txt) '
                        'replacing the config\'s data (tiny size)')
    parser.add_argument('--iters', type=int, default=10,
                        help='timed iterations of each side')
    parser.add_argument('--warmup', type=int, default=2,
                        help='untimed iterations of each side')
    parser.add_argument('--breakdown-iters', type=int, default=3,
                        help='extra instrumented method steps (0: none)')
    parser.add_argument('--batch-size', type=int, default=None)
    parser.add_argument('--threads', type=int, default=None,
                        help='torch.set_num_threads')
    parser.add_argument('--no-flops', action='store_true',
                        help='skip the FLOP count')
    parser.add_argument('--seed', type=int, default=0)
    parser.add_argument('--out', help='JSON report path')
    return parser.parse_args(argv)


def load_cfg(path: str, args: argparse.Namespace):
    from mmengine.config import Config
    cfg = Config.fromfile(path)
    loader = cfg.train_dataloader
    loader.num_workers = 0
    loader.persistent_workers = False
    batch = args.batch_size or (2 if args.size == 'paper' else None)
    if batch:
        loader.batch_size = batch
    if args.size == 'paper':
        root = args.paper_data_root
        loader.dataset.ann_file = osp.join(root, 'train_list.txt')
        loader.dataset.data_prefix = dict(video=root)
        loader.dataset.generate_if_missing = dict(PAPER_DATA)
    elif args.data_root:
        loader.dataset.ann_file = osp.join(args.data_root, 'train_list.txt')
        loader.dataset.data_prefix = dict(video=args.data_root)
        loader.dataset.pop('generate_if_missing', None)
    wrapper = cfg.optim_wrapper
    if wrapper.get('type') == 'AmpOptimWrapper' and \
            not torch.cuda.is_available():
        print(f'{path}: AmpOptimWrapper needs CUDA: timing OptimWrapper',
              file=sys.stderr)
        wrapper.type = 'OptimWrapper'
        wrapper.pop('loss_scale', None)
    return cfg


def build_bare_optim(backbone: torch.nn.Module, optim_cfg):
    """The config's optimizer wrapper over the backbone parameters only
    (under the name ``backbone`` so that ``paramwise_cfg`` keys match)."""
    from mmengine.optim import build_optim_wrapper
    holder = torch.nn.Module()
    holder.backbone = backbone
    return build_optim_wrapper(holder, optim_cfg.copy())


def measure(path: str, args: argparse.Namespace) -> dict:
    """Benchmark one config; the report row."""
    from mmengine.runner import Runner
    from mmengine.optim import build_optim_wrapper
    from mmengine.utils import ProgressBar

    from mmssl.registry import MODELS
    cfg = load_cfg(path, args)
    device = 'cuda' if torch.cuda.is_available() else 'cpu'
    model = MODELS.build(cfg.model).to(device)
    model.init_weights()
    model.train()
    optim = build_optim_wrapper(model, cfg.optim_wrapper.copy())
    loader = Runner.build_dataloader(cfg.train_dataloader, seed=args.seed)
    batch = next(iter(loader))
    algo_module = sys.modules[type(model).__module__]
    backbone = model.backbone
    momentum = getattr(model, 'momentum_encoder', None)
    key_backbone = getattr(momentum, 'backbone', None)

    online = CallRecorder(backbone, algo_module)
    keys = CallRecorder(key_backbone, None) if key_backbone is not None \
        else None
    model.train_step(batch, optim)
    online.remove()
    if keys is not None:
        keys.remove()
    if not online.calls:
        raise RuntimeError(f'{path}: no backbone call seen in a training '
                           f'step (entry points: {BACKBONE_METHODS} and '
                           f'{BACKBONE_FUNCTIONS})')
    key_calls = keys.calls if keys is not None else []
    bare_optim = build_bare_optim(backbone, cfg.optim_wrapper)

    def method_step():
        model.train_step(batch, optim)

    def bare_step():
        bare_optim.update_params(replay(backbone, algo_module, online.calls))

    def floor_step():
        bare_step()
        with torch.no_grad():
            replay(key_backbone, None, key_calls)

    sides = dict(method=method_step, bare=bare_step)
    if key_calls:
        sides['floor'] = floor_step
    times = {name: [] for name in sides}
    bar = ProgressBar(args.warmup + args.iters, file=sys.stderr)
    for it in range(args.warmup + args.iters):
        order = list(sides) if it % 2 == 0 else list(sides)[::-1]
        for name in order:
            sync_device()
            start = time.perf_counter()
            sides[name]()
            sync_device()
            if it >= args.warmup:
                times[name].append(time.perf_counter() - start)
        bar.update()
    sys.stderr.write('\n')
    med = {k: 1000 * statistics.median(v) for k, v in times.items()}

    breakdown = None
    if args.breakdown_iters > 0:
        parts = Breakdown(model, optim)
        start = time.perf_counter()
        for _ in range(args.breakdown_iters):
            method_step()
        breakdown = parts.summary(args.breakdown_iters,
                                  time.perf_counter() - start)
        parts.remove()
        breakdown = dict(method=breakdown,
                         bare=time_bare_parts(bare_optim, args.breakdown_iters,
                                              lambda: replay(backbone,
                                                             algo_module,
                                                             online.calls)))
    flops = None
    if not args.no_flops:
        name = type(model).__name__
        flops = dict(method=count_flops(method_step, name),
                     bare=count_flops(bare_step))
        if key_calls:
            flops['floor'] = count_flops(floor_step)
        for k in list(flops):
            flops[k]['vs_bare'] = round(
                flops[k]['total'] / max(flops['bare']['total'], 1), 3)

    inputs = batch['inputs']
    row = dict(
        config=path, method=type(model).__name__, size=args.size,
        batch_size=cfg.train_dataloader.batch_size,
        sample_input_shape=list(inputs[0].shape),
        backbone=cfg.model.backbone.get('type'),
        optimizer=cfg.optim_wrapper.optimizer.get('type'),
        backbone_calls=[dict(entry=c['entry'], grad=c['grad'],
                             shapes=tensor_shapes(list(c['args'])))
                        for c in online.calls],
        key_encoder_calls=[tensor_shapes(list(c['args'])) for c in key_calls],
        iters=args.iters, warmup=args.warmup,
        method_ms=round(med['method'], 2), bare_ms=round(med['bare'], 2),
        floor_ms=round(med['floor'], 2) if 'floor' in med else None,
        ratio=round(med['method'] / med['bare'], 3),
        floor_ratio=round(med['method'] / med['floor'], 3)
        if 'floor' in med else None,
        times_ms={k: [round(1000 * t, 2) for t in v]
                  for k, v in times.items()},
        breakdown_ms=breakdown, flops=flops)
    return row


def main(argv: Optional[List[str]] = None) -> dict:
    args = parse_args(argv)
    from mmengine.logging import MMLogger
    from mmengine.registry import init_default_scope
    from mmengine.runner.utils import set_random_seed

    from mmssl.utils import register_all_modules
    from mmssl.utils.json_report import emit_json_report
    if args.threads:
        torch.set_num_threads(args.threads)
    MMLogger.get_instance('mmengine', log_level='WARNING')
    register_all_modules()
    init_default_scope('mmssl')
    rows = []
    for path in args.configs:
        set_random_seed(args.seed)
        try:
            row = measure(path, args)
        except Exception as error:  # one failing config: report, go on
            print(f'{path}: {type(error).__name__}: {error}',
                  file=sys.stderr)
            rows.append(dict(config=path, error=f'{type(error).__name__}: '
                             f'{error}'))
            continue
        rows.append(row)
        floor = f' floor {row["floor_ratio"]:.2f}x' \
            if row['floor_ratio'] else ''
        print(f'{row["method"]:<22} method {row["method_ms"]:8.1f} ms  '
              f'bare {row["bare_ms"]:8.1f} ms  {row["ratio"]:.2f}x{floor}',
              file=sys.stderr)
    report = dict(size=args.size, threads=torch.get_num_threads(),
                  cpu_count=os.cpu_count(), load_average=os.getloadavg(),
                  device='cuda' if torch.cuda.is_available() else 'cpu',
                  methods=rows)
    return emit_json_report(report, args.out)


if __name__ == '__main__':
    main()
