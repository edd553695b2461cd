"""Run one grid cell: pretrain, evaluate, and record status, results and
cost in the cell's directory (resumable: a finished cell is skipped).

Files in ``<work_root>/<cell>/``: ``cell_config.py`` (the materialised
config), ``train.log`` / ``eval.log`` (the tools' output), ``eval/``
(``tools/analysis_tools/evaluate.py``'s report) and ``grid_cell.json``:
the cell, its state (``done`` / ``failed``), the config's sha256, pretext
metrics, downstream results and cost. With the ``robustness`` protocol,
``robustness.log`` and ``robustness/`` (``noise_robustness.py``'s report on
the ``finetune`` protocol's classifier, :mod:`.robustness`) follow; its
cost counts as evaluation.

Cost is measured per subprocess with ``os.wait4``: wall seconds, CPU
seconds (user + system, the process and the children it waited for, e.g.
data-loader workers), peak resident memory (the largest of those
processes), GPU-hours (wall x visible GPUs when CUDA is available, else 0),
GPU peak memory (MMEngine's logged ``memory``, CUDA only) and training
throughput (clips/s = batch size / median logged iteration time).
"""
import glob
import json
import os
import os.path as osp
import statistics
import subprocess
import sys
import time
from typing import Callable, Dict, List, Optional

from mmengine.config import Config

from mmssl.evaluation.cache_identity import config_sha256
from .grid_spec import Cell, GridSpec
from .robustness import (REPORT, ROBUSTNESS, finetuned_classifier,
                         robustness_command)

__all__ = ['CELL_RECORD', 'run_cell', 'read_cell_record', 'train_command',
           'eval_command']

CELL_RECORD = 'grid_cell.json'
_NOT_PRETEXT = {'lr', 'time', 'data_time', 'epoch', 'iter', 'step',
                'memory', 'grad_norm', 'base_lr'}


def read_cell_record(cell_dir: str) -> Optional[dict]:
    """A cell's ``grid_cell.json``; None if absent or unreadable."""
    try:
        with open(osp.join(cell_dir, CELL_RECORD)) as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


def _write_record(cell_dir: str, record: dict) -> None:
    tmp = osp.join(cell_dir, CELL_RECORD + '.tmp')
    with open(tmp, 'w') as f:
        json.dump(record, f, indent=2)
    os.replace(tmp, osp.join(cell_dir, CELL_RECORD))


def train_command(repo: str, config: str, cell_dir: str) -> List[str]:
    return [sys.executable, osp.join(repo, 'tools/train.py'), config,
            '--work-dir', cell_dir]


def eval_command(repo: str, spec: GridSpec, cell: Cell, config: str,
                 checkpoint: str, cell_dir: str) -> List[str]:
    # the dataset is named by the level config's paths as written (the
    # cell's are re-rooted to the spec's data_root)
    from mmssl.evaluation.suite import evaluation_dataset
    dataset, _ = evaluation_dataset(Config.fromfile(cell.config))
    protocols = [p for p in spec.protocols if p != ROBUSTNESS]
    cmd = [sys.executable, osp.join(repo, 'tools/analysis_tools/evaluate.py'),
           config, checkpoint, '--protocols', ','.join(protocols),
           '--work-dir', osp.join(cell_dir, 'eval'), '--seed', str(cell.seed),
           '--dataset', dataset]
    if spec.data_root:  # the fine-tune config is re-rooted like the cell's
        cmd += ['--data-root', spec.data_root]
    options = [f'{protocol}.{key}={value}'
               for protocol, settings in spec.protocol_options.items()
               if protocol != ROBUSTNESS
               for key, value in settings.items()]
    if options:
        cmd += ['--options', *options]
    if spec.finetune_cfg_options:
        cmd += ['--finetune-cfg-options', *spec.finetune_cfg_options]
    return cmd


