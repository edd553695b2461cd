"""Feature cache: round trip, shards, identity checks and clear errors, on
the tiny SynthMotion fixture (tests/conftest.py)."""
import json
import os
import os.path as osp

import pytest
import torch
from mmengine.config import Config
from mmengine.registry import init_default_scope
from probe_fixtures import REPO_ROOT, VCOP_TINY, tiny_checkpoint

from mmssl.evaluation.feature_cache import (FeatureCacheMismatch,
                                            extract_features,
                                            load_feature_cache)
from mmssl.evaluation.feature_views import set_num_crops, split_dataset_cfgs
from mmssl.registry import MODELS
from mmssl.utils import register_all_modules
from mmssl.utils.config_overrides import apply_overrides


def _config(repo_root, synthmotion, **options):
    register_all_modules(init_default_scope=False)
    cfg = Config.fromfile(osp.join(repo_root, VCOP_TINY))
    return apply_overrides(cfg, options or None, synthmotion)


@pytest.fixture(scope='module')
def cache(synthmotion, tmp_path_factory):
    """A 'none' cache with 2 clips per video in shards of 5 videos."""
    out = str(tmp_path_factory.mktemp('cache'))
    cfg = _config(REPO_ROOT, synthmotion)
    meta = extract_features(
        cfg, 'none', out, num_clips=2, shard_size=5, num_workers=0,
        show_progress=False)
    return dict(out=out, cfg=cfg, meta=meta)


def test_round_trip_with_shards_and_meta(cache, repo_root):
    meta, out = cache['meta'], cache['out']
    assert meta['checkpoint'] == 'none' and meta['checkpoint_sha256'] is None
    assert (meta['num_clips'], meta['num_crops'], meta['feature']) == (2, 1,
                                                                      'feats')
    assert meta['splits']['train']['num_videos'] == 16
    assert meta['splits']['train']['shards'] == [
        f'train-0000{i}.pt' for i in range(4)
    ]  # 5 + 5 + 5 + 1
    assert meta['splits']['val']['shards'] == ['val-00000.pt', 'val-00001.pt']
    with open(osp.join(out, 'meta.json')) as f:
        assert json.load(f) == meta
    feats, labels, loaded_meta = load_feature_cache(
        out, 'train', expect_config=cache['cfg'], expect_checkpoint='none')
    assert feats.shape == (16, 128) and feats.dtype == torch.float32
    assert labels.dtype == torch.int64
    shard = torch.load(osp.join(out, 'train-00001.pt'), weights_only=True)
    assert shard['indices'].tolist() == [5, 6, 7, 8, 9]
    assert torch.equal(shard['feats'], feats[5:10])
    # labels and file names are the list's, in order
    with open(cache['cfg'].test_dataloader.dataset.datasets[0].ann_file) as f:
        lines = [line.split() for line in f if line.strip()]
    assert labels.tolist() == [int(label) for _, label in lines]
    assert shard['filenames'][0].endswith(lines[5][0])


def test_none_is_the_retrieval_baseline_and_predict_average(cache, repo_root):
    """'none' gives the seeded random init of prepare_evaluated_model; the
    cached feature equals the model's clip-averaged 'feats' (predict)."""
    from mmengine.runner import Runner

    from mmssl.utils.checkpoint_loading import prepare_evaluated_model
    cfg = cache['cfg']
    init_default_scope('mmssl')
    model = MODELS.build(cfg.model)
    prepare_evaluated_model(model, cfg.model, None, seed=0)
    model.eval()
    dataset_cfg = split_dataset_cfgs(cfg)['val']
    for t in dataset_cfg['pipeline']:
        if t.get('test_mode'):
            t['num_clips'] = 2
    loader = Runner.build_dataloader(
        dict(batch_size=3, num_workers=0, dataset=dataset_cfg,
             sampler=dict(type='DefaultSampler', shuffle=False)))
    with torch.no_grad():
        batch = next(iter(loader))
        data = model.data_preprocessor(batch, False)
        clip_feats = model.pooled_features(data['inputs'])  # (B, V, D)
    feats, _, _ = load_feature_cache(cache['out'], 'val')
    torch.testing.assert_close(feats[:3], clip_feats.mean(dim=1))


