"""Per-epoch means of the logged pretext losses and accuracies of a run.

Reads ``<work_dir>/<timestamp>/vis_data/scalars.json`` (MMEngine's
``LocalVisBackend``) and averages every ``loss*`` / ``acc*`` scalar over the
records of each training epoch. With ``default_hooks.logger.interval=1`` and
``log_processor.window_size=1`` the records are single iterations, so the
means are exact epoch means; otherwise they average the logged window means.

Example::

    python tools/train.py CONFIG --work-dir work_dirs/run --cfg-options \
        default_hooks.logger.interval=1 log_processor.window_size=1
    python tools/analysis_tools/pretext_curve.py work_dirs/run --epochs 1 40
"""
import argparse
import glob
import json
import os.path as osp
from collections import defaultdict
from typing import Dict, List, Optional


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description='Per-epoch means of logged pretext losses/accuracies')
    parser.add_argument('work_dir', help='training work directory')
    parser.add_argument(
        '--epochs',
        type=int,
        nargs='+',
        help='epochs to print (default: all)')
    parser.add_argument('--out', help='write the table as JSON here')
    return parser.parse_args()


def epoch_means(work_dir: str) -> Dict[int, Dict[str, float]]:
    """``{epoch: {key: mean}}`` over the latest run in ``work_dir``."""
    files = sorted(glob.glob(osp.join(work_dir, '*/vis_data/scalars.json')))
    if not files:
        raise FileNotFoundError(f'no */vis_data/scalars.json in {work_dir}')
    sums: Dict[int, Dict[str, List[float]]] = defaultdict(
        lambda: defaultdict(list))
    with open(files[-1]) as f:
        for line in f:
            record = json.loads(line)
            epoch = record.get('epoch')
            if epoch is None:
                continue
            for key, value in record.items():
                if key.startswith(('loss', 'acc')):
                    sums[epoch][key].append(float(value))
    return {
        epoch: {k: sum(v) / len(v)
                for k, v in sorted(keys.items())}
        for epoch, keys in sorted(sums.items())
    }


def main(args: Optional[argparse.Namespace] = None) -> None:
    args = args or parse_args()
    table = epoch_means(args.work_dir)
    epochs = args.epochs or list(table)
    missing = [e for e in epochs if e not in table]
    if missing:
        raise ValueError(f'epochs {missing} not logged in {args.work_dir} '
                         f'(logged: {min(table)}..{max(table)})')
    keys = sorted({k for e in epochs for k in table[e]})
    print('epoch ' + ' '.join(f'{k:>12}' for k in keys))
    for epoch in epochs:
        print(f'{epoch:5d} ' + ' '.join(
            f'{table[epoch].get(k, float("nan")):12.4f}' for k in keys))
    if args.out:
        with open(args.out, 'w') as f:
            json.dump({str(e): table[e] for e in epochs}, f, indent=2)


if __name__ == '__main__':
    main()
