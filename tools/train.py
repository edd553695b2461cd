"""Pretrain a self-supervised video model (flags as MMAction2's train.py).

Precedence: the config, then ``--cfg-options`` (``data_root=DIR`` or
``--data-root DIR`` re-roots every dataset path), then the flags
(``--seed``, ``--deterministic``, ``--diff-rank-seed`` override the config's
``randomness``). A config error (unknown optimizer type, a head whose
``in_channels`` does not fit its input) ends the run with one line naming
the config key.
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
from mmssl.utils.accumulation_lr import account_for_accumulation
from mmssl.utils.config_overrides import apply_overrides
from mmssl.utils.config_validation import (ConfigError,
                                           check_registered_types,
                                           check_schedule_fits)
from mmssl.utils.forward_trace import FirstForwardTrace
from mmssl.utils.resume_checkpoint import (NoCheckpointToResume,
                                           find_resume_checkpoint)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description='Train (pretrain) an mmssl model')
    parser.add_argument('config', help='train config file path')
    parser.add_argument('--work-dir', help='where to save logs and models')
    parser.add_argument(
        '--resume',
        nargs='?',
        type=str,
        const='auto',
        help='resume from the given checkpoint, or, without a value, from '
        'the latest checkpoint in the work directory (an error if there is '
        'none)')
    parser.add_argument(
        '--amp', action='store_true', help='automatic mixed precision')
    parser.add_argument(
        '--no-validate',
        action='store_true',
        help='do not evaluate checkpoints during training')
    parser.add_argument(
        '--auto-scale-lr',
        action='store_true',
        help='scale the lr by actual / base batch size')
    parser.add_argument(
        '--seed',
        type=int,
        default=None,
        help='random seed (overrides the config\'s randomness.seed)')
    parser.add_argument(
        '--diff-rank-seed',
        action='store_true',
        help='different seeds on different ranks')
    parser.add_argument(
        '--deterministic',
        action='store_true',
        help='deterministic CUDNN options (overrides the config)')
    parser.add_argument(
        '--data-root',
        help='dataset root: every config path under the config\'s data_root '
        'moves here (same as --cfg-options data_root=DIR)')
    parser.add_argument(
        '--cfg-options',
        nargs='+',
        action=DictAction,
        help='override config settings, key=value (e.g. '
        'train_cfg.max_iters=10 or key="[a,b]")')
    parser.add_argument(
        '--launcher',
        choices=['none', 'pytorch', 'slurm', 'mpi'],
        default='none',
        help='job launcher')
    parser.add_argument('--local_rank', '--local-rank', type=int, default=0)
    args = parser.parse_args()
    os.environ.setdefault('LOCAL_RANK', str(args.local_rank))
    return args


def merge_args(cfg: Config, args: argparse.Namespace) -> Config:
    """Apply the command-line flags to the config."""
    if args.no_validate:
        cfg.val_cfg = cfg.val_dataloader = cfg.val_evaluator = None
    cfg.launcher = args.launcher
    if args.work_dir is not None:
        cfg.work_dir = args.work_dir
    elif cfg.get('work_dir') is None:
        cfg.work_dir = osp.join('./work_dirs',
                                osp.splitext(osp.basename(args.config))[0])
    if args.amp:
        wrapper = cfg.optim_wrapper.get('type', 'OptimWrapper')
        if wrapper not in ('OptimWrapper', 'AmpOptimWrapper'):
            raise ValueError(f'--amp does not support optim_wrapper type '
                             f'{wrapper!r} (config {args.config})')
        cfg.optim_wrapper.type = 'AmpOptimWrapper'
        cfg.optim_wrapper.setdefault('loss_scale', 'dynamic')
    if args.resume == 'auto':
        # resolved here (MMEngine would train from scratch without one)
        cfg.resume = True
        cfg.load_from = find_resume_checkpoint(cfg.work_dir)
    elif args.resume is not None:
        if not osp.isfile(args.resume):
            raise NoCheckpointToResume(
                f'--resume: checkpoint not found: {args.resume}')
        cfg.resume, cfg.load_from = True, args.resume
    if args.auto_scale_lr:
        if 'auto_scale_lr' not in cfg:
            raise KeyError(f'--auto-scale-lr needs `auto_scale_lr` in '
                           f'{args.config}')
        cfg.auto_scale_lr.enable = True
    apply_overrides(cfg, args.cfg_options, args.data_root)
    account_for_accumulation(cfg)  # auto_scale_lr x accumulative_counts
    merge_randomness(cfg, args)
    return cfg


def merge_randomness(cfg: Config, args: argparse.Namespace) -> None:
    """Flags win over the config's ``randomness`` (the schedule bases set
    ``randomness=dict(seed=0)``; MMEngine would otherwise ignore them)."""
    randomness = dict(cfg.get('randomness') or dict(seed=None))
    if args.seed is not None:
        randomness['seed'] = args.seed
    if args.diff_rank_seed:
        randomness['diff_rank_seed'] = True
    if args.deterministic:
        randomness['deterministic'] = True
    cfg.randomness = randomness


def main() -> None:
    args = parse_args()
    quiet_ffmpeg()
    register_all_modules(init_default_scope=False)
    cfg = merge_args(Config.fromfile(args.config), args)
    check_registered_types(cfg)
    check_schedule_fits(cfg)
    setup_cpu_distributed(cfg, args.launcher)
    runner = Runner.from_cfg(cfg)
    model = runner.model.module if is_model_wrapper(
        runner.model) else runner.model
    trace = FirstForwardTrace(model)
    try:
        runner.train()
    except (RuntimeError, ValueError) as err:
        explanation = trace.explain(err, cfg.model)
        if explanation is None:
            raise
        raise ConfigError(explanation) from err
    finish_distributed()


if __name__ == '__main__':
    try:
        main()
    except (ConfigError, NoCheckpointToResume) as error:
        sys.exit(f'{type(error).__name__}: {error}')
