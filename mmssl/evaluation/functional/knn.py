"""Weighted k-nearest-neighbour classification of frozen features.

The non-parametric protocol of Wu et al., "Unsupervised Feature Learning
via Non-Parametric Instance Discrimination" (InstDisc, CVPR 2018, Sec. 3.4),
used as the standard k-NN evaluation of self-supervised features (DINO,
Caron et al., ICCV 2021, ``eval_knn.py``): the training set is the memory
bank; each test feature finds its ``k`` most cosine-similar training
features, each neighbour votes for its label with weight
``exp(similarity / T)``, and the class with the largest summed weight wins.
Defaults ``k=200``, ``T=0.07`` are InstDisc's (DINO reports 20 and 200 with
``T=0.07``).

Neighbours come from :func:`topk_neighbours`, which streams over chunks of
both sets, so 20k x 20k features never form a full similarity matrix; the
votes are scattered into an ``(N_test, num_classes)`` score matrix.
"""
from typing import Dict, Optional

import torch
from torch import Tensor

from .feature_checks import as_features, as_labels
from .retrieval import topk_neighbours

__all__ = ['knn_classify', 'knn_accuracy']

WEIGHTINGS = ('exp', 'uniform')


def _check_labels(labels: Tensor, num_classes: int, name: str) -> Tensor:
    if labels.is_floating_point() or labels.dtype == torch.bool:
        raise ValueError(f'{name} must be integer class indices, got dtype '
                         f'{labels.dtype}')
    labels = labels.long()
    if labels.numel() and (labels.min() < 0 or labels.max() >= num_classes):
        raise ValueError(
            f'{name} must lie in [0, {num_classes}) (num_classes='
            f'{num_classes}), got range [{int(labels.min())}, '
            f'{int(labels.max())}]')
    return labels


def _drop_self(indices: Tensor, sims: Tensor, k: int):
    """Remove each query's own index from its ``k + 1`` neighbours.

    Args:
        indices (Tensor): ``(N, k + 1)`` neighbour indices of the set
            against itself, most similar first.
        sims (Tensor): ``(N, k + 1)`` their similarities.
        k (int): Neighbours to keep.

    Returns:
        tuple[Tensor, Tensor]: ``(N, k)`` indices and similarities without
        the query itself (if it is absent, e.g. behind duplicates of itself,
        the least similar neighbour is dropped instead).
    """
    keep = indices != torch.arange(
        len(indices), device=indices.device)[:, None]
    keep[keep.all(dim=1), -1] = False
    return indices[keep].view(-1, k), sims[keep].view(-1, k)


