"""Nearest-neighbour video retrieval (Recall@k), batched over both sets.

The standard self-supervised video retrieval protocol (Xu et al., "Self-
Supervised Spatiotemporal Learning via Video Clip Order Prediction", CVPR
2019, Sec. 4.4; followed by later work such as TCLR and STCLR): a frozen
encoder embeds every video as the average of the features of 10 uniformly
sampled clips; the videos of the training split (e.g. UCF101 split 1
train) form the *gallery* and the videos of the test split are the
*queries*. A query counts as correct at ``k`` if at least one of its ``k``
nearest gallery videos (cosine similarity) has the query's class.

Both functions here stream over query chunks and, for each, over gallery
chunks, keeping a running top-``k`` per query, so no ``N_query x
N_gallery`` matrix is ever formed. Peak extra memory is
``O(batch_size * (batch_size + k))`` elements.

Ties are broken deterministically: among equal similarities the gallery
item with the lower index wins. Results therefore do not depend on
``batch_size`` (nor on the tie order of ``torch.topk``), but with duplicate
or identical features they do depend on the order of the gallery.
"""
import warnings
from typing import Dict, Iterator, Sequence, Tuple

import torch
import torch.nn.functional as F
from torch import Tensor

__all__ = ['retrieval_recall', 'topk_neighbours']


def _chunk_similarity(query: Tensor, gallery: Tensor) -> Tensor:
    """Similarity block of two L2-normalised chunks.

    The only place the streaming code forms a similarity block; a module
    level function so tests can check block shapes.

    Args:
        query (Tensor): ``(Bq, D)``, rows L2-normalised.
        gallery (Tensor): ``(Bg, D)``, rows L2-normalised.

    Returns:
        Tensor: ``(Bq, Bg)`` cosine similarities.
    """
    return query @ gallery.t()


def _topk_lowest_index(scores: Tensor, k: int) -> Tuple[Tensor, Tensor]:
    """Row-wise top-``k`` sorted by (score desc, column asc).

    ``torch.topk`` returns an unspecified member of a group of equal scores
    at the ``k``-th place; rows where such a group straddles the cut are
    recomputed so the lowest columns win.

    Args:
        scores (Tensor): ``(B, W)`` with ``W >= k >= 1``.
        k (int): Number of columns to keep.

    Returns:
        tuple[Tensor, Tensor]: values ``(B, k)`` and columns ``(B, k)``.
    """
    vals, cols = scores.topk(k, dim=1, largest=True, sorted=False)
    kth = vals.min(dim=1, keepdim=True).values
    tied = (scores >= kth).sum(dim=1) > k
    if tied.any():
        sub, sub_kth = scores[tied], kth[tied]
        above = sub > sub_kth
        equal = sub == sub_kth
        need = k - above.sum(dim=1, keepdim=True)
        keep = above | (equal & (equal.cumsum(dim=1) <= need))
        cols = cols.clone()
        cols[tied] = keep.nonzero()[:, 1].view(-1, k)
    # Order by column, then stable sort by value: ties stay column-ordered.
    cols = cols.sort(dim=1).values
    vals, order = scores.gather(1, cols).sort(
        dim=1, descending=True, stable=True)
    return vals, cols.gather(1, order)


def _iter_topk(query: Tensor, gallery: Tensor, k: int,
               batch_size: int) -> Iterator[Tuple[int, Tensor, Tensor]]:
    """Yield ``(start, indices, similarities)`` per query chunk.

    ``indices``/``similarities`` are ``(Bq, k)``, most similar first. The
    gallery is streamed in chunks of ``batch_size``; the running top-``k``
    (whose indices are all lower than the current chunk's, and which is
    kept in (value desc, index asc) order) is concatenated in front of each
    new similarity block, so :func:`_topk_lowest_index` keeps the lowest
    gallery index among ties.
    """
    n_gallery = gallery.shape[0]
    for q_start in range(0, query.shape[0], batch_size):
        q = F.normalize(query[q_start:q_start + batch_size], dim=1)
        run_vals = q.new_empty((q.shape[0], 0))
        run_idx = torch.empty((q.shape[0], 0),
                              dtype=torch.long,
                              device=q.device)
        for g_start in range(0, n_gallery, batch_size):
            g = gallery[g_start:g_start + batch_size].to(
                device=q.device, dtype=q.dtype)
            block = _chunk_similarity(q, F.normalize(g, dim=1))
            n_run = run_idx.shape[1]
            merged = torch.cat([run_vals, block], dim=1)
            run_vals, cols = _topk_lowest_index(merged,
                                                min(k, merged.shape[1]))
            from_chunk = g_start + cols - n_run
            if n_run:
                from_run = run_idx.gather(1, cols.clamp(max=n_run - 1))
                run_idx = torch.where(cols < n_run, from_run, from_chunk)
            else:
                run_idx = from_chunk
        yield q_start, run_idx, run_vals


def _as_features(name: str, x) -> Tensor:
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


def _as_labels(name: str, y, n: int, feats_name: str) -> Tensor:
    y = torch.as_tensor(y)
    if y.dim() != 1:
        raise ValueError(f'{name} must be 1-D (N,), got shape '
                         f'{tuple(y.shape)}')
    if y.shape[0] != n:
        raise ValueError(f'{name} has {y.shape[0]} entries but {feats_name} '
                         f'has {n} rows')
    return y


