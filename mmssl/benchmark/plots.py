"""Leaderboard plots: accuracy vs pretraining subset size per task
(Kumar et al., Sec. 4.1) and accuracy vs task complexity per backbone
(Sec. 4.2); error bars are the seed spread (standard deviation)."""
import os.path as osp
from collections import OrderedDict
from typing import Dict, List

__all__ = ['plot_leaderboard']


def _axes(count: int, title: str):
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    fig, axes = plt.subplots(1, count, figsize=(4.2 * count, 3.4),
                             squeeze=False)
    fig.suptitle(title, fontsize=10)
    return fig, axes[0]


def _save(fig, path: str) -> str:
    fig.tight_layout()
    fig.savefig(path, dpi=80)
    import matplotlib.pyplot as plt
    plt.close(fig)
    return path


def plot_vs_subset(rows: List[dict], metric: str, path: str) -> str:
    """One panel per backbone; x = subset size (videos), a line per
    (task, level)."""
    backbones = list(OrderedDict.fromkeys(r['backbone'] for r in rows))
    fig, axes = _axes(len(backbones), f'{metric} vs pretraining subset size')
    for ax, backbone in zip(axes, backbones):
        sub = [r for r in rows if r['backbone'] == backbone and metric in r]
        for task, level in OrderedDict.fromkeys(
                (r['task'], r['level']) for r in sub):
            line = sorted((r for r in sub if (r['task'], r['level']) ==
                           (task, level)), key=lambda r: r['subset_size'] or 0)
            full = max((r['subset_size'] or 0 for r in line), default=0)
            xs = [r['subset_size'] or full or 1 for r in line]
            ax.errorbar(xs, [r[metric] for r in line],
                        yerr=[r[f'{metric} std'] for r in line], marker='o',
                        capsize=3, label=f'{task} {level}')
        ax.set_title(backbone, fontsize=9)
        ax.set_xlabel('pretraining videos')
        ax.set_ylabel(f'{metric} (%)')
        ax.legend(fontsize=7)
    return _save(fig, path)


def plot_vs_level(rows: List[dict], metric: str, path: str) -> str:
    """One panel per backbone; x = complexity level (spec order), a line
    per (task, subset)."""
    backbones = list(OrderedDict.fromkeys(r['backbone'] for r in rows))
    levels = list(OrderedDict.fromkeys(r['level'] for r in rows))
    fig, axes = _axes(len(backbones), f'{metric} vs task complexity')
    for ax, backbone in zip(axes, backbones):
        sub = [r for r in rows if r['backbone'] == backbone and metric in r]
        for task, subset in OrderedDict.fromkeys(
                (r['task'], r['subset']) for r in sub):
            line = sorted((r for r in sub if (r['task'], r['subset']) ==
                           (task, subset)), key=lambda r: levels.index(
                               r['level']))
            ax.errorbar([levels.index(r['level']) for r in line],
                        [r[metric] for r in line],
                        yerr=[r[f'{metric} std'] for r in line], marker='o',
                        capsize=3, label=f'{task} ({subset})')
        ax.set_xticks(range(len(levels)))
        ax.set_xticklabels(levels)
        ax.set_title(backbone, fontsize=9)
        ax.set_xlabel('complexity level')
        ax.set_ylabel(f'{metric} (%)')
        ax.legend(fontsize=7)
    return _save(fig, path)


def plot_leaderboard(rows: List[dict], metric: str,
                     out_dir: str) -> Dict[str, str]:
    """Write the plots that the grid's axes allow (a subset plot needs two
    subsets, a complexity plot two levels). Returns ``{name: path}``."""
    out = {}
    if len({r['subset'] for r in rows}) > 1:
        out['subset'] = plot_vs_subset(
            rows, metric, osp.join(out_dir, 'accuracy_vs_subset.png'))
    if len({r['level'] for r in rows}) > 1:
        out['level'] = plot_vs_level(
            rows, metric, osp.join(out_dir, 'accuracy_vs_complexity.png'))
    return out
