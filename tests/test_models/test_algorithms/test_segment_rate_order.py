"""SegmentRateOrder (issue 11) on tiny inputs: the Eq. 17 losses, MoCo
queue / momentum update once per optimizer step, checkpoint state, the
component ablations and the frozen view synthesiser."""
import copy

import pytest
import torch
from mmaction.structures import ActionDataSample
from mmengine.model import BaseModule
from mmengine.optim import OptimWrapper
from mmengine.registry import init_default_scope

import mmssl.models  # noqa: F401
from mmssl.registry import MODELS

TINY = dict(
    type='ResNet3d',
    depth=18,
    stage_blocks=(1, 1, 1, 1),
    base_channels=4,
    pretrained=None,
    pretrained2d=False,
    conv1_stride_t=1,
    pool1_stride_t=1,
    inflate=(1, 1, 1, 1))

FULL = dict(
    type='SegmentRateOrder',
    backbone=TINY,
    neck=dict(type='MLPProjectionNeck', in_channels=None, out_channels=12),
    order_head=dict(type='SegmentOrderHead', hidden_channels=16),
    rate_head=dict(type='SegmentRateHead', hidden_channels=16),
    loss_contrast=dict(type='ShuffleInfoNCELoss', num_parts=3),
    queue_size=8,
    momentum=0.5)


@MODELS.register_module()
class _ConstantViewSynthesizer(BaseModule):
    """Stand-in with the contract's interface: synthesize() returns a
    constant clip, so tests can see which keys were synthesised."""

    def __init__(self, value: float = 7.0) -> None:
        super().__init__()
        self.value = value
        self.scale = torch.nn.Parameter(torch.ones(1))
        self.calls = []

    def synthesize(self, clips):
        self.calls.append(clips.shape[0])
        return torch.full_like(clips, self.value) * self.scale


def build(**overrides):
    init_default_scope('mmssl')
    torch.manual_seed(0)
    cfg = copy.deepcopy(FULL)
    cfg.update(overrides)
    model = MODELS.build(cfg)
    model.init_weights()
    return model


def batch(num_videos=2, views=2, seed=0):
    gen = torch.Generator().manual_seed(seed)
    samples = []
    for i in range(num_videos):
        sample = ActionDataSample().set_gt_labels(i)
        sample.set_field(torch.tensor(i % 6), 'order_label')
        sample.set_field(torch.tensor([1, 4, 2 + i]), 'segment_rates')
        samples.append(sample)
    return dict(
        inputs=[
            torch.randint(0, 255, (views, 3, 9, 16, 16), generator=gen).float()
            for _ in range(num_videos)
        ],
        data_samples=samples)


def test_losses_backward_and_staged_keys():
    model = build()
    data = model.data_preprocessor(batch(), training=True)
    losses = model(**data, mode='loss')
    assert set(losses) == {
        'loss_order', 'acc_order', 'loss_rate', 'rate_mae', 'loss_contrast',
        'acc_contrast'
    }
    sum(v for k, v in losses.items() if k.startswith('loss')).backward()
    grads = [p.grad for p in model.backbone.parameters()]
    assert all(g is not None and torch.isfinite(g).all() for g in grads)
    assert all(p.grad is None for p in model.momentum_encoder.parameters())
    assert model.queue.num_staged == 1 and model.queue.ptr.item() == 0


def test_momentum_and_queue_once_per_optimizer_step_and_checkpointed():
    model = build()
    params = [p for p in model.parameters() if p.requires_grad]
    wrapper = OptimWrapper(
        torch.optim.SGD(params, lr=0.1), accumulative_counts=2)
    wrapper.initialize_count_status(model, 0, 4)
    key_w = model.momentum_encoder.neck.mlp[0].weight
    before = key_w.clone()
    model.train_step(batch(seed=1), wrapper)  # 1st of 2: no step
    assert torch.equal(key_w, before)
    assert model.queue.ptr.item() == 0 and model.queue.num_staged == 1
    model.train_step(batch(seed=2), wrapper)  # the optimizer steps
    online = model.neck.mlp[0].weight.detach()
    torch.testing.assert_close(
        key_w, 0.5 * before + 0.5 * online, rtol=0, atol=1e-7)
    assert model.queue.ptr.item() == 4 and model.queue.num_staged == 0
    torch.testing.assert_close(model.queue.queue[:4].norm(dim=1),
                               torch.ones(4))
    keys = set(model.state_dict())
    assert {'queue.queue', 'queue.ptr'} <= keys
    assert any(k.startswith('momentum_encoder.backbone.') for k in keys)


