"""t-SNE of cached video features, coloured by class (PNG + JSON).

Example::

    python tools/analysis_tools/extract_features.py CONFIG CKPT --out DIR
    python tools/analysis_tools/tsne.py DIR --splits train val \
        --classes data/synthmotion/classes.txt --out-dir work_dirs/tsne

Reads the feature cache of ``extract_features.py``
(:mod:`mmssl.evaluation.feature_cache`: one feature per video, the mean over
its clips) and draws scikit-learn's t-SNE of the chosen splits
(:mod:`mmssl.visualization.embedding`). The report adds the silhouette
score of the classes (cosine, in feature space and on the map): a number
to compare checkpoints with, where the picture is only a picture.
"""
import argparse
import os.path as osp
import sys

import numpy as np
import torch
from tqdm import tqdm

from mmssl.datasets.subsets import read_class_names
from mmssl.evaluation.feature_cache import (FeatureCacheMismatch,
                                            load_feature_cache)
from mmssl.utils.json_report import emit_json_report
from mmssl.visualization.embedding import plot_embedding, tsne_embedding


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description='t-SNE of cached features coloured by class')
    parser.add_argument('cache', help='directory of extract_features.py')
    parser.add_argument('--splits', nargs='+', default=['val'])
    parser.add_argument('--out-dir', required=True)
    parser.add_argument('--classes', help='class names, one per line')
    parser.add_argument('--perplexity', type=float, default=30.0)
    parser.add_argument('--seed', type=int, default=0)
    parser.add_argument('--title', default='')
    parser.add_argument('--expect-checkpoint',
                        help='checkpoint (or "none") the cache must come from')
    return parser.parse_args(argv)


def silhouette(points: np.ndarray, labels: np.ndarray, metric: str):
    """Silhouette score, or None with fewer than 2 classes."""
    from sklearn.metrics import silhouette_score
    if len(set(labels.tolist())) < 2 or len(set(labels.tolist())) >= len(
            labels):
        return None
    return round(float(silhouette_score(points, labels, metric=metric)), 4)


def main(argv=None) -> dict:
    args = parse_args(argv)
    feats, labels, meta = [], [], None
    for split in tqdm(args.splits, desc='reading cache'):
        f, l_, meta = load_feature_cache(
            args.cache, split,
            expect_checkpoint=args.expect_checkpoint if meta is None
            else None)
        feats.append(f)
        labels.append(l_)
    feats = torch.cat(feats).numpy()
    labels = torch.cat(labels).numpy()
    names = read_class_names(args.classes) if args.classes else None
    points, kl, perplexity = tsne_embedding(feats, args.perplexity,
                                            args.seed)
    png = osp.join(args.out_dir, 'tsne.png')
    title = args.title or (f't-SNE of {len(feats)} videos '
                           f'({"+".join(args.splits)}), '
                           f'{osp.basename(str(meta.get("checkpoint")))}')
    plot_embedding(points, labels, png, names, title)
    report = dict(
        cache=args.cache, checkpoint=meta.get('checkpoint'),
        config=meta.get('config'), splits=args.splits,
        num_points=len(feats), dim=int(feats.shape[1]),
        perplexity=perplexity, seed=args.seed, kl_divergence=round(kl, 4),
        silhouette_features_cosine=silhouette(feats, labels, 'cosine'),
        silhouette_tsne=silhouette(points, labels, 'euclidean'), png=png)
    return emit_json_report(report, osp.join(args.out_dir, 'tsne.json'))


if __name__ == '__main__':
    try:
        main()
    except (FeatureCacheMismatch, FileNotFoundError, KeyError,
            ValueError) as error:
        sys.exit(f'{type(error).__name__}: {error}')
