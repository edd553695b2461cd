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
N_gallery`` matrix is ever formed (:mod:`.retrieval_search`). Peak extra
memory is ``O(batch_size * (batch_size + k))`` elements plus, for cosine
similarity, one normalised copy of the gallery. ``backend='faiss'`` uses
the optional faiss package instead (:mod:`.retrieval_faiss`; float32,
ties at the ``k``-th place unresolved).

Variants (docs/protocols/retrieval.md): ``center=True`` subtracts the
gallery mean from gallery and query features before the search;
``l2_normalize=False`` ranks by Euclidean distance of the (centred)
features instead of cosine similarity (with L2 normalisation the two give
the same order). :func:`retrieval_recall_per_class` adds the recall of each
query class. Clip-level retrieval is the same computation with one row per
clip (each row carrying its video's label); the metric builds those rows.

Ties are broken deterministically: among equal similarities the gallery
item with the lower index wins. Results therefore do not depend on
``batch_size`` (nor on the tie order of ``torch.topk``), but with duplicate
or identical features they do depend on the order of the gallery.
"""
import warnings
from typing import Dict, Iterator, Sequence, Tuple

import torch
from torch import Tensor

# the underscore names are kept for modules that import them from here
from .feature_checks import as_features as _as_features
from .feature_checks import as_labels as _as_labels
from .feature_checks import check_batch_size as _check_batch_size
from .feature_checks import check_ks
from .feature_checks import check_pair as _check_pair
from .retrieval_faiss import check_backend, faiss_iter_topk, import_faiss
from .retrieval_search import SIMILARITIES, iter_topk  # noqa: F401

__all__ = [
    'retrieval_recall', 'retrieval_recall_per_class', 'topk_neighbours',
    'center_features'
]

def _iter_topk(query: Tensor,
               gallery: Tensor,
               k: int,
               batch_size: int,
               similarity: str = 'cosine',
               backend: str = 'torch'
               ) -> Iterator[Tuple[int, Tensor, Tensor]]:
    """Yield ``(start, indices, similarities)`` per query chunk.

    ``indices``/``similarities`` are ``(Bq, k)``, most similar first;
    computed by :func:`.retrieval_search.iter_topk` (``backend='torch'``)
    or :func:`.retrieval_faiss.faiss_iter_topk` (``'faiss'``).
    """
    search = iter_topk if backend == 'torch' else faiss_iter_topk
    return search(query, gallery, k, batch_size, similarity)


def _clip_k(k: int, n_gallery: int) -> int:
    if k > n_gallery:
        warnings.warn(
            f'k={k} is larger than the gallery ({n_gallery} items); using '
            f'k={n_gallery}', UserWarning)
        return n_gallery
    return k


def center_features(gallery: Tensor,
                    query: Tensor) -> Tuple[Tensor, Tensor]:
    """Subtract the gallery mean from gallery and query features.

    Mean-centering before cosine retrieval removes the direction that all
    features of a (often collapsed-towards-one-direction) encoder share; a
    common post-processing of frozen features (e.g. SimpleShot, Wang et al.
    2019, "CL2N": centering + L2 normalisation). The mean is that of the
    gallery rows only, so queries never influence each other.

    Args:
        gallery (Tensor): ``(N_g, D)``.
        query (Tensor): ``(N_q, D)``.

    Returns:
        tuple[Tensor, Tensor]: centred ``gallery`` and ``query``.
    """
    mean = gallery.mean(dim=0, keepdim=True)
    return gallery - mean, query - mean.to(query.device)


def _prepare(query, gallery, q_name: str, g_name: str, batch_size: int,
             center: bool, l2_normalize: bool,
             backend: str) -> Tuple[Tensor, Tensor, str]:
    """Validate a query/gallery pair and apply the variant flags."""
    if check_backend(backend) == 'faiss':
        import_faiss()  # fail before any work if it is missing
    query = _as_features(q_name, query)
    gallery = _as_features(g_name, gallery)
    query, gallery = _check_pair(query, gallery, q_name, g_name)
    _check_batch_size(batch_size)
    if center:
        gallery, query = center_features(gallery, query)
    return query, gallery, 'cosine' if l2_normalize else 'euclidean'


def topk_neighbours(query: Tensor,
                    gallery: Tensor,
                    k: int,
                    batch_size: int = 1024,
                    center: bool = False,
                    l2_normalize: bool = True,
                    backend: str = 'torch') -> Tuple[Tensor, Tensor]:
    """Top-``k`` nearest gallery items of every query.

    Args:
        query (Tensor): ``(N_q, D)`` features.
        gallery (Tensor): ``(N_g, D)`` features.
        k (int): Neighbours per query; clipped to ``N_g`` with a
            ``UserWarning`` if larger.
        batch_size (int): Chunk size for queries and for the gallery.
        center (bool): Subtract the gallery mean from both sets first
            (:func:`center_features`). Defaults to False.
        l2_normalize (bool): True (default): cosine similarity (rows
            L2-normalised here). False: negative squared Euclidean distance
            of the (centred) features.
        backend (str): ``'torch'`` (default): exact, ties resolved as in
            the module docstring. ``'faiss'``: a faiss flat index (optional
            package ``faiss-cpu``; float32, see
            :mod:`.retrieval_faiss` for its tolerance).

    Returns:
        tuple[Tensor, Tensor]: ``indices`` (long) and ``similarities``, both
        ``(N_q, min(k, N_g))``, most similar first; equal similarities are
        ordered by gallery index.

    Raises:
        ValueError: On malformed, empty or non-finite input or bad ``k``.
        ImportError: ``backend='faiss'`` without faiss installed.
    """
    query, gallery, similarity = _prepare(query, gallery, 'query', 'gallery',
                                          batch_size, center, l2_normalize,
                                          backend)
    if isinstance(k, bool) or not isinstance(k, int) or k < 1:
        raise ValueError(f'k must be a positive int, got {k!r}')
    k = _clip_k(k, gallery.shape[0])
    indices, sims = [], []
    for _, idx, val in _iter_topk(query, gallery, k, batch_size, similarity,
                                  backend):
        indices.append(idx)
        sims.append(val)
    return torch.cat(indices), torch.cat(sims)


def retrieval_recall_per_class(train_feats: Tensor,
                               train_labels: Tensor,
                               test_feats: Tensor,
                               test_labels: Tensor,
                               ks: Sequence[int] = (1, 5, 10, 20),
                               batch_size: int = 1024,
                               center: bool = False,
                               l2_normalize: bool = True,
                               backend: str = 'torch') -> Dict[str, dict]:
    """Recall@k overall and per query class (see :func:`retrieval_recall`).

    Args:
        train_feats, train_labels, test_feats, test_labels, ks, batch_size:
            As :func:`retrieval_recall`.
        center (bool): Subtract the gallery mean first. Defaults to False.
        l2_normalize (bool): Cosine (True, default) or Euclidean (False).
        backend (str): ``'torch'`` (default, exact) or ``'faiss'``, see
            :func:`topk_neighbours`.

    Returns:
        dict: ``recall`` ``{k: float}``; ``per_class`` ``{label: {k:
        float}}``, the recall over the queries of each class present among
        the queries (sorted by label); ``num_queries`` ``{label: int}``.
        The overall recall is the query-weighted mean of the per-class ones.

    Raises:
        ValueError: As :func:`retrieval_recall`.
    """
    test_feats, train_feats, similarity = _prepare(test_feats, train_feats,
                                                   'test_feats',
                                                   'train_feats', batch_size,
                                                   center, l2_normalize,
                                                   backend)
    train_labels = _as_labels('train_labels', train_labels,
                              train_feats.shape[0], 'train_feats')
    test_labels = _as_labels('test_labels', test_labels, test_feats.shape[0],
                             'test_feats')
    ks = check_ks(ks)
    n_gallery = train_feats.shape[0]
    clipped = {k: _clip_k(k, n_gallery) for k in dict.fromkeys(ks)}
    max_k = max(clipped.values())

    hit_rows = {k: [] for k in clipped}
    for start, idx, _ in _iter_topk(test_feats, train_feats, max_k,
                                    batch_size, similarity, backend):
        nbr_labels = train_labels[idx.to(train_labels.device)]
        query_labels = test_labels[start:start + idx.shape[0]]
        match = nbr_labels == query_labels.to(nbr_labels.device)[:, None]
        for k, kk in clipped.items():
            hit_rows[k].append(match[:, :kk].any(dim=1).cpu())
    hits = {k: torch.cat(rows) for k, rows in hit_rows.items()}
    labels = test_labels.cpu()
    classes, counts = labels.unique(sorted=True, return_counts=True)
    per_class = {
        int(c): {k: int(hits[k][labels == c].sum()) / int(n)
                 for k in clipped}
        for c, n in zip(classes, counts)
    }
    return dict(
        recall={k: int(hits[k].sum()) / len(labels)
                for k in clipped},
        per_class=per_class,
        num_queries={int(c): int(n)
                     for c, n in zip(classes, counts)})


def retrieval_recall(train_feats: Tensor,
                     train_labels: Tensor,
                     test_feats: Tensor,
                     test_labels: Tensor,
                     ks: Sequence[int] = (1, 5, 10, 20),
                     batch_size: int = 1024,
                     center: bool = False,
                     l2_normalize: bool = True,
                     backend: str = 'torch') -> Dict[int, float]:
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
        center (bool): Subtract the gallery mean from both sets first.
            Defaults to False.
        l2_normalize (bool): True (default): cosine similarity. False:
            Euclidean distance of the (centred) raw features.
        backend (str): ``'torch'`` (default, exact) or ``'faiss'``
            (optional package), see :func:`topk_neighbours`.

    Returns:
        dict[int, float]: ``{k: recall}`` with recall in ``[0, 1]``.

    Raises:
        ValueError: On mismatched lengths or dimensions, empty sets,
            non-finite features, non-positive ``ks`` / ``batch_size`` or an
            unknown ``backend``.
        ImportError: ``backend='faiss'`` without faiss installed.
    """
    return retrieval_recall_per_class(
        train_feats,
        train_labels,
        test_feats,
        test_labels,
        ks=ks,
        batch_size=batch_size,
        center=center,
        l2_normalize=l2_normalize,
        backend=backend)['recall']
