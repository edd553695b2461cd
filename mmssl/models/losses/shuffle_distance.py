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


@torch.no_grad()
def greedy_matching(part_dist: Tensor) -> Tensor:
    """Algorithm 1, lines 8-13: the entries the greedy matching picks.

    ``k`` times: take the smallest remaining entry ``D[m, n]`` (ties: the
    first in row-major order) and remove row ``m`` and column ``n``.
    Vectorised over the leading dimensions (the loop runs over the ``k``
    steps only); no gradient.

    Args:
        part_dist (Tensor): ``(..., k, k)`` part distances (or any
            monotone function of them, e.g. their squares).

    Returns:
        Tensor: ``(..., k)`` long, the picked entries as flat indices
        ``m * k + n``, in the order they were picked.
    """
    k = part_dist.shape[-1]
    if part_dist.dim() < 2 or part_dist.shape[-2] != k:
        raise ValueError(f'expected (..., k, k) distances, got '
                         f'{tuple(part_dist.shape)}')
    lead = part_dist.shape[:-2]
    dist = part_dist.reshape(-1, k, k).clone()  # a copy: filled with inf
    rows = torch.arange(dist.shape[0], device=dist.device)
    picked = torch.empty(
        dist.shape[0], k, dtype=torch.long, device=dist.device)
    row_sum = torch.zeros_like(rows)
    col_sum = torch.zeros_like(rows)
    for step in range(k - 1):
        idx = dist.view(-1, k * k).argmin(dim=-1)
        picked[:, step] = idx
        row, col = idx // k, idx % k
        row_sum += row
        col_sum += col
        dist[rows, row, :] = float('inf')
        dist[rows, :, col] = float('inf')
    # one row and one column are left: the last pick needs no search
    last = k * (k - 1) // 2
    picked[:, k - 1] = (last - row_sum) * k + (last - col_sum)
    return picked.view(*lead, k)


def greedy_matching_sum(part_dist: Tensor) -> Tensor:
    """Minimum matching distance of ``(..., k, k)`` part distances: the sum
    of the entries :func:`greedy_matching` picks (differentiable through
    them).

    Returns:
        Tensor: ``(...)``.
    """
    picked = greedy_matching(part_dist)
    return part_dist.flatten(-2).gather(-1, picked).sum(-1)


def _safe_sqrt(sq: Tensor) -> Tensor:
    """``sqrt`` with a zero gradient at 0 (``sqrt'(0)`` is infinite)."""
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
    xp = _split_parts(x, k, 'x')  # (N, k, d)
    yp = _split_parts(y.to(x), k, 'y')  # (M, k, d)
    if xp.shape[-1] != yp.shape[-1]:
        raise ValueError(f'shuffle_distance: x and y differ in feature size '
                         f'({x.shape[1]} vs {y.shape[1]})')
    n, m = xp.shape[0], yp.shape[0]
    # all part dot products in one matmul: (N k, M k) viewed (N, k, M, k)
    dot = (xp.reshape(n * k, -1) @ yp.reshape(m * k, -1).t()).view(
        n, k, m, k)
    xx, yy = (xp * xp).sum(-1), (yp * yp).sum(-1)  # (N, k), (M, k)
    with torch.no_grad():
        # (N, M, k, k) squared part distances; the square is monotone, so
        # the greedy picks the same entries as on the distances
        sq = dot.permute(0, 2, 1, 3).mul(-2).add_(
            xx[:, None, :, None]).add_(yy[None, :, None, :])
        picked = greedy_matching(sq)  # (N, M, k)
    # the gradient flows through the k picked entries only
    rows, cols = picked // k, picked % k
    n_idx = torch.arange(n, device=x.device)[:, None, None]
    m_idx = torch.arange(m, device=x.device)[None, :, None]
    sq_picked = (xx[n_idx, rows] + yy[m_idx, cols] -
                 2 * dot[n_idx, rows, m_idx, cols]).clamp_min(0)
    dist = sq_picked if squared else _safe_sqrt(sq_picked)
    return dist.sum(-1)


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
    return greedy_matching_sum(sq if squared else _safe_sqrt(sq))
