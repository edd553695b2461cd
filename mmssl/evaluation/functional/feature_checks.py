"""Input checks shared by the frozen-feature evaluation functions
(retrieval, k-NN, collapse statistics): each raises a ``ValueError`` that
names the offending argument."""
from typing import Tuple

import torch
from torch import Tensor

__all__ = [
    'as_features', 'as_labels', 'check_pair', 'check_batch_size', 'check_ks'
]


def as_features(name: str, x) -> Tensor:
    """``x`` as a finite 2-D ``(N, D)`` float tensor (half and integer types
    become float32), or a ``ValueError`` naming ``name``."""
    x = torch.as_tensor(x)
    if x.dim() != 2:
        raise ValueError(f'{name} must be 2-D (N, D), got shape '
                         f'{tuple(x.shape)}')
    if x.shape[0] == 0:
        raise ValueError(f'{name} is empty (shape {tuple(x.shape)})')
    if x.shape[1] == 0:
        raise ValueError(f'{name} has feature dimension 0')
    if not x.is_floating_point() or x.dtype in (torch.float16,
                                                torch.bfloat16):
        x = x.float()
    if not torch.isfinite(x).all():
        raise ValueError(f'{name} contains NaN or Inf values')
    return x


def as_labels(name: str, y, n: int, feats_name: str) -> Tensor:
    """``y`` as a 1-D ``(n,)`` tensor, or a ``ValueError`` naming ``name``
    and ``feats_name``."""
    y = torch.as_tensor(y)
    if y.dim() != 1:
        raise ValueError(f'{name} must be 1-D (N,), got shape '
                         f'{tuple(y.shape)}')
    if y.shape[0] != n:
        raise ValueError(f'{name} has {y.shape[0]} entries but {feats_name} '
                         f'has {n} rows')
    return y


def check_pair(query: Tensor, gallery: Tensor, q_name: str,
               g_name: str) -> Tuple[Tensor, Tensor]:
    """Equal feature dimensions; both cast to the promoted dtype."""
    if query.shape[1] != gallery.shape[1]:
        raise ValueError(f'feature dimensions differ: {q_name} has '
                         f'{query.shape[1]}, {g_name} has {gallery.shape[1]}')
    dtype = torch.promote_types(query.dtype, gallery.dtype)
    return query.to(dtype), gallery.to(dtype)


def check_batch_size(batch_size: int) -> None:
    """A positive int, or a ``ValueError``."""
    if isinstance(batch_size, bool) or not isinstance(batch_size, int) \
            or batch_size < 1:
        raise ValueError(
            f'batch_size must be a positive int, got {batch_size!r}')


def check_ks(ks) -> Tuple[int, ...]:
    """``ks`` as a non-empty tuple of positive ints (an int is one ``k``).

    Raises:
        ValueError: Otherwise, showing the value.
    """
    if isinstance(ks, int):
        ks = (ks, )
    ks = tuple(ks)
    if not ks or any(
            isinstance(k, bool) or not isinstance(k, int) or k < 1
            for k in ks):
        raise ValueError(f'ks must be a non-empty sequence of positive ints, '
                         f'got {ks!r}')
    return ks
