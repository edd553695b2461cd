"""Retrieval features as TCLR/STCLR use them (time axis kept and flattened)
next to the 3-D pooled ones, and their use by the metric (issue 8, item 3)."""
import pytest
import torch
import torch.nn as nn
import torch.nn.functional as F

from mmssl.evaluation.functional.retrieval import retrieval_recall
from mmssl.evaluation.metrics.retrieval_metric import RetrievalMetric
from mmssl.models.algorithms.base import BaseSSLAlgorithm
from mmssl.models.utils.feature_pooling import pool_feature_map

TINY_BACKBONE = dict(
    type='ResNet3d',
    depth=18,
    stage_blocks=(1, 1, 1, 1),
    base_channels=4,
    pretrained=None,
    pretrained2d=False,
    conv1_kernel=(3, 7, 7),
    conv1_stride_t=1,
    pool1_stride_t=1,
    inflate=(1, 1, 1, 1))


class _Features(BaseSSLAlgorithm):
    """Smallest concrete algorithm: features only."""

    def loss(self, inputs, data_samples):
        return {}


class _MapBackbone(nn.Module):
    """Returns a fixed function of the clip as its 'feature map': the clip
    itself, (N, C=3, T, H, W), so pooled values are easy to compute."""

    def forward(self, x):
        return x


def _feature_model():
    model = _Features(backbone=TINY_BACKBONE)
    model.backbone = _MapBackbone()
    return model


def test_pool_feature_map_hand_computed():
    # N=1, C=2, T'=3, H'=W'=2; value = 100 c + 10 t + (h * 2 + w)
    c, t, h, w = torch.meshgrid(
        torch.arange(2.), torch.arange(3.), torch.arange(2.),
        torch.arange(2.), indexing='ij')
    fmap = (100 * c + 10 * t + 2 * h + w)[None]
    # spatial means add 1.5 (mean of 0..3); channel-major order c*T' + t
    assert pool_feature_map(fmap, 'time').tolist() == [[
        1.5, 11.5, 21.5, 101.5, 111.5, 121.5
    ]]
    assert pool_feature_map(fmap, 'global').tolist() == [[11.5, 111.5]]
    # TCLR's nn_retrieval: AdaptiveAvgPool3d((None, 1, 1)) -> squeeze(3)
    # twice -> .view(-1) per clip
    tclr = nn.AdaptiveAvgPool3d((None, 1, 1))(fmap).squeeze(3).squeeze(3)
    assert torch.equal(pool_feature_map(fmap, 'time')[0], tclr[0].view(-1))
    with pytest.raises(ValueError, match='pooling must be one of'):
        pool_feature_map(fmap, 'temporal')
    with pytest.raises(ValueError, match='feature map'):
        pool_feature_map(fmap.flatten(2), 'time')


def test_predict_attaches_time_feats_averaged_over_clips():
    model = _feature_model().eval()
    gen = torch.Generator().manual_seed(0)
    inputs = torch.rand(2, 3, 3, 4, 5, 5, generator=gen)  # B=2, V=3 clips
    feats = model.clip_features(inputs)
    assert feats['feats'].shape == (2, 3, 3)  # C
    assert feats['time_feats'].shape == (2, 3, 3 * 4)  # C * T
    out = model.predict(inputs)
    for b in range(2):
        # per clip: mean over (H, W), (C, T) flattened channel-major; then
        # the mean over the clips (TCLR: sum of feature / clips_per_video)
        expected = inputs[b].mean(dim=(3, 4)).flatten(1).mean(0)
        torch.testing.assert_close(out[b].time_feats, expected)
        torch.testing.assert_close(out[b].feats, inputs[b].mean(
            dim=(2, 3, 4)).mean(0))
    # tensor mode (used by the losses) is unchanged: 3-D pooled
    torch.testing.assert_close(model(inputs, mode='tensor'), feats['feats'])


def test_time_feats_shape_of_a_real_tiny_backbone():
    model = _Features(backbone=TINY_BACKBONE).eval()
    with torch.no_grad():
        fmap = model.extract_feat(torch.rand(2, 3, 8, 32, 32))
        out = model.predict(torch.rand(2, 2, 3, 8, 32, 32))
    n, c, t = fmap.shape[:3]
    assert (c, t) == (32, 4)  # pool2 halves the 8 frames
    assert out[0].feats.shape == (c, )
    assert out[0].time_feats.shape == (c * t, )


