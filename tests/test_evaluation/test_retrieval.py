import math

import pytest
import torch
import torch.nn.functional as F
from mmaction.structures import ActionDataSample
from mmengine.evaluator import Evaluator

import mmssl.evaluation.functional.retrieval_search as search_mod
from mmssl.evaluation.functional.retrieval import (retrieval_recall,
                                                   topk_neighbours)
from mmssl.evaluation.metrics.retrieval_metric import RetrievalMetric
from mmssl.registry import METRICS


def brute_force_order(gallery, query):
    """Full similarity matrix; ties go to the lower gallery index."""
    sim = F.normalize(query, dim=1) @ F.normalize(gallery, dim=1).t()
    order = torch.argsort(-sim, dim=1, stable=True)
    return order, sim.gather(1, order)


def brute_force_recall(gf, gl, qf, ql, ks):
    order, _ = brute_force_order(gf, qf)
    out = {}
    for k in ks:
        nbr = gl[order[:, :min(k, len(gl))]]
        out[k] = (nbr == ql[:, None]).any(dim=1).sum().item() / len(ql)
    return out


def random_set(n, d, n_cls, gen, dtype=torch.float64):
    return (torch.randn(n, d, generator=gen, dtype=dtype),
            torch.randint(0, n_cls, (n, ), generator=gen))


@pytest.mark.parametrize('n_gallery,n_query,batch_size', [
    (1, 1, 1),
    (10, 7, 3),
    (53, 37, 8),
    (64, 64, 16),
    (100, 30, 1024),
    (23, 41, 5),
])
def test_matches_brute_force(n_gallery, n_query, batch_size):
    gen = torch.Generator().manual_seed(n_gallery * 1000 + n_query)
    gf, gl = random_set(n_gallery, 12, 5, gen)
    qf, ql = random_set(n_query, 12, 5, gen)
    ks = tuple(k for k in (1, 2, 5, 10, 20) if k <= n_gallery)
    got = retrieval_recall(gf, gl, qf, ql, ks=ks, batch_size=batch_size)
    assert list(got) == list(ks)
    expected = brute_force_recall(gf, gl, qf, ql, ks)
    for k in ks:
        assert got[k] == pytest.approx(expected[k], abs=0)

    k = min(7, n_gallery)
    idx, sims = topk_neighbours(qf, gf, k, batch_size=batch_size)
    order, ref_sims = brute_force_order(gf, qf)
    assert idx.shape == sims.shape == (n_query, k)
    assert torch.equal(idx, order[:, :k])
    torch.testing.assert_close(sims, ref_sims[:, :k])


def test_float32_and_scaling_invariance():
    gen = torch.Generator().manual_seed(0)
    gf, gl = random_set(200, 32, 10, gen, dtype=torch.float32)
    qf, ql = random_set(90, 32, 10, gen, dtype=torch.float32)
    ks = (1, 5, 10, 20)
    got = retrieval_recall(gf, gl, qf, ql, ks=ks, batch_size=17)
    assert got == pytest.approx(brute_force_recall(gf, gl, qf, ql, ks))
    # cosine similarity: per-row positive scaling changes nothing
    scale = torch.rand(200, 1, generator=gen) * 10 + 0.1
    assert retrieval_recall(
        gf * scale, gl, qf, ql, ks=ks, batch_size=17) == got


@pytest.mark.parametrize('batch_size', [1, 2, 3, 7, 50, 1024])
def test_ties_lowest_gallery_index_wins(batch_size):
    # One-hot features: similarities are exactly 0 or 1, so many exact ties.
    gen = torch.Generator().manual_seed(1)
    gf = F.one_hot(torch.randint(0, 4, (50, ), generator=gen), 4).double()
    gf = gf * (torch.rand(50, 1, generator=gen, dtype=torch.float64) + 1)
    gl = torch.randint(0, 6, (50, ), generator=gen)
    qf = F.one_hot(torch.randint(0, 4, (13, ), generator=gen), 4).double()
    ql = torch.randint(0, 6, (13, ), generator=gen)
    order, _ = brute_force_order(gf, qf)
    idx, sims = topk_neighbours(qf, gf, 20, batch_size=batch_size)
    assert torch.equal(idx, order[:, :20])
    assert set(sims.unique().tolist()) <= {0.0, 1.0}
    ks = (1, 3, 10, 20)
    assert retrieval_recall(gf, gl, qf, ql, ks, batch_size) == \
        brute_force_recall(gf, gl, qf, ql, ks)


