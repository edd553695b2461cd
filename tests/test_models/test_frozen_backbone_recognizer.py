"""FrozenBackboneRecognizer3D: what is frozen after ``train()`` and the
strict ``backbone_checkpoint`` (the end-to-end freeze test with
tools/train.py is tests/test_evaluation/test_linear_probe_paths.py)."""
import os.path as osp

import pytest
import torch
from mmengine.config import Config
from mmengine.registry import init_default_scope
from probe_fixtures import REPO_ROOT, tiny_checkpoint
from torch.nn.modules.batchnorm import _BatchNorm

from mmssl.registry import MODELS
from mmssl.utils import register_all_modules
from mmssl.utils.checkpoint_loading import CheckpointMismatchError

PROBE_TINY = 'configs/benchmarks/linear/r3d-tiny_linear_synthmotion.py'


def _model(**changes):
    register_all_modules(init_default_scope=False)
    cfg = Config.fromfile(osp.join(REPO_ROOT, PROBE_TINY))
    cfg.model.update(changes)
    init_default_scope('mmssl')
    return MODELS.build(cfg.model)


def test_train_mode_keeps_the_backbone_frozen_and_in_eval():
    model = _model()
    model.train()
    assert not any(p.requires_grad for p in model.backbone.parameters())
    assert all(p.requires_grad for p in model.cls_head.parameters())
    bns = [m for m in model.backbone.modules() if isinstance(m, _BatchNorm)]
    assert bns and not any(m.training for m in bns)
    assert model.cls_head.training
    # a forward pass in train mode leaves the BN statistics alone
    before = {k: v.clone() for k, v in model.backbone.state_dict().items()}
    model.backbone(torch.randn(2, 3, 8, 32, 32))
    after = model.backbone.state_dict()
    assert all(torch.equal(before[k], after[k]) for k in before)


def test_backbone_checkpoint_loads_strictly(tmp_path):
    good = tiny_checkpoint(str(tmp_path / 'tiny.pth'))
    model = _model(backbone_checkpoint=good)
    model.init_weights()
    state = torch.load(good, weights_only=True)['state_dict']
    assert torch.equal(model.backbone.conv1.bn.running_mean,
                       state['backbone.conv1.bn.running_mean'])
    bad = str(tmp_path / 'head_only.pth')
    torch.save(dict(state_dict={k: v for k, v in state.items()
                                if not k.startswith('backbone.')}), bad)
    with pytest.raises(CheckpointMismatchError,
                       match=r'head_only.pth does not fit .*backbone'):
        _model(backbone_checkpoint=bad).init_weights()
