"""CVRL, TDL and RSPNet algorithms on tiny inputs: loss/backward, modes,
momentum / queue state, checkpoints and one-line backbone switching."""
import copy

import pytest
import torch
from mmaction.structures import ActionDataSample
from mmengine.optim import OptimWrapper
from mmengine.registry import init_default_scope

import mmssl.models  # noqa: F401
from mmssl.registry import MODELS

TINY = dict(
    type='ResNet3d',
    depth=18,
    stage_blocks=(1, 1, 1, 1),
    base_channels=8,
    pretrained=None,
    pretrained2d=False,
    conv1_stride_t=1,
    pool1_stride_t=1,
    inflate=(1, 1, 1, 1))


def linear_neck(out=16):
    return dict(type='MLPProjectionNeck', in_channels=None, out_channels=out)


CONFIGS = dict(
    CVRL=dict(
        type='CVRL',
        neck=dict(
            type='MLPProjectionNeck',
            in_channels=None,
            hidden_channels=32,
            num_hidden_layers=3,
            out_channels=16),
        head=dict(type='CVRLHead')),
    TDL=dict(
        type='TDL',
        neck=linear_neck(),
        head=dict(
            type='TDLHead',
            loss_triplet=dict(type='TripletMarginLoss', metric='euclidean')),
        queue_size=10,
        momentum=0.9),
    RSPNet=dict(
        type='RSPNet',
        neck=dict(
            type='ParallelNecks',
            necks=dict(appearance=linear_neck(), speed=linear_neck(8))),
        head=dict(type='RSPNetHead'),
        queue_size=12,
        momentum=0.9))
VIEWS = dict(CVRL=2, TDL=3, RSPNet=3)
LOSS_KEYS = dict(
    CVRL={'loss_contrast', 'acc_contrast'},
    TDL={'loss_contrast', 'loss_triplet', 'acc_contrast', 'acc_temporal'},
    RSPNet={'loss_rsp', 'loss_avid', 'acc_rsp', 'acc_avid'})


def build(name, backbone=TINY):
    init_default_scope('mmssl')
    torch.manual_seed(0)
    cfg = copy.deepcopy(CONFIGS[name])
    cfg['backbone'] = copy.deepcopy(backbone)
    model = MODELS.build(cfg)
    model.init_weights()
    return model


def batch(name, num_videos=2, seed=0):
    gen = torch.Generator().manual_seed(seed)
    return dict(
        inputs=[
            torch.randint(0, 255, (VIEWS[name], 3, 8, 32, 32),
                          generator=gen).float() for _ in range(num_videos)
        ],
        data_samples=[
            ActionDataSample().set_gt_labels(i) for i in range(num_videos)
        ])


@pytest.mark.parametrize('name', ['CVRL', 'TDL', 'RSPNet'])
def test_loss_backward(name):
    model = build(name)
    data = model.data_preprocessor(batch(name), training=True)
    assert data['inputs'].shape == (2, VIEWS[name], 3, 8, 32, 32)
    losses = model(**data, mode='loss')
    assert set(losses) == LOSS_KEYS[name]
    total = sum(v for k, v in losses.items() if k.startswith('loss'))
    assert torch.isfinite(total)
    total.backward()
    grads = [p.grad for p in model.backbone.parameters()]
    assert all(g is not None and torch.isfinite(g).all() for g in grads)
    assert any(g.abs().sum() > 0 for g in grads)
    if name != 'CVRL':
        # the key encoder gets no gradient; keys were staged, not enqueued
        assert all(p.grad is None
                   for p in model.momentum_encoder.parameters())
        assert model.queue.num_staged == 1 and model.queue.ptr.item() == 0


@pytest.mark.parametrize('name', ['CVRL', 'TDL', 'RSPNet'])
def test_train_step_predict_and_state(name):
    model = build(name)
    wrapper = OptimWrapper(
        torch.optim.SGD([p for p in model.parameters() if p.requires_grad],
                        lr=0.05))
    log = model.train_step(batch(name), wrapper)
    assert all(torch.isfinite(v) for v in log.values())
    keys = set(model.state_dict())
    if name != 'CVRL':
        # momentum encoder and queue are checkpointed
        assert {'queue.queue', 'queue.ptr'} <= keys
        assert any(k.startswith('momentum_encoder.backbone.') for k in keys)
        assert any(k.startswith('momentum_encoder.neck.') for k in keys)
        assert model.queue.ptr.item() == 2 and model.queue.num_staged == 0
        # the queue holds the normalised keys of this step
        torch.testing.assert_close(model.queue.queue[:2].norm(dim=1),
                                   torch.ones(2))
    # retrieval / probing features are the backbone's pooled features
    model.eval()
    clips = torch.rand(2, 3, 3, 8, 32, 32)
    out = model.test_step(
        dict(inputs=list(clips), data_samples=[ActionDataSample()] * 2))
    feats = model(
        model.data_preprocessor(
            dict(inputs=list(clips), data_samples=None), False)['inputs'],
        mode='tensor')
    assert out[0].feats.shape == (64, )
    torch.testing.assert_close(out[1].feats, feats[1].mean(0))


