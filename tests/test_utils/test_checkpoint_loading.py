"""Evaluation loads the evaluated parts strictly or refuses the checkpoint."""
import os.path as osp

import pytest
import torch
import torch.nn as nn
from mmengine.config import Config
from mmengine.registry import init_default_scope
from mmengine.runner.utils import set_random_seed

import mmssl  # noqa: F401
from mmssl.registry import MODELS
from mmssl.utils.checkpoint_loading import (CheckpointMismatchError,
                                            key_groups,
                                            load_evaluated_weights,
                                            prepare_evaluated_model)

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
VCOP_TINY = osp.join(
    REPO, 'configs/vcop/vcop_r3d-tiny_1xb8-8x32x32-3clips-40e_synthmotion.py')


@pytest.fixture
def vcop_cfg():
    init_default_scope('mmssl')
    return Config.fromfile(VCOP_TINY).model


class TinyModel(nn.Module):
    """backbone (two layers) + head, like an mmssl algorithm."""

    def __init__(self, width=4):
        super().__init__()
        self.backbone = nn.Sequential(nn.Linear(3, width), nn.Linear(width, 4))
        self.head = nn.Linear(4, 2)


def save(tmp_path, state, name='ckpt.pth'):
    path = str(tmp_path / name)
    torch.save({'state_dict': state, 'meta': {'epoch': 2, 'iter': 4}}, path)
    return path


def test_key_groups_counts_prefixes():
    keys = ['backbone.0.weight', 'backbone.0.bias', 'backbone.1.weight',
            'head.weight']
    assert key_groups(keys) == ('backbone.0 (2), backbone.1 (1), '
                                'head.weight (1)')
    assert key_groups(keys, depth=1) == 'backbone (3), head (1)'


def test_matching_checkpoint_loads_exactly(tmp_path):
    source = TinyModel()
    path = save(tmp_path, source.state_dict())
    model = TinyModel()
    load_evaluated_weights(model, path)
    for key, value in source.state_dict().items():
        assert torch.equal(model.state_dict()[key], value)


def test_prepare_logs_the_evaluated_checkpoint(tmp_path, vcop_cfg):
    model_cfg = vcop_cfg
    model = MODELS.build(model_cfg)
    path = save(tmp_path, model.state_dict())
    line = prepare_evaluated_model(model, model_cfg, path, seed=0)
    assert f'Evaluating checkpoint {path} (' in line
    assert 'epoch 2, iter 4); backbone loaded strictly' in line


def test_foreign_checkpoint_is_refused_with_key_groups(tmp_path):
    # e.g. a checkpoint whose encoder lives under another name
    state = {f'encoder.{k}': v
             for k, v in TinyModel().backbone.state_dict().items()}
    path = save(tmp_path, state)
    with pytest.raises(CheckpointMismatchError) as info:
        load_evaluated_weights(TinyModel(), path)
    message = str(info.value)
    assert path in message
    assert 'missing 4 keys: backbone.0 (2), backbone.1 (2)' in message
    assert 'encoder (4)' in message


def test_unexpected_and_mis_shaped_backbone_keys_are_refused(tmp_path):
    state = TinyModel(width=5).state_dict()
    state['backbone.9.weight'] = torch.zeros(1)
    path = save(tmp_path, state)
    with pytest.raises(CheckpointMismatchError,
                       match=r'unexpected 1 keys: backbone.9 \(1\).*'
                       r'shape mismatches'):
        load_evaluated_weights(TinyModel(width=4), path)


def test_other_parts_may_differ(tmp_path):
    source = TinyModel()
    state = dict(source.backbone.state_dict())
    state = {f'backbone.{k}': v for k, v in state.items()}
    state['cls_head.fc.weight'] = torch.zeros(5, 4)  # a fine-tuned head
    model = TinyModel()
    load_evaluated_weights(model, save(tmp_path, state))
    assert torch.equal(model.backbone[0].weight, source.backbone[0].weight)


def test_random_init_does_not_depend_on_earlier_draws(vcop_cfg):
    """Seed, build, init_weights: what retrieval.py always did, now also
    for a model a runner built after other random draws."""
    model_cfg = vcop_cfg
    set_random_seed(3)
    reference = MODELS.build(model_cfg)
    reference.init_weights()
    torch.rand(100)  # e.g. a runner drew numbers before building the model
    model = MODELS.build(model_cfg)
    line = prepare_evaluated_model(model, model_cfg, None, seed=3)
    assert line == 'Evaluating a randomly initialised model (seed 3)'
    for key, value in reference.state_dict().items():
        assert torch.equal(model.state_dict()[key], value), key
