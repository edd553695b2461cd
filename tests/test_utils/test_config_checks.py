"""Command-line overrides reach the config; config errors name their key."""
import importlib.util
import os.path as osp
import sys

import pytest
import torch
import torch.nn as nn
from mmengine.config import Config

import mmssl  # noqa: F401
from mmssl.utils.config_overrides import apply_overrides, rebase_paths
from mmssl.utils.config_validation import (ConfigError,
                                           check_registered_types,
                                           check_schedule_fits)
from mmssl.utils.forward_trace import FirstForwardTrace

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
VCOP_TINY = osp.join(
    REPO, 'configs/vcop/vcop_r3d-tiny_1xb8-8x32x32-3clips-40e_synthmotion.py')


def load_train_tool():
    spec = importlib.util.spec_from_file_location(
        'mmssl_train_tool', osp.join(REPO, 'tools/train.py'))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def train_args(monkeypatch, *flags):
    tool = load_train_tool()
    monkeypatch.setattr(sys, 'argv', ['train.py', VCOP_TINY, *flags])
    return tool, tool.parse_args()


def test_seed_and_deterministic_flags_win_over_the_config(monkeypatch):
    tool, args = train_args(monkeypatch, '--seed', '7', '--deterministic',
                            '--work-dir', '/tmp/x')
    cfg = Config.fromfile(VCOP_TINY)
    assert cfg.randomness.seed == 0  # the schedule base's default
    cfg = tool.merge_args(cfg, args)
    assert cfg.randomness.seed == 7 and cfg.randomness.deterministic


def test_config_seed_kept_without_flags(monkeypatch):
    tool, args = train_args(monkeypatch, '--work-dir', '/tmp/x')
    cfg = tool.merge_args(Config.fromfile(VCOP_TINY), args)
    assert cfg.randomness == dict(seed=0)


def test_resume_resolves_the_checkpoint_or_refuses(monkeypatch, tmp_path):
    from mmssl.utils.resume_checkpoint import NoCheckpointToResume
    tool, args = train_args(monkeypatch, '--resume', '--work-dir',
                            str(tmp_path))
    with pytest.raises(NoCheckpointToResume, match=str(tmp_path)):
        tool.merge_args(Config.fromfile(VCOP_TINY), args)
    (tmp_path / 'epoch_4.pth').write_bytes(b'x')
    cfg = tool.merge_args(Config.fromfile(VCOP_TINY), args)
    assert cfg.resume and cfg.load_from == str(tmp_path / 'epoch_4.pth')
    tool, args = train_args(monkeypatch, '--resume', str(tmp_path / 'no.pth'),
                            '--work-dir', str(tmp_path))
    with pytest.raises(NoCheckpointToResume, match='no.pth'):
        tool.merge_args(Config.fromfile(VCOP_TINY), args)


def test_data_root_option_moves_every_dataset_path():
    cfg = Config.fromfile(VCOP_TINY)
    apply_overrides(cfg, {'data_root': '/d/sm', 'train_cfg.max_epochs': 2})
    assert cfg.train_dataloader.dataset.ann_file == '/d/sm/train_list.txt'
    assert cfg.train_dataloader.dataset.data_prefix.video == '/d/sm'
    retrieval = cfg.test_dataloader.dataset.datasets
    assert retrieval[1].ann_file == '/d/sm/val_list.txt'
    assert retrieval[0].data_prefix.video == '/d/sm'
    assert 'data/synthmotion' not in cfg.pretty_text
    assert cfg.train_cfg.max_epochs == 2


def test_explicit_path_option_wins_over_data_root():
    cfg = Config.fromfile(VCOP_TINY)
    apply_overrides(cfg, {'train_dataloader.dataset.ann_file': '/a/l.txt'},
                    data_root='/d')
    assert cfg.train_dataloader.dataset.ann_file == '/a/l.txt'
    assert cfg.train_dataloader.dataset.data_prefix.video == '/d'
    with pytest.raises(ValueError, match='disagree'):
        apply_overrides(cfg, {'data_root': '/e'}, data_root='/f')


def test_data_root_needs_a_data_root_variable():
    cfg = Config(dict(train_dataloader=dict(ann_file='a/list.txt')))
    with pytest.raises(ConfigError, match='needs a `data_root` variable'):
        apply_overrides(cfg, data_root='/d')


