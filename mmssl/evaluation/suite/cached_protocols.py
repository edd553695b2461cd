"""Retrieval, k-NN and linear probe on one feature cache.

The three protocols read the same cached video features (one extraction
through the config's retrieval test pipeline, :mod:`mmssl.evaluation.
feature_cache`): the ``train`` split is the gallery / memory bank / probe
training set, the ``val`` split the queries / test set. Each function here
is glue around the protocol's own pure function, so the numbers equal what
the standalone tools (``tools/analysis_tools/{retrieval,knn,
linear_probe}.py``) report on the same features.
"""
import time
from typing import Optional, Sequence

from torch import Tensor

__all__ = ['cached_retrieval', 'cached_knn', 'cached_linear_probe']


def cached_retrieval(train_feats: Tensor,
                     train_labels: Tensor,
                     val_feats: Tensor,
                     val_labels: Tensor,
                     ks: Sequence[int] = (1, 5, 10, 20, 50),
                     **settings) -> dict:
    """Recall@k, train videos as the gallery and val videos as queries
    (:func:`mmssl.evaluation.functional.retrieval_recall_per_class`;
    ``settings``: ``center``, ``l2_normalize``, ``batch_size``).

    Returns:
        dict: ``{'R@k': fraction, ...}``, ``num_gallery``, ``num_query``
        and ``per_class`` (``{label: {'num_queries', 'R@k', ...}}``) as
        ``tools/analysis_tools/retrieval.py`` writes them.
    """
    from mmssl.evaluation.functional.retrieval import \
        retrieval_recall_per_class
    result = retrieval_recall_per_class(
        train_feats, train_labels, val_feats, val_labels, ks=ks, **settings)
    report = {f'R@{k}': value for k, value in result['recall'].items()}
    report.update(
        num_gallery=int(train_labels.numel()),
        num_query=int(val_labels.numel()),
        per_class={
            str(label): dict(
                num_queries=result['num_queries'][label],
                **{f'R@{k}': v
                   for k, v in recall.items()})
            for label, recall in result['per_class'].items()
        })
    return report


def cached_knn(train_feats: Tensor, train_labels: Tensor, val_feats: Tensor,
               val_labels: Tensor, num_classes: int, **settings) -> dict:
    """Weighted k-NN top-1/top-5 in percent
    (:func:`mmssl.evaluation.functional.knn.knn_accuracy`)."""
    from mmssl.evaluation.functional.knn import knn_accuracy
    start = time.time()
    report = dict(
        knn_accuracy(
            train_feats,
            train_labels,
            val_feats,
            num_classes,
            test_labels=val_labels,
            **settings))
    report.update(settings, seconds=round(time.time() - start, 2))
    return report


def cached_linear_probe(train_feats: Tensor,
                        train_labels: Tensor,
                        val_feats: Tensor,
                        val_labels: Tensor,
                        num_classes: int,
                        seed: Optional[int] = 0,
                        **settings) -> dict:
    """Linear probe top-1/top-5 in percent
    (:func:`mmssl.evaluation.functional.linear_probe.train_linear_probe`)."""
    from mmssl.evaluation.functional.linear_probe import train_linear_probe
    return dict(
        train_linear_probe(
            train_feats,
            train_labels,
            val_feats,
            val_labels,
            num_classes,
            seed=seed,
            **settings))