def _measured_run(cmd: List[str], log_path: str, cwd: str) -> dict:
    """Run ``cmd`` with its output in ``log_path``; wall/CPU/peak memory."""
    start = time.time()
    with open(log_path, 'w') as log:
        path = os.environ.get('PYTHONPATH')
        env = dict(os.environ, PYTHONPATH=cwd + (os.pathsep + path
                                                 if path else ''))
        proc = subprocess.Popen(cmd, cwd=cwd, stdout=log,
                                stderr=subprocess.STDOUT, env=env)
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
    return dict(returncode=proc.returncode,
                wall_s=time.time() - start,
                cpu_s=usage.ru_utime + usage.ru_stime,
                peak_rss_mb=usage.ru_maxrss / 1024.0)  # KiB on Linux


def _log_tail(path: str, lines: int = 15) -> str:
    try:
        with open(path, errors='replace') as f:
            return ''.join(f.readlines()[-lines:])
    except OSError:
        return ''


def _scalars(cell_dir: str) -> List[dict]:
    """MMEngine's ``vis_data/scalars.json`` of the cell's newest run."""
    paths = sorted(glob.glob(osp.join(cell_dir, '*', 'vis_data',
                                      'scalars.json')))
    if not paths:
        return []
    with open(paths[-1]) as f:
        return [json.loads(line) for line in f if line.strip()]


def training_summary(cell_dir: str, batch_size: int) -> dict:
    """Pretext metrics (last logged values) and throughput of a run."""
    entries = [e for e in _scalars(cell_dir) if 'loss' in e]
    if not entries:
        return dict(pretext={}, clips_per_s=None, gpu_peak_mb=None)
    pretext = {k: round(float(v), 4) for k, v in entries[-1].items()
               if k not in _NOT_PRETEXT and isinstance(v, (int, float))}
    times = [e['time'] for e in entries if e.get('time')]
    memory = [e['memory'] for e in entries if e.get('memory')]
    return dict(
        pretext=pretext,
        iterations=int(entries[-1].get('iter', len(entries))),
        clips_per_s=round(batch_size / statistics.median(times), 2)
        if times else None,
        gpu_peak_mb=max(memory) if memory else None)


def _checkpoint(cell_dir: str) -> Optional[str]:
    try:
        with open(osp.join(cell_dir, 'last_checkpoint')) as f:
            path = f.read().strip()
    except OSError:
        return None
    return path if osp.isfile(path) else None


def _num_gpus() -> int:
    try:
        import torch
        return torch.cuda.device_count() if torch.cuda.is_available() else 0
    except ImportError:  # pragma: no cover
        return 0