def test_rebase_paths_only_moves_whole_path_components():
    assert rebase_paths(['data/sm', 'data/sm/a', 'data/smx/a', 3],
                        'data/sm', '/n') == ['/n', '/n/a', 'data/smx/a', 3]


@pytest.mark.parametrize('key,value,hint', [
    ('optim_wrapper.optimizer.type', 'SGDX', "did you mean 'SGD'"),
    ('optim_wrapper.type', 'OptimWraper', "did you mean 'OptimWrapper'"),
])
def test_unknown_optimizer_types_name_the_key(key, value, hint):
    cfg = Config.fromfile(VCOP_TINY)
    check_registered_types(cfg)  # the shipped config is fine
    cfg.merge_from_dict({key: value})
    with pytest.raises(ConfigError) as info:
        check_registered_types(cfg)
    assert str(info.value).startswith(f"{key}='{value}'")
    assert hint in str(info.value)


SPEEDLOC_TINY = osp.join(
    REPO, 'configs/stclr/speedloc_r3d-tiny_1xb8-8x32x32-3clips-30e_'
    'synthmotion.py')


def test_schedule_shorter_than_warm_up_names_the_scheduler():
    """max_epochs=1 on a 9-epoch warm-up made MMEngine fail deep in the
    runner ("end should be larger than begin"); now one line names it."""
    cfg = Config.fromfile(SPEEDLOC_TINY)
    check_schedule_fits(cfg)  # the shipped config is fine
    cfg.merge_from_dict({'train_cfg.max_epochs': 1})
    with pytest.raises(ConfigError,
                       match=r'param_scheduler\[1\] \(CosineAnnealingLR\) '
                       r'begins at epoch 9 but train_cfg.max_epochs=1'):
        check_schedule_fits(cfg)
    cfg.merge_from_dict({'param_scheduler.1.begin': 0})
    check_schedule_fits(cfg)  # the documented way out
    iter_based = Config(dict(train_cfg=dict(by_epoch=False, max_iters=5),
                             param_scheduler=[dict(type='X', begin=9)]))
    check_schedule_fits(iter_based)  # iteration loops are not checked


class Algorithm(nn.Module):

    def __init__(self, head_in):
        super().__init__()
        self.backbone = nn.Sequential(nn.Linear(3, 8), nn.ReLU())
        self.head = nn.Sequential(nn.Linear(head_in, 2))

    def forward(self, x):
        return self.head(self.backbone(x))


def test_first_forward_shape_error_names_the_head_key():
    model_cfg = dict(
        type='Algorithm', backbone=dict(type='B'),
        head=dict(type='H', in_channels=6))
    model = Algorithm(head_in=6)
    trace = FirstForwardTrace(model)
    with pytest.raises(RuntimeError) as info:
        model(torch.zeros(5, 3))
    line = trace.explain(info.value, model_cfg)
    assert line.startswith('model.head.in_channels=6 does not fit its input '
                           '[(5, 8)]: head.0 (Linear)')
    assert '\n' not in line


def test_trace_is_removed_after_the_first_forward():
    model = Algorithm(head_in=8)
    trace = FirstForwardTrace(model)
    model(torch.zeros(5, 3))
    assert not trace.active
    model.head = nn.Linear(6, 2)
    with pytest.raises(RuntimeError) as info:
        model(torch.zeros(5, 3))
    assert trace.explain(info.value, {}) is None  # later errors untouched


class BackboneOnlyInEval(Algorithm):
    """Evaluation skips the head (as a monitor's feature extraction)."""

    def forward(self, x):
        feats = self.backbone(x)
        return self.head(feats) if self.training else feats


def test_trace_survives_an_evaluation_forward_before_training():
    """RepresentationMonitorHook embeds videos before the first training
    step; that eval forward never reaches the head and used to end the
    trace, so the head's shape error came out unexplained."""
    model_cfg = dict(type='Algorithm', head=dict(type='H', in_channels=6))
    model = BackboneOnlyInEval(head_in=6)
    trace = FirstForwardTrace(model)
    model.eval()
    model(torch.zeros(5, 3))
    assert trace.active
    model.train()
    with pytest.raises(RuntimeError) as info:
        model(torch.zeros(5, 3))
    assert trace.explain(info.value, model_cfg).startswith(
        'model.head.in_channels=6 does not fit its input')
