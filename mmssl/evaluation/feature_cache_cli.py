"""Command-line options shared by the tools that read a feature cache
(``tools/analysis_tools/linear_probe.py``, ``knn.py``): which cache and
splits, what it must have been made from, and the number of classes."""
import argparse
from typing import Tuple

from torch import Tensor

from mmssl.evaluation.feature_cache import load_feature_cache

__all__ = ['add_cache_arguments', 'load_train_val']


def add_cache_arguments(parser: argparse.ArgumentParser) -> None:
    """Add ``cache``, ``--num-classes``, ``--train-split``, ``--val-split``,
    ``--expect-config`` and ``--expect-checkpoint`` to ``parser``."""
    parser.add_argument('cache', help='directory of extract_features.py')
    parser.add_argument(
        '--num-classes', type=int,
        help='number of classes (default: largest label + 1)')
    parser.add_argument('--train-split', default='train')
    parser.add_argument('--val-split', default='val')
    parser.add_argument(
        '--expect-config', help='config the cache must come from')
    parser.add_argument(
        '--expect-checkpoint',
        help='checkpoint (or "none") the cache must come from')


def load_train_val(
        args: argparse.Namespace
) -> Tuple[Tensor, Tensor, Tensor, Tensor, int, dict]:
    """Read the train and val splits named by :func:`add_cache_arguments`.

    Returns:
        tuple: ``train_feats (N, D)``, ``train_labels (N,)``,
        ``val_feats (M, D)``, ``val_labels (M,)``, ``num_classes`` and the
        cache's meta dict.

    Raises:
        FeatureCacheMismatch: The cache comes from another config or
            checkpoint than ``--expect-config`` / ``--expect-checkpoint``.
    """
    train_feats, train_labels, meta = load_feature_cache(
        args.cache, args.train_split, args.expect_config,
        args.expect_checkpoint)
    val_feats, val_labels, _ = load_feature_cache(args.cache, args.val_split)
    num_classes = args.num_classes or int(
        max(train_labels.max(), val_labels.max()
            if len(val_labels) else 0)) + 1
    return (train_feats, train_labels, val_feats, val_labels, num_classes,
            meta)
