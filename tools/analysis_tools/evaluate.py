"""One command from a checkpoint to a report (docs/protocols/README.md).

Example::

    CONFIG=configs/vcop/\
vcop_r3d-tiny_1xb8-8x32x32-3clips-resframes-40e_synthmotion.py
    python tools/analysis_tools/evaluate.py $CONFIG \
        work_dirs/demo_vcop/epoch_40.pth \
        --protocols retrieval,knn,linear,finetune --work-dir work_dirs/eval

    # the random-init baseline row
    python tools/analysis_tools/evaluate.py $CONFIG none \
        --protocols retrieval,knn,linear,finetune --work-dir work_dirs/eval0

Runs each protocol with its default settings for the dataset the config's
retrieval test loader reads, extracts features once for retrieval, k-NN and
the linear probe (``WORK_DIR/features``), fine-tunes through
``tools/train.py`` + ``tools/test.py``, and writes ``WORK_DIR/
evaluation.json`` and ``WORK_DIR/evaluation.md``. The work is done by
:func:`mmssl.evaluation.suite.evaluate_checkpoint`.
"""
import argparse
import sys

from mmengine.config import DictAction
from mmengine.logging import MMLogger

import mmssl  # noqa: F401  (allow-lists safe checkpoint types)
from mmssl.evaluation.cache_identity import FeatureCacheMismatch
from mmssl.evaluation.suite import (PROTOCOLS, EvaluationError,
                                    evaluate_checkpoint)
from mmssl.evaluation.suite.finetune import FinetuneRunError
from mmssl.utils import quiet_ffmpeg, register_all_modules
from mmssl.utils.checkpoint_loading import CheckpointMismatchError
from mmssl.utils.checkpoint_reading import CheckpointReadError
from mmssl.utils.config_validation import ConfigError


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description='Evaluate a checkpoint with several protocols '
        '(JSON + Markdown report)')
    parser.add_argument('config', help='pretraining config')
    parser.add_argument(
        'checkpoint', help='checkpoint, or "none" for random initialisation')
    parser.add_argument(
        '--protocols',
        default='retrieval,knn,linear',
        help=f'comma-separated, from {",".join(PROTOCOLS)} '
        '(default: retrieval,knn,linear)')
    parser.add_argument(
        '--work-dir', required=True, help='report, features and runs')
    parser.add_argument(
        '--data-root',
        help='dataset root: every config path under the configs\' data_root '
        'moves here')
    parser.add_argument(
        '--seed', type=int, default=0, help='seed (random init, sampling, '
        'training)')
    parser.add_argument(
        '--dataset',
        help='evaluation dataset (default: the one the config\'s retrieval '
        'test loader reads)')
    parser.add_argument(
        '--finetune-config',
        help='fine-tune config (default: the dataset\'s under '
        'configs/benchmarks/finetune/ with the same backbone)')
    parser.add_argument(
        '--options',
        nargs='+',
        action=DictAction,
        default={},
        help='protocol settings, protocol.key=value, e.g. knn.k=10 '
        'linear.epochs=50')
    parser.add_argument(
        '--cfg-options',
        nargs='+',
        action=DictAction,
        help='overrides of the pretraining config, key=value (e.g. '
        'test_dataloader.num_workers=0)')
    parser.add_argument(
        '--finetune-cfg-options',
        nargs='+',
        default=[],
        help='key=value overrides of the fine-tuning runs, e.g. '
        'train_cfg.max_epochs=1')
    return parser.parse_args()


def protocol_options(flat: dict) -> dict:
    """``{'knn.k': 10}`` -> ``{'knn': {'k': 10}}``."""
    nested = {}
    for key, value in flat.items():
        protocol, _, name = key.partition('.')
        if not name:
            raise EvaluationError(f'--options {key}={value}: write '
                                  'protocol.key=value (e.g. knn.k=10)')
        nested.setdefault(protocol, {})[name] = value
    return nested


def main() -> None:
    args = parse_args()
    quiet_ffmpeg()
    register_all_modules(init_default_scope=False)
    # keep weight-initialisation reports out of the console
    MMLogger.get_instance('mmssl-evaluate', log_level='WARNING')
    evaluate_checkpoint(
        args.config,
        args.checkpoint,
        args.protocols,
        args.work_dir,
        data_root=args.data_root,
        seed=args.seed,
        dataset=args.dataset,
        finetune_config=args.finetune_config,
        options=protocol_options(args.options),
        cfg_options=args.cfg_options,
        finetune_cfg_options=args.finetune_cfg_options,
        log=lambda message: print(message, flush=True))


if __name__ == '__main__':
    try:
        main()
    except (EvaluationError, CheckpointMismatchError, CheckpointReadError,
            ConfigError, FeatureCacheMismatch, FileNotFoundError,
            FinetuneRunError) as error:
        sys.exit(f'{type(error).__name__}: {error}')
