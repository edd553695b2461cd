"""Extract video features of a (pre)trained backbone once, into a cache.

Example::

    python tools/analysis_tools/extract_features.py \
        configs/vcop/vcop_r3d-tiny_1xb8-8x32x32-3clips-40e_synthmotion.py \
        work_dirs/vcop/epoch_40.pth --out work_dirs/vcop/features

    # the random-init baseline (same weights as retrieval.py CONFIG none)
    python tools/analysis_tools/extract_features.py CONFIG none --seed 0 \
        --out work_dirs/vcop/features_none

    # 10 clips x 3 crops per video, TCLR's time-kept feature
    python tools/analysis_tools/extract_features.py CONFIG CKPT --out DIR \
        --num-clips 10 --num-crops 3 --feature time_feats

The config's ``test_dataloader`` (the retrieval protocol: ``train`` and
``test`` lists, the test pipeline) defines videos and clips; the cache is
``DIR/meta.json`` + ``DIR/<split>-NNNNN.pt`` shards
(:mod:`mmssl.evaluation.feature_cache`). Then::

    python tools/analysis_tools/linear_probe.py DIR --out probe.json
"""
import argparse
import json
import sys

from mmengine.config import Config, DictAction
from mmengine.logging import MMLogger

import mmssl  # noqa: F401  (allow-lists safe checkpoint types)
from mmssl.evaluation.feature_cache import extract_features
from mmssl.evaluation.protocol_config import use_data_config
from mmssl.utils import quiet_ffmpeg, register_all_modules
from mmssl.utils.checkpoint_loading import CheckpointMismatchError
from mmssl.utils.checkpoint_reading import CheckpointReadError
from mmssl.utils.config_overrides import apply_overrides
from mmssl.utils.config_validation import ConfigError


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description='Extract and cache video features (meta.json + shards)')
    parser.add_argument('config', help='config with a retrieval test loader')
    parser.add_argument(
        'checkpoint', help='checkpoint, or "none" for random initialisation')
    parser.add_argument('--out', required=True, help='cache directory')
    parser.add_argument(
        '--splits', default='train,val', help='comma-separated splits')
    parser.add_argument(
        '--num-clips', type=int, help='clips per video (default: config)')
    parser.add_argument(
        '--num-crops', type=int, default=1, choices=(1, 3, 10),
        help='crops per clip: centre, ThreeCrop, TenCrop')
    parser.add_argument(
        '--feature', default='feats', choices=('feats', 'time_feats'),
        help='3-D pooled (feats) or time kept (time_feats, TCLR)')
    parser.add_argument(
        '--shard-size', type=int, default=4096, help='videos per shard')
    parser.add_argument('--batch-size', type=int, help='loader batch size')
    parser.add_argument('--num-workers', type=int, help='loader workers')
    parser.add_argument(
        '--seed', type=int, default=0, help='seed (random init, loader)')
    parser.add_argument(
        '--data-root',
        help='dataset root: every config path under the config\'s data_root '
        'moves here (same as --cfg-options data_root=DIR)')
    parser.add_argument(
        '--data-config',
        help='take test_dataloader/data_root from this config')
    parser.add_argument(
        '--cfg-options', nargs='+', action=DictAction,
        help='override config settings, key=value')
    return parser.parse_args(argv)


def main(argv=None) -> dict:
    args = parse_args(argv)
    quiet_ffmpeg()
    register_all_modules(init_default_scope=False)
    # keep weight-initialisation reports out of the console
    if MMLogger.check_instance_created('mmssl-extract'):
        MMLogger.get_instance('mmssl-extract')  # make it current again
    else:
        MMLogger.get_instance('mmssl-extract', log_level='WARNING')
    cfg = Config.fromfile(args.config)
    if args.data_config:
        use_data_config(cfg, args.data_config)
    cfg = apply_overrides(cfg, args.cfg_options, args.data_root)
    meta = extract_features(
        cfg,
        args.checkpoint,
        args.out,
        splits=[s for s in args.splits.split(',') if s],
        num_clips=args.num_clips,
        num_crops=args.num_crops,
        feature=args.feature,
        shard_size=args.shard_size,
        seed=args.seed,
        batch_size=args.batch_size,
        num_workers=args.num_workers)
    print(json.dumps(meta, indent=2))
    print(f'feature cache written to {args.out}')
    return meta


if __name__ == '__main__':
    try:
        main()
    except (CheckpointMismatchError, CheckpointReadError, ConfigError,
            FileNotFoundError, KeyError, ValueError) as error:
        sys.exit(f'{type(error).__name__}: {error}')
