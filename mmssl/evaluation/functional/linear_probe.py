"""Linear probe: a softmax classifier trained on frozen, cached features.

The recipe is the common linear evaluation of self-supervised learning: a
single linear layer on frozen features, cross-entropy, momentum SGD, no
weight decay, cosine learning-rate decay, about 100 epochs, and the
features normalised per dimension first. The normalisation plays the role
of the parameter-free BatchNorm that MAE (He et al., CVPR 2022, appendix
"Linear probing": ``BatchNorm1d(affine=False)`` before the head in the
released ``main_linprobe.py``; base lr 0.1, weight decay 0, 90 epochs,
cosine; LARS there, plain momentum SGD here) and MoCo v3 put in front of
the linear layer. Here it uses the train-set mean and standard deviation
(what such a BatchNorm's running statistics converge to, without batch
noise), so the probe is a plain convex logistic regression. SimCLR (Chen
et al., ICML 2020, appendix on linear evaluation) also trains it with
momentum SGD and no weight decay. Details and the measured speed:
docs/protocols/linear_probe.md.

The classifier starts at zero (the optimum of this convex problem does not
depend on the start; zero makes runs independent of initialisation draws),
and the only randomness is the seeded mini-batch order, so a run is
deterministic given ``seed``.
"""
import math
import time
from typing import Dict, Tuple, Union

import torch
import torch.nn as nn
import torch.nn.functional as F

__all__ = ['train_linear_probe', 'topk_accuracy']


def topk_accuracy(logits: torch.Tensor, labels: torch.Tensor,
                  k: int) -> float:
    """Percentage of rows whose label is among the ``k`` highest logits.

    Args:
        logits (torch.Tensor): ``(N, C)``.
        labels (torch.Tensor): ``(N,)`` class indices.
        k (int): Cut-off, clipped to ``C``.

    Returns:
        float: Accuracy in percent (0 for ``N = 0``).
    """
    if len(labels) == 0:
        return 0.0
    top = logits.topk(min(k, logits.shape[1]), dim=1).indices
    return (top == labels[:, None]).any(dim=1).float().mean().item() * 100


def _check(feats: torch.Tensor, labels: torch.Tensor, num_classes: int,
           name: str) -> None:
    if feats.dim() != 2 or labels.dim() != 1 or len(feats) != len(labels):
        raise ValueError(f'{name}: expected feats (N, D) and labels (N,), '
                         f'got {tuple(feats.shape)} and {tuple(labels.shape)}')
    if len(labels) and (labels.min() < 0 or labels.max() >= num_classes):
        raise ValueError(f'{name}: labels must lie in [0, {num_classes}), got '
                         f'[{labels.min().item()}, {labels.max().item()}]')


def cosine_lr(base_lr: float, epoch: int, epochs: int) -> float:
    """Per-epoch cosine decay to 0 (MMEngine ``CosineAnnealingLR``,
    ``by_epoch=True``, ``T_max=epochs``, ``eta_min=0``)."""
    return base_lr * 0.5 * (1 + math.cos(math.pi * epoch / epochs))


def train_linear_probe(
        train_feats: torch.Tensor,
        train_labels: torch.Tensor,
        val_feats: torch.Tensor,
        val_labels: torch.Tensor,
        num_classes: int,
        epochs: int = 100,
        lr: float = 0.1,
        weight_decay: float = 0.0,
        batch_size: int = 256,
        seed: int = 0,
        momentum: float = 0.9,
        standardize: bool = True,
        return_classifier: bool = False
) -> Union[Dict, Tuple[Dict, nn.Linear]]:
    """Train a linear classifier on ``train_feats`` and score ``val_feats``.

    Args:
        train_feats (torch.Tensor): ``(N, D)`` frozen features.
        train_labels (torch.Tensor): ``(N,)`` class indices.
        val_feats (torch.Tensor): ``(M, D)``.
        val_labels (torch.Tensor): ``(M,)``.
        num_classes (int): Number of classes ``C``.
        epochs (int): Passes over the train features.
        lr (float): Peak learning rate (cosine-decayed per epoch).
        weight_decay (float): L2 penalty of SGD (on weight and bias).
        batch_size (int): Mini-batch size; ``>= N`` is full-batch descent.
        seed (int): Seed of the mini-batch order.
        momentum (float): SGD momentum.
        standardize (bool): Normalise every dimension with the train-set
            mean and standard deviation (``sqrt(var + 1e-6)``) first.
        return_classifier (bool): Also return the trained layer (it acts on
            standardised features if ``standardize``).

    Returns:
        dict: ``top1``, ``top5`` (val, percent), ``train_top1``, ``epochs``,
        ``seconds`` and the settings; with ``return_classifier`` a tuple
        ``(report, nn.Linear)``.
    """
    _check(train_feats, train_labels, num_classes, 'train')
    _check(val_feats, val_labels, num_classes, 'val')
    if len(train_feats) == 0:
        raise ValueError('train: no features to train the probe on')
    if epochs < 1 or batch_size < 1:
        raise ValueError(f'epochs and batch_size must be >= 1, got {epochs} '
                         f'and {batch_size}')
    start = time.time()
    train_feats = train_feats.float()
    val_feats = val_feats.float()
    train_labels, val_labels = train_labels.long(), val_labels.long()
    if standardize:
        mean = train_feats.mean(dim=0)
        std = (train_feats.var(dim=0, unbiased=False) + 1e-6).sqrt()
        train_feats = (train_feats - mean) / std
        val_feats = (val_feats - mean) / std
    classifier = nn.Linear(train_feats.shape[1], num_classes)
    nn.init.zeros_(classifier.weight)
    nn.init.zeros_(classifier.bias)
    optimizer = torch.optim.SGD(
        classifier.parameters(),
        lr=lr,
        momentum=momentum,
        weight_decay=weight_decay)
    generator = torch.Generator().manual_seed(seed)
    num_train = len(train_feats)
    for epoch in range(epochs):
        for group in optimizer.param_groups:
            group['lr'] = cosine_lr(lr, epoch, epochs)
        order = torch.randperm(num_train, generator=generator)
        for begin in range(0, num_train, batch_size):
            batch = order[begin:begin + batch_size]
            loss = F.cross_entropy(
                classifier(train_feats[batch]), train_labels[batch])
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
    with torch.no_grad():
        val_logits = classifier(val_feats)
        train_logits = classifier(train_feats)
    report = dict(
        top1=topk_accuracy(val_logits, val_labels, 1),
        top5=topk_accuracy(val_logits, val_labels, 5),
        train_top1=topk_accuracy(train_logits, train_labels, 1),
        epochs=epochs,
        seconds=round(time.time() - start, 3),
        num_train=num_train,
        num_val=len(val_feats),
        lr=lr,
        weight_decay=weight_decay,
        momentum=momentum,
        batch_size=batch_size,
        standardize=standardize,
        seed=seed)
    return (report, classifier) if return_classifier else report
