"""The grid's leaderboard: every cell's record -> rows with the mean and
spread over seeds, written as CSV, JSON and Markdown.

Metrics are the evaluation suite's table (:func:`~mmssl.evaluation.suite.
report.table_rows`: retrieval R@k, k-NN / linear / fine-tune top-1 and
top-5, in percent), the robustness score when the cell holds a noise
robustness report (``<cell>/robustness/noise_robustness.json``: the mean of
the study's relative robustness ``(A_clean - A_noisy) / A_clean`` over
noises, Sec. 4.4), the last logged pretext values and the cost.

Spread: the sample standard deviation over seeds (0 for one seed). In the
Markdown tables the best value of each column (task) is bold (all of them
if tied; the lowest for the robustness score, the highest otherwise), and
a value
whose distance to the best is not larger than the larger of the two spreads
carries ``~`` ("not separated from the best by more than the seed spread").
With one seed there is no spread and nothing is marked.
"""
import csv
import json
import math
import os
import os.path as osp
from collections import OrderedDict
from typing import Dict, List, Optional, Sequence

from mmssl.evaluation.suite.report import table_rows

__all__ = ['cell_metrics', 'aggregate_rows', 'write_leaderboard',
           'COST_COLUMNS']

GROUP_KEYS = ('task', 'category', 'level', 'backbone', 'subset',
              'subset_size')
PRIMARY_METRICS = ('top-1', 'R@1', 'robustness')
# (A_clean - A_noisy) / A_clean: the smaller, the more robust
LOWER_IS_BETTER = ('robustness', )
COST_COLUMNS = ('pretrain_wall_s', 'eval_wall_s', 'cpu_hours', 'gpu_hours',
                'clips_per_s', 'peak_rss_mb', 'gpu_peak_mb')


def _robustness(cell_dir: str) -> Optional[float]:
    path = osp.join(cell_dir, 'robustness', 'noise_robustness.json')
    try:
        with open(path) as f:
            summary = json.load(f)['summary']
    except (OSError, ValueError, KeyError):
        return None
    scores = [s['mean_relative_robustness'] for s in summary.values()
              if s.get('mean_relative_robustness') is not None]
    return sum(scores) / len(scores) if scores else None


def cell_metrics(record: dict, cell_dir: str) -> Dict[str, float]:
    """Flat ``{metric: value}`` of one finished cell (percent for
    accuracies/recalls; ``pretext <key>`` for pretext values; cost keys)."""
    out = OrderedDict()
    for row in table_rows(record.get('results') or {}):
        out[f'{row["protocol"]} {row["metric"]}'] = row['value']
    robustness = _robustness(cell_dir)
    if robustness is not None:
        out['robustness'] = round(robustness, 4)
    for key, value in (record.get('pretext') or {}).items():
        out[f'pretext {key}'] = value
    for key in COST_COLUMNS:
        value = (record.get('cost') or {}).get(key)
        if value is not None:
            out[key] = value
    return out


def _mean_std(values: Sequence[float]):
    mean = sum(values) / len(values)
    if len(values) < 2:
        return mean, 0.0
    var = sum((v - mean)**2 for v in values) / (len(values) - 1)
    return mean, math.sqrt(var)


def aggregate_rows(cells: List[dict]) -> List[dict]:
    """Group finished cells over seeds.

    Args:
        cells (list[dict]): ``{'record', 'metrics'}`` per finished cell.

    Returns:
        list[dict]: One row per (task, level, backbone, subset): the group
        keys, ``seeds``, and per metric ``<metric>`` (mean) and
        ``<metric> std``.
    """
    groups: Dict[tuple, List[dict]] = OrderedDict()
    for cell in cells:
        key = tuple(cell['record'].get(k) for k in GROUP_KEYS)
        groups.setdefault(key, []).append(cell)
    rows = []
    for key, members in groups.items():
        row = OrderedDict(zip(GROUP_KEYS, key))
        row['seeds'] = sorted(m['record']['seed'] for m in members)
        names = list(OrderedDict.fromkeys(
            n for m in members for n in m['metrics']))
        for name in names:
            values = [m['metrics'][name] for m in members
                      if name in m['metrics']]
            mean, std = _mean_std(values)
            row[name] = round(mean, 4)
            row[f'{name} std'] = round(std, 4)
        rows.append(row)
    return rows


def _fmt(mean: Optional[float], std: Optional[float], nseeds: int,
         digits: int = 1) -> str:
    if mean is None:
        return '-'
    return (f'{mean:.{digits}f} ± {std:.{digits}f}' if nseeds > 1 else
            f'{mean:.{digits}f}')


