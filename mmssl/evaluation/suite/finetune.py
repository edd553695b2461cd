"""The fine-tuning protocol as two subprocesses: ``tools/train.py`` then
``tools/test.py``.

Fine-tuning is a full MMAction2 training run (``Recognizer3D``, the
dataset's fine-tune config under ``configs/benchmarks/finetune/``), so it
runs through the same tools a user would call, in their own processes
(their own runner, logger and data workers):

1. ``tools/train.py FT_CONFIG --work-dir DIR --seed S --cfg-options
   load_from=CHECKPOINT`` (no ``load_from`` for ``none``: training from
   scratch, the random-init baseline);
2. ``tools/test.py FT_CONFIG DIR/<last checkpoint> --work-dir DIR/test``;
   the test metrics come from the run's JSON log
   (``DIR/test/<timestamp>/<timestamp>.json``).

MMEngine's ``load_from`` loads non-strictly, so the checkpoint's
``backbone.`` weights are first checked strictly against the fine-tune
model (:func:`check_backbone_fits`): a checkpoint that does not fit fails
here with the key groups named, instead of fine-tuning a random backbone.
"""
import glob
import json
import os
import os.path as osp
import subprocess
import sys
import time
from typing import Callable, List, Optional

from mmengine.config import Config
from mmengine.registry import init_default_scope

__all__ = [
    'FinetuneRunError', 'check_backbone_fits', 'run_finetune',
    'read_test_metrics'
]


class FinetuneRunError(RuntimeError):
    """``tools/train.py`` or ``tools/test.py`` of the fine-tuning protocol
    failed (the message holds the end of its log)."""


def check_backbone_fits(finetune_config: str, checkpoint: str) -> None:
    """Load ``checkpoint``'s ``backbone.`` weights strictly into the
    fine-tune model (built on the CPU, then discarded).

    Raises:
        CheckpointMismatchError: Missing, unexpected or mis-shaped
            ``backbone.`` keys (names the checkpoint and the key groups).
    """
    from mmssl.registry import MODELS
    from mmssl.utils.checkpoint_loading import load_evaluated_weights
    cfg = Config.fromfile(finetune_config)
    init_default_scope(cfg.get('default_scope', 'mmssl'))
    load_evaluated_weights(MODELS.build(cfg.model), checkpoint)


def read_test_metrics(test_work_dir: str) -> dict:
    """Metrics of the newest ``tools/test.py`` run in ``test_work_dir``.

    Returns:
        dict: e.g. ``{'acc/top1': 0.81, 'acc/top5': 1.0, ...}``.

    Raises:
        FileNotFoundError: No test log JSON there.
    """
    logs = sorted(
        p for p in glob.glob(osp.join(test_work_dir, '*', '*.json'))
        if osp.basename(osp.dirname(p)) + '.json' == osp.basename(p))
    if not logs:
        raise FileNotFoundError(
            f'no tools/test.py metrics under {test_work_dir}/<timestamp>/')
    with open(logs[-1]) as f:
        return json.load(f)


def _run(args: List[str], log_file: str, log: Callable[[str], None]) -> str:
    """Run a tool, output to ``log_file``; fail with its last lines.

    Returns:
        str: The command line.
    """
    command = ' '.join(args)
    log('$ ' + command)
    repo = osp.dirname(osp.dirname(args[1]))
    env = dict(os.environ)
    env['PYTHONPATH'] = repo + os.pathsep + env.get('PYTHONPATH', '')
    with open(log_file, 'w') as out:
        code = subprocess.run(
            args, stdout=out, stderr=subprocess.STDOUT, env=env).returncode
    if code != 0:
        with open(log_file) as f:
            tail = ''.join(f.readlines()[-15:])
        raise FinetuneRunError(f'{osp.basename(args[1])} failed (exit code '
                           f'{code}); full log {log_file}:\n{tail}')
    return command


def run_finetune(finetune_config: str,
                 checkpoint: Optional[str],
                 work_dir: str,
                 tools_dir: str,
                 seed: int = 0,
                 data_root: Optional[str] = None,
                 cfg_options: Optional[List[str]] = None,
                 check_backbone: bool = True,
                 log: Callable[[str], None] = print) -> dict:
    """Fine-tune from ``checkpoint`` (``None``: from scratch) and test.

    Args:
        finetune_config (str): A ``configs/benchmarks/finetune/`` config.
        checkpoint (str, optional): Pretrained checkpoint.
        work_dir (str): Fine-tuning work dir (test results in ``test/``).
        tools_dir (str): The repository's ``tools/`` directory.
        seed (int): Training and test seed.
        data_root (str, optional): Passed as ``--data-root``.
        cfg_options (list[str], optional): ``key=value`` overrides for
            both runs (e.g. ``train_cfg.max_epochs=1``).
        check_backbone (bool): Check first that the checkpoint's
            ``backbone.`` weights fit (:func:`check_backbone_fits`).
        log (Callable): Progress messages.

    Returns:
        dict: ``top1``/``top5`` (fractions, from MMAction2's ``AccMetric``;
        ``None`` if the config's test evaluator has none), all test
        ``metrics``, the ``config``, the fine-tuned ``checkpoint``, the
        two ``commands`` and ``seconds``.
    """
    start = time.time()
    if checkpoint is not None and check_backbone:
        check_backbone_fits(finetune_config, checkpoint)
    common = ['--seed', str(seed)]
    if data_root:
        common += ['--data-root', data_root]
    train_options = list(cfg_options or [])
    if checkpoint is not None:
        train_options.append(f'load_from={checkpoint}')
    os.makedirs(work_dir, exist_ok=True)
    train = [
        sys.executable,
        osp.join(tools_dir, 'train.py'), finetune_config, '--work-dir',
        work_dir, *common
    ]
    if train_options:
        train += ['--cfg-options', *train_options]
    commands = [_run(train, osp.join(work_dir, 'train.log'), log)]
    with open(osp.join(work_dir, 'last_checkpoint')) as f:
        finetuned = f.read().strip()
    test_dir = osp.join(work_dir, 'test')
    test = [
        sys.executable,
        osp.join(tools_dir, 'test.py'), finetune_config, finetuned,
        '--work-dir', test_dir, *common
    ]
    if cfg_options:
        test += ['--cfg-options', *cfg_options]
    commands.append(_run(test, osp.join(work_dir, 'test.log'), log))
    metrics = {
        key: value
        for key, value in read_test_metrics(test_dir).items()
        if key not in ('time', 'data_time')  # speed, not a metric
    }

    def pick(suffix):
        return next((v for k, v in metrics.items()
                     if k.split('/')[-1] == suffix), None)

    return dict(
        top1=pick('top1'),
        top5=pick('top5'),
        metrics=metrics,
        config=finetune_config,
        checkpoint=finetuned,
        commands=commands,
        seconds=round(time.time() - start, 1))
