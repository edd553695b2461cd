"""Throughput of a config's training data loader, split by pipeline stage.

Builds the config's ``train_dataloader`` exactly as training does, swaps the
dataset's pipeline for a timing ``Compose`` of the same transforms
(``mmssl.datasets.loader_benchmark``), and runs ``--num-batches`` batches
(after ``--warmup`` unmeasured ones) through the config's model
(``train_step``: forward, backward, optimizer step) or, with
``--dummy-model``, through nothing. Reports clips/s, the data share of an
iteration (time waiting for the batch / iteration time), per-sample times
of the stages open / sample (the frame sampler) / decode / augment
(everything after decode) / pack and of every transform, and each loader
worker's CPU time. ``--no-decode`` replaces the decode transform with
constant frames of the decoded shape, isolating the decoder's cost.

A benchmark, not a test: numbers on a shared machine are noisy; compare
runs made back to back. See docs/performance.md.

Example::

    python tools/analysis_tools/benchmark_dataloader.py \\
        configs/vcop/vcop_r3d-tiny_1xb8-8x32x32-3clips-40e_synthmotion.py \\
        --data-root data/synthmotion --num-batches 20 --workers 2
"""
import argparse
import json
import sys
import time

from mmengine.config import Config, DictAction


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('config')
    parser.add_argument('--data-root', default=None,
                        help='re-root the config\'s dataset paths here')
    parser.add_argument('--num-batches', type=int, default=20)
    parser.add_argument('--warmup', type=int, default=1,
                        help='batches run before measuring (worker start)')
    parser.add_argument('--workers', type=int, default=None,
                        help='loader workers (default: the config\'s)')
    parser.add_argument('--batch-size', type=int, default=None)
    parser.add_argument('--dummy-model', action='store_true',
                        help='no model: measure the loader alone')
    parser.add_argument('--no-decode', action='store_true',
                        help='synthetic frames instead of decoding')
    parser.add_argument('--threads', type=int, default=1,
                        help='torch threads of the main process')
    parser.add_argument('--seed', type=int, default=0)
    parser.add_argument('--out', default=None, help='report JSON path')
    parser.add_argument('--cfg-options', nargs='+', action=DictAction)
    return parser.parse_args(argv)


def build(args):
    """(config, loader, model or None, optimizer wrapper or None)."""
    import torch
    from mmengine.logging import MMLogger
    from mmengine.optim import build_optim_wrapper
    from mmengine.runner import Runner
    from mmengine.runner.utils import set_random_seed

    from mmssl.datasets.loader_benchmark import instrument_dataset
    from mmssl.registry import MODELS
    from mmssl.utils import quiet_ffmpeg, register_all_modules
    from mmssl.utils.config_overrides import apply_overrides

    torch.set_num_threads(args.threads)
    quiet_ffmpeg()
    MMLogger.get_instance('mmengine', log_level='WARNING')
    register_all_modules()
    set_random_seed(args.seed)
    cfg = apply_overrides(Config.fromfile(args.config), args.cfg_options,
                          args.data_root)
    loader_cfg = cfg.train_dataloader
    if args.workers is not None:
        loader_cfg.num_workers = args.workers
    loader_cfg.persistent_workers = loader_cfg.get('num_workers', 0) > 0
    if args.batch_size is not None:
        loader_cfg.batch_size = args.batch_size
    loader = Runner.build_dataloader(loader_cfg, seed=args.seed)
    if instrument_dataset(loader.dataset, args.no_decode) == 0:
        raise ValueError(f'{args.config}: no dataset pipeline to time')
    if args.dummy_model:
        return cfg, loader, None, None
    model = MODELS.build(cfg.model)
    model.init_weights()
    model.train()
    return cfg, loader, model, build_optim_wrapper(model, cfg.optim_wrapper)


def clip_count(inputs) -> int:
    """Clips in a batch: inputs is a list of (num_clips, ...) tensors or a
    stacked (batch, num_clips, ...) tensor."""
    if isinstance(inputs, (list, tuple)):
        return int(sum(x.shape[0] for x in inputs))
    return int(inputs.shape[0] * inputs.shape[1])


def measure(args, loader, model, optim):
    """(iterations, per-sample timings) of the measured batches."""
    from mmssl.datasets.loader_benchmark import TIMING_KEY, unbatch_timing
    batches = iter(loader)
    iterations, samples = [], []
    for index in range(args.warmup + args.num_batches):
        t0 = time.perf_counter()
        try:
            batch = next(batches)
        except StopIteration:
            batches = iter(loader)
            batch = next(batches)
        t1 = time.perf_counter()
        timing = unbatch_timing(batch.pop(TIMING_KEY))
        if model is not None:
            model.train_step(batch, optim_wrapper=optim)
        t2 = time.perf_counter()
        if index < args.warmup:
            continue
        iterations.append(dict(data_s=t1 - t0, step_s=t2 - t1,
                               clips=clip_count(batch['inputs']),
                               videos=len(batch['data_samples'])))
        samples += timing
    return iterations, samples


def main(argv=None) -> dict:
    from mmssl.datasets.loader_benchmark import (cpu_time_source,
                                                 format_summary, summarise)
    args = parse_args(argv)
    cfg, loader, model, optim = build(args)
    iterations, samples = measure(args, loader, model, optim)
    settings = dict(
        config=args.config, data_root=args.data_root,
        batch_size=loader.batch_size, num_workers=loader.num_workers,
        num_batches=args.num_batches, warmup=args.warmup,
        dummy_model=args.dummy_model, no_decode=args.no_decode,
        threads=args.threads)
    report = summarise(iterations, samples, cpu_time_source(), settings)
    print(format_summary(report))
    if args.out:
        with open(args.out, 'w', encoding='utf-8') as f:
            json.dump(report, f, indent=1)
        print(f'report: {args.out}')
    return report


if __name__ == '__main__':
    main()
    sys.exit(0)
