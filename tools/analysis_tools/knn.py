"""Weighted k-NN classification on cached features, with a JSON report.

Example::

    python tools/analysis_tools/extract_features.py CONFIG CKPT --out DIR
    python tools/analysis_tools/knn.py DIR --out knn.json

    # a sweep (one report row per k x T), and a cache check
    python tools/analysis_tools/knn.py DIR --k 10 20 200 \
        --temperature 0.07 0.1 --expect-config CONFIG --expect-checkpoint CKPT

The ``train`` split's features are the memory bank, the ``val`` split's are
classified (:func:`mmssl.evaluation.functional.knn_accuracy`: cosine
similarity, votes weighted by ``exp(sim / T)``, Wu et al. 2018). Defaults
``k=200``, ``T=0.07`` (InstDisc, DINO's ``eval_knn``); docs/protocols/knn.md.
"""
import argparse
import itertools
import sys
import time

from tqdm import tqdm

from mmssl.evaluation.feature_cache import FeatureCacheMismatch
from mmssl.evaluation.feature_cache_cli import (add_cache_arguments,
                                                load_train_val)
from mmssl.evaluation.functional.knn import WEIGHTINGS, knn_accuracy
from mmssl.evaluation.functional.retrieval_faiss import BACKENDS
from mmssl.utils.json_report import emit_json_report

# what the report copies from the cache's meta.json
META_KEYS = ('config', 'config_sha256', 'checkpoint', 'checkpoint_sha256',
             'feature', 'num_clips', 'num_crops')


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description='Weighted k-NN on a feature cache (JSON report)')
    add_cache_arguments(parser)
    parser.add_argument('--out', help='JSON report path')
    parser.add_argument(
        '--k', type=int, nargs='+', default=[200],
        help='neighbours (several values: a sweep); default 200 (InstDisc)')
    parser.add_argument(
        '--temperature', type=float, nargs='+', default=[0.07],
        help='temperature T of the exp(sim / T) weights; default 0.07')
    parser.add_argument('--weighting', choices=WEIGHTINGS, default='exp',
                        help="'exp' (InstDisc) or 'uniform' (majority vote)")
    parser.add_argument('--batch-size', type=int, default=1024,
                        help='chunk size of the neighbour search')
    parser.add_argument(
        '--backend', choices=BACKENDS, default='torch',
        help="neighbour search: 'torch' (exact, default) or 'faiss' (needs "
        'the optional faiss-cpu package; float32)')
    return parser.parse_args(argv)


def main(argv=None) -> dict:
    """Run the k-NN grid; print and optionally write the report."""
    args = parse_args(argv)
    (train_feats, train_labels, val_feats, val_labels, num_classes,
     meta) = load_train_val(args)
    grid = list(itertools.product(args.k, args.temperature))
    results = []
    for k, temperature in tqdm(grid, desc='k-NN', disable=len(grid) < 2):
        start = time.time()
        accuracy = knn_accuracy(
            train_feats, train_labels, val_feats, num_classes, k=k,
            temperature=temperature, batch_size=args.batch_size,
            test_labels=val_labels, weighting=args.weighting,
            backend=args.backend)
        results.append(dict(k=k, temperature=temperature, **accuracy,
                            seconds=round(time.time() - start, 3)))
    report = dict(cache=args.cache, **{key: meta.get(key)
                                       for key in META_KEYS})
    report.update(
        num_classes=num_classes,
        num_train=len(train_labels),
        num_val=len(val_labels),
        weighting=args.weighting,
        backend=args.backend,
        top1=results[0]['top1'],
        top5=results[0]['top5'],
        results=results)
    emit_json_report(report, args.out)
    return report


if __name__ == '__main__':
    try:
        main()
    except (FeatureCacheMismatch, FileNotFoundError, ImportError, KeyError,
            ValueError) as error:
        sys.exit(f'{type(error).__name__}: {error}')
