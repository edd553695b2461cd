"""Training cost of TCLR, Simplified TCLR and STCLR side by side.

STCLR (Altabrawee & Mohd Noor, Neurocomputing, Sec. 4.2.4, Table 6) reports
an STCLR epoch at 3.0x TCLR's time because its Same Speed Localization
tuples re-read videos. mmssl composes cross-video tuples from videos already
decoded in the batch. This tool measures what that costs: it trains every
method for the same number of iterations, on the same data, batch size and
backbone, in one run, and prints time per iteration, clips per second and
peak memory.

Each method runs in its own process (peak RSS is per process), and the
processes take turns in rounds of ``--round-iters`` iterations, so that load
from other jobs on a shared machine hits all methods alike. Time per
iteration includes data loading (decode + augmentation) with
``--num-workers 0`` (the default), i.e. the whole cost of an iteration.

Example (the numbers in docs/methods/tclr_family.md)::

    python tools/analysis_tools/benchmark_tclr_family.py --iters 80 \
        --warmup 4 --round-iters 1 --threads 1 --extra-reads \
        --out work_dirs/tclr_family/benchmark_80.json

``--extra-reads`` adds STCLR reading other videos for its cross-video SpeedLoc
tuples (``ReadCrossVideoSpeedLocClips``), the paper's behaviour.
"""
import argparse
import json
import multiprocessing as mp
import os
import os.path as osp
import resource
import statistics
import sys
import time
from typing import Dict, List

TINY = {
    'TCLR': 'configs/tclr/tclr_r3d-tiny_1xb8-8x32x32-11clips-30e_'
    'synthmotion.py',
    'Simplified TCLR': 'configs/stclr/simplified-tclr_r3d-tiny_1xb8-8x32x32-'
    '10clips-30e_synthmotion.py',
    'STCLR': 'configs/stclr/stclr_r3d-tiny_1xb8-8x32x32-13clips-30e_'
    'synthmotion.py',
}
EXTRA = 'STCLR + extra reads'


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description='Cost of TCLR / Simplified TCLR / STCLR training')
    parser.add_argument('--tclr', default=TINY['TCLR'], help='TCLR config')
    parser.add_argument(
        '--simplified', default=TINY['Simplified TCLR'],
        help='Simplified TCLR config')
    parser.add_argument('--stclr', default=TINY['STCLR'], help='STCLR config')
    parser.add_argument(
        '--extra-reads',
        action='store_true',
        help='also run STCLR reading K other videos per cross-video tuple '
        '(ReadCrossVideoSpeedLocClips, C1 = the model\'s cross_video_prob), as '
        'in the paper')
    parser.add_argument('--iters', type=int, default=24,
                        help='timed iterations per method')
    parser.add_argument('--warmup', type=int, default=2,
                        help='untimed iterations per method')
    parser.add_argument('--round-iters', type=int, default=4,
                        help='iterations per turn')
    parser.add_argument('--batch-size', type=int, default=None,
                        help='override the configs\' batch size')
    parser.add_argument('--num-workers', type=int, default=0)
    parser.add_argument('--data-root', default=None,
                        help='synthmotion-style root (train_list.txt) '
                        'overriding the configs\' data')
    parser.add_argument('--ann-file', default=None,
                        help='annotation list (\'path label\' lines) '
                        'overriding the configs\' (paths relative to '
                        '--data-root, or to the list\'s folder without it); '
                        'e.g. real clips')
    parser.add_argument('--threads', type=int, default=None,
                        help='torch threads per method process')
    parser.add_argument('--seed', type=int, default=0)
    parser.add_argument('--out', help='JSON report path')
    return parser.parse_args()