def knn_classify(train_feats: Tensor,
                 train_labels: Tensor,
                 test_feats: Tensor,
                 num_classes: int,
                 k: int = 200,
                 temperature: float = 0.07,
                 batch_size: int = 1024,
                 weighting: str = 'exp',
                 leave_one_out: bool = False,
                 backend: str = 'torch') -> Tensor:
    """Class scores of test features by a weighted vote of k neighbours.

    Features are L2-normalised inside (cosine similarity). The score of
    class ``c`` for a test feature is ``sum_{j in N_k, y_j = c} w_j`` with
    ``w_j = exp(s_j / T)`` (``weighting='exp'``, Wu et al. 2018) or
    ``w_j = 1`` (``'uniform'``: a majority vote, scikit-learn's
    ``KNeighborsClassifier(weights='uniform')`` times ``k``).

    Args:
        train_feats (Tensor): ``(N_train, D)`` memory-bank features.
        train_labels (Tensor): ``(N_train,)`` labels in ``[0, C)``.
        test_feats (Tensor): ``(N_test, D)`` features to classify.
        num_classes (int): ``C``.
        k (int): Neighbours; clipped (with a warning) to the bank size.
            Defaults to 200 (InstDisc).
        temperature (float): ``T`` of the exponential weights. Defaults
            to 0.07 (InstDisc, DINO).
        batch_size (int): Chunk size of both sets in the neighbour search.
        weighting (str): ``'exp'`` or ``'uniform'``.
        leave_one_out (bool): ``test_feats`` is the memory bank itself
            (same rows): each item's own entry is excluded from its
            neighbours.
        backend (str): Neighbour search of :func:`topk_neighbours`:
            ``'torch'`` (default, exact) or ``'faiss'`` (optional package
            ``faiss-cpu``, float32).

    Returns:
        Tensor: ``(N_test, C)`` float scores (not normalised).

    Raises:
        ValueError: On malformed input (shapes, labels out of range,
            non-positive ``k``/``temperature``, unknown ``weighting``).
    """
    if weighting not in WEIGHTINGS:
        raise ValueError(f'weighting must be one of {WEIGHTINGS}, got '
                         f'{weighting!r}')
    if weighting == 'exp' and not temperature > 0:
        raise ValueError(f'temperature must be > 0, got {temperature!r}')
    if isinstance(num_classes, bool) or not isinstance(num_classes, int) \
            or num_classes < 1:
        raise ValueError(f'num_classes must be a positive int, got '
                         f'{num_classes!r}')
    if isinstance(k, bool) or not isinstance(k, int) or k < 1:
        raise ValueError(f'k must be a positive int, got {k!r}')
    train_feats = as_features('train_feats', train_feats)
    train_labels = _check_labels(
        as_labels('train_labels', train_labels, train_feats.shape[0],
                   'train_feats'), num_classes, 'train_labels')
    if leave_one_out:
        if test_feats is not train_feats and not torch.equal(
                as_features('test_feats', test_feats), train_feats):
            raise ValueError('leave_one_out=True needs test_feats to be '
                             'train_feats (the same rows)')
        if train_feats.shape[0] < 2:
            raise ValueError('leave_one_out needs at least 2 items')
        k = min(k, train_feats.shape[0] - 1)
        indices, sims = topk_neighbours(train_feats, train_feats, k + 1,
                                        batch_size, backend=backend)
        indices, sims = _drop_self(indices, sims, k)
    else:
        indices, sims = topk_neighbours(test_feats, train_feats, k,
                                        batch_size, backend=backend)
    if weighting == 'exp':
        weights = (sims / temperature).exp()
    else:
        weights = torch.ones_like(sims)
    scores = weights.new_zeros((indices.shape[0], num_classes))
    return scores.scatter_add_(
        1, train_labels.to(indices.device)[indices], weights)


def knn_accuracy(train_feats: Tensor,
                 train_labels: Tensor,
                 test_feats: Tensor,
                 num_classes: int,
                 k: int = 200,
                 temperature: float = 0.07,
                 batch_size: int = 1024,
                 test_labels: Optional[Tensor] = None,
                 **kwargs) -> Dict[str, float]:
    """Top-1 / top-5 accuracy (percent) of :func:`knn_classify`.

    Args:
        train_feats, train_labels, test_feats, num_classes, k,
            temperature, batch_size: As :func:`knn_classify`.
        test_labels (Tensor): ``(N_test,)`` true labels (required).
        **kwargs: ``weighting`` / ``leave_one_out`` / ``backend`` of
            :func:`knn_classify`.

    Returns:
        dict: ``top1`` and ``top5`` in percent (top-5 counts the best
        ``min(5, C)`` classes; equal scores rank the lower class first).
    """
    if test_labels is None:
        raise ValueError('knn_accuracy needs test_labels')
    scores = knn_classify(train_feats, train_labels, test_feats,
                          num_classes, k, temperature, batch_size, **kwargs)
    test_labels = _check_labels(
        as_labels('test_labels', test_labels, scores.shape[0],
                   'test_feats'), num_classes, 'test_labels')
    # stable: among equal scores the lower class index ranks first (as
    # scikit-learn's argmax of predict_proba)
    ranked = scores.sort(dim=1, descending=True, stable=True).indices
    ranked = ranked[:, :min(5, num_classes)]
    hit = ranked == test_labels.to(ranked.device)[:, None]
    n = float(len(test_labels))
    return dict(
        top1=100.0 * float(hit[:, 0].sum()) / n,
        top5=100.0 * float(hit.any(dim=1).sum()) / n)