def test_hand_made_example():
    gallery = torch.tensor([[1., 0.], [0., 1.], [1., 1.]])
    g_labels = torch.tensor([0, 1, 2])
    query = torch.tensor([[1., 0.1], [0.2, 1.]])
    q_labels = torch.tensor([1, 1])
    # query 0: g0 (0.995) > g2 (0.774) > g1 (0.0995) -> its class at rank 3
    # query 1: g1 (0.981) > g2 (0.832) > g0 (0.196) -> its class at rank 1
    for bs in (1, 2, 1024):
        idx, sims = topk_neighbours(query, gallery, 3, batch_size=bs)
        assert idx.tolist() == [[0, 2, 1], [1, 2, 0]]
        assert sims[0, 0].item() == pytest.approx(1 / math.sqrt(1.01))
        assert sims[1, 1].item() == pytest.approx(1.2 / math.sqrt(2.08))
        assert retrieval_recall(
            gallery, g_labels, query, q_labels, ks=(1, 2, 3),
            batch_size=bs) == {
                1: 0.5,
                2: 0.5,
                3: 1.0
            }


def test_k_beyond_gallery_is_clipped_with_warning():
    gallery = torch.tensor([[1., 0.], [0., 1.], [1., 1.]])
    g_labels = torch.tensor([0, 1, 2])
    query = torch.tensor([[1., 0.1], [0.2, 1.], [-1., 0.]])
    q_labels = torch.tensor([1, 1, 7])  # class 7 is not in the gallery
    with pytest.warns(UserWarning, match='larger than the gallery'):
        got = retrieval_recall(
            gallery, g_labels, query, q_labels, ks=(1, 3, 5, 100))
    assert got == {1: pytest.approx(1 / 3), 3: 2 / 3, 5: 2 / 3, 100: 2 / 3}
    with pytest.warns(UserWarning, match='larger than the gallery'):
        idx, sims = topk_neighbours(query, gallery, 10)
    assert idx.shape == sims.shape == (3, 3)


def test_input_validation():
    f = torch.randn(4, 3)
    y = torch.arange(4)
    bad_cases = [
        (dict(train_labels=torch.arange(3)), 'train_labels has 3'),
        (dict(test_labels=torch.arange(5)), 'test_labels has 5'),
        (dict(test_feats=torch.randn(4, 2)), 'feature dimensions differ'),
        (dict(train_feats=torch.randn(0, 3),
              train_labels=torch.arange(0)), 'train_feats is empty'),
        (dict(test_feats=torch.randn(0, 3),
              test_labels=torch.arange(0)), 'test_feats is empty'),
        (dict(train_feats=torch.randn(4)), 'must be 2-D'),
        (dict(test_labels=y[:, None]), 'must be 1-D'),
        (dict(train_feats=torch.tensor([[0., 1, float('nan')]] * 4)), 'NaN'),
        (dict(test_feats=torch.tensor([[0., 1, float('inf')]] * 4)), 'Inf'),
        (dict(ks=()), 'ks must be'),
        (dict(ks=(1, 0)), 'ks must be'),
        (dict(batch_size=0), 'batch_size'),
    ]
    for override, message in bad_cases:
        kwargs = dict(
            train_feats=f, train_labels=y, test_feats=f, test_labels=y)
        kwargs.update(override)
        with pytest.raises(ValueError, match=message):
            retrieval_recall(**kwargs)
    with pytest.raises(ValueError, match='k must be'):
        topk_neighbours(f, f, 0)


def test_memory_bounded_blocks(monkeypatch):
    """No similarity block or merge buffer grows with the set sizes."""
    blocks, merges = [], []
    real_sim = search_mod._chunk_similarity
    real_topk = search_mod._keep_topk

    def spy_sim(q, g, *args):
        blocks.append((q.shape[0], g.shape[0]))
        return real_sim(q, g, *args)

    def spy_topk(scores, k, *args):
        merges.append(tuple(scores.shape))
        return real_topk(scores, k, *args)

    monkeypatch.setattr(search_mod, '_chunk_similarity', spy_sim)
    monkeypatch.setattr(search_mod, '_keep_topk', spy_topk)
    gen = torch.Generator().manual_seed(3)
    gf, gl = random_set(53, 8, 4, gen)
    qf, ql = random_set(37, 8, 4, gen)
    for bs, ks in ((8, (1, 5)), (3, (1, 10))):
        blocks.clear()
        merges.clear()
        got = retrieval_recall(gf, gl, qf, ql, ks=ks, batch_size=bs)
        assert got == brute_force_recall(gf, gl, qf, ql, ks)
        assert blocks and all(bq <= bs and bg <= bs for bq, bg in blocks)
        # every (query, gallery) pair is scored exactly once
        assert sum(bq * bg for bq, bg in blocks) == 37 * 53
        assert len(blocks) == math.ceil(37 / bs) * math.ceil(53 / bs)
        assert all(b <= bs and w <= bs + max(ks) for b, w in merges)