def test_init_weights_syncs_momentum_encoder():
    model = build('TDL')
    for (k, v), (_, w) in zip(model.backbone.state_dict().items(),
                              model.momentum_encoder.backbone.state_dict(
                              ).items()):
        assert torch.equal(v, w), k
    assert not any(p.requires_grad
                   for p in model.momentum_encoder.parameters())


def test_wrong_inputs_named():
    for name, views in [('CVRL', 3), ('TDL', 2), ('RSPNet', 2)]:
        model = build(name)
        with pytest.raises(ValueError, match=name):
            model(torch.rand(2, views, 3, 8, 32, 32), [], mode='loss')
    with pytest.raises(ValueError, match='ParallelNecks'):
        cfg = copy.deepcopy(CONFIGS['RSPNet'])
        cfg.update(backbone=TINY, neck=linear_neck())
        MODELS.build(cfg)


@pytest.mark.parametrize('backbone,channels', [
    (dict(type='R2Plus1DVCOP', layer_sizes=(1, 1, 1, 1)), 512),
    (dict(type='ShuffleNet3D', groups=3, width_mult=2.0), 1920),
])
def test_one_line_backbone_switch(backbone, channels):
    """Only the backbone changes; necks follow its output channels."""
    for name in ('CVRL', 'RSPNet'):
        model = build(name, backbone)
        if name == 'CVRL':
            assert model.neck.in_channels == channels
        else:
            for neck in model.neck.necks.values():
                assert neck.in_channels == channels
            assert model.momentum_encoder.neck.necks[
                'speed'].in_channels == channels


def test_tdl_negative_encoder_option():
    init_default_scope('mmssl')
    cfg = copy.deepcopy(CONFIGS['TDL'])
    cfg.update(backbone=TINY, negative_encoder='momentum')
    torch.manual_seed(0)
    model = MODELS.build(cfg)
    model.init_weights()
    data = model.data_preprocessor(batch('TDL'), training=True)
    online_calls = []
    handle = model.backbone.register_forward_hook(
        lambda *args: online_calls.append(1))
    losses = model(**data, mode='loss')
    handle.remove()
    assert len(online_calls) == 1  # the anchor only; n is a key
    sum(v for k, v in losses.items() if k.startswith('loss')).backward()
    with pytest.raises(ValueError, match='negative_encoder'):
        cfg['negative_encoder'] = 'target'
        MODELS.build(cfg)


@pytest.mark.parametrize('name', ['RSPNet', 'TDL'])
def test_load_without_momentum_keys_fills_momentum_encoder(name):
    """``load_from`` another method's checkpoint: the key encoder starts
    from the loaded online weights, not from its own initialisation."""
    from mmengine.runner.checkpoint import load_state_dict
    model = build(name)
    donor = build(name)
    with torch.no_grad():
        for p in donor.backbone.parameters():
            p.add_(torch.randn_like(p))
    backbone_only = {
        f'backbone.{k}': v.clone()
        for k, v in donor.backbone.state_dict().items()
    }
    load_state_dict(model, backbone_only, strict=False)
    for key, value in donor.backbone.state_dict().items():
        torch.testing.assert_close(model.backbone.state_dict()[key], value)
        torch.testing.assert_close(
            model.momentum_encoder.backbone.state_dict()[key], value)
    # the neck was not in the state dict: its key copy is untouched and
    # still equals the online neck (synced by init_weights)
    for key, value in model.neck.state_dict().items():
        torch.testing.assert_close(
            model.momentum_encoder.neck.state_dict()[key], value)


def test_resume_keeps_checkpointed_momentum_encoder():
    """A checkpoint of the algorithm itself is loaded as it is: the key
    encoder keeps its own (EMA) weights."""
    model = build('RSPNet')
    state = copy.deepcopy(model.state_dict())
    marker = next(k for k in state
                  if k.startswith('momentum_encoder.backbone.')
                  and k.endswith('weight'))
    state[marker] = state[marker] + 1.0
    online = marker.replace('momentum_encoder.', '', 1)
    model.load_state_dict(state)
    torch.testing.assert_close(model.state_dict()[marker], state[marker])
    assert not torch.equal(model.state_dict()[marker],
                           model.state_dict()[online])
