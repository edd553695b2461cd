"""Curves of RepresentationMonitorHook's scalars over a pretraining run.

Reads the ``monitor/*`` records of MMEngine's ``scalars.json``
(``LocalVisBackend``; ``step`` = epoch, 0 = initialisation) and draws three
panels: k-NN top-1/top-5 and retrieval R@1 (percent), the per-dimension std
of the L2-normalised embeddings with its ``1/sqrt(D)`` reference, and the
effective rank (docs/protocols/monitoring.md).

Example::

    python tools/analysis_tools/plot_monitor.py work_dirs/vcop \
        --out work_dirs/vcop/monitor.png --title "VCOP, SynthMotion"

A work directory combines every ``<timestamp>/vis_data/scalars.json`` in it
in time order (a resumed run continues the curves; a later record of the
same epoch replaces an earlier one). Files can also be given directly.
"""
import argparse
import glob
import json
import os
import os.path as osp
from typing import Dict, List

PANELS = (
    ('accuracy (%)', ('monitor/knn_top1', 'monitor/knn_top5',
                      'monitor/retrieval_R@1')),
    ('per-dimension std', ('monitor/std_mean', 'monitor/std_min',
                           'monitor/std_reference')),
    ('effective rank', ('monitor/effective_rank', )),
)


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description='Plot the representation monitor curves (PNG)')
    parser.add_argument(
        'sources', nargs='+',
        help='work directories or scalars.json files')
    parser.add_argument('--out', required=True, help='PNG path')
    parser.add_argument('--title', default='', help='figure title')
    return parser.parse_args(argv)


def scalar_files(sources: List[str]) -> List[str]:
    """``scalars.json`` files of the sources, each work dir's in order."""
    files = []
    for source in sources:
        if osp.isdir(source):
            found = sorted(
                glob.glob(osp.join(source, '*', 'vis_data', 'scalars.json')))
            if not found:
                raise FileNotFoundError(
                    f'no <timestamp>/vis_data/scalars.json in {source}')
            files.extend(found)
        elif osp.isfile(source):
            files.append(source)
        else:
            raise FileNotFoundError(f'not a file or directory: {source}')
    return files


def read_monitor(files: List[str]) -> Dict[int, Dict[str, float]]:
    """``{epoch: {monitor key: value}}`` from the files, later ones win."""
    curves: Dict[int, Dict[str, float]] = {}
    for path in files:
        with open(path) as f:
            for number, line in enumerate(f, 1):
                try:
                    record = json.loads(line)
                except json.JSONDecodeError as error:
                    raise ValueError(f'{path}:{number}: not JSON ({error})')
                values = {k: float(v) for k, v in record.items()
                          if k.startswith('monitor/')}
                if values:
                    curves[int(record['step'])] = values
    if not curves:
        raise ValueError(
            f'no monitor/* scalars in {", ".join(files)}; was the run '
            'trained with RepresentationMonitorHook in custom_hooks?')
    return dict(sorted(curves.items()))


def plot(curves: Dict[int, Dict[str, float]], out: str,
         title: str = '') -> None:
    """Draw the three panels of ``curves`` into the PNG ``out``."""
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    epochs = list(curves)
    fig, axes = plt.subplots(1, len(PANELS), figsize=(13, 3.6))
    for ax, (ylabel, keys) in zip(axes, PANELS):
        for key in keys:
            points = [(e, curves[e][key]) for e in epochs
                      if key in curves[e]]
            if not points:
                continue
            style = '--' if key.endswith('reference') else '-o'
            ax.plot(*zip(*points), style, markersize=3,
                    label=key.split('/', 1)[1])
        ax.set_xlabel('epoch')
        ax.set_ylabel(ylabel)
        ax.grid(alpha=0.3)
        ax.legend(fontsize=8)
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    os.makedirs(osp.dirname(osp.abspath(out)), exist_ok=True)
    fig.savefig(out, dpi=120)
    plt.close(fig)


def main(argv=None) -> Dict[int, Dict[str, float]]:
    args = parse_args(argv)
    curves = read_monitor(scalar_files(args.sources))
    plot(curves, args.out, args.title)
    print(f'{len(curves)} monitored epochs ({min(curves)}..{max(curves)}) '
          f'plotted to {args.out}')
    return curves


if __name__ == '__main__':
    main()
