"""Training cost of CSVR's stages against the bare V-Network (JSON report).

For a CSVR config (default: the tiny joint config), every mode below runs
``train_step`` on the SAME random batch (``--batch-size`` videos of a
current and a future clip, poses, ``K`` I-frames; shapes from the config):

- ``vnetwork``: the V-Network alone: backbone forward, a mean-of-features
  loss, backward, one SGD step (the cost floor of any method on this
  backbone and these clips);
- ``pose``, ``context``, ``video``, ``joint``: :class:`CSVR` in that stage
  with its per-module SGD optimizers (``gan_update`` of the config, or
  ``--gan-update``).

Time per iteration: all modes are built in one process and their
iterations interleaved round-robin (``--rounds``; ``--warmup`` untimed
rounds first), so load changes on a shared machine hit every mode alike;
the report gives the median and the ratio to ``vnetwork``. Peak memory:
each mode runs ``--memory-iters`` iterations in a fresh subprocess and
reports its peak resident set size since the imports (``VmHWM`` after a
``clear_refs`` reset, Linux) minus the RSS then, i.e. model, optimizer
state, batch and the step's activations and gradients (CPU), or
``torch.cuda.max_memory_allocated`` (CUDA).

Example::

    OMP_NUM_THREADS=1 python tools/analysis_tools/benchmark_csvr.py \\
        configs/csvr/csvr-joint_r3d-tiny_1xb8-8x32x32-5e_synthmotion-articulated.py \\
        --batch-size 8 --out work_dirs/csvr_benchmark.json
"""
import argparse
import json
import statistics
import subprocess
import sys
import time

import torch
from mmaction.structures import ActionDataSample
from mmengine.config import Config
from mmengine.optim import build_optim_wrapper
from mmengine.registry import init_default_scope

import mmssl  # noqa: F401
from mmssl.models.algorithms.csvr_stages import STAGE_MODULES
from mmssl.registry import MODELS
from mmssl.utils import register_all_modules
from mmssl.utils.json_report import emit_json_report

