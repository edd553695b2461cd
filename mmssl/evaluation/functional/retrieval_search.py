"""Exact chunked top-``k`` search behind :mod:`.retrieval` (torch backend).

For each chunk of queries the gallery is streamed in chunks of
``batch_size``; a running top-``k`` per query is merged with each new
similarity block. The merge only looks at the block's entries that reach the
running ``k``-th similarity (a cheap comparison pass): every entry below it
can never enter the result, and on ordinary features only a few entries per
row reach it, so the per-block cost is close to that of the matrix product.
``torch.topk`` is run on the small ``(Bq, k + passing)`` merge buffer only.

Exactness: the threshold test keeps entries *equal* to the running ``k``-th
value, and every merge breaks ties by the lower gallery index
(:func:`_keep_topk`), so the result is the exact top-``k`` ordered by
(similarity desc, gallery index asc), independent of ``batch_size``. With
many exact ties (e.g. duplicate features) many entries pass the test and
the merge falls back to the width ``k + batch_size`` of a plain merge.

Memory: one ``(Bq, Bg)`` similarity block and a merge buffer of at most
``(Bq, k + Bg)`` entries; for cosine similarity a normalised copy of the
gallery (``N_g x D``, the input's size) is made once.
"""
from typing import Iterator, Optional, Tuple

import torch
import torch.nn.functional as F
from torch import Tensor

#: Similarity of the search: cosine (features L2-normalised) or negative
#: squared Euclidean distance (raw features).
SIMILARITIES = ('cosine', 'euclidean')


def _chunk_similarity(query: Tensor,
                      gallery: Tensor,
                      similarity: str = 'cosine') -> Tensor:
    """Similarity block of two chunks.

    The only place the streaming code forms a similarity block; a module
    level function so tests can check block shapes.

    Args:
        query (Tensor): ``(Bq, D)``, rows L2-normalised for ``'cosine'``.
        gallery (Tensor): ``(Bg, D)``, rows L2-normalised for ``'cosine'``.
        similarity (str): ``'cosine'`` (dot product of the normalised rows)
            or ``'euclidean'`` (``-||q - g||^2``).

    Returns:
        Tensor: ``(Bq, Bg)`` similarities, higher is closer.
    """
    dots = query @ gallery.t()
    if similarity == 'cosine':
        return dots
    return (2 * dots - query.pow(2).sum(1, keepdim=True) -
            gallery.pow(2).sum(1)[None]).clamp(max=0)


def _keep_topk(scores: Tensor,
               k: int,
               index: Optional[Tensor] = None) -> Tuple[Tensor, Tensor]:
    """Row-wise top-``k``, ties at the cut going to the lowest index.

    ``torch.topk`` returns an unspecified member of a group of equal scores
    at the ``k``-th place; only the rows where such a group straddles the
    cut (rare for real features) are recomputed so the lowest gallery
    indices win.

    Args:
        scores (Tensor): ``(B, W)`` with ``W >= k >= 1``.
        k (int): Number of columns to keep.
        index (Tensor, optional): ``(B, W)`` gallery index of each entry,
            the tie order; None: the column order.

    Returns:
        tuple[Tensor, Tensor]: values ``(B, k)`` and their columns
        ``(B, k)``, in no particular order.
    """
    vals, cols = scores.topk(k, dim=1, largest=True, sorted=False)
    kth = vals.min(dim=1, keepdim=True).values
    tied = (scores >= kth).sum(dim=1) > k
    if not tied.any():
        return vals, cols
    sub, sub_kth = scores[tied], kth[tied]
    perm = None
    if index is not None:  # put the tied rows' columns in index order
        perm = index[tied].sort(dim=1).indices
        sub = sub.gather(1, perm)
    above = sub > sub_kth
    equal = sub == sub_kth
    need = k - above.sum(dim=1, keepdim=True)
    keep = above | (equal & (equal.cumsum(dim=1) <= need))
    chosen = keep.nonzero()[:, 1].view(-1, k)
    cols = cols.clone()
    cols[tied] = chosen if perm is None else perm.gather(1, chosen)
    return scores.gather(1, cols), cols