def test_mismatched_config_names_file_and_key(cache, repo_root, synthmotion):
    other = _config(repo_root, synthmotion,
                    **{'model.backbone.base_channels': 8})
    with pytest.raises(FeatureCacheMismatch) as error:
        load_feature_cache(cache['out'], 'train', expect_config=other)
    message = str(error.value)
    assert osp.join(cache['out'], 'meta.json') in message
    assert 'model.backbone.base_channels: 16 (cache) vs 8' in message
    assert isinstance(error.value, ValueError)


def test_mismatched_checkpoint_is_refused(cache, repo_root, tmp_path):
    ckpt = tiny_checkpoint(str(tmp_path / 'tiny.pth'))
    with pytest.raises(FeatureCacheMismatch,
                       match=r'meta.json: .*checkpoint none, not .*tiny.pth'):
        load_feature_cache(cache['out'], 'train', expect_checkpoint=ckpt)


def test_missing_cache_split_and_shard_errors(cache, tmp_path):
    with pytest.raises(FileNotFoundError, match='meta.json: no feature cache'):
        load_feature_cache(str(tmp_path), 'train')
    with pytest.raises(KeyError, match="no split 'test'"):
        load_feature_cache(cache['out'], 'test')
    broken = tmp_path / 'broken'
    broken.mkdir()
    for name in os.listdir(cache['out']):
        if name != 'val-00001.pt':
            (broken / name).write_bytes(
                open(osp.join(cache['out'], name), 'rb').read())
    with pytest.raises(FileNotFoundError, match='val-00001.pt: shard listed'):
        load_feature_cache(str(broken), 'val')


def test_checkpoint_cache_and_crops(repo_root, synthmotion, tmp_path):
    """A checkpoint's hash is recorded; 3 crops x 1 clip still gives one
    feature per video; a wrong split is named."""
    ckpt = tiny_checkpoint(str(tmp_path / 'tiny.pth'))
    cfg = _config(repo_root, synthmotion)
    out = str(tmp_path / 'cache')
    meta = extract_features(cfg, ckpt, out, splits=('val', ), num_clips=1,
                            num_crops=3, num_workers=0, show_progress=False)
    assert len(meta['checkpoint_sha256']) == 64 and meta['num_crops'] == 3
    feats, _, _ = load_feature_cache(out, 'val', expect_checkpoint=ckpt)
    assert feats.shape == (8, 128)
    with pytest.raises(KeyError, match=r"no split \['test'\]"):
        extract_features(cfg, ckpt, out, splits=('test', ))


def test_set_num_crops_rewrites_the_crop():
    pipeline = [dict(type='Resize', scale=(-1, 40)),
                dict(type='CenterCrop', crop_size=32)]
    assert set_num_crops([dict(t) for t in pipeline], 10)[1] == dict(
        type='TenCrop', crop_size=32)
    three = set_num_crops([dict(t) for t in pipeline], 3)
    assert three == [dict(type='Resize', scale=(-1, 32)),
                     dict(type='ThreeCrop', crop_size=32)]
    with pytest.raises(ValueError, match='num_crops must be one of'):
        set_num_crops(pipeline, 5)



def test_checkpoint_without_backbone_keys_is_one_error(repo_root, synthmotion,
                                                       tmp_path):
    from mmssl.utils.checkpoint_loading import CheckpointMismatchError
    bad = str(tmp_path / 'no_backbone.pth')
    torch.save(dict(state_dict={'head.fc.weight': torch.zeros(2, 2)}), bad)
    with pytest.raises(CheckpointMismatchError,
                       match=r'no_backbone.pth does not fit .*backbone'):
        extract_features(_config(repo_root, synthmotion), bad,
                         str(tmp_path / 'cache'), show_progress=False)
