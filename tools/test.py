"""Evaluate a checkpoint with a config's test loop (e.g. retrieval R@k).

The checkpoint (positional, or ``--cfg-options load_from=...``) is loaded
strictly for the evaluated backbone by
:func:`mmssl.utils.checkpoint_loading.prepare_evaluated_model`, the same
function ``tools/analysis_tools/retrieval.py`` uses: a checkpoint that does
not fit stops the run with the mismatching key groups, and ``none`` gives the
same seeded random-init baseline in both tools.
"""
import argparse
import os
import os.path as osp
import sys

from mmengine.config import Config, DictAction
from mmengine.model import is_model_wrapper
from mmengine.runner import Runner

import mmssl  # noqa: F401  (allow-lists safe checkpoint types)
from mmssl.utils import (finish_distributed, quiet_ffmpeg,
                         register_all_modules, setup_cpu_distributed)
from mmssl.utils.checkpoint_loading import (CheckpointMismatchError,
                                            prepare_evaluated_model)
from mmssl.utils.checkpoint_reading import CheckpointReadError
from mmssl.utils.config_overrides import apply_overrides
from mmssl.utils.config_validation import ConfigError


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description='Test an mmssl model')
    parser.add_argument('config', help='test config file path')
    parser.add_argument(
        'checkpoint',
        nargs='?',
        default=None,
        help='checkpoint file, or "none" for a randomly initialised model; '
        'omitted: the config\'s load_from (e.g. from --cfg-options), else '
        'random initialisation')
    parser.add_argument('--work-dir', help='where to save logs')
    parser.add_argument(
        '--seed',
        type=int,
        default=0,
        help='seed of the random initialisation and of data sampling '
        '(retrieval.py uses the same default)')
    parser.add_argument(
        '--data-root',
        help='dataset root: every config path under the config\'s data_root '
        'moves here (same as --cfg-options data_root=DIR)')
    parser.add_argument(
        '--dump', help='dump the evaluation results to this .pkl file')
    parser.add_argument(
        '--cfg-options',
        nargs='+',
        action=DictAction,
        help='override config settings, key=value')
    parser.add_argument(
        '--launcher',
        choices=['none', 'pytorch', 'slurm', 'mpi'],
        default='none',
        help='job launcher')
    parser.add_argument('--local_rank', '--local-rank', type=int, default=0)
    args = parser.parse_args()
    os.environ.setdefault('LOCAL_RANK', str(args.local_rank))
    return args


def main() -> None:
    args = parse_args()
    quiet_ffmpeg()
    register_all_modules(init_default_scope=False)
    cfg = apply_overrides(
        Config.fromfile(args.config), args.cfg_options, args.data_root)
    cfg.launcher = args.launcher
    if args.work_dir is not None:
        cfg.work_dir = args.work_dir
    elif cfg.get('work_dir') is None:
        cfg.work_dir = osp.join('./work_dirs',
                                osp.splitext(osp.basename(args.config))[0])
    checkpoint = resolve_checkpoint(args.checkpoint, cfg.get('load_from'))
    # loaded below, strictly; MMEngine's load_from would load non-strictly
    cfg.load_from, cfg.resume = None, False
    cfg.randomness = dict(cfg.get('randomness') or {}, seed=args.seed)
    if args.dump is not None:
        if not args.dump.endswith(('.pkl', '.pickle')):
            raise ValueError(f'--dump must end with .pkl, got {args.dump}')
        evaluator = cfg.test_evaluator
        if isinstance(evaluator, dict):
            evaluator = [evaluator]
        cfg.test_evaluator = list(evaluator) + [
            dict(type='DumpResults', out_file_path=args.dump)
        ]
    setup_cpu_distributed(cfg, args.launcher)
    runner = Runner.from_cfg(cfg)
    model = runner.model.module if is_model_wrapper(
        runner.model) else runner.model
    prepare_evaluated_model(model, cfg.model, checkpoint, seed=args.seed)
    runner.test()
    finish_distributed()


def resolve_checkpoint(argument, config_load_from):
    """The checkpoint to evaluate: the positional argument, else the
    config's ``load_from``; ``'none'`` or nothing means random init.

    Raises:
        ValueError: Both are given and name different files.
        FileNotFoundError: The checkpoint does not exist.
    """
    if argument is not None and argument.lower() == 'none':
        return None
    if argument is not None and config_load_from and \
            osp.abspath(argument) != osp.abspath(config_load_from):
        raise ValueError(
            f'two checkpoints given: {argument} (argument) and '
            f'load_from={config_load_from}; pass one')
    checkpoint = argument or config_load_from or None
    if checkpoint is not None and not osp.isfile(checkpoint):
        raise FileNotFoundError(f'checkpoint not found: {checkpoint}')
    return checkpoint


if __name__ == '__main__':
    try:
        main()
    except (CheckpointMismatchError, CheckpointReadError, ConfigError,
            FileNotFoundError) as error:
        sys.exit(f'{type(error).__name__}: {error}')
