"""Shuffle similarity: minimum matching distance of vectors split in parts.

Segment sample-rate order prediction (IEEE TCSVT 2021, DOI
10.1109/TCSVT.2021.3114209), Sec. III-F, Eq. 9-12 and Algorithm 1.
"""
import torch
from torch import Tensor


def _split_parts(x: Tensor, k: int, name: str) -> Tensor:
    """``(N, D)`` -> ``(N, k, D / k)``; a clear error if ``k`` does not
    divide ``D``."""
    if x.dim() != 2:
        raise ValueError(f'shuffle_distance: {name} must be (N, D), got '
                         f'{tuple(x.shape)}')
    if k < 1 or x.shape[1] % k != 0:
        raise ValueError(
            f'shuffle_distance: the feature size D={x.shape[1]} of {name} '
            f'must be divisible by the number of parts k={k} (choose the '
            'projection size as a multiple of the number of segments)')
    return x.reshape(x.shape[0], k, x.shape[1] // k)


def greedy_matching_sum(part_dist: Tensor) -> Tensor:
    """Algorithm 1, lines 8-13, on a batch of ``k x k`` distance matrices.

    ``k`` times: take the smallest remaining entry ``D[m, n]`` (ties: the
    first in row-major order), add it to the distance and remove row ``m``
    and column ``n``. Vectorised over the leading dimensions; the loop runs
    over the ``k`` steps only. Differentiable: the gradient reaches the
    ``k`` selected entries.

    Args:
        part_dist (Tensor): ``(..., k, k)`` part distances.

    Returns:
        Tensor: ``(...)`` minimum matching distances.
    """
    k = part_dist.shape[-1]
    if part_dist.shape[-2] != k:
        raise ValueError(f'expected (..., k, k) distances, got '
                         f'{tuple(part_dist.shape)}')
    lead = part_dist.shape[:-2]
    flat = part_dist.reshape(*lead, k * k)
    removed = torch.zeros_like(flat, dtype=torch.bool)
    rows = torch.arange(k * k, device=flat.device) // k
    cols = torch.arange(k * k, device=flat.device) % k
    total = flat.new_zeros(lead)
    for _ in range(k):
        value, idx = flat.masked_fill(removed, float('inf')).min(dim=-1)
        total = total + value
        hit_row = (rows == (idx // k).unsqueeze(-1))
        hit_col = (cols == (idx % k).unsqueeze(-1))
        removed = removed | hit_row | hit_col
    return total


def _part_distances(x: Tensor, y: Tensor, k: int, squared: bool) -> Tensor:
    """``(N, M, k, k)`` Euclidean distances between the parts of every
    ``x_n`` and ``y_m``: entry ``[n, m, i, j] = ||x_n^(i) - y_m^(j)||``."""
    xp = _split_parts(x, k, 'x').transpose(0, 1)  # (k, N, d)
    yp = _split_parts(y, k, 'y').transpose(0, 1)  # (k, M, d)
    if xp.shape[-1] != yp.shape[-1]:
        raise ValueError(f'shuffle_distance: x and y differ in feature size '
                         f'({x.shape[1]} vs {y.shape[1]})')
    # (||a||^2 + ||b||^2 - 2 a.b) for all part pairs in one batched matmul
    dot = torch.einsum('ind,jmd->nmij', xp, yp)
    sq = ((xp * xp).sum(-1).t()[:, None, :, None] +
          (yp * yp).sum(-1).t()[None, :, None, :] - 2 * dot).clamp_min(0)
    if squared:
        return sq
    # sqrt'(0) is infinite: identical parts get a zero gradient instead
    return torch.where(sq > 0, sq.clamp_min(1e-12).sqrt(), sq)


def shuffle_distance(x: Tensor, y: Tensor, k: int,
                     squared: bool = False) -> Tensor:
    """Minimum matching distance of Algorithm 1 for all pairs ``(x_n, y_m)``.

    Each vector is split into ``k`` equal parts (``k`` = the number of
    segments of a clip); ``D[i, j] = ||x^(i) - y^(j)||_2`` (Eq. 9); the
    greedy matching of :func:`greedy_matching_sum` sums ``k`` entries, one
    per row and column. The result does not change when the parts of one
    vector are permuted (up to ties).

    Args:
        x (Tensor): ``(N, D)``.
        y (Tensor): ``(M, D)``, ``D`` divisible by ``k``.
        k (int): Number of parts.
        squared (bool): Sum squared part distances instead. The greedy
            matching is the same (the square is monotone); for
            L2-normalised ``x``, ``y`` the sum is ``2 - 2 cos(x, y')`` with
            ``y'`` the parts of ``y`` reordered by the matching.

    Returns:
        Tensor: ``(N, M)`` distances (dtype of the inputs, float32 for
        half precision).
    """
    if x.dtype in (torch.float16, torch.bfloat16):
        x, y = x.float(), y.float()
    return greedy_matching_sum(_part_distances(x, y.to(x), k, squared))


def paired_shuffle_distance(x: Tensor, y: Tensor, k: int,
                            squared: bool = False) -> Tensor:
    """:func:`shuffle_distance` of the rows ``(x_n, y_n)`` only.

    Args:
        x (Tensor): ``(N, D)``.
        y (Tensor): ``(N, D)``.
        k (int): Number of parts.
        squared (bool): See :func:`shuffle_distance`.

    Returns:
        Tensor: ``(N,)``, the diagonal of ``shuffle_distance(x, y, k)``.
    """
    if x.shape != y.shape:
        raise ValueError(f'paired_shuffle_distance: x and y must have the '
                         f'same shape, got {tuple(x.shape)} and '
                         f'{tuple(y.shape)}')
    if x.dtype in (torch.float16, torch.bfloat16):
        x, y = x.float(), y.float()
    xp = _split_parts(x, k, 'x')
    yp = _split_parts(y.to(x), k, 'y')
    diff = xp[:, :, None, :] - yp[:, None, :, :]  # (N, k, k, d)
    sq = (diff * diff).sum(-1)
    dist = sq if squared else torch.where(
        sq > 0, sq.clamp_min(1e-12).sqrt(), sq)
    return greedy_matching_sum(dist)
