"""Optional faiss backend of the retrieval search (``backend='faiss'``).

`faiss <https://github.com/facebookresearch/faiss>`_ (``pip install
faiss-cpu``) is not a dependency of mmssl; it is imported only when asked
for. The search is exhaustive (``IndexFlatIP`` on L2-normalised features for
cosine similarity, ``IndexFlatL2`` for the Euclidean variant), so it finds
the same neighbours as the torch backend up to floating point:

- faiss computes in float32 (float64 input is converted; similarities are
  returned in the query's dtype), with its own BLAS, so similarities may
  differ from torch's by float32 rounding (``~1e-6`` for cosine of
  normalised features). Neighbour sets are equal except where two
  similarities are within that tolerance of each other at the ``k``-th
  place (ties and near-ties).
- Among exactly equal similarities straddling the ``k``-th place, which
  gallery item faiss keeps is unspecified (torch keeps the lowest index).
  Within the returned ``k``, equal similarities are ordered by gallery index
  as with torch.
- Euclidean similarities are ``-||q - g||^2`` as with torch.

faiss runs on the CPU with as many OpenMP threads as
``torch.get_num_threads()`` (restored afterwards); results are moved to the
query's device.
"""
from typing import Iterator, Tuple

import torch
import torch.nn.functional as F
from torch import Tensor

from .retrieval_search import _order_by_value

#: Backends of :func:`mmssl.evaluation.functional.topk_neighbours` et al.
BACKENDS = ('torch', 'faiss')


def check_backend(backend: str) -> str:
    """Return ``backend`` if known, else raise ``ValueError``."""
    if backend not in BACKENDS:
        raise ValueError(f'backend must be one of {BACKENDS}, got '
                         f'{backend!r}')
    return backend


def import_faiss():
    """Import faiss, or raise an ``ImportError`` saying what to do.

    Returns:
        module: The ``faiss`` module.
    """
    try:
        import faiss
    except ImportError as error:
        raise ImportError(
            "backend='faiss' needs the optional package faiss (pip install "
            "faiss-cpu), which is not installed; use backend='torch' (the "
            'default, exact) instead') from error
    return faiss


def _as_float32_numpy(feats: Tensor):
    return feats.detach().to('cpu', torch.float32).contiguous().numpy()


def faiss_iter_topk(query: Tensor,
                    gallery: Tensor,
                    k: int,
                    batch_size: int,
                    similarity: str = 'cosine'
                    ) -> Iterator[Tuple[int, Tensor, Tensor]]:
    """:func:`.retrieval_search.iter_topk` computed by a faiss flat index.

    Args:
        query (Tensor): ``(N_q, D)`` features.
        gallery (Tensor): ``(N_g, D)`` features.
        k (int): ``1 <= k <= N_g``.
        batch_size (int): Queries per ``index.search`` call.
        similarity (str): ``'cosine'`` or ``'euclidean'``.

    Yields:
        tuple: ``start``, ``indices`` ``(Bq, k)`` (long) and
        ``similarities`` ``(Bq, k)`` (query dtype), most similar first.

    Raises:
        ImportError: If faiss is not installed.
    """
    faiss = import_faiss()
    cosine = similarity == 'cosine'
    gallery = gallery.detach().float()
    if cosine:
        gallery = F.normalize(gallery, dim=1)
    index = (faiss.IndexFlatIP if cosine else faiss.IndexFlatL2)(
        gallery.shape[1])
    index.add(_as_float32_numpy(gallery))
    threads = faiss.omp_get_max_threads()
    faiss.omp_set_num_threads(torch.get_num_threads())
    try:
        for start in range(0, query.shape[0], batch_size):
            q = query[start:start + batch_size].detach().float()
            if cosine:
                q = F.normalize(q, dim=1)
            dists, idx = index.search(_as_float32_numpy(q), k)
            sims = torch.from_numpy(dists)
            if not cosine:
                sims = (-sims).clamp(max=0)
            idx = torch.from_numpy(idx).long()
            idx, order = idx.sort(dim=1)
            idx, sims = _order_by_value(sims.gather(1, order), idx)
            yield (start, idx.to(query.device),
                   sims.to(query.device, query.dtype))
    finally:
        faiss.omp_set_num_threads(threads)