def _check_pair(query: Tensor, gallery: Tensor, q_name: str,
                g_name: str) -> Tuple[Tensor, Tensor]:
    if query.shape[1] != gallery.shape[1]:
        raise ValueError(f'feature dimensions differ: {q_name} has '
                         f'{query.shape[1]}, {g_name} has {gallery.shape[1]}')
    dtype = torch.promote_types(query.dtype, gallery.dtype)
    return query.to(dtype), gallery.to(dtype)


def _check_batch_size(batch_size: int) -> None:
    if isinstance(batch_size, bool) or not isinstance(batch_size, int) \
            or batch_size < 1:
        raise ValueError(
            f'batch_size must be a positive int, got {batch_size!r}')


def _clip_k(k: int, n_gallery: int) -> int:
    if k > n_gallery:
        warnings.warn(
            f'k={k} is larger than the gallery ({n_gallery} items); using '
            f'k={n_gallery}', UserWarning)
        return n_gallery
    return k


def topk_neighbours(query: Tensor,
                    gallery: Tensor,
                    k: int,
                    batch_size: int = 1024) -> Tuple[Tensor, Tensor]:
    """Top-``k`` cosine nearest gallery items of every query.

    Args:
        query (Tensor): ``(N_q, D)`` features (normalised here).
        gallery (Tensor): ``(N_g, D)`` features (normalised here).
        k (int): Neighbours per query; clipped to ``N_g`` with a
            ``UserWarning`` if larger.
        batch_size (int): Chunk size for queries and for the gallery.

    Returns:
        tuple[Tensor, Tensor]: ``indices`` (long) and ``similarities``, both
        ``(N_q, min(k, N_g))``, most similar first; equal similarities are
        ordered by gallery index.

    Raises:
        ValueError: On malformed, empty or non-finite input or bad ``k``.
    """
    query = _as_features('query', query)
    gallery = _as_features('gallery', gallery)
    query, gallery = _check_pair(query, gallery, 'query', 'gallery')
    _check_batch_size(batch_size)
    if isinstance(k, bool) or not isinstance(k, int) or k < 1:
        raise ValueError(f'k must be a positive int, got {k!r}')
    k = _clip_k(k, gallery.shape[0])
    indices, sims = [], []
    for _, idx, val in _iter_topk(query, gallery, k, batch_size):
        indices.append(idx)
        sims.append(val)
    return torch.cat(indices), torch.cat(sims)


def retrieval_recall(train_feats: Tensor,
                     train_labels: Tensor,
                     test_feats: Tensor,
                     test_labels: Tensor,
                     ks: Sequence[int] = (1, 5, 10, 20),
                     batch_size: int = 1024) -> Dict[int, float]:
    """Recall@k of test (query) videos retrieving train (gallery) videos.

    ``Recall@k`` is the fraction of queries for which at least one of the
    ``k`` most cosine-similar gallery videos has the query's label (Xu et
    al., CVPR 2019). Computed in chunks of ``batch_size`` queries x
    ``batch_size`` gallery videos, so memory is ``O(batch_size *
    (batch_size + max(ks)))`` regardless of the set sizes.

    A ``k`` larger than the gallery is clipped to the gallery size with a
    ``UserWarning`` (the result is then the fraction of queries whose
    class occurs in the gallery at all); the returned dict still uses the
    requested ``k`` as key. All-zero features are allowed and have
    similarity 0 to everything. Ties: see the module docstring.

    Args:
        train_feats (Tensor): ``(N_train, D)`` gallery features.
        train_labels (Tensor): ``(N_train,)`` gallery labels.
        test_feats (Tensor): ``(N_test, D)`` query features.
        test_labels (Tensor): ``(N_test,)`` query labels.
        ks (Sequence[int]): Cut-offs. Defaults to ``(1, 5, 10, 20)``.
        batch_size (int): Chunk size for queries and for the gallery.
            Defaults to 1024.

    Returns:
        dict[int, float]: ``{k: recall}`` with recall in ``[0, 1]``.

    Raises:
        ValueError: On mismatched lengths or dimensions, empty sets,
            non-finite features, or non-positive ``ks`` / ``batch_size``.
    """
    train_feats = _as_features('train_feats', train_feats)
    test_feats = _as_features('test_feats', test_feats)
    train_labels = _as_labels('train_labels', train_labels,
                              train_feats.shape[0], 'train_feats')
    test_labels = _as_labels('test_labels', test_labels, test_feats.shape[0],
                             'test_feats')
    test_feats, train_feats = _check_pair(test_feats, train_feats,
                                          'test_feats', 'train_feats')
    _check_batch_size(batch_size)
    if isinstance(ks, int):
        ks = (ks, )
    ks = tuple(ks)
    if not ks or any(
            isinstance(k, bool) or not isinstance(k, int) or k < 1
            for k in ks):
        raise ValueError(f'ks must be a non-empty sequence of positive ints, '
                         f'got {ks!r}')
    n_gallery = train_feats.shape[0]
    clipped = {k: _clip_k(k, n_gallery) for k in dict.fromkeys(ks)}
    max_k = max(clipped.values())

    hits = dict.fromkeys(clipped, 0)
    for start, idx, _ in _iter_topk(test_feats, train_feats, max_k,
                                    batch_size):
        nbr_labels = train_labels[idx.to(train_labels.device)]
        query_labels = test_labels[start:start + idx.shape[0]]
        match = nbr_labels == query_labels.to(nbr_labels.device)[:, None]
        for k, kk in clipped.items():
            hits[k] += int(match[:, :kk].any(dim=1).sum())
    n_query = test_feats.shape[0]
    return {k: hits[k] / n_query for k in clipped}
