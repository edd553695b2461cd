"""Retrieval variants (issue 9, protocol 4) against a brute-force reference:
mean-centering, L2 / Euclidean, per-class recall, clip-level queries and
gallery, R@k up to 50, and the per-clip features of ``predict``."""
import warnings

import pytest
import torch
import torch.nn.functional as F
from mmaction.structures import ActionDataSample
from mmengine.config import Config

from mmssl.evaluation.functional.retrieval import (retrieval_recall,
                                                   retrieval_recall_per_class,
                                                   topk_neighbours)
from mmssl.evaluation.metrics.retrieval_metric import RetrievalMetric
from mmssl.registry import MODELS
from mmssl.utils import register_all_modules

TCLR_TINY = 'configs/tclr/tclr_r3d-tiny_1xb8-8x32x32-11clips-30e_synthmotion.py'


def brute_force(gf, gl, qf, ql, ks, center=False, l2=True):
    """Full distance matrix, stable sort (ties: lower gallery index)."""
    if center:
        mean = gf.mean(0, keepdim=True)
        gf, qf = gf - mean, qf - mean
    if l2:
        gf, qf = F.normalize(gf, dim=1), F.normalize(qf, dim=1)
    dist = torch.cdist(qf, gf)
    order = torch.argsort(dist, dim=1, stable=True)
    hits = {k: (gl[order[:, :k]] == ql[:, None]).any(1) for k in ks}
    overall = {k: h.double().mean().item() for k, h in hits.items()}
    per_class = {
        int(c): {k: h[ql == c].double().mean().item()
                 for k, h in hits.items()}
        for c in ql.unique()
    }
    return overall, per_class, order


def random_set(n, d, n_cls, gen, offset=0.0):
    return (torch.randn(n, d, generator=gen, dtype=torch.float64) + offset,
            torch.randint(0, n_cls, (n, ), generator=gen))


@pytest.mark.parametrize('center', [False, True])
@pytest.mark.parametrize('l2', [True, False])
@pytest.mark.parametrize('batch_size', [4, 1024])
def test_variants_match_brute_force(center, l2, batch_size):
    gen = torch.Generator().manual_seed(7)
    # a shared offset: centering changes the cosine neighbours
    gf, gl = random_set(120, 6, 7, gen, offset=1.5)
    qf, ql = random_set(45, 6, 7, gen, offset=1.5)
    ks = (1, 5, 10, 20, 50)
    got = retrieval_recall_per_class(
        gf, gl, qf, ql, ks=ks, batch_size=batch_size, center=center,
        l2_normalize=l2)
    overall, per_class, order = brute_force(gf, gl, qf, ql, ks, center, l2)
    assert got['recall'] == pytest.approx(overall, abs=1e-12)
    assert list(got['per_class']) == sorted(per_class)
    for c, rec in per_class.items():
        assert got['per_class'][c] == pytest.approx(rec, abs=1e-12)
        assert got['num_queries'][c] == int((ql == c).sum())
    assert retrieval_recall(
        gf, gl, qf, ql, ks=ks, batch_size=batch_size, center=center,
        l2_normalize=l2) == got['recall']
    idx, _ = topk_neighbours(
        qf, gf, 50, batch_size=batch_size, center=center, l2_normalize=l2)
    assert torch.equal(idx, order[:, :50])


def test_flags_change_the_neighbours():
    """The shared offset dominates the raw cosine; centering removes it and
    Euclidean ranks differently from cosine, so each flag matters here."""
    gen = torch.Generator().manual_seed(3)
    gf, _ = random_set(60, 4, 3, gen, offset=3.0)
    qf, _ = random_set(30, 4, 3, gen, offset=3.0)
    plain = topk_neighbours(qf, gf, 5)[0]
    assert not torch.equal(plain, topk_neighbours(qf, gf, 5, center=True)[0])
    assert not torch.equal(plain,
                           topk_neighbours(qf, gf, 5, l2_normalize=False)[0])


def test_euclidean_scores_are_negative_squared_distances():
    gen = torch.Generator().manual_seed(5)
    gf, _ = random_set(9, 3, 2, gen)
    qf, _ = random_set(4, 3, 2, gen)
    idx, scores = topk_neighbours(qf, gf, 9, l2_normalize=False)
    ref = torch.cdist(qf, gf).pow(2).gather(1, idx)
    torch.testing.assert_close(-scores, ref)


