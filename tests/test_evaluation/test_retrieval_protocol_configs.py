"""Retrieval protocol configs: which feature each family retrieves with, the
number of clips per video, and the HMDB51 split-1 configs (issue 8, item 3).
"""
import glob
import os.path as osp

import pytest
import torch
from mmengine.config import Config
from mmengine.registry import init_default_scope

from mmssl.evaluation.protocol_config import (num_clips_of,
                                              retrieval_metric_cfg,
                                              set_feature_key, set_num_clips,
                                              use_data_config)
from mmssl.registry import DATASETS, METRICS, MODELS
from mmssl.utils import register_all_modules

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
DATA = osp.join(REPO, 'configs', '_base_', 'datasets')
HMDB = {
    'hmdb51_split1.py': ('feats', 1),
    'hmdb51_split1_tclr_retrieval.py': ('time_feats', 3),
}


def _paper_configs(pattern):
    return sorted(glob.glob(osp.join(REPO, 'configs', pattern)))


TCLR_FAMILY = _paper_configs('tclr/*ucf101-split1.py') + _paper_configs(
    'stclr/*ucf101-split1.py')
OTHERS = _paper_configs('vcop/*ucf101-split1.py')


def _name(path):
    return osp.relpath(path, REPO)


@pytest.mark.parametrize('path', TCLR_FAMILY, ids=_name)
def test_tclr_family_retrieves_with_time_kept_features(path):
    cfg = Config.fromfile(path)
    assert retrieval_metric_cfg(cfg)['feature_key'] == 'time_feats'
    assert num_clips_of(cfg) == 10
    sampler = cfg.test_dataloader.dataset.datasets[0].pipeline[1]
    assert (sampler.clip_len, sampler.frame_interval) == (16, 3)


@pytest.mark.parametrize('path', OTHERS, ids=_name)
def test_other_methods_keep_3d_pooled_features(path):
    cfg = Config.fromfile(path)
    assert retrieval_metric_cfg(cfg).get('feature_key', 'feats') == 'feats'


def test_tclr_family_configs_found():
    assert len(TCLR_FAMILY) >= 4 and OTHERS


def test_set_num_clips_and_feature():
    cfg = Config.fromfile(TCLR_FAMILY[0])
    assert set_num_clips(cfg, 9) == 2  # gallery and query pipelines
    assert num_clips_of(cfg) == 9
    for dataset in cfg.test_dataloader.dataset.datasets:
        assert dataset.pipeline[1].num_clips == 9
    set_feature_key(cfg, 'feats')
    assert cfg.test_evaluator.feature_key == 'feats'
    with pytest.raises(ValueError, match='positive int'):
        set_num_clips(cfg, 0)
    cfg.test_dataloader.dataset.datasets[0].pipeline[1].test_mode = False
    cfg.test_dataloader.dataset.datasets[1].pipeline = []
    with pytest.raises(ValueError, match='no test-mode clip sampler'):
        set_num_clips(cfg, 9)


@pytest.mark.parametrize('data_config', sorted(HMDB))
def test_hmdb51_split1_configs(data_config, tmp_path):
    """The HMDB51 configs follow MMAction2's layout, swap into a UCF101
    pretraining config, and their model, datasets and metric build."""
    register_all_modules(init_default_scope=False)
    init_default_scope('mmssl')
    feature, interval = HMDB[data_config]
    cfg = Config.fromfile(TCLR_FAMILY[0])
    use_data_config(cfg, osp.join(DATA, data_config))
    assert cfg.data_root == 'data/hmdb51/videos'
    train, test = cfg.test_dataloader.dataset.datasets
    assert train.ann_file == 'data/hmdb51/hmdb51_train_split_1_videos.txt'
    assert test.ann_file == 'data/hmdb51/hmdb51_val_split_1_videos.txt'
    assert (train.split_tag, test.split_tag) == ('train', 'test')
    assert train.data_prefix == dict(video='data/hmdb51/videos')
    assert retrieval_metric_cfg(cfg)['feature_key'] == feature
    assert num_clips_of(cfg) == 10
    assert train.pipeline[1].frame_interval == interval
    assert MODELS.build(cfg.model) is not None
    assert METRICS.build(cfg.test_evaluator).feature_key == feature
    # MMAction2 list format: '<class>/<video>.avi <label>'
    for dataset, lines in ((train, ['brush_hair/a.avi 0', 'wave/b.avi 50']),
                           (test, ['cartwheel/c.avi 2'])):
        ann = tmp_path / osp.basename(dataset.ann_file)
        ann.write_text('\n'.join(lines) + '\n')
        for line in lines:  # placeholders: nothing is decoded here
            video = tmp_path / line.split()[0]
            video.parent.mkdir(exist_ok=True)
            video.touch()
        dataset.ann_file = str(ann)
        dataset.data_prefix = dict(video=str(tmp_path))
    concat = DATASETS.build(cfg.test_dataloader.dataset)
    infos = [concat.get_data_info(i) for i in range(len(concat))]
    assert [i['retrieval_split'] for i in infos] == ['train', 'train', 'test']
    assert [i['label'] for i in infos] == [0, 50, 2]
    assert infos[1]['filename'] == osp.join(str(tmp_path), 'wave/b.avi')


def test_use_data_config_needs_a_test_loader(tmp_path):
    cfg = Config.fromfile(TCLR_FAMILY[0])
    empty = tmp_path / 'empty.py'
    empty.write_text('x = 1\n')
    with pytest.raises(KeyError, match='no test_dataloader'):
        use_data_config(cfg, str(empty))


def test_tclr_r3d_18_time_feats_are_512_x_4():
    """TCLR's retrieval R3D-18 keeps 4 timesteps of a 16-frame clip in layer
    4 (temporal dilation in the released code, stride 1 here): 2048-d."""
    register_all_modules(init_default_scope=False)
    init_default_scope('mmssl')
    path = [p for p in TCLR_FAMILY if '/tclr/' in p][0]
    model = MODELS.build(Config.fromfile(path).model).eval()
    with torch.no_grad():
        out = model.predict(torch.rand(1, 2, 3, 16, 32, 32))
    assert out[0].feats.shape == (512, )
    assert out[0].time_feats.shape == (512 * 4, )
