"""VCOP algorithm and the base class: modes, gradients, MMAction2 loading."""
import copy

import pytest
import torch
from mmaction.structures import ActionDataSample
from mmengine.registry import init_default_scope
from mmengine.runner import load_checkpoint, save_checkpoint

import mmssl  # noqa: F401
from mmssl.registry import MODELS

TINY_BACKBONE = dict(
    type='ResNet3d',
    depth=18,
    stage_blocks=(1, 1, 1, 1),
    base_channels=8,
    pretrained=None,
    pretrained2d=False,
    conv1_stride_t=1,
    pool1_stride_t=1,
    inflate=(1, 1, 1, 1))


def build_vcop():
    init_default_scope('mmssl')
    torch.manual_seed(0)
    return MODELS.build(
        dict(
            type='VCOP',
            backbone=copy.deepcopy(TINY_BACKBONE),
            head=dict(
                type='VCOPHead',
                in_channels=64,
                num_clips=3,
                hidden_channels=16)))


def batch(num_videos=2):
    inputs = [
        torch.randint(0, 255, (3, 3, 4, 32, 32)).float()
        for _ in range(num_videos)
    ]
    samples = []
    for i in range(num_videos):
        sample = ActionDataSample().set_gt_labels(i)
        sample.set_field(torch.tensor(i % 6), 'order_label')
        samples.append(sample)
    return dict(inputs=inputs, data_samples=samples)


def test_loss_backward_and_optimizer_step():
    model = build_vcop()
    data = model.data_preprocessor(batch(), training=True)
    assert data['inputs'].shape == (2, 3, 3, 4, 32, 32)
    losses = model(**data, mode='loss')
    assert set(losses) == {'loss_order', 'acc_order'}
    losses['loss_order'].backward()
    grads = [p.grad for p in model.backbone.parameters() if p.grad is not None]
    assert grads and all(torch.isfinite(g).all() for g in grads)


def test_tensor_and_predict_modes():
    model = build_vcop().eval()
    data = model.data_preprocessor(batch(), training=False)
    feats = model(data['inputs'], mode='tensor')
    assert feats.shape == (2, 3, 64)
    single = model(data['inputs'][:, 0], mode='tensor')
    assert torch.allclose(single, feats[:, 0], atol=1e-5)
    out = model(**data, mode='predict')
    assert out[0].feats.shape == (64, )
    assert torch.allclose(out[1].feats, feats[1].mean(0), atol=1e-5)
    assert 0 <= int(out[0].pred_order) < 6
    with pytest.raises(RuntimeError, match='Invalid mode'):
        model(data['inputs'], mode='bogus')


def test_missing_target_is_named():
    model = build_vcop()
    data = batch()
    for s in data['data_samples']:
        del s.order_label
    data = model.data_preprocessor(data, training=True)
    with pytest.raises(KeyError, match='order_label'):
        model(**data, mode='loss')


def test_backbone_loads_into_mmaction_recognizer(tmp_path):
    """pretrain -> checkpoint -> MMAction2 Recognizer3D without key errors."""
    model = build_vcop()
    ckpt = str(tmp_path / 'vcop.pth')
    save_checkpoint({'state_dict': model.state_dict()}, ckpt)
    recognizer = MODELS.build(
        dict(
            type='Recognizer3D',
            backbone=copy.deepcopy(TINY_BACKBONE),
            cls_head=dict(type='I3DHead', num_classes=5, in_channels=64)))
    torch.manual_seed(1)
    recognizer.init_weights()
    # strict=False as MMEngine's load_from does; check which keys differ
    state = torch.load(ckpt, map_location='cpu')['state_dict']
    result = recognizer.load_state_dict(state, strict=False)
    assert not [k for k in result.missing_keys if k.startswith('backbone.')]
    assert all(k.startswith('head.') for k in result.unexpected_keys)
    load_checkpoint(recognizer, ckpt, map_location='cpu')
    for name, value in model.backbone.state_dict().items():
        assert torch.equal(recognizer.backbone.state_dict()[name], value), name