def _order_by_value(vals: Tensor, idx: Tensor) -> Tuple[Tensor, Tensor]:
    """Sort rows by (value desc, gallery index asc).

    Args:
        vals (Tensor): ``(B, k)`` similarities.
        idx (Tensor): ``(B, k)`` gallery indices.

    Returns:
        tuple[Tensor, Tensor]: ``idx`` and ``vals`` reordered.
    """
    idx, order = idx.sort(dim=1)
    vals, order = vals.gather(1, order).sort(
        dim=1, descending=True, stable=True)
    return idx.gather(1, order), vals


def _passing(block: Tensor, threshold: Tensor) -> Tuple[Tensor, Tensor]:
    """Entries of ``block`` at or above the row threshold, left-packed.

    Args:
        block (Tensor): ``(B, W)`` similarities.
        threshold (Tensor): ``(B, 1)`` running ``k``-th similarity.

    Returns:
        tuple[Tensor, Tensor]: values and columns ``(B, M)``, ``M`` the
        largest count of a row; rows with fewer entries are padded with
        ``-inf`` at column ``W`` (never selected: the running top-``k``
        already holds ``k`` finite values).
    """
    rows, cols = (block >= threshold).nonzero(as_tuple=True)
    counts = torch.bincount(rows, minlength=block.shape[0])
    width = int(counts.max()) if rows.numel() else 0
    vals = block.new_full((block.shape[0], width), float('-inf'))
    packed = torch.full_like(vals, block.shape[1], dtype=torch.long)
    if width:
        starts = counts.cumsum(0) - counts
        pos = torch.arange(rows.numel(), device=rows.device) - starts[rows]
        vals[rows, pos] = block[rows, cols]
        packed[rows, pos] = cols
    return vals, packed


def _search_chunk(q: Tensor, gallery: Tensor, k: int, batch_size: int,
                  similarity: str) -> Tuple[Tensor, Tensor]:
    """Exact top-``k`` of one (prepared) query chunk over the gallery.

    Returns:
        tuple[Tensor, Tensor]: ``(Bq, k)`` indices and similarities, most
        similar first, equal similarities by gallery index.
    """
    run_vals = q.new_empty((q.shape[0], 0))
    run_idx = torch.empty((q.shape[0], 0), dtype=torch.long, device=q.device)
    threshold = None
    for g_start in range(0, gallery.shape[0], batch_size):
        g = gallery[g_start:g_start + batch_size].to(q.device)
        block = _chunk_similarity(q, g, similarity)
        if threshold is None:
            cand_vals = block
            cand_idx = g_start + torch.arange(
                block.shape[1], device=q.device).expand_as(block)
        else:
            cand_vals, cand_idx = _passing(block, threshold)
            cand_idx += g_start
        if not cand_vals.shape[1]:
            continue
        if run_idx.shape[1]:
            cand_vals = torch.cat([run_vals, cand_vals], dim=1)
            cand_idx = torch.cat([run_idx, cand_idx], dim=1)
        run_vals, cols = _keep_topk(cand_vals, min(k, cand_vals.shape[1]),
                                    cand_idx)
        run_idx = cand_idx.gather(1, cols)
        if run_idx.shape[1] == k:
            threshold = run_vals.min(dim=1, keepdim=True).values
    return _order_by_value(run_vals, run_idx)


def iter_topk(query: Tensor,
              gallery: Tensor,
              k: int,
              batch_size: int,
              similarity: str = 'cosine'
              ) -> Iterator[Tuple[int, Tensor, Tensor]]:
    """Yield ``(start, indices, similarities)`` per query chunk.

    Args:
        query (Tensor): ``(N_q, D)`` features (raw; normalised here for
            ``'cosine'``).
        gallery (Tensor): ``(N_g, D)`` features, on any device; chunks are
            moved to the query's device and dtype.
        k (int): ``1 <= k <= N_g``.
        batch_size (int): Chunk size for queries and for the gallery.
        similarity (str): One of :data:`SIMILARITIES`.

    Yields:
        tuple: ``start`` (first query row of the chunk), ``indices`` (long)
        and ``similarities``, both ``(Bq, k)``, most similar first, equal
        similarities ordered by gallery index.
    """
    gallery = gallery.to(dtype=query.dtype)
    if similarity == 'cosine':
        gallery = F.normalize(gallery, dim=1)
    for q_start in range(0, query.shape[0], batch_size):
        q = query[q_start:q_start + batch_size]
        if similarity == 'cosine':
            q = F.normalize(q, dim=1)
        idx, vals = _search_chunk(q, gallery, k, batch_size, similarity)
        yield q_start, idx, vals