def test_ablation_without_contrast_needs_one_clip_and_no_queue():
    model = build(loss_contrast=None)
    assert model.queue is None
    data = model.data_preprocessor(batch(views=1), training=True)
    losses = model(**data, mode='loss')
    assert set(losses) == {'loss_order', 'acc_order', 'loss_rate', 'rate_mae'}
    order_only = build(loss_contrast=None, rate_head=None)
    assert set(order_only(**data, mode='loss')) == {'loss_order', 'acc_order'}
    cosine = build(loss_contrast=dict(type='QueueInfoNCELoss'))
    data2 = cosine.data_preprocessor(batch(), training=True)
    assert 'loss_contrast' in cosine(**data2, mode='loss')
    with pytest.raises(ValueError, match=r'\(B, 2, C, T, H, W\)'):
        build()(**data, mode='loss')
    with pytest.raises(ValueError, match='at least one'):
        build(order_head=None, rate_head=None, loss_contrast=None)


def test_rate_classification_variant_and_backbone_channels():
    model = build(
        rate_head=dict(
            type='SegmentRateHead', mode='classification', max_rate=8))
    assert model.rate_head.mlp.in_channels == 32  # tiny R3D output
    data = model.data_preprocessor(batch(), training=True)
    assert 'acc_rate' in model(**data, mode='loss')


def test_view_synthesizer_frozen_and_used_for_keys():
    model = build(
        view_synthesizer=dict(type='_ConstantViewSynthesizer'),
        synth_key_prob=1.0)
    synth = model.view_synthesizer
    model.train()
    assert not synth.training
    assert not synth.scale.requires_grad
    assert 'view_synthesizer' not in model.momentum_encoder.names
    data = model.data_preprocessor(batch(num_videos=3), training=True)
    query = data['inputs'][:, 0]
    keys = model.keys_for(query, data['inputs'][:, 1])
    assert torch.equal(keys, torch.full_like(query, 7.0))
    wrapper = OptimWrapper(
        torch.optim.SGD(model.parameters(), lr=0.1, weight_decay=0.1))
    model.train_step(batch(num_videos=3), wrapper)
    assert synth.scale.item() == 1.0 and synth.scale.grad is None
    assert synth.calls[-1] == 3
    never = build(
        view_synthesizer=dict(type='_ConstantViewSynthesizer'),
        synth_key_prob=0.0)
    assert torch.equal(
        never.keys_for(query, data['inputs'][:, 1]), data['inputs'][:, 1])
    with pytest.raises(ValueError, match='loss_contrast'):
        build(loss_contrast=None,
              view_synthesizer=dict(type='_ConstantViewSynthesizer'))


def test_view_synthesis_vae_plugs_in():
    """B's ViewSynthesisVAE (issue 11 contract) as the synthesiser."""
    model = build(
        view_synthesizer=dict(type='ViewSynthesisVAE'), synth_key_prob=0.5)
    assert not any(p.requires_grad
                   for p in model.view_synthesizer.parameters())
    torch.manual_seed(3)
    data = model.data_preprocessor(batch(views=2), training=True)
    losses = model(**data, mode='loss')
    assert torch.isfinite(losses['loss_contrast'])


def test_predict_features_are_the_backbone_features():
    model = build()
    model.eval()
    clips = torch.rand(2, 3, 3, 8, 16, 16)
    out = model.test_step(
        dict(inputs=list(clips), data_samples=[ActionDataSample()] * 2))
    assert out[0].feats.shape == (32, )


def test_view_synthesizer_loads_the_pretraining_checkpoint(tmp_path):
    """The contract: G is stored as ``generator.*`` by the view-synthesis
    pretraining and loaded with ``init_cfg=Pretrained(prefix='generator.')``;
    it stays frozen after loading."""
    init_default_scope('mmssl')
    torch.manual_seed(5)
    donor = MODELS.build(
        dict(type='ViewSynthesisVAE', base_channels=4, latent_channels=2))
    ckpt = str(tmp_path / 'view_synthesis.pth')
    torch.save(
        dict(state_dict={
            f'generator.{k}': v
            for k, v in donor.state_dict().items()
        }), ckpt)
    model = build(
        view_synthesizer=dict(
            type='ViewSynthesisVAE',
            base_channels=4,
            latent_channels=2,
            init_cfg=dict(
                type='Pretrained', checkpoint=ckpt, prefix='generator.')))
    for key, value in donor.state_dict().items():
        assert torch.equal(model.view_synthesizer.state_dict()[key], value)
    assert not any(p.requires_grad
                   for p in model.view_synthesizer.parameters())