MODES = ('vnetwork', 'pose', 'context', 'video', 'joint')


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('config', nargs='?', default=(
        'configs/csvr/csvr-joint_r3d-tiny_1xb8-8x32x32-5e_'
        'synthmotion-articulated.py'))
    parser.add_argument('--batch-size', type=int, default=8)
    parser.add_argument('--clip-len', type=int, default=None,
                        help='T (default: the config\'s generator frames)')
    parser.add_argument('--size', type=int, default=None,
                        help='H = W (default: the generator output size)')
    parser.add_argument('--num-iframes', type=int, default=4)
    parser.add_argument('--modes', nargs='+', default=list(MODES),
                        choices=MODES)
    parser.add_argument('--gan-update', choices=('alternating', 'one_stage'))
    parser.add_argument('--rounds', type=int, default=5)
    parser.add_argument('--warmup', type=int, default=1)
    parser.add_argument('--memory-iters', type=int, default=2)
    parser.add_argument('--device', default='cpu')
    parser.add_argument('--out', help='JSON report path')
    parser.add_argument('--memory-of', choices=MODES, help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def model_cfg(args):
    cfg = Config.fromfile(args.config).model
    cfg.pop('stage_checkpoints', None)
    if args.gan_update:
        cfg.gan_update = args.gan_update
    return cfg


def make_batch(args, cfg):
    t = args.clip_len or cfg.video_generator.out_shape[0]
    hw = args.size or cfg.video_generator.out_shape[1]
    g = torch.Generator().manual_seed(0)
    samples = []
    for _ in range(args.batch_size):
        s = ActionDataSample()
        s.set_field(torch.rand(t, 17, 2, generator=g), 'pose_in')
        s.set_field(torch.rand(t, 17, 2, generator=g), 'pose_future')
        s.set_field(torch.ones(2 * t), 'pose_valid')
        s.set_field(torch.randint(0, 256, (args.num_iframes, 3, hw, hw),
                                  generator=g).byte(), 'iframes')
        s.set_field(torch.ones(args.num_iframes), 'iframe_valid')
        samples.append(s)
    inputs = [torch.randint(0, 256, (2, 3, t, hw, hw), generator=g).byte()
              for _ in range(args.batch_size)]
    return dict(inputs=inputs, data_samples=samples)


def build_mode(mode, cfg, device):
    """(model, step function) of one mode."""
    if mode == 'vnetwork':
        model = MODELS.build(cfg.backbone).to(device)
        pre = MODELS.build(cfg.data_preprocessor).to(device)
        optim = torch.optim.SGD(model.parameters(), lr=1e-3, momentum=0.9)

        def step(data):
            clips = pre(data, True)['inputs'][:, 0]
            optim.zero_grad()
            model(clips).mean().backward()
            optim.step()
        return model, step
    cfg = cfg.copy()
    cfg.stage = mode
    model = MODELS.build(cfg).to(device)
    wrappers = dict(constructor='PerModuleOptimWrapperConstructor')
    for name in STAGE_MODULES[mode]:
        if getattr(model, name, None) is not None and name not in \
                model.frozen:
            wrappers[name] = dict(optimizer=dict(
                type='SGD', lr=1e-3, momentum=0.9, weight_decay=0.005))
    optim = build_optim_wrapper(model, wrappers)
    return model, lambda data: model.train_step(data, optim)


def sync(device):
    if device.startswith('cuda'):
        torch.cuda.synchronize()


def _status_kib(field: str) -> float:
    """A ``/proc/self/status`` memory field (``VmRSS``, ``VmHWM``), KiB."""
    with open('/proc/self/status') as f:
        for line in f:
            if line.startswith(field + ':'):
                return float(line.split()[1])
    raise RuntimeError(f'/proc/self/status has no {field}')


def peak_memory(args, cfg):
    """Peak memory of ``args.memory_of`` (run in a subprocess), MiB.

    CPU: the kernel's peak-RSS mark is reset after the imports (``5`` to
    ``/proc/self/clear_refs``), so the peak (``VmHWM``) minus the RSS at
    that point is model + optimizer state + batch + the training step's
    activations and gradients. CUDA: ``torch.cuda.max_memory_allocated``.
    """
    register_all_modules(init_default_scope=False)  # imports before base
    with open('/proc/self/clear_refs', 'w') as f:
        f.write('5')
    base = _status_kib('VmRSS')
    data = make_batch(args, cfg)
    model, step = build_mode(args.memory_of, cfg, args.device)
    model.train()
    for _ in range(args.memory_iters):
        step(data)
    if args.device.startswith('cuda'):
        return torch.cuda.max_memory_allocated() / 2**20
    return (_status_kib('VmHWM') - base) / 1024


def main(argv=None):
    args = parse_args(argv)
    init_default_scope('mmssl')
    cfg = model_cfg(args)
    if args.memory_of:
        print(json.dumps(dict(peak_mib=peak_memory(args, cfg))))
        return None
    data = make_batch(args, cfg)
    built = {m: build_mode(m, cfg, args.device) for m in args.modes}
    times = {m: [] for m in args.modes}
    for r in range(args.warmup + args.rounds):
        for mode, (model, step) in built.items():
            model.train()
            sync(args.device)
            start = time.perf_counter()
            step(data)
            sync(args.device)
            if r >= args.warmup:
                times[mode].append(time.perf_counter() - start)
    del built
    report = dict(
        config=args.config, batch_size=args.batch_size,
        input=list(data['inputs'][0].shape), device=args.device,
        threads=torch.get_num_threads(),
        gan_update=cfg.get('gan_update', 'alternating'),
        rounds=args.rounds, modes={})
    base = statistics.median(times['vnetwork']) if 'vnetwork' in times \
        else None
    for mode in args.modes:
        cmd = [sys.executable, __file__, args.config, '--memory-of', mode,
               '--batch-size', str(args.batch_size), '--num-iframes',
               str(args.num_iframes), '--memory-iters',
               str(args.memory_iters), '--device', args.device]
        for flag, value in (('--clip-len', args.clip_len),
                            ('--size', args.size),
                            ('--gan-update', args.gan_update)):
            if value:
                cmd += [flag, str(value)]
        out = subprocess.run(cmd, capture_output=True, text=True, check=True)
        peak = json.loads(out.stdout.strip().splitlines()[-1])['peak_mib']
        med = statistics.median(times[mode])
        report['modes'][mode] = dict(
            s_per_iter_median=round(med, 4),
            s_per_iter=[round(t, 4) for t in times[mode]],
            ratio_to_vnetwork=round(med / base, 2) if base else None,
            peak_mib=round(peak, 1))
    return emit_json_report(report, args.out)


if __name__ == '__main__':
    main()
