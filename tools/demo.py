"""The main job: pretrain VCOP on the embedded dataset and compare retrieval.

Steps (each a real mmssl tool, run in a subprocess):

1. generate the synthetic motion dataset into ``data/synthmotion`` (skipped
   if it is already there with the same parameters);
2. ``tools/train.py`` the tiny VCOP config (by default the one on residual
   frames, the variant that learns clip order on this dataset; pass
   ``--config`` for another, e.g. the RGB-input one);
3. ``tools/analysis_tools/retrieval.py`` for the pretrained backbone and for
   a randomly initialised one;
4. print Recall@1/5/10/20 of both side by side (JSON reports in the work dir).

Usage::

    python tools/demo.py [--work-dir work_dirs/demo_vcop] [--epochs N]
                         [--config CONFIG]
"""
import argparse
import glob
import json
import os
import os.path as osp
import subprocess
import sys
import time

REPO = osp.dirname(osp.dirname(osp.abspath(__file__)))
CONFIG = osp.join(
    REPO, 'configs/vcop/'
    'vcop_r3d-tiny_1xb8-8x32x32-3clips-resframes-40e_synthmotion.py')


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--work-dir', default='work_dirs/demo_vcop')
    parser.add_argument(
        '--config',
        default=CONFIG,
        help='tiny SynthMotion pretraining config (default: VCOP on '
        'residual frames)')
    parser.add_argument('--data-root', default='data/synthmotion')
    parser.add_argument(
        '--epochs', type=int, default=None, help='override max_epochs')
    parser.add_argument('--seed', type=int, default=0)
    return parser.parse_args()


def step(title: str, args: list) -> None:
    """Run one tool, streaming its output, and fail loudly on error."""
    print(f'\n=== {title} ===\n$ {" ".join(args)}', flush=True)
    env = dict(os.environ)
    env['PYTHONPATH'] = REPO + os.pathsep + env.get('PYTHONPATH', '')
    result = subprocess.run(args, cwd=REPO, env=env)
    if result.returncode != 0:
        sys.exit(f'demo step "{title}" failed with exit code '
                 f'{result.returncode}')


def pretext_summary(work_dir: str) -> str:
    """Mean logged pretext losses/accuracies of the first and last epoch
    of the newest run in ``work_dir`` (``vis_data/scalars.json``)."""
    runs = sorted(
        glob.glob(osp.join(REPO, work_dir, '*', 'vis_data', 'scalars.json')))
    if not runs:
        return 'pretext: no training log found'
    by_epoch = {}
    with open(runs[-1]) as f:
        for line in f:
            row = json.loads(line)
            if 'epoch' in row and 'loss' in row:
                by_epoch.setdefault(row['epoch'], []).append(row)
    if not by_epoch:
        return 'pretext: no training scalars logged'
    first, last = by_epoch[min(by_epoch)], by_epoch[max(by_epoch)]
    keys = [k for k in first[0] if k.startswith(('loss_', 'acc_'))]

    def mean(rows, key):
        values = [r[key] for r in rows if key in r]
        return sum(values) / len(values)

    parts = [f'{k} {mean(first, k):.3f} -> {mean(last, k):.3f}' for k in keys]
    return (f'pretext (epoch {min(by_epoch)} -> {max(by_epoch)}, mean over '
            f'the logged iterations): ' + ', '.join(parts))


def main() -> None:
    args = parse_args()
    start = time.time()
    root = args.data_root
    data_options = [
        f'train_dataloader.dataset.ann_file={root}/train_list.txt',
        f'train_dataloader.dataset.data_prefix.video={root}',
        f'test_dataloader.dataset.datasets.0.ann_file={root}/train_list.txt',
        f'test_dataloader.dataset.datasets.0.data_prefix.video={root}',
        f'test_dataloader.dataset.datasets.1.ann_file={root}/val_list.txt',
        f'test_dataloader.dataset.datasets.1.data_prefix.video={root}',
    ]
    step('1/4 synthetic motion dataset',
         [sys.executable, 'tools/data/generate_synthmotion.py', '--out-dir',
          root])
    train_options = list(data_options)
    if args.epochs is not None:
        train_options += [
            f'train_cfg.max_epochs={args.epochs}',
            f'param_scheduler.0.T_max={args.epochs}'
        ]
    step(f'2/4 pretraining: {osp.basename(args.config)}', [
        sys.executable, 'tools/train.py', args.config, '--work-dir',
        args.work_dir,
        '--seed',
        str(args.seed), '--cfg-options', *train_options
    ])
    with open(osp.join(REPO, args.work_dir, 'last_checkpoint')) as f:
        checkpoint = f.read().strip()
    reports = {}
    for index, (name, weights) in enumerate(
        (('pretrained', checkpoint), ('random init', 'none')), 3):
        out = osp.join(args.work_dir,
                       f'retrieval_{name.split()[0].lower()}.json')
        step(f'{index}/4 retrieval, {name}', [
            sys.executable, 'tools/analysis_tools/retrieval.py', args.config,
            weights, '--out', out, '--seed',
            str(args.seed), '--cfg-options', *data_options
        ])
        with open(osp.join(REPO, out)) as f:
            reports[name] = json.load(f)
    print('\n' + pretext_summary(args.work_dir))
    ks = (1, 5, 10, 20)
    print('\nRetrieval on the synthetic motion dataset (val queries, train '
          'gallery, 10 clips/video)')
    print(f'{"backbone":<18}' + ''.join(f'{f"R@{k}":>8}' for k in ks))
    for name, report in reports.items():
        print(f'{name:<18}' +
              ''.join(f'{100 * report[f"R@{k}"]:>7.1f}%' for k in ks))
    print(f'\nreports: {args.work_dir}/retrieval_*.json; total time '
          f'{(time.time() - start) / 60:.1f} min')


if __name__ == '__main__':
    main()