def test_subclass_with_own_pooling_gets_feats_only():

    class OwnPooling(_Features):

        def pooled_features(self, inputs):
            return inputs.mean(dim=(3, 4, 5))  # (B, V, C)

    model = OwnPooling(backbone=TINY_BACKBONE)
    out = model.predict(torch.ones(1, 2, 3, 4, 4, 4))
    assert 'time_feats' not in out[0] and out[0].feats.shape == (3, )


def _tclr_reference_recall(train_clips, train_labels, test_clips, test_labels,
                           ks):
    """TCLR's nn_retrieval, written out: per clip spatial pool + flatten,
    ``sum(feature / clips_per_vid)`` per video, L2 normalise, cosine
    similarity, argsort, hit if the label is among the last k."""

    def video_feats(clips):  # (N, V, C, T, H, W)
        n, v = clips.shape[:2]
        out = torch.zeros(n, clips.shape[2] * clips.shape[3],
                          dtype=clips.dtype)
        for i in range(n):
            for j in range(v):
                pooled = nn.AdaptiveAvgPool3d((None, 1, 1))(clips[i, j][None])
                out[i] += (1 / v) * pooled.squeeze(3).squeeze(3)[0].view(-1)
        return out

    train, test = video_feats(train_clips), video_feats(test_clips)
    train /= train.norm(dim=1)[:, None]
    test /= test.norm(dim=1)[:, None]
    order = torch.argsort(train @ test.T, dim=0)
    recall = {}
    for k in ks:
        hits = [
            test_labels[i] in train_labels[order[-k:, i]].tolist()
            for i in range(len(test_labels))
        ]
        recall[k] = sum(hits) / len(hits)
    return recall


def _samples(model, clips, labels, split):
    out = model.predict(clips)
    for sample, label in zip(out, labels):
        sample.set_gt_labels([int(label)])
        sample.set_metainfo(dict(retrieval_split=split))
    return out


def test_metric_consumes_time_feats_like_tclr_nn_retrieval():
    gen = torch.Generator().manual_seed(1)
    model = _feature_model().eval()
    # 'feature maps' whose time axis carries the class: videos of a class
    # share a temporal profile (random per class) under spatial noise.
    profiles = torch.rand(4, 3, 4, generator=gen)

    def make(n):
        labels = torch.randint(0, 4, (n, ), generator=gen)
        clips = profiles[labels][:, None, :, :, None, None] + 0.8 * torch.rand(
            n, 3, 3, 4, 2, 2, generator=gen)
        return clips.double(), labels

    (gc, gl), (qc, ql) = make(24), make(16)
    ks = (1, 5)
    metric = RetrievalMetric(ks=ks, feature_key='time_feats')
    metric.process(None, _samples(model, gc, gl, 'train'))
    metric.process(None, _samples(model, qc, ql, 'test'))
    got = metric.evaluate(40)
    expected = _tclr_reference_recall(gc, gl, qc, ql, ks)
    assert got == {f'retrieval/R@{k}': expected[k] for k in ks}
    # and the default still reads the 3-D pooled feats
    metric = RetrievalMetric(ks=ks)
    metric.process(None, _samples(model, gc, gl, 'train'))
    metric.process(None, _samples(model, qc, ql, 'test'))
    pooled = retrieval_recall(
        gc.mean(dim=(3, 4, 5)).mean(1), gl,
        qc.mean(dim=(3, 4, 5)).mean(1), ql, ks=ks)
    assert metric.evaluate(40) == {f'retrieval/R@{k}': pooled[k] for k in ks}


def test_metric_feature_key_errors():
    with pytest.raises(ValueError, match='feature_key'):
        RetrievalMetric(feature_key='')
    metric = RetrievalMetric(feature_key='time_feats')
    sample = dict(feats=torch.ones(3), gt_label=0, retrieval_split='train')
    with pytest.raises(KeyError,
                       match=r"no 'time_feats' \(it has \['feats'\]"):
        metric.process(None, [sample])
    sample['time_feats'] = torch.ones(3, 2)
    with pytest.raises(ValueError, match="'time_feats' must be 1-D"):
        metric.process(None, [sample])


def test_time_and_global_features_differ_in_what_they_keep():
    """Two clips with the same frames in reverse order: identical 3-D pooled
    features, different time-kept features (why TCLR retrieves with them)."""
    gen = torch.Generator().manual_seed(2)
    clip = torch.rand(1, 3, 4, 2, 2, generator=gen)
    backwards = clip.flip(2)
    assert torch.allclose(
        pool_feature_map(clip, 'global'),
        pool_feature_map(backwards, 'global'))
    assert F.cosine_similarity(
        pool_feature_map(clip, 'time'), pool_feature_map(backwards,
                                                         'time')).item() < 0.99