def load_cfg(path: str, args: argparse.Namespace, extra_reads: bool):
    """The config with the benchmark's data, batch and loader settings."""
    from mmengine.config import Config
    cfg = Config.fromfile(path)
    loader = cfg.train_dataloader
    if args.data_root is not None:
        loader.dataset.ann_file = osp.join(args.data_root, 'train_list.txt')
        loader.dataset.data_prefix = dict(video=args.data_root)
    if args.ann_file is not None:
        loader.dataset.ann_file = args.ann_file
        if args.data_root is None:
            loader.dataset.data_prefix = dict(
                video=osp.dirname(osp.abspath(args.ann_file)))
    if args.batch_size is not None:
        loader.batch_size = args.batch_size
    loader.num_workers = args.num_workers
    loader.persistent_workers = args.num_workers > 0
    if extra_reads:
        pipeline = loader.dataset.pipeline
        decode = [t['type'] for t in pipeline].index('DecordDecodeUnion')
        pipeline.insert(
            decode + 1,
            dict(
                type='ReadCrossVideoSpeedLocClips',
                ann_file=loader.dataset.ann_file,
                data_prefix=loader.dataset.data_prefix,
                prob=cfg.model.get('cross_video_prob', 0.6)))
        cfg.model.cross_video_prob = 0.0
        pipeline[-1].setdefault('meta_keys', ('filename', ))
        pipeline[-1]['meta_keys'] = tuple(pipeline[-1]['meta_keys']) + (
            'num_extra_reads', )
    return cfg


def peak_memory_mb() -> Dict[str, float]:
    """Peak RSS of this process (and of its loader workers) in MiB; peak
    CUDA memory when a GPU is used."""
    import torch
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    out = dict(peak_rss_mb=own, peak_rss_workers_mb=kids)
    if torch.cuda.is_available():
        out['peak_cuda_mb'] = torch.cuda.max_memory_allocated() / 2**20
    return out


def worker(name: str, path: str, args: argparse.Namespace,
           extra_reads: bool, conn) -> None:
    """Build one method and train it on request, reporting timings."""
    import torch
    from mmengine.logging import MMLogger
    from mmengine.optim import build_optim_wrapper
    from mmengine.registry import init_default_scope
    from mmengine.runner import Runner
    from mmengine.runner.utils import set_random_seed

    import mmssl  # noqa: F401
    from mmssl.registry import MODELS
    from mmssl.utils import quiet_ffmpeg, register_all_modules
    if args.threads:
        torch.set_num_threads(args.threads)
    quiet_ffmpeg()
    MMLogger.get_instance('mmengine', log_level='WARNING')
    register_all_modules()
    init_default_scope('mmssl')
    set_random_seed(args.seed)
    cfg = load_cfg(path, args, extra_reads)
    device = 'cuda' if torch.cuda.is_available() else 'cpu'
    model = MODELS.build(cfg.model).to(device)
    model.init_weights()
    model.train()
    optim = build_optim_wrapper(model, cfg.optim_wrapper)
    loader = Runner.build_dataloader(cfg.train_dataloader, seed=args.seed)
    batches = iter(loader)

    def next_batch():
        nonlocal batches
        try:
            return next(batches)
        except StopIteration:
            batches = iter(loader)
            return next(batches)

    info = dict(
        name=name, config=path, backbone=cfg.model.backbone.to_dict(),
        batch_size=cfg.train_dataloader.batch_size)
    conn.send(info)
    while True:
        todo = conn.recv()
        if todo is None:
            break
        records = []
        for _ in range(todo):
            c0, t0 = time.process_time(), time.perf_counter()
            data = next_batch()
            t1 = time.perf_counter()
            model.train_step(data, optim_wrapper=optim)
            if device == 'cuda':
                torch.cuda.synchronize()
            t2, c2 = time.perf_counter(), time.process_time()
            samples = data['data_samples']
            extra = sum(int(s.metainfo.get('num_extra_reads', 0))
                        for s in samples)
            records.append(
                dict(
                    iter_s=t2 - t0,
                    cpu_s=c2 - c0,
                    data_s=t1 - t0,
                    step_s=t2 - t1,
                    clips=int(sum(x.shape[0] for x in data['inputs'])),
                    videos=len(samples),
                    reads=len(samples) + extra))
        conn.send(dict(records=records, **peak_memory_mb()))
    conn.close()


