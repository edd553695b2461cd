"""The retrieval tool's protocol options end to end on the tiny SynthMotion
dataset: time-kept features, clips per video, and a swapped data config."""
import importlib.util
import os.path as osp

import pytest
from mmengine.config import Config

from mmssl.evaluation.protocol_config import (set_feature_key, set_num_clips,
                                              use_data_config)
from mmssl.utils import register_all_modules
from mmssl.utils.config_overrides import apply_overrides

TCLR_TINY = 'configs/tclr/tclr_r3d-tiny_1xb8-8x32x32-11clips-30e_synthmotion.py'


def _tool(repo_root):
    path = osp.join(repo_root, 'tools', 'analysis_tools', 'retrieval.py')
    spec = importlib.util.spec_from_file_location('retrieval_tool', path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _config(repo_root, synthmotion, data_config=None):
    register_all_modules(init_default_scope=False)
    cfg = Config.fromfile(osp.join(repo_root, TCLR_TINY))
    if data_config:
        use_data_config(cfg, osp.join(repo_root, data_config))
    cfg = apply_overrides(cfg, dict(test_dataloader=dict(num_workers=0)),
                          synthmotion)
    set_num_clips(cfg, 2)
    cfg.test_evaluator.ks = (1, 5, 10)  # 16 gallery videos
    return cfg


@pytest.mark.parametrize('feature', ['feats', 'time_feats'])
def test_retrieval_with_each_feature(repo_root, synthmotion, feature):
    cfg = _config(repo_root, synthmotion)
    set_feature_key(cfg, feature)
    report = _tool(repo_root).evaluate_retrieval(
        cfg, None, seed=0, show_progress=False)
    assert report['feature'] == feature
    assert report['num_clips'] == 2
    assert (report['num_gallery'], report['num_query']) == (16, 8)
    assert all(0 <= report[f'R@{k}'] <= 1 for k in (1, 5, 10))


def test_data_config_swap_reads_the_new_lists(repo_root, synthmotion):
    """A swapped protocol file takes effect (its missing HMDB51 list is what
    fails), so --data-config is not silently ignored."""
    cfg = _config(repo_root, synthmotion,
                  'configs/_base_/datasets/hmdb51_split1_tclr_retrieval.py')
    assert cfg.test_evaluator.feature_key == 'time_feats'
    with pytest.raises(FileNotFoundError, match='hmdb51_train_split_1'):
        _tool(repo_root).evaluate_retrieval(
            cfg, None, seed=0, show_progress=False)


def test_clip_queries_centering_and_per_class_report(repo_root, synthmotion):
    """Clip-level queries against video-level gallery: 8 query videos x 2
    clips = 16 query items; the report has every query class."""
    tool = _tool(repo_root)
    cfg = _config(repo_root, synthmotion)
    tool.set_retrieval_variant(
        cfg, ks=(1, 5, 10, 20, 50), query_level='clip', center=True)
    with pytest.warns(UserWarning, match='k=20 is larger'):
        report = tool.evaluate_retrieval(
            cfg, None, seed=0, show_progress=False)
    assert (report['query_level'], report['gallery_level']) == ('clip',
                                                                'video')
    assert report['center'] and report['l2_normalize']
    assert (report['num_query_items'], report['num_gallery_items']) == (16,
                                                                       16)
    assert sorted(report['per_class'], key=int) == [str(c) for c in range(8)]
    for per_class in report['per_class'].values():
        assert per_class['num_queries'] == 2  # one video, two clips
        assert set(per_class) == {'num_queries', 'R@1', 'R@5', 'R@10',
                                  'R@20', 'R@50'}
    assert report['R@50'] == 1.0  # the whole gallery holds every class