def study_table(rows: List[dict], metric: str, backbone: str) -> List[str]:
    """Markdown table in the study's layout (Table 3): rows = subset /
    level, columns = tasks (with their category), cells = mean ± std."""
    # row and column order of the whole grid (spec order), whatever this
    # backbone's finished cells are
    tasks = list(OrderedDict.fromkeys(
        (r['task'], r['category']) for r in rows))
    lines_keys = list(OrderedDict.fromkeys(
        (r['subset'], r['level']) for r in rows))
    rows = [r for r in rows if r['backbone'] == backbone and metric in r]
    tasks = [t for t in tasks if any(r['task'] == t[0] for r in rows)]
    by = {(r['subset'], r['level'], r['task']): r for r in rows}
    best = {}
    for task, _ in tasks:
        column = [r for r in rows if r['task'] == task]
        pick = min if metric in LOWER_IS_BETTER else max
        best[task] = pick(column, key=lambda r: r[metric])
    header = '| subset / level | ' + ' | '.join(
        f'{t} ({c})' if c else t for t, c in tasks) + ' |'
    out = [header, '|---' * (len(tasks) + 1) + '|']
    for subset, level in lines_keys:
        cells = []
        for task, _ in tasks:
            row = by.get((subset, level, task))
            if row is None:
                cells.append('-')
                continue
            text = _fmt(row[metric], row[f'{metric} std'], len(row['seeds']),
                        3 if metric in LOWER_IS_BETTER else 1)  # a fraction
            top = best[task]
            if row[metric] == top[metric]:  # ties are all best
                text = f'**{text}**'
            elif len(row['seeds']) > 1 and abs(top[metric] - row[metric]) \
                    <= max(top[f'{metric} std'], row[f'{metric} std']):
                text += ' ~'
            cells.append(text)
        out.append(f'| {subset} / {level} | ' + ' | '.join(cells) + ' |')
    return out


def markdown_leaderboard(rows: List[dict], failed: List[dict],
                         metrics: List[str], title: str) -> str:
    backbones = list(OrderedDict.fromkeys(r['backbone'] for r in rows))
    lines = [f'# Leaderboard: {title}', '']
    for metric in metrics:
        for backbone in backbones:
            unit = ('relative robustness, lower is better'
                    if metric in LOWER_IS_BETTER else '%')
            lines += [f'## {metric} ({unit}), backbone {backbone}', '']
            lines += study_table(rows, metric, backbone) + ['']
    cost = [c for c in COST_COLUMNS if any(c in r for r in rows)]
    lines += ['## Cost (mean over seeds)', '',
              '| task | level | backbone | subset | seeds | ' +
              ' | '.join(cost) + ' |', '|---' * (5 + len(cost)) + '|']
    for r in rows:
        lines.append(
            f'| {r["task"]} | {r["level"]} | {r["backbone"]} | '
            f'{r["subset"]} | {len(r["seeds"])} | ' + ' | '.join(
                '-' if r.get(c) is None else f'{r[c]:g}' for c in cost) +
            ' |')
    if failed:
        lines += ['', '## Failed cells', '']
        lines += [f'- `{f["cell"]}` ({f.get("stage")}): see `{f.get("log")}`'
                  for f in failed]
    lines += ['', 'Bold: best of the column; `~`: within the seed spread '
              '(max of the two standard deviations) of the best.']
    return '\n'.join(lines) + '\n'


def write_leaderboard(rows: List[dict], failed: List[dict], out_dir: str,
                      title: str,
                      metrics: Optional[List[str]] = None) -> Dict[str, str]:
    """Write ``leaderboard.{csv,json,md}`` into ``out_dir``.

    Args:
        rows (list[dict]): :func:`aggregate_rows`.
        failed (list[dict]): Records of failed cells.
        out_dir (str): Output directory.
        title (str): Title of the Markdown page.
        metrics (list[str], optional): Metrics with a study-layout table;
            default: the top-1s, R@1 and the robustness score present
            (every metric is in the CSV and JSON).

    Returns:
        dict[str, str]: ``{'csv', 'json', 'md'}`` paths.
    """
    os.makedirs(out_dir, exist_ok=True)
    columns = list(OrderedDict.fromkeys(k for r in rows for k in r))
    if metrics is None:
        skip = set(GROUP_KEYS) | {'seeds', *COST_COLUMNS}
        metrics = [c for c in columns if c not in skip
                   and c.endswith(PRIMARY_METRICS)]
    paths = {k: osp.join(out_dir, f'leaderboard.{k}')
             for k in ('csv', 'json', 'md')}
    with open(paths['csv'], 'w', newline='') as f:
        writer = csv.DictWriter(f, fieldnames=columns)
        writer.writeheader()
        for r in rows:
            writer.writerow({k: (' '.join(map(str, v)) if isinstance(
                v, list) else v) for k, v in r.items()})
    with open(paths['json'], 'w') as f:
        json.dump(dict(title=title, rows=rows, failed=failed), f, indent=2)
    with open(paths['md'], 'w') as f:
        f.write(markdown_leaderboard(rows, failed, metrics, title))
    return paths
