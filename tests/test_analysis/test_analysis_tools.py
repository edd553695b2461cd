"""Tiny end-to-end runs of the analysis tools on the SynthMotion fixture:
CKA heatmap, noise robustness, t-SNE, retrieval gallery and Grad-CAM each
write their JSON report and PNG."""
import json
import os.path as osp

import numpy as np
import pytest
import torch
from mmengine.config import Config
from probe_fixtures import REPO_ROOT, VCOP_TINY, tiny_checkpoint
from tool_modules import load_tool

from mmssl.evaluation.feature_cache import (extract_features,
                                            load_feature_cache)
from mmssl.utils import register_all_modules
from mmssl.utils.config_overrides import apply_overrides

FINETUNE = osp.join(REPO_ROOT, 'configs', 'benchmarks', 'finetune',
                    'r3d-tiny_finetune_synthmotion.py')
PRETRAIN = osp.join(REPO_ROOT, VCOP_TINY)
CLASSES = ['move_right', 'move_left', 'move_up', 'move_down',
           'orbit_clockwise', 'orbit_anticlockwise', 'zoom_in', 'zoom_out']


def cache_names(cache):
    """Video paths per split of a feature cache, in feature order."""
    with open(osp.join(cache, 'meta.json')) as f:
        splits = json.load(f)['splits']
    return {split: [name for shard in info['shards'] for name in torch.load(
        osp.join(cache, shard), weights_only=True)['filenames']]
        for split, info in splits.items()}


def tool(name):
    return load_tool(f'tools/analysis_tools/{name}.py', f'{name}_tool')


@pytest.fixture(scope='module')
def checkpoint(tmp_path_factory):
    return tiny_checkpoint(str(tmp_path_factory.mktemp('ckpt') / 'vcop.pth'))


@pytest.fixture(scope='module')
def cache(synthmotion, checkpoint, tmp_path_factory):
    register_all_modules(init_default_scope=False)
    cfg = apply_overrides(Config.fromfile(PRETRAIN), None, synthmotion)
    out = str(tmp_path_factory.mktemp('features'))
    extract_features(cfg, checkpoint, out, num_clips=2, num_workers=0,
                     show_progress=False)
    return out


def test_cka_tool_two_models(synthmotion, checkpoint, tmp_path):
    report = tool('cka').main([
        PRETRAIN, checkpoint, '--second-checkpoint', 'none', '--out-dir',
        str(tmp_path), '--data-root', synthmotion, '--batch-size', '4',
        '--layers', 'backbone.conv1', 'backbone.layer2.0',
        'backbone.layer4.0'])
    assert report['num_examples'] == 8  # 8 val videos x 1 clip
    assert len(report['cka']) == 3 and len(report['cka'][0]) == 3
    assert all(-0.5 < v < 1.5 for row in report['cka'] for v in row)
    assert osp.getsize(tmp_path / 'cka.png') > 0
    same = tool('cka').main([
        PRETRAIN, checkpoint, '--out-dir', str(tmp_path / 'self'),
        '--data-root', synthmotion, '--batch-size', '8', '--full',
        '--layers', 'backbone.conv1', 'backbone.layer4.0'])
    assert [same['cka'][i][i] for i in range(2)] == [1.0, 1.0]


def test_noise_robustness_tool(synthmotion, tmp_path):
    report = tool('noise_robustness').main([
        FINETUNE, 'none', '--out-dir', str(tmp_path), '--data-root',
        synthmotion, '--noises', 'gaussian', 'impulse', '--severities', '1',
        '5', '--seed', '1'])
    assert report['num_videos'] == 8
    assert set(report['results']) == {'gaussian', 'impulse'}
    clean = report['clean_top1']
    for rows in report['results'].values():
        assert [r['severity'] for r in rows] == [1, 5]
        for row in rows:
            if clean > 0:
                assert row['relative_robustness'] == pytest.approx(
                    (clean - row['top1']) / clean, abs=1e-3)
    with open(tmp_path / 'noise_robustness.json') as f:
        assert json.load(f)['results'] == report['results']
    assert osp.isfile(tmp_path / 'noise_robustness.png') == (clean > 0)


def test_tsne_and_gallery_tools(cache, tmp_path):
    classes = tmp_path / 'classes.txt'
    classes.write_text('\n'.join(CLASSES) + '\n')
    tsne = tool('tsne').main([cache, '--splits', 'train', 'val',
                              '--classes', str(classes), '--out-dir',
                              str(tmp_path / 'tsne'), '--perplexity', '5'])
    assert tsne['num_points'] == 24 and tsne['perplexity'] == 5
    assert osp.getsize(tmp_path / 'tsne' / 'tsne.png') > 0
    gallery = tool('retrieval_gallery').main([
        cache, '--k', '3', '--queries', '3', '--classes', str(classes),
        '--out-dir', str(tmp_path / 'gallery')])
    assert gallery['num_queries'] == 3
    for query in gallery['queries']:
        hits = query['neighbours']
        assert len(hits) == 3
        assert [h['similarity'] for h in hits] == sorted(
            (h['similarity'] for h in hits), reverse=True)
        assert all(h['correct'] == (h['label'] == query['label'])
                   for h in hits)
    assert osp.getsize(tmp_path / 'gallery' / 'retrieval_gallery.png') > 0
    # neighbours equal a brute-force cosine ranking of the cached features
    gallery_feats, _, _ = load_feature_cache(cache, 'train')
    query_feats, _, _ = load_feature_cache(cache, 'val')
    names = cache_names(cache)
    g = gallery_feats.numpy() / np.linalg.norm(gallery_feats.numpy(), axis=1,
                                               keepdims=True)
    for query in gallery['queries']:
        q = query_feats[names['val'].index(query['query'])].numpy()
        sims = g @ (q / np.linalg.norm(q))
        best = np.argsort(-sims, kind='stable')[:3]
        assert [h['video'] for h in query['neighbours']] == [
            names['train'][i] for i in best]
        assert [h['similarity'] for h in query['neighbours']] == \
            pytest.approx(sims[best].tolist(), abs=1e-5)


@pytest.mark.parametrize('config', [FINETUNE, PRETRAIN])
def test_grad_cam_tool(config, synthmotion, tmp_path):
    report = tool('grad_cam').main([
        config, 'none', '--out-dir', str(tmp_path), '--data-root',
        synthmotion, '--videos', '2', '--frames', '3'])
    assert len(report['videos']) == 2
    assert report['layer'].startswith('backbone.')
    assert ('class score' in report['score']) == (config == FINETUNE)
    assert osp.getsize(tmp_path / 'grad_cam.png') > 0