def run_cell(spec: GridSpec, cell: Cell, cfg: Config, cell_dir: str,
             repo: str, log: Callable[[str], None] = print) -> Dict:
    """Pretrain and evaluate one cell unless it is already done.

    Args:
        spec (GridSpec): The grid (protocols and their options).
        cell (Cell): The cell.
        cfg (Config): Its materialised config.
        cell_dir (str): Its work directory.
        repo (str): The repository root (tools/ lives there).
        log (Callable): Progress messages.

    Returns:
        dict: The cell's record (also in ``cell_dir/grid_cell.json``);
        ``state`` is ``'done'``, ``'skipped'`` (done earlier) or
        ``'failed'`` (with ``stage`` and the log's tail in ``error``).
    """
    sha = config_sha256(cfg)
    old = read_cell_record(cell_dir)
    if old and old.get('state') == 'done' and old.get('config_sha256') == sha:
        return dict(old, state='skipped')
    os.makedirs(cell_dir, exist_ok=True)
    if osp.isfile(osp.join(cell_dir, REPORT)):  # a stale one of a rerun
        os.remove(osp.join(cell_dir, REPORT))
    config_path = osp.join(cell_dir, 'cell_config.py')
    cfg.dump(config_path)
    record = dict(cell.as_dict(), config_sha256=sha, state='running',
                  protocols=spec.protocols, started=time.time())
    _write_record(cell_dir, record)
    gpus = _num_gpus()

    log(f'[grid] {cell.name}: pretraining')
    train = _measured_run(train_command(repo, config_path, cell_dir),
                          osp.join(cell_dir, 'train.log'), repo)
    checkpoint = _checkpoint(cell_dir)
    if train['returncode'] != 0 or checkpoint is None:
        return _fail(cell_dir, record, 'pretrain', 'train.log', train)
    summary = training_summary(cell_dir,
                               int(cfg.train_dataloader.batch_size))
    evaluation = dict(wall_s=0.0, cpu_s=0.0, peak_rss_mb=0.0)
    results = {}
    if spec.protocols:
        log(f'[grid] {cell.name}: evaluating {",".join(spec.protocols)}')
        evaluation = _measured_run(
            eval_command(repo, spec, cell, config_path, checkpoint,
                         cell_dir), osp.join(cell_dir, 'eval.log'), repo)
        if evaluation['returncode'] != 0:
            return _fail(cell_dir, record, 'evaluate', 'eval.log',
                         evaluation)
        with open(osp.join(cell_dir, 'eval', 'evaluation.json')) as f:
            results = json.load(f)['results']
    if ROBUSTNESS in spec.protocols:
        robust = _robustness(spec, cell, cell_dir, repo, log)
        if robust.get('returncode'):
            return _fail(cell_dir, record, ROBUSTNESS, 'robustness.log',
                         robust)
        evaluation = dict(
            wall_s=evaluation['wall_s'] + robust['wall_s'],
            cpu_s=evaluation['cpu_s'] + robust['cpu_s'],
            peak_rss_mb=max(evaluation['peak_rss_mb'],
                            robust['peak_rss_mb']))
    record.update(
        state='done',
        checkpoint=checkpoint,
        pretext=summary.pop('pretext'),
        results=results,
        cost=dict(
            pretrain_wall_s=round(train['wall_s'], 1),
            eval_wall_s=round(evaluation['wall_s'], 1),
            cpu_hours=round((train['cpu_s'] + evaluation['cpu_s']) / 3600,
                            4),
            gpu_hours=round(gpus * (train['wall_s'] + evaluation['wall_s'])
                            / 3600, 4),
            peak_rss_mb=round(max(train['peak_rss_mb'],
                                  evaluation['peak_rss_mb']), 1),
            **summary),
        finished=time.time())
    _write_record(cell_dir, record)
    return record


def _robustness(spec: GridSpec, cell: Cell, cell_dir: str, repo: str,
                log: Callable[[str], None]) -> dict:
    """Run ``noise_robustness.py`` on the cell's fine-tuned classifier."""
    log_path = osp.join(cell_dir, 'robustness.log')
    try:
        config, checkpoint = finetuned_classifier(osp.join(cell_dir, 'eval'))
    except FileNotFoundError as error:
        log(f'[grid] {cell.name}: {error}')
        with open(log_path, 'w') as f:
            f.write(f'{error}\n')
        return dict(returncode=1)
    log(f'[grid] {cell.name}: noise robustness of {checkpoint}')
    run = _measured_run(
        robustness_command(repo, spec.protocol_options.get(ROBUSTNESS),
                           cell.seed, config, checkpoint, cell_dir),
        log_path, repo)
    if run['returncode'] == 0 and not osp.isfile(osp.join(cell_dir, REPORT)):
        run['returncode'] = 1  # pragma: no cover (the tool always writes)
    return run


def _fail(cell_dir: str, record: dict, stage: str, log_name: str,
          run: dict) -> dict:
    record.update(state='failed', stage=stage,
                  returncode=run['returncode'],
                  error=_log_tail(osp.join(cell_dir, log_name)),
                  log=osp.join(cell_dir, log_name), finished=time.time())
    _write_record(cell_dir, record)
    return record
