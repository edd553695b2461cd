"""The threshold-pruned torch search and the optional faiss backend."""
import sys

import pytest
import torch
import torch.nn.functional as F

from mmssl.evaluation.functional.knn import knn_classify
from mmssl.evaluation.functional.retrieval import (retrieval_recall,
                                                   topk_neighbours)
from mmssl.evaluation.metrics.retrieval_metric import RetrievalMetric


def signs(n, gen):
    """``(n, 8)`` rows of four +-1 and four 0: norm 2, so normalised
    features and all dot products are exact (ties are real ties)."""
    rows = torch.zeros(n, 8, dtype=torch.float64)
    for row in rows:
        row[torch.randperm(8, generator=gen)[:4]] = torch.randint(
            0, 2, (4, ), generator=gen).double() * 2 - 1
    return rows


def brute_force(query, gallery, k, cosine=True):
    """Full matrix; (similarity desc, gallery index asc)."""
    if cosine:
        sim = F.normalize(query, dim=1) @ F.normalize(gallery, dim=1).t()
    else:
        sim = -torch.cdist(query, gallery).pow(2)
    order = torch.argsort(-sim, dim=1, stable=True)[:, :k]
    return order, sim.gather(1, order)


@pytest.mark.parametrize('batch_size', [1, 4, 7, 16, 100])
def test_duplicates_across_chunks_are_exact(batch_size):
    # every gallery row occurs 3 times, spread over different chunks
    gen = torch.Generator().manual_seed(0)
    base = signs(15, gen)
    gallery = torch.cat([base, base * 2, base[torch.randperm(15)]])
    query = torch.cat([base[:5], signs(9, gen)])
    for k in (1, 2, 3, 10, 45):
        idx, sims = topk_neighbours(query, gallery, k, batch_size)
        order, ref = brute_force(query, gallery, k)
        assert torch.equal(idx, order)
        torch.testing.assert_close(sims, ref)


def test_gallery_sorted_by_similarity_worst_case():
    # each block beats the previous one: every entry passes the threshold
    gen = torch.Generator().manual_seed(1)
    query = torch.randn(1, 8, generator=gen, dtype=torch.float64)
    gallery = torch.randn(200, 8, generator=gen, dtype=torch.float64)
    sim = (F.normalize(gallery, dim=1) @ F.normalize(query, dim=1).t())[:, 0]
    gallery = gallery[sim.argsort()]
    query = torch.cat([query, -query, torch.randn(5, 8, generator=gen,
                                                  dtype=torch.float64)])
    for batch_size, k in ((8, 5), (16, 40), (3, 10)):
        idx, _ = topk_neighbours(query, gallery, k, batch_size)
        assert torch.equal(idx, brute_force(query, gallery, k)[0])


@pytest.mark.parametrize('batch_size', [2, 5, 64])
def test_euclidean_zero_distance_ties(batch_size):
    gen = torch.Generator().manual_seed(2)
    base = torch.randint(-3, 4, (10, 4), generator=gen).double()
    gallery = torch.cat([base, base, base])
    query = base[[0, 3, 3, 9]]
    idx, sims = topk_neighbours(query, gallery, 7, batch_size,
                                l2_normalize=False)
    order, ref = brute_force(query, gallery, 7, cosine=False)
    assert torch.equal(idx[:, :3], order[:, :3])  # the three exact copies
    assert (sims[:, :3] == 0).all()
    torch.testing.assert_close(sims, ref)


def test_unknown_backend_is_named():
    f = torch.randn(4, 3)
    with pytest.raises(ValueError, match="backend must be one of"):
        topk_neighbours(f, f, 2, backend='annoy')
    with pytest.raises(ValueError, match="backend must be one of"):
        RetrievalMetric(backend='gpu')


def test_missing_faiss_gives_clear_error(monkeypatch):
    monkeypatch.setitem(sys.modules, 'faiss', None)  # import faiss fails
    f = torch.randn(6, 3)
    y = torch.arange(6)
    message = r"backend='faiss' needs .*pip install faiss-cpu"
    with pytest.raises(ImportError, match=message):
        topk_neighbours(f, f, 2, backend='faiss')
    with pytest.raises(ImportError, match=message):
        retrieval_recall(f, y, f, y, ks=(1, ), backend='faiss')
    with pytest.raises(ImportError, match=message):
        RetrievalMetric(backend='faiss')
    with pytest.raises(ImportError, match=message):
        knn_classify(f, y, f, 6, k=2, backend='faiss')


@pytest.mark.parametrize('center,l2', [(False, True), (True, True),
                                       (False, False), (True, False)])
def test_faiss_backend_matches_torch(center, l2):
    pytest.importorskip('faiss')
    gen = torch.Generator().manual_seed(3)
    gallery = torch.randn(300, 16, generator=gen) + 0.5
    query = torch.randn(70, 16, generator=gen) + 0.5
    kwargs = dict(center=center, l2_normalize=l2)
    idx_t, sims_t = topk_neighbours(query, gallery, 10, 32, **kwargs)
    idx_f, sims_f = topk_neighbours(
        query, gallery, 10, 32, backend='faiss', **kwargs)
    assert idx_f.dtype == torch.long and sims_f.dtype == sims_t.dtype
    # float32 on both sides: similarities agree to float32 rounding
    scale = 1.0 if l2 else float(sims_t.abs().max())
    torch.testing.assert_close(sims_f, sims_t, atol=1e-5 * scale, rtol=0)
    # sets equal except at a near-tie at the k-th place
    near_tie = (sims_t[:, -2] - sims_t[:, -1]).abs() < 1e-5 * scale
    same = (idx_f.sort(1).values == idx_t.sort(1).values).all(1)
    assert (same | near_tie).all()
    # most similar first; equal similarities by gallery index
    assert (sims_f[:, :-1] >= sims_f[:, 1:]).all()


def test_faiss_backend_through_recall_knn_and_metric():
    pytest.importorskip('faiss')
    gen = torch.Generator().manual_seed(4)
    gf, qf = torch.randn(120, 8, generator=gen), torch.randn(40, 8,
                                                             generator=gen)
    gl, ql = torch.randint(0, 5, (120, ), generator=gen), torch.randint(
        0, 5, (40, ), generator=gen)
    ks = (1, 5, 10)
    assert retrieval_recall(gf, gl, qf, ql, ks, backend='faiss') == \
        retrieval_recall(gf, gl, qf, ql, ks)
    torch.testing.assert_close(
        knn_classify(gf, gl, qf, 5, k=7, backend='faiss'),
        knn_classify(gf, gl, qf, 5, k=7), atol=1e-3, rtol=1e-4)
    assert RetrievalMetric(backend='faiss').backend == 'faiss'
