"""Collapse statistics of a batch of embeddings.

Two cheap signals that a self-supervised representation degenerates:

- **Per-dimension standard deviation of L2-normalised embeddings**
  (Chen & He, "Exploring Simple Siamese Representation Learning",
  CVPR 2021, Sec. 4.1 and Fig. 2): if the ``D``-dimensional outputs
  collapse to a constant vector, the std of every dimension over the
  samples goes to 0; for outputs spread like an isotropic Gaussian it is
  about ``1 / sqrt(D)`` (reported as ``std_reference``).
- **Effective rank** (Roy & Vetterli, "The effective rank: a measure of
  effective dimensionality", EUSIPCO 2007): ``exp(H(p))`` with ``p`` the
  singular values of the (L2-normalised, uncentred) embedding matrix
  divided by their sum and ``H`` the Shannon entropy. 1 when all
  embeddings are parallel, ``D`` when the singular values are all equal
  (e.g. orthonormal rows); dimensional collapse shows as a rank far
  below ``D`` while the std may still look healthy.
"""
import math
from typing import Dict

import torch
import torch.nn.functional as F
from torch import Tensor

from .feature_checks import as_features

__all__ = ['embedding_stats', 'effective_rank']


def effective_rank(matrix: Tensor) -> float:
    """Roy & Vetterli's effective rank of a 2-D matrix.

    Args:
        matrix (Tensor): ``(N, D)``.

    Returns:
        float: ``exp(-sum_i p_i log p_i)``, ``p_i = s_i / sum_j s_j`` over
        the singular values ``s``; 0 for an all-zero matrix.
    """
    singular = torch.linalg.svdvals(matrix.double())
    total = singular.sum()
    if total <= 0:
        return 0.0
    p = singular / total
    p = p[p > 0]
    return float(torch.exp(-(p * p.log()).sum()))


def embedding_stats(feats: Tensor) -> Dict[str, float]:
    """Collapse statistics of ``N`` embeddings (see the module docstring).

    Args:
        feats (Tensor): ``(N, D)`` embeddings (normalised here; rows of
            zeros stay zero).

    Returns:
        dict: ``std_mean`` / ``std_min`` (mean and minimum over the ``D``
        dimensions of the population std over the ``N`` L2-normalised
        rows), ``std_reference`` (``1 / sqrt(D)``) and ``effective_rank``.

    Raises:
        ValueError: On malformed, empty or non-finite input.
    """
    feats = as_features('feats', feats)
    normed = F.normalize(feats.double(), dim=1)
    std = normed.std(dim=0, unbiased=False)
    return dict(
        std_mean=float(std.mean()),
        std_min=float(std.min()),
        std_reference=1.0 / math.sqrt(feats.shape[1]),
        effective_rank=effective_rank(normed))
