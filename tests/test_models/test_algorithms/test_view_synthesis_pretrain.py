"""ViewSynthesisPretrain: separate optimizers for G and O, losses fall."""
import pytest
import torch
from mmaction.structures import ActionDataSample
from mmengine.optim import OptimWrapper, OptimWrapperDict

from mmssl.registry import MODELS


TINY_R3D = dict(
    type='ResNet3d', depth=18, stage_blocks=(1, 1, 1, 1), base_channels=8,
    pretrained=None, pretrained2d=False, conv1_kernel=(3, 7, 7),
    conv1_stride_t=1, pool1_stride_t=1, inflate=(1, 1, 1, 1),
    norm_eval=False)


def build(feature_extractor=TINY_R3D, **loss_weights):
    torch.manual_seed(0)
    model = MODELS.build(
        dict(type='ViewSynthesisPretrain',
             generator=dict(type='ViewSynthesisVAE', base_channels=4,
                            latent_channels=4),
             flow_estimator=dict(type='FlowEstimator', base_channels=4),
             feature_extractor=feature_extractor,
             loss_weights=loss_weights or None))
    model.init_weights()
    return model


def moving_squares():
    """Two clips (B=2, V=1) of a bright square moving right by 1 / 2 px."""
    clips = []
    for shift in (1, 2):
        clip = torch.zeros(1, 3, 4, 16, 16)
        for t in range(4):
            clip[0, :, t, 4:9, 2 + shift * t:7 + shift * t] = 1.
        clips.append(clip)
    return dict(inputs=clips,
                data_samples=[ActionDataSample(), ActionDataSample()])


def wrappers(model, gen_lr=1e-3, flow_lr=1e-3):
    def adam(module, lr):
        return OptimWrapper(torch.optim.Adam(module.parameters(), lr=lr))

    return OptimWrapperDict(
        generator=adam(model.generator, gen_lr),
        flow_estimator=adam(model.flow_estimator, flow_lr))


def snapshot(module):
    return [p.detach().clone() for p in module.parameters()]


def changed(module, before):
    return any(not torch.equal(p, b)
               for p, b in zip(module.parameters(), before))


@pytest.mark.parametrize('gen_lr,flow_lr', [(1e-2, 0.), (0., 1e-2)])
def test_each_optimizer_steps_only_its_own_parameters(gen_lr, flow_lr):
    model = build()
    gen0, flow0 = snapshot(model.generator), snapshot(model.flow_estimator)
    ow = wrappers(model, gen_lr, flow_lr)
    for _ in range(2):
        model.train_step(moving_squares(), ow)
    assert changed(model.generator, gen0) == (gen_lr > 0)
    assert changed(model.flow_estimator, flow0) == (flow_lr > 0)
    # no gradient is left behind for the other optimizer's next step
    for param in model.parameters():
        assert param.grad is None or not param.grad.any()


def test_generator_losses_reach_g_through_o_but_not_o():
    model = build()
    torch.nn.init.normal_(model.flow_estimator.head.weight, std=0.1)
    clips = torch.randn(2, 3, 4, 16, 16)
    flow = model.flow_estimator(clips)
    losses = model.generator_losses(clips, flow)
    losses['loss_info_max'].backward()
    assert all(p.grad is None for p in model.flow_estimator.parameters())
    assert model.generator.to_clip.weight.grad.abs().sum() > 0
    assert all(p.requires_grad for p in model.flow_estimator.parameters())


def run(model, ow, steps):
    history = [model.train_step(moving_squares(), ow) for _ in range(steps)]
    for log_vars in history:
        assert all(torch.isfinite(v) for v in log_vars.values())
    return history


def test_photometric_and_kl_losses_fall():
    model = build()
    history = run(model, wrappers(model), 10)
    for key in ('loss_photometric', 'loss_kl'):
        assert history[-1][key] < 0.8 * history[0][key], key


@pytest.mark.parametrize('term', ['info_min', 'info_max'])
def test_each_generator_step_lowers_its_loss_at_fixed_noise(term):
    """With the latent noise fixed (same seed), a train_step of G with one
    loss term lowers that term: the step descends the info-min /
    info-max objective (the sampled noise makes the raw curve noisy)."""
    weights = dict(kl=0., info_max=0., info_min=0.)
    weights[term] = 1.
    model = build(**weights)
    torch.nn.init.normal_(model.flow_estimator.head.weight, std=0.1)
    extractor0 = snapshot(model.feature_extractor)
    ow = wrappers(model, gen_lr=1e-3, flow_lr=0.)
    clips = torch.cat(moving_squares()['inputs'])
    for step in range(3):
        torch.manual_seed(step)
        before = model.train_step(moving_squares(), ow)[f'loss_{term}']
        torch.manual_seed(step)
        with torch.no_grad():
            after = model.generator_losses(
                clips, model.flow_estimator(clips))[f'loss_{term}']
        assert after < before, step
    assert not changed(model.feature_extractor, extractor0)
    assert not model.feature_extractor.training
    assert not any(p.requires_grad
                   for p in model.feature_extractor.parameters())


def test_without_extractor_f_is_the_generator_embedding():
    model = build(feature_extractor=None)
    clips = torch.randn(2, 3, 4, 16, 16)
    assert torch.equal(model.embed(clips), model.generator.embed(clips))
    assert model.embed(clips).shape == (2, 4)


def test_modes_and_bad_config():
    model = build(recon=1.)
    inputs = torch.randn(2, 1, 3, 4, 16, 16)
    assert 'loss_recon' in model(inputs, mode='loss')
    assert model(inputs, mode='tensor').shape == inputs.shape
    samples = model(inputs, mode='predict')
    assert samples[0].feats.shape == (4, )
    with pytest.raises(ValueError, match='unknown loss_weights'):
        build(kl_divergence=1.)
    with pytest.raises(KeyError, match='flow_estimator'):
        model.train_step(moving_squares(), OptimWrapperDict(
            generator=wrappers(model)['generator']))


def test_pretrain_checkpoint_loads_into_a_standalone_generator(tmp_path):
    """The SSL stage's init_cfg (prefix 'generator.') restores exactly G
    from a checkpoint of this algorithm, as the runner saves it."""
    from mmengine.runner.checkpoint import save_checkpoint
    model = build()
    run(model, wrappers(model), 1)
    ckpt = tmp_path / 'epoch_1.pth'
    save_checkpoint(dict(state_dict=model.state_dict(), meta={}), str(ckpt))
    vae = MODELS.build(
        dict(type='ViewSynthesisVAE', base_channels=4, latent_channels=4,
             init_cfg=dict(type='Pretrained', checkpoint=str(ckpt),
                           prefix='generator.')))
    vae.init_weights()
    expected = model.generator.state_dict()
    assert vae.state_dict().keys() == expected.keys()
    for key, value in expected.items():
        assert torch.equal(vae.state_dict()[key], value), key
    clips = torch.randn(1, 3, 4, 16, 16)
    torch.manual_seed(0)
    view = vae.synthesize(clips)
    torch.manual_seed(0)
    assert torch.allclose(view, model.generator.synthesize(clips))
