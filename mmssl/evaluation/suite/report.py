"""The evaluation report: what was evaluated (with hashes) and one table.

``evaluation.json`` holds everything (per-protocol reports as the
standalone tools write them, plus ``table``); ``evaluation.md`` is the same
table for docs: one row per (protocol, metric), values in percent.
"""
import json
import os
import os.path as osp
from typing import Dict, List, Optional

__all__ = ['table_rows', 'write_report', 'markdown_report']

# (protocol, report key, metric name shown); retrieval recalls and
# MMAction2's accuracies are fractions, k-NN and the probe give percent.
_TABLE = (
    ('retrieval', 'R@1', 'R@1', 100.0),
    ('retrieval', 'R@5', 'R@5', 100.0),
    ('retrieval', 'R@10', 'R@10', 100.0),
    ('retrieval', 'R@20', 'R@20', 100.0),
    ('retrieval', 'R@50', 'R@50', 100.0),
    ('knn', 'top1', 'top-1', 1.0),
    ('knn', 'top5', 'top-5', 1.0),
    ('linear', 'top1', 'top-1', 1.0),
    ('linear', 'top5', 'top-5', 1.0),
    ('finetune', 'top1', 'top-1', 100.0),
    ('finetune', 'top5', 'top-5', 100.0),
)


def table_rows(results: Dict[str, dict]) -> List[dict]:
    """``[{'protocol', 'metric', 'value'}]`` in percent, protocol order of
    ``results``, metrics a protocol's report lacks left out."""
    rows = []
    for protocol, report in results.items():
        for name, key, metric, scale in _TABLE:
            if name == protocol and report.get(key) is not None:
                rows.append(
                    dict(
                        protocol=protocol,
                        metric=metric,
                        value=round(float(report[key]) * scale, 2)))
    return rows


def _short(sha: Optional[str]) -> str:
    return f'sha256 `{sha[:12]}`' if sha else 'no hash'


def markdown_report(report: dict) -> str:
    """The Markdown page of a report made by ``evaluate_checkpoint``."""
    checkpoint = report['checkpoint']
    if checkpoint == 'none':
        weights = f'none (random initialisation, seed {report["seed"]})'
    else:
        weights = f'`{checkpoint}` ({_short(report["checkpoint_sha256"])})'
    lines = [
        f'# Evaluation of `{osp.basename(report["config"])}`', '',
        f'- config: `{report["config"]}` ({_short(report["config_sha256"])})',
        f'- checkpoint: {weights}',
        f'- dataset: {report["dataset"]} split {report["split"]} '
        f'(data root `{report["data_root"]}`)',
        f'- protocols: {", ".join(report["protocols"])}; seed '
        f'{report["seed"]}', '', '| protocol | metric | value (%) |',
        '|---|---|---|'
    ]
    lines += [
        f'| {row["protocol"]} | {row["metric"]} | {row["value"]:.1f} |'
        for row in report['table']
    ]
    settings = [
        f'- {protocol}: ' + ', '.join(f'{k}={v}' for k, v in s.items())
        for protocol, s in report.get('settings', {}).items() if s
    ]
    if settings:
        lines += ['', 'Settings:', ''] + settings
    return '\n'.join(lines) + '\n'


def write_report(report: dict, work_dir: str) -> Dict[str, str]:
    """Write ``evaluation.json`` and ``evaluation.md`` into ``work_dir``.

    Returns:
        dict: ``{'json': path, 'md': path}``.
    """
    os.makedirs(work_dir, exist_ok=True)
    paths = dict(
        json=osp.join(work_dir, 'evaluation.json'),
        md=osp.join(work_dir, 'evaluation.md'))
    with open(paths['json'], 'w') as f:
        json.dump(report, f, indent=2)
    with open(paths['md'], 'w') as f:
        f.write(markdown_report(report))
    return paths