def test_overall_is_query_weighted_mean_of_classes():
    gen = torch.Generator().manual_seed(11)
    gf, gl = random_set(40, 5, 4, gen)
    qf, ql = random_set(33, 5, 4, gen)
    got = retrieval_recall_per_class(gf, gl, qf, ql, ks=(1, 3))
    for k in (1, 3):
        weighted = sum(got['per_class'][c][k] * n
                       for c, n in got['num_queries'].items()) / 33
        assert got['recall'][k] == pytest.approx(weighted)


def _samples(feats_per_clip, labels, split, key='feats'):
    out = []
    for clips, label in zip(feats_per_clip, labels):
        s = ActionDataSample()
        s.set_gt_labels(torch.tensor([int(label)]))
        s.set_field(clips.mean(0), key)
        s.set_field(clips, f'{key}_per_clip')
        s.set_metainfo(dict(retrieval_split=split))
        out.append(s.to_dict())
    return out


@pytest.mark.parametrize('query_level,gallery_level',
                         [('video', 'video'), ('clip', 'video'),
                          ('clip', 'clip'), ('video', 'clip')])
@pytest.mark.parametrize('center', [False, True])
def test_metric_levels_match_brute_force(query_level, gallery_level, center):
    gen = torch.Generator().manual_seed(2)
    n_clips = 3
    g_clips = torch.randn(14, n_clips, 8, generator=gen) + 0.5
    q_clips = torch.randn(9, n_clips, 8, generator=gen) + 0.5
    gl = torch.randint(0, 4, (14, ), generator=gen)
    ql = torch.randint(0, 4, (9, ), generator=gen)
    ks = (1, 5, 10, 20, 50)
    metric = RetrievalMetric(
        ks=ks, query_level=query_level, gallery_level=gallery_level,
        center=center)
    samples = _samples(g_clips, gl, 'train') + _samples(q_clips, ql, 'test')
    metric.process(None, samples[::2])  # interleaved batches
    metric.process(None, samples[1::2])
    with warnings.catch_warnings():  # k above the 14-video gallery
        warnings.simplefilter('ignore', UserWarning)
        got = metric.evaluate(len(samples))

    def rows(clips, labels, level):
        if level == 'video':
            return clips.mean(1), labels
        return clips.flatten(0, 1), labels.repeat_interleave(n_clips)

    gf, gl_rows = rows(g_clips, gl, gallery_level)
    qf, ql_rows = rows(q_clips, ql, query_level)
    overall, per_class, _ = brute_force(
        gf, gl_rows, qf, ql_rows, [min(k, len(gl_rows)) for k in ks], center)
    expected = {k: overall[min(k, len(gl_rows))] for k in ks}
    assert got == pytest.approx(
        {f'retrieval/R@{k}': v for k, v in expected.items()})
    report = metric.last_report
    assert report['num_query_items'] == len(ql_rows)
    assert report['num_gallery_items'] == len(gl_rows)
    assert set(report['per_class']) == set(per_class)


def test_metric_clip_level_without_per_clip_features_is_explained():
    metric = RetrievalMetric(query_level='clip')
    s = ActionDataSample()
    s.set_gt_labels(torch.tensor([0]))
    s.set_field(torch.ones(4), 'feats')
    s.set_metainfo(dict(retrieval_split='test'))
    with pytest.raises(KeyError, match='keep_clip_features'):
        metric.process(None, [s.to_dict()])
    with pytest.raises(ValueError, match='query_level'):
        RetrievalMetric(query_level='frame')


def test_predict_keeps_clip_features_on_request(repo_root):
    register_all_modules(init_default_scope=False)
    cfg = Config.fromfile(f'{repo_root}/{TCLR_TINY}')
    model = MODELS.build(cfg.model).eval()
    inputs = torch.randn(2, 3, 3, 8, 32, 32)
    with torch.no_grad():
        plain = model.predict(inputs)
        assert 'feats_per_clip' not in plain[0]
        model.keep_clip_features = True
        kept = model.predict(inputs)
    for name in ('feats', 'time_feats'):
        per_clip = kept[0].get(f'{name}_per_clip')
        assert per_clip.shape[0] == 3
        torch.testing.assert_close(per_clip.mean(0), kept[0].get(name))
        torch.testing.assert_close(plain[0].get(name), kept[0].get(name))
