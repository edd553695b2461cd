"""The multi-task SSL encoder downstream: its checkpoint loads into the
frozen-probe and fine-tune configs without key errors, and frozen-encoder
training leaves the encoder's weights and BN buffers unchanged (paper
Sec. 3.7)."""
import os.path as osp

import torch
from mmengine.config import Config
from mmengine.optim import build_optim_wrapper
from mmengine.registry import init_default_scope
from mmaction.structures import ActionDataSample
from probe_fixtures import REPO_ROOT

from mmssl.registry import MODELS
from mmssl.utils import register_all_modules
from mmssl.utils.checkpoint_loading import load_evaluated_weights

PRETRAIN = ('configs/multitask_ssl/'
            'multitask-ssl_cnn-tt-tiny_1xb16-8x32x32-mask0.45-40e_'
            'synthmotion.py')
PROBE = 'configs/benchmarks/linear/cnn-tt-tiny_linear_synthmotion.py'
FINETUNE = 'configs/benchmarks/finetune/cnn-tt-tiny_finetune_synthmotion.py'


def _cfg(path):
    register_all_modules(init_default_scope=False)
    init_default_scope('mmssl')
    return Config.fromfile(osp.join(REPO_ROOT, path))


def _checkpoint(tmp_path):
    torch.manual_seed(3)
    model = MODELS.build(_cfg(PRETRAIN).model)
    for name, buffer in model.named_buffers():
        if name.endswith('running_mean'):
            buffer.normal_(0, 0.1)  # a probe that updated them would show
    path = str(tmp_path / 'epoch_1.pth')
    torch.save(dict(state_dict=model.state_dict(), meta=dict(epoch=1)), path)
    return path, model


def test_encoder_checkpoint_loads_into_probe_and_finetune(tmp_path):
    path, pretrained = _checkpoint(tmp_path)
    expected = {
        k: v
        for k, v in pretrained.state_dict().items()
        if k.startswith('backbone.')
    }
    cfg = _cfg(PROBE)
    cfg.model.backbone_checkpoint = path
    probe = MODELS.build(cfg.model)
    probe.init_weights()  # strict: a missing or misfit key raises
    finetune = MODELS.build(_cfg(FINETUNE).model)
    load_evaluated_weights(finetune, path)
    for model in (probe, finetune):
        state = model.state_dict()
        assert {k for k in state if k.startswith('backbone.')} == set(expected)
        assert all(torch.equal(state[k], v) for k, v in expected.items())


def test_frozen_encoder_training_changes_only_the_head(tmp_path):
    path, _ = _checkpoint(tmp_path)
    cfg = _cfg(PROBE)
    cfg.model.backbone_checkpoint = path
    model = MODELS.build(cfg.model)
    model.init_weights()
    before = {k: v.clone() for k, v in model.backbone.state_dict().items()}
    head_before = model.cls_head.fc_cls.weight.clone()
    optim = build_optim_wrapper(model, cfg.optim_wrapper)
    model.train()
    torch.manual_seed(4)
    for _ in range(3):
        samples = [ActionDataSample().set_gt_labels(i % 8) for i in range(4)]
        data = dict(
            inputs=[torch.randint(0, 255, (1, 3, 8, 32, 32)).float()
                    for _ in range(4)],
            data_samples=samples)
        model.train_step(data, optim)
    after = model.backbone.state_dict()
    assert any(k.endswith('running_mean') for k in after)
    assert all(torch.equal(before[k], after[k]) for k in before)
    assert not torch.equal(head_before, model.cls_head.fc_cls.weight)
