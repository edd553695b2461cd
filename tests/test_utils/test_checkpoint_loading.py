"""Evaluation loads the evaluated parts strictly or refuses the checkpoint."""
import pytest
import torch
import torch.nn as nn

import mmssl  # noqa: F401
from mmssl.utils.checkpoint_loading import (CheckpointMismatchError,
                                            init_random_weights, key_groups,
                                            load_evaluated_weights,
                                            prepare_evaluated_model)


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
    assert key_groups(keys) == 'backbone.0 (2), backbone.1 (1), head.weight (1)'
    assert key_groups(keys, depth=1) == 'backbone (3), head (1)'


def test_matching_checkpoint_loads_exactly(tmp_path):
    source = TinyModel()
    path = save(tmp_path, source.state_dict())
    model = TinyModel()
    line = prepare_evaluated_model(model, path, seed=0)
    for key, value in source.state_dict().items():
        assert torch.equal(model.state_dict()[key], value)
    assert path in line and 'epoch 2, iter 4' in line


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


def test_random_init_does_not_depend_on_earlier_draws():
    first = TinyModel()
    init_random_weights(first, seed=3)
    torch.rand(100)  # a tool that drew numbers before building the model
    second = TinyModel()
    torch.rand(7)
    init_random_weights(second, seed=3)
    for key, value in first.state_dict().items():
        assert torch.equal(second.state_dict()[key], value)
