"""Classification metrics of video predictions: top-k accuracy, mean class
accuracy, macro precision / recall / F1 and the confusion matrix.

The multi-task video SSL paper of this project (docs/protocols/
classification_metrics.md) reports accuracy, precision, recall and F1; the
usual fine-tuning tables report top-1 / top-5 and mean class accuracy.
Definitions follow scikit-learn (checked against it in
``tests/test_evaluation/test_classification_report.py``):

- ``top{k}``: a video is correct if its label is among the ``k`` highest
  scores (``sklearn.metrics.top_k_accuracy_score``), i.e. fewer than ``k``
  classes score strictly higher than the label; exact ties at the cut
  therefore count as correct (scikit-learn and MMAction2 cut an argsort,
  whose order among equal scores is unspecified). The top-1 prediction of
  the confusion matrix is the first maximum (lowest class index).
- ``mean_class_accuracy``: the mean over the classes *present in the
  labels* of their recall (``sklearn.metrics.balanced_accuracy_score``).
  MMAction2's ``mean_class_accuracy`` also averages a 0 for classes that
  are only predicted, never labelled; on a val set with every class both
  agree.
- ``macro_precision`` / ``macro_recall`` / ``macro_f1``: per-class values
  averaged with equal weight over the classes that occur in the labels or
  the predictions (``precision_recall_fscore_support(average='macro',
  zero_division=0)`` with its default ``labels``): a class never predicted
  has precision 0, a class never labelled has recall 0, and F1 is 0 where
  precision + recall is 0. Macro F1 is the mean of per-class F1, not the
  F1 of the macro precision and recall.

All values are fractions in ``[0, 1]`` like MMAction2's ``AccMetric``.
"""
from typing import Dict, Sequence, Union

import numpy as np
import torch

__all__ = [
    'confusion_matrix', 'topk_accuracy', 'classification_metrics',
    'precision_recall_f1'
]

ArrayLike = Union[np.ndarray, torch.Tensor, Sequence]


def _as_scores_labels(scores: ArrayLike, labels: ArrayLike):
    scores = np.asarray(
        scores.detach().cpu() if isinstance(scores, torch.Tensor) else scores,
        dtype=np.float64)
    labels = np.asarray(
        labels.detach().cpu() if isinstance(labels, torch.Tensor) else labels)
    if scores.ndim != 2 or scores.shape[0] == 0 or scores.shape[1] == 0:
        raise ValueError('scores must be a non-empty 2-D (N, num_classes) '
                         f'array, got shape {scores.shape}')
    if labels.shape != (scores.shape[0], ):
        raise ValueError(f'labels must be 1-D with {scores.shape[0]} '
                         f'entries (one per score row), got {labels.shape}')
    if not np.issubdtype(labels.dtype, np.integer):
        raise ValueError(f'labels must be integers, got {labels.dtype}')
    if labels.min() < 0 or labels.max() >= scores.shape[1]:
        raise ValueError(
            f'labels must lie in [0, {scores.shape[1] - 1}] (the score '
            f'columns), got range [{labels.min()}, {labels.max()}]')
    if not np.isfinite(scores).all():
        raise ValueError('scores contain NaN or Inf values')
    return scores, labels.astype(np.int64)


def confusion_matrix(preds: ArrayLike, labels: ArrayLike,
                     num_classes: int) -> np.ndarray:
    """Counts ``cm[true, pred]`` (rows: labels, columns: predictions).

    Args:
        preds (array-like): ``(N,)`` predicted classes.
        labels (array-like): ``(N,)`` true classes.
        num_classes (int): Matrix size ``C``.

    Returns:
        np.ndarray: ``(C, C)`` int64, as
        ``sklearn.metrics.confusion_matrix(labels, preds,
        labels=range(C))``.
    """
    preds = np.asarray(preds, dtype=np.int64)
    labels = np.asarray(labels, dtype=np.int64)
    return np.bincount(
        labels * num_classes + preds,
        minlength=num_classes * num_classes).reshape(num_classes, num_classes)


def topk_accuracy(scores: ArrayLike, labels: ArrayLike,
                  ks: Sequence[int] = (1, 5)) -> Dict[int, float]:
    """Fraction of rows whose label is among the ``k`` highest scores.

    Args:
        scores (array-like): ``(N, C)`` class scores.
        labels (array-like): ``(N,)`` class indices.
        ks (Sequence[int]): Cut-offs; a ``k`` above ``C`` counts as ``C``.

    Returns:
        dict[int, float]: ``{k: accuracy}``.
    """
    scores, labels = _as_scores_labels(scores, labels)
    # rank of the true class: classes scoring strictly higher
    true_scores = scores[np.arange(len(labels)), labels]
    rank = (scores > true_scores[:, None]).sum(axis=1)
    return {int(k): float((rank < k).mean()) for k in ks}


def precision_recall_f1(cm: np.ndarray) -> Dict[str, np.ndarray]:
    """Per-class precision, recall, F1 and support of a confusion matrix.

    Args:
        cm (np.ndarray): ``(C, C)`` counts, rows true, columns predicted.

    Returns:
        dict: ``precision``, ``recall``, ``f1`` (``(C,)`` float, 0 where
        undefined: zero_division=0), ``support`` (``(C,)`` labelled count),
        ``predicted`` (``(C,)`` predicted count).
    """
    tp = np.diag(cm).astype(np.float64)
    support = cm.sum(axis=1)
    predicted = cm.sum(axis=0)
    precision = np.divide(tp, predicted, out=np.zeros_like(tp),
                          where=predicted > 0)
    recall = np.divide(tp, support, out=np.zeros_like(tp), where=support > 0)
    denom = precision + recall
    f1 = np.divide(2 * precision * recall, denom, out=np.zeros_like(tp),
                   where=denom > 0)
    return dict(precision=precision, recall=recall, f1=f1, support=support,
                predicted=predicted)


def classification_metrics(scores: ArrayLike,
                           labels: ArrayLike,
                           topk: Sequence[int] = (1, 5)) -> dict:
    """All classification metrics of one evaluation (module docstring).

    Args:
        scores (array-like): ``(N, C)`` class scores (probabilities or
            logits; only their order matters).
        labels (array-like): ``(N,)`` class indices in ``[0, C)``.
        topk (Sequence[int]): Top-k cut-offs. Defaults to ``(1, 5)``.

    Returns:
        dict: ``top{k}`` for each ``k``, ``mean_class_accuracy``,
        ``macro_precision``, ``macro_recall``, ``macro_f1`` (floats),
        ``confusion_matrix`` (``(C, C)`` int64 array) and ``per_class``
        (dict of ``(C,)`` arrays from :func:`precision_recall_f1`).

    Raises:
        ValueError: On malformed shapes, labels outside the score columns
            or non-finite scores.
    """
    scores, labels = _as_scores_labels(scores, labels)
    num_classes = scores.shape[1]
    preds = scores.argmax(axis=1)  # first maximum: lowest class on ties
    cm = confusion_matrix(preds, labels, num_classes)
    per_class = precision_recall_f1(cm)
    present = (per_class['support'] > 0) | (per_class['predicted'] > 0)
    labelled = per_class['support'] > 0
    out = {
        f'top{k}': v
        for k, v in topk_accuracy(scores, labels, topk).items()
    }
    out.update(
        mean_class_accuracy=float(per_class['recall'][labelled].mean()),
        macro_precision=float(per_class['precision'][present].mean()),
        macro_recall=float(per_class['recall'][present].mean()),
        macro_f1=float(per_class['f1'][present].mean()),
        confusion_matrix=cm,
        per_class=per_class)
    return out
