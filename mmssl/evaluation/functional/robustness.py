"""Accuracy of a classifier's predictions and the relative robustness score.

The benchmark study (Kumar et al., Sec. 3 "Evaluation and Analysis", Sec.
4.4, Table 4) scores noise robustness by the relative drop of top-1
accuracy from the clean to the noisy test set::

    relative robustness = (A_clean - A_noisy) / A_clean

(0: unaffected; 1: accuracy gone; negative: the noise helped).
"""
from typing import Sequence

import torch
from torch import Tensor

__all__ = ['prediction_scores_labels', 'top1_accuracy',
           'relative_robustness']


def prediction_scores_labels(samples: Sequence) -> tuple:
    """Class scores and true labels of MMAction2 ``ActionDataSample``s.

    Reads ``pred_score`` / ``gt_label`` (MMAction2 >= 1.2) or
    ``pred_scores.item`` / ``gt_labels.item`` (1.1).

    Returns:
        tuple[Tensor, Tensor]: ``(B, num_classes)`` float scores and
        ``(B,)`` int64 labels.
    """
    scores, labels = [], []
    for sample in samples:
        score = sample.get('pred_score')
        if score is None:
            score = sample.pred_scores.item
        label = sample.get('gt_label')
        if label is None:
            label = sample.gt_labels.item
        scores.append(torch.as_tensor(score).float().reshape(-1))
        labels.append(int(torch.as_tensor(label).reshape(-1)[0]))
    return torch.stack(scores), torch.tensor(labels, dtype=torch.long)


def top1_accuracy(scores: Tensor, labels: Tensor) -> float:
    """Top-1 accuracy in percent; ties go to the lowest class index."""
    if len(labels) == 0:
        raise ValueError('no predictions to score')
    return float((scores.argmax(dim=1) == labels).double().mean() * 100)


def relative_robustness(clean: float, noisy: float) -> float:
    """``(clean - noisy) / clean`` for accuracies on any common scale.

    Raises:
        ValueError: ``clean`` is not positive (the score is undefined).
    """
    if clean <= 0:
        raise ValueError(f'clean accuracy must be > 0 for the relative '
                         f'robustness score, got {clean}')
    return (clean - noisy) / clean