def summarise(name: str, info: dict, records: List[dict],
              memory: dict) -> dict:
    """Per-method statistics."""
    iters = [r['iter_s'] for r in records]
    clips = sum(r['clips'] for r in records)
    return dict(
        method=name,
        config=info['config'],
        batch_size=info['batch_size'],
        clips_per_video=records[0]['clips'] // records[0]['videos'],
        iters=len(records),
        median_iter_ms=1000 * statistics.median(iters),
        mean_iter_ms=1000 * statistics.mean(iters),
        median_cpu_ms=1000 * statistics.median(r['cpu_s'] for r in records),
        mean_data_ms=1000 * statistics.mean(r['data_s'] for r in records),
        mean_step_ms=1000 * statistics.mean(r['step_s'] for r in records),
        clips_per_s=clips / sum(iters),
        video_reads_per_iter=statistics.mean(r['reads'] for r in records),
        **memory)


def main() -> None:
    args = parse_args()
    methods = [('TCLR', args.tclr, False),
               ('Simplified TCLR', args.simplified, False),
               ('STCLR', args.stclr, False)]
    if args.extra_reads:
        methods.append((EXTRA, args.stclr, True))
    ctx = mp.get_context('spawn')
    procs, conns, infos = [], [], []
    for name, path, extra in methods:
        parent, child = ctx.Pipe()
        proc = ctx.Process(target=worker, args=(name, path, args, extra,
                                                child))
        proc.start()
        procs.append(proc)
        conns.append(parent)
        infos.append(parent.recv())
    backbones = {json.dumps(i['backbone'], sort_keys=True) for i in infos}
    if len(backbones) != 1:
        print('warning: the configs use different backbones', file=sys.stderr)
    for conn in conns:  # warm-up (not timed)
        conn.send(args.warmup)
        conn.recv()
    records = [[] for _ in methods]
    memory = [None] * len(methods)
    done = 0
    while done < args.iters:
        step = min(args.round_iters, args.iters - done)
        for i, conn in enumerate(conns):
            conn.send(step)
            report = conn.recv()
            records[i] += report.pop('records')
            memory[i] = report
        done += step
        print(f'{done}/{args.iters} iterations per method', file=sys.stderr)
    for conn, proc in zip(conns, procs):
        conn.send(None)
        proc.join()

    rows = [
        summarise(name, info, rec, mem)
        for (name, _, _), info, rec, mem in zip(methods, infos, records,
                                                memory)
    ]
    base, base_cpu = rows[0]['median_iter_ms'], rows[0]['median_cpu_ms']
    for row in rows:
        row['iter_time_vs_tclr'] = row['median_iter_ms'] / base
        row['cpu_time_vs_tclr'] = row['median_cpu_ms'] / base_cpu
    header = (f'{"method":<21}{"clips/video":>12}{"iter ms":>9}'
              f'{"CPU ms":>9}{"data ms":>9}{"step ms":>9}{"clips/s":>9}'
              f'{"reads/iter":>11}{"peak RSS MB":>12}{"vs TCLR":>9}'
              f'{"CPU vs TCLR":>12}')
    print(header)
    for r in rows:
        print(f'{r["method"]:<21}{r["clips_per_video"]:>12}'
              f'{r["median_iter_ms"]:>9.0f}{r["median_cpu_ms"]:>9.0f}'
              f'{r["mean_data_ms"]:>9.0f}{r["mean_step_ms"]:>9.0f}'
              f'{r["clips_per_s"]:>9.1f}{r["video_reads_per_iter"]:>11.1f}'
              f'{r["peak_rss_mb"]:>12.0f}{r["iter_time_vs_tclr"]:>8.2f}x'
              f'{r["cpu_time_vs_tclr"]:>11.2f}x')
    print('iter/CPU ms: medians per iteration (CPU = process time of the '
          'method\'s process, all its threads); data/step ms: means')
    report = dict(
        iters=args.iters,
        warmup=args.warmup,
        num_workers=args.num_workers,
        threads=args.threads,
        batch_size=rows[0]['batch_size'],
        cpu_count=os.cpu_count(),
        load_average=os.getloadavg(),
        methods=rows)
    if args.out:
        os.makedirs(osp.dirname(osp.abspath(args.out)), exist_ok=True)
        with open(args.out, 'w') as f:
            json.dump(report, f, indent=2)
        print(f'report written to {args.out}')


if __name__ == '__main__':
    main()
