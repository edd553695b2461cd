"""Linear probe on cached features, with a JSON report.

Example::

    python tools/analysis_tools/extract_features.py CONFIG CKPT --out DIR
    python tools/analysis_tools/linear_probe.py DIR --out probe.json

    # refuse a cache made from another config or checkpoint
    python tools/analysis_tools/linear_probe.py DIR --expect-config CONFIG \
        --expect-checkpoint CKPT

Trains :func:`mmssl.evaluation.functional.train_linear_probe` on the
``train`` split's features and reports top-1 / top-5 on ``val``
(docs/protocols/linear_probe.md: recipe, defaults and their sources).
"""
import argparse
import sys

import torch

from mmssl.evaluation.feature_cache import FeatureCacheMismatch
from mmssl.evaluation.feature_cache_cli import (add_cache_arguments,
                                                load_train_val)
from mmssl.evaluation.functional.linear_probe import train_linear_probe
from mmssl.utils.json_report import emit_json_report


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description='Linear probe on a feature cache (JSON report)')
    add_cache_arguments(parser)
    parser.add_argument('--out', help='JSON report path')
    parser.add_argument('--epochs', type=int, default=100)
    parser.add_argument('--lr', type=float, default=0.1)
    parser.add_argument('--weight-decay', type=float, default=0.0)
    parser.add_argument('--momentum', type=float, default=0.9)
    parser.add_argument('--batch-size', type=int, default=256)
    parser.add_argument('--seed', type=int, default=0)
    parser.add_argument(
        '--threads', type=int, default=1,
        help='torch CPU threads (default 1: a linear layer on cached '
        'features gains nothing from more, and loses on a busy machine)')
    parser.add_argument(
        '--no-standardize', action='store_true',
        help='train on the raw features (default: per-dimension '
        'standardisation with train statistics)')
    return parser.parse_args(argv)


def main(argv=None) -> dict:
    args = parse_args(argv)
    torch.manual_seed(args.seed)
    torch.set_num_threads(args.threads)
    (train_feats, train_labels, val_feats, val_labels, num_classes,
     meta) = load_train_val(args)
    result = train_linear_probe(
        train_feats, train_labels, val_feats, val_labels, num_classes,
        epochs=args.epochs, lr=args.lr, weight_decay=args.weight_decay,
        batch_size=args.batch_size, seed=args.seed, momentum=args.momentum,
        standardize=not args.no_standardize)
    report = dict(
        cache=args.cache,
        config=meta['config'],
        config_sha256=meta['config_sha256'],
        checkpoint=meta['checkpoint'],
        checkpoint_sha256=meta['checkpoint_sha256'],
        feature=meta['feature'],
        num_clips=meta['num_clips'],
        num_crops=meta['num_crops'],
        num_classes=num_classes,
        torch_threads=torch.get_num_threads(),
        **result)
    emit_json_report(report, args.out)
    return report


if __name__ == '__main__':
    try:
        main()
    except (FeatureCacheMismatch, FileNotFoundError, KeyError,
            ValueError) as error:
        sys.exit(f'{type(error).__name__}: {error}')