def make_samples(feats, labels, split):
    samples = []
    for f, y in zip(feats, labels):
        s = ActionDataSample()
        s.set_gt_labels([int(y)])
        s.feats = f.float()
        s.set_metainfo(dict(retrieval_split=split, filename='x.mp4'))
        samples.append(s)
    return samples


def test_metric_registered_and_buildable():
    metric = METRICS.build(dict(type='RetrievalMetric'))
    assert isinstance(metric, RetrievalMetric)
    assert metric.default_prefix == 'retrieval'
    assert metric.ks == (1, 5, 10, 20)
    assert METRICS.get('RetrievalMetric') is RetrievalMetric
    with pytest.raises(ValueError, match='must differ'):
        RetrievalMetric(gallery_split='a', query_split='a')
    with pytest.raises(ValueError, match='ks must be'):
        RetrievalMetric(ks=(0, ))


def test_metric_end_to_end_matches_function():
    gen = torch.Generator().manual_seed(4)
    gf, gl = random_set(40, 16, 6, gen, dtype=torch.float32)
    qf, ql = random_set(25, 16, 6, gen, dtype=torch.float32)
    ks = (1, 5, 10)
    expected = retrieval_recall(gf, gl, qf, ql, ks=ks, batch_size=7)

    # Interleave gallery and query samples like a ConcatDataset + sampler.
    samples = make_samples(gf, gl, 'train') + make_samples(qf, ql, 'test')
    perm = torch.randperm(len(samples), generator=gen).tolist()
    samples = [samples[i] for i in perm]
    gallery_order = [i for i in perm if i < 40]
    query_order = [i - 40 for i in perm if i >= 40]
    expected = retrieval_recall(
        gf[gallery_order],
        gl[gallery_order],
        qf[query_order],
        ql[query_order],
        ks=ks,
        batch_size=7)

    metric = RetrievalMetric(ks=ks, batch_size=7)
    # Raw ActionDataSamples, dicts, and a dict with a plain 'gt_label'.
    plain = samples[0].to_dict()
    plain['gt_label'] = int(plain.pop('gt_labels')['item'])
    metric.process(None, [plain])
    metric.process(None, samples[1:20])
    metric.process(None, [s.to_dict() for s in samples[20:]])
    got = metric.evaluate(len(samples))
    assert got == {f'retrieval/R@{k}': expected[k] for k in ks}
    assert all(0 <= v <= 1 for v in got.values())
    assert metric.results == []

    # Through MMEngine's Evaluator (converts data samples with to_dict()).
    evaluator = Evaluator(RetrievalMetric(ks=ks, prefix='ret'))
    for i in range(0, len(samples), 8):
        evaluator.process(samples[i:i + 8], data_batch=None)
    assert evaluator.evaluate(len(samples)) == {
        f'ret/R@{k}': expected[k]
        for k in ks
    }


def test_metric_errors():
    gen = torch.Generator().manual_seed(5)
    gf, gl = random_set(5, 4, 2, gen)
    metric = RetrievalMetric()
    metric.process(None, make_samples(gf, gl, 'train'))
    with pytest.raises(ValueError, match=r"query.*retrieval_split='test'"):
        metric.evaluate(5)

    metric = RetrievalMetric(split_key='which', gallery_split='db')
    s = make_samples(gf[:1], gl[:1], 'train')[0]
    with pytest.raises(KeyError, match="'which'"):
        metric.process(None, [s])
    s.set_metainfo(dict(which='val'))
    with pytest.raises(ValueError, match="which='val'"):
        metric.process(None, [s])
    s.set_metainfo(dict(which='test'))
    metric.process(None, [s])
    with pytest.raises(ValueError, match=r"gallery.*which='db'"):
        metric.evaluate(1)

    metric = RetrievalMetric()
    s = make_samples(gf[:1], [-1], 'train')[0]
    with pytest.raises(ValueError, match='unlabelled'):
        metric.process(None, [s])
    s = make_samples(gf[:1], gl[:1], 'train')[0]
    s.feats = gf[:2]
    with pytest.raises(ValueError, match='1-D'):
        metric.process(None, [s])
    del s.feats
    with pytest.raises(KeyError, match='feats'):
        metric.process(None, [s])
